"""Prefect flow: reprocess the raw archive fanned out over Dask workers, loaded by one writer.

The archive's article pages are cut into chunks (per source, ``chunk_size`` pages each).
Each chunk is a Prefect task run on a Dask worker (prefect-dask's ``DaskTaskRunner`` on a
local cluster of ``workers`` processes, or an existing cluster at ``cluster_address``): it
parses, extracts and stages its pages exactly as the single-process reprocess does
(``bulletins.pipeline.pool.stage_archived``), validates them with the GX gate, and writes the passed
rows and the quarantine as a Parquet batch (``warehouse.merge.write_batch``). Workers
never open DuckDB. The flow's own process is the one writer: it holds the warehouse,
merges the batches in chunk order (``warehouse.merge.merge_batches``, one transaction
per batch) and records the run. Memory per process is one chunk, whatever the archive's size.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect_dask import DaskTaskRunner

from bulletins import settings
from bulletins.crawl.archive import ManifestEntry, RawArchive
from bulletins.crawl.sources import load_source
from bulletins.pipeline.ledger import RunLedger, describe
from bulletins.pipeline.pool import chunks, stage_archived
from bulletins.pipeline.stage import batch_counts, to_batch
from flows.common import current_run_id
from flows.reprocess import article_entries
from warehouse import state
from warehouse.db import connect
from warehouse.merge import merge_batches, write_batch

FLOW = "reprocess-fanout"
MERGE_FLOW = "merge-batches"
DEFAULT_CHUNK = 500


@task(name="stage-chunk", cache_policy=NO_CACHE)
def stage_chunk(run_id: str, number: int, source: str, entries: list[ManifestEntry], archive_root: str,
                batch_dir: str) -> dict[str, Any]:
    """One chunk on a worker: pages → validated rows → a Parquet batch; its counts and errors."""
    from expectations.gate import validate_batch

    try:
        config = load_source(source)
    except Exception as exc:  # noqa: BLE001 - the source's rules would not load: the chunk says so
        ledger = RunLedger(run_id, source)
        ledger.error(None, "source", exc, source=source)
    else:
        ledger = stage_archived(run_id, archive_root, config, entries)
    passed, quarantine, summary, staged = {}, None, {}, {}
    if ledger.pages:
        batch = to_batch(ledger.pages)  # built once: validated, then counted
        gate = validate_batch(batch, run_id)
        passed, quarantine, summary, staged = gate.passed, gate.quarantine, gate.summary, batch_counts(batch)
    account = {"source": source, "pages": ledger.counts["pages"], "errors": ledger.errors,
               "staged": staged, "gate_success": summary.get("success")}
    write_batch(batch_dir, f"chunk-{number:05d}", passed, quarantine, account)
    return {"chunk": number, "source": source, "pages": account["pages"], "errors": len(ledger.errors)}


def task_runner(workers: int = 2, cluster_address: str | None = None) -> DaskTaskRunner:
    """A Dask task runner: an existing cluster, else a local one of ``workers`` single-threaded processes."""
    if cluster_address:
        return DaskTaskRunner(address=cluster_address)
    # One thread per worker process: parsing is CPU-bound Python, threads would share one GIL.
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})


def fan_out(run_id: str, pieces: list[tuple[str, list[ManifestEntry]]], archive_root: str,
            batch_dir: str) -> list[dict[str, Any]]:
    """Submit every chunk to the task runner and wait for them all; a failed chunk is reported."""
    futures = [stage_chunk.submit(run_id, i, source, entries, archive_root, batch_dir)
               for i, (source, entries) in enumerate(pieces)]
    results = []
    for (source, entries), future in zip(pieces, futures):
        try:
            results.append(future.result())
        except Exception as exc:  # noqa: BLE001 - the chunk's pages are reported, the others still load
            results.append({"source": source, "pages": 0, "failed_chunk": describe(exc),
                            "urls": [e.url for e in entries]})
    return results


def _reprocess_fanout(source: str | None, db_path: str | None, archive_root: str | None,
                      chunk_size: int, batch_dir: str | None) -> dict[str, Any]:
    """The body of the flow (the task runner is chosen by the caller)."""
    logger = get_run_logger()
    run_id = current_run_id()
    archive_path = str(Path(archive_root) if archive_root else settings.archive_dir())
    staging = Path(batch_dir) if batch_dir else Path(tempfile.mkdtemp(prefix="batches-", dir=settings.data_dir()
                                                                      if settings.data_dir().is_dir() else None))
    con = connect(db_path)  # held for the whole run: this process is the warehouse's one writer
    try:
        state.mark_abandoned(con, FLOW, source)
        state.start_run(con, run_id, FLOW, source)
        status, message, errors, merged, results = "completed", None, [], {"loaded": {}, "batches": 0}, []
        try:
            pieces = chunks(article_entries(RawArchive(archive_path), source), chunk_size)
            results = fan_out(run_id, pieces, archive_path, str(staging / run_id))
            merged = merge_batches(con, staging / run_id, run_id)
            errors = [e for ledger in merged["ledgers"] for e in ledger.get("errors", [])]
            errors += [{"source": r["source"], "url": None, "stage": "fanout", "error": r["failed_chunk"]}
                       for r in results if "failed_chunk" in r]
            status = "warning" if errors else "completed"
        except Exception as exc:  # noqa: BLE001 - recorded on the run row, then raised
            status, message = "failed", describe(exc)
        state.append_errors(con, run_id, errors)
        loaded = dict(merged["loaded"])
        quarantined = loaded.pop("quarantine", 0)
        summary = {"source": source, "status": status, "chunks": len(results), "batches": merged["batches"],
                   "pages": sum(r.get("pages", 0) for r in results), "errors": len(errors), "loaded": loaded,
                   "rows_loaded": sum(loaded.values()), "quarantined": quarantined,
                   "error_list": [f"{e['stage']} {e.get('url') or ''}: {e['error']}" for e in errors[:20]]}
        state.finish_run(con, run_id, status, summary, message or
                         f"{summary['pages']} archived pages in {summary['chunks']} chunks, "
                         f"{summary['rows_loaded']} rows loaded")
    finally:
        con.close()
    if not batch_dir:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info("reprocess fan-out: %s", {k: v for k, v in summary.items() if k != "error_list"})
    if status == "failed":
        raise RuntimeError(f"reprocess fan-out failed: {message}")
    return summary


@flow(name=FLOW, task_runner=task_runner())
def reprocess_fanout_flow(source: str | None = None, db_path: str | None = None, archive_root: str | None = None,
                          chunk_size: int = DEFAULT_CHUNK, batch_dir: str | None = None) -> dict[str, Any]:
    """Reprocess the archive (one source, or all) on Dask workers; one loader merges their batches."""
    return _reprocess_fanout(source, db_path, archive_root, chunk_size, batch_dir)


def reprocess_fanout(source: str | None = None, db_path: str | None = None, archive_root: str | None = None,
                     workers: int = 2, chunk_size: int = DEFAULT_CHUNK, batch_dir: str | None = None,
                     cluster_address: str | None = None) -> dict[str, Any]:
    """Run the fan-out flow on a cluster of ``workers`` processes (or the one at ``cluster_address``)."""
    runner = task_runner(workers, cluster_address)
    return reprocess_fanout_flow.with_options(task_runner=runner)(
        source=source, db_path=db_path, archive_root=archive_root, chunk_size=chunk_size, batch_dir=batch_dir)


@flow(name=MERGE_FLOW)
def merge_batches_flow(batch_dir: str, db_path: str | None = None) -> dict[str, Any]:
    """Merge the Parquet batches waiting in ``batch_dir`` into the warehouse (the one writer).

    For batches written elsewhere (workers on other machines, a fan-out whose loader died):
    a merge killed half-way leaves whole batches only, and running it again finishes it.
    """
    logger = get_run_logger()
    run_id = current_run_id()
    con = connect(db_path)
    try:
        crashed = state.mark_abandoned(con, MERGE_FLOW, None)
        if crashed:
            logger.warning("%d earlier merge run(s) were still 'running': marked crashed", crashed)
        state.start_run(con, run_id, MERGE_FLOW, None)
        try:
            merged = merge_batches(con, batch_dir, run_id, on_batch=lambda path, rows: logger.info(
                "merging %s: %s", path.name, ", ".join(f"{t} {n}" for t, n in rows.items())))
        except Exception as exc:  # noqa: BLE001 - recorded on the run row, then raised
            state.finish_run(con, run_id, "failed", {}, describe(exc))
            raise
        errors = [e for ledger in merged["ledgers"] for e in ledger.get("errors", [])]
        state.append_errors(con, run_id, errors)
        loaded = dict(merged["loaded"])
        summary = {"batches": merged["batches"], "quarantined": loaded.pop("quarantine", 0), "loaded": loaded,
                   "rows_loaded": sum(loaded.values()), "errors": len(errors)}
        state.finish_run(con, run_id, "warning" if errors else "completed", summary,
                         f"{summary['batches']} batches merged, {summary['rows_loaded']} rows loaded")
    finally:
        con.close()
    logger.info("merged: %s", summary)
    return summary
