"""A Prefect flow ending through finish_run_loudly ends in the state promised, with its artifact."""

from __future__ import annotations

import pytest
from prefect import flow

from expectations.gate import validate_batch
from flows.report import finish_run_loudly
from tests.quality.batches import good_batch

pytestmark = pytest.mark.integration


@flow(name="quality-check-run")
def gated_run(spoil: bool, source_error: str | None = None, run_id: str = "run"):
    """A run that gates a batch and ends loudly, as the crawl flows do."""
    batch = good_batch({"hengyang": 2})
    if spoil:
        batch["meetings"].loc[0, "end_date"] = batch["meetings"].loc[0, "start_date"].replace(day=1)
    gate = validate_batch(batch, run_id, build_docs=False)
    errors = {"rednet": source_error} if source_error else None
    return finish_run_loudly(
        run_id,
        "crawl-source",
        gate_summary=gate.summary,
        source_errors=errors,
        documents_per_source={"hengyang": 2},
        result=gate.summary,
    )


def _artifacts(flow_run_id):
    """The artifacts the run published."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        return client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )


def test_validation_failure_ends_failed(prefect_harness, webhook, quality_dirs):
    """Quarantined rows need an operator: Failed, an artifact, one alert."""
    state = gated_run(spoil=True, run_id="run-warn", return_state=True)
    assert state.is_failed() and state.name == "Failed"
    assert "ends before it starts" in state.message
    (artifact,) = [a for a in _artifacts(state.state_details.flow_run_id) if a.key.startswith("failures")]
    assert "ends before it starts" in artifact.data and "run-warn" in artifact.data
    assert len(webhook.requests) == 1


def test_source_error_ends_failed(prefect_harness, webhook, quality_dirs):
    """A source that errored: the run is Failed, with the source named."""
    state = gated_run(spoil=False, source_error="HTTP 500 on the list page", run_id="run-fail", return_state=True)
    assert state.is_failed()
    assert "rednet" in state.message
    assert len(webhook.requests) == 1


def test_clean_run_completes_quietly(prefect_harness, webhook, quality_dirs):
    """Nothing wrong: Completed, no alert."""
    state = gated_run(spoil=False, run_id="run-ok", return_state=True)
    assert state.is_completed() and state.name == "Completed"
    assert webhook.requests == []
