"""Reprocessing on several processes builds the same warehouse as reprocessing in one.

One raw archive of pages generated from the demo templates (all three sites) is
reprocessed into fresh DuckDB files: by flows/reprocess.py in one process, by the same
flow with two worker processes staging chunks (bulletins.pipeline.pool), and by
flows/fanout.py with chunks staged on two Dask worker processes into Parquet batches
merged by one loader. Every table's rows (without run_id / loaded_at) must be equal.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from _generate import fill_archive

PAGES = 40
TABLES = {
    "documents": "document_id, source, url, content_hash, encoding, title, published_date, text, parser_version",
    "articles": "article_id, document_id, position, title, byline, outlet, published_date, body, is_fragment",
    "meetings": "meeting_id, article_id, name, kind, start_date, end_date, format, evidence",
    "meeting_participants": "meeting_id, position, person, title, role",
    "indicators": "indicator_id, metric, measure, value, unit, period, period_start, rank, rank_scope, target, evidence",
    "quarantine": "table_name, row_key, expectation, reason",
}


def table_rows(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows (the compared columns), sorted."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(con.execute(f"SELECT {cols} FROM {t}").fetchall(), key=repr) for t, cols in TABLES.items()}
    finally:
        con.close()


@pytest.fixture
def archive(tmp_path, monkeypatch):
    """A raw archive of PAGES generated pages; the demo sources are the committed ones."""
    monkeypatch.delenv("BULLETINS_SOURCES", raising=False)
    monkeypatch.setenv("BULLETINS_REPORTS", str(tmp_path / "reports"))
    counts = fill_archive(tmp_path / "archive", PAGES)
    assert set(counts) == {"demo_gov", "demo_epaper", "demo_portal"}
    return tmp_path / "archive"


def test_fanout_on_two_dask_workers_equals_the_single_process_reprocess(archive, tmp_path):
    from flows.fanout import reprocess_fanout
    from flows.reprocess import reprocess

    single = reprocess(db_path=str(tmp_path / "single.duckdb"), archive_root=str(archive), workers=1)
    fanned = reprocess_fanout(
        db_path=str(tmp_path / "fanout.duckdb"),
        archive_root=str(archive),
        workers=2,
        chunk_size=8,
        batch_dir=str(tmp_path / "batches"),
    )
    assert fanned["chunks"] > 3 and fanned["batches"] == fanned["chunks"]
    assert fanned["pages"] == single["pages"] == PAGES
    assert fanned["loaded"] == single["loaded"] and fanned["rows_loaded"] > PAGES
    expected, got = table_rows(tmp_path / "single.duckdb"), table_rows(tmp_path / "fanout.duckdb")
    for table in TABLES:
        assert got[table] == expected[table], table
    # The batches the workers left were all merged, and the run is recorded.
    run_dir = next((tmp_path / "batches").iterdir())
    assert sorted(p.name.endswith(".merged") for p in run_dir.iterdir()) == [True] * fanned["batches"]
    con = duckdb.connect(str(tmp_path / "fanout.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT flow, status FROM runs").fetchall() == [("reprocess-fanout", "completed")]
    finally:
        con.close()


def test_reprocess_on_two_worker_processes_equals_the_single_process_reprocess(archive, tmp_path, monkeypatch):
    from flows import reprocess as flow

    monkeypatch.setattr(flow, "CHUNK_PAGES", 3)  # many chunks, several per source and per worker
    monkeypatch.setattr(flow, "BATCH_PAGES", 7)  # several batches, cut across chunks
    single = flow.reprocess(db_path=str(tmp_path / "single.duckdb"), archive_root=str(archive), workers=1)
    pooled = flow.reprocess(db_path=str(tmp_path / "pooled.duckdb"), archive_root=str(archive), workers=2)
    assert pooled["status"] == single["status"] == "completed"
    assert pooled["pages"] == single["pages"] == PAGES
    assert pooled["loaded"] == single["loaded"] and pooled["rows_loaded"] > PAGES
    expected, got = table_rows(tmp_path / "single.duckdb"), table_rows(tmp_path / "pooled.duckdb")
    for table in TABLES:
        assert got[table] == expected[table], table
