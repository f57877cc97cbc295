"""The crawl flow against a RouteServer whose routes each test sets: what lands in DuckDB.

Pagination and incremental discovery, conditional GET on re-check, retries after a 500, a
host not allowed, robots.txt, a GBK page, a page over the size cap, a page that will not
parse: each checked in documents / articles / fetch_log / links / crawl_errors.
"""

from __future__ import annotations

import asyncio

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from demo.httpd import Huge, Page, Redirect, Robots, Sequence, Status
from flows.crawl import crawl_source
from flows.daily import daily_crawl
from bulletins.pipeline.stage import document_id
from tests.pipeline.conftest import article_page, list_page

pytestmark = pytest.mark.integration

MEETING = (
    "7月28日,衡阳市政府2023年第二次全体会议召开。市委副书记、市长朱健出席会议并讲话。"
    "1-6月,衡阳规模工业增加值增长5.2%(排全省第1);地方收入104.9亿元。"
)


def article(n: int, title: str | None = None, published: str = "2023-07-28 10:12:00") -> Page:
    """Article number ``n`` as a page with validators."""
    body = article_page(title or f"第{n}篇 全市经济运行情况通报", published, [MEETING, f"这是第{n}篇文章的正文。"])
    return Page(body, etag=f'"a{n}"', last_modified=1690000000 + n)


def publish(web, numbers: list[int], per_page: int = 3) -> None:
    """Serve articles ``numbers`` (newest first) on list pages of ``per_page`` links."""
    ordered = sorted(numbers, reverse=True)
    chunks = [ordered[i : i + per_page] for i in range(0, len(ordered), per_page)]
    for index, chunk in enumerate(chunks):
        path = "/news/index.html" if index == 0 else f"/news/index_{index}.html"
        nxt = f"index_{index + 1}.html" if index + 1 < len(chunks) else None
        web.route(path, Page(list_page([(f"a/{n}.html", f"第{n}篇") for n in chunk], nxt)))
    for n in numbers:
        web.route(f"/news/a/{n}.html", article(n))


def article_requests(data_dir, run_id: str) -> list[tuple[str, str, int]]:
    """(url, outcome, http_status) of a run's article requests, in order."""
    return data_dir.rows(
        "SELECT url, outcome, http_status FROM fetch_log WHERE run_id = ? AND kind = 'article' ORDER BY seq", [run_id]
    )


def last_run(data_dir) -> str:
    """The id of the latest crawl run."""
    return data_dir.scalar("SELECT run_id FROM runs WHERE flow = 'crawl-source' ORDER BY started_at DESC LIMIT 1")


def artifacts(key: str) -> list[str]:
    """The Markdown of every artifact published under ``key``, newest first."""

    async def read() -> list[str]:
        async with get_client() as client:
            found = await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))
            return [a.data for a in sorted(found, key=lambda a: a.created, reverse=True)]

    return asyncio.run(read())


def test_pagination_then_only_new_pages_on_the_next_crawl(web, make_source, data_dir):
    source = make_source(web)
    publish(web, list(range(1, 8)))  # 7 articles over 3 list pages
    first = crawl_source(source, **data_dir.flow_kwargs())
    assert first["fetched"] == 7 and first["new_links"] == 7
    assert data_dir.scalar("SELECT count(*) FROM documents") == 7
    assert data_dir.scalar("SELECT count(*) FROM links WHERE state = 'fetched'") == 7
    listed = data_dir.rows(
        "SELECT url FROM fetch_log WHERE run_id = ? AND kind = 'list' ORDER BY seq", [last_run(data_dir)]
    )
    assert [u for (u,) in listed][:3] == [
        web.url("/news/index.html"),
        web.url("/news/index_1.html"),
        web.url("/news/index_2.html"),
    ]

    publish(web, list(range(1, 10)))  # two new articles at the top
    web.clear_log()
    second = crawl_source(source, **data_dir.flow_kwargs())
    run_id = last_run(data_dir)
    assert [u for u, _, _ in article_requests(data_dir, run_id)] == [
        web.url("/news/a/9.html"),
        web.url("/news/a/8.html"),
    ]
    assert second["fetched"] == 2 and second["new_links"] == 2
    assert data_dir.scalar("SELECT count(*) FROM documents") == 9
    assert data_dir.scalar("SELECT count(*) FROM documents WHERE run_id = ?", [run_id]) == 2
    published = artifacts("crawl-testsite")[0]  # the run's summary, as a Markdown table
    assert "| fetched | 2 |" in published and "| new_links | 2 |" in published
    # index.html (9, 8, 7) still had new links; index_1.html (6, 5, 4) had none: stop there.
    assert web.count("/news/index_1.html") == 1 and web.count("/news/index_2.html") == 0


def test_recheck_sends_conditional_get_and_records_not_modified(web, make_source, data_dir):
    source = make_source(web)
    publish(web, [1, 2])
    crawl_source(source, **data_dir.flow_kwargs())
    loaded_before = data_dir.rows("SELECT document_id, content_hash, loaded_at FROM documents ORDER BY 1")
    summary = crawl_source(source, recheck_days=30, **data_dir.flow_kwargs())
    run_id = last_run(data_dir)
    assert sorted(article_requests(data_dir, run_id)) == [
        (web.url("/news/a/1.html"), "not_modified", 304),
        (web.url("/news/a/2.html"), "not_modified", 304),
    ]
    sent = [r for r in web.requests if r.path == "/news/a/1.html"][-1]
    assert sent.header("If-None-Match") == '"a1"'
    assert summary["not_modified"] == 2 and summary["fetched"] == 0 and summary["rows_loaded"] == 0
    assert data_dir.rows("SELECT document_id, content_hash, loaded_at FROM documents ORDER BY 1") == loaded_before


def test_a_500_is_retried_and_the_page_loads(web, make_source, data_dir):
    source = make_source(web)
    publish(web, [1])
    web.route("/news/a/1.html", Sequence(Status(500), article(1)))
    summary = crawl_source(source, **data_dir.flow_kwargs())
    requests = article_requests(data_dir, last_run(data_dir))
    assert [(o, s) for _, o, s in requests] == [("retrying", 500), ("fetched", 200)]
    assert summary["fetched"] == 1 and summary["errors"] == 0
    assert data_dir.rows("SELECT state, attempts FROM links") == [("fetched", 1)]
    assert data_dir.scalar("SELECT title FROM documents") == "第1篇 全市经济运行情况通报"


def test_a_redirect_to_a_host_not_allowed_is_refused_and_recorded(web, make_source, data_dir):
    source = make_source(web)
    publish(web, [1, 2])
    other = web.url("/news/a/1.html").replace("127.0.0.1", "localhost")
    web.route("/news/a/2.html", Redirect(other))
    summary = crawl_source(source, **data_dir.flow_kwargs())
    outcomes = {(url, outcome) for url, outcome, _ in article_requests(data_dir, last_run(data_dir))}
    assert (other, "host_not_allowed") in outcomes
    assert data_dir.scalar("SELECT count(*) FROM documents") == 1
    state, error = data_dir.rows("SELECT state, last_error FROM links WHERE url = ?", [web.url("/news/a/2.html")])[0]
    assert state == "gone" and "host_not_allowed" in error  # not tried again
    assert summary["errors"] == 1
    assert data_dir.scalar("SELECT stage FROM crawl_errors WHERE url = ?", [web.url("/news/a/2.html")]) == "fetch"


def test_robots_disallowed_page_is_never_requested_and_skipped_not_an_error(web, make_source, data_dir):
    source = make_source(web)
    publish(web, [1, 2])
    web.route("/robots.txt", Robots("User-agent: *\nDisallow: /news/a/2.html\n"))
    summary = crawl_source(source, **data_dir.flow_kwargs())
    assert web.count("/news/a/2.html") == 0 and web.count("/news/a/1.html") == 1
    assert ("robots_disallowed",) in data_dir.rows(
        "SELECT outcome FROM fetch_log WHERE url = ?", [web.url("/news/a/2.html")]
    )
    [(state, last_error)] = data_dir.rows(
        "SELECT state, last_error FROM links WHERE url = ?", [web.url("/news/a/2.html")]
    )
    assert state == "gone" and "robots.txt" in last_error
    assert data_dir.rows("SELECT url FROM documents") == [(web.url("/news/a/1.html"),)]
    # Obeying robots.txt is expected behaviour: counted as skipped, not an error that warns.
    assert summary["skipped"] == 1 and summary["errors"] == 0
    assert data_dir.scalar("SELECT count(*) FROM crawl_errors") == 0
    assert data_dir.scalar("SELECT status FROM runs WHERE flow = 'crawl-source'") == "completed"


def test_a_gbk_page_loads_with_its_text_intact(web, make_source, data_dir):
    source = make_source(web, encoding="gbk")
    publish(web, [1])
    body = article_page("衡阳市政府召开全体会议", "2023-07-28 10:12:00", [MEETING], charset="gbk")
    web.route("/news/a/1.html", Page(body, charset_header=None))  # only the <meta> says gbk
    crawl_source(source, **data_dir.flow_kwargs())
    title, encoding, text = data_dir.rows("SELECT title, encoding, text FROM documents")[0]
    assert title == "衡阳市政府召开全体会议"
    assert encoding.lower() in ("gbk", "gb2312", "gb18030")
    assert "规模工业增加值增长5.2%" in text
    body_text = data_dir.scalar("SELECT body FROM articles")
    assert "衡阳市政府2023年第二次全体会议召开" in body_text


def test_a_page_over_the_size_cap_is_abandoned_and_recorded(web, make_source, data_dir):
    source = make_source(web, max_bytes=200_000)
    publish(web, [1, 2])
    web.route("/news/a/2.html", Huge(3_000_000, declare_length=False))
    summary = crawl_source(source, **data_dir.flow_kwargs())
    rows = data_dir.rows("SELECT outcome, bytes FROM fetch_log WHERE url = ?", [web.url("/news/a/2.html")])
    assert rows and rows[-1][0] == "too_large"
    assert data_dir.rows("SELECT state FROM links WHERE url = ?", [web.url("/news/a/2.html")]) == [("failed",)]
    assert data_dir.scalar("SELECT count(*) FROM documents") == 1
    assert summary["errors"] == 1 and summary["fetched"] == 1


def test_extracted_facts_carry_deterministic_keys(web, make_source, data_dir):
    source = make_source(web)
    publish(web, [1])
    crawl_source(source, **data_dir.flow_kwargs())
    doc = document_id(web.url("/news/a/1.html"))
    assert data_dir.rows("SELECT article_id FROM articles") == [(f"{doc}:0",)]
    meetings = data_dir.rows("SELECT meeting_id, name, start_date FROM meetings")
    assert meetings and meetings[0][0] == f"{doc}:0:m0" and "全体会议" in meetings[0][1]
    assert str(meetings[0][2]) == "2023-07-28"
    indicators = data_dir.rows(
        "SELECT indicator_id, metric, value, period, period_start, period_end FROM indicators ORDER BY position"
    )
    growth = [r for r in indicators if "规模工业增加值" in r[1]]
    assert growth and growth[0][0].startswith(f"{doc}:0:i") and growth[0][2] == pytest.approx(5.2)
    assert (growth[0][3], str(growth[0][4]), str(growth[0][5])) == ("2023-01/2023-06", "2023-01-01", "2023-06-30")
    people = data_dir.rows("SELECT person, role FROM meeting_participants")
    assert ("朱健", "speaker") in people


def test_a_list_page_that_fails_is_recorded_and_the_run_says_so(web, make_source, data_dir):
    source = make_source(web)
    web.route("/news/index.html", Status(404))
    state = crawl_source(source, return_state=True, **data_dir.flow_kwargs())
    summary = state.result(raise_on_failure=False)
    assert state.is_failed() and state.message.startswith(f"source {source} failed: list pages unreadable")
    assert summary["fetched"] == 0 and summary["rows_loaded"] == 0
    assert data_dir.scalar("SELECT count(*) FROM crawl_errors WHERE stage = 'discover'") == 1
    assert data_dir.scalar("SELECT status FROM runs WHERE flow = 'crawl-source'") == "failed"


def test_a_page_that_does_not_parse_is_recorded_and_the_run_goes_on(web, make_source, data_dir):
    source = make_source(web)
    publish(web, [1, 2])
    web.route(
        "/news/a/2.html",
        Page(
            "<html><head><title>改版了</title></head><body><div class='new'>页面模板已更换</div></body></html>".encode(
                "utf-8"
            )
        ),
    )
    summary = crawl_source(source, **data_dir.flow_kwargs())
    url = web.url("/news/a/2.html")
    stage, error = data_dir.rows("SELECT stage, error FROM crawl_errors WHERE url = ?", [url])[0]
    assert stage == "parse" and "article.body" in error
    assert data_dir.rows("SELECT state, attempts FROM links WHERE url = ?", [url]) == [("failed", 1)]
    assert data_dir.rows("SELECT url FROM documents") == [(web.url("/news/a/1.html"),)]
    assert summary["fetched"] == 2 and summary["errors"] == 1
    assert data_dir.scalar("SELECT status FROM runs") == "warning"

    web.route("/news/a/2.html", article(2))  # the site is fixed: the failed link is retried
    again = crawl_source(source, **data_dir.flow_kwargs())
    assert again["fetched"] == 1 and again["errors"] == 0
    assert data_dir.rows("SELECT state, attempts FROM links WHERE url = ?", [url]) == [("fetched", 2)]
    assert data_dir.scalar("SELECT count(*) FROM documents") == 2


def test_the_daily_flow_goes_on_past_a_source_that_fails(web, make_source, data_dir):
    good = make_source(web)
    publish(web, [1, 2])
    (data_dir.sources / "broken.yaml").write_text("name: broken\nbase_url: not a url\n", encoding="utf-8")
    state = daily_crawl(sources=["broken", good], return_state=True, **data_dir.flow_kwargs())
    summary = state.result(raise_on_failure=False)
    assert state.is_failed() and state.message == "1 of 2 sources failed: broken"
    assert summary["failed_sources"] == ["broken"] and summary["fetched"] == 2
    assert data_dir.scalar("SELECT count(*) FROM documents") == 2
    status, message = data_dir.rows("SELECT status, message FROM runs WHERE source = 'broken'")[0]
    assert status == "failed" and "broken.yaml" in message
    assert data_dir.scalar("SELECT stage FROM crawl_errors WHERE source = 'broken'") == "source"
    daily = data_dir.rows("SELECT status, summary FROM runs WHERE flow = 'daily-crawl'")
    assert daily[0][0] == "failed" and '"failed_sources": ["broken"]' in daily[0][1]
