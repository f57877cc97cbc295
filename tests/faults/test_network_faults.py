"""A site that misbehaves on one page while its neighbours are fine: what the warehouse keeps.

Each row of FAULTS is one article of a site served badly, and says what must be recorded:
the outcomes of its requests in ``fetch_log`` (retries and redirect hops included), the
state of its link, whether its document loads, and a phrase of the recorded error. All
faults are served at once among healthy articles and the site is crawled once (the suite
stays short), so the run visibly goes on past every one of them: the healthy articles and
the recovered ones are in ``documents`` with their facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pytest

from demo.httpd import Delay, Drip, Huge, Page, Redirect, Reset, RouteServer, Sequence, Status, Truncated
from flows.crawl import crawl_source
from bulletins.pipeline.stage import document_id
from tests.faults.conftest import MEETING, article_html, good_article

MB = 1024 * 1024
GBK_TITLE = "衡阳市政府召开全体会议"


def _gbk_page_under_utf8_header(site, n: int) -> dict:
    """GBK bytes whose Content-Type header claims utf-8; only the <meta> tells the truth."""
    body = article_html(GBK_TITLE, [MEETING], charset="gbk")
    return {site.path(n): Page(body, charset_header="utf-8")}


def _truncated_markup(site, n: int) -> dict:
    """A whole HTTP response whose HTML stops mid-paragraph, tags never closed."""
    body = good_article(n).body
    cut = body.index("地方收入".encode("utf-8"))
    return {site.path(n): Page(body[:cut])}


def _redirect_loop(site, n: int) -> dict:
    """n → n+500 → n → ...: a loop between two pages of the site."""
    other = f"/{site.name}/a/{n + 500}.html"
    return {site.path(n): Redirect(other), other: Redirect(site.path(n))}


def _foreign_redirect(site, n: int) -> dict:
    """A redirect to another host (localhost is not the allowed 127.0.0.1:port)."""
    return {site.path(n): Redirect(site.url(1).replace("127.0.0.1", "localhost"))}


def _cut_short(n: int) -> Truncated:
    """Half the body under a Content-Length promising all of it, then a hang-up."""
    body = good_article(n).body
    return Truncated(body[: len(body) // 2], claimed_length=len(body))


@dataclass(frozen=True)
class Fault:
    """How article 2 misbehaves and what the warehouse must say about it afterwards."""

    name: str
    routes: Callable[..., dict]  # site -> {path: response}
    outcomes: list[str]  # fetch_log outcomes of article 2's requests, in order
    link_state: str  # links.state of article 2 after the run
    loads: bool  # whether article 2's document is in the warehouse
    error: str | None = None  # a phrase of the recorded error (crawl_errors / fetch_log)
    statuses: list[int | None] = field(default_factory=list)  # fetch_log http_status, when it matters


def _on(response_of: Callable[[int], object]) -> Callable[..., dict]:
    """Routes putting one response (made for article ``n``) on article ``n``."""
    return lambda site, n: {site.path(n): response_of(n)}


FAULTS = [
    Fault(
        "timeout: no answer within the read timeout",
        _on(lambda n: Delay(4.0, good_article(n))),
        ["timeout"],
        "failed",
        False,
        "no response within 1.0s",
    ),
    Fault(
        "connection reset on every attempt",
        _on(lambda n: Reset()),
        ["retrying", "error"],
        "failed",
        False,
        "connection",
    ),
    Fault(
        "connection reset, then the page",
        _on(lambda n: Sequence(Reset(), good_article(n))),
        ["retrying", "fetched"],
        "fetched",
        True,
    ),
    Fault(
        "500, then 200",
        _on(lambda n: Sequence(Status(500), good_article(n))),
        ["retrying", "fetched"],
        "fetched",
        True,
        statuses=[500, 200],
    ),
    Fault(
        "429 with Retry-After, then 200",
        _on(lambda n: Sequence(Status(429, headers={"Retry-After": "1"}), good_article(n))),
        ["retrying", "fetched"],
        "fetched",
        True,
        statuses=[429, 200],
    ),
    Fault("redirect loop", _redirect_loop, ["redirected", "redirect_loop"], "failed", False, "loop"),
    Fault(
        "redirect to a host not allowed",
        _foreign_redirect,
        ["redirected", "host_not_allowed"],
        "gone",
        False,
        "not among the allowed hosts",
    ),
    Fault(
        "a body that never finishes (stalls between bytes)",
        _on(lambda n: Drip(b"<html><body><p>", chunk=4, interval=3.0, forever=True)),
        ["timeout"],
        "failed",
        False,
        "stalled",
    ),
    Fault(
        "body cut short of its Content-Length on every attempt",
        _on(_cut_short),
        ["retrying", "error"],
        "failed",
        False,
        "cut short",
    ),
    Fault(
        "body cut short once, then whole",
        _on(lambda n: Sequence(_cut_short(n), good_article(n))),
        ["retrying", "fetched"],
        "fetched",
        True,
    ),
    Fault("HTML cut mid-paragraph (transfer complete)", _truncated_markup, ["fetched"], "fetched", True),
    Fault("GBK page under a utf-8 Content-Type header", _gbk_page_under_utf8_header, ["fetched"], "fetched", True),
    Fault("empty 200", _on(lambda n: Page(b"")), ["empty"], "failed", False, "empty body"),
    Fault(
        "a PDF served as text/html",
        _on(lambda n: Page(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 50)),
        ["not_html"],
        "gone",
        False,
        "PDF",
    ),
    Fault(
        "a PNG served as text/html",
        _on(lambda n: Page(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)),
        ["not_html"],
        "gone",
        False,
        "PNG",
    ),
    Fault(
        "50 MB streamed without Content-Length",
        _on(lambda n: Huge(50 * MB, declare_length=False)),
        ["too_large"],
        "failed",
        False,
        "cap",
    ),
    Fault(
        "50 MB announced by Content-Length",
        _on(lambda n: Huge(50 * MB, declare_length=True)),
        ["too_large"],
        "failed",
        False,
        "exceeds the cap",
    ),
]


# Healthy articles around the faulty ones: the first, one in the middle, the last listed.
HEALTHY = (1, 50, 99)


def number_of(fault: Fault) -> int:
    """The article number that misbehaves as ``fault`` (10, 11, ...)."""
    return 10 + FAULTS.index(fault)


@dataclass
class FaultRun:
    """One crawl of a site where every fault of FAULTS is one article: what the tests read."""

    site: object
    warehouse: object
    summary: dict
    run_id: str

    def requests(self, n: int) -> list[tuple]:
        """(outcome, http_status, error, bytes) of the run's requests for article ``n`` and its redirect hops."""
        return self.warehouse.rows(
            "SELECT outcome, http_status, error, bytes FROM fetch_log WHERE run_id = ? AND kind = 'article' "
            "AND (url = ? OR url = ? OR url LIKE '%localhost%' AND ? = 1) ORDER BY seq",
            [self.run_id, self.site.url(n), self.site.url(n + 500), int(self._redirects_off_site(n))],
        )

    def _redirects_off_site(self, n: int) -> bool:
        """Whether article ``n`` is the one redirected to another host."""
        return FAULTS[n - 10].routes is _foreign_redirect


@pytest.fixture(scope="module")
def fault_run(tmp_path_factory, prefect_harness):
    """Serve every fault at once among healthy pages and crawl the site once."""
    from tests.faults.conftest import FaultSite, Warehouse

    warehouse = Warehouse(tmp_path_factory.mktemp("faults"))
    warehouse.sources.mkdir()
    with RouteServer() as server, pytest.MonkeyPatch.context() as mp:
        mp.setenv("BULLETINS_SOURCES", str(warehouse.sources))
        mp.setenv("BULLETINS_REPORTS", str(warehouse.root / "reports"))
        site = FaultSite(server, warehouse.sources, "faulty")
        site.publish({n: good_article(n) for n in (*HEALTHY, *(number_of(f) for f in FAULTS))})
        for fault in FAULTS:
            for path, response in fault.routes(site, number_of(fault)).items():
                server.route(path, response)
        site.write_config()
        summary = crawl_source(site.name, **warehouse.flow_kwargs())
        run_id = warehouse.scalar("SELECT run_id FROM runs WHERE flow = 'crawl-source'")
        yield FaultRun(site, warehouse, summary, run_id)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_a_misbehaving_page_gets_a_recorded_error_or_the_right_recovery(fault_run, fault):
    n, wh, s = number_of(fault), fault_run.warehouse, fault_run.site
    requests = fault_run.requests(n)
    assert [r[0] for r in requests] == fault.outcomes, requests
    if fault.statuses:
        assert [r[1] for r in requests] == fault.statuses
    state, attempts, last_error = wh.rows("SELECT state, attempts, last_error FROM links WHERE url = ?", [s.url(n)])[0]
    assert state == fault.link_state and attempts == 1
    loaded = wh.rows("SELECT count(*) FROM documents WHERE url = ?", [s.url(n)])[0][0]
    assert loaded == int(fault.loads)
    errors = wh.rows("SELECT stage, error FROM crawl_errors WHERE run_id = ? AND url = ?", [fault_run.run_id, s.url(n)])
    if fault.loads:
        assert last_error is None and errors == []
        assert wh.scalar("SELECT count(*) FROM articles WHERE document_id = ?", [document_id(s.url(n))]) == 1
    else:
        [(stage, error)] = errors
        assert stage == "fetch" and fault.outcomes[-1] in error and fault.error in error
        assert fault.outcomes[-1] in last_error


def test_the_rest_of_the_run_goes_on(fault_run):
    wh, s = fault_run.warehouse, fault_run.site
    for n in HEALTHY:
        assert wh.scalar("SELECT count(*) FROM indicators WHERE document_id = ?", [document_id(s.url(n))]) > 0
        assert wh.rows("SELECT state FROM links WHERE url = ?", [s.url(n)]) == [("fetched",)]
    recovered = [f for f in FAULTS if f.loads]
    failed = [f for f in FAULTS if not f.loads]
    assert wh.scalar("SELECT count(*) FROM documents") == len(HEALTHY) + len(recovered)
    assert fault_run.summary["fetched"] == len(HEALTHY) + len(recovered)
    assert fault_run.summary["errors"] == len(failed)
    assert wh.scalar("SELECT count(*) FROM crawl_errors WHERE run_id = ?", [fault_run.run_id]) == len(failed)
    assert wh.rows("SELECT status FROM runs WHERE run_id = ?", [fault_run.run_id]) == [("warning",)]


def test_retry_after_is_honoured_before_the_second_attempt(fault_run):
    fault = next(f for f in FAULTS if f.name.startswith("429"))
    n, s = number_of(fault), fault_run.site
    error = fault_run.requests(n)[0][2]
    wait = float(error.split("retrying in ")[1].rstrip("s"))
    assert error.startswith("HTTP 429") and wait >= 1.0
    first, second = [r for r in s.server.requests if r.path == s.path(n)]
    assert second.at - first.at >= 1.0  # the server saw the retry after the wait it asked for


def test_the_gbk_page_under_a_lying_header_keeps_its_chinese(fault_run):
    n = number_of(next(f for f in FAULTS if f.name.startswith("GBK")))
    title, encoding, text = fault_run.warehouse.rows(
        "SELECT title, encoding, text FROM documents WHERE url = ?", [fault_run.site.url(n)]
    )[0]
    assert title == GBK_TITLE and encoding.lower() in ("gbk", "gb2312", "gb18030")
    assert "规模工业增加值增长5.2%" in text and "\ufffd" not in text


def test_html_cut_mid_paragraph_loads_what_it_has(fault_run):
    n = number_of(next(f for f in FAULTS if f.name.startswith("HTML cut")))
    body = fault_run.warehouse.scalar(
        "SELECT body FROM articles WHERE document_id = ?", [document_id(fault_run.site.url(n))]
    )
    assert "规模工业增加值增长5.2%" in body and "地方收入" not in body


def test_the_50mb_page_is_abandoned_at_the_cap_not_read_whole(fault_run):
    n = number_of(next(f for f in FAULTS if f.name.startswith("50 MB streamed")))
    _, _, error, read = fault_run.requests(n)[0]
    assert read <= 1_000_000 + 64 * 1024  # stopped within one read of the 1 MB cap, never 50 MB
    assert "1000000" in error


def test_a_failed_page_is_fetched_again_next_run_and_then_loads(site, warehouse):
    s = site("repaired").publish({1: good_article(1), 2: Page(b"")}).write_config()
    first = crawl_source(s.name, **warehouse.flow_kwargs())
    assert first["errors"] == 1 and warehouse.rows("SELECT state FROM links WHERE url = ?", [s.url(2)]) == [("failed",)]
    s.server.route(s.path(2), good_article(2))  # the site repairs the page
    second = crawl_source(s.name, **warehouse.flow_kwargs())
    assert second["fetched"] == 1 and second["errors"] == 0
    assert warehouse.rows("SELECT state, attempts, last_error FROM links WHERE url = ?", [s.url(2)]) == [
        ("fetched", 2, None)
    ]
    assert warehouse.scalar("SELECT count(*) FROM documents") == 2
