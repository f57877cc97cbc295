"""Hostile servers against the fetcher (issue 10, fetching): every case a real server on 127.0.0.1.

Tables, one row a case: compressed bodies, redirects and first URLs that try to leave the
allowed hosts, slow and malformed responses, charsets that would load garbage. The first
part drives ``PoliteFetcher`` directly; the second crawls a whole hostile site with the
real flow into a real warehouse and reads what landed, what was recorded, and that the
run went on. A second server on 127.0.0.2 stands for "another host": the tests assert it
never received a request.
"""

from __future__ import annotations

import gzip
import textwrap
import time
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import pytest

from bulletins.crawl.archive import RawArchive
from bulletins.crawl.fetcher import OUTCOMES, PoliteFetcher
from bulletins.crawl.politeness import Politeness
from bulletins.crawl.sources import parse_source
from demo.httpd import Page, Redirect, Response, RouteServer, Robots, Status
from tests.crawl.conftest import FAST, site_raw
from tests.hostile.servers import MB, DripHead, Encoded, EndlessChunked, GzipBomb, raw_redirect, raw_response

# An invented page (no real city): a title and one paragraph with figures.
TITLE = "临川市统计局发布前三季度经济数据"
PARA = "前三季度，临川市地区生产总值增长6.1%，一般公共预算收入88.2亿元。"
HTML = f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body><div id='zoom'><p>{PARA}</p></div></body></html>"
BODY = HTML.encode("utf-8")
# Traditional text in Big5, the kind a Hong Kong or Taiwan page carries (invented).
TRAD = "臺南縣政府於本週召開會議，研議經濟發展與財政收支等議題。全年預算總額達一千二百億元，較去年增長百分之五點六。"


@pytest.fixture
def server():
    """The source's server on 127.0.0.1."""
    with RouteServer() as srv:
        yield srv


@pytest.fixture
def elsewhere(server):
    """Another host (127.0.0.2) on the same port: any request it receives is a bypass."""
    port = int(server.base_url.rsplit(":", 1)[1])
    with RouteServer(host="127.0.0.2", port=port) as srv:
        srv.fallback(lambda request: Page(b"<html><body><p>secret page of another host</p></body></html>"))
        yield srv


@pytest.fixture
def archive(tmp_path) -> RawArchive:
    """An empty raw archive."""
    return RawArchive(tmp_path / "archive")


@pytest.fixture
def fetcher_for(server, archive):
    """Build a fast fetcher for the source on ``server``: fetcher_for(manners=..., **source keys)."""
    made: list[PoliteFetcher] = []

    def build(manners: Politeness = FAST, **overrides) -> PoliteFetcher:
        config = parse_source(site_raw(**overrides), "test_site.yaml", "test_site", base_url=server.base_url)
        fetcher = PoliteFetcher(config, archive, log=log.append, politeness=manners)
        made.append(fetcher)
        return fetcher

    log: list = []
    build.log = log
    yield build
    for fetcher in made:
        fetcher.close()


# -- compressed bodies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Coded:
    """One compressed response and what the fetcher must make of it."""

    name: str
    response: Callable[[], Response]
    outcome: str
    error: str | None = None  # a phrase of the recorded error


CODED = [
    Coded("gzip", lambda: Encoded.of(BODY, "gzip"), "fetched"),
    Coded("x-gzip", lambda: Encoded(gzip.compress(BODY), "x-gzip"), "fetched"),
    Coded("deflate, zlib-wrapped (RFC 9110)", lambda: Encoded.of(BODY, "deflate"), "fetched"),
    Coded("deflate, raw (what some servers send)", lambda: Encoded.of(BODY, "raw-deflate"), "fetched"),
    Coded(
        "gzip then deflate (two codings, undone in reverse)",
        lambda: Encoded(zlib.compress(gzip.compress(BODY)), "gzip, deflate"),
        "fetched",
    ),
    Coded(
        "two gzip members one after the other",
        lambda: Encoded(gzip.compress(BODY[:100]) + gzip.compress(BODY[100:]), "gzip"),
        "fetched",
    ),
    Coded("upper-case coding name", lambda: Encoded(gzip.compress(BODY), "GZIP"), "fetched"),
    Coded(
        "gzip that inflates to 1 GB",
        lambda: GzipBomb(1024 * MB),
        "too_large",
        "decoded body (gzip) passed the cap of 200000 bytes",
    ),
    Coded(
        "deflate that inflates past the cap, Content-Length small",
        lambda: Encoded(zlib.compress(b"<p>" * (10 * MB)), "deflate"),
        "too_large",
        "decoded body (deflate) passed the cap of 200000 bytes",
    ),
    Coded("brotli, never asked for", lambda: Encoded(b"\x1b\x03\x00\xf8\xa5", "br"), "undecodable", "'br'"),
    Coded("corrupt gzip", lambda: Encoded(b"\x1f\x8b\x08\x00" + b"\x07" * 200, "gzip"), "undecodable", "corrupt gzip"),
    Coded(
        "gzip cut short of its stream (Content-Length true)",
        lambda: Encoded(gzip.compress(BODY)[:60], "gzip"),
        "undecodable",
        "ends before the end of its stream",
    ),
    Coded(
        "gzip cut short of its Content-Length",
        lambda: Encoded(gzip.compress(BODY)[:60], "gzip", length=len(gzip.compress(BODY))),
        "error",
        "cut short",
    ),
    Coded("says gzip, sends plain HTML", lambda: Encoded(BODY, "gzip"), "undecodable", "corrupt gzip"),
    Coded("gzip bytes with no Content-Encoding", lambda: Page(gzip.compress(BODY)), "not_html", "gzip"),
]


@pytest.mark.parametrize("case", CODED, ids=[c.name for c in CODED])
def test_compressed_bodies_are_decoded_under_the_cap(server, fetcher_for, archive, case):
    response = case.response()
    server.route("/a.html", response)
    started = time.monotonic()
    result = fetcher_for().fetch(server.url("/a.html"))
    assert result.outcome == case.outcome, result.error
    assert result.outcome in OUTCOMES
    if case.outcome == "fetched":
        assert result.text == HTML and result.body == BODY
        # Archived before parsing: the decoded page, under the hash of the decoded bytes.
        assert archive.get(result.content_hash) == BODY
        [entry] = archive.latest_entries("test_site")
        assert "content-encoding" not in entry.headers and entry.content_hash == result.content_hash
    else:
        assert case.error in result.error and result.body is None
    if isinstance(response, GzipBomb):
        # Stopped at the cap after a few KB of wire, in well under a second of inflating:
        # never a gigabyte in memory or on the wire.
        assert fetcher_for.log[-1].bytes < 64 * 1024 and time.monotonic() - started < 5
        assert not any(archive.objects.rglob("*"))


def test_a_gzip_robots_txt_is_obeyed(server, fetcher_for):
    rules = b"User-agent: *\nDisallow: /private/\n"
    server.route("/robots.txt", Encoded(gzip.compress(rules), "gzip", content_type="text/plain"))
    server.routes({"/private/a.html": Page(BODY), "/open/a.html": Page(BODY)})
    fetcher = fetcher_for()
    assert fetcher.fetch(server.url("/private/a.html")).outcome == "robots_disallowed"
    assert fetcher.fetch(server.url("/open/a.html")).outcome == "fetched"
    assert server.paths() == ["/robots.txt", "/open/a.html"]


def test_we_ask_for_gzip_and_deflate_only(server, fetcher_for):
    server.route("/a.html", Page(BODY))
    fetcher_for().fetch(server.url("/a.html"))
    assert server.requests[-1].header("Accept-Encoding") == "gzip, deflate"


# -- leaving the allowed hosts ---------------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    """A redirect Location ({p}: the port both servers listen on) and whether it may be followed."""

    name: str
    location: str
    admitted: bool
    error: str = ""  # a phrase of the refusal


HOPS = [
    # Read one way by urlsplit, another by urllib3: refused whatever they name.
    Hop("backslash before @ (the reported bypass)", "http://127.0.0.2:{p}\\@localhost:{p}/", False, "backslash"),
    Hop("userinfo naming an allowed host", "http://127.0.0.2:{p}@localhost:{p}/", False, "userinfo"),
    Hop("userinfo before another host", "http://localhost:{p}@127.0.0.2:{p}/", False, "userinfo"),
    Hop("userinfo, short form", "http://a@b/", False, "userinfo"),
    Hop("tab inside the URL", "http://localhost:{p}\t@127.0.0.2:{p}/", False, "control or space"),
    Hop("percent-escaped host", "http://%31%32%37.0.0.2:{p}/", False, "percent-escapes"),
    Hop("port that is not a number", "http://127.0.0.1:{p}.127.0.0.2/", False, "not a port number"),
    # Numeric forms the resolver reads as 127.0.0.2: judged as 127.0.0.2.
    Hop("decimal IPv4", "http://2130706434:{p}/", False, "127.0.0.2:{p} is not among the allowed hosts"),
    Hop("hex IPv4 parts", "http://0x7f.0.0.2:{p}/", False, "127.0.0.2:{p} is not among"),
    Hop("hex IPv4 whole", "http://0x7f000002:{p}/", False, "127.0.0.2:{p} is not among"),
    Hop("octal IPv4", "http://0177.0.0.02:{p}/", False, "127.0.0.2:{p} is not among"),
    Hop("short IPv4", "http://127.2:{p}/", False, "127.0.0.2:{p} is not among"),
    Hop(
        "fullwidth digits and ideographic dots (IDNA maps them)",
        "http://１２７。０。０。２:{p}/",
        False,
        "127.0.0.2:{p} is not among",
    ),
    Hop("IPv4-mapped IPv6", "http://[::ffff:127.0.0.2]:{p}/", False, "[::ffff:7f00:2]:{p} is not among"),
    Hop("scheme-relative to another host", "//127.0.0.2:{p}/x.html", False, "127.0.0.2:{p} is not among"),
    Hop("IDN host", "http://bücher.例え.jp:{p}/", False, "xn--bcher-kva.xn--r8jz45g.jp:{p} is not among"),
    Hop("allowed host, another port", "http://127.0.0.1:1/a.html", False, "127.0.0.1:1 is not among"),
    Hop("allowed host, default port", "http://127.0.0.1/a.html", False, "127.0.0.1 is not among"),
    # Not the web at all.
    Hop("file://", "file:///etc/passwd", False, "scheme 'file'"),
    Hop("ftp://", "ftp://127.0.0.1:{p}/", False, "scheme 'ftp'"),
    Hop("javascript:", "javascript:alert(1)", False, "scheme 'javascript'"),
    Hop("data:", "data:text/html,<p>x</p>", False, "scheme 'data'"),
    # Other spellings of an allowed host: followed, and fetched from that host.
    Hop("upper-case host and scheme", "HTTP://LOCALHOST:{p}/page.html", True),
    Hop("trailing dot", "http://127.0.0.1.:{p}/page.html", True),
    Hop("hex spelling of the allowed address", "http://0x7f.1:{p}/page.html", True),
    Hop("an @ in the fragment only", "http://localhost:{p}/page.html#@127.0.0.2:{p}", True),
    Hop("default port written out, allowed host with its port", "http://localhost:{p}/page.html?utm_source=x", True),
]


@pytest.mark.parametrize("hop", HOPS, ids=[h.name for h in HOPS])
def test_every_redirect_is_judged_by_the_host_connected_to(server, elsewhere, fetcher_for, hop):
    port = server.base_url.rsplit(":", 1)[1]
    location = hop.location.replace("{p}", port)
    server.routes({"/start.html": raw_redirect(location), "/page.html": Page(BODY)})
    fetcher = fetcher_for(allowed_hosts=[f"127.0.0.1:{port}", f"localhost:{port}"])
    result = fetcher.fetch(server.url("/start.html"))
    assert elsewhere.requests == []  # never a byte to the other host
    if hop.admitted:
        assert result.outcome == "fetched" and result.text == HTML
        assert server.paths()[-1] == "/page.html" and server.requests[-1].host == "127.0.0.1"
    else:
        assert result.outcome == "host_not_allowed"
        assert hop.error.replace("{p}", port) in result.error, result.error
        assert server.paths() == ["/robots.txt", "/start.html"]


@pytest.mark.parametrize(
    "url",
    [
        "http://a@127.0.0.1:{p}/page.html",
        "http://127.0.0.1:{p}\\page.html",
        "ftp://127.0.0.1:{p}/page.html",
        "http://2130706434:{p}/page.html",
        "http:127.0.0.1:{p}/page.html",
        "//127.0.0.1:{p}/page.html",
    ],
    ids=["userinfo", "backslash", "ftp", "decimal-ip", "scheme-without-slashes", "scheme-relative"],
)
def test_a_first_url_is_judged_the_same_way(server, elsewhere, fetcher_for, url):
    port = server.base_url.rsplit(":", 1)[1]
    server.route("/page.html", Page(BODY))
    result = fetcher_for().fetch(url.replace("{p}", port))
    assert result.outcome == "host_not_allowed" and result.http_status is None
    assert server.requests == [] and elsewhere.requests == []


def test_the_client_is_handed_the_url_that_was_judged(server, fetcher_for):
    port = server.base_url.rsplit(":", 1)[1]
    server.route("/page.html", Page(BODY))
    result = fetcher_for().fetch(f"HTTP://0x7F.0.0.1:{port}/page.html#top")
    assert result.outcome == "fetched" and result.final_url == server.url("/page.html")
    assert server.requests[-1].header("Host") == f"127.0.0.1:{port}"


# -- slow, endless, malformed ----------------------------------------------------------------------


@dataclass(frozen=True)
class Wire:
    """A response that misbehaves on the wire, and the outcome it must end in."""

    name: str
    routes: Callable[[], dict]
    outcome: str
    error: str
    manners: dict = field(default_factory=dict)
    within: float = 10.0  # seconds the fetch may take at most


def _chain(n: int) -> dict:
    """/r0 -> /r1 -> ... -> /rn, then a page."""
    routes = {f"/r{i}": Redirect(f"/r{i + 1}") for i in range(n)}
    routes[f"/r{n}"] = Page(BODY)
    routes["/a.html"] = Redirect("/r0")
    return routes


WIRES = [
    Wire(
        "headers dripped one byte every 0.25 s",
        lambda: {"/a.html": DripHead(0.25)},
        "timeout",
        "within the 1.5s deadline",
        {"deadline": 1.5},
        within=3.5,
    ),
    Wire(
        "chunked body that never ends",
        lambda: {"/a.html": EndlessChunked(0.05)},
        "timeout",
        "deadline",
        {"deadline": 1.5},
        within=3.5,
    ),
    Wire(
        "a 100 KB header line",
        lambda: {"/a.html": raw_response(BODY, [("X-Huge", "h" * 100_000)])},
        "error",
        "header",
        {"max_retries": 0},
    ),
    Wire(
        "500 headers",
        lambda: {"/a.html": raw_response(BODY, [(f"X-H{i}", "v") for i in range(500)])},
        "error",
        "headers",
        {"max_retries": 0},
    ),
    Wire(
        "Content-Length longer than the body",
        lambda: {"/a.html": raw_response(BODY, [], length=len(BODY) + 500)},
        "error",
        "cut short",
        {"max_retries": 0},
    ),
    Wire(
        "two Content-Length headers that disagree",
        lambda: {"/a.html": raw_response(BODY, [("Content-Length", "7")])},
        "error",
        "",
        {"max_retries": 0},
    ),
    Wire(
        "an image/png 200",
        lambda: {"/a.html": Page(b"\x89PNG\r\n\x1a\n" + bytes(300), content_type="image/png", charset_header=None)},
        "not_html",
        "image/png",
    ),
    Wire(
        "redirect loop",
        lambda: {"/a.html": Redirect("/b.html"), "/b.html": Redirect("/a.html")},
        "redirect_loop",
        "loop",
    ),
    Wire(
        "redirect loop through a tracking parameter",
        lambda: {"/a.html": Redirect("/a.html?utm_source=loop")},
        "redirect_loop",
        "loop",
    ),
    Wire("too many redirects", lambda: _chain(8), "redirect_loop", "exceed 5 hops"),
    Wire("a 302 without Location", lambda: {"/a.html": Status(302)}, "http_error", "HTTP 302"),
]


@pytest.mark.parametrize("wire", WIRES, ids=[w.name for w in WIRES])
def test_wire_misbehaviour_ends_in_a_recorded_outcome(server, fetcher_for, wire):
    server.routes(wire.routes())
    fetcher = fetcher_for(manners=replace(FAST, **wire.manners))
    started = time.monotonic()
    result = fetcher.fetch(server.url("/a.html"))
    assert result.outcome == wire.outcome, result.error
    assert wire.error in (result.error or "")
    assert time.monotonic() - started < wire.within
    assert result.body is None


def test_a_short_content_length_does_not_poison_the_next_request(server, fetcher_for):
    # The first answer claims 10 bytes and sends more on a kept-alive connection; the rest
    # must never be read as the answer to the next request.
    server.routes({"/a.html": raw_response(BODY, [], length=10, keep_alive=True), "/b.html": Page(BODY)})
    fetcher = fetcher_for()
    first = fetcher.fetch(server.url("/a.html"))
    second = fetcher.fetch(server.url("/b.html"))
    assert first.body in (None, BODY[:10])
    assert second.outcome == "fetched" and second.text == HTML


def test_the_deadline_counts_from_the_connect_not_from_the_body(server, fetcher_for, archive):
    server.route("/a.html", DripHead(0.1, body=BODY))  # the whole head takes ~30 s
    result = fetcher_for(manners=replace(FAST, deadline=1.0, read_timeout=5.0)).fetch(server.url("/a.html"))
    assert result.outcome == "timeout" and result.elapsed_ms < 2500
    assert not any(archive.objects.rglob("*"))


# -- charsets that would load garbage --------------------------------------------------------------


def _page(text: str, meta: str) -> str:
    """A page declaring ``meta`` as its charset."""
    return (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={meta}">'
        f"<title>公告</title></head><body><div id='zoom'><p>{text}</p></div></body></html>"
    )


@dataclass(frozen=True)
class Charset:
    """Page bytes, the header's charset claim, and what must come of them."""

    name: str
    body: bytes
    header: str | None
    outcome: str
    encoding: str | None = None  # the codec chosen, when fetched
    text: str | None = None  # a phrase the decoded text must hold


_MIXED = (
    _page(PARA * 10, "utf-8")
    .encode("utf-8")
    .replace(b"</p>", b"</p><p>" + ("附件：" + PARA * 4).encode("gbk") + b"</p>", 1)
)

CHARSETS = [
    Charset(
        "Big5 bytes under a gb2312 meta: read as Big5",
        _page(TRAD, "gb2312").encode("big5"),
        None,
        "fetched",
        "cp950",
        TRAD,
    ),
    Charset(
        "Big5 bytes under a gb2312 header and meta",
        _page(TRAD, "gb2312").encode("big5"),
        "gb2312",
        "fetched",
        "cp950",
        TRAD,
    ),
    Charset("UTF-8 page with a GBK paragraph pasted in", _MIXED, "utf-8", "mojibake"),
    Charset(
        "GBK page cut by a UTF-8 paragraph",
        _page(PARA * 6, "gbk").encode("gbk") + ("更正：" + PARA).encode("utf-8") * 3,
        "gbk",
        "mojibake",
    ),
    Charset("random high bytes", bytes(range(128, 256)) * 40, None, "mojibake"),
    Charset(
        "GBK under a gb2312 meta (GBK-only characters)",
        _page("朱镕基王堃" + PARA, "gb2312").encode("gbk"),
        None,
        "fetched",
        "gb18030",
        "镕",
    ),
    Charset(
        "GB18030 four-byte characters",
        _page("𠀀𠀁" + PARA, "gb18030").encode("gb18030"),
        None,
        "fetched",
        "gb18030",
        "𠀀𠀁",
    ),
    Charset("declares gb2312, is UTF-8", _page(PARA, "gb2312").encode("utf-8"), "gb2312", "fetched", "utf-8", PARA),
    Charset(
        "UTF-8 with two stray bytes: tolerated",
        _page(PARA * 20, "utf-8").encode("utf-8").replace(b"<p>", b"<p>\xff\xfe", 1),
        "utf-8",
        "fetched",
        "utf-8",
        PARA,
    ),
]


@pytest.mark.parametrize("case", CHARSETS, ids=[c.name for c in CHARSETS])
def test_garbled_text_fails_the_page_and_good_charsets_still_decode(server, fetcher_for, archive, case):
    server.route("/a.html", Page(case.body, charset_header=case.header))
    result = fetcher_for().fetch(server.url("/a.html"))
    assert result.outcome == case.outcome, result.error
    assert archive.get(result.content_hash) == case.body  # archived either way: nothing lost
    if case.outcome == "fetched":
        assert result.encoding == case.encoding and case.text in result.text
    else:
        assert "replacement characters" in result.error and result.text is None and result.body is None
        assert archive.latest_entries("test_site") == []  # not in the manifest: reprocessing will not load it


def test_robots_txt_is_fetched_once_per_canonical_host(server, fetcher_for):
    port = server.base_url.rsplit(":", 1)[1]
    server.route("/robots.txt", Robots("User-agent: *\nDisallow: /no/\n"))
    server.fallback(lambda request: Page(BODY))
    fetcher = fetcher_for()
    for url in (
        f"http://127.0.0.1:{port}/a.html",
        f"HTTP://0x7f.0.0.1:{port}/b.html",
        f"http://127.0.0.1.:{port}/c.html",
        f"http://2130706433:{port}/no/d.html",
    ):
        fetcher.fetch(url)
    assert server.count("/robots.txt") == 1
    assert "/no/d.html" not in server.paths()


# == whole crawls into a real warehouse ===========================================================

# A source file with the manners of a hostile test: 1 s without a byte is a timeout, a
# request is cut at 1.5 s whatever it is doing, no retries, 1 MB at most.
SOURCE_YAML = """\
name: {name}
title: hostile site {name}
base_url: {base}/{name}/
allowed_hosts: [{host}]
politeness:
  requests_per_second: 500
  timeout: 1
  deadline: 1.5
  max_bytes: 1000000
  retries: 0
list:
  start_urls: [index.html]
  pagination: index_{{n}}.html
  max_pages: 3
  max_new_links: {max_new_links}
links:
  selector: "ul.list li a"
  href_pattern: '/a/\\d+\\.html$'
article:
  title: ["h1.title", "title"]
  published:
    - meta: PubDate
  body: ["#body"]
"""


class HostileSite:
    """One source on a RouteServer: list page, articles, source file."""

    def __init__(self, server: RouteServer, sources: Path, name: str) -> None:
        self.server, self.sources, self.name = server, sources, name

    def path(self, n: int) -> str:
        """Server path of article ``n``."""
        return f"/{self.name}/a/{n}.html"

    def url(self, n: int) -> str:
        """Canonical URL of article ``n``."""
        return self.server.url(self.path(n))

    def list_page(self, hrefs: list[str], coding: str | None = None) -> "HostileSite":
        """Serve the list page with these hrefs (gzip-compressed when ``coding`` says so)."""
        from tests.faults.conftest import LIST_PAGE

        items = "".join(f'<li><a href="{h}">第{i}篇</a></li>' for i, h in enumerate(hrefs))
        body = LIST_PAGE.format(items=items).encode("utf-8")
        self.server.route(f"/{self.name}/index.html", Encoded.of(body, coding) if coding else Page(body))
        return self

    def write_config(self, max_new_links: int = 200) -> "HostileSite":
        """sources/NAME.yaml pointing at the server."""
        host = self.server.base_url.split("://", 1)[1]
        text = SOURCE_YAML.format(name=self.name, base=self.server.base_url, host=host, max_new_links=max_new_links)
        (self.sources / f"{self.name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        return self


def big5_under_gb2312(n: int) -> Page:
    """An article in Big5 whose <meta> says gb2312 (the header says nothing)."""
    from tests.faults.conftest import ARTICLE_PAGE

    html = ARTICLE_PAGE.format(
        charset="gb2312",
        published="2023-07-28 10:12:00",
        title=f"臺南縣第{n}次會議",
        body_id="body",
        paragraphs=f"<p>{TRAD}</p>",
    )
    return Page(html.encode("big5"), charset_header=None)


def mixed_charsets(n: int) -> Page:
    """A UTF-8 article with a GBK paragraph pasted into it."""
    from tests.faults.conftest import good_article

    body = good_article(n).body
    return Page(body.replace(b"</div>", ("<p>附件说明：" + PARA * 3 + "</p>").encode("gbk") + b"</div>", 1))


def gzipped(n: int, coding: str = "gzip") -> Encoded:
    """Article ``n`` compressed."""
    from tests.faults.conftest import good_article

    return Encoded.of(good_article(n).body, coding)


@dataclass(frozen=True)
class Row:
    """How article n misbehaves in the hostile crawl, and what the warehouse must say afterwards."""

    name: str
    response: Callable[[int, str], Response]  # (n, port) -> response
    outcomes: list[str]  # fetch_log outcomes of its requests, in order
    link_state: str
    loads: bool
    error: str | None = None  # a phrase of the recorded error


ROWS = [
    Row("gzip article", lambda n, p: gzipped(n), ["fetched"], "fetched", True),
    Row("raw deflate article", lambda n, p: gzipped(n, "raw-deflate"), ["fetched"], "fetched", True),
    Row("gzip bomb (1 GB decoded)", lambda n, p: GzipBomb(1024 * MB), ["too_large"], "failed", False, "cap"),
    Row("brotli never asked for", lambda n, p: Encoded(b"\x1b\x03\x00", "br"), ["undecodable"], "failed", False, "br"),
    Row("UTF-8 and GBK mixed", lambda n, p: mixed_charsets(n), ["mojibake"], "failed", False, "replacement characters"),
    Row("Big5 under a gb2312 meta", lambda n, p: big5_under_gb2312(n), ["fetched"], "fetched", True),
    Row(
        "redirect via backslash-userinfo to 127.0.0.2",
        lambda n, p: raw_redirect(f"http://127.0.0.2:{p}\\@127.0.0.1:{p}/"),
        ["redirected", "host_not_allowed"],
        "gone",
        False,
        "backslash",
    ),
    Row(
        "redirect to the decimal form of 127.0.0.2",
        lambda n, p: raw_redirect(f"http://2130706434:{p}/"),
        ["redirected", "host_not_allowed"],
        "gone",
        False,
        "127.0.0.2",
    ),
    Row(
        "redirect to file://",
        lambda n, p: raw_redirect("file:///etc/passwd"),
        ["redirected", "host_not_allowed"],
        "gone",
        False,
        "scheme 'file'",
    ),
    Row("headers dripped a byte every 0.3 s", lambda n, p: DripHead(0.3), ["timeout"], "failed", False, "deadline"),
    Row("chunked body without end", lambda n, p: EndlessChunked(0.05), ["timeout"], "failed", False, "deadline"),
]
HEALTHY = (1, 50, 99)
DISALLOWED = 77  # robots.txt (served gzip-compressed) forbids it


def row_number(row: Row) -> int:
    """The article number that misbehaves as ``row``."""
    return 10 + ROWS.index(row)


@dataclass
class CrawlRun:
    """One crawl of the hostile site: what the tests read."""

    site: HostileSite
    warehouse: object
    elsewhere: RouteServer
    summary: dict
    run_id: str


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, prefect_harness):
    """Serve every row at once among healthy articles, behind a gzip list page and robots.txt; crawl once."""
    from flows.crawl import crawl_source
    from tests.faults.conftest import Warehouse, good_article

    warehouse = Warehouse(tmp_path_factory.mktemp("hostile"))
    warehouse.sources.mkdir()
    with RouteServer() as server, pytest.MonkeyPatch.context() as mp:
        port = server.base_url.rsplit(":", 1)[1]
        with RouteServer(host="127.0.0.2", port=int(port)) as elsewhere:
            mp.setenv("BULLETINS_SOURCES", str(warehouse.sources))
            mp.setenv("BULLETINS_REPORTS", str(warehouse.root / "reports"))
            site = HostileSite(server, warehouse.sources, "hostile")
            numbers = [*HEALTHY, DISALLOWED, *(row_number(r) for r in ROWS)]
            site.list_page([f"a/{n}.html" for n in sorted(numbers, reverse=True)], coding="gzip")
            for n in (*HEALTHY, DISALLOWED):
                server.route(site.path(n), good_article(n))
            for row in ROWS:
                server.route(site.path(row_number(row)), row.response(row_number(row), port))
            robots = f"User-agent: *\nDisallow: {site.path(DISALLOWED)}\n".encode("ascii")
            server.route("/robots.txt", Encoded.of(robots, "gzip", content_type="text/plain"))
            site.write_config()
            summary = crawl_source(site.name, **warehouse.flow_kwargs())
            run_id = warehouse.scalar("SELECT run_id FROM runs WHERE flow = 'crawl-source'")
            yield CrawlRun(site, warehouse, elsewhere, summary, run_id)


@pytest.mark.integration
@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_a_hostile_article_is_recorded_and_the_run_goes_on(hostile_run, row):
    n, wh, site = row_number(row), hostile_run.warehouse, hostile_run.site
    requests = wh.rows(
        "SELECT outcome, error FROM fetch_log WHERE run_id = ? AND kind = 'article' AND url = ? ORDER BY seq",
        [hostile_run.run_id, site.url(n)],
    )
    refused = wh.rows(
        "SELECT outcome FROM fetch_log WHERE run_id = ? AND outcome = 'host_not_allowed' AND url NOT LIKE ?",
        [hostile_run.run_id, f"%/a/{n}.html"],
    )
    outcomes = [r[0] for r in requests] + ([r[0] for r in refused] if row.outcomes[-1] == "host_not_allowed" else [])
    assert outcomes[: len(row.outcomes)] == row.outcomes, requests
    state, attempts, last_error = wh.rows("SELECT state, attempts, last_error FROM links WHERE url = ?", [site.url(n)])[
        0
    ]
    assert (state, attempts) == (row.link_state, 1)
    assert wh.scalar("SELECT count(*) FROM documents WHERE url = ?", [site.url(n)]) == int(row.loads)
    if not row.loads:
        [(stage, error)] = wh.rows(
            "SELECT stage, error FROM crawl_errors WHERE run_id = ? AND url = ?", [hostile_run.run_id, site.url(n)]
        )
        assert stage == "fetch" and row.error in error and row.outcomes[-1] in last_error


@pytest.mark.integration
def test_the_hostile_crawl_loads_the_rest_and_never_touches_another_host(hostile_run):
    wh, site = hostile_run.warehouse, hostile_run.site
    from bulletins.pipeline.stage import document_id

    assert hostile_run.elsewhere.requests == []
    for n in HEALTHY:
        assert wh.scalar("SELECT count(*) FROM indicators WHERE document_id = ?", [document_id(site.url(n))]) > 0
    loads = [r for r in ROWS if r.loads]
    assert wh.scalar("SELECT count(*) FROM documents") == len(HEALTHY) + len(loads)
    # robots.txt, served gzip-compressed, was read and obeyed: the page was never requested.
    assert site.path(DISALLOWED) not in site.server.paths()
    assert wh.rows("SELECT state FROM links WHERE url = ?", [site.url(DISALLOWED)]) == [("gone",)]
    assert wh.rows("SELECT status FROM runs WHERE run_id = ?", [hostile_run.run_id]) == [("warning",)]


@pytest.mark.integration
def test_compressed_and_big5_pages_load_their_real_text(hostile_run):
    wh, site = hostile_run.warehouse, hostile_run.site
    big5 = row_number(next(r for r in ROWS if r.name.startswith("Big5")))
    title, encoding, text = wh.rows("SELECT title, encoding, text FROM documents WHERE url = ?", [site.url(big5)])[0]
    # Read as Big5, the page's traditional characters come through (the pipeline may simplify them).
    assert encoding == "cp950" and title in (f"臺南縣第{big5}次會議", f"台南县第{big5}次会议")
    assert "\ufffd" not in text and ("預算總額" in text or "预算总额" in text)
    gz = row_number(ROWS[0])
    assert "规模工业增加值增长5.2%" in wh.scalar("SELECT text FROM documents WHERE url = ?", [site.url(gz)])
    # The archive holds the decoded page, addressed by its own hash.
    archive = RawArchive(wh.archive)
    entry = next(e for e in archive.latest_entries("hostile") if e.url == site.url(gz))
    assert archive.get(entry.content_hash).startswith(b"<html>") and "content-encoding" not in entry.headers


@pytest.mark.integration
def test_a_garbled_page_is_retried_next_run_and_loads_once_repaired(tmp_path, monkeypatch, prefect_harness):
    from flows.crawl import crawl_source
    from tests.faults.conftest import good_article

    wh = _warehouse(tmp_path, monkeypatch)
    with RouteServer() as server:
        site = HostileSite(server, wh.sources, "garbled").list_page(["a/2.html", "a/1.html"]).write_config()
        server.routes({site.path(1): good_article(1), site.path(2): mixed_charsets(2)})
        first = crawl_source(site.name, **wh.flow_kwargs())
        assert first["errors"] == 1
        assert wh.rows("SELECT state FROM links WHERE url = ?", [site.url(2)]) == [("failed",)]
        assert wh.scalar("SELECT count(*) FROM fetch_log WHERE outcome = 'mojibake'") == 1
        server.route(site.path(2), good_article(2))  # the site fixes its page
        second = crawl_source(site.name, **wh.flow_kwargs())
        assert second["fetched"] == 1 and second["errors"] == 0
        assert wh.rows("SELECT state, attempts FROM links WHERE url = ?", [site.url(2)]) == [("fetched", 2)]


def _warehouse(tmp_path, monkeypatch):
    """A fresh data folder with the settings' environment pointing into it."""
    from tests.faults.conftest import Warehouse

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


@pytest.mark.integration
def test_one_article_spelt_many_ways_is_one_link_and_one_document(tmp_path, monkeypatch, prefect_harness):
    from bulletins.pipeline.stage import document_id
    from flows.crawl import crawl_source
    from tests.faults.conftest import good_article

    wh = _warehouse(tmp_path, monkeypatch)
    with RouteServer() as server:
        port = server.base_url.rsplit(":", 1)[1]
        spellings = [
            "a/1.html",
            "a/1.html?utm_source=wechat&utm_medium=share",
            "a/1.html#comments",
            f"HTTP://127.0.0.1:{port}/canon/a/1.html?from=timeline&spm=a2.b3",
            f"http://0x7f.0.0.1:{port}/canon/a/1.html",
            f"http://127.0.0.1.:{port}/canon/a/1.html",
            "a/2.html?utm_campaign=x",
        ]
        site = HostileSite(server, wh.sources, "canon").list_page(spellings).write_config()
        server.routes({site.path(1): good_article(1), site.path(2): good_article(2)})
        crawl_source(site.name, **wh.flow_kwargs())
        assert sorted(r[0] for r in wh.rows("SELECT url FROM links")) == [site.url(1), site.url(2)]
        assert wh.scalar("SELECT count(*) FROM documents") == 2
        # The key of the canonical spelling is the key the plain URL always had.
        assert wh.scalar("SELECT count(*) FROM documents WHERE document_id = ?", [document_id(site.url(1))]) == 1
        assert server.count(site.path(1)) == 1 and server.count("/robots.txt") == 1


@pytest.mark.integration
def test_a_list_of_thousands_is_fetched_a_capped_batch_per_run_oldest_first(tmp_path, monkeypatch, prefect_harness):
    from flows.crawl import crawl_source
    from tests.faults.conftest import good_article

    wh = _warehouse(tmp_path, monkeypatch)
    total, cap = 3000, 20
    with RouteServer() as server:
        site = HostileSite(server, wh.sources, "flood")
        site.list_page([f"a/{n}.html" for n in range(total, 0, -1)]).write_config(max_new_links=cap)
        server.fallback(
            lambda request: (
                good_article(int(request.path.rsplit("/", 1)[1].split(".")[0]))
                if "/a/" in request.path
                else Status(404)
            )
        )
        first = crawl_source(site.name, **wh.flow_kwargs())
        assert first["new_links"] == total and first["fetched"] == cap
        assert wh.scalar("SELECT count(*) FROM links WHERE state = 'pending'") == total - cap
        fetched_first = {r[0] for r in wh.rows("SELECT url FROM documents")}
        assert fetched_first == {site.url(n) for n in range(total, total - cap, -1)}  # the list's first 20
        second = crawl_source(site.name, **wh.flow_kwargs())
        assert second["new_links"] == 0 and second["fetched"] == cap
        fetched_second = {r[0] for r in wh.rows("SELECT url FROM documents")} - fetched_first
        assert fetched_second == {site.url(n) for n in range(total - cap, total - 2 * cap, -1)}  # the next 20
        assert wh.scalar("SELECT count(*) FROM links WHERE state = 'pending'") == total - 2 * cap
        articles = [p for p in server.paths() if "/a/" in p]
        assert len(articles) == 2 * cap and len(set(articles)) == 2 * cap  # nothing fetched twice


# == source files that would crash later: refused on load, naming file, line and key ==============

BASE_SOURCE = [
    "name: bad",  # 1
    "base_url: https://www.example.gov.cn/",  # 2
    "allowed_hosts: [www.example.gov.cn]",  # 3
    "politeness:",  # 4
    "  requests_per_second: 1",  # 5
    "  timeout: 10",  # 6
    "list:",  # 7
    "  start_urls: [xxgk/index.html]",  # 8
    "links:",  # 9
    '  selector: "ul.list li a"',  # 10
    "article:",  # 11
    "  title: [h1]",  # 12
    "  published: [{meta: PubDate}]",  # 13
    '  body: ["#zoom"]',  # 14
]


def source_text(**lines: str) -> str:
    """BASE_SOURCE with some lines replaced: source_text(l3="allowed_hosts: [8080]")."""
    out = list(BASE_SOURCE)
    for key, text in lines.items():
        out[int(key[1:]) - 1] = text
    return "\n".join(out) + "\n"


# (what is wrong, the file's text, a fragment the error must contain: file:line: key: problem)
BAD_SOURCES = [
    (
        "a port number as a host",
        source_text(l3="allowed_hosts: [8080]"),
        "bad.yaml:3: allowed_hosts[0]: must be a host name, host:port or *.host, not int (8080)",
    ),
    (
        "a null host",
        source_text(l3="allowed_hosts:\n  - www.example.gov.cn\n  - null"),
        "bad.yaml:5: allowed_hosts[1]: must be a host name, host:port or *.host, not NoneType (None)",
    ),
    (
        "hosts as one string",
        source_text(l3="allowed_hosts: www.example.gov.cn"),
        "bad.yaml:3: allowed_hosts: must be list, not str",
    ),
    ("an empty host list", source_text(l3="allowed_hosts: []"), "bad.yaml:3: allowed_hosts: needs at least one host"),
    (
        "a URL as a host",
        source_text(l3="allowed_hosts: ['https://www.example.gov.cn/']"),
        "bad.yaml:3: allowed_hosts[0]: 'https://www.example.gov.cn/' is not host or host:port",
    ),
    (
        "a user in a host",
        source_text(l3="allowed_hosts: ['admin@www.example.gov.cn']"),
        "bad.yaml:3: allowed_hosts[0]: 'admin@www.example.gov.cn' is not host or host:port",
    ),
    ("a host with a space", source_text(l3="allowed_hosts: ['www.example .gov.cn']"), "bad.yaml:3: allowed_hosts[0]:"),
    ("timeout 0", source_text(l6="  timeout: 0"), "bad.yaml:6: politeness.timeout: 0 must be above 0"),
    ("timeout -1", source_text(l6="  timeout: -1"), "bad.yaml:6: politeness.timeout: -1 must be above 0"),
    ("timeout .nan", source_text(l6="  timeout: .nan"), "bad.yaml:6: politeness.timeout: nan must be above 0"),
    ("timeout .inf", source_text(l6="  timeout: .inf"), "bad.yaml:6: politeness.timeout: inf must be above 0"),
    (
        "timeout as text",
        source_text(l6="  timeout: 10s"),
        "bad.yaml:6: politeness.timeout: must be int or float, not str",
    ),
    (
        "timeout true",
        source_text(l6="  timeout: true"),
        "bad.yaml:6: politeness.timeout: must be int or float, not bool",
    ),
    (
        "negative rate",
        source_text(l5="  requests_per_second: -2"),
        "bad.yaml:5: politeness.requests_per_second: -2 must be above 0",
    ),
    (
        "zero rate",
        source_text(l5="  requests_per_second: 0"),
        "bad.yaml:5: politeness.requests_per_second: 0 must be above 0",
    ),
    ("zero concurrency", source_text(l5="  concurrency: 0"), "bad.yaml:5: politeness.concurrency: 0 must be 1 or more"),
    (
        "negative retries",
        source_text(l5="  retries: -1"),
        "bad.yaml:5: politeness.retries: -1 must be between 0 and 10",
    ),
    ("retries by the thousand", source_text(l5="  retries: 1000"), "politeness.retries: 1000 must be between 0 and 10"),
    ("negative size cap", source_text(l5="  max_bytes: -5"), "bad.yaml:5: politeness.max_bytes: -5 must be 1 or more"),
    ("size cap as text", source_text(l5="  max_bytes: 1MB"), "bad.yaml:5: politeness.max_bytes: must be int, not str"),
    (
        "deadline shorter than the timeout",
        source_text(l5="  deadline: 2"),
        "bad.yaml:5: politeness.deadline: 2.0 is shorter than the timeout 10.0",
    ),
    (
        "politeness as a list",
        source_text(l4="politeness: [1, 2]", l5="#", l6="#"),
        "bad.yaml:4: politeness: must be a mapping, not list",
    ),
    (
        "no new links per run",
        source_text(l8="  start_urls: [xxgk/index.html]\n  max_new_links: 0"),
        "bad.yaml:9: list.max_new_links: 0 must be 1 or more",
    ),
    (
        "a number among ignored parameters",
        source_text(l10='  selector: "ul.list li a"\n  ignore_params: [utm_*, 5]'),
        "bad.yaml:11: links.ignore_params[1]: 5 is not a query parameter name",
    ),
    (
        "base_url with a user",
        source_text(l2="base_url: https://admin@www.example.gov.cn/"),
        "bad.yaml:2: base_url: 'https://admin@www.example.gov.cn/' carries userinfo",
    ),
    (
        "base_url with a backslash",
        source_text(l2="base_url: 'https://www.example.gov.cn\\\\x/'"),
        "bad.yaml:2: base_url:",
    ),
    (
        "a key given twice",
        source_text(l6="  timeout: 10\n  timeout: 0"),
        "bad.yaml:7: politeness.timeout: key given twice",
    ),
    ("enabled as text", source_text(l1="name: bad\nenabled: 'yes'"), "bad.yaml:2: enabled: must be bool, not str"),
    ("name as a number", source_text(l1="name: 12"), "bad.yaml:1: name: must be str, not int"),
    # (not article: a source without one is read by generic extraction, issue 14)
    ("a missing section points at the top", source_text(l9="#", l10="#"), "bad.yaml:1: links: missing section"),
    ("a selector list item that is a mapping", source_text(l12="  title: [{h1: 1}]"), "bad.yaml:12: article.title[0]"),
    ("not YAML", source_text(l8="  start_urls: [xxgk/index.html"), "bad.yaml: not valid YAML (line 9)"),
]


@pytest.mark.parametrize("why, text, message", BAD_SOURCES, ids=[row[0] for row in BAD_SOURCES])
def test_a_bad_source_file_names_file_line_and_key(tmp_path, why, text, message):
    from bulletins.crawl.sources import SourceConfigError, load_source_file

    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceConfigError) as info:
        load_source_file(path)
    assert message in str(info.value), why
    assert info.value.path == path


def test_the_base_source_text_is_good(tmp_path):
    from bulletins.crawl.sources import load_source_file

    (tmp_path / "bad.yaml").write_text(source_text(), encoding="utf-8")
    config = load_source_file(tmp_path / "bad.yaml")
    assert config.allowed_hosts == ("www.example.gov.cn",) and config.list.max_new_links == 200
    assert config.politeness.timeout == 10.0


def test_load_sources_checked_keeps_the_good_and_reports_the_bad(tmp_path, monkeypatch):
    from bulletins.crawl.sources import SourceConfigError, load_sources, load_sources_checked

    monkeypatch.setenv("BULLETINS_SOURCES", str(tmp_path))
    for name in ("alpha", "beta", "quiet"):
        text = source_text(l1=f"name: {name}" + ("\nenabled: false" if name == "quiet" else ""))
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "ports.yaml").write_text(source_text(l1="name: ports", l3="allowed_hosts: [8080]"), encoding="utf-8")
    (tmp_path / "nulls.yaml").write_text(source_text(l1="name: nulls", l6="  timeout: -1"), encoding="utf-8")
    configs, errors = load_sources_checked()
    assert [c.name for c in configs] == ["alpha", "beta"]
    assert sorted((e.path.name, e.line, e.key) for e in errors) == [
        ("nulls.yaml", 6, "politeness.timeout"),
        ("ports.yaml", 3, "allowed_hosts[0]"),
    ]
    assert [c.name for c in load_sources_checked(enabled_only=False)[0]] == ["alpha", "beta", "quiet"]
    with pytest.raises(SourceConfigError):
        load_sources()  # the strict loader still stops at the first bad file


# == list pages that offer hostile links ==========================================================

HOSTILE_HREFS = [
    ("a1.html", "http://www.example.gov.cn/news/20240102/a1.html"),  # a plain relative link, kept
    ("A1.html?x", None),  # not an article URL of the site
    ("http://127.0.0.2\\@www.example.gov.cn/news/20240102/a2.html", None),
    ("http://evil.example.com@www.example.gov.cn/news/20240102/a3.html", None),
    ("http://www.example.gov.cn@evil.example.com/news/20240102/a4.html", None),
    ("//evil.example.com/news/20240102/a5.html", None),
    ("javascript:location='http://www.example.gov.cn/news/20240102/a6.html'", None),
    ("data:text/html,/news/20240102/a7.html", None),
    (
        "HTTP://WWW.EXAMPLE.GOV.CN:80/news/20240102/a8.html?utm_source=feed#top",
        "http://www.example.gov.cn/news/20240102/a8.html",
    ),
    ("http://www.example.gov.cn./news/20240102/a9.html?spm=1.2", "http://www.example.gov.cn/news/20240102/a9.html"),
    ("http://www.example.gov.cn:8080/news/20240102/a10.html", None),  # another port of the allowed host
]


def test_a_list_page_yields_only_canonical_links_on_allowed_hosts():
    from bulletins.crawl.discover import extract_links

    config = parse_source(site_raw(base_url="http://www.example.gov.cn/"), "test_site.yaml", "test_site")
    items = "".join(f'<li><a href="{href}">x</a></li>' for href, _ in HOSTILE_HREFS)
    html = f"<html><body><ul class='list'>{items}</ul></body></html>"
    links = extract_links(html, "http://www.example.gov.cn/news/20240102/index.html", config)
    assert links.articles == [url for _, url in HOSTILE_HREFS if url]


def test_a_base_href_to_another_host_yields_nothing_to_fetch():
    from bulletins.crawl.discover import extract_links

    config = parse_source(site_raw(base_url="http://www.example.gov.cn/"), "test_site.yaml", "test_site")
    html = (
        "<html><head><base href='http://evil.example.com/'></head><body><ul class='list'>"
        "<li><a href='news/20240102/a1.html'>x</a></li></ul></body></html>"
    )
    assert extract_links(html, "http://www.example.gov.cn/news/index.html", config).articles == []
