"""PoliteFetcher against a real HTTP server on 127.0.0.1: every outcome, retry and refusal."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from bulletins.crawl.fetcher import OUTCOMES, parse_retry_after
from demo.httpd import (
    Drip,
    Delay,
    Huge,
    Page,
    Redirect,
    Reset,
    Response,
    RouteServer,
    Robots,
    Sequence,
    Status,
    Truncated,
)
from tests.crawl.conftest import FAST

ARTICLE = "<html><head><title>市政府常务会议</title></head><body><div id='zoom'><p>{}</p></div></body></html>"
TEXT = "衡阳市召开市政府常务会议，研究部署经济运行工作。全市地区生产总值增长5.6%。"
HTML = ARTICLE.format(TEXT)
OK = Page(b"<html><body>ok</body></html>")


def pages(server: RouteServer) -> list[str]:
    """Paths requested, robots.txt left out."""
    return [p for p in server.paths() if p != "/robots.txt"]


# -- conditional GET ------------------------------------------------------------------------


def test_conditional_get_with_etag_answers_not_modified(server, make_fetcher):
    server.route("/a.html", Page(HTML.encode("utf-8"), etag='"v1"'))
    fetcher = make_fetcher()
    first = fetcher.fetch(server.url("/a.html"))
    second = fetcher.fetch(server.url("/a.html"), etag=first.etag)
    assert (first.outcome, first.etag) == ("fetched", '"v1"')
    assert (second.outcome, second.http_status, second.body) == ("not_modified", 304, None)
    assert server.requests[-1].header("If-None-Match") == '"v1"'


def test_conditional_get_with_last_modified(server, make_fetcher):
    server.route("/a.html", Page(HTML.encode("utf-8"), last_modified=1_700_000_000))
    fetcher = make_fetcher()
    first = fetcher.fetch(server.url("/a.html"))
    again = fetcher.fetch(server.url("/a.html"), last_modified=first.last_modified)
    assert again.outcome == "not_modified"
    assert server.requests[-1].header("If-Modified-Since") == first.last_modified


def test_changed_page_is_fetched_despite_old_etag(server, make_fetcher):
    page = Page(HTML.encode("utf-8"), etag='"v1"')
    server.route("/a.html", page)
    fetcher = make_fetcher()
    fetcher.fetch(server.url("/a.html"))
    page.body, page.etag = ARTICLE.format("改版后的内容").encode("utf-8"), '"v2"'
    result = fetcher.fetch(server.url("/a.html"), etag='"v1"')
    assert (result.outcome, result.etag) == ("fetched", '"v2"')
    assert "改版后的内容" in result.text


# -- retries ------------------------------------------------------------------------------


def test_500_then_200_succeeds_on_second_attempt(server, make_fetcher, fetch_log):
    server.route("/flaky.html", Sequence(Status(500), Page(HTML.encode("utf-8"))))
    result = make_fetcher().fetch(server.url("/flaky.html"))
    assert (result.outcome, result.attempts, result.http_status) == ("fetched", 2, 200)
    assert pages(server) == ["/flaky.html", "/flaky.html"]
    outcomes = [(e.http_status, e.outcome, e.attempts) for e in fetch_log if e.kind == "article"]
    assert outcomes == [(500, "retrying", 1), (200, "fetched", 2)]


def test_429_waits_as_long_as_retry_after_asks(server, make_fetcher):
    server.route("/busy.html", Sequence(Status(429, headers={"Retry-After": "3"}), OK))
    waits: list[float] = []
    manners = replace(FAST, retry_after_max=120.0)
    result = make_fetcher(manners=manners, sleep=waits.append).fetch(server.url("/busy.html"))
    assert (result.outcome, result.attempts) == ("fetched", 2)
    assert 3.0 in waits


def test_retry_after_is_capped(server, make_fetcher):
    server.route("/busy.html", Sequence(Status(429, headers={"Retry-After": "3600"}), OK))
    waits: list[float] = []
    manners = replace(FAST, retry_after_max=7.0)
    make_fetcher(manners=manners, sleep=waits.append).fetch(server.url("/busy.html"))
    assert max(waits) == 7.0


def test_backoff_doubles_up_to_its_cap(server, make_fetcher):
    fetcher = make_fetcher(manners=replace(FAST, backoff_base=1.0, backoff_max=5.0))
    assert [fetcher.backoff(n, None) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]


def test_connection_reset_then_success(server, make_fetcher):
    server.route("/drop.html", Sequence(Reset(), Page(HTML.encode("utf-8"))))
    result = make_fetcher().fetch(server.url("/drop.html"))
    assert (result.outcome, result.attempts) == ("fetched", 2)


def test_truncated_body_is_retried(server, make_fetcher, fetch_log):
    server.route("/cut.html", Sequence(Truncated(b"<html><body>half", 500), Page(HTML.encode("utf-8"))))
    result = make_fetcher().fetch(server.url("/cut.html"))
    assert (result.outcome, result.attempts) == ("fetched", 2)
    retried = next(e for e in fetch_log if e.outcome == "retrying")
    assert "cut short" in retried.error


def test_persistent_503_gives_up_after_the_retries(server, make_fetcher):
    server.route("/down.html", Status(503))
    result = make_fetcher().fetch(server.url("/down.html"))
    assert (result.outcome, result.http_status) == ("http_error", 503)
    assert result.attempts == FAST.max_retries + 1 == server.count("/down.html")


def test_404_is_not_retried(server, make_fetcher):
    result = make_fetcher().fetch(server.url("/missing.html"))
    assert (result.outcome, result.http_status, result.attempts) == ("http_error", 404, 1)
    assert pages(server) == ["/missing.html"]


def test_retry_after_parses_seconds_and_dates():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past
    assert parse_retry_after("soon") is None


# -- redirects and hosts --------------------------------------------------------------------


def test_redirect_on_the_same_host_is_followed(server, make_fetcher, fetch_log):
    server.route("/old.html", Redirect("/new.html", 301)).route("/new.html", Page(HTML.encode("utf-8")))
    result = make_fetcher().fetch(server.url("/old.html"))
    assert (result.outcome, result.url, result.final_url) == (
        "fetched",
        server.url("/old.html"),
        server.url("/new.html"),
    )
    assert [e.outcome for e in fetch_log if e.kind == "article"] == ["redirected", "fetched"]


def test_redirect_loop_ends_with_redirect_loop(server, make_fetcher):
    server.route("/a", Redirect("/b")).route("/b", Redirect("/a"))
    result = make_fetcher().fetch(server.url("/a"))
    assert result.outcome == "redirect_loop"
    assert pages(server) == ["/a", "/b"]
    assert "/a -> " in result.error


def test_redirect_chain_past_the_hop_cap_is_a_loop(server, make_fetcher):
    for n in range(10):
        server.route(f"/r{n}", Redirect(f"/r{n + 1}"))
    result = make_fetcher(manners=replace(FAST, max_redirects=3)).fetch(server.url("/r0"))
    assert result.outcome == "redirect_loop"
    assert pages(server) == ["/r0", "/r1", "/r2", "/r3"]


def test_redirect_to_a_host_not_allowed_is_not_followed(server, make_fetcher):
    with RouteServer(host="127.0.0.2") as foreign:
        foreign.route("/x.html", OK)
        server.route("/away.html", Redirect(foreign.url("/x.html")))
        result = make_fetcher().fetch(server.url("/away.html"))
        assert result.outcome == "host_not_allowed"
        assert "127.0.0.2" in result.error
        assert foreign.requests == []


def test_another_name_for_the_same_server_is_a_foreign_host(server, make_fetcher):
    server.route("/x.html", OK)
    result = make_fetcher().fetch(server.url("/x.html").replace("127.0.0.1", "localhost"))
    assert result.outcome == "host_not_allowed"
    assert server.requests == []


def test_listed_second_host_is_allowed(server, make_fetcher):
    with RouteServer(host="127.0.0.2") as cdn:
        cdn.route("/x.html", Page(HTML.encode("utf-8")))
        server.route("/away.html", Redirect(cdn.url("/x.html")))
        fetcher = make_fetcher(allowed_hosts=[server.base_url.split("//")[1], cdn.base_url.split("//")[1]])
        assert fetcher.fetch(server.url("/away.html")).outcome == "fetched"
        assert cdn.paths() == ["/robots.txt", "/x.html"]  # the second host's robots.txt is read too


# -- robots.txt -----------------------------------------------------------------------------


def test_robots_disallow_means_no_request(server, make_fetcher, fetch_log):
    server.route("/robots.txt", Robots("User-agent: *\nDisallow: /private/\n"))
    server.route("/private/a.html", OK).route("/public/a.html", OK)
    fetcher = make_fetcher()
    refused = fetcher.fetch(server.url("/private/a.html"))
    allowed = fetcher.fetch(server.url("/public/a.html"))
    assert (refused.outcome, allowed.outcome) == ("robots_disallowed", "fetched")
    assert server.paths() == ["/robots.txt", "/public/a.html"]
    assert [(e.kind, e.outcome) for e in fetch_log][:2] == [("robots", "fetched"), ("article", "robots_disallowed")]


def test_robots_is_fetched_once_per_host_per_run(server, make_fetcher):
    server.route("/a.html", OK).route("/b.html", OK)
    fetcher = make_fetcher()
    for path in ("/a.html", "/b.html", "/a.html"):
        fetcher.fetch(server.url(path))
    assert server.count("/robots.txt") == 1


def test_robots_rules_for_our_agent_override_the_star_group(server, make_fetcher):
    server.route("/robots.txt", Robots("User-agent: *\nDisallow: /\n\nUser-agent: bulletins\nAllow: /\n"))
    server.route("/a.html", OK)
    assert make_fetcher().fetch(server.url("/a.html")).outcome == "fetched"


def test_unreachable_robots_disallows_the_host(server, make_fetcher):
    server.route("/robots.txt", Status(503)).route("/a.html", OK)
    result = make_fetcher().fetch(server.url("/a.html"))
    assert result.outcome == "robots_disallowed"
    assert "unreachable" in result.error
    assert "/a.html" not in server.paths()


def test_robots_can_be_turned_off_per_source(server, make_fetcher):
    server.route("/robots.txt", Robots("User-agent: *\nDisallow: /\n")).route("/a.html", OK)
    fetcher = make_fetcher(politeness={"obey_robots": False})
    assert fetcher.fetch(server.url("/a.html")).outcome == "fetched"
    assert server.paths() == ["/a.html"]


def test_crawl_delay_slows_the_host_down(server, make_fetcher):
    server.route("/robots.txt", Robots("User-agent: *\nCrawl-delay: 4\n")).route("/a.html", OK)
    fetcher = make_fetcher(sleep=lambda s: None)
    fetcher.fetch(server.url("/a.html"))
    assert fetcher.limiter.interval_for(server.base_url.split("//")[1]) == 4.0


# -- charsets -------------------------------------------------------------------------------

GBK_BYTES = HTML.encode("gbk")


@pytest.mark.parametrize(
    "page",
    [
        Page(GBK_BYTES, charset_header="gbk"),
        Page(GBK_BYTES, charset_header="gb2312"),
        Page(GBK_BYTES, charset_header=None),
        Page(GBK_BYTES, charset_header="utf-8"),
        Page(GBK_BYTES, charset_header="iso-8859-1"),
    ],
    ids=["right-header", "gb2312-label", "no-header", "wrong-utf8-header", "latin1-default-header"],
)
def test_gbk_page_decodes_right_whatever_the_header(server, make_fetcher, page):
    server.route("/gbk.html", page)
    result = make_fetcher().fetch(server.url("/gbk.html"))
    assert result.outcome == "fetched"
    assert TEXT in result.text
    assert result.encoding == "gb18030"


def test_meta_charset_decides_when_the_header_is_silent(server, make_fetcher):
    html = "<html><head><meta http-equiv='Content-Type' content='text/html; charset=big5'></head><body>衡陽市政府常務會議</body></html>"
    server.route("/big5.html", Page(html.encode("big5"), charset_header=None))
    result = make_fetcher().fetch(server.url("/big5.html"))
    assert "衡陽市政府常務會議" in result.text


def test_encoding_hint_breaks_a_tie(server, make_fetcher):
    server.route("/short.html", Page("<p>衡陽</p>".encode("big5"), charset_header=None))
    result = make_fetcher(encoding="big5").fetch(server.url("/short.html"))
    assert "衡陽" in result.text


# -- bodies ---------------------------------------------------------------------------------


def test_declared_body_over_the_cap_is_too_large(server, make_fetcher):
    server.route("/big.html", Huge(FAST.max_bytes + 1))
    result = make_fetcher().fetch(server.url("/big.html"))
    assert (result.outcome, result.body, result.content_hash) == ("too_large", None, None)
    assert "Content-Length" in result.error


def test_streamed_body_over_the_cap_is_abandoned(server, make_fetcher, fetch_log, archive):
    server.route("/big.html", Huge(50 * 1024 * 1024, declare_length=False))
    result = make_fetcher().fetch(server.url("/big.html"))
    assert (result.outcome, result.body) == ("too_large", None)
    entry = fetch_log[-1]
    assert FAST.max_bytes < entry.bytes < 2 * FAST.max_bytes  # stopped reading soon after the cap
    assert not any(archive.objects.rglob("*"))  # nothing archived


def test_page_that_never_finishes_ends_at_the_deadline(server, make_fetcher):
    server.route("/slow.html", Drip(b"<html><body>", chunk=8, interval=0.02, forever=True))
    result = make_fetcher(manners=replace(FAST, deadline=0.3)).fetch(server.url("/slow.html"))
    assert result.outcome == "timeout"
    assert "deadline" in result.error
    assert server.count("/slow.html") == 1  # a slow site is not hammered with retries


def test_server_that_never_answers_times_out(server, make_fetcher):
    server.route("/stuck.html", Delay(30, OK))
    result = make_fetcher(manners=replace(FAST, read_timeout=0.2)).fetch(server.url("/stuck.html"))
    assert result.outcome == "timeout"
    assert server.count("/stuck.html") == 1


def test_empty_200_is_empty(server, make_fetcher):
    server.route("/empty.html", Page(b""))
    result = make_fetcher().fetch(server.url("/empty.html"))
    assert (result.outcome, result.http_status) == ("empty", 200)


@pytest.mark.parametrize(
    "page",
    [
        Page(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", charset_header="utf-8"),
        Page(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", charset_header=None),
        Page(b"<html>fine</html>", content_type="application/pdf", charset_header=None),
    ],
    ids=["pdf-as-html", "png-as-html", "pdf-content-type"],
)
def test_binary_or_non_html_is_not_html(server, make_fetcher, page):
    server.route("/file.html", page)
    result = make_fetcher().fetch(server.url("/file.html"))
    assert (result.outcome, result.text) == ("not_html", None)
    assert result.error


# -- archive, log, manners -------------------------------------------------------------------


def test_raw_bytes_are_archived_as_served(server, make_fetcher, archive):
    server.route("/gbk.html", Page(GBK_BYTES, charset_header="gbk", etag='"e1"'))
    result = make_fetcher().fetch(server.url("/gbk.html"))
    assert archive.get(result.content_hash) == GBK_BYTES
    [entry] = archive.latest_entries("test_site")
    assert (entry.url, entry.content_hash, entry.encoding, entry.kind) == (
        server.url("/gbk.html"),
        result.content_hash,
        "gb18030",
        "article",
    )
    assert entry.headers["etag"] == '"e1"' and "gbk" in entry.headers["content-type"]


def test_list_pages_are_archived_with_their_kind(server, make_fetcher, archive):
    server.route("/index.html", OK)
    make_fetcher().fetch(server.url("/index.html"), kind="list")
    assert [e.kind for e in archive.latest_entries()] == ["list"]


def test_every_request_made_is_logged(server, make_fetcher, fetch_log):
    server.route("/robots.txt", Robots("User-agent: *\nDisallow: /no/\n"))
    server.routes({"/a": Sequence(Status(500), OK), "/b": Redirect("/a"), "/no/x": OK, "/c": Status(404)})
    fetcher = make_fetcher()
    for path in ("/a", "/b", "/no/x", "/c"):
        fetcher.fetch(server.url(path))
    requested = [e for e in fetch_log if e.http_status is not None]
    assert len(requested) == len(server.requests) == fetcher.requests_made
    assert {e.outcome for e in fetch_log} <= set(OUTCOMES)
    assert all(e.source == "test_site" and e.requested_at is not None for e in fetch_log)


def test_user_agent_names_the_product_and_a_contact(server, make_fetcher):
    server.route("/a.html", OK)
    make_fetcher().fetch(server.url("/a.html"))
    agent = server.requests[-1].header("User-Agent")
    assert agent.startswith("bulletins/") and "+http" in agent


def test_source_can_override_the_user_agent(server, make_fetcher):
    server.route("/a.html", OK)
    make_fetcher(politeness={"user_agent": "probe/1.0 (+https://example.org/probe)"}).fetch(server.url("/a.html"))
    assert server.requests[-1].header("User-Agent") == "probe/1.0 (+https://example.org/probe)"


class _Counting(Response):
    """Serves a page slowly while counting how many requests are in flight at once."""

    def __init__(self) -> None:
        self.lock, self.now, self.peak = threading.Lock(), 0, 0

    def serve(self, handler, request) -> None:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        try:
            Delay(0.02, OK).serve(handler, request)
        finally:
            with self.lock:
                self.now -= 1


def test_one_request_at_a_time_per_host_and_spaced(server, make_fetcher):
    counting = _Counting()
    server.fallback(lambda request: counting)
    waits: list[float] = []
    fetcher = make_fetcher(manners=replace(FAST, requests_per_second=0.1), sleep=waits.append)
    urls = [server.url(f"/p{n}.html") for n in range(6)]
    threads = [threading.Thread(target=fetcher.fetch, args=(u,)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert counting.peak == 1  # never two requests to the host at once
    assert sorted(pages(server)) == sorted(f"/p{n}.html" for n in range(6))
    # robots.txt plus six pages: each start after the first was scheduled 10 s after the one before
    # (the recorded sleep returns at once, so these are the limiter's reservations, not wall time).
    assert len(waits) == 6
    assert [round(w / 10) for w in sorted(waits)] == [1, 2, 3, 4, 5, 6]


# -- the pacing itself, on a virtual clock ---------------------------------------------------


class _Clock:
    """A clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_limiter_spaces_starts_per_host_and_leaves_other_hosts_alone():
    from bulletins.crawl.ratelimit import HostLimiter

    clock = _Clock()
    limiter = HostLimiter(interval=1.0, clock=clock)
    assert [limiter.reserve("a") for _ in range(3)] == [0.0, 1.0, 2.0]
    assert limiter.reserve("b") == 0.0
    clock.now += 5.0  # a quiet spell: the next request may go at once
    assert limiter.reserve("a") == 0.0


def test_limiter_honours_a_longer_crawl_delay_for_one_host():
    from bulletins.crawl.ratelimit import HostLimiter

    limiter = HostLimiter(interval=1.0, clock=_Clock())
    limiter.set_min_interval("slow", 4.0)
    assert [limiter.reserve("slow") for _ in range(3)] == [0.0, 4.0, 8.0]
    assert [limiter.reserve("fast") for _ in range(2)] == [0.0, 1.0]


def test_limiters_on_the_real_clock_share_one_pace_per_host():
    # Two sources on one host crawled side by side: the host still sees requests spaced.
    from bulletins.crawl.ratelimit import HostLimiter

    host = "shared-pace.invalid"
    first, second = HostLimiter(interval=0.5), HostLimiter(interval=0.5)
    assert first.reserve(host) == 0.0
    assert second.reserve(host) > 0.4  # waits for the other limiter's reservation
    assert HostLimiter(interval=0.5).reserve("another-host.invalid") == 0.0
