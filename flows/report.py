"""Prefect flow and CLI glue for the report and the Parquet export; and how a run ends loudly.

``finish_run_loudly`` is what a crawl flow calls at its end: it publishes the Markdown run
summary as an artifact, and when validation quarantined rows, a source errored or a source
brought nothing, it sends one webhook alert, publishes an artifact explaining what failed,
and returns the Prefect state the flow should end in (``Failed`` when a source errored, a
``Completed`` state named ``Warning`` otherwise). A flow that returns that state ends in it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Mapping

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.states import Completed, Failed, State

from bulletins import settings
from expectations.alerts import RunProblems, problems_from, send_alert

WARNING_STATE = "Warning"


def _artifact_key(*parts: str) -> str:
    """A Prefect artifact key: lowercase letters, digits and dashes."""
    import re

    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")[:100]


def publish_run_summary(con, run_id: str) -> str:
    """Publish the run's Markdown summary (``run_summary_markdown``) as an artifact; return it."""
    from warehouse.report import run_summary_markdown

    markdown = run_summary_markdown(con, run_id)
    create_markdown_artifact(markdown, key=_artifact_key("run-summary", run_id), description=f"Run {run_id}")
    return markdown


def problems_markdown(problems: RunProblems) -> str:
    """What failed in a run, as the Markdown of its failure artifact."""
    lines = [f"# What failed in run {problems.run_id} ({problems.flow})", ""]
    lines += [f"- {line}" for line in problems.lines()]
    if problems.quarantined:
        lines += ["", f"{problems.quarantined} row(s) are in the `quarantine` table with the expectation each failed:",
                  "", f"    SELECT * FROM quarantine WHERE run_id = '{problems.run_id}';"]
    return "\n".join(lines) + "\n"


def outcome_state(problems: RunProblems, result: Any = None) -> State:
    """The state a run with these problems ends in."""
    if not problems.failing:
        return Completed(message="no problems", data=result)
    headline = "; ".join(problems.lines()[:3]) + (" …" if len(problems.lines()) > 3 else "")
    if problems.source_errors:
        return Failed(message=f"{len(problems.source_errors)} source(s) failed: {headline}", data=result)
    return Completed(name=WARNING_STATE, message=headline, data=result)


def finish_run_loudly(run_id: str, flow_name: str, *, gate_summary: Mapping[str, Any] | None = None,
                      source_errors: Mapping[str, str] | None = None,
                      documents_per_source: Mapping[str, int] | None = None,
                      con=None, result: Any = None) -> State:
    """Summarise a run; alert and explain when it failed; return the state the flow returns.

    Call it inside the flow and ``return`` what it gives: Prefect ends the run in that state.
    """
    if con is not None:
        publish_run_summary(con, run_id)
    problems = problems_from(run_id, flow_name, gate_summary, source_errors, documents_per_source)
    if problems.failing:
        get_run_logger().warning("run %s: %s", run_id, "; ".join(problems.lines()))
        create_markdown_artifact(problems_markdown(problems), key=_artifact_key("failures", run_id),
                                 description=f"What failed in run {run_id}")
        send_alert(problems)
    return outcome_state(problems, result)


@flow(name="build-report")
def build_report_flow(db_path: str | None = None, out_path: str | None = None) -> str:
    """Build the HTML report from the warehouse; return its path."""
    from warehouse.db import connect
    from warehouse.report import build_report

    out = Path(out_path) if out_path else settings.reports_dir() / "report.html"
    con = connect(db_path)  # read-write: applies the view migrations an older file lacks
    try:
        path = build_report(con, out)
    finally:
        con.close()
    get_run_logger().info("report written to %s", path)
    return str(path)


def report_cli(args: argparse.Namespace) -> int:
    """``bulletins report --out PATH [--db FILE]``."""
    try:
        path = build_report_flow(db_path=getattr(args, "db", None), out_path=args.out)
    except Exception as exc:  # noqa: BLE001 - a CLI says why and exits non-zero
        print(f"report failed: {exc}", file=sys.stderr)
        return 1
    print(f"report written to {path}")
    return 0


def export_cli(args: argparse.Namespace) -> int:
    """``bulletins export --out DIR [--db FILE] [--format parquet|csv|both]``: one file per table and format."""
    from warehouse.db import connect
    from warehouse.export import export_tables, formats_for

    db = getattr(args, "db", None) or settings.db_path()
    if not Path(db).exists():
        print(f"export failed: no warehouse at {db}", file=sys.stderr)
        return 1
    con = connect(db, read_only=True)
    try:
        written = export_tables(con, args.out, formats_for(getattr(args, "format", None) or "parquet"))
    finally:
        con.close()
    for fmt, tables in written.items():
        for table, rows in tables.items():
            print(f"{table}: {rows} rows -> {Path(args.out) / (table + '.' + fmt)}")
    return 0
