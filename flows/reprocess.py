"""Prefect flow: rebuild documents, articles and facts from the raw archive, without the network.

Run after a parser or extractor change. It reads the latest archived copy of every article
page (the manifest), parses, extracts, stages with the same deterministic keys, gates and
loads; reloading unchanged pages leaves the same rows. Links and the fetch log are the
crawl's and are not touched.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger

from bulletins import settings
from bulletins.crawl.archive import ManifestEntry, RawArchive
from bulletins.crawl.sources import load_source
from flows.common import (RunLedger, current_run_id, describe, mark_run_crashed, process_page, publish_summary,
                          validate_and_load)
from flows.report import finish_run_loudly
from warehouse import state
from warehouse.db import connect

FLOW = "reprocess"
# Pages gated and loaded per transaction: bounds memory on an archive of any size.
BATCH_PAGES = 500


def article_entries(archive: RawArchive, source: str | None) -> dict[str, list[ManifestEntry]]:
    """The latest archived article pages that were served whole (200), by source."""
    grouped: dict[str, list[ManifestEntry]] = defaultdict(list)
    for entry in archive.latest_entries(source):
        if entry.kind == "article" and entry.http_status == 200:
            grouped[entry.source].append(entry)
    return dict(grouped)


def reprocess_source(con, ledger: RunLedger, archive: RawArchive, name: str, entries: list[ManifestEntry]) -> None:
    """Parse, extract and stage every archived page of one source."""
    ledger.source = name  # errors and links of this stretch belong to this source
    try:
        config = load_source(name)
    except Exception as exc:  # noqa: BLE001 - the other sources still reprocess
        ledger.error(None, "source", exc, source=name)
        return
    for entry in entries:
        try:
            raw = archive.get(entry.content_hash)
        except Exception as exc:  # noqa: BLE001
            ledger.error(entry.url, "archive", exc, source=name)
            continue
        ledger.counts["pages"] += 1
        process_page(ledger, url=entry.url, raw=raw, config=config, headers=dict(entry.headers or {}),
                     encoding=entry.encoding, fetched_at=entry.fetched_at, http_status=entry.http_status,
                     content_hash=entry.content_hash, source=name, as_tasks=False)
        if len(ledger.pages) >= BATCH_PAGES:
            validate_and_load(con, ledger)
    validate_and_load(con, ledger)


@flow(name=FLOW, on_crashed=[mark_run_crashed])
def reprocess(source: str | None = None, db_path: str | None = None,
              archive_root: str | None = None) -> dict[str, Any]:
    """Reprocess the archive (one source, or all); the run's summary is the flow's result."""
    logger = get_run_logger()
    ledger = RunLedger(current_run_id(), source or "*")
    archive = RawArchive(Path(archive_root) if archive_root else settings.archive_dir())
    con = connect(db_path)
    try:
        state.mark_abandoned(con, FLOW, source)
        state.start_run(con, ledger.run_id, FLOW, source)
        status, message = "completed", None
        try:
            for name, entries in sorted(article_entries(archive, source).items()):
                reprocess_source(con, ledger, archive, name, entries)
            status = "warning" if ledger.errors else "completed"
        except Exception as exc:  # noqa: BLE001 - recorded on the run row; the flow ends Failed
            status, message = "failed", describe(exc)
        state.append_errors(con, ledger.run_id, ledger.errors)
        summary = {"source": source, "status": status, "pages": ledger.counts["pages"],
                   "errors": len(ledger.errors), "loaded": ledger.loaded,
                   "rows_loaded": sum(ledger.loaded.values()), "quarantined": ledger.quarantined,
                   "archive_torn_lines": archive.torn_lines,
                   "error_list": [f"{e['stage']} {e['url'] or ''}: {e['error']}" for e in ledger.errors[:20]]}
        state.finish_run(con, ledger.run_id, status, summary, message or
                         f"{summary['pages']} archived pages, {summary['rows_loaded']} rows loaded")
        logger.info("reprocess: %s", summary)
        publish_summary("Reprocess", f"reprocess-{source or 'all'}", summary)
        return finish_run_loudly(ledger.run_id, FLOW, gate_summary=ledger.gate_summary(),
                                 source_errors={source or "*": message} if status == "failed" else None,
                                 con=con, result=summary)
    finally:
        con.close()
