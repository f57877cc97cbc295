"""The demo site over real HTTP: every seed served, pagination, robots.txt, validators, publishing."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from datetime import date

import opencc
import pytest

from bulletins.crawl.parse import parse_page
from bulletins.crawl.sources import load_source
from demo.site import DISALLOWED_PREFIX, SEED_CUTS, load_stories, seed_text

pytestmark = pytest.mark.integration
SITES = {"gov": "demo_gov", "epaper": "demo_epaper", "portal": "demo_portal"}


def get(url: str, headers: dict | None = None):
    """(status, headers, body) of a GET; HTTP errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def _hrefs(body: bytes, encoding: str = "utf-8") -> list[str]:
    """Every href on a page."""
    return re.findall(r'href="([^"]+)"', body.decode(encoding))


def test_every_seed_is_served_on_every_site(demo_site):
    """A sentence of each seed's each story appears in a parsed article of each site."""
    configs = {site: load_source(name, base_url=demo_site) for site, name in SITES.items()}
    bodies = {site: "" for site in SITES}
    for site in SITES:
        for entry in demo_site.site.visible(site):
            if entry.stories[0].year_shift == 0:
                status, headers, raw = get(demo_site.url(entry.path))
                assert status == 200
                page = parse_page(raw, demo_site.url(entry.path), configs[site], dict(headers))
                bodies[site] += "\n".join(a.body for a in page.articles)
    to_simplified = opencc.OpenCC("t2s").convert
    for story in load_stories():
        # Mid-paragraph words without digits: bylines are lifted off leads, years vary.
        text = to_simplified(re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)", "", max(story.paragraphs, key=len)))
        probe = re.search(r"[^\d\s]{12}", text[20:]).group(0)
        for site in SITES:
            if story.fragment and site != "epaper":
                continue  # untitled page tails only exist on the e-paper
            assert probe in bodies[site], (story.key, site, probe)


def test_seed_files_all_cut():
    assert {cut.seed for cut in SEED_CUTS} == {"000", "001", "002", "003", "004"}
    keys = [s.key for s in load_stories()]
    assert keys.count("001.0") == 1 and len([k for k in keys if k.startswith("001.")]) == 3
    assert len([k for k in keys if k.startswith("003.")]) == 5
    assert "經(jīng)濟" in seed_text("000")  # the seed itself is traditional with pinyin


def test_sizes_and_pagination(demo_site):
    site = demo_site.site
    for name in SITES:
        assert 20 <= len(site.visible(name)) <= 60
    assert len(site.visible("gov")) >= 40 and len(site.visible("portal")) >= 40
    for path in (
        "/gov/xxgk/dtxx/index.html",
        "/gov/xxgk/dtxx/index_1.html",
        "/gov/xxgk/dtxx/index_3.html",
        "/portal/channel/index.html",
        "/portal/channel/index_2.html",
        "/epaper/html/index.htm",
        "/epaper/html/index_1.htm",
    ):
        assert get(demo_site.url(path))[0] == 200, path
    assert get(demo_site.url("/gov/xxgk/dtxx/index_4.html"))[0] == 404  # pages run out


def test_list_pages_newest_first_and_time_series(demo_site):
    _, _, body = get(demo_site.url("/gov/xxgk/dtxx/index.html"))
    days = re.findall(r"<span>(\d{4}-\d{2}-\d{2})</span>", body.decode("utf-8"))
    assert days == sorted(days, reverse=True)
    half_year = [e for e in demo_site.site.entries if e.site == "gov" and e.stories[0].key == "002.0"]
    assert sorted(e.published.year for e in half_year) == [2019, 2020, 2021, 2022, 2023]
    figures = {re.search(r"地方收入([\d.]+)亿元", "".join(e.stories[0].paragraphs)).group(1) for e in half_year}
    assert len(figures) == 5  # the same bulletin with different figures each year


def test_robots_txt_and_the_disallowed_link(demo_site):
    status, _, body = get(demo_site.url("/robots.txt"))
    assert status == 200 and f"Disallow: {DISALLOWED_PREFIX}" in body.decode()
    _, _, listing = get(demo_site.url("/gov/xxgk/dtxx/index.html"))
    assert any(h.startswith(DISALLOWED_PREFIX) for h in _hrefs(listing))


def test_validators_and_304(demo_site):
    entry = demo_site.site.visible("epaper")[0]
    status, headers, body = get(demo_site.url(entry.path))
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert get(demo_site.url(entry.path), {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(demo_site.url(entry.path), {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    listing = get(demo_site.url("/portal/channel/index.html"))
    assert listing[1]["ETag"] and listing[1]["Last-Modified"]


def test_epaper_charsets_vary_like_real_servers(demo_site):
    claimed = set()
    for entry in demo_site.site.visible("epaper")[:6]:
        _, headers, body = get(demo_site.url(entry.path))
        claimed.add(("charset=" in headers["Content-Type"], b"charset=gb2312" in body))
    assert claimed == {(True, True), (False, True), (True, False)}


def test_publishing_over_time(private_demo_site):
    site = private_demo_site.site
    everything = {e.path for e in site.visible("gov")}
    newest = site.visible("gov")[0]
    site.publish_until(date(2023, 12, 31))
    early = {e.path for e in site.visible("gov")}
    assert early < everything and newest.path not in early
    assert get(private_demo_site.url(newest.path))[0] == 404
    _, _, listing = get(private_demo_site.url("/gov/xxgk/dtxx/index.html"))
    assert newest.path not in _hrefs(listing)
    site.publish_all()
    assert get(private_demo_site.url(newest.path))[0] == 200
    _, _, listing = get(private_demo_site.url("/gov/xxgk/dtxx/index.html"))
    assert _hrefs(listing).count(newest.path) == 1
