"""Fixtures of the fault tests: a RouteServer that misbehaves on command, a fresh warehouse, fast manners.

Each test crawls a real HTTP server on 127.0.0.1 with real Prefect flows (the session's
harness) into a real DuckDB file and raw archive in its own temporary folder, then reads
what the warehouse holds. Sources are written with tight politeness overrides (a short
read timeout, one retry, a small size cap) so that a whole fault costs seconds, not minutes.
"""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from demo.httpd import Page, RouteServer
from tests.datadir import PROJECT_ROOT, DataDir


@pytest.fixture(autouse=True)
def _prefect(prefect_harness):
    """Every fault test runs its flows against the session's Prefect server."""
    return prefect_harness


# The fault suite calls its data folder "the warehouse".
Warehouse = DataDir


@pytest.fixture
def warehouse(tmp_path, monkeypatch) -> Warehouse:
    """A fresh data folder; the settings' environment variables point into it."""
    data = Warehouse(tmp_path)
    data.sources.mkdir()
    for var, path in (
        ("BULLETINS_DATA", tmp_path),
        ("BULLETINS_DB", data.db),
        ("BULLETINS_ARCHIVE", data.archive),
        ("BULLETINS_SOURCES", data.sources),
        ("BULLETINS_REPORTS", tmp_path / "reports"),
    ):
        monkeypatch.setenv(var, str(path))
    return data


# A CMS-shaped source with the manners of a fault test: 1 s without a byte is a timeout,
# one retry (after the fetcher's 2 s backoff), bodies over 1 MB abandoned.
SOURCE_YAML = """\
name: {name}
title: fault site {name}
enabled: true
base_url: {base}/{name}/
encoding: {encoding}
allowed_hosts: [{host}]
politeness:
  requests_per_second: 500
  concurrency: 1
  timeout: {timeout}
  max_bytes: {max_bytes}
  retries: {retries}
  obey_robots: true
list:
  start_urls: [index.html]
  pagination: index_{{n}}.html
  first_page: 1
  max_pages: 3
links:
  selector: "ul.list li a"
  href_pattern: '/a/\\d+\\.html$'
article:
  title: ["h1.title", "title"]
  published:
    - meta: PubDate
  body: ["{body}"]
"""

LIST_PAGE = """<html><head><meta charset="utf-8"><title>动态</title></head><body>
<ul class="list">{items}</ul></body></html>"""

ARTICLE_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="PubDate" content="{published}"><title>{title}</title></head>
<body><h1 class="title">{title}</h1><div id="{body_id}">{paragraphs}</div></body></html>"""

# A paragraph the extraction core reads a meeting and indicators from.
MEETING = (
    "7月28日,衡阳市政府2023年第二次全体会议召开。市委副书记、市长朱健出席会议并讲话。"
    "1-6月,衡阳规模工业增加值增长5.2%(排全省第1);地方收入104.9亿元。"
)


def article_html(
    title: str,
    paragraphs: list[str],
    charset: str = "utf-8",
    body_id: str = "body",
    published: str = "2023-07-28 10:12:00",
    escape: bool = True,
) -> bytes:
    """An article page's bytes in ``charset``; paragraphs are HTML-escaped unless told not to."""
    import html as htmlmod

    esc = htmlmod.escape if escape else (lambda s: s)
    text = ARTICLE_PAGE.format(
        charset=charset,
        published=published,
        title=esc(title),
        body_id=body_id,
        paragraphs="".join(f"<p>{esc(p)}</p>" for p in paragraphs),
    )
    return text.encode(charset)


def good_article(n: int, body_id: str = "body") -> Page:
    """Article ``n``: a healthy page with a meeting and indicators, and validators."""
    body = article_html(f"第{n}篇 全市经济运行情况通报", [MEETING, f"这是第{n}篇文章的正文。"], body_id=body_id)
    return Page(body, etag=f'"a{n}"', last_modified=1690000000 + n)


def big_article(n: int) -> Page:
    """An article of about 300 KB of text that does not compress (random characters), with a figure."""
    rng = random.Random(n)
    filler = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(100_000)) + "。"
    return Page(article_html(f"第{n}篇 长篇通报", ["1-6月,全县地方收入10.5亿元,增长3.1%。", filler]))


class FaultSite:
    """One source on the test's RouteServer: its list page, its articles, and its YAML file."""

    def __init__(self, server: RouteServer, sources_dir: Path, name: str) -> None:
        self.server, self.sources_dir, self.name = server, sources_dir, name

    def path(self, n: int) -> str:
        """The server path of article ``n``."""
        return f"/{self.name}/a/{n}.html"

    def url(self, n: int) -> str:
        """The absolute URL of article ``n``."""
        return self.server.url(self.path(n))

    def publish(self, articles: dict[int, object]) -> "FaultSite":
        """List articles ``n`` (newest first) and answer each with its response."""
        items = "".join(f'<li><a href="a/{n}.html">第{n}篇</a></li>' for n in sorted(articles, reverse=True))
        self.server.route(f"/{self.name}/index.html", Page(LIST_PAGE.format(items=items).encode("utf-8")))
        for n, response in articles.items():
            self.server.route(self.path(n), response)
        return self

    def write_config(
        self,
        *,
        encoding: str = "utf-8",
        timeout: float = 1.0,
        max_bytes: int = 1_000_000,
        retries: int = 1,
        body: str = "#body",
    ) -> "FaultSite":
        """Write sources/NAME.yaml pointing at the server with the fault test's manners."""
        host = self.server.base_url.split("://", 1)[1]
        text = SOURCE_YAML.format(
            name=self.name,
            base=self.server.base_url,
            host=host,
            encoding=encoding,
            timeout=timeout,
            max_bytes=max_bytes,
            retries=retries,
            body=body,
        )
        (self.sources_dir / f"{self.name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        return self


@pytest.fixture
def site(web, warehouse):
    """A factory of fault sites on the test's server: ``site("s1").publish({...}).write_config()``."""

    def make(name: str = "faulty") -> FaultSite:
        return FaultSite(web, warehouse.sources, name)

    return make


def python_subprocess(code: str, env: dict[str, str], **popen) -> subprocess.Popen:
    """Run ``code`` in a fresh interpreter of this venv from the project root, output piped."""
    return subprocess.Popen(
        [sys.executable, "-u", "-c", code],
        cwd=str(PROJECT_ROOT),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **popen,
    )
