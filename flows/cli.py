"""The flow-running subcommands of ``bulletins``: crawl, reprocess; report and export live in flows/report.py.

Each runs its Prefect flow in this process (against PREFECT_API_URL when set, else
Prefect's temporary local server), prints the summary, and exits non-zero when the run
failed, so cron and CI see failures.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any


def offline_prefect() -> None:
    """Keep Prefect's local server from reporting usage to an outside service (unless told to)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def print_summary(title: str, summary: dict[str, Any]) -> None:
    """The run's summary as indented JSON on stdout."""
    print(f"{title}:")
    print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))


def crawl_cli(args: argparse.Namespace) -> int:
    """``bulletins crawl [SOURCE] [--db FILE]``: one source, or every enabled source."""
    offline_prefect()
    from flows.crawl import crawl_source
    from flows.local_server import prefect_server as local_prefect_server
    from flows.daily import daily_crawl

    db = getattr(args, "db", None)
    try:
        with local_prefect_server():
            if args.source:
                summary = crawl_source(args.source, db_path=db)
            else:
                summary = daily_crawl(db_path=db)
    except Exception as exc:  # noqa: BLE001 - the message is on the run row; say it here too
        print(f"crawl failed: {exc}", file=sys.stderr)
        return 1
    print_summary(f"crawl {args.source or 'of every enabled source'}", summary)
    return 0


def reprocess_cli(args: argparse.Namespace) -> int:
    """``bulletins reprocess [--source NAME] [--db FILE] [--workers N]``: rebuild from the raw archive."""
    offline_prefect()
    from flows.local_server import prefect_server as local_prefect_server
    from flows.reprocess import reprocess

    try:
        with local_prefect_server():
            summary = reprocess(source=getattr(args, "source", None), db_path=getattr(args, "db", None),
                                workers=getattr(args, "workers", None))
    except Exception as exc:  # noqa: BLE001
        print(f"reprocess failed: {exc}", file=sys.stderr)
        return 1
    print_summary("reprocess", summary)
    return 0


def report_cli(args: argparse.Namespace) -> int:
    """``bulletins report``: the build-report flow (flows/report.py)."""
    from flows.report import report_cli as run

    return run(args)


def export_cli(args: argparse.Namespace) -> int:
    """``bulletins export``: every table to Parquet (flows/report.py)."""
    from flows.report import export_cli as run

    return run(args)
