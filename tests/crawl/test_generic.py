"""Generic extraction: real pages scored as pages_score.py scores them, the demo read the same
with and without selectors, the fallback when a template changes, charset traps, and the
traps of dates and bodies (related links, comments, editor lines) on pages written here."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from bulletins.crawl.check import generic_config
from bulletins.crawl.parse import parse_page
from bulletins.crawl.sources import ArticleRules, load_source
from bulletins.pipeline.page import has_content
from bulletins.pipeline.stage import article_rows
from demo.site import DemoSite

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
REAL_PAGES = SHARED / "real-pages"
SCORER = SHARED / "eval" / "pages_score.py"
needs_real_pages = pytest.mark.skipif(
    not (REAL_PAGES.is_dir() and SCORER.is_file()), reason="../shared/real-pages or ../shared/eval is absent"
)


def _scorer():
    """The team's scorer module, read from ../shared at test time."""
    spec = importlib.util.spec_from_file_location("pages_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold_files() -> list[Path]:
    return sorted(REAL_PAGES.glob("P*.json")) if REAL_PAGES.is_dir() else []


# -- real pages ------------------------------------------------------------------------------


@needs_real_pages
@pytest.mark.parametrize("gold_file", _gold_files(), ids=lambda p: p.stem)
def test_real_page_title_date_and_body_right(gold_file):
    score = _scorer()
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    page = parse_page(gold_file.with_suffix(".html").read_bytes(), "", generic_config())
    assert score.title_ok(gold["title"], page.display_title), page.display_title
    assert score.date_ok(gold["published"], str(page.published_at)), page.published_at
    ok, ratio = score.body_ok(gold, page.display_body)
    assert ok, f"body length ratio {ratio:.2f}: {page.display_body[:120]!r} … {page.display_body[-120:]!r}"
    assert page.extracted_by == "generic" and all(a.extracted_by == "generic" for a in page.articles)
    assert page.articles and page.articles[0].body


@needs_real_pages
def test_parse_page_command_scores_every_real_page():
    """The issue's own check: pages_score.py running `bulletins parse-page --json`."""
    command = f"{ROOT / '.venv' / 'bin' / 'bulletins'} parse-page --json"
    if not (ROOT / ".venv" / "bin" / "bulletins").exists():
        command = f"{sys.executable} -m bulletins.cli parse-page --json"
    out = subprocess.run(
        [sys.executable, str(SCORER), "--pages", str(REAL_PAGES), "--run", command],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=True,
    ).stdout
    counts = dict(item.split("=") for item in out.strip().splitlines()[-1].split())
    pages = counts["pages"]
    assert int(pages) == len(_gold_files())
    assert counts == {"pages": pages, "title": pages, "date": pages, "body": pages, "all": pages}, out


@needs_real_pages
def test_parse_page_json_has_the_articles(tmp_path):
    page_file = _gold_files()[0].with_suffix(".html")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bulletins.cli",
            "parse-page",
            str(page_file),
            "--url",
            "http://www.example.gov.cn/art/2016/11/22/art_1_2.html",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=True,
    ).stdout
    data = json.loads(out)
    assert {"title", "published", "body", "articles"} <= set(data)
    assert data["articles"][0]["extracted_by"] == "generic"
    assert data["articles"][0]["body"] and data["published"].startswith("20")


# -- the demo: with and without selectors ----------------------------------------------------


def _demo_pages(site: DemoSite, config):
    """(url, bytes, headers) of every article page the source's template serves."""
    prefix = "/" + config.base_url.split("/", 3)[3]
    for entry in site.entries:
        if entry.path.startswith(prefix):
            charset = f"; charset={entry.page.charset_header}" if entry.page.charset_header else ""
            yield "http://127.0.0.1:8765" + entry.path, entry.page.body, {"Content-Type": "text/html" + charset}


@pytest.fixture(scope="module")
def demo() -> DemoSite:
    return DemoSite()


@pytest.mark.parametrize("name", ["demo_gov", "demo_portal", "demo_epaper"])
def test_demo_pages_parse_the_same_without_selectors(demo, name):
    config = load_source(name)
    bare = dataclasses.replace(config, article=ArticleRules())  # no selectors, no region, no split
    pages = list(_demo_pages(demo, config))
    assert len(pages) >= 20
    for url, raw, headers in pages:
        by_selectors = parse_page(raw, url, config, headers)
        by_generic = parse_page(raw, url, bare, headers)
        assert by_generic.extracted_by == "generic" and by_selectors.extracted_by == "selectors", url
        assert by_generic.published_at == by_selectors.published_at, url
        assert [(a.title, a.published_date, a.body, a.is_fragment) for a in by_generic.articles] == [
            (a.title, a.published_date, a.body, a.is_fragment) for a in by_selectors.articles
        ], url
        if name != "demo_epaper":  # its selectors take the whole <title> when founder-title is absent
            assert by_generic.title == by_selectors.title, url


def test_demo_epaper_pages_with_several_articles_are_split(demo):
    config = dataclasses.replace(load_source("demo_epaper"), article=ArticleRules())
    counts = [len(parse_page(raw, url, config, headers).articles) for url, raw, headers in _demo_pages(demo, config)]
    assert max(counts) >= 3 and min(counts) == 1


# -- a template change: selectors find nothing, data keeps flowing, the yield check sees it --


def test_selectors_finding_nothing_fall_back_to_generic(demo):
    config = load_source("demo_gov")
    url, raw, headers = next(_demo_pages(demo, config))
    redesigned = raw.replace(b'id="zoom"', b'id="article-text"')  # the CMS renamed its text block
    page = parse_page(redesigned, url, config, headers)
    original = parse_page(raw, url, config, headers)
    assert [a.extracted_by for a in page.articles] == ["generic"]
    assert page.articles[0].body == original.articles[0].body
    assert page.title == original.title and page.published_at == original.published_at
    assert [p.split(":")[0] for p in page.problems] == ["article.body"]
    assert not has_content(page)  # the source-yield count still sees that the selectors found nothing
    assert has_content(original)
    assert [row["extracted_by"] for row in article_rows("d1", page)] == ["generic"]
    assert [row["extracted_by"] for row in article_rows("d1", original)] == ["selectors"]


def test_title_selectors_finding_nothing_fall_back_too(demo):
    config = dataclasses.replace(
        load_source("demo_portal"),
        article=dataclasses.replace(
            load_source("demo_portal").article, title=(load_source("demo_portal").article.title[0],)
        ),
    )  # h1 only
    url, raw, headers = next(_demo_pages(demo, config))
    page = parse_page(
        raw.replace(b"<h1>", b'<div class="headline">').replace(b"</h1>", b"</div>"), url, config, headers
    )
    assert page.title == parse_page(raw, url, config, headers).title
    assert [a.extracted_by for a in page.articles] == ["generic"]
    assert [p.split(":")[0] for p in page.problems] == ["article.title"] and not has_content(page)


def test_source_without_selectors_counts_as_content():
    html = _page(date_line="发布时间：2021-03-02 09:15 来源：某县融媒体中心")
    page = parse_page(html.encode("utf-8"), "http://www.example.gov.cn/a/1.html", generic_config())
    assert has_content(page) and page.problems == ()


# -- pages written here: the traps -----------------------------------------------------------

PARAGRAPHS = (
    "3月1日，某县召开2021年第一次常务会议，研究部署春季农业生产和项目建设工作。",
    "会议指出，全县一季度地区生产总值预计增长8.5%，固定资产投资增长12.3%，各项指标稳中向好。",
    "会议要求，各乡镇各部门要压实责任，抓好春耕备耕，确保重点项目按期开工，为全年目标打下坚实基础。",
)


def _page(
    title="某县召开2021年第一次常务会议", site="某县人民政府", date_line="", meta="", after="", charset="utf-8"
) -> str:
    """An invented county-government article page with the usual furniture around it."""
    related = "".join(
        f'<li><a href="/a/{n}.html">某县开展第{n}次安全生产大检查工作部署会</a><span>2019-0{n}-1{n}</span></li>'
        for n in range(1, 6)
    )
    comments = '<div class="comment-list"><p>网友甲 2018-05-06 10:00</p><p>支持！</p></div>'
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<html><head><meta charset="{charset}">{meta}<title>{title}_{site}</title></head><body>'
        f'<div class="nav"><a href="/">首页</a><a href="/xw/">新闻中心</a><a href="/gk/">政务公开</a></div>'
        f'<div class="main"><h1>{title}</h1><div class="info">{date_line}</div>'
        f'<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div>'
        f'<div class="text">{body}<p>【责任编辑：钱多多】</p></div>'
        f'<div class="tools"><a href="#">【打印】</a><a href="#">【关闭】</a></div>{after}'
        f'<div class="related"><h3>相关新闻</h3><ul>{related}</ul></div>{comments}</div>'
        f'<div class="footer">版权所有：某县人民政府 某ICP备00000000号</div></body></html>'
    )


def _read(html: str, url: str = "http://www.example.gov.cn/xw/a/1.html"):
    return parse_page(html.encode("utf-8"), url, generic_config(url))


def test_body_without_furniture_related_links_and_editor_lines():
    page = _read(_page(date_line="发布时间：2021-03-02 09:15"))
    assert page.display_body.split("\n") == list(PARAGRAPHS)
    assert page.display_title == "某县召开2021年第一次常务会议"
    assert page.published_at == datetime(2021, 3, 2, 9, 15)


@pytest.mark.parametrize(
    "date_line, url, expected",
    [
        ("发布日期：2021年03月02日", "http://www.example.gov.cn/xw/a/1.html", date(2021, 3, 2)),
        (
            "2021-03-02 16:40 来源：某县融媒体中心",
            "http://www.example.gov.cn/xw/a/1.html",
            datetime(2021, 3, 2, 16, 40),
        ),
        ("", "http://www.example.gov.cn/xw/202103/t20210302_88.html", date(2021, 3, 2)),  # only the URL says
        ("", "http://www.example.gov.cn/content/2021-03/02/content_9.htm", date(2021, 3, 2)),
        ("", "http://www.example.gov.cn/xw/a/1.html", None),  # related links and comments carry dates: never theirs
    ],
)
def test_date_from_the_line_near_the_title_else_the_url(date_line, url, expected):
    assert _read(_page(date_line=date_line), url).published_at == expected


def test_meta_date_wins_and_the_visible_line_adds_the_time():
    meta = '<meta name="publishdate" content="2021-03-02">'
    assert _read(_page(meta=meta, date_line="2021-03-02 16:40")).published_at == datetime(2021, 3, 2, 16, 40)
    assert _read(_page(meta=meta, date_line="来源：某县融媒体中心")).published_at == date(2021, 3, 2)


def test_outlet_and_byline_from_the_labels():
    page = _read(_page(date_line="2021-03-02 来源：某市日报 作者：孙小明"))
    assert page.articles[0].outlet == "某市日报"
    assert page.articles[0].byline == "孙小明"


def test_title_without_the_site_name_and_the_article_title_meta_first():
    assert _read(_page(title="某县2021年1-2月经济运行情况")).display_title == "某县2021年1-2月经济运行情况"
    meta = '<meta name="ArticleTitle" content="某县召开常务会议（全文）">'
    assert _read(_page(meta=meta)).display_title == "某县召开常务会议（全文）"


@pytest.mark.parametrize(
    "declared, encoding",
    [("gb2312", "utf-8"), ("utf-8", "gbk")],
    ids=["declares GB2312, bytes UTF-8", "declares UTF-8, bytes GBK"],
)
def test_charset_traps(declared, encoding):
    raw = _page(charset=declared, date_line="发布时间：2021-03-02").encode(encoding)
    for headers in ({}, {"Content-Type": f"text/html; charset={declared}"}):
        page = parse_page(raw, "http://www.example.gov.cn/xw/a/1.html", generic_config(), headers)
        assert page.display_title == "某县召开2021年第一次常务会议"
        assert page.display_body.split("\n") == list(PARAGRAPHS)


def test_title_when_the_head_title_names_only_the_site():
    html = _page().replace(
        "<title>某县召开2021年第一次常务会议_某县人民政府</title>", "<title>某县人民政府门户网站</title>"
    )
    assert _read(html).display_title == "某县召开2021年第一次常务会议"


def test_the_header_clock_is_not_the_publication_date():
    html = _page().replace('<div class="nav">', '<div class="top">今天是：2026年11月30日 星期一</div><div class="nav">')
    assert _read(html).published_at is None
    dated = _page(date_line="2021-03-02").replace(
        '<div class="nav">', '<div class="top">今天是：2026年11月30日</div><div class="nav">'
    )
    assert _read(dated).published_at == date(2021, 3, 2)


def test_date_from_json_ld_when_no_meta_tag():
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2021-03-02T08:30:00+08:00"}</script>'
    assert _read(_page(meta=ld)).published_at == datetime(2021, 3, 2, 8, 30)


def test_hidden_elements_are_not_text():
    hidden = '<p style="display: none">原标题：某县召开常务会议研究春耕</p><div hidden>某县融媒体中心</div>'
    html = _page(date_line="2021-03-02").replace('<div class="text">', '<div class="text">' + hidden)
    assert _read(html).display_body.split("\n") == list(PARAGRAPHS)


def test_a_date_only_in_the_article_text_is_the_last_resort():
    html = _page().replace(PARAGRAPHS[0], "2021年3月1日，某县召开常务会议，研究部署春季农业生产和项目建设工作。")
    assert _read(html).published_at == date(2021, 3, 1)
    dated = _page(date_line="发布时间：2021-03-02").replace(
        PARAGRAPHS[0], "2021年3月1日，某县召开常务会议，研究部署春耕。"
    )
    assert _read(dated).published_at == date(2021, 3, 2)


def test_a_page_wrapped_in_one_form_still_has_a_body():
    html = _page(date_line="发布时间：2021-03-02").replace("<body>", '<body><form id="form1" method="post">')
    html = html.replace("</body>", "</form></body>")
    page = _read(html)
    assert page.display_body.split("\n") == list(PARAGRAPHS) and page.published_at == date(2021, 3, 2)


def test_an_article_kept_in_a_print_area_is_the_body():
    html = _page(date_line="发布时间：2021-03-02").replace('<div class="text">', '<div id="print_area" class="text">')
    assert _read(html).display_body.split("\n") == list(PARAGRAPHS)


@pytest.mark.integration
def test_extracted_by_reaches_the_articles_table(tmp_path, demo):
    """A page read by selectors and one read by generic extraction, staged and loaded into a real DuckDB file."""
    from bulletins.pipeline.stage import document_row, stage_page, to_batch
    from warehouse.db import connect
    from warehouse.load import load_batch

    config = load_source("demo_gov")
    pages = list(_demo_pages(demo, config))[:2]
    staged = []
    for (url, raw, headers), redesign in zip(pages, (False, True)):
        page = parse_page(raw.replace(b'id="zoom"', b'id="text"') if redesign else raw, url, config, headers)
        doc = document_row(
            url=url,
            source="demo_gov",
            fetched_at=datetime(2026, 11, 30, 6),
            http_status=200,
            headers=headers,
            content_hash="h" * 64,
            parsed=page,
            parser_version="test",
        )
        staged.append(stage_page(doc, page, []))
    con = connect(tmp_path / "w.duckdb")
    try:
        load_batch(con, to_batch(staged), "run-1")
        rows = con.execute(
            "SELECT d.url, a.extracted_by FROM articles a JOIN documents d USING (document_id) ORDER BY d.url"
        ).fetchall()
    finally:
        con.close()
    assert sorted(by for _, by in rows) == ["generic", "selectors"]
    assert dict(rows)[pages[1][0]] == "generic"


def test_parse_page_command_with_a_source_uses_its_selectors(tmp_path, demo):
    url, raw, _headers = next(_demo_pages(demo, load_source("demo_gov")))
    saved = tmp_path / "page.html"
    saved.write_bytes(raw)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bulletins.cli",
            "parse-page",
            str(saved),
            "--url",
            url,
            "--source",
            "demo_gov",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=True,
    ).stdout
    data = json.loads(out)
    assert data["extracted_by"] == "selectors" and data["articles"][0]["outlet"]
    assert data["title"] == parse_page(raw, url, load_source("demo_gov")).title


def test_a_teaser_list_with_summaries_is_not_the_body():
    """A short notice beside a list of linked headlines with their summaries (no class to tell)."""
    teasers = "".join(
        f'<li><a href="/a/{n}.html">某市第{n}季度经济运行情况发布会召开</a>'
        f"<p>会议通报了第{n}季度全市经济运行情况，分析了当前形势，部署了下一阶段的重点工作任务。</p></li>"
        for n in range(1, 9)
    )
    html = _page(date_line="发布时间：2021-03-02").replace(
        '<div class="related">', f'<ul class="list-a">{teasers}</ul><div class="related">'
    )
    assert _read(html).display_body.split("\n") == list(PARAGRAPHS)
