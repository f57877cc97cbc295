"""A loader killed (SIGKILL) in the middle of a load, then run again: every row once, no partial batch.

The merge flow (flows/merge.py ``merge_batches_flow``: the one writer that loads the
Parquet batches workers leave) runs in a subprocess on a large batch (300,000 indicator
rows take DuckDB a second or more to load). Its progress line "merging chunk-…" is printed
just before the batch's transaction begins; the test kills the process a moment after
that line, while the transaction is open. Afterwards the file must open, hold none of
the half-loaded batch, show the killed run as still 'running'; the next run marks it
'crashed' and loads every row exactly once.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.faults.conftest import python_subprocess
from warehouse.merge import pending_batches, write_batch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from load_bench import batch_of

BIG, SMALL = 300_000, 2_000
MERGE = "from flows.merge import merge_batches_flow; merge_batches_flow(batch_dir={batch!r}, db_path={db!r})"


def wait_for_line(proc, marker: str, limit: float = 180.0) -> str:
    """Read the subprocess's output until a line containing ``marker``; the lines read."""
    seen, deadline = [], time.monotonic() + limit
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if marker in line:
            return "".join(seen)
    proc.kill()
    raise AssertionError(f"never saw {marker!r}:\n" + "".join(seen[-40:]))


@pytest.fixture
def batches(tmp_path):
    """A folder with a small batch first and a big one after it."""
    folder = tmp_path / "batches"
    small, big = batch_of(SMALL), batch_of(BIG)
    # Distinct documents in each batch: the big batch's ids are shifted past the small one's.
    for frame in big.values():
        for column in ("document_id", "article_id", "indicator_id"):
            if column in frame.columns:
                frame[column] = "b" + frame[column].astype(str)
        if "url" in frame.columns:
            frame["url"] = frame["url"].str.replace("/a/", "/b/")
    write_batch(folder, "chunk-00000", small)
    write_batch(folder, "chunk-00001", big)
    return folder


def test_a_load_killed_mid_transaction_leaves_whole_batches_and_the_rerun_loads_every_row_once(warehouse, batches):
    proc = python_subprocess(MERGE.format(batch=str(batches), db=str(warehouse.db)), warehouse.env())
    try:
        wait_for_line(proc, "merging chunk-00001")  # the big batch's transaction is beginning
        time.sleep(0.3)
        assert proc.poll() is None, "the load finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL

    # The file opens; the small batch committed before the kill is whole; of the big one, nothing.
    assert warehouse.scalar("SELECT count(*) FROM indicators WHERE document_id NOT LIKE 'b%'") == SMALL
    assert warehouse.scalar("SELECT count(*) FROM indicators WHERE document_id LIKE 'b%'") == 0
    assert warehouse.scalar("SELECT count(*) FROM documents WHERE document_id LIKE 'b%'") == 0
    [(killed_run, status)] = warehouse.rows("SELECT run_id, status FROM runs WHERE flow = 'merge-batches'")
    assert status == "running"
    assert [p.name for p in pending_batches(batches)] == ["chunk-00001"]

    from flows.merge import merge_batches_flow

    summary = merge_batches_flow(batch_dir=str(batches), db_path=str(warehouse.db))
    assert summary["batches"] == 1 and summary["loaded"]["indicators"] == BIG
    assert warehouse.rows("SELECT status, message FROM runs WHERE run_id = ?", [killed_run]) == [
        ("crashed", "found still running when the next run started")
    ]
    assert warehouse.scalar("SELECT count(*) FROM indicators") == SMALL + BIG
    assert warehouse.scalar("SELECT count(DISTINCT indicator_id) FROM indicators") == SMALL + BIG
    assert warehouse.scalar("SELECT count(*) FROM documents") == (SMALL + BIG) // 20
    assert warehouse.rows("SELECT status FROM runs WHERE flow = 'merge-batches' AND run_id <> ?", [killed_run]) == [
        ("completed",)
    ]


def test_merging_the_same_batches_again_changes_nothing(warehouse, tmp_path):
    folder = tmp_path / "batches"
    write_batch(folder, "chunk-00000", batch_of(SMALL))
    from flows.merge import merge_batches_flow

    merge_batches_flow(batch_dir=str(folder), db_path=str(warehouse.db))
    before = warehouse.rows("SELECT indicator_id, value FROM indicators ORDER BY 1")
    for merged in folder.iterdir():  # an operator puts the merged batch back
        merged.rename(merged.with_name(merged.name.removesuffix(".merged")))
    again = merge_batches_flow(batch_dir=str(folder), db_path=str(warehouse.db))
    assert again["loaded"]["indicators"] == SMALL
    assert warehouse.rows("SELECT indicator_id, value FROM indicators ORDER BY 1") == before
