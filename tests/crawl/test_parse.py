"""parse_page on pages of the three templates, as the demo site serves them (bytes in)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bulletins.core.normalise import normalise_text
from bulletins.crawl.parse import parse_page
from bulletins.crawl.sources import load_source
from demo.site import DemoSite, simplified

SITE = DemoSite()  # built once: pages are bytes in memory, no server needed to parse them
BASE = "http://127.0.0.1:8765"
GOV, EPAPER, PORTAL = (load_source(n) for n in ("demo_gov", "demo_epaper", "demo_portal"))
CHROME = ("分享到", "打印本页", "版权所有", "广告", "推荐阅读", "CopyRight", "展开阅读全文", "栏目导航", "ICP备")


def _entry(site: str, seed_key: str, years: int = 0, traditional: bool | None = None):
    """The demo page of a site carrying story ``seed_key`` ``years`` years back."""
    for e in SITE.entries:
        s = e.stories[0]
        if (
            e.site == site
            and any(x.key == seed_key for x in e.stories)
            and s.year_shift == years
            and (traditional is None or s.traditional == traditional)
        ):
            return e
    raise LookupError(f"no {site} page for {seed_key} -{years}y")


def _parse(entry, config, with_headers: bool = True, **kw):
    """Parse an entry's bytes as the fetcher would hand them over."""
    charset = entry.page.charset_header
    headers = {"Content-Type": "text/html" + (f"; charset={charset}" if charset else "")} if with_headers else None
    return parse_page(entry.page.body, BASE + entry.path, config, headers, **kw)


# -- government CMS ---------------------------------------------------------------------------


def test_gov_page_fields():
    page = _parse(_entry("gov", "002.0"), GOV)
    assert page.title == "时年过半,如何“赛”好下半场?衡阳这场半年度会议明确了"
    assert page.encoding == "utf-8"
    assert page.published_date == date(2023, 7, 29)
    (article,) = page.articles
    assert article.outlet == "红网"  # the ContentSource meta tag
    assert article.byline == "红网时刻 记者 谭倩 衡阳报道"  # read off the body's lead
    assert "衡阳规模工业增加值增长5.2%(排全省第1)" in article.body
    assert not any(word in page.text for word in CHROME)
    assert page.problems == ()


GOV_PAGE = """<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="市政府常务会议召开">
{pubdate}</head><body><h1 class="title">市政府常务会议召开</h1><div id="zoom"><p>会议研究了有关事项。</p></div>
<div class="share">分享到:微信</div></body></html>"""

PUBDATE_FORMS = [
    ('<meta name="PubDate" content="2025-12-31 22:17:53">', datetime(2025, 12, 31, 22, 17, 53)),
    ('<meta name="PubDate" content="2023-07-28 10:12">', datetime(2023, 7, 28, 10, 12)),
    ('<meta name="PubDate" content="2022-02-08">', date(2022, 2, 8)),
    ('<meta name="pubdate" content=" 2022-02-08 ">', date(2022, 2, 8)),  # name case and spaces vary
    ("", date(2024, 1, 5)),  # no meta: the URL's day
]


@pytest.mark.parametrize("meta, expected", PUBDATE_FORMS)
def test_pubdate_forms(meta, expected):
    raw = GOV_PAGE.format(pubdate=meta).encode("utf-8")
    page = parse_page(raw, BASE + "/gov/xxgk/dtxx/zwdt/20240105/i1234567.html", GOV, {})
    assert page.published_at == expected
    assert type(page.published_at) is type(expected)  # a date when the page gives no time
    assert page.articles[0].published_date == page.published_date
    assert page.articles[0].body == "会议研究了有关事项。"


def test_missing_body_is_a_recorded_problem_not_a_guess():
    raw = b"<html><head><meta charset='utf-8'><title>t</title></head><body><p>x</p></body></html>"
    page = parse_page(raw, BASE + "/gov/xxgk/dtxx/zwdt/20240105/i1.html", GOV, {})
    assert page.articles == []
    assert any(p.startswith("article.body: none of #zoom") for p in page.problems)


# -- e-paper: GBK, several articles a page -------------------------------------------------------


def test_epaper_bytes_are_gbk():
    entry = _entry("epaper", "001.0", years=1)
    with pytest.raises(UnicodeDecodeError):
        entry.page.body.decode("utf-8")
    assert "衡阳晚报讯" in entry.page.body.decode("gbk")


@pytest.mark.parametrize("with_headers", [True, False], ids=["header", "meta-or-hint-only"])
def test_epaper_page_with_markup_splits_into_articles(with_headers):
    page = _parse(_entry("epaper", "001.0", years=1), EPAPER, with_headers)
    assert page.encoding == "gb18030"
    assert page.published_at == date(2021, 2, 8)  # from the URL only
    assert [a.position for a in page.articles] == [0, 1, 2]
    first, second, third = page.articles
    assert first.title.startswith("秦国文在衡阳市“聚力中心化攻坚年”行动动员大会上强调——")
    assert "朱健主持" in first.title
    assert first.byline == "衡阳晚报讯(全媒体记者 陈润)"
    assert first.outlet == "衡阳晚报"
    assert first.body.startswith("牛年首个工作日")  # the seed's 虎年, shifted a year back to 2021 (an Ox year)
    assert "市政府2021年第一次全会召开" in second.title
    assert second.byline == "衡阳晚报讯(全媒体记者 罗文鹏)"
    assert "我市召开民营企业座谈会" in third.title
    assert not any(a.is_fragment for a in page.articles)
    assert all(a.published_date == date(2021, 2, 8) for a in page.articles)


def test_epaper_markup_flags_untitled_fragments():
    page = _parse(_entry("epaper", "003.0", years=1), EPAPER)
    flags = [(a.title is None, a.is_fragment) for a in page.articles]
    assert flags == [(False, False), (True, True), (True, True), (False, False), (False, False)]
    assert page.articles[1].body.startswith("用才、用心服务留才")


def test_epaper_page_without_markup_is_split_by_its_text():
    entry = _entry("epaper", "003.0", years=0)
    assert b'class="article"' not in entry.page.body  # the markup-less variant
    page = _parse(entry, EPAPER)
    titled = [a for a in page.articles if not a.is_fragment]
    assert len(page.articles) >= 3 and len(titled) >= 2
    assert any("原地倍增" in (a.title or "") for a in titled)
    assert any(a.byline == "衡阳晚报讯(全媒体记者 罗文鹏)" for a in titled)


def test_epaper_continued_page_is_a_fragment():
    (article,) = _parse(_entry("epaper", "004.0"), EPAPER).articles
    assert article.is_fragment
    assert "(上接第一版)" in article.body and "(下转第三版)" in article.body


def test_fetchers_encoding_wins():
    entry = _entry("epaper", "002.0")
    page = _parse(entry, EPAPER, with_headers=False, encoding="gbk")
    assert page.encoding == "gb18030"
    assert page.title == "时年过半,如何“赛”好下半场?衡阳这场半年度会议明确了"


# -- reposting portal: chrome, traditional characters, pinyin ---------------------------------------


def test_portal_seed_000_traditional_with_pinyin():
    entry = _entry("portal", "000.0", traditional=True)
    assert "衡陽(yáng)".encode("utf-8") in entry.page.body or "經(jīng)".encode("utf-8") in entry.page.body
    page = _parse(entry, PORTAL)
    assert page.title == "衡阳市委经济工作会议召开"
    assert page.published_at == datetime(2025, 12, 31, 22, 17)
    body = page.articles[0].body
    assert "(jīng)" not in body and "(tài)" not in body and "經" not in body
    assert "会议强调,要认真学习贯彻中央经济工作会议精神" in body
    assert not any(word in body for word in CHROME)


def test_portal_converted_traditional_variant():
    entry = next(
        e for e in SITE.entries if e.site == "portal" and e.stories[0].traditional and e.stories[0].key == "002.0"
    )
    raw_text = entry.page.body.decode("utf-8")
    assert "衡陽(yáng)" in raw_text
    page = _parse(entry, PORTAL)
    article = page.articles[0]
    assert page.title == "时年过半,如何“赛”好下半场?衡阳这场半年度会议明确了"
    assert "(yáng)" not in article.body and "衡陽" not in article.body
    assert "规模工业增加值" in article.body
    assert article.outlet == "红网"
    assert article.byline in ("记者 谭倩", "红网时刻 记者 谭倩 衡阳报道")


def test_every_demo_page_parses_without_problems():
    configs = {"gov": GOV, "epaper": EPAPER, "portal": PORTAL}
    for entry in SITE.entries:
        page = _parse(entry, configs[entry.site])
        assert page.problems == (), entry.path
        assert page.title and page.published_date and page.articles, entry.path
        assert all(a.body for a in page.articles), entry.path


def test_region_parse_reads_the_same_articles():
    """article.region parses only #ozoom (plus <head>) and must not change what is found."""
    from dataclasses import replace

    regional = replace(EPAPER, article=replace(EPAPER.article, region="#ozoom"))
    for key, years in (("001.0", 1), ("003.0", 0)):
        entry = _entry("epaper", key, years)
        whole, part = _parse(entry, EPAPER), _parse(entry, regional)
        assert part.articles == whole.articles and part.title == whole.title


def test_each_demo_epaper_page_gives_the_stories_put_on_it():
    """Every e-paper page, whatever its markup variant: one parsed article per story, same titles.

    A lone continued article (seed 004: headline, dated note, (上接第一版) ...) in Founder's
    plain markup is one fragment-flagged article, not cut again at its jump-in line.
    """
    pages = [e for e in SITE.entries if e.site == "epaper"]
    assert {len(e.stories) for e in pages} >= {1, 5}
    for entry in pages:
        articles = _parse(entry, EPAPER).articles
        stories = [simplified(s) for s in entry.stories]
        assert len(articles) == len(stories), entry.path
        for article, story in zip(articles, stories):
            if story.title is None:
                assert article.title is None and article.is_fragment, entry.path
            else:
                assert article.title and normalise_text(story.title) in article.title, entry.path
            assert article.is_fragment == (story.fragment or story.continued), entry.path


def test_a_lone_continued_article_without_container_is_one_fragment():
    entry = _entry("epaper", "004.0", years=1)
    assert b'class="article"' not in entry.page.body and b"<founder-title>" in entry.page.body
    (article,) = _parse(entry, EPAPER).articles
    assert article.title.startswith("中共衡阳市委关于制定衡阳市国民经济和社会发展第十五个五年规划的建议")
    assert article.is_fragment
    assert article.body.startswith("(2024年12月15日") and "(上接第一版)" in article.body
