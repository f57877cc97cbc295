"""How a page is read: furniture dropped, a region built alone, visible text, meta tags.

These pin what parse.py's faster reading (one walk per drop list, one parse for region and
head, lazy first-hit lookups) must keep: the same elements found as the plain reading.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from bs4 import BeautifulSoup

from bulletins.crawl.parse import PageDoc, element_text, parse_page
from bulletins.crawl.sources import Selector, SourceConfigError, load_source, parse_source
from demo.site import DemoSite
from tests.crawl.test_sources import _with

SITE = DemoSite()
BASE = "http://127.0.0.1:8765"
GOV, EPAPER, PORTAL = (load_source(n) for n in ("demo_gov", "demo_epaper", "demo_portal"))
URL = BASE + "/gov/xxgk/dtxx/zwdt/20240105/i1.html"


def _sel(*css: str) -> tuple[Selector, ...]:
    return tuple(Selector(c) for c in css)


def _body(html: str, drop: tuple[str, ...]) -> str:
    doc = PageDoc(html)
    doc.drop(_sel(*drop))
    return "|".join(doc.values(Selector("#zoom p")))


# -- drop -------------------------------------------------------------------------------------

DROP_CASES = [
    # (drop selectors, paragraphs left in #zoom)
    ((".ad", ".share"), "first|second"),  # one selector list, one walk
    ((".share", ".ad"), "first|second"),  # a .share inside an .ad: gone with it
    ((".ad", "p:first-child"), "second"),  # after .ad goes, "first" is the first child
    (("p:first-child", ".ad"), "first|second"),  # .ad was the first child: "first" stays
    (("script", "style"), "ad|s|first|second"),  # nothing of the sort: all stays
    ((), "ad|s|first|second"),
]
DROP_PAGE = (
    "<html><body><div id='zoom'><div class='ad'><p>ad</p><div class='share'><p>s</p></div></div>"
    "<p>first</p><p>second</p></div></body></html>"
)


@pytest.mark.parametrize("drop, left", DROP_CASES)
def test_drop_removes_what_the_selectors_pick_one_after_the_other(drop, left):
    assert _body(DROP_PAGE, drop) == left


# -- region -----------------------------------------------------------------------------------

REGION_PAGE = """<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="头部标题">
<title>页面标题</title></head><body><h1>区域外标题</h1><div class="info"><span class="time">2024-03-02</span></div>
<div class="main other"><h1>{h1}</h1><div class="article-content"><p>正文一。</p><p>正文二。</p></div></div>
<div class="main"><p class="more">第二个区域</p></div></body></html>"""


def test_a_class_region_builds_its_elements_and_the_head_only():
    doc = PageDoc(REGION_PAGE.format(h1="区域标题"), ".main")
    region, head = doc.soups
    assert [e.get("class") for e in region.find_all("div", recursive=False)] == [["main", "other"], ["main"]]
    assert [e.name for e in head.contents] == ["meta", "meta", "title"]
    assert doc.first(_sel("h1"))[0] == "区域标题"  # the region's, not the one outside
    assert doc.values(Selector(".info .time")) == []  # outside the region: not built


def test_region_first_then_head_and_blank_hits_fall_to_the_next_selector():
    doc = PageDoc(REGION_PAGE.format(h1=" "), ".main")
    value, selector = doc.first(_sel("h1", "title"))
    assert (value, selector) == ("页面标题", Selector("title"))
    value, selector = doc.first((Selector("meta[name=ArticleTitle]", "content"),))
    assert value == "头部标题"


@pytest.mark.parametrize(
    "region, ok",
    [("#zoom", True), (".main", True), ("#ozoom-2", True), ("div.main", False), (".main p", False), ("main", False)],
)
def test_a_region_is_one_id_or_one_class(region, ok):
    raw = _with("article.region", region)
    if ok:
        assert parse_source(raw, "good.yaml", "good").article.region == region
    else:
        with pytest.raises(SourceConfigError, match="must be an element id like '#ozoom' or a class like '.main'"):
            parse_source(raw, "good.yaml", "good")


def test_an_id_region_matches_itself():
    html = "<html><head><title>t</title></head><body><div id='zoom'><p>a</p></div><p>b</p></body></html>"
    doc = PageDoc(html, "#zoom")
    assert [e.name for e in doc.select(Selector("#zoom"))] == ["div"]
    assert doc.values(Selector("p")) == ["a"]


@pytest.mark.parametrize(
    "config",
    [GOV, PORTAL, replace(EPAPER, article=replace(EPAPER.article, region="#ozoom"))],
    ids=["gov #zoom", "portal .main", "epaper #ozoom"],
)
def test_every_demo_page_reads_the_same_with_its_region(config):
    """The demo sources' regions hold every part their selectors read: nothing changes."""
    assert config.article.region
    whole = replace(config, article=replace(config.article, region=None))
    site = next(k for k, v in {"gov": GOV, "portal": PORTAL, "epaper": EPAPER}.items() if v.name == config.name)
    entries = [e for e in SITE.entries if e.site == site]
    assert entries
    for entry in entries:
        headers = {
            "Content-Type": "text/html"
            + (f"; charset={entry.page.charset_header}" if entry.page.charset_header else "")
        }
        url = BASE + entry.path
        assert parse_page(entry.page.body, url, config, headers) == parse_page(entry.page.body, url, whole, headers)


# -- text and meta ----------------------------------------------------------------------------

TEXT_CASES = [
    # (markup of the element read, its text)
    ("<div><p>a<script>x()</script>b</p>c</div>", "\nabc"),  # a block begins a line
    ("<div><p>a<!-- note -->b</p></div>", "\nab"),
    ("<div><noscript><p>n</p></noscript>c</div>", "\nc"),  # hidden text, but its <p> still breaks the line
    ("<div><svg><text>q</text></svg><br/>d</div>", "\nd"),
    ("<div><span>x</span><span>y</span></div>", "xy"),
]


@pytest.mark.parametrize("markup, text", TEXT_CASES)
def test_element_text_reads_visible_text_with_blocks_as_lines(markup, text):
    soup = BeautifulSoup(f"<html><body>{markup}</body></html>", "lxml")
    assert element_text(soup.body.div) == text


def test_an_invisible_element_read_itself_gives_its_text():
    soup = BeautifulSoup("<html><body><noscript>n<p>m</p></noscript></body></html>", "lxml")
    assert element_text(soup.body.noscript) == "n\nm"


def test_meta_date_is_the_first_non_empty_tag_of_that_name_in_any_case():
    html = (
        '<html><head><meta charset="utf-8"><meta name="PubDate" content=""><meta name="PUBDATE" content="2022-02-08">'
        '<meta name="PubDate" content="2023-01-01"></head><body><div id="zoom"><p>正文。</p></div></body></html>'
    )
    page = parse_page(html.encode(), URL, GOV, {})
    assert page.published_at == date(2022, 2, 8)
