"""Prefect flow: the daily crawl of every enabled source, one subflow each.

A source that fails is recorded and the others still run; the daily run's row and
artifact list each source's outcome. The run fails only when every source failed.
"""
from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger

from bulletins.crawl import run
from flows.common import current_run_id, mark_run_crashed, publish_summary, recorded_run
from flows.crawl import crawl_source

FLOW = "daily-crawl"
TOTALS = ("requests", "new_links", "fetched", "not_modified", "errors", "rows_loaded", "quarantined")


def crawl_each(names: list[str], **kwargs: Any) -> dict[str, dict[str, Any]]:
    """Run the crawl of each source in turn; a failure is kept as that source's result."""
    results = {}
    for name in names:
        run_state = crawl_source(name, return_state=True, **kwargs)
        if run_state.is_completed():
            results[name] = run_state.result()
        else:
            results[name] = {"source": name, "status": "failed", "message": str(run_state.message)}
    return results


def daily_summary(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Totals over the sources plus each source's status and headline."""
    totals = {k: sum(int(r.get(k, 0) or 0) for r in results.values()) for k in TOTALS}
    failed = sorted(n for n, r in results.items() if r.get("status") == "failed")
    return {**totals, "sources": len(results), "failed_sources": failed,
            "by_source": {n: f"{r.get('status')}: {r.get('message')}" for n, r in results.items()}}


@flow(name=FLOW, on_crashed=[mark_run_crashed])
def daily_crawl(sources: list[str] | None = None, base_url: str | None = None, db_path: str | None = None,
                archive_root: str | None = None, recheck_days: int = 0) -> dict[str, Any]:
    """Crawl ``sources`` (default: every enabled source) and return the summary."""
    names = sources or run.enabled_sources()
    with recorded_run(db_path, current_run_id(), FLOW, None, hold=False) as rec:  # each crawl opens it itself
        results = crawl_each(names, base_url=base_url, db_path=db_path, archive_root=archive_root,
                             recheck_days=recheck_days)
        summary = daily_summary(results)
        status = "failed" if names and len(summary["failed_sources"]) == len(names) else (
            "warning" if summary["failed_sources"] or summary["errors"] else "completed")
        rec.finish(status, summary, f"{len(names)} sources, {summary['fetched']} pages fetched, "
                   f"{summary['rows_loaded']} rows loaded, failed: {summary['failed_sources']}")
    get_run_logger().info("daily crawl: %s", summary)
    publish_summary("Daily crawl", "daily-crawl", summary)
    if status == "failed":
        raise RuntimeError(f"every source failed: {summary['by_source']}")
    return summary
