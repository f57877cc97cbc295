"""Fixtures of the end-to-end tests: a fresh data folder, test sources on a RouteServer, DuckDB reads.

Every pipeline test runs its flows under the session's Prefect harness, writes a real
DuckDB file and a real raw archive in its own temporary folder, and crawls a real HTTP
server on 127.0.0.1 (the demo site, or a RouteServer with routes the test sets).
"""

from __future__ import annotations

import textwrap

import pytest

from demo.httpd import RouteServer
from tests.datadir import DataDir


@pytest.fixture(autouse=True)
def _prefect(prefect_harness):
    """Every pipeline test runs its flows against the session's Prefect server."""
    return prefect_harness


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> DataDir:
    """A fresh data folder; the settings' environment variables point into it."""
    data = DataDir(tmp_path)
    data.sources.mkdir()
    monkeypatch.setenv("BULLETINS_DATA", str(tmp_path))
    monkeypatch.setenv("BULLETINS_DB", str(data.db))
    monkeypatch.setenv("BULLETINS_ARCHIVE", str(data.archive))
    monkeypatch.setenv("BULLETINS_REPORTS", str(tmp_path / "reports"))
    return data


# A source of the shape real CMS sites have: numbered list pages, one article per page.
SOURCE_YAML = """\
name: {name}
title: test site {name}
enabled: true
base_url: {base}/news/
encoding: {encoding}
allowed_hosts: [{host}]
politeness:
  requests_per_second: 200
  concurrency: 1
  timeout: 5
  max_bytes: {max_bytes}
  retries: 2
  obey_robots: true
list:
  start_urls: [index.html]
  pagination: index_{{n}}.html
  first_page: 1
  max_pages: 5
links:
  selector: "ul.list li a"
  href_pattern: '/news/a/\\d+\\.html$'
article:
  title: ["h1.title", "title"]
  published:
    - meta: PubDate
  body: ["#body"]
"""

LIST_PAGE = """<html><head><meta charset="utf-8"><title>动态</title></head><body>
<ul class="list">{items}</ul>{next}</body></html>"""

ARTICLE_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="PubDate" content="{published}"><title>{title}</title></head>
<body><h1 class="title">{title}</h1><div id="body">{paragraphs}</div></body></html>"""


def list_page(links: list[tuple[str, str]], next_href: str | None = None) -> bytes:
    """A list page linking ``(href, text)`` pairs, with an optional next-page link."""
    items = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    nxt = f'<a class="next" href="{next_href}">下一页</a>' if next_href else ""
    return LIST_PAGE.format(items=items, next=nxt).encode("utf-8")


def article_page(title: str, published: str, paragraphs: list[str], charset: str = "utf-8") -> bytes:
    """An article page in ``charset``."""
    html = ARTICLE_PAGE.format(
        charset=charset, published=published, title=title, paragraphs="".join(f"<p>{p}</p>" for p in paragraphs)
    )
    return html.encode(charset)


@pytest.fixture
def make_source(data_dir, monkeypatch):
    """Write sources/NAME.yaml for a site served by ``server``; returns the source name."""
    monkeypatch.setenv("BULLETINS_SOURCES", str(data_dir.sources))

    def make(server: RouteServer, name: str = "testsite", encoding: str = "utf-8", max_bytes: int = 2_000_000) -> str:
        host = server.base_url.split("://", 1)[1]
        text = SOURCE_YAML.format(name=name, base=server.base_url, host=host, encoding=encoding, max_bytes=max_bytes)
        (data_dir.sources / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        return name

    return make
