"""The raw archive: every body as served, stored once by its sha256, plus a manifest of fetches.

Layout under ``root``::

    objects/ab/cdef…   the bytes whose sha256 is abcdef… (written to a temp file, fsynced,
                       then renamed: a process killed mid-write leaves no partial object)
    manifest.jsonl     one JSON line per successful fetch, appended, never rewritten

Reprocessing reads ``latest_entries()`` and ``get()`` and needs no network.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

MANIFEST = "manifest.jsonl"

# Response headers kept in the manifest: what parsing and the next conditional GET need.
KEPT_HEADERS = ("content-type", "etag", "last-modified", "content-length", "content-encoding", "date")


# An object's address: 64 lower-case hex digits. Anything else (../../etc/passwd) is never
# turned into a path: the manifest is data from disk, and may have been tampered with.
CONTENT_HASH = re.compile(r"[0-9a-f]{64}")


class ArchiveError(Exception):
    """An object is missing, its bytes do not match its hash, or the hash is not one."""


class BadManifestLine(ValueError):
    """A manifest line that is JSON but not an entry (a field missing or of the wrong type)."""


def _status(value) -> int:
    """An HTTP status from the manifest: an int, or digits written as a string ("200")."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise BadManifestLine(f"http_status {value!r} is not a status code")


def _text(value) -> str:
    """A required text field."""
    if not isinstance(value, str) or not value:
        raise BadManifestLine(f"{value!r} is not a non-empty string")
    return value


def _hash(value) -> str:
    """A content hash: 64 hex digits, checked before it names any path."""
    if not isinstance(value, str) or not CONTENT_HASH.fullmatch(value):
        raise BadManifestLine(f"content_hash {value!r} is not a sha256 hex digest")
    return value


def _optional_text(value) -> str | None:
    """An optional text field."""
    if value is not None and not isinstance(value, str):
        raise BadManifestLine(f"{value!r} is not a string")
    return value


def _headers(value) -> dict[str, str]:
    """The kept response headers: a mapping of strings."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise BadManifestLine(f"headers {value!r} is not a mapping of strings")
    return value


# How each manifest field is read: a line with a field its reader refuses is a bad line,
# recorded with the reason (``RawArchive.bad_lines``), never an entry and never skipped unsaid.
FIELD_READERS = {
    "url": _text,
    "source": _text,
    "content_hash": _hash,
    "fetched_at": _text,
    "http_status": _status,  # {"http_status": "200"} is read as 200
    "headers": _headers,
    "encoding": _optional_text,
    "kind": _text,
    "final_url": _optional_text,
}
REQUIRED_FIELDS = ("url", "source", "content_hash", "fetched_at", "http_status")


@dataclass(frozen=True)
class ManifestEntry:
    """One successful fetch: which URL gave which bytes, when, and how they decode."""

    url: str
    source: str
    content_hash: str
    fetched_at: str  # ISO 8601, UTC
    http_status: int
    headers: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    kind: str = "article"  # list | article
    final_url: str | None = None  # after redirects, when different from url

    @classmethod
    def from_json(cls, data: dict) -> "ManifestEntry":
        """An entry from a manifest line's object (unknown keys ignored); BadManifestLine says why not."""
        if not isinstance(data, dict):
            raise BadManifestLine("the line is not a JSON object")
        missing = [k for k in REQUIRED_FIELDS if k not in data]
        if missing:
            raise BadManifestLine(f"missing {', '.join(missing)}")
        known = {}
        for name, read in FIELD_READERS.items():
            if name in data:
                try:
                    known[name] = read(data[name])
                except BadManifestLine as exc:
                    raise BadManifestLine(f"{name}: {exc}") from None
        return cls(**known)


def now_iso() -> str:
    """The current UTC time as ISO 8601."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def kept_headers(headers: dict[str, str] | None) -> dict[str, str]:
    """The subset of response headers worth keeping, lower-cased names."""
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    return {k: lowered[k] for k in KEPT_HEADERS if k in lowered}


def sha256(data: bytes) -> str:
    """The hex sha256 of ``data``: the object's address."""
    return hashlib.sha256(data).hexdigest()


class RawArchive:
    """Content-addressed bytes plus an append-only JSONL manifest; safe for threads in one process."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.manifest = self.root / MANIFEST
        self.objects.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.torn_lines = 0  # manifest lines skipped on the last read (torn by a kill, or bad)
        self.bad_lines: list[tuple[int, str]] = []  # (line number, why) of each, on the last read

    def path_for(self, content_hash: str) -> Path:
        """Where the object with this hash lives; ArchiveError for anything but a sha256 hex digest.

        The hash is checked before a path is built, and the path checked to stay under
        ``objects/`` (resolved, so no symlink or ``..`` leads out of the archive).
        """
        if not isinstance(content_hash, str) or not CONTENT_HASH.fullmatch(content_hash):
            raise ArchiveError(f"{content_hash!r} is not a sha256 hex digest: no path is built from it")
        path = self.objects / content_hash[:2] / content_hash[2:]
        root = self.objects.resolve()
        if not path.resolve().is_relative_to(root):
            raise ArchiveError(f"object {content_hash} resolves outside the archive ({path.resolve()})")
        return path

    def has(self, content_hash: str) -> bool:
        """Whether the object is stored."""
        return self.path_for(content_hash).is_file()

    def put(self, data: bytes) -> str:
        """Store ``data`` (once, however often it is put) and return its sha256."""
        digest = sha256(data)
        target = self.path_for(digest)
        if target.is_file():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)  # atomic: readers see no object or the whole object
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, content_hash: str) -> bytes:
        """The bytes stored under ``content_hash``, verified against it."""
        path = self.path_for(content_hash)  # raises before any file is opened for a bad hash
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ArchiveError(f"no object {content_hash} in {self.objects}") from None
        if sha256(data) != content_hash:
            raise ArchiveError(f"object {content_hash} is corrupt (its bytes hash to {sha256(data)})")
        return data

    def record(self, entry: ManifestEntry | dict) -> None:
        """Append one entry to the manifest as a single line."""
        data = asdict(entry) if isinstance(entry, ManifestEntry) else dict(entry)
        line = (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        with self._lock:
            fd = os.open(self.manifest, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                if not self._ends_with_newline(fd):
                    # A writer was killed mid-line: close that torn line so this entry stays whole.
                    os.write(fd, b"\n")
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)

    def _ends_with_newline(self, fd: int) -> bool:
        """Whether the manifest is empty or its last byte is a newline."""
        size = os.fstat(fd).st_size
        return size == 0 or os.pread(fd, 1, size - 1) == b"\n"

    def entries(self, source: str | None = None) -> Iterator[ManifestEntry]:
        """Every manifest entry in the order written; torn or bad lines are skipped, each counted
        in ``torn_lines`` and named with its reason in ``bad_lines``."""
        self.torn_lines, self.bad_lines = 0, []
        if not self.manifest.exists():
            return
        with self.manifest.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                entry = self._parse_line(raw, number)
                if entry is not None and (source is None or entry.source == source):
                    yield entry

    def _parse_line(self, raw: bytes, number: int = 0) -> ManifestEntry | None:
        """One manifest line, or None (counted, with why) when it is blank, torn or bad."""
        if not raw.strip():
            return None
        try:
            return ManifestEntry.from_json(json.loads(raw))
        except (ValueError, TypeError, RecursionError) as exc:  # JSON errors and BadManifestLine
            self.torn_lines += 1
            self.bad_lines.append((number, f"{type(exc).__name__}: {exc}"))
            return None

    def latest_entries(self, source: str | None = None) -> list[ManifestEntry]:
        """The latest entry per URL, in the order those URLs were first archived."""
        latest: dict[str, ManifestEntry] = {}
        for entry in self.entries(source):
            latest[entry.url] = entry
        return list(latest.values())
