"""Prefect task: discover new article links of a source (list pages read only until known links)."""
from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from bulletins.crawl.discover import discover


@task(name="discover", cache_policy=NO_CACHE)
def discover_links(fetcher, config, known_urls: set[str]):
    """New article URLs in site order (a ``Discovered`` list: also pages read, failures, why it stopped)."""
    return discover(fetcher, config, known_urls)
