"""Prefect task: discover new article links of a source (list pages read only until known links)."""
from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from bulletins.crawl.discover import discover


@task(name="discover", cache_policy=NO_CACHE)
def discover_links(fetcher, config, known_urls: set[str]) -> list[str]:
    """Article URLs on the source's list pages that are not in ``known_urls``, newest first."""
    return list(discover(fetcher, config, known_urls))
