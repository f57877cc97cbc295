"""One page through parse → extract → stage, every failure recorded on the run's ledger.

The same steps serve the crawl (each step a Prefect task run, see ``flows.common``) and
the reprocess (plain calls, in this process or a worker's): the step functions are
passed in, the bookkeeping is here once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from bulletins import settings
from bulletins.core.budget import time_limit
from bulletins.core.extract import ArticleInput, extract_page
from bulletins.core.facts import ArticleFacts
from bulletins.crawl.parse import PARSER_VERSION, ParsedPage, parse_page
from bulletins.crawl.sources import SourceConfig
from bulletins.pipeline.ledger import RunLedger
from bulletins.pipeline.stage import article_date, document_row, stage_page

# Problems meaning a template selector found nothing on the page (the date is not one: many
# pages carry it only in the text, and parse.py says so as 'article.published: ...').
CONTENT_SELECTOR_PROBLEMS = ("article.title:", "article.body:", "article.split.container")


def article_inputs(parsed: ParsedPage) -> list[ArticleInput]:
    """The core's input for each article of a parsed page, in page order."""
    return [
        ArticleInput(title=a.title or "", body=a.body or "", published=article_date(parsed, a)) for a in parsed.articles
    ]


def page_facts(
    parsed: ParsedPage, url: str, place: str | None = None, seconds: float | None = None
) -> list[ArticleFacts]:
    """Meetings and indicators of every article on the page (``ArticleFacts`` per article).

    ``place`` is the source's (``place:`` in its file), what the page's 全市/我市 mean. Bounded
    by ``seconds`` (default ``settings.extract_seconds()``): past it the core raises
    ``PageTooSlow``, which ``process_page`` records as the page's extract error.
    """
    with time_limit(settings.extract_seconds() if seconds is None else seconds):
        return extract_page(article_inputs(parsed), parsed.published_date, url, place)


def has_content(parsed: ParsedPage) -> bool:
    """True when the source's selectors found a title and a body on the page."""
    body = any((a.body or "").strip() for a in parsed.articles)
    return body and not any(p.startswith(CONTENT_SELECTOR_PROBLEMS) for p in parsed.problems)


def parser_version(parsed: ParsedPage) -> str:
    """The version of the parser that read the page (recorded on each document)."""
    return str(parsed.parser_version or PARSER_VERSION)


def process_page(
    ledger: RunLedger,
    *,
    url: str,
    raw: bytes,
    config: SourceConfig,
    headers: dict,
    encoding: str | None,
    fetched_at: datetime | str | None,
    http_status: int | None,
    content_hash: str,
    source: str,
    parse: Callable[..., ParsedPage] = parse_page,
    extract: Callable[..., list[ArticleFacts]] = page_facts,
) -> bool:
    """Parse, extract and stage one page; a failure is recorded and the run goes on.

    A page that parses but fails extraction still loads its document and articles (the
    facts are retried when the link is retried, or by reprocess): nothing is lost.
    """
    try:
        parsed = parse(raw, url, config, headers, encoding)
    except Exception as exc:  # noqa: BLE001 - a bad page must not stop the run
        ledger.page_content(url, False)
        ledger.fail(url, "parse", exc)
        return False
    ledger.page_content(url, has_content(parsed))
    problems = "; ".join(parsed.problems)
    if not any((a.body or "").strip() for a in parsed.articles):
        ledger.fail(url, "parse", f"no article text on the page: {problems or 'every article body is empty'}")
        return False
    if problems:  # loaded all the same (a page without a date is still a page), but said
        ledger.error(url, "parse", problems)
    facts, extract_error = [], None
    try:
        facts = extract(parsed, url, config.place)
    except Exception as exc:  # noqa: BLE001
        extract_error = exc
    try:
        document = document_row(
            url=url,
            source=source,
            fetched_at=fetched_at,
            http_status=http_status,
            headers=headers,
            content_hash=content_hash,
            parsed=parsed,
            parser_version=parser_version(parsed),
        )
        ledger.stage(url, stage_page(document, parsed, facts))
    except Exception as exc:  # noqa: BLE001
        ledger.fail(url, "stage", exc)
        return False
    if extract_error is not None:
        ledger.fail(url, "extract", extract_error)
        return False
    ledger.link(url, "fetched")
    return True
