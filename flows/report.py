"""The report's Prefect flow; and how a run ends loudly.

``publish_summary`` publishes a run's counts as a Markdown artifact. ``finish_run_loudly`` is what a flow calls at its end: it publishes the Markdown run summary
as an artifact, and when the run needs an operator (a source failed, rows were quarantined)
it publishes an artifact explaining what failed, alerts the webhook (once per failing streak
of a source, then once a day: ``expectations.alerts.alert_due``), and returns ``Failed`` with
a one-line message. Otherwise ``Completed``. There is no third state: a run is fine or it
needs someone. A flow that returns that state ends in it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.states import Completed, Failed, State

from bulletins import settings
from expectations.alerts import RunProblems, alert_due, mark_alerted, problems_from, problems_markdown, send_alert


def publish_run_summary(con, run_id: str) -> str:
    """Publish the run's Markdown summary (``run_summary_markdown``) as an artifact; return it."""
    from warehouse.report import run_summary_markdown

    markdown = run_summary_markdown(con, run_id)
    create_markdown_artifact(markdown, key=artifact_key("run-summary", run_id), description=f"Run {run_id}")
    return markdown


def outcome_state(problems: RunProblems, result: Any = None) -> State:
    """Failed, with the problems in one line, when the run needs an operator; else Completed."""
    if not problems.failing:
        return Completed(message="no problems", data=result)
    headline = "; ".join(problems.lines()[:3]) + (" …" if len(problems.lines()) > 3 else "")
    return Failed(message=headline, data=result)


def run_url() -> str | None:
    """The current flow run in the Prefect UI (None outside a run or without a UI)."""
    from prefect.runtime import flow_run

    return flow_run.ui_url


def finish_run_loudly(
    run_id: str,
    flow_name: str,
    *,
    gate_summary: Mapping[str, Any] | None = None,
    source_errors: Mapping[str, str] | None = None,
    documents_per_source: Mapping[str, int] | None = None,
    source: str | None = None,
    counts: Mapping[str, Any] | None = None,
    con=None,
    result: Any = None,
    summary_artifact: bool = True,
) -> State:
    """Summarise a run; alert and explain when it failed; return the state the flow returns.

    ``source``: the one source the run crawled, whose failing streak de-duplicates alerts;
    ``summary_artifact``: False where another run's artifact shows this one (a daily run's source).
    Call it inside the flow and ``return`` what it gives: Prefect ends the run in that state.
    """
    from warehouse.load import now_utc

    if con is not None and summary_artifact:
        publish_run_summary(con, run_id)
    problems = problems_from(run_id, flow_name, gate_summary, source_errors, documents_per_source)
    problems.counts = dict(counts or {})
    if problems.failing:
        problems.run_url = run_url()  # asked of the Prefect API: only when it goes into an alert
        get_run_logger().warning("run %s: %s", run_id, "; ".join(problems.lines()))
        create_markdown_artifact(
            problems_markdown(problems),
            key=artifact_key("failures", run_id),
            description=f"What failed in run {run_id}",
        )
        if con is None or alert_due(con, flow_name, source, run_id, now_utc()):
            if send_alert(problems) and con is not None:
                mark_alerted(con, run_id)
        else:
            get_run_logger().info("alert not repeated: %s has been failing and was alerted today", source)
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


def summary_markdown(title: str, summary: dict[str, Any]) -> str:
    """A run summary as a Markdown table (nested counts flattened to ``a.b`` keys)."""
    rows = [f"| {key} | {value} |" for key, value in flatten(summary).items()]
    return "\n".join([f"# {title}", "", "| what | value |", "|---|---|", *rows]) + "\n"


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts as one level with dotted keys."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, list):
            flat[name] = "; ".join(map(str, value[:10])) + (" …" if len(value) > 10 else "")
        else:
            flat[name] = value
    return flat


def artifact_key(*parts: str) -> str:
    """A Prefect artifact key (lowercase letters, digits and dashes) from free text."""
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")[:100]


def publish_summary(title: str, key: str, summary: dict[str, Any]) -> None:
    """Publish the run's counts as a Markdown artifact of the current flow run."""
    create_markdown_artifact(summary_markdown(title, summary), key=artifact_key(key), description=title)
