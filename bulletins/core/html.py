"""Visible text of an HTML page, one paragraph a line (BeautifulSoup with lxml)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment

# Elements whose content is never shown as text on any page: code, styles, fallbacks for
# browsers without scripts, templates, embedded documents and drawings. Every reader of a page
# hides these (html_to_text, bulletins.crawl.parse, bulletins.crawl.generic), each adding its own.
NEVER_SHOWN = frozenset({"script", "style", "noscript", "template", "iframe", "svg"})
# What html_to_text drops besides: the <head>, page furniture and form controls (a menu's or a
# footer's text would otherwise become lines of the article handed to `bulletins extract`).
INVISIBLE_TAGS = NEVER_SHOWN | {"head", "nav", "footer", "header", "aside", "form", "button", "select"}
# Elements that begin a new line of text: the one list the core's html_to_text, the crawl's
# selector reading (bulletins.crawl.parse) and its generic extraction (bulletins.crawl.generic)
# break lines at, so a page's text has the same lines whichever way it is read. Why each is here:
BLOCK_TAGS = frozenset(
    {
        # paragraphs and their breaks: a paragraph is a line; <br>/<hr> end one inside it
        "p",
        "br",
        "hr",
        "pre",
        "blockquote",
        # the boxes pages are laid out with (<center> on old government sites)
        "div",
        "center",
        "section",
        "article",
        "main",
        "body",
        "html",
        # headings: a headline, pre-title or subtitle is a line of its own
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        # lists: each item, term and description a line
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        # tables: each row a line, and each cell (layout tables put a whole article in one cell,
        # and a data table's label and figure must not run together)
        "table",
        "tr",
        "td",
        "th",
        # a photo and its caption stand apart from the paragraphs around them
        "figure",
        "figcaption",
        # page furniture and forms: their text (menus, copyright, a search box) never runs into
        # an article's line (ASP.NET sites wrap a whole page in one <form>)
        "header",
        "footer",
        "nav",
        "aside",
        "form",
    }
)


def starts_line(name: str) -> bool:
    """True when an element of this tag name begins a new line of text.

    Custom elements (a hyphen in the name: an e-paper's founder-title, founder-content …)
    hold whole parts of an article, so they begin lines too.
    """
    return name in BLOCK_TAGS or "-" in name


# A document that looks like markup rather than plain text.
HTML_SNIFF = re.compile(r"<\s*(?:html|body|div|p|br|span|table|article|head|meta|!doctype)\b", re.I)


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML document or fragment rather than plain text."""
    return bool(HTML_SNIFF.search(text[:4000]))


def html_to_text(html: str) -> str:
    """The visible text of an HTML page; block elements become line breaks."""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(lambda t: t.name in INVISIBLE_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(lambda t: starts_line(t.name)):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text("")
    lines = (re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
