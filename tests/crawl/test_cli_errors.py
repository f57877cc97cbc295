"""Bad command lines and warehouse paths: one line on stderr, exit 2, no traceback, nothing touched.

Each runs the real ``bulletins`` console script in a fresh process; none gets as far as
starting Prefect (the checks come first), so each takes about a second.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration  # a process each: too slow for `make check`

BULLETINS = str(Path(sys.executable).with_name("bulletins"))


def bulletins(args: list[str], tmp_path: Path, db: Path) -> subprocess.CompletedProcess:
    """Run ``bulletins ARGS`` with the warehouse at ``db``."""
    env = dict(os.environ, BULLETINS_DATA=str(tmp_path), BULLETINS_DB=str(db), BULLETINS_ARCHIVE=str(tmp_path / "a"))
    return subprocess.run(
        [BULLETINS, *args], env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


def not_duckdb(tmp_path: Path) -> Path:
    """A file that is not a DuckDB database."""
    path = tmp_path / "notes.duckdb"
    path.write_bytes(b"these are my notes, not a warehouse\n" * 4)
    return path


CASES = [
    (["crawl", "nosuch"], lambda t: t / "w.duckdb", "crawl: ", "nosuch.yaml: no such source file"),
    (["reprocess", "--source", "nosuch"], lambda t: t / "w.duckdb", "reprocess: ", "no such source file"),
    (["crawl", "demo_gov"], lambda t: t, "crawl: ", "is a directory, not a DuckDB file"),
    (["crawl"], not_duckdb, "crawl: ", "is not a DuckDB database file"),
    (["export", "--out", "parquet"], not_duckdb, "export: ", "is not a DuckDB database file"),
    (["report", "--out", "r.html"], lambda t: t, "report: ", "is a directory"),
]


@pytest.mark.parametrize("args,db,starts,says", CASES, ids=[" ".join(c[0]) + " " + c[3][:20] for c in CASES])
def test_a_bad_command_line_is_one_line_and_exit_2(tmp_path, args, db, starts, says):
    target = db(tmp_path)
    before = target.read_bytes() if target.is_file() else None
    done = bulletins(args, tmp_path, target)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(starts) and says in lines[0], done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert (target.read_bytes() if target.is_file() else None) == before  # nothing damaged
    assert not (tmp_path / "w.duckdb").exists()  # nothing created
