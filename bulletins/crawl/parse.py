"""HTML parsing: a fetched page's bytes into a ParsedPage (title, date, text, articles).

Bytes in, never the network: the page is decoded (the fetcher's encoding, else header,
<meta>, the source's hint and detection, see bulletins.crawl.encoding), parsed with
BeautifulSoup + lxml (only the content region and the head's <title>/<meta>, in one
parse, when the source names a region), read with the source's selectors, and every text normalised by
bulletins.core.normalise (traditional → simplified, pinyin dropped, chrome dropped,
one paragraph a line). An e-paper page becomes several articles: by its per-article
markup when it has some, else by splitting its text at headlines (bulletins.core.split).

What a selector did not find is listed in ``ParsedPage.problems`` rather than guessed,
so the pipeline records it and ``bulletins check-source`` can show it. The page is then read
by generic extraction (bulletins.crawl.generic), as are the parts a source has no selectors
for: the data keeps flowing, each article records ``extracted_by`` (selectors | generic),
and the problems still tell the source-yield check that the template changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Iterable

import soupsieve
from bs4 import BeautifulSoup, Comment, Tag
from bs4.filter import ElementFilter

from bulletins.core.html import NEVER_SHOWN, starts_line
from bulletins.core.normalise import normalise_text
from bulletins.core.split import LEAD_PATTERNS, lead_match, split_articles
from bulletins.crawl import generic
from bulletins.crawl.encoding import codec_name, decode_html
from bulletins.crawl.sources import DateRule, Selector, SourceConfig, Split

PARSER_VERSION = "parse-1"

# Elements whose text is never article text.
INVISIBLE = NEVER_SHOWN | {"head", "title"}
# A date inside longer text, for selector rules without a pattern of their own.
DATE_IN_TEXT = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"  # 发布时间:2023-07-28 10:12
    r"|\d{4}年\d{1,2}月\d{1,2}日(?:\s*\d{1,2}:\d{2})?"  # 2023年07月28日 10:12
)

# Labels in front of an outlet or byline value: "来源: 红网" → 红网.
LABEL_PREFIX = re.compile(r"^(?:来源|來源|稿源|作者|文|记者)\s*[::]\s*")

# The outlet a byline names, tried in order.
OUTLET_FROM_BYLINE = tuple(
    (re.compile(p), example)
    for p, example in (
        (r"^(?P<outlet>[\u4e00-\u9fff]{2,10}?(?:日报|晚报|早报|都市报|时报|商报))讯", "岳阳晚报讯(全媒体记者 刘佳)"),
        (r"^(?P<outlet>红网)", "红网时刻 记者 孙婷 常德报道"),
        (r"^(?P<outlet>新华社|中新社)", "新华社长沙7月28日电(记者 …)"),
    )
)

# Marks of an article printed over several pages: its text here is only part of it.
FRAGMENT_MARKS = tuple(
    (re.compile(p), example)
    for p, example in (
        (r"[((]上接第[一二三四五六七八九十\d]+版[))]", "(上接第一版)"),
        (r"[((]下转第[一二三四五六七八九十\d]+版[))]", "(下转第三版)"),
        (r"[((]转第?[一二三四五六七八九十\d]+版[))]", "(转2版)"),
    )
)

# How many lines into an article its byline may sit (after a photo caption, say).
BYLINE_SEARCH_LINES = 3


@dataclass(frozen=True)
class ParsedArticle:
    """One article of a page; several on an e-paper page."""

    position: int
    title: str | None
    byline: str | None
    outlet: str | None
    published_date: date | None
    body: str
    is_fragment: bool = False
    extracted_by: str = "selectors"  # selectors | generic: how its title and body were read


@dataclass(frozen=True)
class ParsedPage:
    """A parsed page.

    ``published_at`` is a datetime (Beijing time, naive) when the page gives the time,
    a date when it gives only the day, None when no rule found one.
    """

    title: str | None
    published_at: datetime | date | None
    encoding: str
    text: str
    articles: list[ParsedArticle]
    url: str = ""
    problems: tuple[str, ...] = ()
    parser_version: str = PARSER_VERSION
    extracted_by: str = "selectors"  # selectors | generic: how the title and body were read
    # The title and body as the page shows them (before normalise_text: full-width
    # punctuation kept), for ``bulletins parse-page`` and check-source.
    display_title: str | None = None
    display_body: str = ""

    @property
    def published_date(self) -> date | None:
        """The publication day, whatever the precision."""
        value = self.published_at
        return value.date() if isinstance(value, datetime) else value


# -- decoding and soup ---------------------------------------------------------------------


def header(headers: Any, name: str) -> str | None:
    """A response header by case-insensitive name from any mapping, else None."""
    lowered = name.lower()
    return next((v for k, v in dict(headers or {}).items() if k.lower() == lowered), None)


def decode(raw: bytes, headers: Any = None, encoding: str | None = None, hint: str | None = None) -> tuple[str, str]:
    """(text, codec): the fetcher's chosen encoding wins; else the checked chain of claims."""
    codec = codec_name(encoding)
    if codec:
        return raw.decode(codec, errors="replace"), codec
    decoded = decode_html(raw, header(headers, "Content-Type"), hint)
    return decoded.text, decoded.encoding


# What a region-only parse builds besides the region: the page's titles and meta tags.
HEAD_KEPT = frozenset({"title", "meta"})


class PageDoc:
    """The soups a page is read from: the content region then <head>, or the whole page.

    Read with compiled selectors; lookups that need one value stop at the first.
    """

    def __init__(self, html: str, region: str | None = None) -> None:
        if region:
            # Only the content region and the head's <title>/<meta> are built into trees,
            # in one parse: building the tree is most of parsing, and the region is a part
            # of the markup. The head elements then move to a soup of their own, searched
            # after the region.
            soup = BeautifulSoup(html, "lxml", parse_only=_RegionAndHead(region))
            head = BeautifulSoup("", "html.parser")  # an empty container: 4x cheaper to make than with lxml
            for element in [e for e in soup.contents if isinstance(e, Tag) and not _in_region(region, e.attrs)]:
                head.append(element.extract())
            self.soups = [soup, head]
        else:
            self.soups = [BeautifulSoup(html, "lxml")]
        # Selectors are compiled for the namespaces of the lxml tree, whichever soup they search.
        self.namespaces = tuple(self.soups[0]._namespaces.items())

    def select(self, selector: Selector) -> list[Tag]:
        """Elements the selector picks, from the first soup where it picks any."""
        for soup in self.soups:
            found = _compile(selector.css, self.namespaces).select(soup)
            if found:
                return found
        return []

    def values(self, selector: Selector) -> list[str]:
        """Texts (or the named attribute) of the selected elements, blanks dropped."""
        return [v for v in (_value(el, selector) for el in self.select(selector)) if v]

    def first(self, selectors: Iterable[Selector]) -> tuple[str | None, Selector | None]:
        """The first value of the first selector that yields one."""
        for selector in selectors:
            value = self.first_value(selector)
            if value:
                return value, selector
        return None, None

    def first_value(self, selector: Selector) -> str | None:
        """``values(selector)[0]`` without walking the rest of the tree once it is found."""
        for soup in self.soups:
            picked = False
            for element in _compile(selector.css, self.namespaces).iselect(soup):
                picked = True
                value = _value(element, selector)
                if value:
                    return value
            if picked:  # as select(): only the first soup where the selector picks anything
                return None
        return None

    def meta(self, name: str) -> str | None:
        """The first non-empty content of a <meta name=NAME> (any case), in soup order.

        Read lazily: the walk stops at the <head> where the tag usually is.
        """
        pattern = _meta_name(name)
        for soup in self.soups:
            for node in soup.descendants:
                if isinstance(node, Tag) and node.name == "meta":
                    value, content = node.get("name"), node.get("content")
                    if isinstance(value, str) and pattern.search(value) and content:
                        return content
        return None

    def drop(self, selectors: Iterable[Selector]) -> None:
        """Remove page furniture (share bars, ads) before the body is read.

        Selectors that depend only on the element and its ancestors are joined into one
        selector list: one tree walk instead of one per selector, the same elements gone.
        """
        for group in _drop_groups(tuple(s.css for s in selectors)):
            for soup in self.soups:
                for element in _compile(group, self.namespaces).select(soup):
                    if not element.decomposed:  # inside an element removed just before
                        element.decompose()


@lru_cache(maxsize=1024)
def _compile(css: str, namespaces: tuple[tuple[str, str], ...]) -> soupsieve.SoupSieve:
    """A selector compiled once, for the namespaces ``soup.select`` would give it (which
    looks its compiled form up again on every call)."""
    return soupsieve.compile(css, dict(namespaces))


@lru_cache(maxsize=256)
def _meta_name(name: str) -> re.Pattern:
    """The whole-name, any-case pattern a <meta name> is matched with."""
    return re.compile(f"^{re.escape(name)}$", re.I)


# What a selector can see change when other elements are removed: its siblings (+ ~),
# positions and contents (:first-child, :nth-of-type, :empty, :has, :contains ...).
# Selectors without these pick the same elements before and after a removal.
_CONTEXT_FREE = re.compile(r"[^:+~]*")


@lru_cache(maxsize=256)
def _drop_groups(css: tuple[str, ...]) -> list[str]:
    """Drop selectors as selector lists to run one after the other (one list when all are context-free)."""
    if all(_CONTEXT_FREE.fullmatch(c) for c in css):
        return [", ".join(css)] if css else []
    return list(css)


class _RegionAndHead(ElementFilter):
    """Builds the region's elements and <title>/<meta> tags, with all they contain.

    The parser asks only about elements outside any built one, before making them.
    """

    def __init__(self, region: str) -> None:
        super().__init__()
        self.region = region

    def allow_tag_creation(self, nsprefix: str | None, name: str, attrs: Any) -> bool:
        """A region element or a head element."""
        return name in HEAD_KEPT or _in_region(self.region, attrs or {})

    def allow_string_creation(self, string: str) -> bool:
        """No text outside the built elements."""
        return False


def _in_region(region: str, attrs: Any) -> bool:
    """True when attributes (raw or built) make an element the region: ``#id`` or ``.class``."""
    if region.startswith("#"):
        return attrs.get("id") == region[1:]
    classes = attrs.get("class") or ()
    return region[1:] in (classes.split() if isinstance(classes, str) else classes)


def _value(element: Tag, selector: Selector) -> str:
    """An element's text with paragraphs as lines, or one of its attributes."""
    if selector.attr:
        value = element.get(selector.attr)
        return (" ".join(value) if isinstance(value, list) else (value or "")).strip()
    return element_text(element).strip()


def element_text(element: Tag) -> str:
    """Visible text of an element; block elements begin new lines.

    One walk in document order that carries whether it is inside an invisible element
    below ``element`` (a <script> in the body): strings there are skipped, though a block
    element there still begins a line. ``element`` itself is read even if invisible.
    """
    parts: list[str] = []
    stack = [(iter(element.contents), False)]
    while stack:
        children, hidden = stack[-1]
        for node in children:
            if isinstance(node, Tag):
                if starts_line(node.name):
                    parts.append("\n")
                stack.append((iter(node.contents), hidden or node.name in INVISIBLE))
                break
            if not hidden and not isinstance(node, Comment):
                parts.append(node)
        else:
            stack.pop()
    return "".join(parts)


def _line(text: str | None) -> str | None:
    """A title-like value normalised to one line (None when empty)."""
    if not text:
        return None
    cleaned = normalise_text(text).replace("\n", " ").strip()
    return cleaned or None


# -- dates -----------------------------------------------------------------------------------


def parse_date(value: str, formats: Iterable[str]) -> datetime | date | None:
    """``value`` by the first format that reads it whole; a datetime only when the format has a time."""
    value = re.sub(r"\s+", " ", value.strip())
    for fmt in formats:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed if "%H" in fmt else parsed.date()
    return None


def _rule_text(rule: DateRule, doc: PageDoc, url: str) -> str | None:
    """The raw date text a rule points at."""
    if rule.kind == "url":
        match = rule.target.search(url)
        return match.group(1) if match else None
    if rule.kind == "meta":
        text = doc.meta(rule.target)
    else:
        text = doc.first_value(rule.target)
    if text and (rule.pattern or rule.kind == "selector"):
        match = (rule.pattern or DATE_IN_TEXT).search(text)
        text = match.group(0) if match else None
    return text


def find_published(doc: PageDoc, url: str, rules: Iterable[DateRule]) -> tuple[datetime | date | None, DateRule | None]:
    """The publication date by the first rule that yields one, and that rule."""
    for rule in rules:
        text = _rule_text(rule, doc, url)
        value = parse_date(text, rule.formats) if text else None
        if value is not None:
            return value, rule
    return None, None


# -- bylines and outlets ---------------------------------------------------------------------


def _byline_in(lines: list[str]) -> tuple[str | None, list[str]]:
    """(byline, lines without it) from the first lines of an article body."""
    for i, line in enumerate(lines[:BYLINE_SEARCH_LINES]):
        match = lead_match(line)
        if match:
            rest = line[match.end() :].strip()
            return match.group("byline").strip(), lines[:i] + ([rest] if rest else []) + lines[i + 1 :]
    return None, lines


def outlet_of(byline: str | None) -> str | None:
    """The outlet a byline names: 岳阳晚报讯(…) → 岳阳晚报."""
    for pattern, _example in OUTLET_FROM_BYLINE:
        match = pattern.match(byline or "")
        if match:
            return match.group("outlet")
    return None


def is_fragment_text(text: str) -> bool:
    """True when the text says it continues from or on another page."""
    return any(p.search(text) for p, _example in FRAGMENT_MARKS)


# -- articles --------------------------------------------------------------------------------


@dataclass
class _PageFacts:
    """What every article of a page inherits."""

    day: date | None
    outlet: str | None  # from the page's outlet selector (ContentSource ...)
    default_outlet: str | None
    byline: str | None  # from the page's byline selector
    problems: list[str] = field(default_factory=list)


def _article(position: int, title: str | None, text: str, facts: _PageFacts, fragment: bool = False) -> ParsedArticle:
    """One article from its title and normalised body text."""
    lines = [line for line in text.split("\n") if line]
    byline, lines = _byline_in(lines)
    byline = facts.byline or byline
    body = "\n".join(lines)
    outlet = facts.outlet or outlet_of(byline) or facts.default_outlet
    return ParsedArticle(position, title, byline, outlet, facts.day, body, fragment or is_fragment_text(body))


def _one_article_box(doc: PageDoc, split: Split) -> Tag | None:
    """The element holding a page's one headline and one body, when the page is marked up so.

    A Founder content page without per-article containers still marks its article up:
    one <founder-title> and one <founder-content>. That is one article, however its text
    reads (a continued plan: headline, dated note, (上接第一版) ...); a page of several
    articles run together carries no such pair.
    """
    titles = doc.select(split.title) if split.title else []
    bodies = doc.select(split.body)
    if len(titles) != 1 or len(bodies) != 1:
        return None
    above_title = [id(t) for t in titles[0].parents]
    return next((b for b in bodies[0].parents if id(b) in above_title), None)


def _split_by_markup(doc: PageDoc, config: SourceConfig, facts: _PageFacts) -> list[ParsedArticle] | None:
    """Articles from the page's per-article markup, or None when it has none."""
    split = config.article.split
    containers = doc.select(split.container) if split else []
    if not containers and split:
        box = _one_article_box(doc, split)
        containers = [box] if box is not None else []
    if not containers:
        return None
    articles = []
    for position, box in enumerate(containers):
        main = _heading(doc, box, split.title)
        heads = [h for h in (_heading(doc, box, split.pretitle), main, _heading(doc, box, split.subtitle)) if h]
        bodies = _compile(split.body.css, doc.namespaces).select(box)
        text = "\n".join(element_text(b) for b in bodies) if bodies else element_text(box)
        articles.append(
            _article(position, " ".join(heads) if main else None, normalise_text(text), facts, fragment=main is None)
        )
    return articles


def _heading(doc: PageDoc, box: Tag, selector: Selector | None) -> str | None:
    """One heading part of an article box (its pre-title, title or subtitle) as one line."""
    if selector is None:
        return None
    return _line(" ".join(element_text(e) for e in _compile(selector.css, doc.namespaces).select(box)))


def _split_by_text(text: str, facts: _PageFacts) -> list[ParsedArticle]:
    """Articles of a markup-less e-paper page, split at headlines (bulletins.core.split)."""
    out = []
    for piece in split_articles(text):
        byline = piece.byline or facts.byline
        outlet = facts.outlet or outlet_of(byline) or facts.default_outlet
        fragment = piece.is_fragment or is_fragment_text(piece.body)
        out.append(ParsedArticle(piece.position, piece.title or None, byline, outlet, facts.day, piece.body, fragment))
    return out


def _articles(
    doc: PageDoc, config: SourceConfig, title: str | None, body_html_text: str, body: str, facts: _PageFacts
) -> list[ParsedArticle]:
    """The page's articles: by markup, by text split, or the page as one article.

    ``body`` is ``body_html_text`` normalised (done once, it is the page's text too).
    """
    split = config.article.split
    if split is not None:
        by_markup = _split_by_markup(doc, config, facts)
        if by_markup is not None:
            return by_markup
        if split.fallback:
            return _split_by_text(body, facts)
        facts.problems.append(f"article.split.container {split.container} found nothing and fallback is off")
    if not body_html_text.strip():
        return []
    return [_article(0, title, body, facts)]


# -- the page --------------------------------------------------------------------------------


def parse_page(
    raw: bytes, url: str, config: SourceConfig, headers: Any = None, encoding: str | None = None
) -> ParsedPage:
    """Parse a fetched page's bytes with the source's selectors, generic extraction for the rest.

    ``headers`` are the response headers (for the charset); ``encoding`` is the codec the
    fetcher already decided on, which wins when given.
    """
    html, codec = decode(raw, headers, encoding, config.encoding)
    rules = config.article
    doc = PageDoc(html, rules.region)
    doc.drop(rules.drop)
    problems: list[str] = []
    title_raw, _ = doc.first(rules.title)
    if rules.title and title_raw is None:
        problems.append(f"article.title: none of {', '.join(map(str, rules.title))} found anything")
    published, _ = find_published(doc, url, rules.published)
    if rules.published and published is None:
        problems.append(f"article.published: no rule found a date ({', '.join(r.describe() for r in rules.published)})")
    body_text, body_sel = _body_text(doc, rules.body)
    if rules.body and body_sel is None:
        problems.append(f"article.body: none of {', '.join(map(str, rules.body))} found anything")
    found = None
    if title_raw is None or body_sel is None or published is None:
        # the page whole, not only the source's region: generic extraction reads the rest of it
        found = generic.extract((doc if rules.region is None else PageDoc(html)).soups[0], url)
        if not rules.body and not found.body and not found.articles:
            problems.append("article.body: generic extraction found no article text")
    return _assemble(doc, config, url, codec, problems, (title_raw, published, body_text, body_sel), found)


def _assemble(
    doc: PageDoc,
    config: SourceConfig,
    url: str,
    codec: str,
    problems: list[str],
    selected: tuple,
    found: generic.Generic | None,
) -> ParsedPage:
    """The ParsedPage from what the selectors read, with generic extraction's findings where they read nothing."""
    title_raw, published, body_text, body_sel = selected
    rules = config.article
    by_generic = found is not None and (title_raw is None or body_sel is None)
    if found is not None:
        title_raw = title_raw or found.title
        published = published if published is not None else found.published
    outlet, _ = doc.first(rules.outlet)
    byline, _ = doc.first(rules.byline)
    if found is not None:
        outlet, byline = outlet or found.outlet, byline or found.byline
    day = published.date() if isinstance(published, datetime) else published
    facts = _PageFacts(day, _labelled(outlet), rules.default_outlet, _labelled(byline), problems)
    title = _line(title_raw)
    if body_sel is None and found is not None:
        body = normalise_text(found.body)
        articles = _generic_articles(found, title, body, facts)
        display_body = found.body
    else:
        body = normalise_text(body_text)
        articles = _articles(doc, config, title, body_text, body, facts)
        display_body = "\n".join(" ".join(line.split()) for line in body_text.split("\n") if line.strip())
    how = "generic" if by_generic else "selectors"
    if by_generic:
        articles = [replace(a, extracted_by=how) for a in articles]
    return ParsedPage(
        title,
        published,
        codec,
        body,
        articles,
        url,
        tuple(facts.problems),
        extracted_by=how,
        display_title=" ".join((title_raw or "").split()) or None,
        display_body=display_body,
    )


def _is_dateline_lead(line: str) -> bool:
    """A lead that opens an article (某某日报讯 / 新华社某地某日电), not a reporter's credit line."""
    match = lead_match(line)
    return match is not None and match.re is not LEAD_PATTERNS[-1]


def _generic_articles(found: generic.Generic, title: str | None, body: str, facts: _PageFacts) -> list[ParsedArticle]:
    """The articles generic extraction found: its article boxes, a split at leads, or the page as one."""
    if found.articles:
        return [
            _article(i, _line(a.title), normalise_text(a.body), facts, fragment=a.fragment)
            for i, a in enumerate(found.articles)
        ]
    block = normalise_text(found.block_text)
    if sum(1 for line in block.split("\n") if _is_dateline_lead(line)) >= 2:  # several leads: an e-paper page
        return _split_by_text(block, facts)
    return [_article(0, title, body, facts)] if body.strip() else []


def _body_text(doc: PageDoc, selectors: Iterable[Selector]) -> tuple[str, Selector | None]:
    """Raw text of the first body selector that matches (all its elements), and that selector."""
    for selector in selectors:
        elements = doc.select(selector)
        if elements:
            return "\n".join(element_text(e) for e in elements), selector
    return "", None


def _labelled(value: str | None) -> str | None:
    """A value without its label (来源: 红网 → 红网), normalised; None when empty."""
    if not value:
        return None
    return _line(LABEL_PREFIX.sub("", value.strip())) or None
