"""``BULLETINS_CRAWL_CONCURRENCY``: sources a daily run crawls side by side, sized to sources, capped."""

from __future__ import annotations

import pytest

from bulletins import settings


def test_the_default_lets_fifty_polite_sources_run_side_by_side(monkeypatch):
    monkeypatch.delenv("BULLETINS_CRAWL_CONCURRENCY", raising=False)
    assert settings.crawl_concurrency() == settings.CRAWL_CONCURRENCY_DEFAULT >= 50


@pytest.mark.parametrize(
    "value,expected",
    [("12", 12), ("1", 1), ("0", 1), ("-3", 1), ("100000", settings.CRAWL_CONCURRENCY_CAP)],
)
def test_the_environment_sets_it_within_one_and_the_cap(monkeypatch, value, expected):
    monkeypatch.setenv("BULLETINS_CRAWL_CONCURRENCY", value)
    assert settings.crawl_concurrency() == expected
