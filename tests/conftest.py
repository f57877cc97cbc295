"""Session-wide fixtures, kept in plugin modules by concern (tests/plugins/), and the integration mark.

A test is marked ``integration`` when it needs more than Python (a local HTTP site, DuckDB,
GX or Prefect): every test of the folders that always do, and any other test that asks for
a fixture that starts a server. ``make check`` runs the rest (``-m "not integration"``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

# The local demo HTTP site, the Prefect harness (one per session: its server takes
# seconds to start) and the webhook receiver. Unit tests of the core use none of them.
pytest_plugins = [
    name
    for name in ("tests.plugins.site", "tests.plugins.prefect", "tests.plugins.webhook")
    if importlib.util.find_spec(name) is not None
]

TESTS = Path(__file__).resolve().parent
INTEGRATION_FOLDERS = frozenset({"pipeline", "faults", "quality", "workers", "hostile"})
SERVER_FIXTURES = frozenset({"prefect_harness", "demo_site", "private_demo_site", "web", "webhook", "server"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark integration tests by folder, or by the server fixtures they use."""
    for item in items:
        folder = Path(str(item.path)).resolve().relative_to(TESTS).parts[0]
        if folder in INTEGRATION_FOLDERS or SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)
