"""The analysts' copy: published whole and atomically, a held reader keeps its state, old files kept."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from warehouse.db import connect
from warehouse.publish import publish, published_path, working_path


def count(path, sql="SELECT count(*) FROM runs") -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_working_and_published_names_pair_up(tmp_path):
    analysts = tmp_path / "bulletins.duckdb"
    assert working_path(analysts) == tmp_path / "bulletins.pipeline.duckdb"
    assert published_path(working_path(analysts)) == analysts
    assert published_path(analysts) is None  # a file that is no working copy publishes nothing


def test_a_new_warehouse_is_published_at_once_and_writes_reach_readers_on_publish(tmp_path):
    analysts = tmp_path / "w.duckdb"
    con = connect(analysts)
    assert count(analysts) == 0  # migrated and published on first open: analysts can connect
    con.execute("INSERT INTO runs (run_id, flow, started_at, status) VALUES ('r1', 'f', now(), 'running')")
    assert count(analysts) == 0  # not yet published
    done = publish(con)
    assert done.path == analysts and done.size == analysts.stat().st_size
    assert count(analysts) == 1
    con.close()


def test_a_held_reader_keeps_its_state_while_a_new_copy_is_published(tmp_path):
    analysts = tmp_path / "w.duckdb"
    con = connect(analysts)
    held = duckdb.connect(str(analysts), read_only=True)  # never blocks the writer
    con.execute("INSERT INTO runs (run_id, flow, started_at, status) VALUES ('r1', 'f', now(), 'running')")
    publish(con)
    assert held.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
    # Another process sees the new copy. (Within this process DuckDB would hand a new connect
    # the instance `held` keeps open, the old copy: a notebook closes all, then reconnects.)
    fresh = subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; print(duckdb.connect(sys.argv[1], "
            "read_only=True).execute('SELECT count(*) FROM runs').fetchone()[0])",
            str(analysts),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert fresh.stdout.strip() == "1"
    held.close()
    con.close()


def test_a_single_file_warehouse_of_before_keeps_its_rows(tmp_path):
    analysts = tmp_path / "old.duckdb"
    con = duckdb.connect(str(analysts))
    con.execute("CREATE TABLE legacy AS SELECT 42 AS answer")
    con.close()
    con = connect(analysts)  # seeds the working file from the analysts' file, then migrates
    assert con.execute("SELECT answer FROM legacy").fetchone() == (42,)
    con.close()
    assert working_path(analysts).exists()
    assert count(analysts, "SELECT answer FROM legacy") == 42


def test_reading_a_warehouse_that_was_never_published_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no warehouse at"):
        connect(tmp_path / "none.duckdb", read_only=True)


def test_publishing_keeps_the_writers_lock(tmp_path):
    # POSIX locks vanish when a process closes any descriptor of the file: publishing must
    # not let a second writer in while the first still holds the working file.
    analysts = tmp_path / "w.duckdb"
    con = connect(analysts)
    publish(con)
    other = subprocess.run(
        [sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1])", str(working_path(analysts))],
        capture_output=True,
        text=True,
    )
    assert other.returncode != 0 and "lock" in other.stderr.lower()
    con.close()


def test_a_finished_run_is_published_unless_its_daily_run_holds_the_rows(tmp_path):
    """A daily run's sources end together: their rows wait for the daily's own end, one copy for all."""
    from warehouse import state

    analysts = tmp_path / "w.duckdb"
    con = connect(analysts)
    for run_id in ("alone", "in-daily", "daily"):
        state.start_run(con, run_id, "crawl-source", run_id)
    state.finish_run(con, "alone", "completed")
    finished = "SELECT count(*) FROM runs WHERE status = 'completed'"
    assert count(analysts, finished) == 1
    with state.run_rows_held():
        state.finish_run(con, "in-daily", "completed")
        assert count(analysts, finished) == 1  # committed, not yet published
    assert con.execute(finished).fetchone()[0] == 2  # the pipeline's own file has it
    state.finish_run(con, "daily", "completed")  # the daily's end: every row reaches the analysts
    assert count(analysts, finished) == 3
    con.close()
