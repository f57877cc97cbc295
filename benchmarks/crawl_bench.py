"""Benchmark: crawl a 2,000-page local site at the configured politeness, then the daily run with nothing new.

A demo server on 127.0.0.1 publishes ``--pages`` CMS article pages generated from the demo
templates (benchmarks/_generate.py) with their numbered list pages (12 links each). The
source is sources/demo_gov.yaml as committed (its politeness: 50 requests/s per host)
with only ``list.max_pages`` raised so discovery can walk every list page. Printed: the
first crawl (requests, seconds, pages/s, rows loaded), then a daily run over the same
site with nothing new (requests, seconds): discovery stops at the first known link.

    .venv/bin/python benchmarks/crawl_bench.py --pages 2000
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def write_source(folder: Path, pages: int) -> str:
    """sources/demo_gov.yaml with max_pages raised to cover every list page; the source name."""
    text = (ROOT / "sources" / "demo_gov.yaml").read_text(encoding="utf-8")
    text = re.sub(r"max_pages: \d+", f"max_pages: {pages // 12 + 2}", text)
    (folder / "demo_gov.yaml").write_text(text, encoding="utf-8")
    return "demo_gov"


def timed_run(label: str, fn, server) -> dict:
    """Run one crawl; print requests served, seconds and what it loaded."""
    server.clear_log()
    started = time.perf_counter()
    summary = fn()
    seconds = time.perf_counter() - started
    served = len(server.requests)
    print(
        f"{label:<28} {served:>6} requests {seconds:>8.1f} s  {served / seconds:>6.1f} req/s  "
        f"fetched {summary['fetched']:>5}  not modified {summary['not_modified']:>4}  "
        f"rows loaded {summary['rows_loaded']:>6}  errors {summary['errors']}",
        flush=True,
    )
    return summary


def main() -> int:
    """Serve the site, crawl it, crawl it again with nothing new."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    from _generate import serve_site

    folder = Path(tempfile.mkdtemp(prefix="crawl-bench-"))
    (folder / "sources").mkdir()
    os.environ.update(BULLETINS_SOURCES=str(folder / "sources"), BULLETINS_REPORTS=str(folder / "reports"))
    name = write_source(folder / "sources", args.pages)
    base_url, handle = serve_site(args.pages)
    try:
        from flows.crawl import crawl_source
        from flows.daily import daily_crawl

        kwargs = {"base_url": base_url, "db_path": str(folder / "w.duckdb"), "archive_root": str(folder / "archive")}
        print(
            f"site: {len(handle.site.visible())} article pages at {base_url}; politeness of {name}.yaml; "
            f"cpus={os.cpu_count()}"
        )
        timed_run(f"first crawl ({args.pages} pages)", lambda: crawl_source(name, **kwargs), handle.server)
        try:
            timed_run("daily run, nothing new", lambda: daily_crawl(sources=[name], **kwargs), handle.server)
        except Exception as exc:  # noqa: BLE001 - the local Prefect server (SQLite) can be briefly overloaded
            print(f"daily run failed ({type(exc).__name__}: {str(exc)[:120]}); retrying once in 15 s", flush=True)
            time.sleep(15)
            timed_run("daily run, nothing new", lambda: daily_crawl(sources=[name], **kwargs), handle.server)
    finally:
        handle.stop()
    print(f"warehouse and archive left in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
