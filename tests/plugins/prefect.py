"""One Prefect test harness per test session, for the tests that run flows.

``prefect_test_harness`` starts a throwaway Prefect server (its own SQLite database, a free
port) and points this process at it; starting it takes seconds, so it is shared by every
test that asks for the ``prefect_harness`` fixture (pipeline tests do, through their
conftest). It is not autouse: the core's unit tests never start Prefect.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def prefect_harness():
    """The running harness; yields the API URL its server answers on."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    # The throwaway server need not phone home (its telemetry also races its own SQLite).
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    with prefect_test_harness(server_startup_timeout=120):
        yield PREFECT_API_URL.value()
