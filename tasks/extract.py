"""Prefect task: the pure extraction core over the articles of one parsed page."""
from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from bulletins.pipeline.page import page_facts


@task(name="extract", cache_policy=NO_CACHE)
def extract_facts(parsed, url: str, place: str | None = None) -> list:
    """Meetings and indicators of every article on the page (``ArticleFacts`` per article)."""
    return page_facts(parsed, url, place)
