"""Parquet export: every warehouse table as one ``<table>.parquet`` file, for analysts' tools."""
from __future__ import annotations

from pathlib import Path

import duckdb


def base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The warehouse's tables (not views), in name order."""
    rows = con.execute("SELECT table_name FROM information_schema.tables "
                       "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
                       "ORDER BY table_name").fetchall()
    return [name for (name,) in rows]


def _quote(name: str) -> str:
    """A SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def export_parquet(con: duckdb.DuckDBPyConnection, out_dir: str | Path) -> dict[str, int]:
    """Write each table to ``out_dir/<table>.parquet``; return rows written per table."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for table in base_tables(con):
        target = out / f"{table}.parquet"
        path = str(target).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM {_quote(table)}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
        written[table] = con.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0]
    return written
