"""Bulk loads of a staged batch into the warehouse, in one transaction, idempotently.

A batch is ``dict[table name, DataFrame]`` with exactly the table's columns except
``run_id`` and ``loaded_at``, which are stamped here. Loading replaces every row derived
from the batch's documents (delete by ``document_id``, then insert), so loading the same
documents again leaves the same rows. Frames are registered with DuckDB and inserted with
one ``INSERT … SELECT`` each: no row-by-row loops.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from typing import Iterator

import duckdb
import pandas as pd

from warehouse.db import run, table_columns, transaction
from warehouse.publish import publish

# Parents before children: the order rows are inserted in.
FACT_TABLES = ("documents", "articles", "meetings", "meeting_participants", "indicators")
STAMPED = ("run_id", "loaded_at")

# The column that carries each row's run when several runs' batches load together.
RUN_COLUMN = "__run_id"

# Children before parents: what "every row derived from these documents" means, per table.
DELETES = (
    (
        "meeting_participants",
        "DELETE FROM meeting_participants WHERE meeting_id IN "
        "(SELECT meeting_id FROM meetings WHERE document_id IN (SELECT document_id FROM {ids}))"
        " OR split_part(meeting_id, ':', 1) IN (SELECT document_id FROM {ids})",
    ),
    ("meetings", "DELETE FROM meetings WHERE document_id IN (SELECT document_id FROM {ids})"),
    ("indicators", "DELETE FROM indicators WHERE document_id IN (SELECT document_id FROM {ids})"),
    ("articles", "DELETE FROM articles WHERE document_id IN (SELECT document_id FROM {ids})"),
    ("documents", "DELETE FROM documents WHERE document_id IN (SELECT document_id FROM {ids})"),
)


class BatchShapeError(ValueError):
    """A staged frame whose columns are not its table's columns."""


def now_utc() -> datetime:
    """The current time as a naive UTC timestamp (how the warehouse stores times)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def batch_document_ids(batch: dict[str, pd.DataFrame]) -> list[str]:
    """Every document a batch touches, from any of its frames."""
    ids: set[str] = set()
    for table, frame in batch.items():
        if frame is None or frame.empty:
            continue
        if "document_id" in frame.columns:
            ids.update(frame["document_id"].dropna().astype(str))
        elif table == "meeting_participants":
            ids.update(frame["meeting_id"].dropna().astype(str).str.split(":").str[0])
    return sorted(ids)


def check_columns(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The table's loadable columns; raise if the frame's columns differ from them."""
    columns = [(name, dtype) for name, dtype in table_columns(con, table) if name not in STAMPED]
    expected = {name for name, _ in columns}
    got = set(frame.columns)
    if expected != got:
        raise BatchShapeError(
            f"{table}: missing columns {sorted(expected - got)}, unexpected columns {sorted(got - expected)}"
        )
    return columns


@contextmanager
def staged(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> Iterator[str]:
    """``frame`` registered under a fresh name for the block; unregistered after it."""
    name = f"stage_{uuid.uuid4().hex[:12]}"
    con.register(name, frame)
    try:
        yield name
    except BaseException:
        # Inside an aborted transaction DuckDB refuses the unregister too; that refusal
        # must not hide the error that aborted it (a constraint violation, say).
        with suppress(duckdb.Error):
            con.unregister(name)
        raise
    con.unregister(name)


def loadable(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as DuckDB should read it: typed columns as they are (stage.to_batch types every
    column), and in any object column NaN made None, since DuckDB would load NaN or fail to
    cast it to INTEGER."""
    objects = [c for c in frame.columns if frame[c].dtype == object]
    if not objects:
        return frame
    out = frame.copy()
    for column in objects:
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def insert_frame(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, run_id: str, loaded_at: datetime
) -> int:
    """``INSERT … SELECT`` the frame into ``table``, cast to the table's types; return rows."""
    if frame is None or frame.empty:
        return 0
    _insert_select(con, table, frame, check_columns(con, table, frame), "?", [run_id, loaded_at])
    return len(frame)


def delete_documents(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> dict[str, int]:
    """Delete every row derived from these documents; return rows deleted per table."""
    if not document_ids:
        return {}
    deleted = {}
    with staged(con, pd.DataFrame({"document_id": pd.Series(document_ids, dtype=object)})) as ids:
        for table, sql in DELETES:
            deleted[table] = run(con, sql.format(ids=ids))[0][0]
    return deleted


def insert_quarantine(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame | None, quarantined_at: datetime) -> int:
    """Record quarantined rows (a row already recorded for this run is kept once)."""
    if frame is None or frame.empty:
        return 0
    cols = ["run_id", "table_name", "row_key", "expectation", "reason", "row_json"]
    with staged(con, frame[cols]) as stage:
        run(
            con,
            f"INSERT INTO quarantine ({', '.join(cols)}, quarantined_at) "
            f"SELECT run_id, table_name, row_key, expectation, reason, CAST(row_json AS JSON), ? "
            f"FROM {stage} ON CONFLICT DO NOTHING",
            [quarantined_at],
        )
    return len(frame)


def load_batch(
    con: duckdb.DuckDBPyConnection,
    batch: dict[str, pd.DataFrame],
    run_id: str,
    quarantine: pd.DataFrame | None = None,
    publish_after: bool = True,
) -> dict[str, int]:
    """Load a validated batch (and its quarantined rows) in ONE transaction.

    Returns rows inserted per table (and ``quarantine``); on any error nothing is changed.
    Once committed, the batch is published to the analysts' copy (``warehouse.publish``),
    unless ``publish_after`` is False: a writer loading several batches publishes once after them.
    """
    loaded_at = now_utc()
    counts = {table: 0 for table in FACT_TABLES}
    with transaction(con):  # a failed COMMIT (full disk) is reported as itself, not as the rollback's error
        delete_documents(con, batch_document_ids(batch))
        for table in FACT_TABLES:
            counts[table] = insert_frame(con, table, batch.get(table), run_id, loaded_at)
        counts["quarantine"] = insert_quarantine(con, quarantine, loaded_at)
    if publish_after:
        publish(con)
    return counts


def load_batches(
    con: duckdb.DuckDBPyConnection, loads: list[tuple[dict[str, pd.DataFrame], str, pd.DataFrame | None]]
) -> list[dict[str, int]]:
    """Several validated batches, each ``(batch, run_id, quarantine)``, in ONE transaction; rows per table of each.

    What a writer loading a round of batches does (``bulletins.pipeline.writer``): one
    statement per table for all of them instead of a dozen per batch, each row stamped
    with its own batch's run. All or nothing; the caller loads the batches one by one when
    it fails, to find the one at fault. Not published: the caller publishes after it.
    """
    loaded_at = now_utc()
    counts = [{table: 0 for table in FACT_TABLES} for _ in loads]
    with transaction(con):
        delete_documents(con, sorted({key for batch, _, _ in loads for key in batch_document_ids(batch)}))
        for table in FACT_TABLES:
            pieces = [(n, batch[table], run_id) for n, (batch, run_id, _) in enumerate(loads) if _rows(batch, table)]
            if not pieces:
                continue
            columns = check_columns(con, table, pieces[0][1])
            for number, frame, _run in pieces:
                check_columns_as(table, frame, columns)
                counts[number][table] = len(frame)
            together = pd.concat(
                [frame.assign(**{RUN_COLUMN: run_id}) for _, frame, run_id in pieces], ignore_index=True
            )
            _insert_runs(con, table, together, columns, loaded_at)
        held = [quarantine for _, _, quarantine in loads if quarantine is not None and not quarantine.empty]
        for number, (_, _, quarantine) in enumerate(loads):
            counts[number]["quarantine"] = 0 if quarantine is None else len(quarantine)
        if held:
            insert_quarantine(con, pd.concat(held, ignore_index=True), loaded_at)
    return counts


def _rows(batch: dict[str, pd.DataFrame], table: str) -> bool:
    """True when the batch has rows for ``table``."""
    frame = batch.get(table)
    return frame is not None and not frame.empty


def check_columns_as(table: str, frame: pd.DataFrame, columns: list[tuple[str, str]]) -> None:
    """Raise unless the frame's columns are ``columns`` (the table's loadable ones, read once)."""
    expected, got = {name for name, _ in columns}, set(frame.columns)
    if expected != got:
        raise BatchShapeError(
            f"{table}: missing columns {sorted(expected - got)}, unexpected columns {sorted(got - expected)}"
        )


def _insert_runs(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, columns: list[tuple[str, str]], loaded_at: datetime
) -> None:
    """``INSERT … SELECT`` rows of several runs, each stamped with the run in its ``RUN_COLUMN``."""
    _insert_select(con, table, frame, columns, f'"{RUN_COLUMN}"', [loaded_at])


def _insert_select(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame,
    columns: list[tuple[str, str]],
    run_sql: str,
    params: list,
) -> None:
    """``INSERT … SELECT`` the frame's ``columns`` cast to the table's types, then the run (``run_sql``:
    ``?`` for one run given in ``params``, or a staged column) and ``loaded_at`` (the last of ``params``)."""
    with staged(con, loadable(frame)) as stage:
        names = ", ".join(f'"{name}"' for name, _ in columns)
        casts = ", ".join(f'CAST("{name}" AS {dtype})' for name, dtype in columns)
        run(con, f"INSERT INTO {table} ({names}, run_id, loaded_at) SELECT {casts}, {run_sql}, ? FROM {stage}", params)
