"""Incremental discovery against a real local site: site order, stopping at known links, request counts."""

from __future__ import annotations

from datetime import date

import pytest

from bulletins.crawl.discover import discover, extract_links, plan_walks
from demo.httpd import Page, RouteServer
from tests.crawl.conftest import make_config


def article_path(n: int) -> str:
    """Path of article n (higher n = newer)."""
    return f"/news/20240{1 + n % 9}01/a{n}.html"


def list_page(numbers: list[int], extra: str = "") -> Page:
    """A CMS list page linking the articles ``numbers`` (relative links, as the CMS writes them)."""
    items = "".join(f'<li><a href="..{article_path(n)}">第{n}篇</a></li>' for n in numbers)
    html = f"<html><body><ul class='list'>{items}</ul>{extra}<div class='pager'></div></body></html>"
    return Page(html.encode("utf-8"))


def build_site(server: RouteServer, pages: list[list[int]]) -> None:
    """List pages news/index.html, news/index_1.html ... with the given article numbers."""
    for i, numbers in enumerate(pages):
        server.route("/news/index.html" if i == 0 else f"/news/index_{i}.html", list_page(numbers))


def urls(server: RouteServer, numbers: list[int]) -> list[str]:
    """Absolute URLs of articles ``numbers``."""
    return [server.url(article_path(n)) for n in numbers]


SITE = [[15, 14, 13, 12, 11], [10, 9, 8, 7, 6], [5, 4, 3, 2, 1]]


@pytest.fixture
def site(server):
    """The three-page CMS site on the test server."""
    build_site(server, SITE)
    return server


def list_requests(server: RouteServer) -> list[str]:
    """List pages requested, in order."""
    return [p for p in server.paths() if "index" in p]


def test_first_run_finds_everything_in_site_order(site, make_fetcher):
    config = make_config(site)
    found = discover(make_fetcher(), config, known_urls=set())
    assert found == urls(site, list(range(15, 0, -1)))
    # three list pages, then index_3 answers 404: the pages ran out
    assert list_requests(site) == ["/news/index.html", "/news/index_1.html", "/news/index_2.html", "/news/index_3.html"]
    assert found.failures[-1][1] == "http_error"


def test_run_with_nothing_new_reads_one_list_page(site, make_fetcher):
    found = discover(make_fetcher(), make_config(site), known_urls=set(urls(site, list(range(1, 16)))))
    assert found == []
    assert site.paths() == ["/robots.txt", "/news/index.html"]
    assert "already known" in found.stopped_because


def test_new_links_on_top_stop_at_the_next_known_page(site, make_fetcher):
    build_site(site, [[17, 16, 15, 14, 13], [12, 11, 10, 9, 8], [7, 6, 5, 4, 3]])
    found = discover(make_fetcher(), make_config(site), known_urls=set(urls(site, list(range(1, 16)))))
    assert found == urls(site, [17, 16])
    assert list_requests(site) == ["/news/index.html", "/news/index_1.html"]


def test_max_pages_caps_the_list_pages_read(site, make_fetcher):
    found = discover(make_fetcher(), make_config(site), known_urls=set(), max_pages=2)
    assert found == urls(site, list(range(15, 5, -1)))
    assert len(list_requests(site)) == 2
    assert "maximum" in found.stopped_because


def test_a_cms_that_repeats_its_last_page_does_not_loop(server, make_fetcher):
    build_site(server, [[4, 3], [2, 1]])
    server.fallback(lambda request: list_page([2, 1]))  # index_2, index_3 ... all repeat page 1
    found = discover(make_fetcher(), make_config(server), known_urls=set())
    assert found == urls(server, [4, 3, 2, 1])
    assert list_requests(server) == ["/news/index.html", "/news/index_1.html", "/news/index_2.html"]


def test_failed_first_page_ends_the_walk_and_is_recorded(server, make_fetcher):
    found = discover(make_fetcher(), make_config(server), known_urls=set())
    assert found == []
    assert found.failures == [(server.url("/news/index.html"), "http_error", "HTTP 404")]


def test_links_are_absolutised_filtered_and_deduplicated(server):
    config = make_config(server)
    page = server.url("/news/index.html")
    html = f"""<html><head></head><body><ul class="list">
      <li><a href="../news/20240101/a1.html">one</a></li>
      <li><a href="/news/20240101/a1.html#top">one again</a></li>
      <li><a href="{server.url("/news/20240101/a2.html")}">two, absolute</a></li>
      <li><a href="http://127.0.0.2:9/news/20240101/a3.html">foreign host</a></li>
      <li><a href="/news/about.html">not an article</a></li>
      <li><a href="javascript:void(0)">script</a></li>
      <li>no link at all</li></ul>
      <a href="/news/20240101/a9.html">outside the list selector</a></body></html>"""
    links = extract_links(html, page, config)
    assert links.articles == [server.url("/news/20240101/a1.html"), server.url("/news/20240101/a2.html")]
    assert links.follow == []


def test_base_href_is_respected(server):
    config = make_config(server)
    html = "<html><head><base href='/news/20240101/'></head><body><ul class='list'><li><a href='a5.html'>x</a></li></ul></body></html>"
    assert extract_links(html, server.url("/elsewhere/list.html"), config).articles == [
        server.url("/news/20240101/a5.html")
    ]


# -- an e-paper: an issue index linking layout pages, which link content pages -----------------

EPAPER = {
    "list": {
        "start_urls": ["html/index.htm"],
        "pagination": "html/index_{n}.htm",
        "max_pages": 5,
        "follow": r"/html/\d{4}-\d{2}/\d{2}/node_\d+\.htm$",
        "layout": {"template": "html/{yyyy}-{mm}/{dd}/node_{n}.htm", "pages": 2, "lookback_days": 2},
    },
    "links": {"selector": "div.titlelist a", "href_pattern": r"/content_\d+_\d+\.htm$"},
}


def _digits(day: str) -> str:
    """'2024-03/05' → '20240305', as the e-paper names content pages."""
    return "".join(ch for ch in day if ch.isdigit())


def layout_page(day: str, node: int, contents: list[int]) -> Page:
    """A layout page: navigation to both pages of its issue, then its content links."""
    nav = "".join(f'<a href="node_{n}.htm">第{n}版</a>' for n in (1, 2))
    items = "".join(f'<li><a href="content_{_digits(day)}_{c}.htm">稿件{c}</a></li>' for c in contents)
    html = (
        f"<html><body><div class='bmnav'>{nav}</div><div class='titlelist'><ul>{items}</ul></div>"
        f"<a href='../../index.htm'>往期回顾</a></body></html>"
    )
    return Page(html.encode("gbk"), charset_header="gbk")


def build_epaper(server: RouteServer, issues: dict[str, dict[int, list[int]]]) -> None:
    """Layout pages per issue day ('2024-03/05') and the index listing them newest first."""
    links = []
    for day, nodes in issues.items():
        for node, contents in nodes.items():
            server.route(f"/html/{day}/node_{node}.htm", layout_page(day, node, contents))
            links.append(f'<a href="{day}/node_{node}.htm">{day} 第{node}版</a>')
    server.route("/html/index.htm", Page(f"<html><body>{''.join(links)}</body></html>".encode("utf-8")))


ISSUES = {"2024-03/05": {1: [1, 2], 2: [3]}, "2024-03/04": {1: [1, 2], 2: [3, 4]}}


def content(server: RouteServer, day: str, n: int) -> str:
    """URL of content page n of issue ``day``."""
    return server.url(f"/html/{day}/content_{_digits(day)}_{n}.htm")


def test_epaper_index_follows_layout_pages_in_order(server, make_fetcher):
    build_epaper(server, ISSUES)
    found = discover(make_fetcher(), make_config(server, **EPAPER), known_urls=set())
    assert found == [content(server, "2024-03/05", n) for n in (1, 2, 3)] + [
        content(server, "2024-03/04", n) for n in (1, 2, 3, 4)
    ]
    assert list_requests(server)[0] == "/html/index.htm"
    layout_reads = [p for p in server.paths() if "node_" in p]
    assert layout_reads == [
        "/html/2024-03/05/node_1.htm",
        "/html/2024-03/05/node_2.htm",
        "/html/2024-03/04/node_1.htm",
        "/html/2024-03/04/node_2.htm",
    ]


def test_epaper_with_nothing_new_reads_index_and_one_layout_page(server, make_fetcher):
    build_epaper(server, ISSUES)
    known = {content(server, d, n) for d in ISSUES for n in (1, 2, 3, 4)}
    found = discover(make_fetcher(), make_config(server, **EPAPER), known_urls=known)
    assert found == []
    assert server.paths() == ["/robots.txt", "/html/index.htm", "/html/2024-03/05/node_1.htm"]


def test_epaper_by_date_skips_a_missing_issue(server, make_fetcher):
    build_epaper(server, {"2024-03/05": {1: [1], 2: [2]}, "2024-03/03": {1: [1], 2: [2]}})
    config = make_config(server, **EPAPER)
    found = discover(make_fetcher(), config, known_urls=set(), day=date(2024, 3, 5))
    assert found == [
        content(server, "2024-03/05", 1),
        content(server, "2024-03/05", 2),
        content(server, "2024-03/03", 1),
        content(server, "2024-03/03", 2),
    ]
    assert "/html/2024-03/04/node_1.htm" in server.paths()  # tried: no issue that day (404)
    assert "/html/2024-03/04/node_2.htm" not in server.paths()  # so its other pages are not


def test_plan_is_pagination_without_a_day(server):
    config = make_config(server, **EPAPER)
    [walk] = plan_walks(config)
    assert walk[:2] == [server.url("/html/index.htm"), server.url("/html/index_1.htm")]
    assert len(plan_walks(config, date(2024, 3, 5))) == 3  # the day and two before it
