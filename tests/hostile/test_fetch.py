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
from demo.httpd import Page, Redirect, Response, RouteServer, Robots, Sequence, Status
from tests.crawl.conftest import FAST, site_raw
from tests.hostile.servers import (MB, DripHead, Encoded, EndlessChunked, GzipBomb, raw_redirect,
                                   raw_response)

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
    Coded("gzip then deflate (two codings, undone in reverse)",
          lambda: Encoded(zlib.compress(gzip.compress(BODY)), "gzip, deflate"), "fetched"),
    Coded("two gzip members one after the other",
          lambda: Encoded(gzip.compress(BODY[:100]) + gzip.compress(BODY[100:]), "gzip"), "fetched"),
    Coded("upper-case coding name", lambda: Encoded(gzip.compress(BODY), "GZIP"), "fetched"),
    Coded("gzip that inflates to 1 GB", lambda: GzipBomb(1024 * MB), "too_large", "decoded body (gzip) passed the cap of 200000 bytes"),
    Coded("deflate that inflates past the cap, Content-Length small",
          lambda: Encoded(zlib.compress(b"<p>" * (10 * MB)), "deflate"), "too_large", "decoded body (deflate) passed the cap of 200000 bytes"),
    Coded("brotli, never asked for", lambda: Encoded(b"\x1b\x03\x00\xf8\xa5", "br"), "undecodable", "'br'"),
    Coded("corrupt gzip", lambda: Encoded(b"\x1f\x8b\x08\x00" + b"\x07" * 200, "gzip"), "undecodable", "corrupt gzip"),
    Coded("gzip cut short of its stream (Content-Length true)",
          lambda: Encoded(gzip.compress(BODY)[:60], "gzip"), "undecodable", "ends before the end of its stream"),
    Coded("gzip cut short of its Content-Length",
          lambda: Encoded(gzip.compress(BODY)[:60], "gzip", length=len(gzip.compress(BODY))), "error", "cut short"),
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
    Hop("fullwidth digits and ideographic dots (IDNA maps them)", "http://１２７。０。０。２:{p}/", False,
        "127.0.0.2:{p} is not among"),
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


@pytest.mark.parametrize("url", [
    "http://a@127.0.0.1:{p}/page.html",
    "http://127.0.0.1:{p}\\page.html",
    "ftp://127.0.0.1:{p}/page.html",
    "http://2130706434:{p}/page.html",
    "http:127.0.0.1:{p}/page.html",
    "//127.0.0.1:{p}/page.html",
], ids=["userinfo", "backslash", "ftp", "decimal-ip", "scheme-without-slashes", "scheme-relative"])
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
    Wire("headers dripped one byte every 0.25 s", lambda: {"/a.html": DripHead(0.25)}, "timeout",
         "within the 1.5s deadline", {"deadline": 1.5}, within=3.5),
    Wire("chunked body that never ends", lambda: {"/a.html": EndlessChunked(0.05)}, "timeout",
         "deadline", {"deadline": 1.5}, within=3.5),
    Wire("a 100 KB header line", lambda: {"/a.html": raw_response(BODY, [("X-Huge", "h" * 100_000)])},
         "error", "header", {"max_retries": 0}),
    Wire("500 headers", lambda: {"/a.html": raw_response(BODY, [(f"X-H{i}", "v") for i in range(500)])},
         "error", "headers", {"max_retries": 0}),
    Wire("Content-Length longer than the body", lambda: {"/a.html": raw_response(BODY, [], length=len(BODY) + 500)},
         "error", "cut short", {"max_retries": 0}),
    Wire("two Content-Length headers that disagree",
         lambda: {"/a.html": raw_response(BODY, [("Content-Length", "7")])}, "error", "", {"max_retries": 0}),
    Wire("an image/png 200", lambda: {"/a.html": Page(b"\x89PNG\r\n\x1a\n" + bytes(300), content_type="image/png",
                                                        charset_header=None)}, "not_html", "image/png"),
    Wire("redirect loop", lambda: {"/a.html": Redirect("/b.html"), "/b.html": Redirect("/a.html")},
         "redirect_loop", "loop"),
    Wire("redirect loop through a tracking parameter",
         lambda: {"/a.html": Redirect("/a.html?utm_source=loop")}, "redirect_loop", "loop"),
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
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={meta}">'
            f"<title>公告</title></head><body><div id='zoom'><p>{text}</p></div></body></html>")


@dataclass(frozen=True)
class Charset:
    """Page bytes, the header's charset claim, and what must come of them."""

    name: str
    body: bytes
    header: str | None
    outcome: str
    encoding: str | None = None  # the codec chosen, when fetched
    text: str | None = None       # a phrase the decoded text must hold


_MIXED = (_page(PARA * 10, "utf-8").encode("utf-8").replace(b"</p>", b"</p><p>" + ("附件：" + PARA * 4).encode("gbk") + b"</p>", 1))

CHARSETS = [
    Charset("Big5 bytes under a gb2312 meta: read as Big5", _page(TRAD, "gb2312").encode("big5"), None,
            "fetched", "cp950", TRAD),
    Charset("Big5 bytes under a gb2312 header and meta", _page(TRAD, "gb2312").encode("big5"), "gb2312",
            "fetched", "cp950", TRAD),
    Charset("UTF-8 page with a GBK paragraph pasted in", _MIXED, "utf-8", "mojibake"),
    Charset("GBK page cut by a UTF-8 paragraph", _page(PARA * 6, "gbk").encode("gbk") + ("更正：" + PARA).encode("utf-8") * 3,
            "gbk", "mojibake"),
    Charset("random high bytes", bytes(range(128, 256)) * 40, None, "mojibake"),
    Charset("GBK under a gb2312 meta (GBK-only characters)", _page("朱镕基王堃" + PARA, "gb2312").encode("gbk"), None,
            "fetched", "gb18030", "镕"),
    Charset("GB18030 four-byte characters", _page("𠀀𠀁" + PARA, "gb18030").encode("gb18030"), None,
            "fetched", "gb18030", "𠀀𠀁"),
    Charset("declares gb2312, is UTF-8", _page(PARA, "gb2312").encode("utf-8"), "gb2312", "fetched", "utf-8", PARA),
    Charset("UTF-8 with two stray bytes: tolerated", _page(PARA * 20, "utf-8").encode("utf-8").replace(b"<p>", b"<p>\xff\xfe", 1),
            "utf-8", "fetched", "utf-8", PARA),
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
