"""Alerts: one Slack-compatible webhook POST per failing run, not repeated while nothing changes.

A run fails loudly when validation quarantined rows, a source errored, or a source brought
nothing. The message names the source(s), what failed (with the first failing URL or
selector), the run's counts and its Prefect run URL, in a line of text and in Slack blocks.
A source that keeps failing is alerted once when it starts, then reminded once a day while
it stays failed (``alert_due``); its next healthy run ends the streak. The URL
comes from ``bulletins.settings.alert_webhook_url()`` (env ``BULLETINS_ALERT_WEBHOOK``);
without one, alerts are only logged. Sending retries transient failures; an alert that
still cannot be sent is logged and the run goes on: alerting never crashes a run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests

from bulletins import settings

log = logging.getLogger(__name__)

RETRY_DELAYS = (0.5, 1.0, 2.0)  # seconds before the 2nd, 3rd and 4th attempt
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
TIMEOUT = 10.0
MAX_LINES = 20  # a Slack message stays readable; the full account is in the run's artifact
REMIND_AFTER_HOURS = 24  # a source still failing is reminded once a day, not once a run


@dataclass
class RunProblems:
    """What went wrong in one run, gathered from the gate and the crawl."""

    run_id: str
    flow: str
    failed_expectations: list[dict] = field(default_factory=list)  # gate summary entries
    source_errors: dict[str, str] = field(default_factory=dict)  # source -> error message
    empty_sources: list[str] = field(default_factory=list)  # sources that brought no document
    quarantined: int = 0
    run_url: str | None = None  # the run in the Prefect UI
    counts: dict[str, Any] = field(default_factory=dict)  # what the run did (requests, fetched, loaded ...)

    def lines(self) -> list[str]:
        """One human line per problem."""
        out = [f"source {s} failed: {msg}" for s, msg in sorted(self.source_errors.items())]
        out += [f"source {s} returned nothing" for s in self.empty_sources]
        out += [
            f"{f['table']}: {f['reason']} [{f['expectation']}] × {f.get('unexpected_count', 1)}"
            for f in self.failed_expectations
        ]
        return out

    @property
    def failing(self) -> bool:
        """True when the run has anything to alert about."""
        return bool(self.lines())


def problems_from(
    run_id: str,
    flow: str,
    gate_summary: Mapping[str, Any] | None = None,
    source_errors: Mapping[str, str] | None = None,
    documents_per_source: Mapping[str, int] | None = None,
) -> RunProblems:
    """Gather a run's problems from the gate's summary and the crawl's per-source outcome."""
    summary = gate_summary or {}
    empty = sorted(s for s, n in (documents_per_source or {}).items() if not n and s not in (source_errors or {}))
    quarantined = sum(t.get("quarantined", 0) for t in summary.get("tables", {}).values())
    return RunProblems(
        run_id, flow, list(summary.get("failed_expectations", [])), dict(source_errors or {}), empty, quarantined
    )


def problems_markdown(problems: RunProblems) -> str:
    """What failed in a run, as the Markdown of its failure artifact."""
    lines = [f"# What failed in run {problems.run_id} ({problems.flow})", ""]
    lines += [f"- {line}" for line in problems.lines()]
    if problems.quarantined:
        lines += [
            "",
            f"{problems.quarantined} row(s) are in the `quarantine` table with the expectation each failed:",
            "",
            f"    SELECT * FROM quarantine WHERE run_id = '{problems.run_id}';",
        ]
    return "\n".join(lines) + "\n"


def slack_payload(problems: RunProblems, details_url: str | None = None) -> dict[str, Any]:
    """The Slack-compatible message: a text fallback and blocks."""
    lines = problems.lines()
    failed = sorted(problems.source_errors)
    who = f"source {', '.join(failed)} failed" if failed else f"{len(lines)} problem(s)"
    head = f":rotating_light: bulletins {problems.flow}: {who} (run {problems.run_id})"
    if problems.quarantined:
        head += f", {problems.quarantined} row(s) quarantined"
    shown = lines[:MAX_LINES] + ([f"… and {len(lines) - MAX_LINES} more"] if len(lines) > MAX_LINES else [])
    if problems.counts:
        shown.append("counts: " + ", ".join(f"{k} {v}" for k, v in problems.counts.items()))
    details_url = details_url or problems.run_url
    if details_url:
        shown.append(f"run: {details_url}")
    body = "\n".join(f"• {line}" for line in shown)
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": head[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": body[:2900] or "(no detail)"}},
    ]
    if details_url:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"details: {details_url}"}]})
    return {"text": f"{head}\n{body}", "blocks": blocks}


def post_webhook(url: str, payload: Mapping[str, Any], delays: Sequence[float] = RETRY_DELAYS) -> bool:
    """POST ``payload`` as JSON, retrying connection errors, 429 and 5xx; True once accepted."""
    attempts = len(delays) + 1
    for attempt in range(1, attempts + 1):
        try:
            response = requests.post(url, json=payload, timeout=TIMEOUT)
            if response.status_code < 300:
                return True
            error = f"HTTP {response.status_code}: {response.text[:200]}"
            if response.status_code not in RETRY_STATUSES:
                log.error("alert refused by %s (%s); not retried", url, error)
                return False
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"
        if attempt < attempts:
            log.warning("alert attempt %d/%d to %s failed (%s); retrying", attempt, attempts, url, error)
            time.sleep(delays[attempt - 1])
    log.error("alert not sent to %s after %d attempts: %s", url, attempts, error)
    return False


def send_alert(
    problems: RunProblems,
    url: str | None = None,
    details_url: str | None = None,
    delays: Sequence[float] = RETRY_DELAYS,
) -> bool:
    """Alert once for a failing run; True if the webhook accepted it. Never raises."""
    if not problems.failing:
        return False
    target = url or settings.alert_webhook_url()
    payload = slack_payload(problems, details_url)
    if not target:
        log.warning("no alert webhook configured (BULLETINS_ALERT_WEBHOOK); alert logged only:\n%s", payload["text"])
        return False
    try:
        return post_webhook(target, payload, delays)
    except Exception as exc:  # noqa: BLE001 - a bad URL or anything else: the run must still finish
        log.error("alert to %s failed: %s", target, exc)
        return False


def alert_due(con: Any, flow: str, source: str | None, run_id: str, now: Any = None) -> bool:
    """Whether a failing run of ``source`` alerts: yes unless an alert of its current failing streak
    (no healthy run since) went out less than REMIND_AFTER_HOURS ago."""
    if source is None:
        return True
    row = con.execute(
        "SELECT max(finished_at) FILTER (WHERE status = 'completed'), "
        "max(finished_at) FILTER (WHERE CAST(json_extract(summary, '$.alerted') AS BOOLEAN)), "
        "coalesce(CAST(? AS TIMESTAMP), now()::TIMESTAMP) "
        "FROM runs WHERE flow = ? AND source = ? AND run_id <> ?",
        [now, flow, source, run_id],
    ).fetchone()
    healthy, alerted, clock = row
    if alerted is None or (healthy is not None and healthy > alerted):
        return True
    return (clock - alerted).total_seconds() >= REMIND_AFTER_HOURS * 3600


def mark_alerted(con: Any, run_id: str) -> None:
    """Note on the run's row that its alert went out (what ``alert_due`` reads)."""
    con.execute(
        "UPDATE runs SET summary = json_merge_patch(coalesce(summary, '{}'), '{\"alerted\": true}') WHERE run_id = ?",
        [run_id],
    )
