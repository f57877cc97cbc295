"""Prefect flow: the daily crawl of every enabled source, one subflow each, side by side.

A source that fails (its own run Failed, with its alert) is recorded and the others still
run and load. The daily run ends Failed naming the failed sources when any failed, else
Completed; a source file that will not load is a failed source like any other.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from bulletins import settings

from bulletins.crawl import run
from flows.common import current_run_id, mark_run_crashed, publish_summary, recorded_run
from flows.crawl import crawl_source

FLOW = "daily-crawl"
TOTALS = ("requests", "new_links", "fetched", "not_modified", "errors", "rows_loaded", "quarantined")


@task(name="crawl-source-run", task_run_name="crawl-{name}", cache_policy=NO_CACHE)
def crawl_one(name: str, **kwargs: Any) -> dict[str, Any]:
    """One source's crawl as its own subflow run; its summary, a failed or crashed one's included."""
    run_state = crawl_source(name, return_state=True, **kwargs)
    data = run_state.result(raise_on_failure=False)
    if not isinstance(data, dict):  # crashed, or failed before it could summarise
        data = {"source": name, "status": "failed", "message": str(run_state.message)}
    return data


def crawl_each(names: list[str], **kwargs: Any) -> dict[str, dict[str, Any]]:
    """Crawl the sources side by side (the flow's task runner bounds how many at once).

    Each host keeps its own pace (the fetcher's per-host limiter); the crawls share this
    process's one DuckDB writer, each loading in its own short transactions.
    """
    futures = {name: crawl_one.submit(name, **kwargs) for name in names}
    return {name: settled(name, future) for name, future in futures.items()}


def settled(name: str, future: Any) -> dict[str, Any]:
    """A source's summary; a crawl task that itself failed (the Prefect API refused it) is a failed source."""
    data = future.result(raise_on_failure=False)
    if isinstance(data, dict):
        return data
    return {"source": name, "status": "failed", "message": f"crawl could not run: {data}"}


def daily_summary(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Totals over the sources plus each source's status and headline."""
    totals = {k: sum(int(r.get(k, 0) or 0) for r in results.values()) for k in TOTALS}
    failed = sorted(n for n, r in results.items() if r.get("status") == "failed")
    return {
        **totals,
        "sources": len(results),
        "failed_sources": failed,
        "by_source": {n: f"{r.get('status')}: {r.get('message')}" for n, r in results.items()},
    }


def headline(summary: dict[str, Any]) -> str:
    """The daily run in one line: the failed sources by name, or what was loaded."""
    failed = summary["failed_sources"]
    if failed:
        return f"{len(failed)} of {summary['sources']} sources failed: {', '.join(failed)}"
    return f"{summary['sources']} sources, {summary['fetched']} pages fetched, {summary['rows_loaded']} rows loaded"


@flow(
    name=FLOW, on_crashed=[mark_run_crashed], task_runner=ThreadPoolTaskRunner(max_workers=settings.crawl_concurrency())
)
def daily_crawl(
    sources: list[str] | None = None,
    base_url: str | None = None,
    db_path: str | None = None,
    archive_root: str | None = None,
    recheck_days: int = 0,
) -> State:
    """Crawl ``sources`` (default: every enabled source); the summary is the run's result."""
    names = sources or run.enabled_sources()
    with recorded_run(db_path, current_run_id(), FLOW, None, hold=False) as rec:  # each crawl opens it itself
        results = crawl_each(
            names, base_url=base_url, db_path=db_path, archive_root=archive_root, recheck_days=recheck_days
        )
        summary = daily_summary(results)
        rec.finish("failed" if summary["failed_sources"] else "completed", summary, headline(summary))
    get_run_logger().info("daily crawl: %s", summary)
    publish_summary("Daily crawl", "daily-crawl", summary)
    if summary["failed_sources"]:
        return Failed(message=headline(summary), data=summary)
    return Completed(message=headline(summary), data=summary)
