"""Visible text of an HTML page, one paragraph a line (BeautifulSoup with lxml)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment

# Elements that never hold article text.
INVISIBLE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "nav",
    "footer",
    "header",
    "aside",
    "form",
    "button",
    "select",
    "head",
)
# Elements that start a new line of text: <p>, <div>, <br>, headings, list items, rows.
BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "section",
    "article",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
    "blockquote",
    "pre",
    "figcaption",
    "hr",
)
# A document that looks like markup rather than plain text.
HTML_SNIFF = re.compile(r"<\s*(?:html|body|div|p|br|span|table|article|head|meta|!doctype)\b", re.I)


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML document or fragment rather than plain text."""
    return bool(HTML_SNIFF.search(text[:4000]))


def html_to_text(html: str) -> str:
    """The visible text of an HTML page; block elements become line breaks."""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(INVISIBLE_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text("")
    lines = (re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
