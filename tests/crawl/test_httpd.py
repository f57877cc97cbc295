"""The scriptable test server itself, exercised with plain requests (no crawler code)."""

from __future__ import annotations

import threading

import pytest
import requests

from demo.httpd import Delay, Drip, Huge, Page, Redirect, Reset, RouteServer, Robots, Sequence, Status, Truncated


@pytest.fixture
def http():
    """A plain requests session."""
    with requests.Session() as session:
        yield session


def test_page_serves_its_headers_and_body(server, http):
    server.route("/a.html", Page("衡阳".encode("gbk"), charset_header="gbk", etag='"v1"', last_modified=0))
    response = http.get(server.url("/a.html"))
    assert response.status_code == 200 and response.content == "衡阳".encode("gbk")
    assert response.headers["Content-Type"] == "text/html; charset=gbk"
    assert response.headers["ETag"] == '"v1"'
    assert response.headers["Last-Modified"] == "Thu, 01 Jan 1970 00:00:00 GMT"


def test_page_without_charset_header(server, http):
    server.route("/a.html", Page(b"<p>x</p>", charset_header=None))
    assert http.get(server.url("/a.html")).headers["Content-Type"] == "text/html"


@pytest.mark.parametrize(
    "headers, status",
    [
        ({"If-None-Match": '"v1"'}, 304),
        ({"If-None-Match": '"v0", "v1"'}, 304),
        ({"If-None-Match": '"v2"'}, 200),
        ({"If-Modified-Since": "Tue, 14 Nov 2023 22:13:20 GMT"}, 304),
        ({"If-Modified-Since": "Mon, 13 Nov 2023 00:00:00 GMT"}, 200),
        ({}, 200),
    ],
)
def test_page_answers_conditional_requests(server, http, headers, status):
    server.route("/a.html", Page(b"<p>x</p>", etag='"v1"', last_modified=1_700_000_000))
    assert http.get(server.url("/a.html"), headers=headers).status_code == status


def test_sequence_then_repeats_its_last_response(server, http):
    server.route("/s", Sequence(Status(500), Status(429, headers={"Retry-After": "2"}), Page(b"ok")))
    answers = [http.get(server.url("/s")) for _ in range(4)]
    assert [r.status_code for r in answers] == [500, 429, 200, 200]
    assert answers[1].headers["Retry-After"] == "2"


def test_redirect_to_another_host(server, http):
    with RouteServer(host="127.0.0.2") as other:
        other.route("/x", Page(b"there"))
        server.route("/go", Redirect(other.url("/x"), 301))
        response = http.get(server.url("/go"))
        assert response.text == "there" and response.history[0].status_code == 301
        assert other.requests[0].host == "127.0.0.2"


def test_redirect_loop_is_endless(server, http):
    server.route("/a", Redirect("/b")).route("/b", Redirect("/a"))
    with pytest.raises(requests.TooManyRedirects):
        http.get(server.url("/a"))


def test_reset_drops_the_connection(server, http):
    server.route("/r", Reset())
    with pytest.raises(requests.ConnectionError):
        http.get(server.url("/r"))


def test_truncated_body_is_reported_by_the_client(server, http):
    server.route("/t", Truncated(b"<html>half", 1000))
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        http.get(server.url("/t"))


def test_huge_body_streams_exactly_its_size(server, http):
    server.route("/h", Huge(5_000_000, declare_length=False))
    with http.get(server.url("/h"), stream=True) as response:
        assert "Content-Length" not in response.headers
        assert sum(len(chunk) for chunk in response.iter_content(1 << 16)) == 5_000_000


def test_drip_sends_the_whole_body_slowly(server, http):
    server.route("/d", Drip(b"<html>" + b"x" * 40 + b"</html>", chunk=10, interval=0.001))
    assert http.get(server.url("/d")).content == b"<html>" + b"x" * 40 + b"</html>"


def test_endless_drip_stops_when_the_client_hangs_up(server, http):
    server.route("/forever", Drip(chunk=4, interval=0.001, forever=True))
    with http.get(server.url("/forever"), stream=True) as response:
        assert len(response.raw.read(64)) == 64
    server.route("/after", Page(b"still serving"))
    assert http.get(server.url("/after")).text == "still serving"


def test_stop_ends_responses_still_dripping(server):
    server.route("/forever", Drip(chunk=4, interval=0.01, forever=True))
    server.route("/slow", Delay(60, Page(b"late")))

    def hang(path: str) -> None:
        try:
            requests.get(server.url(path), timeout=30)
        except requests.RequestException:
            pass

    threads = [threading.Thread(target=hang, args=(p,)) for p in ("/forever", "/slow")]
    for t in threads:
        t.start()
    while len(server.requests) < 2:
        threading.Event().wait(0.01)
    server.stop()
    for t in threads:
        t.join(timeout=10)
    assert not any(t.is_alive() for t in threads)


def test_request_log_records_method_path_and_headers(server, http):
    server.route("/robots.txt", Robots("User-agent: *\nDisallow:\n"))
    http.get(server.url("/robots.txt"))
    http.get(server.url("/list?page=2"), headers={"User-Agent": "probe/1", "If-None-Match": '"z"'})
    first, second = server.requests
    assert (first.method, first.path, second.path) == ("GET", "/robots.txt", "/list?page=2")
    assert second.header("user-agent") == "probe/1" and second.header("IF-NONE-MATCH") == '"z"'
    assert first.seq < second.seq
    assert server.count("/robots.txt") == 1
    server.clear_log()
    assert server.requests == []


def test_unknown_path_is_404_and_fallback_can_compute_answers(server, http):
    assert http.get(server.url("/nowhere")).status_code == 404
    server.fallback(lambda request: Page(request.path.encode("utf-8")))
    assert http.get(server.url("/echo/this")).text == "/echo/this"


def test_route_may_be_a_callable_and_match_a_query(server, http):
    server.route("/q", lambda request: Page(b"bare")).route("/q?x=1", Page(b"with query"))
    assert http.get(server.url("/q")).text == "bare"
    assert http.get(server.url("/q?x=1")).text == "with query"
    assert http.get(server.url("/q?y=2")).text == "bare"


def test_keep_alive_connection_is_reused(server, http):
    server.route("/a", Page(b"a"))
    for _ in range(3):
        http.get(server.url("/a"))
    assert server.count("/a") == 3


def test_base_url_needs_a_started_server():
    with pytest.raises(RuntimeError):
        RouteServer().base_url
