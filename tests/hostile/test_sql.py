"""Hostile queries: ``bulletins sql`` reads the warehouse and touches nothing else.

The warehouse is a real one, crawled from a real HTTP server on 127.0.0.1 by the real flow.
Each attack is one row of a table, run through the CLI in a subprocess: it must exit 1
with a reason, write no file, read no file, make no request, and leave the warehouse as
it was. Then the CSV contract: every row, a quiet closed pipe, and ``export`` as CSV.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from demo.httpd import Page, RouteServer
from flows.crawl import crawl_source
from tests.datadir import PROJECT_ROOT, DataDir
from tests.faults.conftest import FaultSite
from tests.hostile.content_support import good_article


def bulletins(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The CLI in a subprocess; output as text."""
    return subprocess.run(
        [sys.executable, "-m", "bulletins.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or PROJECT_ROOT,
        timeout=300,
    )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, prefect_harness):
    """A warehouse crawled once for the module from a site of eight articles, and its web server
    (still running, to watch for requests an attack might make)."""
    data = DataDir(tmp_path_factory.mktemp("sql-warehouse"))
    data.sources.mkdir()
    with pytest.MonkeyPatch.context() as env, RouteServer() as web:
        for var, path in (
            ("BULLETINS_DATA", data.root),
            ("BULLETINS_DB", data.db),
            ("BULLETINS_ARCHIVE", data.archive),
            ("BULLETINS_SOURCES", data.sources),
            ("BULLETINS_REPORTS", data.root / "reports"),
        ):
            env.setenv(var, str(path))
        s = FaultSite(web, data.sources, "sqlsite").publish({n: good_article(n) for n in range(1, 9)}).write_config()
        summary = crawl_source(s.name, **data.flow_kwargs())
        assert summary["fetched"] == 8 and summary["errors"] == 0
        web.route("/exfil/data.csv", Page(b"a,b\n1,2\n", content_type="text/csv"))
        yield data, web


# (name, query with {tmp} for the test's folder and {web} for the server, what stderr must say,
#  the file it must not have written)
ATTACKS = [
    ("copy to a python file", "COPY (SELECT 'import os') TO '{tmp}/evil.py' (FORMAT csv)", "read-only", "evil.py"),
    ("copy a table out", "COPY indicators TO '{tmp}/out.csv'", "read-only", "out.csv"),
    ("export the database", "EXPORT DATABASE '{tmp}/dump'", "read-only", "dump"),
    ("a second statement", "SELECT 1; COPY indicators TO '{tmp}/second.csv'", "one statement", "second.csv"),
    ("install an extension", "INSTALL httpfs", "read-only", None),
    ("load an extension", "LOAD httpfs", "read-only", None),
    ("read /etc/shadow", "SELECT * FROM read_text('/etc/shadow')", "disabled by configuration", None),
    ("read /etc/passwd as csv", "SELECT * FROM read_csv('/etc/passwd')", "disabled by configuration", None),
    ("read a blob", "SELECT * FROM read_blob('/etc/hostname')", "disabled by configuration", None),
    ("list files", "SELECT * FROM glob('/etc/*')", "disabled by configuration", None),
    ("a file as a table", "SELECT * FROM '{tmp}/secret.csv'", "", None),
    ("fetch a URL", "SELECT * FROM read_csv('{web}/exfil/data.csv')", "", None),
    ("attach another database", "ATTACH '{tmp}/other.duckdb' AS other", "read-only", "other.duckdb"),
    ("switch access back on", "SET enable_external_access = true", "read-only", None),
    ("unlock the configuration", "SET lock_configuration = false", "read-only", None),
    ("a pragma", "PRAGMA enable_profiling = 'json'", "read-only", None),
    ("delete rows", "DELETE FROM indicators", "read-only", None),
    ("create a table", "CREATE TABLE evil AS SELECT 1", "read-only", None),
    ("a macro that reads", "CREATE MACRO leak() AS TABLE SELECT * FROM read_text('/etc/shadow')", "read-only", None),
]


@pytest.mark.parametrize("name, query, says, written", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_an_attack_is_refused_and_touches_nothing(crawled, tmp_path, name, query, says, written):
    warehouse, web = crawled
    (tmp_path / "secret.csv").write_text("token,sesame-4711\n", encoding="utf-8")
    before = warehouse.scalar("SELECT count(*) FROM indicators")
    requests_before = len(web.requests)
    out = bulletins("sql", query.format(tmp=tmp_path, web=web.base_url), "--db", str(warehouse.db))
    assert out.returncode == 1, out.stdout
    assert out.stderr.startswith("query failed: ") and says in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and "sesame-4711" not in out.stdout + out.stderr
    if written:
        assert not (tmp_path / written).exists()
    assert len(web.requests) == requests_before  # no request reached the server
    assert warehouse.scalar("SELECT count(*) FROM indicators") == before
    assert not list(PROJECT_ROOT.glob("evil*"))


def test_allow_read_opens_one_folder_for_reading_only(crawled, tmp_path):
    warehouse, _ = crawled
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "targets.csv").write_text("metric,target\n地方收入,110\n", encoding="utf-8")
    (tmp_path / "private.csv").write_text("token,sesame-4711\n", encoding="utf-8")
    args = ("--db", str(warehouse.db), "--allow-read", str(shared), "--csv")
    ok = bulletins("sql", f"SELECT * FROM read_csv('{shared}/targets.csv')", *args)
    assert ok.returncode == 0 and ok.stdout.splitlines() == ["metric,target", "地方收入,110"], ok.stderr
    for query in (
        f"SELECT * FROM read_csv('{tmp_path}/private.csv')",
        f"SELECT * FROM read_csv('{shared}/../private.csv')",
        f"COPY (SELECT 1) TO '{shared}/written.csv'",
    ):
        out = bulletins("sql", query, *args)
        assert out.returncode == 1 and "sesame-4711" not in out.stdout, (query, out.stdout)
    assert not (shared / "written.csv").exists()


def test_csv_writes_every_row_of_a_real_warehouse(crawled):
    warehouse, _ = crawled
    rows = warehouse.scalar("SELECT count(*) FROM indicators")
    assert rows > 10
    pipeline = (
        f"{sys.executable} -m bulletins.cli sql --csv 'SELECT * FROM indicators' --db {warehouse.db} "
        f"--max-rows 3 | wc -l"
    )
    out = subprocess.run(["bash", "-c", pipeline], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert int(out.stdout.strip()) == rows + 1, out.stderr
    table = bulletins("sql", "SELECT * FROM indicators", "--db", str(warehouse.db), "--max-rows", "3")
    assert (
        table.stdout.splitlines()[-1]
        == "(3 rows shown; the result has more: raise --max-rows, or use --csv for every row)"
    )


def test_a_closed_pipe_ends_the_command_quietly(crawled, tmp_path):
    warehouse, _ = crawled
    err = tmp_path / "stderr.txt"
    pipeline = (
        f"set -o pipefail; {sys.executable} -m bulletins.cli sql --csv "
        f"'SELECT i, i * 2 AS j FROM range(2000000) t(i)' --db {warehouse.db} 2>{err} | head -2; "
        f"echo status=${{PIPESTATUS[0]}}"
    )
    out = subprocess.run(["bash", "-c", pipeline], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    lines = out.stdout.splitlines()
    assert lines[:2] == ["i,j", "0,0"]
    assert lines[-1] == "status=141"
    assert err.read_text() == ""  # no BrokenPipeError, no traceback


def test_export_writes_every_table_as_csv(crawled, tmp_path):
    warehouse, _ = crawled
    out = bulletins("export", "--out", str(tmp_path / "export"), "--db", str(warehouse.db), "--format", "both")
    assert out.returncode == 0, out.stderr
    tables = [
        t for (t,) in warehouse.rows("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'")
    ]
    for table in tables:
        with (tmp_path / "export" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            records = list(csv.reader(handle))
        assert len(records) == warehouse.scalar(f'SELECT count(*) FROM "{table}"') + 1, table
        assert (tmp_path / "export" / f"{table}.parquet").exists()
    indicators = list(csv.DictReader(io.StringIO((tmp_path / "export" / "indicators.csv").read_text("utf-8"))))
    assert {r["indicator_id"] for r in indicators} == {
        i for (i,) in warehouse.rows("SELECT indicator_id FROM indicators")
    }
