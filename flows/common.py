"""What the crawl and reprocess flows share: the run id, page processing as tasks, gate+load, summaries.

A run's ``RunLedger`` (``bulletins.pipeline.ledger``) collects everything it does (requests,
errors, link outcomes, staged pages, counts); here it is gated, loaded, written to the
warehouse in bulk at the end, whatever happened in between, and summarised on the run
row and as a Prefect artifact.
"""
from __future__ import annotations

import re
import uuid
from typing import Any

from prefect.artifacts import create_markdown_artifact

from bulletins.pipeline import page as page_steps
from bulletins.pipeline.ledger import RunLedger
from bulletins.pipeline.stage import batch_counts, to_batch
from tasks.extract import extract_facts
from tasks.load import load
from tasks.parse import parse_document
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


def process_page(ledger: RunLedger, **page: Any) -> bool:
    """``bulletins.pipeline.page.process_page`` with parse and extract as Prefect task runs.

    The crawl's pages go this way (a task run each shows in the UI, with its error); the
    reprocess stages thousands of archived pages with plain calls (``bulletins.pipeline.pool``).
    """
    return page_steps.process_page(ledger, parse=parse_document, extract=extract_facts, **page)


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
