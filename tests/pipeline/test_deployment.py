"""prefect.yaml, deployed for real: `prefect deploy --all` to the harness's server, a flow run of
the `crawl-one` deployment picked up by `prefect worker start --run-once` on a process pool,
and its result found in the warehouse.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.deployments import run_deployment

from bulletins.settings import PROJECT_ROOT
from tests.pipeline.test_crawl_routes import publish

pytestmark = pytest.mark.integration

PREFECT = str(Path(sys.executable).with_name("prefect"))
POOL = "bulletins"  # the work pool prefect.yaml names


def prefect_cli(args: list[str], env: dict[str, str], timeout: float = 240) -> subprocess.CompletedProcess:
    """Run the prefect CLI from the project root; fail the test with its output if it fails."""
    done = subprocess.run(
        [PREFECT, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, f"prefect {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def flow_run_state(flow_run_id) -> str:
    """The state name of a flow run, read from the server."""

    async def read() -> str:
        async with get_client() as client:
            return (await client.read_flow_run(flow_run_id)).state.name

    return asyncio.run(read())


def test_crawl_deployment_runs_on_a_process_worker(prefect_harness, web, make_source, data_dir):
    source = make_source(web)
    publish(web, [1, 2, 3])
    env = {**os.environ, "PREFECT_API_URL": prefect_harness, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}

    prefect_cli(["work-pool", "create", POOL, "--type", "process"], env)
    deployed = prefect_cli(["--no-prompt", "deploy", "--all"], env)
    assert "crawl-source/crawl-one" in deployed.stdout and "daily-crawl/daily" in deployed.stdout

    flow_run = run_deployment(
        "crawl-source/crawl-one", timeout=0, parameters={"source": source, **data_dir.flow_kwargs()}
    )
    prefect_cli(["worker", "start", "--pool", POOL, "--type", "process", "--run-once"], env, timeout=300)

    assert flow_run_state(flow_run.id) == "Completed"
    assert data_dir.scalar("SELECT count(*) FROM documents") == 3
    run = data_dir.rows("SELECT run_id, status FROM runs WHERE flow = 'crawl-source'")
    assert run == [(str(flow_run.id), "completed")]  # the run row is keyed by the Prefect flow run id
    assert (
        data_dir.scalar(
            "SELECT count(*) FROM fetch_log WHERE run_id = ? AND outcome = 'fetched' AND kind = 'article'",
            [str(flow_run.id)],
        )
        == 3
    )
