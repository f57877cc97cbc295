"""The flow-running subcommands of ``bulletins``: crawl, reprocess (report and export: flows/report.py).

Each checks its command line and the warehouse path first (a bad one is one line on stderr
and exit 2, before Prefect starts), runs its Prefect flow in this process (against
PREFECT_API_URL when set, else a local server), prints the summary, and exits 1 when the
run ended Failed, so cron and CI see it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from bulletins import settings

DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
USAGE_ERROR = 2


def offline_prefect() -> None:
    """Keep Prefect's local server from reporting usage to an outside service (unless told to)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def print_summary(title: str, summary: dict[str, Any]) -> None:
    """The run's summary as indented JSON on stdout."""
    print(f"{title}:")
    print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))


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


def refuse(command: str, problem: str) -> int:
    """Say why a command cannot run, in one line, and give the usage error's exit code."""
    print(f"{command}: {problem}", file=sys.stderr)
    return USAGE_ERROR


def run_flow(command: str, flow, **kwargs: Any) -> int:
    """Run a flow in this process; print its summary; 0 when it completed, 1 when it failed."""
    from flows.local_server import prefect_server

    offline_prefect()
    try:
        with prefect_server():
            state = flow(return_state=True, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the run row has the detail; this says it in one line
        print(f"{command} failed: {exc}", file=sys.stderr)
        return 1
    summary = state.result(raise_on_failure=False)
    if isinstance(summary, dict):
        print_summary(command, summary)
    if not state.is_completed():
        print(f"{command} failed: {state.message}", file=sys.stderr)
        return 1
    return 0


def crawl_cli(args: argparse.Namespace) -> int:
    """``bulletins crawl [SOURCE] [--db FILE]``: one source, or every enabled source."""
    from bulletins.crawl import run

    db = getattr(args, "db", None)
    problem = warehouse_problem(db) or (run.source_problem(args.source) if args.source else None)
    if problem:
        return refuse("crawl", problem)
    if args.source:
        from flows.crawl import crawl_source

        return run_flow(f"crawl {args.source}", crawl_source, source=args.source, db_path=db)
    from flows.daily import daily_crawl

    return run_flow("crawl of every enabled source", daily_crawl, db_path=db)


def reprocess_cli(args: argparse.Namespace) -> int:
    """``bulletins reprocess [--source NAME] [--db FILE] [--workers N]``: rebuild from the raw archive."""
    from bulletins.crawl import run

    source, db = getattr(args, "source", None), getattr(args, "db", None)
    problem = warehouse_problem(db) or (run.source_problem(source) if source else None)
    if problem:
        return refuse("reprocess", problem)
    from flows.reprocess import reprocess

    return run_flow("reprocess", reprocess, source=source, db_path=db, workers=getattr(args, "workers", None))
