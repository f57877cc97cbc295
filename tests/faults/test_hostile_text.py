"""Hostile text in pages stays inert data from the page to the HTML report.

A page whose title and paragraphs carry SQL fragments, markup (as text: ``&lt;script&gt;``),
control characters and a 200,000-character line is crawled and reported. The text is
stored as written (bound parameters, never spliced into SQL), every table is intact, and
the report shows it escaped, never as markup.
"""

from __future__ import annotations

from demo.httpd import Page
from flows.crawl import crawl_source
from bulletins.pipeline.stage import document_id
from tests.faults.conftest import MEETING, article_html, good_article
from warehouse.db import connect
from warehouse.report import build_report

SQL = "'); DROP TABLE documents;--"
SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
CONTROL = "控制\x07字符\x1b[31m"
LONG = "长" * 200_000

HOSTILE_TITLE = f"通报{SQL}{SCRIPT}{IMG}"
# The report shows the title beside each of the page's indicators; the body carries the rest.
HOSTILE_PARAGRAPHS = [f"1-6月,衡阳规模工业增加值增长5.2%{SQL}{SCRIPT}{IMG}。", MEETING, CONTROL, LONG]


def test_hostile_text_is_stored_as_written_and_shown_escaped(site, warehouse, tmp_path):
    s = site("hostile")
    s.publish({1: good_article(1), 2: Page(article_html(HOSTILE_TITLE, HOSTILE_PARAGRAPHS))}).write_config()
    summary = crawl_source(s.name, **warehouse.flow_kwargs())
    assert summary["fetched"] == 2 and summary["errors"] == 0

    doc = document_id(s.url(2))
    title, text = warehouse.rows("SELECT title, text FROM documents WHERE document_id = ?", [doc])[0]
    assert SQL in title and SCRIPT in title
    assert SQL in text and SCRIPT in text and IMG in text and "字符" in text
    assert max(len(line) for line in text.split("\n")) >= 200_000
    # Every table still there, every row of the other page too.
    tables = {r[0] for r in warehouse.rows("SELECT table_name FROM information_schema.tables")}
    assert {"documents", "articles", "meetings", "indicators", "runs", "fetch_log", "links"} <= tables
    assert warehouse.scalar("SELECT count(*) FROM documents") == 2
    assert warehouse.scalar("SELECT count(*) FROM indicators WHERE document_id = ?", [doc]) > 0
    assert warehouse.scalar("SELECT count(*) FROM v_indicator_evidence WHERE article_title = ?", [HOSTILE_TITLE]) > 0

    con = connect(warehouse.db)
    try:
        report = build_report(con, tmp_path / "report.html").read_text(encoding="utf-8")
    finally:
        con.close()
    assert "&lt;script&gt;alert(" in report and "&lt;img src=x onerror=" in report
    assert SCRIPT not in report and IMG not in report and "<script" not in report.lower()
    assert "DROP TABLE documents;--" in report.replace("&#39;", "'").replace("&#x27;", "'")
    assert report.count("<table") == report.count("</table>")
