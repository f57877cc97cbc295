"""``bulletins demo``: the whole job against the bundled offline demo site.

Starts the demo site in this process on 127.0.0.1 (port 8765, a free one when taken, or
--port), runs the daily crawl of the demo sources with their base URL pointed at it, builds
the HTML report; `bulletins demo` (bulletins.cli.demo) prints where the warehouse and the
report are and what is in the warehouse, from the queries here. The flows report to PREFECT_API_URL when set, else to a Prefect server the demo
starts and stops itself once the server has recorded the run's events.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bulletins import settings
from flows.common import opened
from flows.local_server import prefect_server as local_prefect_server

# The demo sources: sources/demo_*.yaml, the three templates the demo site serves.
DEMO_PREFIX = "demo_"
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
