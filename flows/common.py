"""What the crawl and reprocess flows share: a run's ledger, page processing, the gate+load step.

A ``RunLedger`` collects everything a run does (requests, errors, link outcomes, staged
pages, counts) so that it can be written to the warehouse in bulk at the end, whatever
happened in between, and summarised on the run row and as a Prefect artifact.
"""
from __future__ import annotations

import re
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from prefect.artifacts import create_markdown_artifact

from bulletins.crawl.parse import PARSER_VERSION
from tasks.extract import extract_facts
from tasks.load import load
from tasks.parse import parse_document
from tasks.stage import StagedPage, batch_counts, document_row, stage_page, to_batch
from tasks.validate import validate
from warehouse import state
from warehouse.db import connect


def current_run_id() -> str:
    """The Prefect flow run id when running as a flow, else a fresh uuid."""
    try:
        from prefect.runtime import flow_run

        run_id = flow_run.id
    except Exception:  # noqa: BLE001 - outside Prefect's runtime the id is simply absent
        run_id = None
    return str(run_id) if run_id else str(uuid.uuid4())


def mark_run_crashed(flow, flow_run, run_state) -> None:
    """Prefect ``on_crashed`` hook: the run's row says crashed (killed process, lost worker).

    The next run of the same flow would also find it still 'running' and say so; this
    says it at once and keeps Prefect's message.
    """
    con = connect(flow_run.parameters.get("db_path"))
    try:
        state.mark_crashed(con, str(flow_run.id), f"crashed: {run_state.message}")
    finally:
        con.close()


def describe(exc: BaseException) -> str:
    """An exception as one line: its type, message and the line of our code it came from."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename]
    where = f" (at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


@dataclass
class RunLedger:
    """Everything one run of one source did, written to the warehouse at the end."""

    run_id: str
    source: str
    fetch_log: list[Any] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    outcomes: list[dict] = field(default_factory=list)
    pages: list[StagedPage] = field(default_factory=list)
    page_urls: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    loaded: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    discovery: dict[str, Any] = field(default_factory=dict)
    gate_summaries: list[dict[str, Any]] = field(default_factory=list)
    pages_without_content: list[str] = field(default_factory=list)

    def gate_summary(self) -> dict[str, Any] | None:
        """The gate's summaries of this run's batches as one (None when nothing was validated)."""
        if not self.gate_summaries:
            return None
        tables: dict[str, dict[str, int]] = {}
        for summary in self.gate_summaries:
            for table, counts in summary.get("tables", {}).items():
                merged = tables.setdefault(table, {})
                for key, n in counts.items():
                    merged[key] = merged.get(key, 0) + int(n)
        failed = [f for summary in self.gate_summaries for f in summary.get("failed_expectations", [])]
        return {"run_id": self.run_id, "tables": tables, "failed_expectations": failed,
                "success": not failed}

    def error(self, url: str | None, stage: str, error: BaseException | str, source: str | None = None) -> None:
        """Record an error of ``stage`` about ``url`` (None: about the whole source)."""
        text = describe(error) if isinstance(error, BaseException) else str(error)
        self.errors.append({"source": source or self.source, "url": url, "stage": stage, "error": text})
        self.counts[f"{stage}_errors"] += 1

    def link(self, url: str, link_state: str, error: str | None = None) -> None:
        """What became of a link this run: fetched, failed (retried next run) or gone."""
        self.outcomes.append({"url": url, "state": link_state, "error": error})

    def fail(self, url: str, stage: str, error: BaseException | str, link_state: str = "failed") -> None:
        """A page that could not go through ``stage``: error recorded, link failed."""
        self.error(url, stage, error)
        self.link(url, link_state, f"{stage}: {self.errors[-1]['error']}")

    def page_content(self, url: str, found: bool) -> None:
        """Count a fetched page by whether the source's selectors found a title and a body on it."""
        self.counts["pages_parsed"] += 1
        if found:
            self.counts["pages_with_content"] += 1
        else:
            self.pages_without_content.append(url)

    def content_yield(self, config: Any) -> dict[str, Any]:
        """What this run's fetched pages yielded to the source's title and body selectors."""
        rules = config.article
        selectors = "article.title " + " | ".join(map(str, rules.title)) + ", article.body " + " | ".join(
            map(str, rules.body))
        return {"pages_parsed": self.counts["pages_parsed"], "pages_with_content": self.counts["pages_with_content"],
                "pages_without_content": self.pages_without_content[:20], "content_selectors": selectors}

    def stage(self, url: str, page: StagedPage) -> None:
        """Keep a page's rows for the run's batch."""
        self.pages.append(page)
        self.page_urls.append(url)


def process_page(ledger: RunLedger, *, url: str, raw: bytes, config: Any, headers: dict, encoding: str | None,
                 fetched_at: Any, http_status: int | None, content_hash: str, source: str,
                 as_tasks: bool = True) -> bool:
    """Parse, extract and stage one page; a failure is recorded and the run goes on.

    A page that parses but fails extraction still loads its document and articles (the
    facts are retried when the link is retried, or by reprocess): nothing is lost.
    ``as_tasks=False`` calls the parse and extract functions without Prefect task runs
    (reprocessing thousands of archived pages needs no per-page bookkeeping).
    """
    parse, extract = (parse_document, extract_facts) if as_tasks else (parse_document.fn, extract_facts.fn)
    try:
        parsed = parse(raw, url, config, headers, encoding)
    except Exception as exc:  # noqa: BLE001 - a bad page must not stop the run
        ledger.page_content(url, False)
        ledger.fail(url, "parse", exc)
        return False
    ledger.page_content(url, has_content(parsed))
    problems = "; ".join(getattr(parsed, "problems", ()) or ())
    if not any((a.body or "").strip() for a in parsed.articles):
        ledger.fail(url, "parse", f"no article text on the page: {problems or 'every article body is empty'}")
        return False
    if problems:  # loaded all the same (a page without a date is still a page), but said
        ledger.error(url, "parse", problems)
    facts, extract_error = [], None
    try:
        facts = extract(parsed, url)
    except Exception as exc:  # noqa: BLE001
        extract_error = exc
    try:
        document = document_row(url=url, source=source, fetched_at=fetched_at, http_status=http_status,
                                headers=headers, content_hash=content_hash, parsed=parsed,
                                parser_version=parser_version(parsed))
        ledger.stage(url, stage_page(document, parsed, facts))
    except Exception as exc:  # noqa: BLE001
        ledger.fail(url, "stage", exc)
        return False
    if extract_error is not None:
        ledger.fail(url, "extract", extract_error)
        return False
    ledger.link(url, "fetched")
    return True


# Problems meaning a template selector found nothing on the page (the date is not one: many
# pages carry it only in the text, and parse.py says so as 'article.published: ...').
CONTENT_SELECTOR_PROBLEMS = ("article.title:", "article.body:", "article.split.container")


def has_content(parsed: Any) -> bool:
    """True when the source's selectors found a title and a body on the page."""
    problems = getattr(parsed, "problems", ()) or ()
    body = any((a.body or "").strip() for a in parsed.articles)
    return body and not any(p.startswith(CONTENT_SELECTOR_PROBLEMS) for p in problems)


def parser_version(parsed: Any) -> str:
    """The version of the parser that read the page (recorded on each document)."""
    return str(getattr(parsed, "parser_version", None) or PARSER_VERSION)


def validate_and_load(con, ledger: RunLedger, history: Any = None, yields: dict[str, Any] | None = None) -> None:
    """Gate the run's staged pages and load what passes, all in one transaction.

    ``yields`` (source -> what its list and article pages yielded) is checked against
    ``history`` even when nothing was staged: a template change upstream stages nothing.
    Nothing staged and no yields: nothing validated, nothing loaded. A failed load leaves
    every staged page's link failed, so the next run fetches it again.
    """
    batch = to_batch(ledger.pages)
    ledger.counts.update({f"staged_{t}": n for t, n in batch_counts(batch).items()})
    if not ledger.pages and not yields:
        ledger.loaded = {t: ledger.loaded.get(t, 0) for t in batch}
        return
    try:
        gate = validate(batch, ledger.run_id, history, yields)
        ledger.gate_summaries.append(gate.summary)
        counts = load(con, gate.passed, ledger.run_id, gate.quarantine)
    except Exception as exc:  # noqa: BLE001 - recorded on every page it concerns, then re-raised
        for url in ledger.page_urls:
            ledger.outcomes = [o for o in ledger.outcomes if o["url"] != url]
            ledger.fail(url, "load", exc)
        raise
    ledger.quarantined += counts.pop("quarantine", 0)
    for table, n in counts.items():
        ledger.loaded[table] = ledger.loaded.get(table, 0) + n
    ledger.pages, ledger.page_urls = [], []  # loaded: the next batch starts empty


def write_ledger(con, ledger: RunLedger) -> None:
    """Write the run's requests, errors and link outcomes to the warehouse."""
    state.append_fetch_log(con, ledger.run_id, ledger.source, ledger.fetch_log,
                           first_seq=state.next_seq(con, "fetch_log", ledger.run_id))
    state.append_errors(con, ledger.run_id, ledger.errors)
    state.record_link_outcomes(con, ledger.source, ledger.outcomes)


def summary_markdown(title: str, summary: dict[str, Any]) -> str:
    """A run summary as a Markdown table (nested counts flattened to ``a.b`` keys)."""
    lines = [f"# {title}", "", "| what | value |", "|---|---|"]
    for key, value in flatten(summary).items():
        lines.append(f"| {key} | {value} |")
    return "\n".join(lines) + "\n"


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts as one level with dotted keys."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, list):
            flat[name] = "; ".join(map(str, value[:10])) + (" …" if len(value) > 10 else "")
        else:
            flat[name] = value
    return flat


def artifact_key(*parts: str) -> str:
    """A Prefect artifact key (lowercase letters, digits and dashes) from free text."""
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")


def publish_summary(title: str, key: str, summary: dict[str, Any]) -> None:
    """Publish the run's counts as a Markdown artifact of the current flow run.

    ``flows.report.finish_run_loudly`` publishes the warehouse's account of the run beside
    it (rows per table, quarantine by expectation) and alerts when something failed.
    """
    create_markdown_artifact(summary_markdown(title, summary), key=artifact_key(key), description=title)
