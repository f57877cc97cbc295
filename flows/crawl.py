"""Prefect flow: crawl one source into the warehouse.

discover new links (list pages only until known ones) → fetch each new, pending or failed
link politely (conditionally when re-checking a page already loaded) → archive → parse →
extract → stage → gate → load in one transaction. Every request lands in ``fetch_log``,
every page that fails a stage in ``crawl_errors`` with its link left ``failed`` (retried
next run), and the run's summary on its ``runs`` row and as a Markdown artifact.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger

from bulletins import settings
from bulletins.crawl.archive import RawArchive
from bulletins.crawl.fetcher import PoliteFetcher
from bulletins.crawl.sources import load_source
from bulletins.pipeline.ledger import RunLedger, describe
from flows.common import (current_run_id, mark_run_crashed, process_page, publish_summary,
                          validate_and_load, write_ledger)
from expectations import suites
from flows.report import finish_run_loudly
from tasks.discover import discover_links
from tasks.fetch import fetch_page
from warehouse import state
from warehouse.db import connect
from warehouse.load import now_utc
from warehouse.report import source_history

FLOW = "crawl-source"
# Answers after which a link is not tried again (state 'gone', the reason kept in last_error):
# the page is not there, or we must not fetch it. Anything else failed may pass next run.
GONE_STATUSES = frozenset({404, 410})          # /a/9.html removed by the site
GONE_OUTCOMES = frozenset({
    "robots_disallowed",                       # Disallow: /gov/xxgk/dtxx/nbgz/
    "host_not_allowed",                        # a redirect to another site
    "not_html",                                # a PDF behind an article link
})


# Answers that are the site's rules obeyed, not failures: the link is skipped ('gone', the
# reason kept in last_error; fetch_log has the outcome), counted, and no error is raised.
SKIPPED_OUTCOMES = {
    "robots_disallowed": "skipped: robots.txt disallows it",  # Disallow: /gov/xxgk/dtxx/nbgz/
}


def link_state_after(result) -> str:
    """'gone' for answers that will not change by retrying, else 'failed'."""
    gone = result.http_status in GONE_STATUSES or result.outcome in GONE_OUTCOMES
    return "gone" if gone else "failed"


def fetch_targets(con, source: str, new_links: list[str], recheck_days: int,
                  max_new: int | None = None) -> list[str]:
    """Links to fetch this run: pending ones (this run's new links among them, already recorded)
    oldest first up to ``max_new``, then failed ones, then re-checks; the rest stay pending."""
    ordered = dict.fromkeys(state.links_to_fetch(con, source, max_new))
    ordered.update(dict.fromkeys(state.urls_to_recheck(con, source, recheck_days)))
    return list(ordered)


def fetch_one(ledger: RunLedger, fetcher: PoliteFetcher, config: Any, url: str,
              validators: tuple[str | None, str | None]) -> None:
    """Fetch one link and take the page through parse, extract and staging."""
    etag, last_modified = validators
    try:
        result = fetch_page(fetcher, url, "article", etag=etag, last_modified=last_modified)
    except Exception as exc:  # noqa: BLE001 - a failed fetch is recorded, the run goes on
        ledger.fail(url, "fetch", exc)
        return
    if result.outcome == "not_modified":
        ledger.counts["not_modified"] += 1
        ledger.link(url, "fetched")
        return
    if result.outcome in SKIPPED_OUTCOMES:
        ledger.counts["skipped"] += 1
        ledger.link(url, "gone", SKIPPED_OUTCOMES[result.outcome] + (f" ({result.error})" if result.error else ""))
        return
    if result.outcome != "fetched" or result.body is None:
        ledger.fail(url, "fetch", f"{result.outcome} (HTTP {result.http_status}): {result.error or ''}".strip(),
                    link_state=link_state_after(result))
        return
    ledger.counts["fetched"] += 1
    process_page(ledger, url=url, raw=result.body, config=config, headers=dict(result.headers or {}),
                 encoding=result.encoding, fetched_at=now_utc(),
                 http_status=result.http_status, content_hash=result.content_hash, source=config.name)


def discover_new(ledger: RunLedger, fetcher: PoliteFetcher, config: Any, known: set[str]) -> list[str]:
    """New links from the list pages; a source whose list pages all fail is an error."""
    try:
        found = discover_links(fetcher, config, known)
    except Exception as exc:  # noqa: BLE001 - known pending links are still worth fetching
        ledger.error(None, "discover", exc)
        return []
    ledger.discovery = {"pages_read": len(found.pages_read), "stopped_because": found.stopped_because,
                        "failures": [f"{url}: {outcome} {error or ''}".strip()
                                     for url, outcome, error in found.failures],
                        **getattr(found, "link_yield", {})}
    # The walk's end (index_N.html answering 404) is normal; no list page read at all is not.
    if found.pages_read and len(found.failures) == len(found.pages_read):
        ledger.error(None, "discover", "no list page could be read: " + "; ".join(ledger.discovery["failures"]))
    return list(found)


def crawl(con, config: Any, ledger: RunLedger, archive: RawArchive, recheck_days: int) -> None:
    """The body of a crawl: discover, fetch and process, gate and load."""
    with PoliteFetcher(config, archive, log=ledger.fetch_log.append) as fetcher:
        new_links = discover_new(ledger, fetcher, config, state.known_urls(con, config.name))
        ledger.counts["discovered"] = len(new_links)
        ledger.counts["new_links"] = state.add_links(con, config.name, new_links)
        targets = fetch_targets(con, config.name, new_links, recheck_days, config.list.max_new_links)
        ledger.counts["to_fetch"] = len(targets)
        validators = state.document_validators(con, targets)
        for url in targets:
            fetch_one(ledger, fetcher, config, url, validators.get(url, (None, None)))
    validate_and_load(con, ledger, source_history(con, [config.name], exclude_run=ledger.run_id),
                      yields={config.name: source_yield(ledger, config)})


def source_yield(ledger: RunLedger, config: Any) -> dict[str, Any]:
    """What the source's list pages and fetched pages yielded this run: the gate's template check."""
    found = ledger.discovery
    return {"list_pages_read": found.get("list_pages_read", 0), "links_seen": found.get("links_seen", 0),
            "list_pages": found.get("list_pages", [])[:20],
            "list_pages_without_links": found.get("list_pages_without_links", [])[:20],
            "links_selector": found.get("links_selector", str(config.links.selector)),
            **ledger.content_yield(config)}


def run_summary(ledger: RunLedger, status: str) -> dict[str, Any]:
    """What a crawl run did, as stored on its run row."""
    c = ledger.counts
    loaded = dict(ledger.loaded)
    summary = {
        "source": ledger.source, "status": status, "requests": len(ledger.fetch_log),
        "discovered": c["discovered"], "new_links": c["new_links"], "to_fetch": c["to_fetch"],
        "fetched": c["fetched"], "not_modified": c["not_modified"], "skipped": c["skipped"],
        "errors": len(ledger.errors),
        # What the templates yielded, new or not: the history the gate's source-yield check reads.
        "list_pages_read": ledger.discovery.get("list_pages_read", 0),
        "links_seen": ledger.discovery.get("links_seen", 0),
        "pages_parsed": c["pages_parsed"], "pages_with_content": c["pages_with_content"],
        "discovery": ledger.discovery,
        "loaded": loaded, "rows_loaded": sum(loaded.values()), "quarantined": ledger.quarantined,
        "error_list": [f"{e['stage']} {e['url'] or ''}: {e['error']}" for e in ledger.errors[:20]],
    }
    summary["message"] = headline(summary)
    return summary


def template_failure(ledger: RunLedger) -> str | None:
    """Why the source's template seems changed: pages were fetched, and not one of them gave
    an article (its selectors found nothing); None when any page parsed, or when the gate's
    source-yield check, which judges against the source's history, has said so already."""
    parse_errors = [e for e in ledger.errors if e["stage"] == "parse"]
    fetched = ledger.counts["fetched"]
    if not fetched or ledger.counts["pages_with_content"] or not parse_errors:
        return None
    failed = (ledger.gate_summary() or {}).get("failed_expectations", [])
    if any(f.get("table") == suites.SOURCE_YIELD_SUITE for f in failed):
        return None
    return (f"no article on any of the {fetched} pages fetched (has the site changed its template?): "
            f"{parse_errors[0]['error']}")


def headline(summary: dict[str, Any]) -> str:
    """One line saying what the run did, or that there was nothing new."""
    if summary["fetched"] == 0 and summary["errors"] == 0 and summary["rows_loaded"] == 0:
        return (f"nothing new: {summary['requests']} requests, "
                f"{summary['not_modified']} not modified, nothing loaded")
    return (f"{summary['requests']} requests, {summary['new_links']} new links, {summary['fetched']} pages "
            f"fetched, {summary['not_modified']} not modified, {summary['skipped']} skipped (robots.txt), "
            f"{summary['rows_loaded']} rows loaded, {summary['quarantined']} quarantined, {summary['errors']} errors")


@flow(name=FLOW, flow_run_name="crawl-{source}", on_crashed=[mark_run_crashed])
def crawl_source(source: str, base_url: str | None = None, db_path: str | None = None,
                 archive_root: str | None = None, recheck_days: int = 0) -> dict[str, Any]:
    """Crawl one source (sources/SOURCE.yaml); the run's summary is the flow's result.

    ``base_url`` moves the site to another server (the demo, tests); ``recheck_days`` > 0
    also re-checks, with conditional GETs, pages loaded in the last that many days.
    """
    logger = get_run_logger()
    ledger = RunLedger(current_run_id(), source)
    con = connect(db_path)
    try:
        state.mark_abandoned(con, FLOW, source)
        state.start_run(con, ledger.run_id, FLOW, source)
        status, message = "completed", None
        try:
            config = load_source(source, base_url=base_url)
            crawl(con, config, ledger, RawArchive(Path(archive_root) if archive_root else settings.archive_dir()),
                  recheck_days)
            status = "warning" if ledger.errors or ledger.quarantined else "completed"
        except Exception as exc:  # noqa: BLE001 - recorded on the run row; the flow ends Failed
            status, message = "failed", describe(exc)
            if not any(e["stage"] == "load" for e in ledger.errors):
                ledger.error(None, "source", exc)
        write_ledger(con, ledger)
        summary = run_summary(ledger, status)
        state.finish_run(con, ledger.run_id, status, summary, message or summary["message"])
        logger.info("%s: %s", source, summary["message"])
        publish_summary(f"Crawl of {source}", f"crawl-{source}", summary)
        # Alerts when rows were quarantined or the source failed; the flow ends in the state it gives.
        source_error = message if status == "failed" else template_failure(ledger)
        return finish_run_loudly(ledger.run_id, FLOW, gate_summary=ledger.gate_summary(),
                                 source_errors={source: source_error} if source_error else None,
                                 con=con, result=summary)
    finally:
        con.close()
