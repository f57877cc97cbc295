"""A source's ``place:``: checked against the division table, and handed to extraction."""

from __future__ import annotations

import copy

import pytest

from bulletins.core.places import resolve_place
from bulletins.core.divisions import table
from bulletins.crawl.parse import parse_page
from bulletins.crawl.sources import SourceConfigError, load_source, load_sources, parse_source
from bulletins.pipeline.page import page_facts
from demo.site import DemoSite

GOOD = {
    "name": "good",
    "base_url": "https://www.example.gov.cn/",
    "list": {"start_urls": ["xxgk/index.html"]},
    "links": {"selector": "ul.list li a", "href_pattern": r"/\d{8}/i\d+\.html$"},
    "article": {"title": ["h1"], "published": [{"meta": "PubDate"}], "body": ["#zoom"]},
}


def with_place(place) -> dict:
    """GOOD with ``place`` set."""
    return {**copy.deepcopy(GOOD), "place": place}


@pytest.mark.parametrize("place", ["九江市", "浏阳市", "福州市鼓楼区", "湘西州", "全国"])
def test_a_known_place_is_accepted_as_written(place):
    assert parse_source(with_place(place), "good.yaml", "good").place == place


def test_no_place_leaves_it_to_the_text():
    assert parse_source(copy.deepcopy(GOOD), "good.yaml", "good").place is None


@pytest.mark.parametrize(
    "place, message",
    [
        ("光明顶市", "good.yaml: place: place '光明顶市' names no administrative division"),
        ("鼓楼区", "good.yaml: place: place '鼓楼区' is ambiguous"),
        (["九江市"], "good.yaml: place: must be str"),
    ],
)
def test_an_unknown_or_ambiguous_place_is_refused_with_file_and_key(place, message):
    with pytest.raises(SourceConfigError) as info:
        parse_source(with_place(place), "good.yaml", "good")
    assert message in str(info.value)


def test_every_committed_source_names_a_real_place():
    for config in load_sources(enabled_only=False):
        assert config.place, config.name
        assert resolve_place(config.place).code in table().by_code


def test_a_crawled_page_takes_its_sources_place():
    """A demo government page parsed as the crawl does: its figures lie in the source's place."""
    config = load_source("demo_gov")
    entry = next(e for e in DemoSite().entries if e.site == "gov")
    parsed = parse_page(
        entry.page.body, "http://127.0.0.1:8765" + entry.path, config, {"Content-Type": "text/html; charset=utf-8"}
    )
    facts = [f for a in page_facts(parsed, entry.path, config.place) for f in a.meetings + a.indicators]
    assert facts
    given = resolve_place(config.place)
    for fact in facts:
        # the source's place, a place inside it, or a larger one a figure names (全省)
        line = {d.code for d in table().ancestors(table().by_code[fact.place_code])}
        assert given.code in line or fact.place_code in {d.code for d in table().ancestors(given)}, fact
