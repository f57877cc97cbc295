"""The facts the core yields, as typed values, and their one conversion to the contract's JSON.

``extract_page`` gives one ``ArticleFacts`` per article: ``Meeting``s with their
``Participant``s and dates, ``Indicator``s with their ``Period``. The pipeline stages these
values as they are; ``to_json`` writes them as ``../shared/spec/extraction.md`` says, for
``bulletins extract --jsonl`` (via ``extract_document``), and nowhere else.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

# Years a period's 'YYYY-MM' parts are written in: four digits, zero-padded. A period outside
# them (明年 on a page of 9999) has no days; year 0 (去年 on a page of year 1) is written but
# has no date either: its days raise ValueError, and staging fails that page, as it always did.
FOUR_DIGIT_YEARS = range(0, 10000)


@dataclass(frozen=True)
class Period:
    """The months a figure covers: 1-6月 of 2023 is Period(2023, 1, 2023, 6)."""

    start_year: int
    start_month: int
    end_year: int
    end_month: int

    def __str__(self) -> str:
        """The contract's form, always both ends: '2023-01/2023-06' (a single month: '2023-07/2023-07')."""
        # %-formatting: about twice as fast as the f-string's format specs, once per figure written
        return "%04d-%02d/%04d-%02d" % (self.start_year, self.start_month, self.end_year, self.end_month)

    @property
    def first_day(self) -> date | None:
        """The period's first day (2023-01-01 for 2023-01/2023-06); None when no date can be written."""
        return date(self.start_year, self.start_month, 1) if self._dated() else None

    @property
    def last_day(self) -> date | None:
        """The period's last day (2023-06-30 for 2023-01/2023-06); None when no date can be written."""
        if not self._dated():
            return None
        return date(self.end_year, self.end_month, calendar.monthrange(self.end_year, self.end_month)[1])

    def _dated(self) -> bool:
        """True when both ends are months of years written in four digits (what the warehouse dates)."""
        years = self.start_year in FOUR_DIGIT_YEARS and self.end_year in FOUR_DIGIT_YEARS
        return years and 1 <= self.start_month <= 12 and 1 <= self.end_month <= 12


@dataclass(frozen=True)
class Participant:
    """A named person the text ties to a meeting: chair, speaker, presenter or attendee."""

    name: str
    title: str | None
    role: str


@dataclass(frozen=True)
class Meeting:
    """A meeting the text reports as held, with the article it was read from and its place."""

    name: str
    kind: str | None
    start_date: date | None
    end_date: date | None
    format: str | None
    participants: tuple[Participant, ...]
    evidence: str
    article: int
    place: str | None = None
    place_code: str | None = None


@dataclass(frozen=True)
class Indicator:
    """A figure the text states as achieved or as a target, with the article it was read from."""

    metric: str
    measure: str
    value: int | float | None  # as read: 129 stays an int, 5.2 a float (the JSON writes them so)
    unit: str | None
    period: Period | None
    rank: int | None
    rank_scope: str | None
    target: bool
    evidence: str
    article: int
    place: str | None = None
    place_code: str | None = None


@dataclass(frozen=True)
class ArticleFacts:
    """What one article yielded: its position on the page, its meetings and indicators."""

    position: int
    meetings: tuple[Meeting, ...] = ()
    indicators: tuple[Indicator, ...] = ()


def _iso(day: date | None) -> str | None:
    """A date as the contract writes it."""
    return day.isoformat() if day is not None else None


def participant_json(person: Participant) -> dict[str, Any]:
    """A participant as the contract writes it."""
    return {"name": person.name, "title": person.title, "role": person.role}


def meeting_json(meeting: Meeting) -> dict[str, Any]:
    """A meeting as the contract writes it (the keys in this order, as the scorer has always read them)."""
    return {
        "name": meeting.name,
        "kind": meeting.kind,
        "start_date": _iso(meeting.start_date),
        "end_date": _iso(meeting.end_date),
        "format": meeting.format,
        "participants": [participant_json(p) for p in meeting.participants],
        "evidence": meeting.evidence,
        "article": meeting.article,
        "place": meeting.place,
        "place_code": meeting.place_code,
    }


def indicator_json(item: Indicator) -> dict[str, Any]:
    """An indicator as the contract writes it."""
    return {
        "metric": item.metric,
        "measure": item.measure,
        "value": item.value,
        "unit": item.unit,
        "period": str(item.period) if item.period is not None else None,
        "rank": item.rank,
        "rank_scope": item.rank_scope,
        "target": item.target,
        "evidence": item.evidence,
        "article": item.article,
        "place": item.place,
        "place_code": item.place_code,
    }


def to_json(facts: Iterable[ArticleFacts]) -> dict[str, list[dict[str, Any]]]:
    """A page's facts as the contract's result: every meeting, then every indicator, in page order."""
    facts = list(facts)
    return {
        "meetings": [meeting_json(m) for f in facts for m in f.meetings],
        "indicators": [indicator_json(i) for f in facts for i in f.indicators],
    }
