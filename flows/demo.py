"""``bulletins demo``: the whole job against the bundled offline demo site.

Starts the demo site in this process on 127.0.0.1 (port 8765, a free one when taken, or
--port), runs the daily crawl of the demo sources with their base URL pointed at it, builds
the HTML report, and prints where the warehouse and the report are and what is in the
warehouse. The flows report to PREFECT_API_URL when set, else to a Prefect server the demo
starts and stops itself once the server has recorded the run's events.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bulletins import settings
from flows.common import opened
from flows.local_server import prefect_server as local_prefect_server

# The demo sources: sources/demo_*.yaml, the three templates the demo site serves.
DEMO_PREFIX = "demo_"
# Prefect's local server reports usage to an outside service by default; the demo is offline.
OFFLINE_ENV = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
# The port the demo sources' base_url names. Documents are keyed by URL, so serving on the
# same port every time lets a second `make demo` find nothing new instead of a second copy.
DEMO_PORT = 8765
COUNTED_TABLES = ("documents", "articles", "meetings", "meeting_participants", "indicators", "quarantine")


def demo_sources() -> list[str]:
    """Names of the demo sources in the sources folder."""
    return sorted(p.stem for p in settings.sources_dir().glob(f"{DEMO_PREFIX}*.yaml"))


def warehouse_counts(db_path: Path) -> dict[str, int]:
    """Rows per table in the warehouse."""
    with opened(db_path) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in COUNTED_TABLES}


def by_source(db_path: Path) -> list[tuple[str, int, int]]:
    """(source, documents, articles) per source."""
    with opened(db_path) as con:
        return con.execute(
            "SELECT d.source, count(DISTINCT d.document_id), count(a.article_id) FROM documents d "
            "LEFT JOIN articles a USING (document_id) GROUP BY d.source ORDER BY d.source"
        ).fetchall()


def recorded_errors(db_path: Path, since: datetime, limit: int = 5) -> list[tuple[str, str, str]]:
    """Crawl errors recorded since ``since`` (naive UTC), latest first: (stage, url, error)."""
    with opened(db_path) as con:
        return con.execute(
            "SELECT stage, coalesce(url, source), error FROM crawl_errors WHERE occurred_at >= ? "
            "ORDER BY occurred_at DESC LIMIT ?",
            [since, limit],
        ).fetchall()


def build_report(db_path: Path, out: Path) -> Path:
    """The self-contained HTML report of the warehouse (the build-report flow, flows/report.py)."""
    from flows.report import build_report_flow

    return Path(build_report_flow(db_path=str(db_path), out_path=str(out)))


def start_site_default():
    """The demo site on DEMO_PORT, or on a free port when that one is taken."""
    from demo.server import start_demo_server

    try:
        return start_demo_server(port=DEMO_PORT)
    except OSError:
        base_url, handle = start_demo_server(port=0)
        print(
            f"port {DEMO_PORT} is taken: serving the demo site at {base_url}; its pages get new URLs, "
            f"so this warehouse will hold them beside those of earlier demo runs",
            file=sys.stderr,
        )
        return base_url, handle


def start_site(port: int | None = None):
    """The demo site on ``port`` when given, else as start_site_default does."""
    if port is None:
        return start_site_default()
    from demo.server import start_demo_server

    return start_demo_server(port=port)


def run_demo(db_path: Path, report_path: Path, port: int | None = None) -> dict[str, Any]:
    """Serve the demo site, crawl it, build the report; return the daily crawl's summary."""
    from flows.daily import daily_crawl

    with local_prefect_server():
        base_url, handle = start_site(port)
        try:
            summary = daily_crawl(sources=demo_sources(), base_url=base_url, db_path=str(db_path))
        finally:
            handle.stop()
        summary["report"] = str(build_report(db_path, report_path))
    return summary


def print_outcome(db_path: Path, summary: dict[str, Any], started: datetime) -> None:
    """Where things are, and a few counts."""
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


def run_demo_cli(args: argparse.Namespace) -> int:
    """``bulletins demo [--db FILE] [--report FILE] [--port N]``."""
    for name, value in OFFLINE_ENV.items():
        os.environ.setdefault(name, value)
    db_path = Path(args.db) if getattr(args, "db", None) else settings.db_path()
    report_path = Path(args.report) if getattr(args, "report", None) else settings.reports_dir() / "report.html"
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    try:
        summary = run_demo(db_path, report_path, getattr(args, "port", None))
    except Exception as exc:  # noqa: BLE001 - the run rows say more; this says what failed
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    print_outcome(db_path, summary, started)
    return 0
