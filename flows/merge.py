"""Prefect flow: merge Parquet batches into the warehouse, as the one writer.

For batches written elsewhere (the fan-out's workers on other machines, a fan-out whose
loader died): each batch is one transaction, a merge killed half-way leaves whole batches
only, and running it again finishes it (``warehouse.merge``).
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger

from bulletins.crawl import run
from flows.common import current_run_id, recorded_run
from warehouse import state
from warehouse.merge import merge_batches

MERGE_FLOW = "merge-batches"


@flow(name=MERGE_FLOW)
def merge_batches_flow(batch_dir: str, db_path: str | None = None) -> dict[str, Any]:
    """Merge the Parquet batches waiting in ``batch_dir`` into the warehouse (the one writer): batches
    written elsewhere, or by a fan-out whose loader died; a merge killed half-way is finished by another."""
    logger = get_run_logger()
    progress = lambda path, rows: logger.info("merging %s: %s", path.name, rows)  # noqa: E731
    with recorded_run(db_path, current_run_id(), MERGE_FLOW, None) as rec:  # a failed merge: row failed, raised
        merged = merge_batches(rec.con, batch_dir, rec.run_id, on_batch=progress)
        errors = run.batch_errors(merged)
        state.append_errors(rec.con, rec.run_id, errors)
        summary = run.merged_summary(merged, errors)
        rec.finish(
            "warning" if errors else "completed",
            summary,
            f"{summary['batches']} batches merged, {summary['rows_loaded']} rows loaded",
        )
    logger.info("merged: %s", summary)
    return summary
