"""Staging: a fetched, parsed and extracted page as rows of the warehouse tables.

Builds the batch that the gate validates and the loader loads: ``dict[table, DataFrame]``,
each frame with exactly its table's columns minus ``run_id``/``loaded_at``, keyed
deterministically (DESIGN.md, Keys) so the same page always gives the same rows.
Plain functions of typed values (the parser's ``ParsedPage``, the core's ``ArticleFacts``):
they are tested and reused by the crawl and reprocess flows alike.
"""

from __future__ import annotations

import hashlib
import math
import numbers
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from bulletins.core.facts import ArticleFacts, Indicator, Meeting, Participant
from bulletins.crawl.parse import ParsedArticle, ParsedPage, header
from warehouse.metrics import metric_key

COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "document_id",
        "source",
        "url",
        "fetched_at",
        "http_status",
        "etag",
        "last_modified",
        "content_hash",
        "content_type",
        "encoding",
        "title",
        "published_date",
        "published_at",
        "text",
        "parser_version",
    ),
    "articles": (
        "article_id",
        "document_id",
        "position",
        "title",
        "byline",
        "outlet",
        "published_date",
        "body",
        "is_fragment",
        "extracted_by",
    ),
    "meetings": (
        "meeting_id",
        "article_id",
        "document_id",
        "position",
        "name",
        "kind",
        "start_date",
        "end_date",
        "format",
        "evidence",
        "place",
    ),
    "meeting_participants": ("meeting_id", "position", "person", "title", "role"),
    "indicators": (
        "indicator_id",
        "article_id",
        "document_id",
        "position",
        "metric",
        "measure",
        "value",
        "unit",
        "period",
        "period_start",
        "period_end",
        "rank",
        "rank_scope",
        "target",
        "evidence",
        "place",
        "metric_key",
    ),
}

# The pandas type of each staged column that is not text (every other column is "string").
# DuckDB reads a typed frame as typed; an object column it *samples*, and a value unlike
# the sample (a 40-digit figure among small ones) failed the INSERT of the whole batch.
# Dates stay datetime.date objects (the parser and the core give them so, or None): pandas
# has no nullable date type that GX and DuckDB both read as a date.
COLUMN_TYPES: dict[str, str] = {
    "position": "Int64",
    "http_status": "Int64",
    "rank": "Int64",
    "value": "Float64",
    "target": "boolean",
    "is_fragment": "boolean",
    "fetched_at": "datetime64[us]",
    "published_at": "datetime64[us]",
    "published_date": "object",
    "start_date": "object",
    "end_date": "object",
    "period_start": "object",
    "period_end": "object",
}
TEXT_TYPE = "string"
INT64_RANGE = (-(2**63), 2**63 - 1)


class StagingError(ValueError):
    """A page's value that its column's type cannot hold (the page fails, not the batch)."""


@dataclass
class StagedPage:
    """The rows one page contributes, table by table."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in COLUMNS})


def document_id(url: str) -> str:
    """``sha1(url)[:16]``: the key of a page, the same on every run."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def article_date(page: ParsedPage, article: ParsedArticle) -> date | None:
    """An article's date: its own, else its page's (the one rule, for its row and the core's input)."""
    return article.published_date or page.published_date


def as_datetime(value: datetime | date | str | None) -> datetime | None:
    """A naive datetime from a datetime, a date (midnight) or an ISO string; else None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=None)
    except ValueError:
        return None


def document_row(
    *,
    url: str,
    source: str,
    fetched_at: datetime | date | str | None,
    http_status: int | None,
    headers: Mapping[str, str] | None,
    content_hash: str,
    parsed: ParsedPage,
    parser_version: str,
) -> dict[str, Any]:
    """The ``documents`` row of a parsed page."""
    published = parsed.published_at
    return {
        "document_id": document_id(url),
        "source": source,
        "url": url,
        "fetched_at": as_datetime(fetched_at),
        "http_status": http_status,
        "etag": header(headers, "ETag"),
        "last_modified": header(headers, "Last-Modified"),
        "content_hash": content_hash,
        "content_type": header(headers, "Content-Type"),
        "encoding": parsed.encoding,
        "title": parsed.title,
        "published_date": parsed.published_date,
        "published_at": as_datetime(published) if isinstance(published, datetime) else None,
        "text": parsed.text,
        "parser_version": parser_version,
    }


def article_rows(doc_id: str, parsed: ParsedPage) -> list[dict[str, Any]]:
    """One ``articles`` row per article of the page, in page order."""
    return [
        {
            "article_id": f"{doc_id}:{art.position}",
            "document_id": doc_id,
            "position": art.position,
            "title": art.title,
            "byline": art.byline,
            "outlet": art.outlet,
            "published_date": article_date(parsed, art),
            "body": art.body or "",
            "is_fragment": bool(art.is_fragment),
            "extracted_by": art.extracted_by or "selectors",
        }
        for art in parsed.articles
    ]


def meeting_rows(doc_id: str, article_id: str, meetings: Sequence[Meeting]) -> tuple[list[dict], list[dict]]:
    """``meetings`` and ``meeting_participants`` rows of one article's meetings."""
    meeting_out, people_out = [], []
    for pos, meeting in enumerate(meetings):
        meeting_id = f"{article_id}:m{pos}"
        meeting_out.append(
            {
                "meeting_id": meeting_id,
                "article_id": article_id,
                "document_id": doc_id,
                "position": pos,
                "name": meeting.name,
                "kind": meeting.kind,
                "start_date": meeting.start_date,
                "end_date": meeting.end_date,
                "format": meeting.format,
                "evidence": meeting.evidence,
                "place": meeting.place,
            }
        )
        people_out.extend(participant_rows(meeting_id, meeting.participants))
    return meeting_out, people_out


def participant_rows(meeting_id: str, participants: Sequence[Participant]) -> list[dict]:
    """Participants in order of first mention, once each (the table's key is the person)."""
    rows, seen = [], set()
    for person in participants:
        if not person.name or person.name in seen:
            continue
        seen.add(person.name)
        rows.append(
            {
                "meeting_id": meeting_id,
                "position": len(rows),
                "person": person.name,
                "title": person.title,
                "role": person.role,
            }
        )
    return rows


def indicator_rows(doc_id: str, article_id: str, indicators: Sequence[Indicator]) -> list[dict]:
    """``indicators`` rows of one article, the period as the contract writes it and as its first and last day."""
    rows = []
    for pos, ind in enumerate(indicators):
        period = ind.period
        rows.append(
            {
                "indicator_id": f"{article_id}:i{pos}",
                "article_id": article_id,
                "document_id": doc_id,
                "position": pos,
                "metric": ind.metric,
                "measure": ind.measure,
                "value": ind.value,
                "unit": ind.unit,
                "period": str(period) if period is not None else None,
                "period_start": period.first_day if period is not None else None,
                "period_end": period.last_day if period is not None else None,
                "rank": ind.rank,
                "rank_scope": ind.rank_scope,
                "target": ind.target,
                "evidence": ind.evidence,
                "place": ind.place,
                "metric_key": metric_key(ind.metric),
            }
        )
    return rows


def column_type(column: str) -> str:
    """The pandas type a staged column is built with."""
    return COLUMN_TYPES.get(column, TEXT_TYPE)


def _as_float(value: Any) -> float:
    """A number as a float; an int too large for one is ±inf (the gate's range rule quarantines it)."""
    try:
        return float(value)
    except OverflowError:
        return math.copysign(math.inf, value)


def typed_cell(table: str, column: str, value: Any) -> Any:
    """``value`` as its column's type holds it; StagingError when it cannot be held."""
    if value is None or (isinstance(value, float) and math.isnan(value) and column_type(column) != "Float64"):
        return None
    kind = column_type(column)
    if kind == "Int64":
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise StagingError(f"{table}.{column}: {value!r} is not a whole number")
        if not INT64_RANGE[0] <= int(value) <= INT64_RANGE[1]:
            raise StagingError(f"{table}.{column}: {value} is beyond a 64-bit integer")
        return int(value)
    if kind == "Float64":
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise StagingError(f"{table}.{column}: {value!r} is not a number")
        return _as_float(value)
    if kind == "boolean":
        if not isinstance(value, (bool, np.bool_)):
            raise StagingError(f"{table}.{column}: {value!r} is not true or false")
        return bool(value)
    if kind.startswith("datetime64"):
        if not isinstance(value, datetime):
            raise StagingError(f"{table}.{column}: {value!r} is not a timestamp")
        return value
    if kind == "object":
        if not isinstance(value, date):
            raise StagingError(f"{table}.{column}: {value!r} is not a date")
        return value
    return value if isinstance(value, str) else str(value)


def typed_rows(table: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every cell of the rows as its column's type holds it (StagingError names the first that cannot)."""
    return [{column: typed_cell(table, column, row.get(column)) for column in COLUMNS[table]} for row in rows]


def stage_page(document: dict[str, Any], parsed: ParsedPage, facts: Sequence[ArticleFacts]) -> StagedPage:
    """All rows of one page: its document, articles, and each article's facts."""
    staged = StagedPage()
    doc_id = document["document_id"]
    staged.rows["documents"].append(document)
    articles = article_rows(doc_id, parsed)
    staged.rows["articles"].extend(articles)
    known_positions = {a["position"] for a in articles}
    for art_facts in facts:
        position = art_facts.position
        if position not in known_positions:
            raise ValueError(
                f"extraction returned facts for article {position}, but the page has articles {sorted(known_positions)}"
            )
        article_id = f"{doc_id}:{position}"
        meetings, people = meeting_rows(doc_id, article_id, art_facts.meetings)
        staged.rows["meetings"].extend(meetings)
        staged.rows["meeting_participants"].extend(people)
        staged.rows["indicators"].extend(indicator_rows(doc_id, article_id, art_facts.indicators))
    # Checked here, per page: a value no column type can hold fails this page, never the batch.
    staged.rows = {table: typed_rows(table, rows) for table, rows in staged.rows.items()}
    return staged


def to_batch(pages: list[StagedPage]) -> dict[str, pd.DataFrame]:
    """The batch of many pages: one frame per table, exactly the table's columns."""
    batch = {}
    for table, columns in COLUMNS.items():
        rows = [row for page in pages for row in page.rows[table]]
        batch[table] = pd.DataFrame(
            {column: typed_column([row.get(column) for row in rows], column_type(column)) for column in columns},
            columns=list(columns),
        )
    return batch


def typed_column(values: list[Any], kind: str) -> pd.Series:
    """One staged column of the given type; None is the type's missing value (NA, NaT, None)."""
    if kind == "object":
        return pd.Series(values, dtype=object)
    if kind.startswith("datetime64"):
        return pd.Series(values, dtype=kind)  # [us]: any year 1-9999 (ns would end in 2262)
    return pd.Series(pd.array(values, dtype=kind))


def batch_counts(batch: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Rows per table of a batch."""
    return {table: int(len(frame)) for table, frame in batch.items()}
