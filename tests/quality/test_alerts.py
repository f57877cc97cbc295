"""Alerts reach a real local webhook receiver: one per failing run, none for a clean run."""

from __future__ import annotations

import logging

from expectations.alerts import RunProblems, problems_from, send_alert, slack_payload
from expectations.gate import validate_batch
from tests.quality.batches import good_batch


def _bad_batch():
    """A batch with a 5000% growth rate."""
    batch = good_batch({"hengyang": 2})
    batch["indicators"].loc[0, "value"] = 5000.0
    return batch


def test_one_alert_per_failing_run(webhook, quality_dirs):
    """Two failing runs and a clean one: exactly two POSTs, each naming its run and problem."""
    for run_id, batch in (("run-a", _bad_batch()), ("run-clean", good_batch()), ("run-b", _bad_batch())):
        gate = validate_batch(batch, run_id, build_docs=False)
        send_alert(problems_from(run_id, "crawl-source", gate.summary))
    assert len(webhook.requests) == 2
    first, second = webhook.requests
    assert "run-a" in first["text"] and "run-b" in second["text"]
    assert "change rate beyond ±1000%" in first["text"]
    assert first["blocks"][0]["type"] == "header"


def test_source_errors_and_empty_sources_alert(webhook):
    """A source that errored and one that brought nothing both appear in the one alert."""
    problems = problems_from(
        "run-c", "daily-crawl", None, {"rednet": "ConnectionError: refused"}, {"hengyang": 0, "rednet": 0, "ok": 3}
    )
    assert send_alert(problems) is True
    (message,) = webhook.requests
    assert "source rednet failed: ConnectionError: refused" in message["text"]
    assert "source hengyang returned nothing" in message["text"]
    assert "source ok" not in message["text"]


def test_transient_failures_are_retried(webhook):
    """Two 503s, then accepted: three attempts, one alert recorded."""
    webhook.fail_next = 2
    problems = RunProblems("run-d", "crawl-source", empty_sources=["hengyang"])
    assert send_alert(problems, delays=(0.01, 0.01, 0.01)) is True
    assert webhook.attempts == 3 and len(webhook.requests) == 1


def test_an_unsendable_alert_is_logged_not_raised(caplog):
    """Nobody listening on the port: the alert fails quietly into the log."""
    problems = RunProblems("run-e", "crawl-source", empty_sources=["hengyang"])
    with caplog.at_level(logging.ERROR, logger="expectations.alerts"):
        assert send_alert(problems, url="http://127.0.0.1:9/hook", delays=(0.01,)) is False
    assert "alert not sent" in caplog.text


def test_no_alert_for_a_clean_run(webhook):
    """Nothing failing: nothing sent."""
    assert send_alert(RunProblems("run-f", "crawl-source")) is False
    assert webhook.attempts == 0


def test_payload_is_slack_shaped():
    """A text fallback and blocks, long lists cut."""
    problems = RunProblems("r", "crawl-source", empty_sources=[f"s{i}" for i in range(30)])
    payload = slack_payload(problems)
    assert set(payload) == {"text", "blocks"} and "… and 10 more" in payload["text"]
