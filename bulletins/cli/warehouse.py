"""The analysts' subcommands: ``sql`` (one read-only query), ``export`` (tables to files), ``metrics`` (the catalogue)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bulletins.cli.common import quiet_broken_pipe, refuse, warehouse_problem


def add_sql(sub: argparse._SubParsersAction) -> None:
    """``sql QUERY [--db FILE] [--csv] [--max-rows N] [--allow-read DIR]``."""
    p = sub.add_parser("sql", help="run one read-only SQL query on the warehouse and print the result")
    p.add_argument("query", help='e.g. "SELECT * FROM v_meetings_by_month"')
    p.add_argument("--db", help="DuckDB file")
    p.add_argument("--csv", action="store_true", help="every row as CSV on stdout instead of a table")
    p.add_argument(
        "--max-rows",
        type=int,
        default=200,
        help="rows the table view shows at most (default 200; --csv writes every row)",
    )
    p.add_argument(
        "--allow-read",
        action="append",
        metavar="DIR",
        help="let the query read files under DIR (read_csv, read_parquet …); repeatable",
    )
    p.set_defaults(func=lambda args: sql(args.query, args.db, args.csv, args.max_rows, args.allow_read))


def add_export(sub: argparse._SubParsersAction) -> None:
    """``export --out DIR [--format parquet|csv|both] [--db FILE]``."""
    p = sub.add_parser("export", help="export every warehouse table to Parquet and/or CSV")
    p.add_argument("--out", required=True, help="folder to write one file per table and format")
    p.add_argument(
        "--format",
        choices=("parquet", "csv", "both"),
        default="parquet",
        help="parquet (default), csv (with a header row), or both",
    )
    p.add_argument("--db", help="DuckDB file")
    p.set_defaults(func=lambda args: export(args.out, args.db, args.format))


def add_metrics(sub: argparse._SubParsersAction) -> None:
    """``metrics [--unmapped | --rekey] [--limit N] [--db FILE]``."""
    p = sub.add_parser("metrics", help="the metric catalogue (warehouse/metrics.yaml) against the warehouse")
    p.add_argument("--unmapped", action="store_true", help="the most frequent metric names no entry maps, to curate")
    p.add_argument("--rekey", action="store_true", help="apply the catalogue to the indicators already loaded")
    p.add_argument("--limit", type=int, default=30, help="names listed at most (default 30)")
    p.add_argument("--db", help="DuckDB file")
    p.set_defaults(func=lambda args: metrics(args.db, args.unmapped, args.rekey, args.limit))


def sql(
    query: str, db: str | None = None, csv: bool = False, max_rows: int = 200, allow_read: list[str] | None = None
) -> int:
    """The query's rows as a table (at most ``max_rows``) or every row as CSV; exit 1 with the reason when it fails."""
    from warehouse.sql import print_table, run_query, write_csv

    try:
        if csv:
            write_csv(db, query, sys.stdout, allow_read)
        else:
            print_table(*run_query(db, query, max_rows, allow_read))
        sys.stdout.flush()
    except BrokenPipeError:
        return quiet_broken_pipe()
    except Exception as exc:  # noqa: BLE001 - a bad query is the user's to fix: say why, exit 1
        print(f"query failed: {exc}", file=sys.stderr)
        return 1
    return 0


def export(out: str, db: str | None = None, fmt: str = "parquet") -> int:
    """One file per table and format under ``out``; a line per file written."""
    from bulletins import settings

    db = db or str(settings.db_path())
    problem = warehouse_problem(db, write=False)
    if problem:
        return refuse("export", problem)
    if not Path(db).exists():
        print(f"export failed: no warehouse at {db}", file=sys.stderr)
        return 1
    import duckdb

    from warehouse.db import connect
    from warehouse.export import export_tables, formats_for

    con = connect(db, read_only=True)
    try:
        written = export_tables(con, out, formats_for(fmt))
    except (OSError, duckdb.IOException) as exc:  # a folder that cannot be written: say so, no traceback
        print(f"export failed: cannot write under {out}: {_first_line(exc)}", file=sys.stderr)
        return 1
    finally:
        con.close()
    for suffix, tables in written.items():
        for table, rows in tables.items():
            print(f"{table}: {rows} rows -> {Path(out) / (table + '.' + suffix)}")
    return 0


def _first_line(exc: BaseException) -> str:
    """An error's message, its first line only (DuckDB adds hints on later lines)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def metrics(db: str | None = None, unmapped: bool = False, rekey: bool = False, limit: int = 30) -> int:
    """Re-key the loaded indicators, list the names no entry maps, or show the catalogue with its row counts."""
    from warehouse import metrics as catalogue
    from warehouse.db import connect
    from warehouse.sql import print_table

    try:
        con = connect(db, read_only=not rekey)
    except Exception as exc:  # noqa: BLE001 - a CLI says why and exits non-zero
        print(f"metrics failed: {exc}", file=sys.stderr)
        return 1
    try:
        if rekey:
            changed = catalogue.rekey_published(con)
            print(f"{changed} indicator rows re-keyed from {catalogue.CATALOGUE.name}")
        elif unmapped:
            print_table(["metric", "rows", "sources"], catalogue.unmapped(con, limit))
        else:
            print_table(["key", "name", "family", "rows"], catalogue.catalogue_counts(con))
    finally:
        con.close()
    return 0
