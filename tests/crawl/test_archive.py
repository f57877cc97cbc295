"""RawArchive: content addressing, dedupe, verification, the manifest and torn writes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading

import pytest

from bulletins.crawl.archive import ArchiveError, ManifestEntry, RawArchive, kept_headers

GBK_PAGE = "<html><body>衡阳市政府常务会议</body></html>".encode("gbk")


def entry(url: str, content_hash: str, source: str = "gov", at: str = "2024-03-05T08:00:00.000+00:00") -> ManifestEntry:
    """A manifest entry for ``url``."""
    return ManifestEntry(
        url=url,
        source=source,
        content_hash=content_hash,
        fetched_at=at,
        http_status=200,
        headers={"content-type": "text/html; charset=gbk"},
        encoding="gb18030",
    )


def object_files(archive: RawArchive) -> list:
    """Every file under objects/, temp files included."""
    return [p for p in archive.objects.rglob("*") if p.is_file()]


def test_put_returns_the_sha256_and_get_returns_the_bytes(tmp_path):
    archive = RawArchive(tmp_path)
    digest = archive.put(GBK_PAGE)
    assert digest == hashlib.sha256(GBK_PAGE).hexdigest()
    assert archive.get(digest) == GBK_PAGE
    assert archive.path_for(digest) == tmp_path / "objects" / digest[:2] / digest[2:]


def test_same_bytes_are_stored_once(tmp_path):
    archive = RawArchive(tmp_path)
    hashes = {archive.put(GBK_PAGE) for _ in range(3)} | {archive.put(b"other")}
    assert len(hashes) == 2
    assert len(object_files(archive)) == 2


def test_concurrent_puts_of_the_same_bytes_leave_one_whole_object(tmp_path):
    archive = RawArchive(tmp_path)
    data = GBK_PAGE * 2000
    threads = [threading.Thread(target=archive.put, args=(data,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    [only] = object_files(archive)
    assert only.read_bytes() == data


def test_missing_object_is_a_clear_error(tmp_path):
    with pytest.raises(ArchiveError, match="no object"):
        RawArchive(tmp_path).get("ab" * 32)


def test_corrupt_object_is_detected(tmp_path):
    archive = RawArchive(tmp_path)
    digest = archive.put(GBK_PAGE)
    archive.path_for(digest).write_bytes(b"tampered")
    with pytest.raises(ArchiveError, match="corrupt"):
        archive.get(digest)


def test_a_writer_killed_mid_put_leaves_no_visible_object(tmp_path):
    # A child process starts writing a large object, then dies before the rename.
    script = f"""
import os
from bulletins.crawl import archive as mod
def die(*args):
    os._exit(9)  # killed between the temp write and the atomic rename
mod.os.replace = die
mod.RawArchive({str(tmp_path)!r}).put(b"x" * 1_000_000)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=str(_project_root()), capture_output=True)
    assert done.returncode == 9
    archive = RawArchive(tmp_path)
    digest = hashlib.sha256(b"x" * 1_000_000).hexdigest()
    assert not archive.has(digest)
    assert [p.name.startswith(".tmp-") for p in object_files(archive)] == [True]  # only the temp file
    assert archive.put(b"x" * 1_000_000) == digest and archive.get(digest) == b"x" * 1_000_000


def _project_root():
    """The repository root (so the child imports this checkout)."""
    from pathlib import Path

    return Path(__file__).resolve().parents[2]


def test_manifest_appends_and_reads_back(tmp_path):
    archive = RawArchive(tmp_path)
    digest = archive.put(GBK_PAGE)
    archive.record(entry("http://a/1.html", digest))
    archive.record({**entry("http://a/2.html", digest).__dict__, "future_field": 1})  # unknown keys are ignored
    got = list(archive.entries())
    assert [e.url for e in got] == ["http://a/1.html", "http://a/2.html"]
    assert got[0] == entry("http://a/1.html", digest)
    lines = archive.manifest.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["encoding"] == "gb18030"


def test_latest_entries_keeps_the_last_fetch_of_each_url(tmp_path):
    archive = RawArchive(tmp_path)
    old, new = archive.put(b"v1"), archive.put(b"v2")
    archive.record(entry("http://a/1.html", old, at="2024-03-01T00:00:00.000+00:00"))
    archive.record(entry("http://a/2.html", old))
    archive.record(entry("http://b/1.html", old, source="epaper"))
    archive.record(entry("http://a/1.html", new, at="2024-03-05T00:00:00.000+00:00"))
    latest = archive.latest_entries("gov")
    assert [(e.url, e.content_hash) for e in latest] == [("http://a/1.html", new), ("http://a/2.html", old)]
    assert len(archive.latest_entries()) == 3


def test_torn_last_line_is_skipped_and_does_not_swallow_the_next(tmp_path):
    archive = RawArchive(tmp_path)
    digest = archive.put(GBK_PAGE)
    archive.record(entry("http://a/1.html", digest))
    with archive.manifest.open("ab") as handle:  # a writer killed half-way through its line
        handle.write(b'{"url": "http://a/torn.html", "sour')
    assert [e.url for e in archive.entries()] == ["http://a/1.html"]
    assert archive.torn_lines == 1
    archive.record(entry("http://a/2.html", digest))
    assert [e.url for e in archive.entries()] == ["http://a/1.html", "http://a/2.html"]
    assert archive.torn_lines == 1


def test_kept_headers_is_a_lower_cased_subset():
    kept = kept_headers({"Content-Type": "text/html", "ETag": '"x"', "Set-Cookie": "secret=1", "Last-Modified": "d"})
    assert kept == {"content-type": "text/html", "etag": '"x"', "last-modified": "d"}
