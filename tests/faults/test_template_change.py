"""A site changes its template: its body selector finds nothing. The run names the source and the
selector, alerts on the webhook, and the other source's pages load as usual; the changed site's
pages load too, read by generic extraction (``articles.extracted_by``)."""

from __future__ import annotations

import pytest

from flows.daily import daily_crawl
from tests.faults.conftest import good_article


@pytest.fixture
def crawled(site, warehouse, webhook):
    """A daily run over a healthy source and one whose template changed; (changed site, summary)."""
    healthy = site("healthy").publish({n: good_article(n) for n in (1, 2)}).write_config()
    # The redesigned site wraps its text in <div id="content">; the source file still says #body.
    changed = site("changed").publish({n: good_article(n, body_id="content") for n in (1, 2)}).write_config()
    state = daily_crawl(sources=[healthy.name, changed.name], return_state=True, **warehouse.flow_kwargs())
    assert state.is_failed() and state.message == "1 of 2 sources failed: changed"
    return changed, state.result(raise_on_failure=False)


def test_a_changed_template_is_named_and_the_other_source_loads(crawled, warehouse):
    changed, summary = crawled

    assert warehouse.scalar("SELECT count(*) FROM documents WHERE source = 'healthy'") == 2
    assert (
        warehouse.scalar(
            "SELECT count(*) FROM indicators i JOIN documents d USING (document_id) WHERE d.source = 'healthy'"
        )
        > 0
    )
    # The changed site's articles still load, read by generic extraction (issue 14), and say so.
    assert warehouse.rows(
        "SELECT a.extracted_by, count(*) FROM articles a JOIN documents d USING (document_id) "
        "WHERE d.source = 'changed' GROUP BY ALL"
    ) == [("generic", 2)]
    assert warehouse.rows(
        "SELECT DISTINCT a.extracted_by FROM articles a JOIN documents d USING (document_id) WHERE d.source = 'healthy'"
    ) == [("selectors",)]
    # The run says which source and which selector.
    recorded = warehouse.rows("SELECT source, url, stage, error FROM crawl_errors WHERE source = 'changed'")
    assert recorded and all("article.body" in error and "#body" in error for *_, error in recorded)
    assert {url for _, url, _, _ in recorded} == {changed.url(1), changed.url(2)}
    assert "changed" in str(summary["by_source"]) and "healthy" in str(summary["by_source"])
    assert warehouse.rows("SELECT status FROM runs WHERE source = 'changed'") == [("failed",)]


def test_a_changed_template_alerts_naming_the_source_and_the_selector(crawled, webhook):
    texts = [r["text"] for r in webhook.requests]
    assert any("changed" in t and "article.body" in t for t in texts), texts
    assert not any("healthy" in t for t in texts)
