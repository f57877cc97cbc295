"""Workloads for the benchmarks and the fan-out test: pages in the demo templates, as many as asked.

The demo site (demo/site.py) renders the five seeds as ~120 article pages in three real
templates (a CMS in UTF-8, a GBK e-paper with several articles a page, a portal with
traditional characters and pinyin). Here each of those stories is rendered again and
again under a new key (so a new URL and document id) with its figures scaled a little,
deterministically: copy ``c`` of a story is the same text with amounts × (1 + c/1000).

- ``generated_entries(n)``: ``n`` article pages (demo ``Entry`` objects), the three sites mixed;
- ``fill_archive(root, n)``: those pages written into a raw archive with manifest entries,
  as the crawler would have left them: what ``reprocess`` starts from;
- ``serve_site(n)``: a demo site of ``n`` CMS pages (plus its list pages) on a RouteServer,
  for the crawl benchmark (2,000 pages).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bulletins.crawl.archive import ManifestEntry, RawArchive, kept_headers
from bulletins.crawl.encoding import decode_html
from demo import site as demo

# Where the archived pages claim to come from: the demo sources' placeholder host.
BASE_URL = "http://127.0.0.1:8765"
SOURCE_OF_SITE = {"gov": "demo_gov", "epaper": "demo_epaper", "portal": "demo_portal"}

# An amount before a unit, as the demo site scales them for its yearly variants.
AMOUNT = demo.AMOUNT


def _scale(text: str | None, factor: float) -> str | None:
    """Every amount in ``text`` times ``factor``, with the decimals it had."""
    if not text or factor == 1.0:
        return text

    def one(match: re.Match) -> str:
        raw = match.group(1)
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        value = float(raw) * factor
        return f"{value:.{decimals}f}" if decimals else str(max(1, round(value)))

    return AMOUNT.sub(one, text)


def copy_story(story: demo.Story, copy: int) -> demo.Story:
    """Copy number ``copy`` of a story: a new key (new URL), figures scaled, a day later per 50 copies."""
    if copy == 0:
        return story
    factor = 1 + copy / 1000
    return replace(
        story,
        key=f"{story.key}#{copy}",
        title=_scale(story.title, factor),
        paragraphs=tuple(_scale(p, factor) for p in story.paragraphs),
        published=story.published - timedelta(days=copy // 50),
    )


def _base_pages() -> list[tuple[str, tuple[demo.Story, ...], int]]:
    """(site, stories, variant) of every article page of the demo site, as build_entries makes them."""
    stories = demo.load_stories()
    by_seed: dict[str, list[demo.Story]] = {}
    for story in stories:
        by_seed.setdefault(story.seed, []).append(story)
    pages = []
    for k in range(demo.YEARS):
        for i, (_seed, group) in enumerate(sorted(by_seed.items())):
            varied = [demo.simplified(demo.vary(s, k)) for s in group]
            pages.append(("epaper", tuple(varied), i + k))
            pages += [("gov", (s,), i + j + k) for j, s in enumerate(s for s in varied if not s.fragment)]
            pages += [
                ("portal", (demo.traditional(s) if (i + j + k) % 3 == 0 else s,), 0)
                for j, s in enumerate(s for s in varied if not s.fragment)
            ]
    return pages


def _render(site: str, stories: tuple[demo.Story, ...], variant: int) -> demo.Entry:
    """One article page in its site's template."""
    if site == "gov":
        return demo.gov_entry(stories[0], variant)
    if site == "portal":
        return demo.portal_entry(stories[0], [])
    return demo.epaper_entry(stories, variant)


def generated_entries(n: int, sites: tuple[str, ...] = ("gov", "epaper", "portal")) -> Iterator[demo.Entry]:
    """``n`` distinct article pages of the given demo sites, rendered in their templates."""
    base = [p for p in _base_pages() if p[0] in sites]
    made, copy = 0, 0
    while made < n:
        for site, stories, variant in base:
            if made >= n:
                return
            yield _render(site, tuple(copy_story(s, copy) for s in stories), variant + copy)
            made += 1
        copy += 1


def manifest_entry(entry: demo.Entry, archive: RawArchive, base_url: str = BASE_URL) -> ManifestEntry:
    """Archive one page's bytes and describe the fetch as the crawler records it."""
    page = entry.page
    content_type = page.content_type + (f"; charset={page.charset_header}" if page.charset_header else "")
    headers = kept_headers({"Content-Type": content_type, "ETag": page.etag, "Content-Length": str(len(page.body))})
    source = SOURCE_OF_SITE[entry.site]
    decoded = decode_html(page.body, content_type, "gbk" if entry.site == "epaper" else "utf-8")
    return ManifestEntry(
        url=base_url + entry.path,
        source=source,
        content_hash=archive.put(page.body),
        fetched_at=entry.published.isoformat(),
        http_status=200,
        headers=headers,
        encoding=decoded.encoding,
        kind="article",
    )


@contextlib.contextmanager
def _no_fsync() -> Iterator[None]:
    """Skip fsync while writing a workload: the archive's durability is not what is measured,
    and 50,000 fsynced objects would take longer to write than to reprocess."""
    real = os.fsync
    os.fsync = lambda fd: None
    try:
        yield
    finally:
        os.fsync = real


def fill_archive(root: str | Path, n: int, sites: tuple[str, ...] = ("gov", "epaper", "portal")) -> dict[str, int]:
    """Write ``n`` generated pages into the raw archive at ``root``; pages per source."""
    archive = RawArchive(root)
    counts: dict[str, int] = {}
    with _no_fsync():
        for entry in generated_entries(n, sites):
            record = manifest_entry(entry, archive)
            archive.record(record)
            counts[record.source] = counts.get(record.source, 0) + 1
    return counts


def serve_site(n: int, sites: tuple[str, ...] = ("gov",)):
    """A demo server publishing ``n`` generated pages (and their list pages); returns (base URL, handle)."""
    from demo.server import start_demo_server

    site = demo.DemoSite(years=1)
    site.entries = list(generated_entries(n, sites))
    site.publish_all()
    return start_demo_server(port=0, site=site)
