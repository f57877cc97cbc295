"""The committed GX context says what expectations/suites.py says."""

from __future__ import annotations

import pytest

from expectations import suites


@pytest.mark.parametrize("name", list(suites.RULES))
def test_committed_suite_matches_code(name, quality_dirs):
    """A suite edited in code but not rewritten (python -m expectations.suites) fails here."""
    from expectations.gate import get_context

    committed = get_context().suites.get(name)
    assert suites.suite_signature(committed) == suites.suite_signature(suites.build_suite(name))


@pytest.mark.parametrize("name", list(suites.RULES))
def test_every_rule_has_a_reason_and_an_example(name):
    """A quarantined row always carries a human reason."""
    for rule in suites.RULES[name]():
        assert rule.reason.strip() and rule.example.strip()
        assert rule.expectation.meta["reason"] == rule.reason


def test_context_is_quiet_and_offline(quality_dirs):
    """No usage statistics leave the machine; no progress bars in the logs."""
    from expectations.gate import get_context

    config = get_context().config
    assert config.analytics_enabled is False
    assert config.progress_bars["globally"] is False
