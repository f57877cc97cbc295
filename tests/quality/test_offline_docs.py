"""Data Docs open offline: no page loads anything from the network, and the index lists every result."""

from __future__ import annotations

import re

from expectations.gate import validate_batch
from expectations.offline_docs import make_offline, remote_assets
from tests.quality.batches import good_batch
from tests.quality.browser import Browser


def docs_pages(quality_dirs):
    """Every HTML page of the Data Docs site."""
    return sorted((quality_dirs / "reports" / "data_docs").glob("**/*.html"))


def test_no_page_loads_a_network_asset(quality_dirs):
    validate_batch(good_batch({"alpha": 1}), "run-offline-1")
    validate_batch(good_batch({"beta": 1}), "run-offline-2")
    pages = docs_pages(quality_dirs)
    assert len(pages) > 2
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert remote_assets(html) == [], page
        # belt and braces: no src= or stylesheet href= to http(s), whatever the tag
        assert not re.search(r"""\ssrc=["']?(https?:)?//""", html, re.I), page
        assert not re.search(r"""<link[^>]+href=["']?(https?:)?//""", html, re.I), page


def test_the_index_lists_each_result_without_script(quality_dirs, tmp_path):
    """The index's table is plain HTML: one row per validation result, newest first, each linked."""
    validate_batch(good_batch({"gamma": 1}), "run-offline-3")
    index = quality_dirs / "reports" / "data_docs" / "index.html"
    html = index.read_text(encoding="utf-8")
    assert "bootstrapTable" not in html and "$(" not in html
    links = re.findall(r'<a href="(validations/[^"]+\.html)"', html)
    assert any("run-offline-3" in link for link in links)
    assert all((index.parent / link).is_file() for link in links)
    with Browser(tmp_path / "profile") as browser:  # a browser shows the rows, with no network at all
        browser.open(index)
        rows = browser.evaluate("document.querySelectorAll('table.ge-index-page-validation-results-table tr').length")
        assert rows == len(links) + 1


def test_make_offline_keeps_local_assets_and_links():
    page = (
        '<html><head><link rel="stylesheet" href="https://cdn.example/x.css">'
        '<link rel="stylesheet" href="static/styles/local.css"><script src="//cdn.example/j.js"></script>'
        "<script>$(document).ready(function(){})</script><script>var local = 1;</script></head>"
        '<body style="background:url(https://cdn.example/bg.png)"><img src="https://cdn.example/logo.png" alt="GX">'
        '<a href="https://example.org/docs">docs</a></body></html>'
    )
    out = make_offline(page)
    assert remote_assets(out) == []
    assert "static/styles/local.css" in out and "var local = 1;" in out and "$(document)" not in out
    assert 'href="https://example.org/docs"' in out and "GX" in out
