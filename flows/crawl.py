"""Prefect flow: crawl one source into the warehouse.

discover new links (list pages only until known ones) → fetch each new, pending or failed
link politely (conditionally when re-checking a page already loaded) → archive → parse →
extract → stage → gate → load in one transaction. What each step decides is in
``bulletins.crawl.run``; here are the tasks, the run's row, its artifacts and its state.
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

from prefect import flow, get_run_logger
from prefect.states import State

from bulletins.crawl import run
from bulletins.pipeline.ledger import RunLedger, gate_and_load, write_through
from bulletins.pipeline.stager import PageStager
from flows.common import current_run_id, mark_run_crashed, recorded_run, write_ledger
from flows.report import finish_run_loudly, publish_summary
from flows.writer import SHARED_WRITER
from tasks.discover import discover_links
from tasks.fetch import fetch_page
from tasks.load import load
from tasks.validate import validate
from tasks.write import write_shared
from warehouse import state
from warehouse.load import now_utc
from warehouse.report import source_history

FLOW = "crawl-source"

# Seconds between writes of the requests and settled links while fetching: a killed run loses
# at most this much of its log (a write a page, at 50 sources, was 100 transactions a second).
LEDGER_WRITE_SECONDS = 1.0


def fetch_one(
    stager: PageStager, fetcher: Any, config: Any, url: str, validators: tuple[str | None, str | None]
) -> None:
    """Fetch one link and hand the page on to parse, extract and staging (on a worker, if the run has a pool)."""
    ledger, (etag, last_modified) = stager.ledger, validators
    try:
        result = fetch_page(fetcher, url, "article", etag=etag, last_modified=last_modified)
    except Exception as exc:  # noqa: BLE001 - a failed fetch is recorded, the run goes on
        ledger.fail(url, "fetch", exc)
        return
    if run.take_fetch(ledger, url, result):  # not a task run a page: at 50 sources they overloaded Prefect
        stager.stage(run.page_of(config, url, result, now_utc()))


def discover_new(ledger: RunLedger, fetcher: Any, config: Any, known: set[str]) -> list[str]:
    """New links from the list pages; a discovery that fails outright is the source's error."""
    try:
        found = discover_links(run.CountingFetcher(fetcher, config, ledger), config, known)
    except Exception as exc:  # noqa: BLE001 - known pending links are still worth fetching
        ledger.error(None, "discover", exc)
        return []
    return run.take_discovery(ledger, found)


def crawl(con, config: Any, ledger: RunLedger, archive_root: str | None, recheck_days: int) -> None:
    """The body of a crawl: discover, fetch and process, gate and load."""
    with run.open_fetcher(config, archive_root, ledger) as fetcher:
        new_links = discover_new(ledger, fetcher, config, state.known_urls(con, config.name))
        write_ledger(con, ledger)
        ledger.counts["discovered"] = len(new_links)
        ledger.counts["new_links"] = state.add_links(con, config.name, new_links)
        targets = run.fetch_targets(
            state.links_to_fetch(con, config.name, config.list.max_new_links),
            state.urls_to_recheck(con, config.name, recheck_days),
        )
        ledger.counts["to_fetch"] = len(targets)
        validators = state.document_validators(con, targets)
        written, stager = time.monotonic(), PageStager(ledger)
        for url in targets:
            fetch_one(stager, fetcher, config, url, validators.get(url, (None, None)))
            if time.monotonic() - written >= LEDGER_WRITE_SECONDS:  # as it goes: a killed run keeps them
                stager.collect()
                write_ledger(con, ledger)
                written = time.monotonic()
        stager.collect(wait=True)
    write_ledger(con, ledger)
    settle(con, config, ledger)


def settle(con, config: Any, ledger: RunLedger) -> None:
    """Gate and load the staged pages: here, or by the daily run's shared writer when there is one."""
    history = source_history(con, [config.name], exclude_run=ledger.run_id)
    yields = {config.name: ledger.yields}
    writer = SHARED_WRITER.get()
    if writer is None:
        gate = partial(validate, run_id=ledger.run_id, history=history, yields=yields)
        gate_and_load(ledger, gate, partial(load, con, run_id=ledger.run_id), judge_empty=True)
        return
    shared = dict(con=con, source=config.name, run_id=ledger.run_id, history=history, yields=yields)
    write_through(ledger, partial(write_shared, writer, **shared), judge_empty=True)


@flow(name=FLOW, flow_run_name="crawl-{source}", on_crashed=[mark_run_crashed])
def crawl_source(
    source: str,
    base_url: str | None = None,
    db_path: str | None = None,
    archive_root: str | None = None,
    recheck_days: int = 0,
) -> dict[str, Any]:
    """Crawl one source (sources/SOURCE.yaml); the run's summary is the flow's result.

    ``base_url`` moves the site to another server (the demo, tests); ``recheck_days`` > 0
    also re-checks, with conditional GETs, pages loaded in the last that many days.
    """
    return crawl_run(source, current_run_id(), base_url, db_path, archive_root, recheck_days)


def crawl_run(
    source: str,
    run_id: str,
    base_url: str | None = None,
    db_path: str | None = None,
    archive_root: str | None = None,
    recheck_days: int = 0,
) -> State:
    """One source's run (its own flow run, or a daily run's task): Failed when it needs an operator, else Completed."""
    ledger = RunLedger(run_id, source)
    with recorded_run(db_path, ledger.run_id, FLOW, source) as rec:
        with rec.attempt(partial(run.fail_run, ledger)):
            crawl(rec.con, run.source_config(source, base_url), ledger, archive_root, recheck_days)
        write_ledger(rec.con, ledger)
        outcome = run.crawl_outcome(ledger, rec.stopped)
        rec.finish(outcome.status, outcome.summary, outcome.message)
        get_run_logger().info("%s: %s", source, outcome.summary["message"])
        alone = SHARED_WRITER.get() is None  # in a daily run, the daily's one artifact has a line a source
        if alone:
            publish_summary(f"Crawl of {source}", f"crawl-{source}", outcome.summary)
        return finish_run_loudly(
            ledger.run_id,
            FLOW,
            gate_summary=ledger.gate_summary(),
            source_errors={source: outcome.source_error} if outcome.source_error else None,
            source=source,
            counts=run.alert_counts(outcome.summary),
            con=rec.con,
            result=outcome.summary,
            summary_artifact=alone,
        )
