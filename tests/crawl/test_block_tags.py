"""One list of line-breaking tags: the core's html_to_text, the selector reading
(parse.element_text) and generic extraction (generic.Walk) cut a page into the same lines."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from bulletins.core.html import BLOCK_TAGS, html_to_text, starts_line
from bulletins.crawl.generic import Walk
from bulletins.crawl.parse import element_text

# (markup inside <body>, its lines): invented pages of other cities.
CASES = [
    # a data table: a row's label and its figure are lines of their own, header cells too
    (
        "<table><tr><th>指标</th><th>数值</th></tr><tr><td>地区生产总值</td><td>812.4亿元</td></tr></table>",
        ["指标", "数值", "地区生产总值", "812.4亿元"],
    ),
    # an old site's centred headline above its paragraphs
    (
        "<center>泉州市召开防汛工作会议</center><p>会议于6月3日召开。</p>",
        ["泉州市召开防汛工作会议", "会议于6月3日召开。"],
    ),
    # a photo's caption stands apart from the paragraph after it
    (
        "<main><figure><img src='a.jpg'/><figcaption>会议现场</figcaption></figure><p>绵阳市政府常务会议召开。</p></main>",
        ["会议现场", "绵阳市政府常务会议召开。"],
    ),
    # a definition list: each term and description a line
    ("<dl><dt>来源</dt><dd>某某日报</dd></dl>", ["来源", "某某日报"]),
    # an e-paper's custom elements hold the headline and the body apart
    (
        "<founder-title>柳州市部署秋冬季农业生产</founder-title><founder-content><p>本报讯 会议要求抓好秋播。</p>"
        "<p>第二段</p></founder-content>",
        ["柳州市部署秋冬季农业生产", "本报讯 会议要求抓好秋播。", "第二段"],
    ),
    # a <br> ends a line inside a paragraph; inline elements do not
    ("<section><p>第一行<br/>第<b>二</b>行</p></section>", ["第一行", "第二行"]),
]


def lines_of(text: str) -> list[str]:
    """Non-empty lines, spaces squeezed."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("markup, lines", CASES)
def test_the_three_readers_break_lines_at_the_same_tags(markup, lines):
    html = f"<html><body>{markup}</body></html>"
    soup = BeautifulSoup(html, "lxml")
    assert html_to_text(html).splitlines() == lines
    assert lines_of(element_text(soup.body)) == lines
    assert [line.text for line in Walk(soup.body).shown] == lines


def test_inline_elements_never_begin_a_line():
    assert not any(starts_line(name) for name in ("span", "a", "b", "strong", "em", "font", "img"))
    assert starts_line("founder-subtitle") and "founder-subtitle" not in BLOCK_TAGS
