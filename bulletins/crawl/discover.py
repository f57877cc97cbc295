"""Incremental discovery: read a source's list pages, newest first, only until links are known.

Sites list articles newest first, so the first list page on which no link is new means
everything older was seen by an earlier run: discovery stops there. A run with nothing
new costs robots.txt plus one list page (two on an e-paper: the issue index and the
newest layout page).

Reading order is a plan of *walks*; each walk is a run of top-level pages whose first
failure (404, pages ran out) ends that walk:

* numbered pagination: one walk ``index.html, index_1.html, index_2.html …``;
* an e-paper by date (``day=`` given and the source has a ``list.layout``): one walk per
  issue, ``node_1.htm … node_N.htm`` of that day, newest day first, a missing issue skipped.

Links matching the source's ``list.follow`` pattern (an e-paper's layout pages, linked from
its issue index) are read right after the page that links them, in page order.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable
from urllib.parse import urldefrag, urljoin

from bs4 import BeautifulSoup

# Whatever the configuration says, one discovery never reads more list pages than this.
MAX_LIST_PAGES = 500


@dataclass
class PageLinks:
    """What one list page offered: article links and further list pages, in page order."""

    articles: list[str] = field(default_factory=list)
    follow: list[str] = field(default_factory=list)


class Discovered(list):
    """New article URLs in site order, plus how discovery went (pages read, why it stopped)."""

    def __init__(self) -> None:
        super().__init__()
        self.pages_read: list[str] = []
        self.failures: list[tuple[str, str, str | None]] = []  # (url, outcome, error)
        self.stopped_because = "list pages exhausted"


def _unique(items: Iterable[str]) -> list[str]:
    """``items`` without repeats, first occurrence kept."""
    return list(dict.fromkeys(items))


def _absolute(href: str | None, base: str) -> str | None:
    """``href`` made absolute against ``base``, fragment dropped; None for non-links."""
    if not href or href.strip().lower().startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    return urldefrag(urljoin(base, href.strip()))[0]


def _page_base(soup: BeautifulSoup, url: str) -> str:
    """The base URL links resolve against: <base href> when the page sets one."""
    tag = soup.find("base", href=True)
    return urljoin(url, tag["href"]) if tag else url


def _selected_hrefs(soup: BeautifulSoup, selector: Any) -> list[str]:
    """hrefs (or the selector's ::attr) of the elements the link selector picks."""
    attr = getattr(selector, "attr", None) or "href"
    css = getattr(selector, "css", None) or str(selector)
    hrefs = []
    for element in soup.select(css):
        value = element.get(attr)
        if value is None and attr == "href":
            # A selector may pick the list item rather than its anchor.
            anchor = element.find("a", href=True)
            value = anchor["href"] if anchor else None
        if value:
            hrefs.append(value if isinstance(value, str) else " ".join(value))
    return hrefs


def _canonical(config: Any) -> Any:
    """The source's link canonicaliser (``Links.canonical``), or the identity for duck-typed configs."""
    return getattr(config.links, "canonical", None) or (lambda url: url)


def extract_links(html: str, page_url: str, config: Any) -> PageLinks:
    """Article links (by the source's selector and pattern) and list pages to follow on a page.

    Links are canonical (``bulletins.crawl.urls``): they become keys, and one article spelt
    with an upper-case host or a ``?utm_source=`` tail is still one document. Links the
    strict parser refuses (userinfo, backslashes, other schemes) are dropped here.
    """
    soup = BeautifulSoup(html, "lxml")
    base = _page_base(soup, page_url)
    canon = _canonical(config)
    articles = (canon(u) for u in (_absolute(h, base) for h in _selected_hrefs(soup, config.links.selector)) if u)
    follows = (canon(u) for u in (_absolute(a.get("href"), base) for a in soup.find_all("a", href=True)) if u)
    return PageLinks(
        articles=_unique(u for u in articles if u and config.is_article_url(u)),
        follow=_unique(u for u in follows if u and config.is_list_url(u)),
    )


def plan_walks(config: Any, day: date | None = None) -> list[list[str]]:
    """The walks of top-level list pages: numbered pagination, or one per e-paper issue by date."""
    layout = getattr(config.list, "layout", None)
    if day is not None and layout is not None:
        days = [day - timedelta(days=back) for back in range(layout.lookback_days + 1)]
        return [layout.urls(d) for d in days]
    return [list(config.list.page_urls())]


def discover(
    fetcher: Any, config: Any, known_urls: Iterable[str], max_pages: int | None = None, day: date | None = None
) -> Discovered:
    """New article URLs of a source in site order, reading list pages only until links are known.

    ``fetcher.fetch(url, kind="list")`` is the only network access. ``max_pages`` caps the
    list pages read (follow pages included); ``day`` switches an e-paper to its dated
    layout pages. Stops at the first page whose article links are all known (or already
    found this run), when a walk's page fails or offers nothing, or at the cap.
    """
    known = set(known_urls)  # grows with this run's finds (a private copy)
    canon = _canonical(config)
    known |= {c for c in map(canon, list(known)) if c}  # links stored before canonicalisation
    found = Discovered()
    limit = min(max_pages or MAX_LIST_PAGES, MAX_LIST_PAGES)
    visited: set[str] = set()
    for walk in plan_walks(config, day):
        if _walk(fetcher, config, walk, known, found, visited, limit):
            break
    return found


def _walk(
    fetcher: Any, config: Any, walk: list[str], known: set[str], found: Discovered, visited: set[str], limit: int
) -> bool:
    """Read one walk (with its follow pages); True when discovery as a whole must stop."""
    queue: deque[tuple[str, bool]] = deque((url, True) for url in walk)
    while queue:
        url, top_level = queue.popleft()
        if url in visited:
            continue
        if len(found.pages_read) >= limit:
            found.stopped_because = f"read the maximum of {limit} list pages"
            return True
        visited.add(url)
        links = _read(fetcher, config, url, found)
        if links is None or (top_level and not links.articles and not links.follow):
            if top_level:
                found.stopped_because = f"{url} failed or lists nothing: end of this walk"
                return False
            continue
        fresh = [u for u in links.articles if u not in known]
        known.update(fresh)  # a link found this run counts as known on later pages
        if links.articles and not fresh:
            found.stopped_because = f"every link on {url} is already known"
            return True
        found.extend(fresh)
        queue.extendleft((u, False) for u in reversed(links.follow) if u not in visited)
    return False


def _read(fetcher: Any, config: Any, url: str, found: Discovered) -> PageLinks | None:
    """Fetch one list page and extract its links; None (failure recorded) when it cannot be read."""
    result = fetcher.fetch(url, kind="list")
    found.pages_read.append(url)
    if not result.ok or result.text is None:
        found.failures.append((url, result.outcome, result.error))
        return None
    return extract_links(result.text, result.final_url or url, config)
