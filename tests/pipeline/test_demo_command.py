"""``bulletins demo`` as a new user runs it: a subprocess with its own data folder and port.

The command must end cleanly (exit 0, no traceback on stderr: its Prefect server is
stopped only after recording the run's events), say where the warehouse and the report
are, fill the warehouse from all three demo sites, and on a second run load nothing new
and say so.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.integration

PROJECT = Path(__file__).resolve().parents[2]
DEMO_SOURCES = {"demo_epaper", "demo_gov", "demo_portal"}


def free_port() -> int:
    """A port nothing listens on at the moment, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_demo(data: Path, port: int) -> subprocess.CompletedProcess:
    """``python -m bulletins.cli demo --port PORT`` with only BULLETINS_DATA saying where to write."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BULLETINS_", "PREFECT_API_URL"))}
    env["BULLETINS_DATA"] = str(data)
    return subprocess.run(
        [sys.executable, "-m", "bulletins.cli", "demo", "--port", str(port)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )


def printed_path(stdout: str, label: str) -> Path:
    """The path printed after ``label:`` on its own line."""
    match = re.search(rf"^{label}:\s+(\S+)$", stdout, re.M)
    assert match, stdout
    return Path(match.group(1))


def counts(db: Path) -> dict[str, int]:
    """Rows of the tables a new user looks at first, and documents per source."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "articles", "meetings", "meeting_participants", "indicators")
        }
        tables.update(con.execute("SELECT source, count(*) FROM documents GROUP BY source").fetchall())
        return tables
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory):
    """Two runs of the demo into one fresh data folder, on one free port."""
    data, port = tmp_path_factory.mktemp("demo_command"), free_port()
    return data, run_demo(data, port), run_demo(data, port)


def test_the_demo_ends_cleanly_and_fills_the_warehouse(demo_runs):
    data, first, _ = demo_runs
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Traceback" not in first.stderr and "Error flushing" not in first.stderr, first.stderr[-3000:]
    db, report = printed_path(first.stdout, "warehouse"), printed_path(first.stdout, "report")
    assert db == data / "bulletins.duckdb" and db.is_file()
    assert report.is_file() and report.stat().st_size > 0 and report.is_relative_to(data)
    found = counts(db)
    assert all(found[source] > 0 for source in DEMO_SOURCES), found
    assert found["meetings"] > 0 and found["meeting_participants"] > 0 and found["indicators"] > 0, found
    assert "nothing new" not in first.stdout


def test_a_second_demo_run_loads_nothing_new_and_says_so(demo_runs):
    data, first, second = demo_runs
    assert second.returncode == 0, second.stderr[-3000:]
    assert "Traceback" not in second.stderr, second.stderr[-3000:]
    assert "nothing new" in second.stdout
    assert re.search(r"^this run: .* 0 pages fetched, 0 rows loaded", second.stdout, re.M), second.stdout
    db = printed_path(second.stdout, "warehouse")
    assert db == printed_path(first.stdout, "warehouse")
    # Both runs print the warehouse's rows; the second found it as the first left it.
    assert in_warehouse(second.stdout) == in_warehouse(first.stdout)
    found = counts(db)
    assert {t: found[t] for t in in_warehouse(first.stdout) if t in found} == {
        t: n for t, n in in_warehouse(first.stdout).items() if t in found
    }


def in_warehouse(stdout: str) -> dict[str, int]:
    """The ``in the warehouse: 115 documents, 145 articles, ...`` line as {table: rows}."""
    line = re.search(r"^in the warehouse: (.+)$", stdout, re.M)
    assert line, stdout
    return {table: int(n) for n, table in re.findall(r"(\d+) (\w+)", line.group(1))}
