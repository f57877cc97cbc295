"""Prefect flow: reprocess the raw archive fanned out over Dask workers, loaded by one writer.

The archive's article pages are cut into chunks (per source, ``chunk_size`` pages), each a
task run on a Dask worker (a local cluster of ``workers`` processes, or the one at
``cluster_address``): staged as the single-process reprocess stages them, gated by the same
``gate_and_load``, whose "load" here writes a Parquet batch. Workers never open DuckDB: the
flow's process, the one writer, merges the batches in chunk order (one transaction each).
"""

from __future__ import annotations

import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect_dask import DaskTaskRunner

from bulletins import settings
from bulletins.crawl import run
from bulletins.pipeline.ledger import RunLedger, describe, gate_and_load
from bulletins.pipeline.pool import chunks, stage_archived
from expectations.gate import validate_batch
from flows.common import current_run_id, recorded_run
from warehouse import state
from warehouse.merge import merge_batches, write_batch

FLOW = "reprocess-fanout"
DEFAULT_CHUNK = 500


@task(name="stage-chunk", cache_policy=NO_CACHE)
def stage_chunk(
    run_id: str, number: int, source: str, entries: list, archive_root: str, batch_dir: str
) -> dict[str, Any]:
    """One chunk on a worker: pages → validated rows → a Parquet batch; its counts and errors."""
    ledger = RunLedger(run_id, source)
    configs = run.source_configs(ledger, [source])  # rules that will not load: the chunk's error
    if configs:
        ledger = stage_archived(run_id, archive_root, configs[source], entries)
    written: list[str] = []

    def write(passed, quarantine) -> dict[str, int]:
        """The chunk's "load": its batch, merged later by the one writer (which counts the rows)."""
        account = run.chunk_account(ledger, source)
        written.append(str(write_batch(batch_dir, f"chunk-{number:05d}", passed, quarantine, account)))
        return {}

    gate_and_load(ledger, partial(validate_batch, run_id=run_id), write)
    if not written:  # nothing staged: the batch still carries the chunk's errors
        write({}, None)
    return {"chunk": number, "source": source, "pages": ledger.counts["pages"], "errors": len(ledger.errors)}


def task_runner(workers: int = 2, cluster_address: str | None = None) -> DaskTaskRunner:
    """A Dask task runner: an existing cluster, else a local one of ``workers`` single-threaded processes."""
    if cluster_address:
        return DaskTaskRunner(address=cluster_address)
    # One thread per worker process: parsing is CPU-bound Python, threads would share one GIL.
    return DaskTaskRunner(
        cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
    )


def fan_out(run_id: str, pieces: list[tuple[str, list]], archive_root: str, batch_dir: str) -> list[dict[str, Any]]:
    """Submit every chunk to the task runner and wait for them all; a failed chunk is reported."""
    futures = [
        stage_chunk.submit(run_id, i, source, entries, archive_root, batch_dir)
        for i, (source, entries) in enumerate(pieces)
    ]
    results = []
    for (source, entries), future in zip(pieces, futures):
        try:
            results.append(future.result())
        except Exception as exc:  # noqa: BLE001 - the chunk's pages are reported, the others still load
            results.append(
                {"source": source, "pages": 0, "failed_chunk": describe(exc), "urls": [e.url for e in entries]}
            )
    return results


def _reprocess_fanout(
    source: str | None, db_path: str | None, archive_root: str | None, chunk_size: int, batch_dir: str | None
) -> dict[str, Any]:
    """The body of the flow (the task runner is chosen by the caller)."""
    ledger = RunLedger(current_run_id(), source or "*")
    data = settings.data_dir() if settings.data_dir().is_dir() else None
    staging = Path(batch_dir or tempfile.mkdtemp(prefix="batches-", dir=data))
    merged, results = {}, []
    with recorded_run(db_path, ledger.run_id, FLOW, source) as rec:  # held: this process is the one writer
        with rec.attempt():
            pieces = chunks(run.article_entries(ledger, archive_root, source), chunk_size)
            results = fan_out(ledger.run_id, pieces, str(run.archive_root(archive_root)), str(staging / ledger.run_id))
            merged = merge_batches(rec.con, staging / ledger.run_id, ledger.run_id)
        errors = run.batch_errors(merged) + run.chunk_errors(results)
        status = "failed" if rec.stopped else "warning" if errors else "completed"
        state.append_errors(rec.con, ledger.run_id, errors)
        summary = run.merged_summary(
            merged,
            errors,
            source=source,
            status=status,
            chunks=len(results),
            pages=sum(r.get("pages", 0) for r in results),
        )
        rec.finish(status, summary, rec.stopped or f"{summary['pages']} archived pages, {summary['rows_loaded']} rows")
    if not batch_dir:
        shutil.rmtree(staging, ignore_errors=True)
    get_run_logger().info("reprocess fan-out: %s", {k: v for k, v in summary.items() if k != "error_list"})
    if rec.stopped:
        raise RuntimeError(f"reprocess fan-out failed: {rec.stopped}")
    return summary


@flow(name=FLOW, task_runner=task_runner())
def reprocess_fanout_flow(
    source: str | None = None,
    db_path: str | None = None,
    archive_root: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    batch_dir: str | None = None,
) -> dict[str, Any]:
    """Reprocess the archive (one source, or all) on Dask workers; one loader merges their batches."""
    return _reprocess_fanout(source, db_path, archive_root, chunk_size, batch_dir)


def reprocess_fanout(
    source: str | None = None,
    db_path: str | None = None,
    archive_root: str | None = None,
    workers: int = 2,
    chunk_size: int = DEFAULT_CHUNK,
    batch_dir: str | None = None,
    cluster_address: str | None = None,
) -> dict[str, Any]:
    """Run the fan-out flow on a cluster of ``workers`` processes (or the one at ``cluster_address``)."""
    return reprocess_fanout_flow.with_options(task_runner=task_runner(workers, cluster_address))(
        source=source, db_path=db_path, archive_root=archive_root, chunk_size=chunk_size, batch_dir=batch_dir
    )
