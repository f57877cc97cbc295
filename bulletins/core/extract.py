"""One page in, its meetings and indicators out: the pure extraction entry points.

``extract_document`` takes what ``bulletins extract --jsonl`` reads (text or HTML) and
gives the contract's JSON; ``extract_page`` takes articles a crawler already parsed and
gives typed values (``core/facts.py``). Both read one page-wide context (the publication
date, the year the page speaks of) so a date written without a year in one article
resolves like the rest of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from bulletins.core import dates, meetings, places
from bulletins.core.budget import check as check_budget
from bulletins.core.context import DocContext
from bulletins.core.facts import ArticleFacts, Indicator, Meeting, to_json
from bulletins.core.html import html_to_text, looks_like_html
from bulletins.core.normalise import normalise_text, to_simplified, unify_width
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
class _Found:
    """One article's facts while the page is read: the rules' dicts, which the place pass
    (``places.assign_places``) completes before they become typed values."""

    position: int
    meetings: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)

    def typed(self) -> ArticleFacts:
        """The article's facts as the values the core yields."""
        return ArticleFacts(
            self.position,
            tuple(_meeting(m, self.position) for m in self.meetings),
            tuple(_indicator(i, self.position) for i in self.indicators),
        )


def _meeting(found: dict, article: int) -> Meeting:
    """A meeting the rules found (``meetings.find_meetings``), its place set, as a value (the
    dict's keys are the value's fields: one more, or one misspelt, is a TypeError here)."""
    return Meeting(**found, article=article)


def _indicator(found: dict, article: int) -> Indicator:
    """A figure the rules found (``indicators.extract_indicators``), its place set, as a value."""
    return Indicator(**found, article=article)


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


def extract_page(
    articles: list[ArticleInput],
    published: date | None = None,
    url: str | None = None,
    place: str | None = None,
    whole_text: str | None = None,
) -> list[ArticleFacts]:
    """Meetings and indicators of every article on a page, dates and places resolved page-wide.

    ``place`` is the document's place when its source says it (长沙市); else the articles
    tell, else ``whole_text`` (the page with the dateline and outlet the article split drops:
    芜湖日报讯), else the host of ``url`` (www.zhuzhou.gov.cn); dates come from the text alone.
    """
    ctx = page_context(articles, published)
    out = []
    previous = None  # the last meeting's date: 当天下午 in the next article refers to it
    for position, article in enumerate(articles):
        check_budget(f"article {position}")  # the page's time limit, if one is set (core/budget.py)
        found = _Found(position, meetings.find_meetings(article.title, article.body, ctx, previous))
        previous = next((m["start_date"] for m in reversed(found.meetings) if m["start_date"]), previous)
        text = f"{article.title}\n{article.body}" if article.title else article.body
        found.indicators = _indicators(text, ctx)
        out.append(found)
    places.assign_places(articles, out, ctx.page_text, place, whole_text, url)
    return [found.typed() for found in out]


def _plain(text: str) -> str:
    """A page's text, HTML reduced to text."""
    return html_to_text(text) if looks_like_html(text) else text


def _split(text: str) -> list[ArticleInput]:
    """Normalised text split into articles."""
    return [ArticleInput(a.title, a.body) for a in split_articles(text)]


# The page chrome the normaliser drops can name the outlet (来源:醴陵市融媒体中心, at the top or
# the foot of the page): the place pass reads this much of each end of the page as well
# (placed first in the whole text it is given, see places.assign_places).
CHROME_EDGE = 300


def extract_document(text: str, url: str | None = None, published=None, place: str | None = None) -> dict:
    """What ``bulletins extract --jsonl`` writes for one document: meetings and indicators as
    the contract's JSON (``facts.to_json``, the one conversion).

    ``place`` names the document's place (长沙市) where the caller knows it; else the whole
    text tells, its dateline and outlet included (which the article split drops)."""
    plain = _plain(text)
    normalised = normalise_text(plain)
    edges = to_simplified(unify_width(plain[:CHROME_EDGE] + "\n" + plain[-CHROME_EDGE:]))
    return to_json(extract_page(_split(normalised), parse_published(published), url, place, f"{edges}\n{normalised}"))
