"""``bulletins sql``: one query against the warehouse, read-only, printed as a table.

Analysts without a DuckDB shell get the same answers from the project's own venv;
``--csv`` writes machine-readable output for a spreadsheet or another tool.
"""
from __future__ import annotations

import argparse
import csv
import sys

from warehouse.db import connect


def run_query(db: str | None, query: str, max_rows: int):
    """The query's column names and at most ``max_rows`` rows, from a read-only connection."""
    con = connect(db, read_only=True)
    try:
        cursor = con.execute(query)
        columns = [d[0] for d in cursor.description or []]
        return columns, cursor.fetchmany(max_rows)
    finally:
        con.close()


def print_table(columns: list[str], rows: list[tuple]) -> None:
    """Rows as an aligned text table (CJK characters counted as two columns wide)."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    for line in [columns, ["-" * w for w in widths]] + cells:
        print("  ".join(v + " " * (w - _width(v)) for v, w in zip(line, widths)).rstrip())
    print(f"({len(rows)} rows)")


def _width(text: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def run_sql_cli(args: argparse.Namespace) -> int:
    """Entry point of ``bulletins sql QUERY [--db FILE] [--csv] [--max-rows N]``."""
    try:
        columns, rows = run_query(args.db, args.query, args.max_rows)
    except Exception as exc:  # noqa: BLE001 - a bad query is the user's to fix: say why, exit 1
        print(f"query failed: {exc}", file=sys.stderr)
        return 1
    if args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        print_table(columns, rows)
    return 0
