"""Export: every warehouse table as ``<table>.parquet`` and/or ``<table>.csv``, for analysts' tools.

CSV files have a header row and every row of the table (UTF-8, RFC 4180 quoting by DuckDB).
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The warehouse's tables (not views), in name order."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
        "ORDER BY table_name"
    ).fetchall()
    return [name for (name,) in rows]


def _quote(name: str) -> str:
    """A SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


# Each format: its file suffix and DuckDB's COPY options for it.
FORMATS = {
    "parquet": ("parquet", "FORMAT parquet, COMPRESSION zstd"),
    "csv": ("csv", "FORMAT csv, HEADER true"),
}


def formats_for(choice: str) -> tuple[str, ...]:
    """The formats an ``--format`` choice stands for: parquet, csv, or both."""
    return tuple(FORMATS) if choice == "both" else (choice,)


def export_tables(
    con: duckdb.DuckDBPyConnection, out_dir: str | Path, formats: tuple[str, ...] = ("parquet",)
) -> dict[str, dict[str, int]]:
    """Write each table to ``out_dir/<table>.<suffix>`` per format; rows written per format and table."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, dict[str, int]] = {}
    for fmt in formats:
        suffix, options = FORMATS[fmt]
        written[fmt] = {}
        for table in base_tables(con):
            path = str(out / f"{table}.{suffix}").replace("'", "''")
            con.execute(f"COPY (SELECT * FROM {_quote(table)}) TO '{path}' ({options})")
            written[fmt][table] = con.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0]
    return written


def export_parquet(con: duckdb.DuckDBPyConnection, out_dir: str | Path) -> dict[str, int]:
    """Write each table to ``out_dir/<table>.parquet``; return rows written per table."""
    return export_tables(con, out_dir, ("parquet",))["parquet"]
