"""The one gate-and-load step and the run bookkeeping, on a real GX gate and a real DuckDB file."""

from __future__ import annotations

from functools import partial

import duckdb
import pytest

from bulletins.pipeline.ledger import RunLedger, gate_and_load
from bulletins.pipeline.stage import StagedPage
from expectations.gate import validate_batch
from flows.common import recorded_run
from flows.reprocess import load_with
from tests.quality.batches import good_batch


def staged(ledger: RunLedger, batch) -> None:
    """Stage a batch's rows on the ledger, one page per document, as page processing does."""
    for doc in batch["documents"].to_dict("records"):
        page = StagedPage()
        for table, frame in batch.items():
            key = "document_id" if "document_id" in frame.columns else "meeting_id"
            if key == "document_id":
                rows = frame[frame.document_id == doc["document_id"]]
            else:
                rows = frame[frame.meeting_id.str.startswith(doc["document_id"])]
            page.rows[table] = rows.to_dict("records")
        ledger.stage(doc["url"], page)


def test_a_batch_is_gated_loaded_and_recorded_on_the_ledger(warehouse, quality_dirs):
    ledger = RunLedger("run-gl", "hengyang")
    staged(ledger, good_batch({"hengyang": 3}))
    gate = partial(validate_batch, run_id=ledger.run_id, build_docs=False)
    gate_and_load(ledger, gate, load_with(warehouse, ledger.run_id), pages=2)
    assert len(ledger.pages) == 1 and ledger.loaded["documents"] == 2 and ledger.counts["staged_documents"] == 2
    gate_and_load(ledger, gate, load_with(warehouse, ledger.run_id))
    assert ledger.pages == [] and ledger.loaded["documents"] == 3 and ledger.quarantined == 0
    assert warehouse.execute("SELECT count(*) FROM documents WHERE run_id = 'run-gl'").fetchone() == (3,)
    assert len(ledger.gate_summaries) == 2 and ledger.gate_summary()["success"]


def test_a_batch_that_fails_to_load_leaves_each_page_failed(tmp_path, quality_dirs):
    ledger = RunLedger("run-ro", "hengyang")
    staged(ledger, good_batch({"hengyang": 2}))
    from warehouse.db import connect

    connect(tmp_path / "w.duckdb").close()  # migrated, then opened read-only: the load is refused
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        with pytest.raises(duckdb.Error):
            gate_and_load(ledger, partial(validate_batch, run_id="run-ro", build_docs=False), load_with(con, "run-ro"))
    finally:
        con.close()
    assert [e["stage"] for e in ledger.errors] == ["load", "load"]
    assert {o["state"] for o in ledger.outcomes} == {"failed"} and len(ledger.outcomes) == 2


def test_recorded_run_finishes_its_row_and_marks_earlier_abandoned_runs(tmp_path):
    db = str(tmp_path / "w.duckdb")
    with pytest.raises(RuntimeError), recorded_run(db, "r1", "crawl-source", "s"):
        raise RuntimeError("the disk is full")
    with recorded_run(db, "r2", "crawl-source", "s") as rec:
        with rec.attempt():
            raise OSError("no route to host")
        rec.finish("failed", {"n": 1}, rec.stopped)
    con = duckdb.connect(db, read_only=True)  # the analysts' copy: each finished run is published to it
    rows = con.execute("SELECT run_id, status, message FROM runs ORDER BY run_id").fetchall()
    con.close()
    assert rows[0][:2] == ("r1", "failed") and rows[0][2].startswith("RuntimeError: the disk is full")
    assert rows[1][:2] == ("r2", "failed") and rows[1][2].startswith("OSError: no route to host")
