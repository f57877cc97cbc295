"""Staged batches for the quality tests: a small good batch, and ways to spoil one row of it.

Rows follow the staged-batch contract (docs/DESIGN.md): each frame has exactly its table's
columns minus ``run_id`` and ``loaded_at``, keys built as the core builds them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd


def document_id(url: str) -> str:
    """sha1(url)[:16], as the crawler keys documents."""
    return hashlib.sha1(url.encode()).hexdigest()[:16]


def _document(source: str, n: int, published: dt.date) -> dict:
    """One fetched page."""
    url = f"http://127.0.0.1/{source}/{n}.html"
    return {
        "document_id": document_id(url),
        "source": source,
        "url": url,
        "fetched_at": dt.datetime(2023, 8, 1, 8, 0),
        "http_status": 200,
        "etag": None,
        "last_modified": None,
        "content_hash": hashlib.sha256(url.encode()).hexdigest(),
        "content_type": "text/html",
        "encoding": "utf-8",
        "title": f"衡阳要闻 {n}",
        "published_date": published,
        "published_at": None,
        "text": "衡阳市政府召开2023年第二次全体会议。1-6月,衡阳规模工业增加值增长5.2%。",
        "parser_version": "1",
    }


def _article(doc_id: str) -> dict:
    """The page's single article."""
    return {
        "article_id": f"{doc_id}:0",
        "document_id": doc_id,
        "position": 0,
        "title": "全体会议",
        "byline": "衡阳晚报讯",
        "outlet": "衡阳晚报",
        "published_date": dt.date(2023, 7, 28),
        "body": "7月28日,衡阳市政府召开2023年第二次全体会议。",
        "is_fragment": False,
        "extracted_by": "selectors",
    }


def _meeting(doc_id: str) -> dict:
    """A one-day meeting."""
    return {
        "meeting_id": f"{doc_id}:0:m0",
        "article_id": f"{doc_id}:0",
        "document_id": doc_id,
        "position": 0,
        "name": "衡阳市政府2023年第二次全体会议",
        "kind": "全体会议",
        "start_date": dt.date(2023, 7, 28),
        "end_date": dt.date(2023, 7, 28),
        "format": None,
        "evidence": "7月28日,衡阳市政府召开2023年第二次全体会议。",
        "place": "衡阳市",
    }


def _participants(doc_id: str) -> list[dict]:
    """A chair and an attendee."""
    meeting = f"{doc_id}:0:m0"
    return [
        {"meeting_id": meeting, "position": 0, "person": "朱健", "title": "市委副书记、市长", "role": "chair"},
        {"meeting_id": meeting, "position": 1, "person": "刘越高", "title": "市领导", "role": "attendee"},
    ]


def _indicators(doc_id: str) -> list[dict]:
    """A growth rate and a level."""
    base = {
        "article_id": f"{doc_id}:0",
        "document_id": doc_id,
        "period": "2023-01/2023-06",
        "period_start": dt.date(2023, 1, 1),
        "period_end": dt.date(2023, 6, 30),
        "rank": None,
        "rank_scope": None,
        "target": False,
        "place": "衡阳市",
    }
    return [
        {
            **base,
            "indicator_id": f"{doc_id}:0:i0",
            "position": 0,
            "metric": "规模工业增加值",
            "measure": "change",
            "value": 5.2,
            "unit": "%",
            "rank": 1,
            "rank_scope": "全省",
            "evidence": "1-6月,衡阳规模工业增加值增长5.2%(排全省第1)",
            "metric_key": "industry_va_above_scale",
        },
        {
            **base,
            "indicator_id": f"{doc_id}:0:i1",
            "position": 1,
            "metric": "地方收入",
            "measure": "level",
            "value": 104.9,
            "unit": "亿元",
            "evidence": "地方收入104.9亿元",
            "metric_key": "general_budget_revenue",
        },
    ]


def good_batch(sources: dict[str, int] | None = None) -> dict[str, pd.DataFrame]:
    """A batch every suite passes: ``sources`` maps a source to its number of documents."""
    rows: dict[str, list[dict]] = {
        t: [] for t in ("documents", "articles", "meetings", "meeting_participants", "indicators")
    }
    for source, count in (sources or {"hengyang": 2}).items():
        for n in range(count):
            doc = _document(source, n, dt.date(2023, 7, 28))
            rows["documents"].append(doc)
            rows["articles"].append(_article(doc["document_id"]))
            rows["meetings"].append(_meeting(doc["document_id"]))
            rows["meeting_participants"] += _participants(doc["document_id"])
            rows["indicators"] += _indicators(doc["document_id"])
    return {table: pd.DataFrame(items) for table, items in rows.items()}
