"""``bulletins check-source NAME``: what every selector of a source finds on the live site.

Fetches the first list page and one article with the polite fetcher, then prints, for
each selector and date rule of the source file, what it matched (counts, first values)
and the parsed articles (title, date, byline, the first 200 characters of the body).
A selector that finds nothing is a FAIL line and a non-zero exit: the operator's cue
that the site changed its template and which key of sources/NAME.yaml to fix.

Exit codes: 0 all selectors found something; 1 a selector found nothing; 2 the source
file is invalid or a page could not be fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bulletins.crawl import generic
from bulletins.crawl.discover import extract_links
from bulletins.crawl.parse import PageDoc, decode, find_published, parse_page
from bulletins.crawl.sources import Selector, SourceConfig, parse_source

BODY_PREVIEW_CHARS = 200
VALUE_PREVIEW_CHARS = 60
MAX_FOLLOW_PAGES = 3  # layout pages tried for article links when the list page has none


@dataclass
class CheckReport:
    """Lines to print, the failures found and the fetch error, if any (``ok`` when neither)."""

    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    fetch_error: str | None = None

    def say(self, text: str) -> None:
        """Add an output line."""
        self.lines.append(text)

    def check(self, ok: bool, key: str, what: str, found: str, where: str = "") -> None:
        """One selector's finding; a miss is a failure naming the key and the page."""
        self.say(f"  {'ok  ' if ok else 'FAIL'}  {key:<24} {what}  →  {found}")
        if not ok:
            self.failures.append(f"{key} ({what}) found nothing on {where}")

    def note(self, key: str, what: str, found: str) -> None:
        """A finding that is informative only (an optional selector, a fallback)."""
        self.say(f"  --    {key:<24} {what}  →  {found}")

    @property
    def ok(self) -> bool:
        """Every page fetched and every required selector found something."""
        return self.fetch_error is None and not self.failures


def _short(text: str | None, limit: int = VALUE_PREVIEW_CHARS) -> str:
    """One line, at most ``limit`` characters."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


# A request that got no answer at all, by what the fetcher says of it (its words, or the
# resolver's and the socket's), and what the operator is told. It matters most for robots.txt:
# an unreachable one refuses the page as "robots_disallowed", which would hide the real cause.
UNREACHABLE = (
    ("does not resolve", "DNS lookup failed for {host}"),
    ("Name or service not known", "DNS lookup failed for {host}"),
    ("Temporary failure in name resolution", "DNS lookup failed for {host}"),
    ("No address associated with hostname", "DNS lookup failed for {host}"),
    ("connection refused", "connection refused by {host}"),
    ("timed out", "no answer from {host} (timed out)"),
)


def _outcome(result: Any, url: str) -> str:
    """What became of a fetch, in words: an unreachable host as itself (``unreachable: DNS lookup failed for H``)."""
    said = f"{result.outcome} {result.error or ''}".strip()
    if result.http_status is None and not result.ok:
        host = urlsplit(url).netloc
        for marker, words in UNREACHABLE:
            if marker.lower() in said.lower():
                return f"unreachable: {words.format(host=host)}"
    return said


def _fetch(fetcher: Any, url: str, kind: str, report: CheckReport) -> Any | None:
    """Fetch a page, reporting the outcome; None (and a fetch error) when it failed."""
    result = fetcher.fetch(url, kind=kind)
    size = len(result.body) if result.body is not None else 0
    outcome = result.outcome if result.ok else _outcome(result, url)
    report.say(f"{kind} page  {url}  →  {result.http_status} {outcome}, {size} bytes, {result.encoding}")
    if not result.ok:
        detail = f" ({result.outcome}: {result.error})" if outcome.startswith("unreachable") else ""
        report.fetch_error = f"{kind} page {url}: {outcome}{detail}"
        return None
    return result


def check_list(config: SourceConfig, fetcher: Any, report: CheckReport) -> list[str]:
    """Report the link selector on the first list page (and its layout pages); the article links."""
    url = next(config.list.page_urls())
    result = _fetch(fetcher, url, "list", report)
    if result is None:
        return []
    links = _report_links(config, result, url, report)
    if links.articles or not links.follow:
        report.check(
            bool(links.articles),
            "links",
            f"{config.links.selector} + href_pattern",
            f"{len(links.articles)} article links" + (f", first {links.articles[0]}" if links.articles else ""),
            url,
        )
        return links.articles
    report.note("list.follow", config.list.follow.pattern, f"{len(links.follow)} layout pages, first {links.follow[0]}")
    for follow in links.follow[:MAX_FOLLOW_PAGES]:
        page = _fetch(fetcher, follow, "list", report)
        if page is None:
            return []
        found = _report_links(config, page, follow, report)
        if found.articles:
            report.check(
                True,
                "links",
                f"{config.links.selector} + href_pattern",
                f"{len(found.articles)} article links, first {found.articles[0]}",
            )
            return found.articles
    report.check(
        False, "links", f"{config.links.selector} + href_pattern", "0 article links", f"{url} and its layout pages"
    )
    return []


def _report_links(config: SourceConfig, result: Any, url: str, report: CheckReport):
    """Count what the link selector picks on one page; the extracted links."""
    doc = PageDoc(result.text)
    picked = doc.select(config.links.selector)
    report.note("links.selector", str(config.links.selector), f"{len(picked)} elements")
    links = extract_links(result.text, result.final_url or url, config)
    if config.links.href_pattern is not None:
        report.note("links.href_pattern", config.links.href_pattern.pattern, f"{len(links.articles)} match")
    return links


def _selector_findings(
    report: CheckReport, doc: PageDoc, key: str, selectors: tuple[Selector, ...], url: str, required: bool
) -> bool:
    """One line per selector of a list; True when any found something (FAIL if required and none)."""
    any_found = False
    for i, selector in enumerate(selectors):
        values = doc.values(selector)
        any_found = any_found or bool(values)
        found = f"{len(values)} found" + (f", first: {_short(values[0])}" if values else "")
        report.note(f"{key}[{i}]", str(selector), found)
    if required:
        report.check(any_found, key, "any of the above", "found" if any_found else "nothing", url)
    return any_found


def check_article(config: SourceConfig, fetcher: Any, url: str, report: CheckReport) -> None:
    """Report every article selector and date rule on one article page, then the parsed articles."""
    result = _fetch(fetcher, url, "article", report)
    if result is None:
        return
    html, _codec = decode(result.body, result.headers, result.encoding, config.encoding)
    rules = config.article
    doc = PageDoc(html, rules.region)
    doc.drop(rules.drop)
    found = (
        generic.extract(PageDoc(html).soups[0], result.final_url or url)
        if not (rules.title and rules.published and rules.body)
        else None
    )
    if rules.title:
        _selector_findings(report, doc, "article.title", rules.title, url, required=True)
    else:
        _generic_finding(report, "article.title", found.title, url)
    if rules.published:
        _report_dates(report, doc, config, url)
    else:
        _generic_finding(report, "article.published", str(found.published) if found.published else None, url)
    _selector_findings(report, doc, "article.byline", rules.byline, url, required=False)
    _selector_findings(report, doc, "article.outlet", rules.outlet, url, required=False)
    if rules.body:
        _selector_findings(report, doc, "article.body", rules.body, url, required=True)
    else:
        _generic_finding(report, "article.body", found.body, url)
    if rules.split is not None:
        boxes = doc.select(rules.split.container)
        fallback = " (the page text will be split at headlines)" if not boxes and rules.split.fallback else ""
        report.note("article.split.container", str(rules.split.container), f"{len(boxes)} articles{fallback}")
    _report_parsed(report, parse_page(result.body, result.final_url or url, config, result.headers, result.encoding))


def _generic_finding(report: CheckReport, key: str, value: str | None, url: str) -> None:
    """A part the source has no selectors for: what generic extraction read (nothing is a failure)."""
    report.check(bool(value), key, "no selectors: generic extraction", _short(value) if value else "nothing", url)


def _report_dates(report: CheckReport, doc: PageDoc, config: SourceConfig, url: str) -> None:
    """Each date rule alone, then whether any found a date."""
    for i, rule in enumerate(config.article.published):
        value, _ = find_published(doc, url, (rule,))
        report.note(f"article.published[{i}]", rule.describe(), str(value) if value else "nothing")
    value, _ = find_published(doc, url, config.article.published)
    report.check(
        value is not None, "article.published", "first rule that reads", str(value) if value else "no date", url
    )


def _report_parsed(report: CheckReport, page: Any) -> None:
    """The parsed page: encoding, title, date and each article with a body preview."""
    report.say(
        f"parsed: title {_short(page.title)!r}, published {page.published_at}, encoding {page.encoding}, "
        f"{len(page.articles)} article(s), read by {page.extracted_by}"
    )
    if page.extracted_by == "generic":
        report.say("  (the selectors found nothing: generic extraction read the page; the crawl does the same)")
    for art in page.articles:
        report.say(
            f"  [{art.position}] title: {_short(art.title)} | date: {art.published_date} | "
            f"byline: {art.byline} | outlet: {art.outlet}{' | fragment' if art.is_fragment else ''}"
        )
        report.say(f"      body: {_short(art.body, BODY_PREVIEW_CHARS)}")
    if not page.articles:
        report.failures.append("the page parsed into no article")
    for problem in page.problems:
        report.say(f"  problem: {problem}")


def check_source(config: SourceConfig, fetcher: Any) -> CheckReport:
    """Fetch one list page and one article of ``config`` and report every selector's finding."""
    report = CheckReport()
    report.say(f"source {config.name} ({config.title}) at {config.base_url}")
    articles = check_list(config, fetcher, report)
    if articles:
        check_article(config, fetcher, articles[0], report)
    return report


# -- parse-page: one saved page through the crawl's parser ------------------------------------


def generic_config(url: str = "", name: str = "page") -> SourceConfig:
    """A source with no article selectors: every page is read by generic extraction."""
    parts = urlsplit(url)
    base = (
        f"{parts.scheme}://{parts.netloc}/"
        if parts.scheme in ("http", "https") and parts.netloc
        else "http://localhost/"
    )
    return parse_source(
        {"name": name, "base_url": base, "list": {"start_urls": [base]}, "links": {"selector": "a"}}, f"{name}.yaml"
    )


def page_json(page: Any) -> dict[str, Any]:
    """A parsed page as parse-page prints it: title, date and body as the page shows them, then the articles."""
    stamp = lambda v: None if v is None else str(v)[:19]  # noqa: E731 - 2023-07-28 10:12:00 or 2023-07-28
    return {
        "title": page.display_title,
        "published": stamp(page.published_at),
        "body": page.display_body,
        "articles": [
            {
                "position": a.position,
                "title": a.title,
                "published": stamp(a.published_date),
                "byline": a.byline,
                "outlet": a.outlet,
                "is_fragment": a.is_fragment,
                "extracted_by": a.extracted_by,
                "body": a.body,
            }
            for a in page.articles
        ],
        "extracted_by": page.extracted_by,
        "encoding": page.encoding,
        "problems": list(page.problems),
    }
