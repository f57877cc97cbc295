"""The report deployment: deployed from prefect.yaml, triggered by a daily crawl's end, run by a worker.

`prefect deploy --all` creates the `report-after-daily` deployment and its automation on the
harness's server; a real daily crawl ends; the automation schedules a report run; a process
worker runs it; the report file appears, built from the warehouse the crawl filled.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName, FlowRunFilter
from prefect.states import Cancelled

from flows.daily import daily_crawl
from tests.pipeline.test_crawl_routes import publish
from tests.pipeline.test_deployment import POOL, PREFECT, PROJECT_ROOT, flow_run_state, prefect_cli

pytestmark = pytest.mark.integration

DEPLOYMENT = "report-after-daily"


def report_runs() -> list:
    """Flow runs of the report deployment the server knows, oldest first."""

    async def read():
        async with get_client() as client:
            return await client.read_flow_runs(
                deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[DEPLOYMENT])),
                flow_run_filter=FlowRunFilter(),
            )

    return asyncio.run(read())


def cancel(flow_run_ids: list) -> None:
    """Cancel these report runs (left scheduled by daily crawls of earlier tests): the
    deployment runs one at a time, and a worker polling once would take the oldest first."""

    async def run():
        async with get_client() as client:
            for flow_run_id in flow_run_ids:
                await client.set_flow_run_state(flow_run_id, Cancelled(), force=True)

    asyncio.run(run())


def automation_names() -> list[str]:
    """Names of the automations on the server."""

    async def read():
        async with get_client() as client:
            return [a.name for a in await client.read_automations()]

    return asyncio.run(read())


def test_a_daily_crawl_triggers_the_report(prefect_harness, web, make_source, data_dir):
    source = make_source(web)
    publish(web, [1, 2])
    env = {**os.environ, "PREFECT_API_URL": prefect_harness, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    subprocess.run(
        [PREFECT, "work-pool", "create", POOL, "--type", "process", "--overwrite"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    deployed = prefect_cli(["--no-prompt", "deploy", "--all"], env)
    assert f"build-report/{DEPLOYMENT}" in deployed.stdout
    assert any(DEPLOYMENT in name for name in automation_names())

    earlier = {run.id for run in report_runs()}
    cancel([run.id for run in report_runs() if not run.state.is_final()])
    daily_crawl(sources=[source], **data_dir.flow_kwargs())
    deadline = time.monotonic() + 90
    while not [r for r in report_runs() if r.id not in earlier] and time.monotonic() < deadline:
        time.sleep(1)
    runs = sorted((r for r in report_runs() if r.id not in earlier), key=lambda r: r.created)
    assert runs, "the automation scheduled no report run after the daily crawl"
    cancel([r.id for r in runs[:-1]])  # a late trigger of an earlier test's crawl: same report, run once

    prefect_cli(["worker", "start", "--pool", POOL, "--type", "process", "--run-once"], env, timeout=300)
    assert flow_run_state(runs[-1].id) == "Completed"
    html = (data_dir.root / "reports" / "report.html").read_text(encoding="utf-8")  # BULLETINS_REPORTS
    assert source in html and "Latest crawl's validation" in html
