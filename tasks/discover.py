"""Prefect task: discover new article links of a source, and what its list pages yielded.

Discovery reads list pages only until known links; what those pages *yielded* (article
links by the source's ``links.selector``, new or not) is the run's evidence that the list
template still matches: a quiet day's first list page still lists its N latest links.
"""
from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from bulletins.crawl.discover import discover, extract_links


class LinkYield:
    """A fetcher seen through by discovery: counts the article links each list page read yields."""

    def __init__(self, fetcher: Any, config: Any) -> None:
        self._fetcher, self._config = fetcher, config
        self.per_page: dict[str, int] = {}  # list page read -> article links its selector found

    def fetch(self, url: str, kind: str = "list", **kwargs: Any):
        """Fetch through the real fetcher; a list page read is counted."""
        result = self._fetcher.fetch(url, kind, **kwargs)
        if kind == "list" and result.ok and result.text is not None:
            links = extract_links(result.text, result.final_url or url, self._config)
            self.per_page[url] = len(links.articles)
        return result

    def summary(self) -> dict[str, Any]:
        """List pages read, links seen on them, and the pages whose selector found no article link.

        An e-paper's issue index links only layout pages: a page that yields follow links
        but no article link is normal there, so pages are judged together (``links_seen``).
        """
        return {"list_pages_read": len(self.per_page), "links_seen": sum(self.per_page.values()),
                "list_pages": list(self.per_page)[:20],
                "list_pages_without_links": [u for u, n in self.per_page.items() if n == 0][:20],
                "links_selector": str(self._config.links.selector)}


@task(name="discover", cache_policy=NO_CACHE)
def discover_links(fetcher, config, known_urls: set[str]):
    """New article URLs in site order (a ``Discovered`` list: also pages read, failures, why it stopped).

    The result also carries ``link_yield``: ``LinkYield.summary()`` of the list pages read.
    """
    counter = LinkYield(fetcher, config)
    found = discover(counter, config, known_urls)
    found.link_yield = counter.summary()
    return found
