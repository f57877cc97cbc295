"""Source files: every committed file loads; bad ones fail naming the file and the key."""

from __future__ import annotations

import copy
from datetime import date

import pytest
import yaml

from bulletins.crawl.sources import SourceConfigError, load_source, load_sources, parse_source

GOOD = {
    "name": "good",
    "base_url": "https://www.example.gov.cn/",
    "list": {"start_urls": ["xxgk/index.html"], "pagination": "xxgk/index_{n}.html"},
    "links": {"selector": "ul.list li a", "href_pattern": r"/\d{8}/i\d+\.html$"},
    "article": {
        "title": ["meta[name=ArticleTitle]::attr(content)", "h1"],
        "published": [{"meta": "PubDate"}],
        "body": ["#zoom"],
    },
}


def _with(path: str, value):
    """GOOD with the dotted ``path`` set to ``value`` (``...`` deletes the key)."""
    raw = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    target = raw
    for key in parents:
        target = target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return raw


# (what is wrong, the mapping, text the error message must contain)
BAD_CONFIGS = [
    ("top level not a mapping", ["a", "list"], "good.yaml: (top level): must be a mapping"),
    ("name missing", _with("name", ...), "good.yaml: name: is required"),
    ("name not the file's", _with("name", "other"), "good.yaml: name: 'other' must match the file name 'good'"),
    ("name in capitals", _with("name", "Good"), "name: 'Good' must be lower_snake_case"),
    (
        "relative base_url",
        _with("base_url", "www.example.gov.cn"),
        "good.yaml: base_url: 'www.example.gov.cn' is not an absolute http(s) URL",
    ),
    ("unknown top key", _with("enabeld", True), "good.yaml: enabeld: unknown key"),
    ("enabled as text", _with("enabled", "yes"), "good.yaml: enabled: must be bool, not str"),
    ("list section missing", _with("list", ...), "good.yaml: list: missing section"),
    ("no start URLs", _with("list.start_urls", []), "good.yaml: list.start_urls: needs at least one URL"),
    (
        "pagination without {n}",
        _with("list.pagination", "xxgk/index_1.html"),
        "list.pagination: 'xxgk/index_1.html' has no {n}",
    ),
    ("max_pages zero", _with("list.max_pages", 0), "good.yaml: list.max_pages: 0 must be 1 or more"),
    (
        "layout lacks {dd}",
        _with("list.layout", {"template": "html/{yyyy}-{mm}/node_{n}.htm"}),
        "list.layout.template: 'html/{yyyy}-{mm}/node_{n}.htm' lacks {dd}",
    ),
    ("bad follow regex", _with("list.follow", "node_(\\d+.htm"), "good.yaml: list.follow: bad regular expression"),
    (
        "bad link selector",
        _with("links.selector", "ul..list a"),
        "good.yaml: links.selector: bad CSS selector 'ul..list a'",
    ),
    ("link selector missing", _with("links.selector", ...), "good.yaml: links.selector: is required"),
    ("bad href regex", _with("links.href_pattern", "[a-"), "good.yaml: links.href_pattern: bad regular expression"),
    ("bad title selector", _with("article.title", ["h1", "div[["]), "good.yaml: article.title[1]: bad CSS selector"),
    (
        "date rule with two kinds",
        _with("article.published", [{"meta": "PubDate", "url": "/(\\d{8})/"}]),
        "article.published[0]: needs exactly one of meta, selector or url",
    ),
    (
        "url rule without group",
        _with("article.published", [{"url": "/\\d{8}/", "format": "%Y%m%d"}]),
        "article.published[0].url: needs a (group) around the date",
    ),
    (
        "format without %",
        _with("article.published", [{"url": "/(\\d{8})/", "format": "YYYYMMDD"}]),
        "article.published[0].format: ['YYYYMMDD'] must be strptime formats",
    ),
    (
        "region not an id",
        _with("article.region", "div.content"),
        "good.yaml: article.region: 'div.content' must be an element id",
    ),
    (
        "split without title",
        _with("article.split", {"container": "div.article", "body": "p"}),
        "good.yaml: article.split.title: is required",
    ),
    ("unknown encoding", _with("encoding", "gbk-ish"), "good.yaml: encoding: 'gbk-ish' is not a known encoding"),
    (
        "negative rate",
        _with("politeness", {"requests_per_second": -1}),
        "politeness.requests_per_second: -1 must be above 0",
    ),
    ("typo in politeness", _with("politeness", {"concurrancy": 2}), "good.yaml: politeness.concurrancy: unknown key"),
    ("cron with four fields", _with("schedule", {"cron": "0 7 * *"}), "schedule.cron: '0 7 * *' must have five fields"),
    (
        "unknown time zone",
        _with("schedule", {"cron": "0 7 * * *", "timezone": "Asia/Hengyang"}),
        "schedule.timezone: 'Asia/Hengyang' is not an IANA time zone",
    ),
]


@pytest.mark.parametrize("why, raw, message", BAD_CONFIGS, ids=[row[0] for row in BAD_CONFIGS])
def test_bad_config_names_file_and_key(why, raw, message):
    with pytest.raises(SourceConfigError) as info:
        parse_source(raw, "good.yaml", "good")
    assert message in str(info.value)


@pytest.mark.parametrize(
    "article", [..., {}, {"published": [{"meta": "PubDate"}]}], ids=["absent", "empty", "date only"]
)
def test_parts_without_selectors_are_left_to_generic_extraction(article):
    raw = _with("article", article)
    config = parse_source(raw, "good.yaml", "good")
    assert config.article.body == () and config.article.title == ()
    assert len(config.article.published) == (1 if isinstance(article, dict) and article else 0)


def test_good_config_resolves_relative_urls():
    config = parse_source(copy.deepcopy(GOOD), "good.yaml", "good")
    assert list(config.list.page_urls())[:3] == [
        "https://www.example.gov.cn/xxgk/index.html",
        "https://www.example.gov.cn/xxgk/index_1.html",
        "https://www.example.gov.cn/xxgk/index_2.html",
    ]
    assert config.allowed_hosts == ("www.example.gov.cn",)
    assert config.schedule.timezone == "Asia/Shanghai"
    assert str(config.article.title[0]) == "meta[name=ArticleTitle]::attr(content)"
    assert config.article.title[0].attr == "content"


def test_every_committed_source_loads():
    names = {c.name: c for c in load_sources(enabled_only=False)}
    assert {"demo_gov", "demo_epaper", "demo_portal", "hengyang_gov", "hyqss_epaper", "hy_rednet"} <= set(names)
    assert not any(names[n].enabled for n in ("hengyang_gov", "hyqss_epaper", "hy_rednet"))
    assert {c.name for c in load_sources()} >= {"demo_gov", "demo_epaper", "demo_portal"}
    assert "hengyang_gov" not in {c.name for c in load_sources()}


def test_real_site_url_schemes():
    gov, epaper, rednet = load_source("hengyang_gov"), load_source("hyqss_epaper"), load_source("hy_rednet")
    assert gov.is_article_url("https://www.hengyang.gov.cn/xxgk/dtxx/jrhy/20231027/i3163052.html")
    assert not gov.is_article_url("https://evil.example.com/xxgk/dtxx/jrhy/20231027/i3163052.html")
    assert epaper.is_article_url("https://epaper.hyqss.cn/html/2022-02/08/content_1_123456.htm")
    assert epaper.is_list_url("https://epaper.hyqss.cn/html/2022-02/08/node_2.htm")
    assert epaper.list.layout.urls(date(2022, 2, 8))[:2] == [
        "https://epaper.hyqss.cn/html/2022-02/08/node_1.htm",
        "https://epaper.hyqss.cn/html/2022-02/08/node_2.htm",
    ]
    assert rednet.is_article_url("https://hy.rednet.cn/content/2023/07/29/12850001.html")


def test_base_url_override_moves_the_site_and_its_host():
    config = load_source("demo_gov", base_url="http://127.0.0.1:4567")
    assert config.base_url == "http://127.0.0.1:4567/gov/"
    assert config.list.start_urls == ("http://127.0.0.1:4567/gov/xxgk/dtxx/index.html",)
    assert config.allowed_hosts == ("127.0.0.1:4567",)
    whole = load_source("hengyang_gov", base_url="http://127.0.0.1:4567/mirror")
    assert whole.base_url == "http://127.0.0.1:4567/mirror/"
    assert whole.is_article_url("http://127.0.0.1:4567/mirror/xxgk/dtxx/jrhy/20231027/i3163052.html")


def test_missing_and_broken_files(tmp_path, monkeypatch):
    monkeypatch.setenv("BULLETINS_SOURCES", str(tmp_path))
    (tmp_path / "broken.yaml").write_text("name: broken\nlist: [unclosed\n", encoding="utf-8")
    with pytest.raises(SourceConfigError, match=r"broken.yaml: not valid YAML"):
        load_source("broken")
    with pytest.raises(SourceConfigError, match=r"nothing.yaml: no such source file"):
        load_source("nothing")
    (tmp_path / "good.yaml").write_text(yaml.safe_dump(GOOD, allow_unicode=True), encoding="utf-8")
    assert load_source("good").name == "good"
