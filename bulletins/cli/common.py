"""What several subcommands share: the usage error, the warehouse check, a closed pipe, offline Prefect."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bulletins import settings

USAGE_ERROR = 2  # the command line or what it names cannot be used (argparse's own code)
BROKEN_PIPE = 141  # the reader closed the pipe (``| head``), as a shell reports it
DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


def refuse(command: str, problem: str) -> int:
    """Say why a command cannot run, in one line on stderr, and give the usage error's exit code."""
    print(f"{command}: {problem}", file=sys.stderr)
    return USAGE_ERROR


def warehouse_problem(db: str | None, write: bool = True) -> str | None:
    """Why the warehouse file cannot be used (a directory, not DuckDB, read-only), in one line; else None."""
    path = Path(db) if db else settings.db_path()
    if path.is_dir():
        return f"{path} is a directory, not a DuckDB file (set BULLETINS_DB or --db to a file)"
    if path.exists():
        with path.open("rb") as handle:
            head = handle.read(12)
        if path.stat().st_size and head[8:12] != DUCKDB_MAGIC:
            return f"{path} is not a DuckDB database file (it was left as it is)"
    from warehouse.db import write_problem

    return write_problem(path) if write else None  # a read-only mount or file, tried for real


def quiet_broken_pipe() -> int:
    """After the reader closed the pipe: stdout to /dev/null (the final flush cannot raise), status 141."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return BROKEN_PIPE


def offline_prefect() -> None:
    """Keep Prefect's local server from reporting usage to an outside service (unless told to)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
