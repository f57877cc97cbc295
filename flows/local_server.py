"""A Prefect server for one command's flows, when no PREFECT_API_URL is set.

``bulletins demo``, ``crawl`` and ``reprocess`` run their flows in-process. Without a
configured API, Prefect would start a temporary server and kill it at exit mid-flush, which
prints shutdown tracebacks; this one has its own database in the data folder and is
stopped only after it has recorded every event the run sent.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
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


PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies


def die_with_parent(parent_pid: int) -> None:
    """In the server's child process, before exec: SIGTERM it when the CLI process dies.

    A CLI killed with SIGKILL runs no ``finally`` and no atexit, so ``stop()`` never comes;
    the kernel's parent-death signal still does. The signal is tied to the thread that
    started the child (the CLI's main thread, which lives as long as the command).
    A parent already gone before prctl took effect is checked for, then the child exits.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        os._exit(70)  # no safety net: refuse to start a server that could outlive the CLI
    if os.getppid() != parent_pid:
        os._exit(0)


def _server_class():
    """Prefect's subprocess server, its child started with ``die_with_parent`` (imported lazily)."""
    import prefect
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import get_current_settings

    class OwnedServer(SubprocessASGIServer):
        """The same uvicorn command Prefect runs, in a child that dies with this process."""

        _instances: dict = {}  # its own: Prefect's base class may hold a plain server for port None

        def _run_uvicorn_command(self) -> subprocess.Popen:
            parent = os.getpid()
            env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
                   "PREFECT__SERVER_FINAL": "1",
                   **get_current_settings().to_environment_variables(exclude_unset=True)}
            return subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
                 "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                 "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
                env=env, preexec_fn=lambda: die_with_parent(parent))

    return OwnedServer


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
    server = _server_class()()  # its process dies with ours, even when ours is SIGKILLed
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
