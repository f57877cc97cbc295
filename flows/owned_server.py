"""Prefect's local API server as a child process that cannot outlive the command that started it.

A CLI killed with SIGKILL runs no ``finally`` and no atexit; without this, its Prefect server
child would keep running (and holding its port and database) after it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys

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


def owned_server_class():
    """Prefect's subprocess server, its child started with ``die_with_parent`` (imported lazily)."""
    import prefect
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import get_current_settings

    class OwnedServer(SubprocessASGIServer):
        """The same uvicorn command Prefect runs, in a child that dies with this process."""

        _instances: dict = {}  # its own: Prefect's base class may hold a plain server for port None

        def _run_uvicorn_command(self) -> subprocess.Popen:
            parent = os.getpid()
            env = {
                **os.environ,
                "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1",
                "PREFECT__SERVER_FINAL": "1",
                **get_current_settings().to_environment_variables(exclude_unset=True),
            }
            return subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--app-dir",
                    str(prefect.__module_path__.parent),
                    "--factory",
                    "prefect.server.api.server:create_app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--log-level",
                    "error",
                    "--lifespan",
                    "on",
                ],
                env=env,
                preexec_fn=lambda: die_with_parent(parent),
            )

    return OwnedServer
