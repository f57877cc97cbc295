"""One page in, its meetings and indicators out: the pure extraction entry points.

``extract_document`` takes what ``bulletins extract --jsonl`` reads (text or HTML);
``extract_page`` takes articles a crawler already parsed. Both read one page-wide context
(the publication date, the year the page speaks of) so a date written without a year in
one article resolves like the rest of the page.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from bulletins.core import dates, meetings
from bulletins.core.budget import check as check_budget
from bulletins.core.context import DocContext
from bulletins.core.html import html_to_text, looks_like_html
from bulletins.core.normalise import normalise_text
from bulletins.core.split import split_articles

# No fallback: an extractor that cannot import its indicators part must fail loudly, not
# write pages with no indicators as if they had none.
from bulletins.core.indicators import extract_indicators


@dataclass(frozen=True)
class ArticleInput:
    """An article as a crawler parsed it."""

    title: str
    body: str
    published: date | None = None


@dataclass
class ArticleFacts:
    """What one article yielded: its position on the page, meetings, indicators."""

    position: int
    meetings: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)


def parse_published(value) -> date | None:
    """A ``published`` value (date, ISO string, or None) as a date; ValueError when malformed."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip()[:10])


def page_context(articles: list[ArticleInput], published: date | None) -> DocContext:
    """The page-wide context: published date, else the year the whole page speaks of."""
    published = published or next((a.published for a in articles if a.published), None)
    text = "\n".join(f"{a.title}\n{a.body}" for a in articles)
    return replace(dates.make_context(text, published), page_text=text)


def _indicators(body: str, ctx: DocContext) -> list[dict]:
    """Indicators of one article text, from the indicators extractor."""
    return extract_indicators(body, ctx)


def extract_page(articles: list[ArticleInput], published: date | None = None,
                 url: str | None = None) -> list[ArticleFacts]:
    """Meetings and indicators of every article on a page, dates resolved page-wide.

    ``url`` identifies the page in errors only; extraction reads the text alone.
    """
    ctx = page_context(articles, published)
    out = []
    previous = None  # the last meeting's date: 当天下午 in the next article refers to it
    for position, article in enumerate(articles):
        check_budget(f"article {position}")  # the page's time limit, if one is set (core/budget.py)
        facts = ArticleFacts(position)
        meeting = meetings.find_meeting(article.title, article.body, ctx, previous)
        if meeting:
            facts.meetings.append({**meeting, "article": position})
            previous = meeting["start_date"] or previous
        text = f"{article.title}\n{article.body}" if article.title else article.body
        for item in _indicators(text, ctx):
            facts.indicators.append({**item, "article": position})
        out.append(facts)
    return out


def document_articles(text: str) -> list[ArticleInput]:
    """A page's text (plain or HTML) normalised and split into articles."""
    if looks_like_html(text):
        text = html_to_text(text)
    return [ArticleInput(a.title, a.body) for a in split_articles(normalise_text(text))]


def extract_document(text: str, url: str | None = None, published=None) -> dict:
    """What ``bulletins extract --jsonl`` writes for one document: meetings and indicators."""
    facts = extract_page(document_articles(text), parse_published(published), url)
    return {
        "meetings": [m for f in facts for m in f.meetings],
        "indicators": [i for f in facts for i in f.indicators],
    }
