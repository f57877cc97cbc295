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

from functools import partial
from typing import Any

from prefect import flow, get_run_logger

from bulletins import settings
from bulletins.crawl import run
from bulletins.pipeline.ledger import SHOWN, RunLedger, gate_and_load
from bulletins.pipeline.pool import chunks, staged_chunks
from expectations import gate
from flows.common import current_run_id, mark_run_crashed, recorded_run
from flows.report import finish_run_loudly, publish_summary
from warehouse import state
from warehouse.load import load_batch

FLOW = "reprocess"
# Pages gated and loaded per transaction: bounds memory on an archive of any size, and
# is large enough that the gate's fixed cost per batch (GX builds a metric graph per
# suite) is small beside its cost per row.
BATCH_PAGES = 2000
# Pages per chunk handed to a worker: small enough to keep both workers busy to the end.
CHUNK_PAGES = 100


def load_with(con, run_id: str):
    """A loader of gated batches into ``con`` (through a cursor: a connection of its own)."""

    def load(passed, quarantine):
        cursor = con.cursor()
        try:
            return load_batch(cursor, passed, run_id, quarantine=quarantine)
        finally:
            cursor.close()

    return load


def reprocess_all(con, ledger: RunLedger, archive_root: str | None, source: str | None, workers: int) -> None:
    """Stage every source's pages in chunks (on ``workers`` processes), gating and loading as they come.

    Chunks come back in order; BATCH_PAGES staged pages at a time, of one source or several,
    are gated and loaded here, the warehouse's one writer, while the workers stage the next
    chunks. (The gate costs about a second a batch whatever its size: fewer, fuller batches.)
    Data Docs are rendered once at the end: rebuilding them per batch cost grew with the square of batches.
    """
    grouped = run.article_entries(ledger, archive_root, source)
    configs = run.source_configs(ledger, sorted(grouped))
    pieces = [(configs[name], entries) for name, entries in chunks(grouped, CHUNK_PAGES) if name in configs]
    check = partial(gate.validate_batch, run_id=ledger.run_id, build_docs=False)
    load = load_with(con, ledger.run_id)
    for chunk in staged_chunks(ledger.run_id, str(run.archive_root(archive_root)), pieces, workers):
        ledger.merge(chunk)  # the chunk's errors name its own source
        while len(ledger.pages) >= BATCH_PAGES:  # full batches now; the rest waits for more chunks
            gate_and_load(ledger, check, load, BATCH_PAGES)
    gate_and_load(ledger, check, load)


def reprocess_summary(ledger: RunLedger, source: str | None, status: str) -> dict[str, Any]:
    """What a reprocess run did, as stored on its run row."""
    return {
        "source": source,
        "status": status,
        "pages": ledger.counts["pages"],
        "errors": len(ledger.errors),
        "loaded": ledger.loaded,
        "rows_loaded": sum(ledger.loaded.values()),
        "quarantined": ledger.quarantined,
        "archive_torn_lines": ledger.counts["archive_torn_lines"],
        "error_list": [f"{e['stage']} {e['url'] or ''}: {e['error']}" for e in ledger.errors[:SHOWN]],
    }


@flow(name=FLOW, on_crashed=[mark_run_crashed])
def reprocess(
    source: str | None = None, db_path: str | None = None, archive_root: str | None = None, workers: int | None = None
) -> dict[str, Any]:
    """Reprocess the archive (one source, or all); the run's summary is the flow's result.

    ``workers``: processes that parse and extract (default ``BULLETINS_WORKERS``, else the
    CPUs; 1 runs everything in this process). The warehouse is loaded by this process only.
    """
    ledger = RunLedger(current_run_id(), source or "*")
    with recorded_run(db_path, ledger.run_id, FLOW, source) as rec:
        with rec.attempt():
            reprocess_all(rec.con, ledger, archive_root, source, workers or settings.reprocess_workers())
        reason = rec.stopped or run.reprocess_problem(ledger)
        status = "failed" if reason else "warning" if ledger.errors else "completed"
        if ledger.gate_summaries:
            gate.build_data_docs(ledger.run_id)
        state.append_errors(rec.con, ledger.run_id, ledger.errors)
        summary = reprocess_summary(ledger, source, status)
        rec.finish(
            status, summary, reason or f"{summary['pages']} archived pages, {summary['rows_loaded']} rows loaded"
        )
        get_run_logger().info("reprocess: %s", summary)
        publish_summary("Reprocess", f"reprocess-{source or 'all'}", summary)
        return finish_run_loudly(
            ledger.run_id,
            FLOW,
            gate_summary=ledger.gate_summary(),
            source_errors={source or "*": reason} if reason else None,
            counts={k: summary[k] for k in ("pages", "errors", "rows_loaded", "quarantined")},
            con=rec.con,
            result=summary,
        )
