"""``bulletins add-source NAME LIST_URL``: draft sources/NAME.yaml from a site's list page.

Fetches the list page politely (the project's PoliteFetcher: robots.txt, rate limit, allowed
host), finds the article links (the URL pattern most anchors with headline-like text share),
the numbered list pages (index_1.html, ?page=2 ...), and, when the list links to layout pages
that link to articles (an e-paper), one level of those. It then fetches a few articles, reads
each by generic extraction (bulletins.crawl.generic) and learns the selectors that pick the
same title, date and body on every one of them; what it cannot learn is left to generic
extraction. The file is written with ``enabled: false`` and comments saying what was found
on each page, for an operator to read, check (``bulletins check-source NAME``) and enable.

``add_source`` says what it did as a ``Drafted`` outcome (written, exists, unreachable,
no_links, invalid); the command (bulletins.cli.sources) turns it into an exit code.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup, Tag

from bulletins.crawl import generic
from bulletins.crawl.check import generic_config
from bulletins.crawl.parse import PageDoc, decode, parse_date
from bulletins.crawl.sources import Selector, SourceConfigError, parse_source, source_path

ARTICLES_TRIED = 3  # article pages fetched to learn from
MIN_LINK_TEXT = 6  # anchors with shorter text are menus, not headlines
MIN_ARTICLE_LINKS = 2  # a URL pattern shared by fewer anchors is not the article list
MIN_BODY_CHARS = 80  # a page with less text is a layout page, not an article
PREVIEW = 40

# Numbered list pages beside the list page, with the URL each is for.
PAGINATION = tuple(
    (re.compile(p), template, example)
    for p, template, example in (
        (r"^(?P<stem>[\w-]+?)_(?P<n>\d+)\.(?P<ext>s?html?)$", "{stem}_{{n}}.{ext}", "index_2.html"),
        (r"^(?P<stem>[\w-]+?)-(?P<n>\d+)\.(?P<ext>s?html?)$", "{stem}-{{n}}.{ext}", "list-2.htm"),
    )
)
PAGE_QUERY = re.compile(r"(?P<key>[?&](?:page|p|pageNo|pageIndex|pn)=)(?P<n>\d+)")

# URL dates a date rule can read, as (pattern with one group, strptime format, example).
URL_DATE_RULES = (
    (r"/t(\d{8})_", "%Y%m%d", "/art/t20230728_1.html"),
    (r"/(\d{8})/", "%Y%m%d", "/xxgk/20230728/i1.html"),
    (r"/(\d{4}-\d{2}/\d{2})/", "%Y-%m/%d", "/content/2023-07/28/c_1.htm"),
    (r"/(\d{4}/\d{2}/\d{2})/", "%Y/%m/%d", "/content/2023/07/28/1.html"),
    (r"/(\d{6}/\d{2})/", "%Y%m/%d", "/news/202307/28/c1.html"),
    (r"/(\d{4}/\d{4})/", "%Y/%m%d", "/n1/2023/0728/c1-2.html"),
)
# Meta tags a title or outlet selector may read, tried in order.
TITLE_METAS = ("ArticleTitle", "og:title")
OUTLET_METAS = ("ContentSource", "source")


@dataclass
class ArticleFinding:
    """What one article page showed."""

    url: str
    outcome: str
    title: str | None = None
    published: datetime | date | None = None
    body: str = ""
    soup: BeautifulSoup | None = None
    found: generic.Generic | None = None


@dataclass
class Draft:
    """The source file being drafted, and the comments that explain it."""

    name: str
    list_url: str
    notes: list[str] = field(default_factory=list)
    list_read: bool = False  # the list page was fetched
    site_title: str = ""
    href_pattern: str | None = None
    follow: str | None = None
    pagination: str | None = None
    first_page: int = 1
    article: dict[str, Any] = field(default_factory=dict)
    articles: list[ArticleFinding] = field(default_factory=list)


# -- links -----------------------------------------------------------------------------------


def _segment_shape(segment: str) -> str:
    """A path segment as a regex: digit runs become \\d{k} (dates keep their length) or \\d+."""
    out, last = [], 0
    for match in re.finditer(r"\d+", segment):
        out.append(_escape(segment[last : match.start()]))
        digits = match.group(0)
        dated = len(digits) in (6, 8) or len(digits) == 4 and digits.startswith(("19", "20"))  # YYYY, YYYYMM(DD)
        out.append(rf"\d{{{len(digits)}}}" if dated else r"\d+")
        last = match.end()
    out.append(_escape(segment[last:]))
    return "".join(out)


def _escape(text: str) -> str:
    """A literal for a URL regex (hyphens left readable)."""
    return re.escape(text).replace("\\-", "-")


def url_pattern(urls: list[str]) -> str:
    """One regex for URLs of the same shape: digits generalised, differing directories as [^/]+."""
    paths = [urlsplit(u).path.split("/") for u in urls]
    columns = list(zip(*paths))
    parts = []
    for i, column in enumerate(columns):
        shapes = {_segment_shape(s) for s in column}
        if len(shapes) == 1:
            parts.append(shapes.pop())
        elif i < len(columns) - 1 and all(re.fullmatch(r"[A-Za-z_-]+", s) for s in column):
            parts.append(r"[A-Za-z_-]+")
        else:
            parts.append(r"[^/]+")
    return "/".join(parts) + "$"


def _shape_key(url: str) -> tuple:
    """URLs in one article list share this: depth, and each segment's shape (letters-only directories free)."""
    segments = urlsplit(url).path.split("/")
    key = []
    for i, segment in enumerate(segments):
        free = i < len(segments) - 1 and re.fullmatch(r"[A-Za-z_-]+", segment)
        key.append("*" if free else _segment_shape(segment))
    return tuple(key)


def article_links(
    pages: list[tuple[str, str]], host: str, min_links: int = MIN_ARTICLE_LINKS
) -> tuple[list[str], str | None]:
    """The article URLs of list pages ((html, url) pairs) and their pattern: the shape most headline-like anchors share."""
    groups: dict[tuple, list[str]] = {}
    weight: Counter = Counter()
    for html, page_url in pages:
        for anchor in BeautifulSoup(html, "lxml").find_all("a", href=True):
            href = anchor["href"].strip()
            if href.lower().startswith(("javascript:", "mailto:", "#")):
                continue
            url = urljoin(page_url, href).split("#")[0]
            text = "".join(anchor.get_text().split())
            if urlsplit(url).netloc.lower() != host or url == page_url or len(text) < MIN_LINK_TEXT:
                continue
            key = _shape_key(url)
            if url not in groups.setdefault(key, []):
                groups[key].append(url)
                weight[key] += min(len(text), 30)
    ranked = [k for k, _ in weight.most_common() if len(groups[k]) >= min_links]
    if not ranked:
        return [], None
    urls = groups[ranked[0]]
    return urls, url_pattern(urls)


def pagination(html: str, page_url: str) -> tuple[str | None, int]:
    """The numbered list pages' URL template ({n}) and the first page's number, from the pager links."""
    soup = BeautifulSoup(html, "lxml")
    directory = page_url.rsplit("/", 1)[0] + "/"
    stem = urlsplit(page_url).path.rsplit("/", 1)[-1].split(".")[0] or "index"
    numbers: dict[str, list[int]] = {}
    for anchor in soup.find_all("a", href=True):
        url = urljoin(page_url, anchor["href"].strip())
        query = PAGE_QUERY.search(url)
        if query and url.split("?")[0] == page_url.split("?")[0]:
            template = url[: query.start("n")] + "{n}" + url[query.end("n") :]
            numbers.setdefault(template, []).append(int(query["n"]))
            continue
        if not url.startswith(directory) or "/" in url[len(directory) :]:
            continue
        for pattern, template, _example in PAGINATION:
            match = pattern.match(url[len(directory) :])
            if match and match["stem"] == stem:
                numbers.setdefault(directory + template.format(**match.groupdict()), []).append(int(match["n"]))
    if not numbers:
        return None, 1
    template = max(numbers, key=lambda t: len(numbers[t]))
    return template, min(numbers[template])


# -- learning selectors ----------------------------------------------------------------------


def css_of(element: Tag) -> str | None:
    """A short selector for an element: #id, else tag.class, else the tag (ids and classes with digits skipped)."""
    ident = element.get("id")
    if ident and not re.search(r"\d", ident) and re.fullmatch(r"[A-Za-z][\w-]*", ident):
        return f"#{ident}"
    classes = [
        c for c in (element.get("class") or ()) if re.fullmatch(r"[A-Za-z][\w-]*", c) and not re.search(r"\d", c)
    ]
    return f"{element.name}.{classes[0]}" if classes else element.name


def _squash(text: str | None) -> str:
    """Text without whitespace."""
    return "".join((text or "").split())


def _learn_title(pages: list[ArticleFinding]) -> tuple[list[str], str]:
    """Title selectors that give generic extraction's title on every page, and how they were found."""
    for meta in TITLE_METAS:
        key = "property" if ":" in meta else "name"
        sel = Selector(f"meta[{key}='{meta}']", "content")
        if all(_squash(PageDoc(str(p.soup)).first_value(sel)) == _squash(p.title) for p in pages):
            return [str(sel)], f"the {meta} meta tag"
    elements = [p.found.headline_element for p in pages if p.found is not None]
    if len(elements) == len(pages) and all(e is not None for e in elements):
        css = {css_of(e) for e in elements}
        if len(css) == 1:
            sel = Selector(css.pop())
            if all(_squash(PageDoc(str(p.soup)).first_value(sel)) == _squash(p.title) for p in pages):
                return [sel.css], "the headline element"
    return [], "no selector agreed on every page"


def _learn_body(pages: list[ArticleFinding]) -> tuple[list[str], str]:
    """A body selector that picks generic extraction's body block (and only it) on every page."""
    elements = [p.found.body_element for p in pages if p.found is not None]
    if len(elements) != len(pages) or any(e is None for e in elements):
        return [], "no body block on some page"
    css = {css_of(e) for e in elements}
    if len(css) != 1:
        return [], f"the body blocks differ ({', '.join(sorted(c or '?' for c in css))})"
    selector = css.pop()
    for page, element in zip(pages, elements):
        picked = page.soup.select(selector)
        if picked != [element]:
            return [], f"{selector} picks {len(picked)} elements on {page.url}"
    return [selector], "the block generic extraction chose, the same on every page"


def _learn_published(pages: list[ArticleFinding]) -> tuple[list[dict], str]:
    """Date rules that give generic extraction's date on every page: a meta tag, else the URL."""
    for name in generic.DATE_META:
        values = [generic.meta_map(p.soup).get(name) for p in pages]
        if all(values) and all(_same_moment(_date_text(v), p.published) for v, p in zip(values, pages)):
            return [{"meta": _meta_spelling(pages[0].soup, name)}], f"the {name} meta tag"
    if any(isinstance(p.published, datetime) for p in pages):
        return [], "generic extraction reads a time the URL lacks"
    for pattern, fmt, _example in URL_DATE_RULES:
        matches = [re.search(pattern, p.url) for p in pages]
        if all(matches) and all(parse_date(m.group(1), (fmt,)) == p.published for m, p in zip(matches, pages)):
            return [{"url": pattern, "format": fmt}], "the date in the URL"
    return [], "no meta tag or URL date agreed on every page"


def _date_text(value: str) -> datetime | date | None:
    """A meta tag's date as generic extraction reads it."""
    match = generic.DATE_TEXT.search(value or "")
    return generic.date_of(match) if match else None


def _same_moment(a: Any, b: Any) -> bool:
    """True when two dates (or datetimes) are the same."""
    return a is not None and a == b


def _meta_spelling(soup: BeautifulSoup, lowered: str) -> str:
    """The meta name as the page spells it (PubDate, not pubdate)."""
    for tag in soup.find_all("meta"):
        name = str(tag.get("name") or "")
        if name.lower() == lowered:
            return name
    return lowered


def _learn_outlet(pages: list[ArticleFinding]) -> list[str]:
    """An outlet meta selector present on every page."""
    for meta in OUTLET_METAS:
        sel = Selector(f"meta[name='{meta}']", "content")
        if all(PageDoc(str(p.soup)).first_value(sel) for p in pages):
            return [str(sel)]
    return []


# -- fetching --------------------------------------------------------------------------------


def _read_article(fetcher: Any, url: str, config: Any) -> ArticleFinding:
    """Fetch one article and read it by generic extraction."""
    result = fetcher.fetch(url, kind="article")
    if not result.ok:
        return ArticleFinding(url, f"{result.outcome} {result.http_status or ''}".strip())
    html, _codec = decode(result.body, result.headers, result.encoding)
    soup = BeautifulSoup(html, "lxml")
    found = generic.extract(soup, result.final_url or url)
    return ArticleFinding(url, "fetched", found.title, found.published, found.body, soup, found)


def _list_page(fetcher: Any, url: str, draft: Draft) -> str | None:
    """The list page's text, noted; None when it could not be fetched."""
    result = fetcher.fetch(url, kind="list")
    draft.notes.append(f"list page {url}: {result.outcome} {result.http_status or ''}".rstrip())
    return result.text if result.ok else None


def survey(name: str, list_url: str, fetcher: Any, tries: int = ARTICLES_TRIED) -> Draft:
    """Fetch the list page and a few articles; everything the source file will say."""
    draft = Draft(name, list_url)
    host = urlsplit(list_url).netloc.lower()
    html = _list_page(fetcher, list_url, draft)
    if html is None:
        return draft
    draft.list_read = True
    title = BeautifulSoup(html, "lxml").find("title")
    draft.site_title = generic.title_from_head(title.get_text()) if title else name
    draft.pagination, draft.first_page = pagination(html, list_url)
    urls, pattern = article_links([(html, list_url)], host)
    draft.notes.append(
        f"  {len(urls)} links share {pattern}" if pattern else "  no URL pattern shared by headline links"
    )
    draft.notes.append(
        f"  pagination: {draft.pagination} from page {draft.first_page}"
        if draft.pagination
        else "  pagination: no numbered list pages linked"
    )
    config = generic_config(list_url, name)
    findings = _articles(fetcher, urls, config, tries)
    if urls and not any(len(f.body) >= MIN_BODY_CHARS for f in findings):
        # the list links to layout pages (an e-paper's 版面): their links are the articles
        layouts = [(str(f.soup), f.url) for f in findings if f.soup is not None]
        if layouts:
            inner, inner_pattern = article_links(layouts, host, min_links=1)
            if inner_pattern:
                draft.follow, pattern = url_pattern(urls), inner_pattern
                draft.notes.append(f"  those are layout pages: their {len(inner)} links share {inner_pattern}")
                findings = _articles(fetcher, inner, config, tries)
    draft.href_pattern = pattern
    draft.articles = findings
    _learn(draft)
    return draft


def _articles(fetcher: Any, urls: list[str], config: Any, tries: int) -> list[ArticleFinding]:
    """Up to ``tries`` fetched articles (refused or failed ones are noted and skipped)."""
    out = []
    for url in urls:
        finding = _read_article(fetcher, url, config)
        out.append(finding)
        if sum(1 for f in out if f.outcome == "fetched") >= tries:
            break
    return out


def _learn(draft: Draft) -> None:
    """The article section from the fetched pages."""
    pages = [f for f in draft.articles if f.outcome == "fetched" and f.body]
    if not pages:
        return
    for key, learner in (("title", _learn_title), ("body", _learn_body), ("published", _learn_published)):
        value, how = learner(pages)
        draft.notes.append(f"article.{key}: {how}" + ("" if value else ": left to generic extraction"))
        if value:
            draft.article[key] = value
    outlet = _learn_outlet(pages)
    if outlet:
        draft.article["outlet"] = outlet


# -- the file --------------------------------------------------------------------------------


def _quoted(value: Any) -> str:
    """A YAML scalar or flow list, single-quoted where needed."""
    return (
        yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000)
        .strip()
        .removesuffix("...")
        .strip()
    )


def render(draft: Draft, today: date | None = None) -> str:
    """The YAML text of the draft, comments first."""
    parts = urlsplit(draft.list_url)
    base = f"{parts.scheme}://{parts.netloc}/"
    lines = [
        f"# Drafted by `bulletins add-source {draft.name} {draft.list_url}` on {(today or date.today()).isoformat()}.",
        "# Disabled until an operator has read it: run `bulletins check-source "
        f"{draft.name}`, fix what it reports, then set enabled: true.",
        "# What was found:",
    ]
    lines += [f"#   {note}" for note in draft.notes]
    for finding in draft.articles:
        lines.append(f"#   article {finding.url}: {finding.outcome}")
        if finding.outcome == "fetched":
            preview = " ".join(finding.body.split())[:PREVIEW]
            lines.append(
                f"#     title {finding.title!r}, published {finding.published}, "
                f"body {len(_squash(finding.body))} chars: {preview}…"
            )
    lines += [
        f"name: {draft.name}",
        f"title: {_quoted(draft.site_title or draft.name)}",
        "enabled: false",
        f"base_url: {_quoted(base)}",
        f"allowed_hosts: [{_quoted(parts.netloc)}]",
        "politeness:",
        "  requests_per_second: 0.5   # one request every two seconds",
        "  concurrency: 1",
        "  obey_robots: true",
        "list:",
        f"  start_urls: [{_quoted(draft.list_url)}]",
    ]
    if draft.pagination:
        lines += [f"  pagination: {_quoted(draft.pagination)}", f"  first_page: {draft.first_page}", "  max_pages: 10"]
    if draft.follow:
        lines.append(f"  follow: {_quoted(draft.follow)}   # layout pages listing the articles")
    lines += ["links:", '  selector: "a[href]"']
    if draft.href_pattern:
        lines.append(f"  href_pattern: {_quoted(draft.href_pattern)}")
    lines.append("article:" if draft.article else "article: {}   # no selectors: generic extraction reads every part")
    for key in ("title", "published", "body", "outlet"):
        if key in draft.article:
            lines.append(f"  {key}: {_quoted(draft.article[key])}")
        elif key != "outlet" and draft.article:
            lines.append(f"  # {key}: none learned; generic extraction reads it")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Drafted:
    """What ``add_source`` did: its outcome (one of OUTCOMES), the text to show, the file written."""

    outcome: str
    text: str
    path: Path | None = None


# add_source's outcomes: the draft was written, or why not.
OUTCOMES = ("written", "exists", "unreachable", "no_links", "invalid")


def add_source(
    name: str,
    list_url: str,
    fetcher: Any,
    force: bool = False,
    directory: Path | None = None,
    tries: int = ARTICLES_TRIED,
) -> Drafted:
    """Survey the site and write the draft (to ``directory``, else the sources folder)."""
    path = (directory / f"{name}.yaml") if directory else source_path(name)
    if path.exists() and not force:
        return Drafted("exists", f"{path} exists (use --force to overwrite)")
    draft = survey(name, list_url, fetcher, tries)
    if not draft.articles and not draft.href_pattern:
        return Drafted("no_links" if draft.list_read else "unreachable", "\n".join(draft.notes))
    text = render(draft)
    try:
        parse_source(yaml.safe_load(text), path.name, name)
    except SourceConfigError as exc:
        return Drafted("invalid", f"the draft does not validate: {exc}\n{text}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Drafted("written", text, path)
