"""The crawl's second line of retries (``tasks.fetch.fetch_page``) against a real HTTP server on 127.0.0.1.

The fetcher retries a 429/5xx itself (FAST: three attempts, no real waiting); when a site is
still down after that, ``fetch_page`` tries again after each of its delays, then gives up
with ``TransientFetchError``. Any other answer is returned at once. The delays are recorded
by a stand-in ``sleep``, never slept.
"""

from __future__ import annotations

import pytest

from demo.httpd import Page, Sequence, Status
from tasks.fetch import RETRY_DELAYS, TransientFetchError, fetch_page

HTML = (
    "<html><head><title>县政府常务会议</title></head><body><div id='zoom'><p>示范县召开会议。</p></div></body></html>"
)


def test_a_site_down_past_the_fetchers_retries_is_fetched_after_the_first_delay(server, make_fetcher, fetch_log):
    server.route("/down.html", Sequence(Status(503), Status(503), Status(503), Page(HTML.encode("utf-8"))))
    slept: list[float] = []
    result = fetch_page(make_fetcher(), server.url("/down.html"), sleep=slept.append)
    assert (result.outcome, result.http_status) == ("fetched", 200)
    assert slept == [RETRY_DELAYS[0]]
    statuses = [e.http_status for e in fetch_log if e.kind == "article"]
    assert statuses == [503, 503, 503, 200], "every attempt's request is in the log"


def test_a_site_that_stays_down_raises_after_every_delay(server, make_fetcher, fetch_log):
    server.route("/gone-away.html", Status(502))
    slept: list[float] = []
    with pytest.raises(TransientFetchError) as raised:
        fetch_page(make_fetcher(), server.url("/gone-away.html"), sleep=slept.append)
    assert raised.value.status == 502 and "/gone-away.html" in str(raised.value)
    assert slept == list(RETRY_DELAYS)
    assert len([e for e in fetch_log if e.kind == "article"]) == 3 * (len(RETRY_DELAYS) + 1)


def test_an_answer_that_is_not_transient_is_returned_without_waiting(server, make_fetcher):
    server.route("/moved-out.html", Status(404))
    slept: list[float] = []
    result = fetch_page(make_fetcher(), server.url("/moved-out.html"), delays=(5, 5), sleep=slept.append)
    assert result.http_status == 404 and slept == []
