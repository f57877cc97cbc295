"""The gate's template check in real crawls: what list and article pages yield, not how much is new.

Three normal runs of a test source give it a history; then a quiet day (nothing new, list
pages as usual) passes, a list template change (the link selector matches nothing) and an
article template change (the body selector matches nothing) each leave a quarantine row
naming the source and the selector, and the run ends Failed.
"""

from __future__ import annotations

import json

import pytest

from demo.httpd import Page
from flows.crawl import crawl_source
from tests.pipeline.conftest import list_page
from tests.pipeline.test_crawl_routes import article, publish
from warehouse.db import connect
from warehouse.report import source_history

pytestmark = pytest.mark.integration


def crawl(source: str, data_dir) -> dict:
    """One crawl of ``source`` into the test's warehouse; its summary (a Failed run's too)."""
    return crawl_source(source, return_state=True, **data_dir.flow_kwargs()).result(raise_on_failure=False)


def yield_rows(data_dir) -> list[tuple[str, str, str]]:
    """(row_key, expectation, reason) of every source-yield quarantine row."""
    return data_dir.rows(
        "SELECT row_key, expectation, reason FROM quarantine WHERE table_name = 'source_yield' ORDER BY expectation"
    )


@pytest.fixture
def with_history(web, make_source, data_dir) -> str:
    """A source crawled three times as usual (a new article before each run)."""
    source = make_source(web)
    for newest in (3, 4, 5):
        publish(web, list(range(1, newest + 1)))
        summary = crawl(source, data_dir)
        assert summary["status"] == "completed" and summary["links_seen"] >= 3
    return source


def test_history_holds_what_each_run_yielded(with_history, data_dir):
    con = connect(str(data_dir.db))
    try:
        history = source_history(con, [with_history])[with_history]
    finally:
        con.close()
    assert len(history) == 3
    # Each run read the first list page (3 links, new or not) and fetched the new article(s).
    assert all(run["links_seen"] >= 3 and run["list_pages_read"] >= 1 for run in history)
    assert history[0]["pages_parsed"] == 1 and history[0]["pages_with_content"] == 1


def test_a_quiet_day_with_normal_list_pages_does_not_alert(with_history, data_dir):
    summary = crawl(with_history, data_dir)
    assert summary["fetched"] == 0 and summary["links_seen"] == 3
    assert summary["status"] == "completed" and summary["quarantined"] == 0
    assert yield_rows(data_dir) == []


def test_list_pages_yielding_no_links_are_held_naming_the_source_and_selector(web, with_history, data_dir):
    # The site moves its list into <div class="news">: ul.list li a matches nothing.
    changed = list_page([(f"a/{n}.html", f"第{n}篇") for n in (6, 5, 4)]).replace(
        b'<ul class="list">', b'<ul class="news">'
    )
    web.route("/news/index.html", Page(changed))
    web.route("/news/a/6.html", article(6))
    summary = crawl(with_history, data_dir)
    assert summary["links_seen"] == 0 and summary["fetched"] == 0
    assert summary["status"] == "failed" and summary["quarantined"] == 1
    [(key, expectation, reason)] = yield_rows(data_dir)
    assert key == f"source:{with_history}" and "links_seen" in expectation
    assert reason == (
        f"source {with_history}: selector links.selector 'ul.list li a' found nothing on {web.url('/news/index.html')}"
    )
    run_id = data_dir.scalar("SELECT run_id FROM quarantine WHERE table_name = 'source_yield'")
    assert data_dir.scalar("SELECT status FROM runs WHERE run_id = ?", [run_id]) == "failed"


def test_fetched_pages_yielding_no_body_are_held_naming_the_selector(web, with_history, data_dir):
    publish(web, [1, 2, 3, 4, 5, 6])
    web.route(
        "/news/a/6.html",
        Page(
            "<html><head><title>改版</title></head><body><h1 class='title'>改版</h1>"
            "<div class='content'>新模板的正文</div></body></html>".encode("utf-8")
        ),
    )
    summary = crawl(with_history, data_dir)
    # Two list pages read (the second holds only known links), six links: the list template is fine.
    assert summary["links_seen"] == 6 and summary["pages_parsed"] == 1 and summary["pages_with_content"] == 0
    assert summary["status"] == "failed"
    [(key, expectation, reason)] = yield_rows(data_dir)
    assert key == f"source:{with_history}" and "content_share" in expectation
    assert reason.startswith(
        f"source {with_history}: selectors article.title h1.title | title, article.body #body "
        f"found no title and body on {web.url('/news/a/6.html')}"
    )
    detail = json.loads(data_dir.scalar("SELECT row_json FROM quarantine WHERE table_name = 'source_yield'"))
    assert detail["history"] == [1.0, 1.0, 1.0] and detail["content_share"] == 0.0
