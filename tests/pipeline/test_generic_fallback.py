"""A template change in a real crawl: the source-yield alert fires and the data keeps flowing.

The test source's article template changes (its title and body selectors find nothing on
the new page): the run ends as a warning naming the selectors, as before generic
extraction existed, and the page's article is loaded all the same, read by generic
extraction (``articles.extracted_by = 'generic'``).
"""

from __future__ import annotations

import pytest

from demo.httpd import Page
from tests.pipeline.test_crawl_routes import publish
from tests.pipeline.test_source_yield import crawl, with_history, yield_rows  # noqa: F401 - with_history is a fixture

pytestmark = pytest.mark.integration

REDESIGNED = (
    "<html><head><meta charset='utf-8'><title>某县召开常务会议_某县人民政府</title></head><body>"
    "<div class='nav'><a href='/'>首页</a><a href='/news/'>新闻</a><a href='/gk/'>政务公开</a></div>"
    "<div class='article'><h2 class='headline'>某县召开常务会议</h2>"
    "<div class='meta'>发布时间：2021-03-02 09:15 来源：某县融媒体中心</div>"
    "<div class='text'><p>3月1日，某县召开常务会议，研究部署春季农业生产和项目建设工作。</p>"
    "<p>会议指出，全县一季度地区生产总值预计增长8.5%，固定资产投资增长12.3%。</p></div></div>"
    "</body></html>"
)


def test_a_changed_template_alerts_and_its_article_is_read_generically(web, with_history, data_dir):
    publish(web, [1, 2, 3, 4, 5, 6])
    web.route("/news/a/6.html", Page(REDESIGNED.encode("utf-8")))
    summary = crawl(with_history, data_dir)
    assert summary["pages_parsed"] == 1 and summary["pages_with_content"] == 0
    assert summary["status"] == "failed"  # a changed template needs an operator (issue 11), the data still flows
    [(key, expectation, _reason)] = yield_rows(data_dir)
    assert key == f"source:{with_history}" and "content_share" in expectation
    rows = data_dir.rows(
        "SELECT a.title, a.body, a.extracted_by, a.published_date FROM articles a "
        "JOIN documents d USING (document_id) WHERE d.url = ?",
        [web.url("/news/a/6.html")],
    )
    [(title, body, extracted_by, published)] = rows
    assert extracted_by == "generic"
    assert title == "某县召开常务会议_某县人民政府"  # the source's own last title rule (`title`) still reads one
    assert body.startswith("3月1日") and "12.3%" in body and str(published) == "2021-03-02"
    selectors = data_dir.scalar("SELECT count(*) FROM articles WHERE extracted_by = 'selectors'")
    assert selectors >= 5  # the history's pages, read by the source's selectors
