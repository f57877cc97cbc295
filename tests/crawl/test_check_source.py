"""bulletins check-source against the running demo site: findings shown, broken selectors fail clearly."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

import pytest
import yaml

from bulletins.cli.sources import check_source
from bulletins.crawl.fetcher import PoliteFetcher
from bulletins.crawl.politeness import Politeness
from bulletins.settings import PROJECT_ROOT, sources_dir

pytestmark = pytest.mark.integration


# The real fetcher with the real manners, except that retry waits are shrunk.
QUICK = Politeness(backoff_base=0.01, backoff_max=0.02, connect_timeout=2.0, read_timeout=5.0)


def run_check(name: str, base_url: str | None) -> tuple[int, str]:
    """Exit code and output of check-source, in process."""
    out = io.StringIO()
    code = check_source(
        name,
        base_url,
        out=out,
        make_fetcher=lambda config: PoliteFetcher(config, None, politeness=QUICK),
    )
    return code, out.getvalue()


@pytest.mark.parametrize("name", ["demo_gov", "demo_epaper", "demo_portal"])
def test_demo_sources_pass(demo_site, name):
    code, out = run_check(name, demo_site)
    assert code == 0, out
    assert "ok    links" in out
    assert "ok    article.title" in out and "ok    article.published" in out and "ok    article.body" in out
    assert "parsed: title" in out and "      body: " in out
    assert f"OK: every required selector of {name} found something" in out


def test_gov_findings_name_values(demo_site):
    code, out = run_check("demo_gov", demo_site)
    assert "links.selector           ul.list li a  →  13 elements" in out  # 12 articles + the internal link
    assert "article.published[0]     meta PubDate  →  2025-12-31 22:17:53" in out
    assert "meta[name=ContentSource]::attr(content)  →  1 found, first: 衡阳市人民政府" in out
    assert "[0] title: 衡阳市委经济工作会议召开 | date: 2025-12-31" in out


def test_epaper_follows_layout_pages(demo_site):
    code, out = run_check("demo_epaper", demo_site)
    assert "list.follow" in out and "layout pages, first" in out
    assert "/node_1.htm" in out and "gb18030" in out


@pytest.fixture
def broken_sources(tmp_path, monkeypatch):
    """A copy of the sources folder where tests may break a selector."""
    folder = tmp_path / "sources"
    shutil.copytree(sources_dir(), folder)
    monkeypatch.setenv("BULLETINS_SOURCES", str(folder))

    def edit(name: str, section: str, key: str, value) -> None:
        path = folder / f"{name}.yaml"
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw[section][key] = value
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")

    return edit


BROKEN = [
    ("demo_gov", "article", "body", ["#zoomx"], "FAIL: article.body (any of the above) found nothing on http"),
    ("demo_gov", "article", "title", ["h2.headline"], "FAIL: article.title (any of the above) found nothing"),
    (
        "demo_portal",
        "article",
        "published",
        [{"selector": ".info .when"}],
        "FAIL: article.published (first rule that reads) found nothing",
    ),
    (
        "demo_portal",
        "links",
        "selector",
        ".article-list a",
        "FAIL: links (.article-list a + href_pattern) found nothing",
    ),
]


@pytest.mark.parametrize("name, section, key, value, message", BROKEN, ids=[f"{r[0]}.{r[2]}" for r in BROKEN])
def test_broken_selector_fails_clearly(demo_site, broken_sources, name, section, key, value, message):
    broken_sources(name, section, key, value)
    code, out = run_check(name, demo_site)
    assert code == 1, out
    assert message in out
    assert f"{name}.yaml" in out  # says which file to fix


def test_unknown_source_and_unreachable_site(demo_site):
    code, out = run_check("no_such_site", None)
    assert code == 2 and "no such source file" in out
    closed = demo_site.rsplit(":", 1)[0] + ":9"  # the discard port: nothing listens there
    code, out = run_check("demo_gov", closed)
    host = closed.split("://", 1)[1].rstrip("/")
    assert code == 2 and f"ERROR: list page {closed}" in out
    assert f"→  None unreachable: connection refused by {host}," in out, out
    assert f": unreachable: connection refused by {host} (robots_disallowed: " in out, out


def test_a_host_that_does_not_resolve_is_said_to_be_unreachable(demo_site):
    """Not "robots_disallowed" (its robots.txt could not be fetched): the DNS failure itself."""
    code, out = run_check("demo_gov", "http://bulletins-check.invalid/")  # .invalid never resolves
    assert code == 2, out
    assert "ERROR: list page http://bulletins-check.invalid/" in out
    assert "unreachable: DNS lookup failed for bulletins-check.invalid" in out, out
    assert "→  None unreachable: DNS lookup failed" in out and "→  None robots_disallowed" not in out


def test_cli_subprocess(demo_site):
    proc = subprocess.run(
        [sys.executable, "-m", "bulletins.cli", "check-source", "demo_portal", "--base-url", demo_site],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok    article.body" in proc.stdout
