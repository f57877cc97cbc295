"""The HTML report: opened in headless Chromium, it shows its charts and runs no crawled script."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.quality.warehouse_fixture import fill
from warehouse.report import build_report, run_summary_markdown

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def dump_dom(html: Path, profile: Path) -> str:
    """The DOM Chromium ends with after loading the file (scripts, had any run, included)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium missing: run scripts/install-system-deps.sh")
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", html.as_uri()],
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


@pytest.fixture
def report(warehouse, tmp_path, quality_dirs):
    """A report of a warehouse whose pages carried script, an onerror image and a javascript: URL."""
    fill(warehouse, hostile=True)
    return build_report(warehouse, tmp_path / "report.html")


def test_report_renders_charts(report, tmp_path):
    """Inline SVG charts, one point per figure, each point linked to its evidence row."""
    dom = dump_dom(report, tmp_path / "profile")
    assert dom.count("<svg") >= 2
    assert len(re.findall(r"<circle[^>]*class=\"point\"", dom)) == 6
    assert 'href="#' in dom and "规模工业增加值" in dom


def test_crawled_script_does_not_run(report, tmp_path):
    """The title stays, no attribute appears, the text shows as text."""
    dom = dump_dom(report, tmp_path / "profile")
    assert "<title>Bulletins: meetings and indicators</title>" in dom
    assert "PWNED</title>" not in dom and not re.search(r"<body[^>]*data-pwned", dom)
    assert "&lt;script&gt;document.title='PWNED'" in dom
    assert "<img src=" not in dom and "&lt;img src=x onerror=" in dom
    assert "<script" not in dom


def test_javascript_urls_are_not_links(report):
    """A crawled javascript: URL shows as text, never as an href."""
    html = report.read_text(encoding="utf-8")
    assert 'href="javascript:' not in html and "javascript:document.title=1" in html


def test_every_figure_has_evidence_and_source(report):
    """Each indicator row carries its sentence and a link to its page."""
    html = report.read_text(encoding="utf-8")
    assert html.count('class="evidence"') >= 6
    assert 'href="http://127.0.0.1/hengyang/0.html"' in html


def test_run_summary_markdown(warehouse, quality_dirs):
    """The artifact text: status, loaded rows, quarantine."""
    fill(warehouse)
    md = run_summary_markdown(warehouse, "run-1")
    assert "**completed**" in md and "| indicators | 6 |" in md and "Every staged row passed" in md


def test_report_cli(tmp_path, quality_dirs, prefect_harness):
    """``bulletins report --out PATH --db FILE`` runs the report flow."""
    import argparse

    from flows.report import report_cli
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    con = connect(db)
    fill(con)
    con.close()
    out = tmp_path / "r" / "report.html"
    assert report_cli(argparse.Namespace(out=str(out), db=str(db))) == 0
    assert "<svg" in out.read_text(encoding="utf-8")
