"""Prefect task: raw bytes of an article page into a ParsedPage (title, date, text, articles)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from bulletins.crawl.parse import parse_page


@task(name="parse", cache_policy=NO_CACHE)
def parse_document(raw: bytes, url: str, config, headers: dict | None, encoding: str | None = None):
    """Parse one page; raises on a page the parser cannot read (the flow records it)."""
    return parse_page(raw, url, config, headers, encoding)
