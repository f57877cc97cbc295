"""Session-wide fixtures, kept in plugin modules by concern (tests/plugins/)."""
import importlib.util

# The local demo HTTP site, the Prefect harness (one per session: its server takes
# seconds to start) and the webhook receiver. Unit tests of the core use none of them.
pytest_plugins = [
    name
    for name in ("tests.plugins.site", "tests.plugins.prefect", "tests.plugins.webhook")
    if importlib.util.find_spec(name) is not None
]
