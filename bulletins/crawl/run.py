"""A crawl run's decisions, without an orchestrator: what to fetch, what an answer means, how a run went.

The flows (``flows/``) are wiring: Prefect tasks, retries, states, artifacts. What they
decide is here, as plain functions over a ``RunLedger`` that tests call directly:

- which links a run fetches (``fetch_targets``), and what a fetch's answer means for its
  link (``take_fetch``: fetched, not modified, skipped, failed for now, gone for good);
- what discovery's walk over the list pages means (``take_discovery``), and what the
  source's templates yielded (``CountingFetcher`` fills the ledger's ``SourceYield``);
- how the run went: its status, the source error it ends on, its summary and headline
  (``crawl_outcome``).

It is also the crawl room's one door for the flows: they reach sources, the fetcher and
the archive through the functions here (``source_config``, ``open_fetcher``, ...).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletins import settings
from bulletins.crawl.archive import ManifestEntry, RawArchive
from bulletins.crawl.discover import extract_links
from bulletins.crawl.fetcher import PoliteFetcher
from bulletins.crawl.sources import SourceConfigError, load_source, load_sources_checked
from bulletins.pipeline.ledger import SHOWN, RunLedger, SourceYield, describe

# Answers after which a link is not tried again (state 'gone', the reason kept in last_error):
# the page is not there, or we must not fetch it. Anything else failed may pass next run.
GONE_STATUSES = frozenset({404, 410})  # /a/9.html removed by the site
GONE_OUTCOMES = frozenset(
    {
        "robots_disallowed",  # Disallow: /gov/xxgk/dtxx/nbgz/
        "host_not_allowed",  # a redirect to another site
        "not_html",  # a PDF behind an article link
    }
)
# Answers that are the site's rules obeyed, not failures: the link is skipped ('gone', the
# reason kept in last_error; fetch_log has the outcome), counted, and no error is raised.
SKIPPED_OUTCOMES = {
    "robots_disallowed": "skipped: robots.txt disallows it",  # Disallow: /gov/xxgk/dtxx/nbgz/
}


# --- the crawl room's door for the flows ---------------------------------------------------


def source_config(name: str, base_url: str | None = None) -> Any:
    """A source's configuration (``sources/NAME.yaml``), its site moved to ``base_url`` when given."""
    return load_source(name, base_url=base_url)


def enabled_sources() -> list[str]:
    """Names of the enabled sources, and of every source file that will not load.

    A broken file is a failed source of its own (its run ends on the file's error, naming
    the file, line and key), not a reason to crawl nothing: the others are listed as usual.
    """
    configs, errors = load_sources_checked(enabled_only=True)
    broken = [error.path.stem for error in errors if error.path is not None]
    return sorted([config.name for config in configs] + broken)


def source_problem(name: str) -> str | None:
    """Why ``name`` cannot be crawled (no such file, a file that will not load), in one line; else None."""
    try:
        load_source(name)
    except (SourceConfigError, OSError, UnicodeDecodeError) as exc:
        return str(exc)
    return None


def archive_root(root: str | None) -> Path:
    """The raw archive's folder: ``root`` when given, else the settings'."""
    return Path(root) if root else settings.archive_dir()


def open_fetcher(config: Any, root: str | None, ledger: RunLedger) -> PoliteFetcher:
    """The source's polite fetcher, archiving into ``root`` and logging every request on the ledger."""
    ledger.yields = SourceYield.of(config)
    return PoliteFetcher(config, RawArchive(archive_root(root)), log=ledger.fetch_log.append)


class CountingFetcher:
    """A fetcher seen through by discovery: each list page read is counted in the ledger's yield."""

    def __init__(self, fetcher: Any, config: Any, ledger: RunLedger) -> None:
        self._fetcher, self._config, self._yields = fetcher, config, ledger.yields

    def fetch(self, url: str, kind: str = "list", **kwargs: Any) -> Any:
        """Fetch through the real fetcher; a list page read counts its article links."""
        result = self._fetcher.fetch(url, kind, **kwargs)
        if kind == "list" and result.ok and result.text is not None:
            self._yields.list_page(url, len(extract_links(result.text, result.final_url or url, self._config).articles))
        return result


def article_entries(ledger: RunLedger, root: str | None, source: str | None) -> dict[str, list[ManifestEntry]]:
    """The latest archived article pages that were served whole (200), by source; torn manifest lines counted."""
    grouped: dict[str, list[ManifestEntry]] = defaultdict(list)
    archive = RawArchive(archive_root(root))
    if not archive.manifest.exists():  # deleted, or the wrong folder: a run that can do nothing says so
        ledger.error(None, "archive", f"no manifest at {archive.manifest}: nothing to reprocess")
        return {}
    for entry in archive.latest_entries(source):
        if entry.kind == "article" and entry.http_status == 200:
            grouped[entry.source].append(entry)
    ledger.counts["archive_torn_lines"] += archive.torn_lines
    for number, why in archive.bad_lines:  # said on the run, never skipped silently
        ledger.error(None, "archive", f"manifest line {number} skipped: {why}")
    return dict(grouped)


def source_configs(ledger: RunLedger, names: list[str]) -> dict[str, Any]:
    """Each source's rules, read once; a source that will not load is recorded and skipped."""
    configs = {}
    for name in names:
        try:
            configs[name] = load_source(name)
        except Exception as exc:  # noqa: BLE001 - the other sources still go on
            ledger.error(None, "source", exc, source=name)
    return configs


# --- what to fetch, and what an answer means ---------------------------------------------


def fetch_targets(to_fetch: list[str], to_recheck: list[str]) -> list[str]:
    """Links to fetch this run, once each: the pending ones (this run's new links among them, oldest
    first, up to the source's ``list.max_new_links``) and failed ones, then the re-checks."""
    return list(dict.fromkeys([*to_fetch, *to_recheck]))


def link_state_after(result: Any) -> str:
    """'gone' for answers that will not change by retrying, else 'failed'."""
    gone = result.http_status in GONE_STATUSES or result.outcome in GONE_OUTCOMES
    return "gone" if gone else "failed"


def take_fetch(ledger: RunLedger, url: str, result: Any) -> bool:
    """Record what a fetch's answer means for its link; True when the page is to be processed."""
    if result.outcome == "not_modified":
        ledger.counts["not_modified"] += 1
        ledger.link(url, "fetched")
        return False
    if result.outcome in SKIPPED_OUTCOMES:
        ledger.counts["skipped"] += 1
        ledger.link(url, "gone", SKIPPED_OUTCOMES[result.outcome] + (f" ({result.error})" if result.error else ""))
        return False
    if result.outcome != "fetched" or result.body is None:
        ledger.fail(
            url,
            "fetch",
            f"{result.outcome} (HTTP {result.http_status}): {result.error or ''}".strip(),
            link_state=link_state_after(result),
        )
        return False
    ledger.counts["fetched"] += 1
    return True


def page_of(config: Any, url: str, result: Any, fetched_at: Any) -> dict[str, Any]:
    """A fetched page as ``bulletins.pipeline.page.process_page`` takes it."""
    return {
        "url": url,
        "raw": result.body,
        "config": config,
        "headers": dict(result.headers or {}),
        "encoding": result.encoding,
        "fetched_at": fetched_at,
        "http_status": result.http_status,
        "content_hash": result.content_hash,
        "source": config.name,
    }


def take_discovery(ledger: RunLedger, found: Any) -> list[str]:
    """Record how the walk over the list pages went; the new links. No list page read is an error."""
    failures = [f"{url}: {outcome} {error or ''}".strip() for url, outcome, error in found.failures]
    ledger.discovery = {
        "pages_read": len(found.pages_read),
        "stopped_because": found.stopped_because,
        "failures": failures,
    }
    # The walk's end (index_N.html answering 404) is normal; no list page read at all is not.
    if found.pages_read and len(found.failures) == len(found.pages_read):
        ledger.error(None, "discover", "no list page could be read: " + "; ".join(failures))
    return list(found)


# --- how the run went ----------------------------------------------------------------------


@dataclass
class Outcome:
    """How a crawl run ended: its status, the error it ends on (None: none), its summary and message."""

    status: str
    source_error: str | None
    summary: dict[str, Any]
    message: str


def template_failure(ledger: RunLedger) -> str | None:
    """Why the source's templates seem changed, judged on this run alone (a cold start has no
    history): a list page answered and its links selector found nothing, or pages were
    fetched and not one gave an article. The gate judges the rest against healthy runs."""
    found = ledger.yields
    if found.list_pages and not found.links_seen:
        return (
            f"selector links.selector {found.links_selector!r} found nothing on "
            f"{next(iter(found.list_pages))} (has the site changed its list template?)"
        )
    parse_errors = [e for e in ledger.errors if e["stage"] == "parse"]
    fetched = ledger.counts["fetched"]
    if not fetched or found.pages_with_content or not parse_errors:
        return None
    return (
        f"no article on any of the {fetched} pages fetched (has the site changed its template?): "
        f"{parse_errors[0]['error']}"
    )


def unreachable(ledger: RunLedger) -> str | None:
    """Why the source could not be read: no list page at all, or every page asked for failed."""
    listing = [e for e in ledger.errors if e["stage"] == "discover"]
    if listing:
        return f"list pages unreadable: {listing[0]['error']}"
    failed = [e for e in ledger.errors if e["stage"] == "fetch"]
    if failed and not (ledger.counts["fetched"] or ledger.counts["not_modified"]):
        return f"every one of the {len(failed)} pages asked for failed, first {failed[0]['url']}: {failed[0]['error']}"
    return None


def held_back(ledger: RunLedger) -> str | None:
    """Why rows were quarantined (the gate's first failed expectation), when any were."""
    if not ledger.quarantined:
        return None
    failed = (ledger.gate_summary() or {}).get("failed_expectations", [])
    first = f": {failed[0]['table']}: {failed[0]['reason']}" if failed else ""
    return f"{ledger.quarantined} row(s) quarantined{first}"


# What makes a source need an operator, in the order the run's one-line message names them.
# A run that needs none ends Completed, a quiet day included: Prefect shows no third state.
NEEDS_OPERATOR = (unreachable, template_failure, held_back)


def crawl_summary(ledger: RunLedger, status: str) -> dict[str, Any]:
    """What a crawl run did, as stored on its run row (the yield keys are the next runs' history)."""
    c, loaded = ledger.counts, dict(ledger.loaded)
    summary = {
        "source": ledger.source,
        "status": status,
        "requests": len(ledger.fetch_log),
        "discovered": c["discovered"],
        "new_links": c["new_links"],
        "to_fetch": c["to_fetch"],
        "fetched": c["fetched"],
        "not_modified": c["not_modified"],
        "skipped": c["skipped"],
        "errors": len(ledger.errors),
        **ledger.yields.as_dict(),
        "discovery": ledger.discovery,
        "loaded": loaded,
        "rows_loaded": sum(loaded.values()),
        "quarantined": ledger.quarantined,
        "error_list": [f"{e['stage']} {e['url'] or ''}: {e['error']}" for e in ledger.errors[:SHOWN]],
    }
    summary["message"] = headline(summary)
    return summary


def headline(summary: dict[str, Any]) -> str:
    """One line saying what the run did, or that there was nothing new."""
    if summary["fetched"] == 0 and summary["errors"] == 0 and summary["rows_loaded"] == 0:
        return f"nothing new: {summary['requests']} requests, {summary['not_modified']} not modified, nothing loaded"
    return (
        f"{summary['requests']} requests, {summary['new_links']} new links, {summary['fetched']} pages "
        f"fetched, {summary['not_modified']} not modified, {summary['skipped']} skipped (robots.txt), "
        f"{summary['rows_loaded']} rows loaded, {summary['quarantined']} quarantined, {summary['errors']} errors"
    )


def alert_counts(summary: dict[str, Any]) -> dict[str, Any]:
    """The counts an alert shows: what the run asked for, got, loaded and held back."""
    return {k: summary[k] for k in ("requests", "fetched", "errors", "rows_loaded", "quarantined")}


def fail_run(ledger: RunLedger, exc: BaseException) -> str:
    """A run that stopped on ``exc``: recorded as the source's error (a failed load is already); its line."""
    if not any(e["stage"] == "load" for e in ledger.errors):
        ledger.error(None, "source", exc)
    return describe(exc)


def damaged_archive(ledger: RunLedger) -> str | None:
    """Archived pages whose bytes are missing or corrupt: no rerun heals them, an operator must."""
    damaged = [e for e in ledger.errors if e["stage"] == "archive" and e["url"]]  # (manifest lines name no page)
    if not damaged:
        return None
    return (
        f"archive damaged: {len(damaged)} archived page(s) unreadable, first {damaged[0]['url']}: {damaged[0]['error']}"
    )


def reprocess_problem(ledger: RunLedger) -> str | None:
    """Why a reprocess needs an operator: nothing loaded, a damaged archive, or rows quarantined."""
    if ledger.errors and not ledger.loaded.get("documents"):
        first = ledger.errors[0]
        return (
            f"nothing loaded, {len(ledger.errors)} error(s), first {first['url']}: {first['stage']}: {first['error']}"
        )
    return damaged_archive(ledger) or held_back(ledger)


def crawl_outcome(ledger: RunLedger, stopped: str | None) -> Outcome:
    """How the run went: ``stopped`` is the error the run stopped on (None: it ran to the end).

    Failed when the source needs an operator (``NEEDS_OPERATOR``), with the first reason as
    its one-line message. Else the run's row says ``warning`` when single pages failed
    (their links are retried next run: nobody needs to act) and ``completed`` otherwise;
    both end the flow run Completed, with no alert.
    """
    reason = stopped or next((why for check in NEEDS_OPERATOR if (why := check(ledger))), None)
    summary = crawl_summary(ledger, "failed" if reason else "warning" if ledger.errors else "completed")
    summary["message"] = reason or summary["message"]
    return Outcome(summary["status"], reason, summary, summary["message"])


# --- the reprocess fan-out's batches ---------------------------------------------------------


def chunk_account(ledger: RunLedger, source: str) -> dict[str, Any]:
    """What a fan-out chunk's batch carries besides its rows: its pages, errors and staged counts."""
    staged = {k.removeprefix("staged_"): n for k, n in ledger.counts.items() if k.startswith("staged_")}
    return {
        "source": source,
        "pages": ledger.counts["pages"],
        "errors": ledger.errors,
        "staged": staged,
        "gate_success": (ledger.gate_summary() or {}).get("success"),
    }


def batch_errors(merged: dict[str, Any]) -> list[dict]:
    """The errors the merged batches carried."""
    return [e for account in merged.get("ledgers", []) for e in account.get("errors", [])]


def chunk_errors(results: list[dict[str, Any]]) -> list[dict]:
    """An error for each chunk whose task failed (its pages are not in any batch)."""
    return [
        {"source": r["source"], "url": None, "stage": "fanout", "error": r["failed_chunk"]}
        for r in results
        if "failed_chunk" in r
    ]


def merged_summary(merged: dict[str, Any], errors: list[dict], **extra: Any) -> dict[str, Any]:
    """What a merge of batches loaded, with the errors the batches recorded."""
    loaded = dict(merged.get("loaded", {}))
    quarantined = loaded.pop("quarantine", 0)
    return {
        **extra,
        "batches": merged.get("batches", 0),
        "errors": len(errors),
        "loaded": loaded,
        "rows_loaded": sum(loaded.values()),
        "quarantined": quarantined,
        "error_list": [f"{e['stage']} {e.get('url') or ''}: {e['error']}" for e in errors[:SHOWN]],
    }
