"""``demo`` (the whole job against the bundled offline demo site) and ``serve-demo`` (that site alone)."""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bulletins.cli.common import USAGE_ERROR, offline_prefect

# The demo site's three templates: its start page each, as serve-demo lists them.
DEMO_STARTS = (
    ("gov", "/gov/xxgk/dtxx/index.html"),
    ("epaper", "/epaper/html/index.htm"),
    ("portal", "/portal/channel/index.html"),
)


def add_demo(sub: argparse._SubParsersAction) -> None:
    """``demo [--db FILE] [--report FILE] [--port N]``."""
    p = sub.add_parser("demo", help="the main job against the bundled offline demo site")
    p.add_argument("--db", help="DuckDB file (default: $BULLETINS_DB or data/bulletins.duckdb)")
    p.add_argument("--report", help="where to write the HTML report")
    p.add_argument("--port", type=int, help="serve the demo site on this port (default 8765, a free one when taken)")
    p.set_defaults(func=lambda args: demo(args.db, args.report, args.port))


def add_serve_demo(sub: argparse._SubParsersAction) -> None:
    """``serve-demo [--port N] [--host ADDR]``."""
    p = sub.add_parser("serve-demo", help="serve the bundled demo site over HTTP")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--host", default="127.0.0.1")
    p.set_defaults(func=lambda args: serve_demo(args.port, args.host))


def demo(db: str | None = None, report: str | None = None, port: int | None = None) -> int:
    """Serve the demo site, crawl it, build the report; print where things are and what was loaded."""
    offline_prefect()
    from bulletins import settings
    from flows.demo import run_demo

    db_path = Path(db) if db else settings.db_path()
    report_path = Path(report) if report else settings.reports_dir() / "report.html"
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    try:
        summary = run_demo(db_path, report_path, port)
    except Exception as exc:  # noqa: BLE001 - the run rows say more; this says what failed
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    print_outcome(db_path, summary, started)
    return 0


def print_outcome(db_path: Path, summary: dict[str, Any], started: datetime) -> None:
    """Where things are, and a few counts."""
    from flows.demo import by_source, recorded_errors, warehouse_counts

    counts = warehouse_counts(db_path)
    print(f"warehouse: {db_path}")
    print(f"report:    {summary['report']}")
    print(
        f"this run:  {summary['requests']} requests, {summary['fetched']} pages fetched, "
        f"{summary['rows_loaded']} rows loaded, {summary['quarantined']} quarantined, {summary['errors']} errors"
    )
    if summary["fetched"] == 0 and summary["rows_loaded"] == 0:
        print("nothing new: every demo page is in the warehouse already, so no rows were loaded")
    print("in the warehouse: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    for source, documents, articles in by_source(db_path):
        print(f"  {source:<14} {documents:>4} pages {articles:>4} articles")
    for stage, where, error in recorded_errors(db_path, started):
        print(f"  {stage} error recorded: {where}: {error}")
    print(
        'try: .venv/bin/bulletins sql "SELECT month, kind, meetings FROM v_meetings_by_month ORDER BY month DESC LIMIT 10"'
    )


def serve_demo(port: int = 8765, host: str = "127.0.0.1") -> int:
    """Serve the demo site until interrupted, printing where its sites are."""
    from demo.server import start_demo_server

    try:
        base_url, handle = start_demo_server(port=port, host=host)
    except (OSError, ValueError) as exc:
        print(f"serve-demo: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return USAGE_ERROR
    print(f"demo site at {base_url}/ (robots.txt at {base_url}/robots.txt)")
    for name, start in DEMO_STARTS:
        print(f"  demo_{name:<7} {len(handle.site.visible(name)):>3} article pages  {base_url}{start}")
    print(f"crawl it with: bulletins check-source demo_gov --base-url {base_url}   (Ctrl-C stops)")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        handle.stop()
    return 0
