"""The ``bulletins`` console command.

The CLI room: it owns the argument parser, what a command prints, its one-line errors and
its exit codes; the rooms it calls keep plain functions with typed parameters (no
``argparse.Namespace`` outside this package). One module a family of subcommands:
``extract`` (the pure core), ``runs`` (crawl, reprocess, report: Prefect flows), ``demo``
(demo, serve-demo), ``sources`` (check-source, parse-page, add-source), ``warehouse`` (sql,
export, metrics); ``common`` holds what several share. Each subcommand imports what it
needs only when it runs, so that ``bulletins extract`` starts fast and never imports
Prefect, Great Expectations or DuckDB.
"""

from __future__ import annotations

import argparse

from bulletins.cli import demo, extract, runs, sources, warehouse

# Each subcommand's parser, in the order ``bulletins --help`` lists them.
SUBCOMMANDS = (
    extract.add_extract,
    demo.add_demo,
    runs.add_crawl,
    runs.add_reprocess,
    sources.add_check_source,
    sources.add_parse_page,
    sources.add_add_source,
    demo.add_serve_demo,
    runs.add_report,
    warehouse.add_sql,
    warehouse.add_export,
    warehouse.add_metrics,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; one subparser per subcommand, each with its handler as ``func``."""
    parser = argparse.ArgumentParser(prog="bulletins", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for add in SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)
