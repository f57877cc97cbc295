"""Prefect flow: rebuild documents, articles and facts from the raw archive, without the network.

Run after a parser or extractor change. It reads the latest archived copy of every article
page (the manifest), parses, extracts, stages with the same deterministic keys, gates and
loads; reloading unchanged pages leaves the same rows. Links and the fetch log are the
crawl's and are not touched.

Parsing and extraction, most of the work, run on a pool of worker processes (one per CPU,
``bulletins.pipeline.pool``); this process gates and loads batches as the workers' chunks
come back, in archive order, so the rows are the same whatever the number of workers.
Batches are gated and loaded without a Prefect task run each, and the run's Data Docs are
rendered once at its end, not once per batch (BENCHMARKS.md has the figures).
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger

from bulletins import settings
from bulletins.crawl.archive import ManifestEntry, RawArchive
from bulletins.crawl.sources import load_source
from bulletins.pipeline.ledger import RunLedger, describe
from bulletins.pipeline.pool import chunks, staged_chunks
from flows.common import current_run_id, mark_run_crashed, publish_summary
from flows.report import finish_run_loudly
from warehouse import state
from warehouse.db import connect

FLOW = "reprocess"
# Pages gated and loaded per transaction: bounds memory on an archive of any size, and
# is large enough that the gate's fixed cost per batch (GX builds a metric graph per
# suite) is small beside its cost per row.
BATCH_PAGES = 2000
# Pages per chunk handed to a worker: small enough to keep both workers busy to the end.
CHUNK_PAGES = 100


def article_entries(archive: RawArchive, source: str | None) -> dict[str, list[ManifestEntry]]:
    """The latest archived article pages that were served whole (200), by source."""
    grouped: dict[str, list[ManifestEntry]] = defaultdict(list)
    for entry in archive.latest_entries(source):
        if entry.kind == "article" and entry.http_status == 200:
            grouped[entry.source].append(entry)
    return dict(grouped)


def source_configs(ledger: RunLedger, names: list[str]) -> dict[str, Any]:
    """Each source's rules, read once; a source that will not load is recorded and skipped."""
    configs = {}
    for name in names:
        try:
            configs[name] = load_source(name)
        except Exception as exc:  # noqa: BLE001 - the other sources still reprocess
            ledger.error(None, "source", exc, source=name)
    return configs


def gate_and_load(con, ledger: RunLedger, pages: int | None = None) -> None:
    """Gate the first ``pages`` staged pages (all: None) and load what passes, in one transaction.

    As ``flows.common.validate_and_load``, without a Prefect task run per batch and without
    rendering Data Docs per batch (``build_data_docs`` once at the end of the run).
    """
    from expectations.gate import validate_batch
    from bulletins.pipeline.stage import batch_counts, to_batch
    from warehouse.load import load_batch

    cut = len(ledger.pages) if pages is None else pages
    batch_pages, batch_urls = ledger.pages[:cut], ledger.page_urls[:cut]
    batch = to_batch(batch_pages)
    ledger.counts.update({f"staged_{t}": n for t, n in batch_counts(batch).items()})
    if not batch_pages:
        ledger.loaded = {t: ledger.loaded.get(t, 0) for t in batch}
        return
    try:
        gate = validate_batch(batch, ledger.run_id, build_docs=False)
        ledger.gate_summaries.append(gate.summary)
        cursor = con.cursor()
        try:
            counts = load_batch(cursor, gate.passed, ledger.run_id, quarantine=gate.quarantine)
        finally:
            cursor.close()
    except Exception as exc:  # noqa: BLE001 - recorded on every page it concerns, then re-raised
        failed = set(batch_urls)
        ledger.outcomes = [o for o in ledger.outcomes if o["url"] not in failed]
        for url, page in zip(batch_urls, batch_pages):
            ledger.fail(url, "load", exc, source=page.rows["documents"][0]["source"])
        raise
    ledger.quarantined += counts.pop("quarantine", 0)
    for table, n in counts.items():
        ledger.loaded[table] = ledger.loaded.get(table, 0) + n
    ledger.pages, ledger.page_urls = ledger.pages[cut:], ledger.page_urls[cut:]


def build_data_docs(run_id: str) -> str | None:
    """Render the run's Data Docs once, for every batch it validated (a failure is logged, not fatal)."""
    from expectations import gate

    return gate.build_data_docs(run_id)  # once per run: rebuilding per batch cost grew with the square of batches


def reprocess_all(con, ledger: RunLedger, archive_root: str, grouped: dict[str, list[ManifestEntry]],
                  workers: int) -> None:
    """Stage every source's pages in chunks (on ``workers`` processes), gating and loading as they come.

    Chunks come back in order; BATCH_PAGES staged pages at a time, of one source or several,
    are gated and loaded here, the warehouse's one writer, while the workers stage the next
    chunks. (The gate costs about a second a batch whatever its size: fewer, fuller batches.)
    """
    configs = source_configs(ledger, sorted(grouped))
    pieces = [(configs[name], entries) for name, entries in chunks(grouped, CHUNK_PAGES) if name in configs]
    for chunk in staged_chunks(ledger.run_id, archive_root, pieces, workers):
        ledger.merge(chunk)  # the chunk's errors name its own source
        while len(ledger.pages) >= BATCH_PAGES:  # full batches now; the rest waits for more chunks
            gate_and_load(con, ledger, BATCH_PAGES)
    gate_and_load(con, ledger)


@flow(name=FLOW, on_crashed=[mark_run_crashed])
def reprocess(source: str | None = None, db_path: str | None = None,
              archive_root: str | None = None, workers: int | None = None) -> dict[str, Any]:
    """Reprocess the archive (one source, or all); the run's summary is the flow's result.

    ``workers``: processes that parse and extract (default ``BULLETINS_WORKERS``, else the
    CPUs; 1 runs everything in this process). The warehouse is loaded by this process only.
    """
    logger = get_run_logger()
    ledger = RunLedger(current_run_id(), source or "*")
    archive_path = Path(archive_root) if archive_root else settings.archive_dir()
    archive = RawArchive(archive_path)
    con = connect(db_path)
    try:
        state.mark_abandoned(con, FLOW, source)
        state.start_run(con, ledger.run_id, FLOW, source)
        status, message = "completed", None
        try:
            grouped = article_entries(archive, source)
            for number, why in archive.bad_lines:  # said on the run, never skipped silently
                ledger.error(None, "archive", f"manifest line {number} skipped: {why}")
            reprocess_all(con, ledger, str(archive_path), grouped, workers or settings.reprocess_workers())
            status = "warning" if ledger.errors else "completed"
        except Exception as exc:  # noqa: BLE001 - recorded on the run row; the flow ends Failed
            status, message = "failed", describe(exc)
        if ledger.gate_summaries:
            build_data_docs(ledger.run_id)
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
