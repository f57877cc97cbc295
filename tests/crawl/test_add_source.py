"""add-source: a draft source file from a list page, against the demo site's three templates
and against the real pages of ../shared/real-pages served from 127.0.0.1."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from bulletins.cli import sources as cli
from bulletins.crawl.add_source import add_source, article_links, pagination, url_pattern
from bulletins.crawl.check import generic_config
from bulletins.crawl.discover import discover
from bulletins.crawl.fetcher import PoliteFetcher
from bulletins.crawl.parse import parse_page
from bulletins.crawl.politeness import Politeness
from bulletins.crawl.sources import load_source_file
from demo.httpd import Page, Robots
from demo.site import DISALLOWED_PREFIX

REAL_PAGES = Path(__file__).resolve().parents[3] / "shared" / "real-pages"
FAST = Politeness(requests_per_second=200)  # the rate limit still applies, only quicker than a real site's


def _fetcher(list_url: str, name: str) -> PoliteFetcher:
    return PoliteFetcher(generic_config(list_url, name), None, politeness=FAST)


def _draft(tmp_path: Path, name: str, list_url: str):
    drafted = add_source(name, list_url, _fetcher(list_url, name), directory=tmp_path)
    assert drafted.outcome == "written", drafted.text
    return drafted.text, load_source_file(drafted.path)


@pytest.mark.parametrize(
    "name, list_path, expected",
    [
        (
            "draft_gov",
            "/gov/xxgk/dtxx/index.html",
            {
                "title": ["meta[name='ArticleTitle']::attr(content)"],
                "published": [{"meta": "PubDate"}],
                "body": ["#zoom"],
            },
        ),
        ("draft_portal", "/portal/channel/index.html", {"body": ["div.article-content"]}),
        ("draft_epaper", "/epaper/html/index.htm", {"title": ["founder-title"]}),
    ],
)
def test_demo_templates(tmp_path, demo_site, name, list_path, expected):
    text, config = _draft(tmp_path, name, demo_site.url(list_path))
    raw = yaml.safe_load(text)
    assert raw["enabled"] is False and not config.enabled
    for key, value in expected.items():
        assert raw["article"][key] == value
    assert "robots_disallowed" in text if name == "draft_gov" else True  # the CMS's internal column is skipped
    # the draft finds the site's articles: discovery with it reads article links the site lists
    with PoliteFetcher(config, None, politeness=FAST) as fetcher:
        found = discover(fetcher, config, known_urls=(), max_pages=2)
    site = {"draft_gov": "gov", "draft_portal": "portal", "draft_epaper": "epaper"}[name]
    published = {demo_site.url(e.path) for e in demo_site.site.visible(site)}
    listed = [u for u in found if DISALLOWED_PREFIX not in u]  # the fetcher refuses that one, as for demo_gov
    assert listed and set(listed) <= published
    # and reads them as the survey did: titles match the demo's own
    url = listed[0]
    entry = next(e for e in demo_site.site.visible(site) if demo_site.url(e.path) == url)
    with PoliteFetcher(config, None, politeness=FAST) as fetcher:
        result = fetcher.fetch(url)
    page = parse_page(result.body, url, config, result.headers, result.encoding)
    assert page.articles and page.published_date == entry.published.date()


def test_pagination_and_robots(tmp_path, demo_site):
    text, config = _draft(tmp_path, "draft_gov_pages", demo_site.url("/gov/xxgk/dtxx/index.html"))
    assert config.list.pagination.endswith("/gov/xxgk/dtxx/index_{n}.html") and config.list.first_page == 1
    _, portal = _draft(tmp_path, "draft_portal_pages", demo_site.url("/portal/channel/index.html"))
    assert portal.list.first_page == 2  # the portal numbers its second page 2
    assert "nbgz" in text and "robots_disallowed" in text


def test_url_pattern_and_pager_of_an_invented_list():
    urls = ["http://a.gov.cn/xw/zwdt/202103/t20210302_11.html", "http://a.gov.cn/xw/bmdt/202102/t20210228_9.html"]
    assert url_pattern(urls) == r"/xw/[A-Za-z_-]+/\d{6}/t\d{8}_\d+\.html$"
    html = (
        "".join(f'<a href="{u}">某县召开第{n}次常务会议</a>' for n, u in enumerate(urls))
        + '<a href="/">首页</a><a href="list_1.shtml">2</a><a href="list_4.shtml">尾页</a>'
    )
    links, pattern = article_links([(html, "http://a.gov.cn/xw/list.shtml")], "a.gov.cn")
    assert links == urls and pattern == url_pattern(urls)
    assert pagination(html, "http://a.gov.cn/xw/list.shtml") == ("http://a.gov.cn/xw/list_{n}.shtml", 1)


@pytest.mark.skipif(not REAL_PAGES.is_dir(), reason="../shared/real-pages is absent")
def test_real_pages_served_locally(tmp_path, web):
    """A list page (written here) linking the real pages, each served from 127.0.0.1 as saved."""
    golds = sorted(REAL_PAGES.glob("P*.json"))
    items = []
    for n, gold_file in enumerate(golds):
        path = f"/xxgk/dtxx/2024{n + 1:02d}/t2024{n + 1:02d}0{n + 1}_{1000 + n}.html"
        web.route(path, Page(gold_file.with_suffix(".html").read_bytes()))
        items.append((path, json.loads(gold_file.read_text(encoding="utf-8"))))
    listing = "".join(f'<li><a href="{p}">{g["title"]}</a></li>' for p, g in items)
    web.route(
        "/xxgk/dtxx/index.html",
        Page(
            f"<html><head><meta charset='utf-8'><title>动态信息_某市人民政府</title>"
            f"</head><body><ul class='list'>{listing}</ul>"
            f"<a href='index_1.html'>下一页</a></body></html>".encode("utf-8")
        ),
    )
    web.route("/robots.txt", Robots("User-agent: *\nDisallow: /admin/\n"))
    list_url = web.url("/xxgk/dtxx/index.html")
    drafted = add_source("draft_real", list_url, _fetcher(list_url, "draft_real"), directory=tmp_path)
    assert drafted.outcome == "written", drafted.text
    text, path = drafted.text, drafted.path
    config = load_source_file(path)
    assert config.links.href_pattern.pattern == r"/xxgk/dtxx/\d{6}/t\d{8}_\d+\.html$"
    assert not config.enabled
    # three pages of three different sites: no selector agrees on all, generic reads them
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "body" not in raw["article"]
    for path_, gold in items[:3]:
        assert f"article {web.url(path_)}: fetched" in text
        assert gold["title"][:10] in text  # the comment shows what generic extraction read there
    requests = [r.path for r in web.requests]
    assert requests[0] == "/robots.txt"


def test_cli_writes_the_file_once(tmp_path, demo_site, monkeypatch):
    monkeypatch.setenv("BULLETINS_SOURCES", str(tmp_path))
    list_url = demo_site.url("/gov/xxgk/dtxx/index.html")
    quick = lambda config: PoliteFetcher(config, None, politeness=FAST)  # noqa: E731
    out = io.StringIO()
    assert cli.add_source("draft_cli", list_url, articles=2, out=out, make_fetcher=quick) == 0
    assert (tmp_path / "draft_cli.yaml").is_file() and "enabled: false" in out.getvalue()
    again = io.StringIO()
    assert cli.add_source("draft_cli", list_url, articles=2, out=again, make_fetcher=quick) == 2
    assert "exists" in again.getvalue()
    assert cli.add_source("Bad-Name", list_url, articles=2, out=io.StringIO(), make_fetcher=quick) == 2


def test_the_cli_exit_code_says_why_nothing_was_written(tmp_path, web, monkeypatch):
    """1: the list page was read but links to no articles; 2: it could not be fetched."""
    monkeypatch.setenv("BULLETINS_SOURCES", str(tmp_path))
    web.route("/robots.txt", Robots("User-agent: *\nDisallow:\n"))
    web.route("/menu/index.html", Page("<html><body><a href='/about.html'>关于</a></body></html>".encode("utf-8")))
    quick = lambda config: PoliteFetcher(config, None, politeness=FAST)  # noqa: E731
    out = io.StringIO()
    assert cli.add_source("menu_only", web.url("/menu/index.html"), out=out, make_fetcher=quick) == 1
    assert "no URL pattern shared by headline links" in out.getvalue()
    out = io.StringIO()
    assert cli.add_source("missing", web.url("/nowhere/index.html"), out=out, make_fetcher=quick) == 2
    assert "list page" in out.getvalue() and not list(tmp_path.glob("*.yaml"))


def test_check_source_reads_a_drafted_generic_source(tmp_path, web, monkeypatch):
    """A draft that learned no selectors passes check-source: generic extraction reads every part."""
    from bulletins.crawl.check import check_source

    page = (
        '<html><head><meta charset="utf-8"><title>某县召开常务会议_某县人民政府</title></head><body>'
        '<h1>某县召开常务会议</h1><div class="info">发布时间：2021-03-02 09:15</div>'
        '<div class="text"><p>3月1日，某县召开常务会议，研究部署春耕生产，要求各乡镇压实责任，确保按期完成。</p>'
        "<p>会议指出，一季度全县地区生产总值预计增长8.5%，固定资产投资增长12.3%，各项指标稳中向好。</p></div>"
        "</body></html>"
    ).encode("utf-8")
    listing = "".join(
        f'<li><a href="/xw/2021/0302/c{n}.html">某县召开第{n}次常务会议研究春耕</a></li>' for n in range(3)
    )
    for n in range(3):
        web.route(f"/xw/2021/0302/c{n}.html", Page(page))
    web.route("/xw/index.html", Page(f"<html><body><ul>{listing}</ul></body></html>".encode("utf-8")))
    list_url = web.url("/xw/index.html")
    drafted = add_source("draft_plain", list_url, _fetcher(list_url, "draft_plain"), directory=tmp_path)
    assert drafted.outcome == "written", drafted.text
    config = load_source_file(drafted.path)
    with PoliteFetcher(config, None, politeness=FAST) as fetcher:
        report = check_source(config, fetcher)
    assert report.ok, "\n".join(report.lines)
    assert any("read by" in line for line in report.lines)
