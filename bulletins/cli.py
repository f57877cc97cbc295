"""The ``bulletins`` console command.

Each subcommand imports what it needs only when it runs, so that ``bulletins extract``
starts fast and never imports Prefect or Great Expectations.
"""

from __future__ import annotations

import argparse
import sys


def _extract(args: argparse.Namespace) -> int:
    from bulletins.core.cli_extract import run

    return run(args)


def _demo(args: argparse.Namespace) -> int:
    from flows.demo import run_demo_cli

    return run_demo_cli(args)


def _crawl(args: argparse.Namespace) -> int:
    from flows.cli import crawl_cli

    return crawl_cli(args)


def _reprocess(args: argparse.Namespace) -> int:
    from flows.cli import reprocess_cli

    return reprocess_cli(args)


def _check_source(args: argparse.Namespace) -> int:
    from bulletins.crawl.check import check_source_cli

    return check_source_cli(args)


def _parse_page(args: argparse.Namespace) -> int:
    from bulletins.crawl.check import parse_page_cli

    return parse_page_cli(args)


def _add_source(args: argparse.Namespace) -> int:
    from bulletins.crawl.add_source import add_source_cli

    return add_source_cli(args)


def _serve_demo(args: argparse.Namespace) -> int:
    from demo.server import serve_cli

    return serve_cli(args)


def _report(args: argparse.Namespace) -> int:
    from flows.report import report_cli

    return report_cli(args)


def _export(args: argparse.Namespace) -> int:
    from flows.report import export_cli

    return export_cli(args)


def _sql(args: argparse.Namespace) -> int:
    from warehouse.sql import run_sql_cli

    return run_sql_cli(args)


def _metrics(args: argparse.Namespace) -> int:
    from warehouse.metrics import metrics_cli

    return metrics_cli(args)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; one subparser per subcommand."""
    parser = argparse.ArgumentParser(prog="bulletins", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract meetings and indicators from JSON Lines on stdin")
    p.add_argument(
        "--jsonl",
        action="store_true",
        required=True,
        help="read {id,text,url,published} lines on stdin, write one result line each",
    )
    p.add_argument(
        "--max-seconds",
        type=float,
        default=30.0,
        help="time limit of one document's extraction (0: none); over it, the line is an error",
    )
    p.set_defaults(func=_extract)

    p = sub.add_parser("demo", help="the main job against the bundled offline demo site")
    p.add_argument("--db", help="DuckDB file (default: $BULLETINS_DB or data/bulletins.duckdb)")
    p.add_argument("--report", help="where to write the HTML report")
    p.add_argument("--port", type=int, help="serve the demo site on this port (default 8765, a free one when taken)")
    p.set_defaults(func=_demo)

    p = sub.add_parser("crawl", help="crawl one source, or every enabled source")
    p.add_argument("source", nargs="?", help="source name (a file sources/NAME.yaml); all enabled if omitted")
    p.add_argument("--db", help="DuckDB file")
    p.set_defaults(func=_crawl)

    p = sub.add_parser("reprocess", help="parse, extract, validate and load again from the raw archive")
    p.add_argument("--source", help="only this source")
    p.add_argument("--db", help="DuckDB file")
    p.add_argument(
        "--workers",
        type=int,
        help="processes that parse and extract (default: BULLETINS_WORKERS, else the number of CPUs; 1: none)",
    )
    p.set_defaults(func=_reprocess)

    p = sub.add_parser("check-source", help="fetch one list page and one article; show what each selector found")
    p.add_argument("name", help="source name (sources/NAME.yaml)")
    p.add_argument("--base-url", help="fetch from this base URL instead of the configured one")
    p.set_defaults(func=_check_source)

    p = sub.add_parser("parse-page", help="parse one saved page as the crawl would; print title, date, body")
    p.add_argument("file", help="the page's bytes as saved (any charset)")
    p.add_argument("--url", help="the page's URL (its date may be in it)")
    p.add_argument("--source", help="read with this source's selectors (default: generic extraction)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_parse_page)

    p = sub.add_parser("add-source", help="draft sources/NAME.yaml (disabled) from a site's list page")
    p.add_argument("name", help="source name, lower_snake_case")
    p.add_argument("list_url", help="the list page of the site's articles")
    p.add_argument("--articles", type=int, default=3, help="article pages fetched to learn from (default 3)")
    p.add_argument("--force", action="store_true", help="overwrite an existing sources/NAME.yaml")
    p.set_defaults(func=_add_source)

    p = sub.add_parser("serve-demo", help="serve the bundled demo site over HTTP")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--host", default="127.0.0.1")
    p.set_defaults(func=_serve_demo)

    p = sub.add_parser("report", help="build the self-contained HTML report from the warehouse")
    p.add_argument("--out", required=True, help="HTML file to write")
    p.add_argument("--db", help="DuckDB file")
    p.set_defaults(func=_report)

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
    p.set_defaults(func=_sql)

    p = sub.add_parser("export", help="export every warehouse table to Parquet and/or CSV")
    p.add_argument("--out", required=True, help="folder to write one file per table and format")
    p.add_argument(
        "--format",
        choices=("parquet", "csv", "both"),
        default="parquet",
        help="parquet (default), csv (with a header row), or both",
    )
    p.add_argument("--db", help="DuckDB file")
    p.set_defaults(func=_export)

    p = sub.add_parser("metrics", help="the metric catalogue (warehouse/metrics.yaml) against the warehouse")
    p.add_argument("--unmapped", action="store_true", help="the most frequent metric names no entry maps, to curate")
    p.add_argument("--rekey", action="store_true", help="apply the catalogue to the indicators already loaded")
    p.add_argument("--limit", type=int, default=30, help="names listed at most (default 30)")
    p.add_argument("--db", help="DuckDB file")
    p.set_defaults(func=_metrics)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
