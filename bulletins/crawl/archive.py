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
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

MANIFEST = "manifest.jsonl"

# Response headers kept in the manifest: what parsing and the next conditional GET need.
KEPT_HEADERS = ("content-type", "etag", "last-modified", "content-length", "content-encoding", "date")


class ArchiveError(Exception):
    """An object is missing or its bytes do not match its hash."""


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
        """An entry from a manifest line's object (unknown keys ignored)."""
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
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
        self.torn_lines = 0  # manifest lines skipped on the last read (a write cut short)

    def path_for(self, content_hash: str) -> Path:
        """Where the object with this hash lives."""
        return self.objects / content_hash[:2] / content_hash[2:]

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
        try:
            data = self.path_for(content_hash).read_bytes()
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
        """Every manifest entry in the order written, skipping torn lines (counted in ``torn_lines``)."""
        self.torn_lines = 0
        if not self.manifest.exists():
            return
        with self.manifest.open("rb") as handle:
            for raw in handle:
                entry = self._parse_line(raw)
                if entry is not None and (source is None or entry.source == source):
                    yield entry

    def _parse_line(self, raw: bytes) -> ManifestEntry | None:
        """One manifest line, or None (counted) when it is blank or torn."""
        if not raw.strip():
            return None
        try:
            return ManifestEntry.from_json(json.loads(raw))
        except (ValueError, TypeError):
            self.torn_lines += 1
            return None

    def latest_entries(self, source: str | None = None) -> list[ManifestEntry]:
        """The latest entry per URL, in the order those URLs were first archived."""
        latest: dict[str, ManifestEntry] = {}
        for entry in self.entries(source):
            latest[entry.url] = entry
        return list(latest.values())
