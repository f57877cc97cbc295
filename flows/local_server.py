"""A Prefect server for one command's flows, when no PREFECT_API_URL is set.

``bulletins demo``, ``crawl`` and ``reprocess`` run their flows in-process. Without a
configured API, Prefect would start a temporary server and kill it at exit mid-flush, which
prints shutdown tracebacks; this one has its own database in the data folder and is
stopped only after it has recorded every event the run sent.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

from bulletins import settings

# The local Prefect server records task runs from the client's events every second, so
# a drain (counts unchanged over DRAIN_POLL_SECONDS) proves its queue is empty; Prefect's
# temporary server, stopped at exit, was killed mid-flush and printed shutdown tracebacks.
RECORDER_FLUSH_SECONDS = 1
DRAIN_POLL_SECONDS = 2.5
DRAIN_TIMEOUT_SECONDS = 60
# Prefect's default (20 s) is too short on a busy machine: the demo failed to start there.
STARTUP_TIMEOUT_SECONDS = 120
TERMINAL_STATES = ["COMPLETED", "FAILED", "CANCELLED", "CRASHED"]


def server_env() -> dict[str, str]:
    """Settings of the local Prefect server: a database of its own in the data folder
    (runs other processes leave unfinished in the shared one never stall the drain), quick flushes."""
    db = settings.data_dir() / "prefect" / "local-server.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    return {
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{db}",
        "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": str(RECORDER_FLUSH_SECONDS),
    }


def task_run_counts(api_url: str, since: datetime) -> tuple[int, int]:
    """(task runs, finished task runs) the Prefect server has recorded for flows started since ``since``."""
    import httpx

    flows = {"flow_runs": {"start_time": {"after_": since.isoformat()}}}
    finished = {"task_runs": {"state": {"type": {"any_": TERMINAL_STATES}}}}
    with httpx.Client(base_url=api_url, timeout=10) as http:
        total = http.post("/task_runs/count", json=flows).raise_for_status().json()
        done = http.post("/task_runs/count", json={**flows, **finished}).raise_for_status().json()
    return int(total), int(done)


def drain_events(api_url: str, since: datetime) -> bool:
    """Send the client's queued events, then wait until the server has recorded them all.

    Done when every task run of the flows started since ``since`` is finished and the counts
    stay the same over a poll longer than the recorder's flush interval; False after
    DRAIN_TIMEOUT_SECONDS.
    """
    from prefect.events.worker import EventsWorker

    EventsWorker.drain_all(timeout=DRAIN_TIMEOUT_SECONDS)
    deadline, last = time.monotonic() + DRAIN_TIMEOUT_SECONDS, None
    while time.monotonic() < deadline:
        counts = task_run_counts(api_url, since)
        if counts == last and counts[0] == counts[1]:
            return True
        last = counts
        time.sleep(DRAIN_POLL_SECONDS)
    return False


@contextmanager
def environ(values: dict[str, str]) -> Iterator[None]:
    """``values`` in os.environ (where not set already) inside the block, as before after it."""
    added = {k: v for k, v in values.items() if k not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


@contextmanager
def prefect_server() -> Iterator[None]:
    """The Prefect API the CLI's flows report to: PREFECT_API_URL if set, else a local server
    of the command's own, stopped only after it has recorded every event the run sent."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    with environ(server_env()):  # read by the server subprocess as it starts
        server.start(timeout=STARTUP_TIMEOUT_SECONDS)
    since = datetime.now(timezone.utc)
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            yield
            if not drain_events(server.api_url, since):
                print(
                    f"Prefect server {server.api_url} still had task-run events to record after "
                    f"{DRAIN_TIMEOUT_SECONDS}s; stopping it anyway (the warehouse is complete)",
                    file=sys.stderr,
                )
    finally:
        server.stop()
