"""Fixtures of the crawl tests: a RouteServer on 127.0.0.1, a real source config, a fast fetcher."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from bulletins.crawl.archive import RawArchive
from bulletins.crawl.fetcher import FetchLogEntry, PoliteFetcher
from bulletins.crawl.politeness import Politeness
from bulletins.crawl.sources import SourceConfig, parse_source
from demo.httpd import RouteServer

# The real defaults with every wait shrunk: tests never sleep for politeness.
FAST = Politeness(
    requests_per_second=0,
    backoff_base=0.001,
    backoff_max=0.005,
    retry_after_max=0.01,
    connect_timeout=2.0,
    read_timeout=2.0,
    deadline=2.0,
    max_bytes=200_000,
    max_retries=2,
)


def site_raw(**overrides: Any) -> dict:
    """A government-CMS source file's mapping; keyword arguments replace top-level keys."""
    raw = {
        "name": "test_site",
        "base_url": "http://127.0.0.1:1/",
        "list": {"start_urls": ["news/index.html"], "pagination": "news/index_{n}.html", "max_pages": 10},
        "links": {"selector": "ul.list li a", "href_pattern": r"/news/\d{8}/a\d+\.html$"},
        "article": {"title": ["h1"], "published": [{"url": r"/(\d{8})/", "format": "%Y%m%d"}], "body": ["#zoom"]},
    }
    raw.update(overrides)
    return raw


def make_config(server: RouteServer, **overrides: Any) -> SourceConfig:
    """A validated SourceConfig moved onto the running test server."""
    return parse_source(site_raw(**overrides), "test_site.yaml", "test_site", base_url=server.base_url)


@pytest.fixture
def server():
    """A fresh route server on 127.0.0.1 for one test."""
    with RouteServer() as srv:
        yield srv


@pytest.fixture
def archive(tmp_path) -> RawArchive:
    """An empty raw archive in the test's temporary folder."""
    return RawArchive(tmp_path / "archive")


@pytest.fixture
def fetch_log() -> list[FetchLogEntry]:
    """Collects every FetchLogEntry the fetcher emits."""
    return []


@pytest.fixture
def make_fetcher(server, archive, fetch_log) -> Callable[..., PoliteFetcher]:
    """Build a fast fetcher for the test server: make_fetcher(manners=..., sleep=..., **source file keys)."""
    made: list[PoliteFetcher] = []

    def build(
        manners: Politeness = FAST, sleep: Callable[[float], None] | None = None, **config_overrides: Any
    ) -> PoliteFetcher:
        kwargs = {"sleep": sleep} if sleep is not None else {}
        fetcher = PoliteFetcher(
            make_config(server, **config_overrides), archive, log=fetch_log.append, politeness=manners, **kwargs
        )
        made.append(fetcher)
        return fetcher

    yield build
    for fetcher in made:
        fetcher.close()
