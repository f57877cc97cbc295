"""`bulletins sql`: a read-only query on the warehouse, as a table or CSV; a bad query exits 1."""

import csv
import io
import subprocess
import sys

from warehouse.db import connect
from warehouse.publish import publish


def _bulletins(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bulletins.cli", *args], capture_output=True, text=True, encoding="utf-8", timeout=120
    )


def _warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    con = connect(db)
    con.execute(
        "INSERT INTO runs (run_id, flow, started_at, status) VALUES "
        "('r1', 'crawl-source', TIMESTAMP '2024-03-01 06:30:00', 'completed'), "
        "('r2', 'daily-crawl', TIMESTAMP '2024-03-02 06:30:00', 'warning')"
    )
    publish(con)  # what analysts (and `bulletins sql`) read is the published copy
    con.close()
    return db


def test_query_prints_an_aligned_table(tmp_path):
    db = _warehouse(tmp_path)
    out = _bulletins("sql", "SELECT run_id, status FROM runs ORDER BY run_id", "--db", str(db))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["run_id", "status"]
    assert lines[2].split() == ["r1", "completed"] and lines[3].split() == ["r2", "warning"]
    assert lines[-1] == "(2 rows)"


def test_csv_writes_every_row_and_the_row_cap_is_the_table_views(tmp_path):
    db = _warehouse(tmp_path)
    out = _bulletins("sql", "SELECT run_id FROM runs ORDER BY run_id", "--db", str(db), "--csv", "--max-rows", "1")
    assert list(csv.reader(io.StringIO(out.stdout))) == [["run_id"], ["r1"], ["r2"]]
    table = _bulletins("sql", "SELECT run_id FROM runs ORDER BY run_id", "--db", str(db), "--max-rows", "1")
    assert "r1" in table.stdout and "r2" not in table.stdout
    assert table.stdout.splitlines()[-1].startswith("(1 rows shown; the result has more")


def test_the_connection_is_read_only_and_errors_are_said(tmp_path):
    db = _warehouse(tmp_path)
    out = _bulletins("sql", "DELETE FROM runs", "--db", str(db))
    assert out.returncode == 1 and "query failed" in out.stderr and "read-only" in out.stderr.lower()
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 2
    con.close()
