"""Prefect flow: the daily crawl of every enabled source, one task run each, side by side.

A source that fails (its own run Failed, with its alert) is recorded and the others still
run and load. The daily run ends Failed naming the failed sources when any failed, else
Completed; a source file that will not load is a failed source like any other.

What runs side by side, and what bounds it: each source's crawl is a task on the flow's
thread pool (``SourcesTaskRunner``, ``BULLETINS_CRAWL_CONCURRENCY`` threads, sized to
sources not CPUs: a crawl mostly waits on its host's politeness). Each host keeps its own
pace. When a source has staged its pages it hands them to the run's one writer
(``flows.writer``), which gates whatever batches are queued in one pass of the GX suites,
loads them in one short transaction, then publishes the analysts' copy once; Data Docs are
built once, when every source has its answer (beside the writer's last publication).
"""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from bulletins import settings
from bulletins.crawl import run
from bulletins.pipeline.stager import shared_pool
from flows.common import current_run_id, mark_run_crashed, recorded_run
from flows.crawl import crawl_run
from flows.report import publish_summary
from flows.writer import SHARED_WRITER, docs_beside, shared_writer
from warehouse import state

FLOW = "daily-crawl"
TOTALS = ("requests", "new_links", "fetched", "not_modified", "errors", "rows_loaded", "quarantined")


@task(name="crawl-source-run", task_run_name="crawl-{name}", cache_policy=NO_CACHE)
def crawl_one(name: str, **kwargs: Any) -> State:
    """One source's crawl as a task run of the daily run: the state it ends in, its summary its data.

    A task, not a subflow: a task run starts in milliseconds, while each subflow run cost the
    Prefect server a second or more, one after the other (20 empty ones took 16.6 s to start).
    The source's run has its own row in ``runs`` (flow ``crawl-source``, the task run's id).
    """
    run_id, writer = source_run_id(), SHARED_WRITER.get()
    with writer.awaiting(run_id) if writer is not None else nullcontext():  # the writer waits for its batch
        return crawl_run(name, run_id, **kwargs)


def source_run_id() -> str:
    """The current task run's id (a source's run inside the daily run), else a fresh one."""
    from prefect.runtime import task_run

    return str(task_run.id or uuid.uuid4())


class SourcesTaskRunner(ThreadPoolTaskRunner):
    """A thread pool of ``settings.crawl_concurrency()`` threads, read when each run starts (not at import)."""

    def duplicate(self) -> SourcesTaskRunner:
        """The runner a flow run uses: sized by the setting as it is now."""
        return type(self)(max_workers=settings.crawl_concurrency())


def crawl_each(names: list[str], **kwargs: Any) -> dict[str, dict[str, Any]]:
    """Crawl the sources side by side (the flow's task runner bounds how many at once).

    Each host keeps its own pace (the fetcher's per-host limiter); each crawl hands its
    staged pages to the run's one writer (``shared_writer``) when it has fetched them.
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


@flow(name=FLOW, on_crashed=[mark_run_crashed], task_runner=SourcesTaskRunner())
def daily_crawl(
    sources: list[str] | None = None,
    base_url: str | None = None,
    db_path: str | None = None,
    archive_root: str | None = None,
    recheck_days: int = 0,
) -> State:
    """Crawl ``sources`` (default: every enabled source); the summary is the run's result."""
    names = sources or run.enabled_sources()
    run_id = current_run_id()
    with recorded_run(db_path, run_id, FLOW, None, hold=False) as rec:  # each crawl opens it itself
        workers = settings.reprocess_workers()
        with state.run_rows_held(), shared_writer(run_id, db_path) as writer, shared_pool(workers):
            results = crawl_each(
                names, base_url=base_url, db_path=db_path, archive_root=archive_root, recheck_days=recheck_days
            )
            docs = docs_beside(run_id, writer)  # while the writer publishes its last round
        summary = daily_summary(results)
        summary["writer"] = writer.account()  # rounds, batches a round, seconds gating/loading/publishing
        summary["data_docs"], summary["data_docs_seconds"] = docs.result()
        rec.finish("failed" if summary["failed_sources"] else "completed", summary, headline(summary))
    get_run_logger().info("daily crawl: %s", summary)
    publish_summary("Daily crawl", "daily-crawl", summary)
    if summary["failed_sources"]:
        return Failed(message=headline(summary), data=summary)
    return Completed(message=headline(summary), data=summary)
