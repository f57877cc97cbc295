"""``bulletins sql``: one read-only query against the warehouse, printed as a table or as CSV.

Analysts without a DuckDB shell get the same answers from the project's own venv. What a
query can touch is decided here, not left to the query (README, "What ``bulletins sql``
can and cannot touch"):

- one statement, and only a query (SELECT, WITH, DESCRIBE, SHOW, EXPLAIN): no COPY,
  EXPORT, ATTACH, INSTALL, LOAD, SET, CREATE or PRAGMA;
- a read-only connection, so the warehouse itself cannot change;
- DuckDB's ``enable_external_access`` off, extension auto-install and auto-load off, and
  ``lock_configuration`` on, so no query can read or write a file, fetch a URL or load an
  extension, nor switch any of that back on. ``--allow-read DIR`` lets queries read files
  under DIR (``read_csv('DIR/x.csv')``), and nothing else.

``--csv`` writes every row, streamed; ``--max-rows`` limits the table view only, and the
view says when it cut. The command itself (argparse, exit codes, a reader that closes the
pipe early) is bulletins.cli.warehouse.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path
from typing import IO, Iterator

import duckdb

from bulletins import settings

# Statement types a query may be: DESCRIBE and SHOW are SELECTs to DuckDB.
QUERY_TYPES = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
# Set before the configuration is locked: what makes the connection harmless.
SAFE_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
FETCH_ROWS = 10_000  # rows fetched at a time when streaming CSV


class RefusedQuery(ValueError):
    """A query ``bulletins sql`` will not run (several statements, or not a query)."""


def safe_connection(db: str | os.PathLike | None, allow_read: list[str] | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse that cannot reach files, the network or extensions."""
    path = Path(db) if db else settings.db_path()
    if not path.is_file():
        raise FileNotFoundError(f"no warehouse at {path}")
    con = duckdb.connect(str(path), read_only=True, config=SAFE_CONFIG)
    try:
        if allow_read:
            dirs = [str(Path(d).resolve()) + os.sep for d in allow_read]
            con.execute("SET allowed_directories = ?", [dirs])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")  # no SET in a query can undo the above
    except BaseException:
        con.close()
        raise
    return con


def check_query(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Raise RefusedQuery unless ``query`` is exactly one query statement."""
    statements = con.extract_statements(query)
    if len(statements) != 1:
        raise RefusedQuery(f"one statement at a time, please (got {len(statements)})")
    kind = statements[0].type
    if kind not in QUERY_TYPES:
        raise RefusedQuery(
            f"bulletins sql is read-only: it runs queries (SELECT, WITH, DESCRIBE, SHOW, EXPLAIN), not {kind.name}"
        )


def open_query(
    db: str | None, query: str, allow_read: list[str] | None = None
) -> tuple[duckdb.DuckDBPyConnection, list[str]]:
    """A connection with ``query`` executed on it, and the result's column names."""
    con = safe_connection(db, allow_read)
    try:
        check_query(con, query)
        cursor = con.execute(query)
        return con, [d[0] for d in cursor.description or []]
    except BaseException:
        con.close()
        raise


def run_query(
    db: str | None, query: str, max_rows: int, allow_read: list[str] | None = None
) -> tuple[list[str], list[tuple], bool]:
    """The column names, at most ``max_rows`` rows, and whether more rows were left out."""
    con, columns = open_query(db, query, allow_read)
    try:
        rows = con.fetchmany(max_rows + 1)
        return columns, rows[:max_rows], len(rows) > max_rows
    finally:
        con.close()


def stream_rows(con: duckdb.DuckDBPyConnection) -> Iterator[tuple]:
    """Every row of the executed query, fetched in batches."""
    while True:
        rows = con.fetchmany(FETCH_ROWS)
        if not rows:
            return
        yield from rows


def write_csv(db: str | None, query: str, out: IO[str], allow_read: list[str] | None = None) -> int:
    """Every row of the query as CSV (header first) on ``out``; returns the rows written."""
    con, columns = open_query(db, query, allow_read)
    try:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        written = 0
        for row in stream_rows(con):
            writer.writerow(row)
            written += 1
        return written
    finally:
        con.close()


def print_table(columns: list[str], rows: list[tuple], cut: bool = False, out: IO[str] | None = None) -> None:
    """Rows as an aligned text table (CJK characters counted as two columns wide)."""
    out = out or sys.stdout
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    for line in [columns, ["-" * w for w in widths]] + cells:
        print("  ".join(v + " " * (w - _width(v)) for v, w in zip(line, widths)).rstrip(), file=out)
    if cut:
        print(f"({len(rows)} rows shown; the result has more: raise --max-rows, or use --csv for every row)", file=out)
    else:
        print(f"({len(rows)} rows)", file=out)


def _width(text: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)
