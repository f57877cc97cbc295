"""Prefect task: discover new article links of a source.

Discovery reads list pages only until known links. The flow hands it a fetcher that counts
what each list page read yields (``bulletins.crawl.run.CountingFetcher``): the run's
evidence that the list template still matches, new links or not.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from bulletins.crawl.discover import discover


@task(name="discover", cache_policy=NO_CACHE)
def discover_links(fetcher, config, known_urls: set[str]):
    """New article URLs in site order (a ``Discovered`` list: also pages read, failures, why it stopped)."""
    return discover(fetcher, config, known_urls)
