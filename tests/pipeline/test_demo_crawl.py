"""The daily flow over the bundled demo site (three templates: CMS, GBK e-paper, traditional portal).

One crawl per module (it is the slow part): every demo article lands with its title, date
and body; e-paper pages keep their several articles; a second daily run fetches no article
and loads nothing; reprocessing the raw archive rebuilds the same rows.
"""

from __future__ import annotations

import json

import pytest

from bulletins.core.normalise import normalise_text
from demo.server import start_demo_server
from demo.site import simplified
from flows.daily import daily_crawl
from flows.demo import demo_sources
from flows.reprocess import reprocess
from bulletins.pipeline.stage import document_id
from tests.pipeline.conftest import DataDir

pytestmark = pytest.mark.integration

FACT_TABLES = ("documents", "articles", "meetings", "meeting_participants", "indicators")


@pytest.fixture(scope="module")
def crawled(prefect_harness, tmp_path_factory):
    """The demo site served, crawled once by the daily flow into a fresh warehouse."""
    data = DataDir(tmp_path_factory.mktemp("demo"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BULLETINS_DATA", str(data.root))
        base_url, handle = start_demo_server(port=0)
        try:
            summary = daily_crawl(sources=demo_sources(), base_url=base_url, **data.flow_kwargs())
            yield data, handle, summary
        finally:
            handle.stop()


def fact_rows(data: DataDir) -> dict[str, list[tuple]]:
    """Every fact table's rows without the run stamps, sorted."""
    rows = {}
    for table in FACT_TABLES:
        cols = [
            c
            for (c,) in data.rows(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND column_name NOT IN ('run_id', 'loaded_at', 'fetched_at') "
                "ORDER BY ordinal_position",
                [table],
            )
        ]
        rows[table] = data.rows(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL")
    return rows


def telling_paragraphs(paragraphs: tuple[str, ...]) -> list[str]:
    """The first and last paragraphs long enough not to be photo captions (▲会议现场。)."""
    long = [p for p in paragraphs if len(p) > 20]
    return long[:1] + long[-1:]


def test_every_demo_article_lands_with_title_date_and_body(crawled):
    data, handle, summary = crawled
    entries = handle.site.visible()
    assert {e.site for e in entries} == {"gov", "epaper", "portal"}
    assert data.scalar("SELECT count(*) FROM documents") == len(entries)
    for entry in entries:
        url = handle.url(entry.path)
        title, published = data.rows("SELECT title, published_date FROM documents WHERE url = ?", [url])[0]
        assert published == entry.published.date(), url
        articles = data.rows(
            "SELECT title, body FROM articles WHERE document_id = ? ORDER BY position", [document_id(url)]
        )
        stories = [simplified(s) for s in entry.stories]
        # Each titled story is one titled article, in page order (an untitled piece is a fragment).
        titled = [t for t, _ in articles if t]
        assert len(titled) == sum(1 for s in stories if s.title), url
        for art_title, story in zip(titled, [s for s in stories if s.title]):
            assert normalise_text(story.title) in art_title, url
        bodies = "\n".join(body for _, body in articles)
        for story in stories:
            for paragraph in telling_paragraphs(story.paragraphs):
                assert normalise_text(paragraph)[-15:] in bodies, url


def test_gbk_epaper_and_traditional_portal_are_read_as_simplified_text(crawled):
    data, handle, _ = crawled
    encodings = {
        enc.lower() for (enc,) in data.rows("SELECT DISTINCT encoding FROM documents WHERE source = 'demo_epaper'")
    }
    assert encodings & {"gbk", "gb2312", "gb18030"}
    portal = handle.site.visible("portal")[0]
    assert portal.stories[0].traditional
    title = data.scalar("SELECT title FROM articles WHERE document_id = ?", [document_id(handle.url(portal.path))])
    assert title == normalise_text(simplified(portal.stories[0]).title)
    assert "陽" not in title and "(yáng)" not in title


def test_an_epaper_page_keeps_each_of_its_articles(crawled):
    data, handle, _ = crawled
    page = next(e for e in handle.site.visible("epaper") if sum(1 for s in e.stories if s.title) >= 2)
    rows = data.rows(
        "SELECT position, title, is_fragment FROM articles WHERE document_id = ? ORDER BY position",
        [document_id(handle.url(page.path))],
    )
    assert [r[0] for r in rows] == list(range(len(page.stories)))
    assert [r[2] for r in rows] == [s.fragment for s in page.stories]
    titled = [r[1] for r in rows if not r[2]]
    assert len(titled) >= 2 and len(set(titled)) == len(titled)


def test_meetings_participants_and_indicators_are_loaded(crawled):
    data, _, summary = crawled
    assert summary["rows_loaded"] == sum(data.scalar(f"SELECT count(*) FROM {t}") for t in FACT_TABLES)
    assert data.scalar("SELECT count(*) FROM meetings") > 0
    assert data.scalar("SELECT count(*) FROM meeting_participants WHERE role = 'chair'") > 0
    assert data.scalar("SELECT count(*) FROM indicators WHERE period_start IS NOT NULL") > 0
    orphans = data.scalar(
        "SELECT count(*) FROM indicators i LEFT JOIN articles a USING (article_id) WHERE a.article_id IS NULL"
    )
    assert orphans == 0
    # Every staged row either loaded or was quarantined with a reason: nothing vanished.
    assert data.scalar("SELECT count(*) FROM quarantine WHERE reason = ''") == 0


def test_a_second_daily_run_fetches_no_article_and_loads_nothing(crawled):
    data, handle, first = crawled
    before = fact_rows(data)
    handle.server.clear_log()
    second = daily_crawl(sources=demo_sources(), base_url=handle.base_url, **data.flow_kwargs())
    assert second["fetched"] == 0 and second["rows_loaded"] == 0 and second["new_links"] == 0
    runs = data.rows("SELECT run_id, summary FROM runs WHERE flow = 'crawl-source' ORDER BY started_at DESC LIMIT 3")
    for run_id, text in runs:
        assert json.loads(text)["message"].startswith("nothing new")
        assert data.scalar("SELECT count(*) FROM fetch_log WHERE run_id = ? AND kind = 'article'", [run_id]) == 0
    article_paths = {e.path for e in handle.site.visible()}
    assert not article_paths & {r.path for r in handle.server.requests}
    assert second["requests"] < first["requests"] / 5
    assert fact_rows(data) == before


def test_reprocess_from_the_archive_rebuilds_the_same_rows(crawled):
    data, handle, _ = crawled
    before = fact_rows(data)
    handle.server.clear_log()
    summary = reprocess(**data.flow_kwargs())
    assert handle.server.requests == []  # no network
    assert summary["pages"] == data.scalar("SELECT count(*) FROM documents")
    assert fact_rows(data) == before
    run_id = data.scalar("SELECT run_id FROM runs WHERE flow = 'reprocess'")
    assert data.scalar("SELECT count(*) FROM documents WHERE run_id = ?", [run_id]) == len(before["documents"])


def test_a_robots_disallowed_demo_link_is_skipped_and_the_run_completes(crawled):
    """The demo site disallows a path its list links to: obeyed, recorded, not an error."""
    data, _, _ = crawled
    skipped = data.rows(
        "SELECT l.source, l.state, f.outcome FROM links l JOIN fetch_log f USING (source, url) "
        "WHERE f.outcome = 'robots_disallowed'"
    )
    assert skipped and all(state == "gone" for _, state, _ in skipped)
    assert data.scalar("SELECT count(*) FROM crawl_errors WHERE error LIKE '%robots%'") == 0
    for source in {s for s, _, _ in skipped}:
        first = data.rows(
            "SELECT status, summary FROM runs WHERE flow = 'crawl-source' AND source = ? ORDER BY started_at LIMIT 1",
            [source],
        )[0]
        assert first[0] == "completed" and json.loads(first[1])["skipped"] >= 1
