"""The flow-running subcommands: ``crawl``, ``reprocess``, ``report``.

Each checks its command line and the warehouse path first (a bad one is one line on stderr
and exit 2, before Prefect starts), runs its Prefect flow in this process (against
PREFECT_API_URL when set, else a local server), prints the summary, and exits 1 when the
run ended Failed, so cron and CI see it.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable

from bulletins.cli.common import offline_prefect, refuse, warehouse_problem


def add_crawl(sub: argparse._SubParsersAction) -> None:
    """``crawl [SOURCE] [--db FILE]``."""
    p = sub.add_parser("crawl", help="crawl one source, or every enabled source")
    p.add_argument("source", nargs="?", help="source name (a file sources/NAME.yaml); all enabled if omitted")
    p.add_argument("--db", help="DuckDB file")
    p.set_defaults(func=lambda args: crawl(args.source, args.db))


def add_reprocess(sub: argparse._SubParsersAction) -> None:
    """``reprocess [--source NAME] [--db FILE] [--workers N]``."""
    p = sub.add_parser("reprocess", help="parse, extract, validate and load again from the raw archive")
    p.add_argument("--source", help="only this source")
    p.add_argument("--db", help="DuckDB file")
    p.add_argument(
        "--workers",
        type=int,
        help="processes that parse and extract (default: BULLETINS_WORKERS, else the number of CPUs; 1: none)",
    )
    p.set_defaults(func=lambda args: reprocess(args.source, args.db, args.workers))


def add_report(sub: argparse._SubParsersAction) -> None:
    """``report --out PATH [--db FILE]``."""
    p = sub.add_parser("report", help="build the self-contained HTML report from the warehouse")
    p.add_argument("--out", required=True, help="HTML file to write")
    p.add_argument("--db", help="DuckDB file")
    p.set_defaults(func=lambda args: report(args.out, args.db))


def print_summary(title: str, summary: dict[str, Any]) -> None:
    """The run's summary as indented JSON on stdout."""
    print(f"{title}:")
    print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))


def run_flow(command: str, flow: Callable[..., Any], **kwargs: Any) -> int:
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


def crawl(source: str | None, db: str | None = None) -> int:
    """One source, or every enabled source."""
    from bulletins.crawl import run

    problem = warehouse_problem(db) or (run.source_problem(source) if source else None)
    if problem:
        return refuse("crawl", problem)
    if source:
        from flows.crawl import crawl_source

        return run_flow(f"crawl {source}", crawl_source, source=source, db_path=db)
    from flows.daily import daily_crawl

    return run_flow("crawl of every enabled source", daily_crawl, db_path=db)


def reprocess(source: str | None = None, db: str | None = None, workers: int | None = None) -> int:
    """Rebuild the warehouse's rows from the raw archive (one source, or all)."""
    from bulletins.crawl import run

    problem = warehouse_problem(db) or (run.source_problem(source) if source else None)
    if problem:
        return refuse("reprocess", problem)
    from flows.reprocess import reprocess as reprocess_flow

    return run_flow("reprocess", reprocess_flow, source=source, db_path=db, workers=workers)


def report(out: str, db: str | None = None) -> int:
    """Build the HTML report at ``out``; say where it is."""
    problem = warehouse_problem(db)
    if problem:
        return refuse("report", problem)
    from flows.report import build_report_flow

    try:
        path = build_report_flow(db_path=db, out_path=out)
    except Exception as exc:  # noqa: BLE001 - a CLI says why and exits non-zero
        print(f"report failed: {exc}", file=sys.stderr)
        return 1
    print(f"report written to {path}")
    return 0
