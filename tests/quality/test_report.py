"""The HTML report: opened in headless Chromium, it shows its charts and runs no crawled script."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from tests.quality.browser import CHROMIUM, HEADLESS
from tests.quality.warehouse_fixture import fill
from warehouse.report import build_report, run_summary_markdown


def dump_dom(html: Path, profile: Path) -> str:
    """The DOM Chromium ends with after loading the file (scripts, had any run, included)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium missing: run scripts/install-system-deps.sh")
    done = subprocess.run(
        [CHROMIUM, *HEADLESS, f"--user-data-dir={profile}", "--dump-dom", html.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


@pytest.fixture
def report(warehouse, tmp_path, quality_dirs):
    """A report of a warehouse whose pages carried script, an onerror image and a javascript: URL."""
    fill(warehouse, hostile=True)
    return build_report(warehouse, tmp_path / "report.html")


def test_report_renders_charts(report, tmp_path):
    """Inline SVG on a time axis: each fact once (three sources, two periods: two points), legend keyed."""
    dom = dump_dom(report, tmp_path / "profile")
    assert dom.count("<svg") == 1
    assert len(re.findall(r"<circle[^>]*class=\"point\"", dom)) == 2
    keys = re.findall(r'<rect class="key"[^>]*fill="(#[0-9a-f]{6})"', dom)
    assert len(set(keys)) == 2  # 1–6月 and 1–9月, each its own colour with its key
    assert ">1–6月</text>" in dom and ">1–9月</text>" in dom and ">2023-07</text>" in dom
    assert 'href="#' in dom and "规模工业增加值" in dom


def test_crawled_script_does_not_run(report, tmp_path):
    """The title stays, no attribute appears, the text shows as text."""
    dom = dump_dom(report, tmp_path / "profile")
    assert "<title>Bulletins: meetings and indicators</title>" in dom
    assert "PWNED</title>" not in dom and not re.search(r"<body[^>]*data-pwned", dom)
    assert "&lt;script&gt;document.title='PWNED'" in dom
    assert "<img src=" not in dom and "&lt;img src=x onerror=" in dom
    assert "<script" not in dom


def test_javascript_urls_are_not_links(warehouse, tmp_path, quality_dirs):
    """A crawled javascript: URL shows as text, never as an href (whichever source a fact shows)."""
    fill(warehouse, hostile=True)
    warehouse.execute("UPDATE documents SET url = 'javascript:document.title=1' || document_id")
    html = build_report(warehouse, tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'href="javascript:' not in html and "javascript:document.title=1" in html


def test_every_figure_has_evidence_and_source(report):
    """Each fact's row carries its sentence and a link to a page that reported it."""
    html = report.read_text(encoding="utf-8")
    assert html.count('class="evidence"') >= 3
    assert 'href="http://127.0.0.1/hengyang/0.html"' in html


def test_run_summary_markdown(warehouse, quality_dirs):
    """The artifact text: status, loaded rows, quarantine."""
    fill(warehouse)
    md = run_summary_markdown(warehouse, "run-1")
    assert "**completed**" in md and "| indicators | 6 |" in md and "Every staged row passed" in md


def test_report_cli(tmp_path, quality_dirs, prefect_harness):
    """``bulletins report --out PATH --db FILE`` runs the report flow."""
    from bulletins.cli.runs import report
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    con = connect(db)
    fill(con)
    con.close()
    out = tmp_path / "r" / "report.html"
    assert report(str(out), str(db)) == 0
    assert "<svg" in out.read_text(encoding="utf-8")


def test_targets_apart_and_no_made_up_dates(warehouse, tmp_path, quality_dirs):
    """A target without a period is listed under Targets, never plotted, never dated 2000-01-01."""
    from tests.quality.test_facts import figure, load, page

    fill(warehouse)
    load(
        warehouse,
        [
            page(
                "hengyang",
                9,
                dt.date(2023, 2, 1),
                indicators=[figure("规模工业增加值", 8.0, "%", None, place="衡阳市", measure="change", target=True)],
            )
        ],
    )
    html = build_report(warehouse, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "2000-01-01" not in html and ">2000</text>" not in html and ">2000-01</text>" not in html
    targets = html.split("<h3>Targets")[1].split("</table>")[0]
    assert "no period" in targets and "8 %" in targets
    assert html.count('class="point"') == 2  # the two results; the target is not a point


def test_validation_covers_every_source_of_the_latest_daily_crawl(warehouse, tmp_path, quality_dirs):
    """Each source's run inside the latest daily crawl is listed, with what it quarantined."""
    from warehouse import state

    fill(warehouse)  # run-1: an earlier single-source crawl, not part of the daily one
    state.start_run(warehouse, "daily-2", "daily-crawl", None)
    for source, status in (("alpha_gov", "completed"), ("beta_epaper", "warning")):
        state.start_run(warehouse, f"{source}-run", "crawl-source", source)
        state.finish_run(warehouse, f"{source}-run", status, {"fetched": 3, "rows_loaded": 9}, "ok")
    warehouse.execute(
        "INSERT INTO quarantine VALUES ('beta_epaper-run', 'indicators', 'k1', "
        "'expect_column_values_to_be_between', 'change rate out of range', '{}', now())"
    )
    state.finish_run(warehouse, "daily-2", "warning", {"sources": 2}, "2 sources")
    html = build_report(warehouse, tmp_path / "report.html").read_text(encoding="utf-8")
    section = html.split('id="validation"')[1].split("<section")[0]
    assert "daily-2" in section and "alpha_gov" in section and "beta_epaper" in section
    assert "change rate out of range" in section and "run-1" not in section


def test_report_height_and_chinese_in_chromium(report, tmp_path):
    """Laid out in Chromium: a few screens, and Chinese drawn with real glyphs, not tofu boxes."""
    from tests.quality.browser import Browser

    with Browser(tmp_path / "profile") as browser:
        browser.open(report)
        assert 600 < browser.height() < 5000
        assert_chinese_renders(browser)


def assert_chinese_renders(browser) -> None:
    """Two Chinese strings of equal length draw differently, and unlike the missing-glyph box.

    Without a CJK font every character is the same .notdef box, so both strings (and a run of
    private-use characters, which no font has) give the same picture.
    """
    first, second = browser.text_png("会议纪要"), browser.text_png("经济指标")
    tofu = browser.text_png("\ue000\ue001\ue002\ue003")
    assert first != second and first != tofu and second != tofu
    # and the glyphs of the page's own Chinese come from a CJK font, none missing
    used = browser.fonts_used("figcaption")
    assert any("CJK" in family and glyphs > 0 for family, glyphs in used.items()), used


def test_places_table_orders_a_province_before_its_cities(warehouse, tmp_path, quality_dirs):
    """With the ``places`` table (helper places' migration), a province comes first and a city names it;
    with that table empty, places simply come by name."""
    from bulletins.core.facts import Period
    from tests.quality.test_facts import figure, load, page

    load(
        warehouse,
        [
            page(
                "gov",
                1,
                dt.date(2023, 7, 1),
                indicators=[
                    figure("地区生产总值", 5.5, "%", Period(2023, 1, 2023, 6), place=p, measure="change")
                    for p in ("江川市", "南岭省", "青石县")
                ],
            )
        ],
    )
    warehouse.execute("DELETE FROM places")  # the division table filled on connect, emptied for the test

    def headings() -> list[str]:
        html = build_report(warehouse, tmp_path / "report.html").read_text(encoding="utf-8")
        return re.findall(r'<h2 id="place-\d+">([^<]+?)\s*(?:<span class="muted">in ([^<]+)</span>)?\s*<span', html)

    assert [h[0] for h in headings()] == ["南岭省", "江川市", "青石县"]  # empty table: by name
    warehouse.execute(
        "INSERT INTO places (code, name, level, kind, parent_code, source) VALUES "
        "('990000', '南岭省', 'province', '省', NULL, 'test'), "
        "('990100', '江川市', 'prefecture', '地级市', '990000', 'test'), "
        "('990102', '青石县', 'county', '县', '990100', 'test')"
    )
    assert headings() == [("南岭省", ""), ("江川市", "南岭省"), ("青石县", "江川市")]
