"""A fixed raw archive of the demo site, and a fingerprint of the warehouse rows reprocessed from it.

The archive holds every article page of the bundled demo site as the demo sources' base
URLs name it (port 8765), with fixed fetch times and headers: the same bytes, manifest and
keys on every machine, so a reprocess of it must give the same rows on every machine.
``fingerprint`` digests each table's rows (every column but ``run_id`` and ``loaded_at``,
rows sorted) so that two warehouses compare table by table, and a pinned fingerprint
(``warehouse_pin.json``) says whether a change to the flows changed a single row.

Re-pin (only when a change is *meant* to change rows, e.g. a new extraction rule):
    .venv/bin/python -m tests.pipeline.fixed_archive --pin
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import duckdb

from bulletins.crawl.archive import ManifestEntry, RawArchive
from demo.httpd import _http_date
from demo.site import DemoSite

PIN = Path(__file__).with_name("warehouse_pin.json")
BASE_URL = "http://127.0.0.1:8765"  # the demo sources' own base_url
FETCHED_AT = "2026-01-05T00:00:00.000+00:00"
TABLES = ("documents", "articles", "meetings", "meeting_participants", "indicators", "quarantine")
STAMPS = {"run_id", "loaded_at", "quarantined_at"}  # differ from run to run by design


def write_demo_archive(root: Path) -> int:
    """Archive every demo article page under ``root`` as a crawl of the demo site would; pages written."""
    archive = RawArchive(root)
    entries = DemoSite().visible()
    for entry in sorted(entries, key=lambda e: e.path):
        page = entry.page
        content_type = page.content_type + (f"; charset={page.charset_header}" if page.charset_header else "")
        headers = {"content-type": content_type, "etag": page.etag, "last-modified": _http_date(page.last_modified)}
        archive.record(
            ManifestEntry(
                url=BASE_URL + entry.path,
                source=f"demo_{entry.site}",
                content_hash=archive.put(page.body),
                fetched_at=FETCHED_AT,
                http_status=200,
                headers=headers,
                kind="article",
            )
        )
    return len(entries)


def fingerprint(db_path: Path, columns: dict[str, list[str]] | None = None) -> dict[str, dict[str, object]]:
    """Per table: the columns digested, its row count and the sha256 of its rows (rows sorted).

    ``columns`` (a pin's) digests those columns only, so that a column added since the pin
    (a new migration) does not count as a change; by default every column but the stamps.
    """
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        out = {}
        for table in TABLES:
            present = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if c not in STAMPS
            ]
            chosen = (columns or {}).get(table, present)
            rows = sorted(
                json.dumps(row, ensure_ascii=False, default=str)
                for row in con.execute(f"SELECT {', '.join(chosen)} FROM {table}").fetchall()
            )
            out[table] = {
                "columns": chosen,
                "rows": len(rows),
                "sha256": hashlib.sha256("\n".join(rows).encode()).hexdigest(),
            }
        return out
    finally:
        con.close()


def reprocess_into(tmp: Path, workers: int = 1) -> Path:
    """The fixed archive reprocessed (on ``workers`` processes) into a fresh warehouse under ``tmp``; its path."""
    from flows.reprocess import reprocess

    write_demo_archive(tmp / "archive")
    db = tmp / "bulletins.duckdb"
    summary = reprocess(db_path=str(db), archive_root=str(tmp / "archive"), workers=workers)
    assert summary["errors"] == 0, summary
    return db


if __name__ == "__main__" and sys.argv[1:] == ["--pin"]:
    import os
    import tempfile

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(BULLETINS_DATA=folder, BULLETINS_REPORTS=str(Path(folder) / "reports"))
        from prefect.testing.utilities import prefect_test_harness

        with prefect_test_harness(server_startup_timeout=120):
            pinned = fingerprint(reprocess_into(Path(folder)))
    PIN.write_text(json.dumps(pinned, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(pinned, indent=2))
