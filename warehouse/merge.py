"""Parquet batches in, DuckDB out: how workers that cannot write the warehouse hand it their rows.

DuckDB admits one writing process per file, so work spread over processes or machines (the
reprocess fan-out, flows/fanout.py) stages its validated rows as *batches*: one folder per
batch holding one Parquet file per table (``documents.parquet`` ... ``quarantine.parquet``)
and ``ledger.json`` (the batch's recorded errors and counts). A batch folder is written
under a temporary name and renamed when complete, so a reader never sees half of one.

One loader (the flow's own process) then merges the batches, each with
``warehouse.load.load_batch``: one transaction per batch, replacing every row derived
from the batch's documents, so merging a batch twice changes nothing and a merge killed
half-way is finished by merging again. Merged batches are renamed ``*.merged``.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any, Callable

import duckdb
import pandas as pd

from warehouse.load import FACT_TABLES, load_batch

QUARANTINE = "quarantine"
LEDGER = "ledger.json"
PENDING_PREFIX = ".writing-"
MERGED_SUFFIX = ".merged"


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """One frame to a Parquet file, written by an in-memory DuckDB (no pyarrow needed)."""
    con = duckdb.connect()
    try:
        con.register("frame", frame)
        con.execute(f"COPY (SELECT * FROM frame) TO '{path}' (FORMAT parquet)")
    finally:
        con.close()


def write_batch(
    folder: str | Path,
    name: str,
    passed: dict[str, pd.DataFrame],
    quarantine: pd.DataFrame | None = None,
    ledger: dict[str, Any] | None = None,
) -> Path:
    """Write one batch as ``folder/name/`` (atomically: complete or absent); return its path."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    pending = root / f"{PENDING_PREFIX}{name}-{uuid.uuid4().hex[:8]}"
    pending.mkdir()
    tables = {**passed, QUARANTINE: quarantine}
    for table, frame in tables.items():
        if frame is not None and not frame.empty:
            _write_parquet(frame, pending / f"{table}.parquet")
    (pending / LEDGER).write_text(json.dumps(ledger or {}, ensure_ascii=False, default=str), encoding="utf-8")
    target = root / name
    os.replace(pending, target)  # the batch appears whole, or not at all
    return target


def pending_batches(folder: str | Path) -> list[Path]:
    """Complete batches not merged yet, in name order."""
    root = Path(folder)
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and not p.name.startswith(PENDING_PREFIX) and not p.name.endswith(MERGED_SUFFIX)
    )


def read_batch(
    con: duckdb.DuckDBPyConnection, batch: Path
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame | None, dict]:
    """(frames by table, quarantine, ledger) of one batch folder."""
    frames = {}
    for table in (*FACT_TABLES, QUARANTINE):
        path = batch / f"{table}.parquet"
        if path.exists():
            frames[table] = con.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
    quarantine = frames.pop(QUARANTINE, None)
    ledger_path = batch / LEDGER
    ledger = json.loads(ledger_path.read_text(encoding="utf-8")) if ledger_path.exists() else {}
    return frames, quarantine, ledger


def merge_batches(
    con: duckdb.DuckDBPyConnection,
    folder: str | Path,
    run_id: str,
    on_batch: Callable[[Path, dict[str, int]], None] | None = None,
) -> dict[str, Any]:
    """Load every pending batch of ``folder`` into the warehouse; rows per table and the ledgers.

    Each batch is its own transaction (``load_batch``): memory holds one batch at a time,
    and a batch is in the warehouse whole or not at all. ``on_batch(path, rows per table)``
    is called just before each batch's transaction begins (progress lines).
    """
    totals: dict[str, int] = {table: 0 for table in (*FACT_TABLES, QUARANTINE)}
    ledgers = []
    for batch in pending_batches(folder):
        frames, quarantine, ledger = read_batch(con, batch)
        if on_batch is not None:
            on_batch(batch, {table: len(frame) for table, frame in frames.items()})
        counts = load_batch(con, frames, run_id, quarantine=quarantine)
        for table, rows in counts.items():
            totals[table] = totals.get(table, 0) + rows
        ledgers.append(ledger)
        os.replace(batch, batch.with_name(batch.name + MERGED_SUFFIX))
    return {"loaded": totals, "batches": len(ledgers), "ledgers": ledgers}
