"""The crawler's memory in the warehouse: runs, the fetch log, links, and recorded errors.

``runs`` says what each run did; ``fetch_log`` holds every HTTP request; ``links`` every URL
discovered on a list page and what became of it (pending and failed ones are tried again
next run, up to ``MAX_ATTEMPTS``); ``crawl_errors`` every page a stage could not handle.
Appends are inserts with parameters when small (a crawl's log as it goes), from DataFrames when large.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any, Iterable, Iterator

import duckdb
import pandas as pd

from warehouse.db import run
from warehouse.load import now_utc
from warehouse.publish import PublishFailed, publish

log = logging.getLogger(__name__)

# Set by a daily run around its sources' crawls: fifty sources ending together would each
# checkpoint and copy the warehouse for their own row; the daily run's end publishes them all
# at once (their loads are published by the run's writer after each round, as they land).
RUN_ROWS_HELD: ContextVar[bool] = ContextVar("run_rows_held", default=False)


@contextmanager
def run_rows_held() -> Iterator[None]:
    """Inside: a run's finished row is committed but not published (the caller publishes after)."""
    token = RUN_ROWS_HELD.set(True)
    try:
        yield
    finally:
        RUN_ROWS_HELD.reset(token)


# A link that failed this many times is left alone until an operator resets it.
MAX_ATTEMPTS = 5

FETCH_LOG_COLUMNS = (
    "run_id",
    "seq",
    "source",
    "url",
    "kind",
    "requested_at",
    "http_status",
    "outcome",
    "attempts",
    "bytes",
    "elapsed_ms",
    "content_hash",
    "error",
)
ERROR_COLUMNS = ("run_id", "seq", "source", "url", "stage", "error", "occurred_at")


def _frame(rows: list[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    """Rows as a DataFrame with exactly ``columns`` (missing ones NULL), object-typed."""
    return pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=list(columns), dtype=object)


# Up to this many rows an append is one INSERT … VALUES with parameters; more, a registered
# DataFrame. A crawl writes its log as it goes, a few rows a second from each of fifty
# sources: for two rows, VALUES costs 1.4 ms against 3.5 ms (DataFrame built, registered,
# scanned, unregistered), but VALUES grows by 0.15 ms a row, where a frame barely grows.
VALUES_ROWS = 20


def _append(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], columns: tuple[str, ...]) -> int:
    """Insert ``rows`` (dicts; a missing column is NULL) into ``table``'s ``columns``."""
    if not rows:
        return 0
    cols = ", ".join(columns)
    if len(rows) <= VALUES_ROWS:
        one = "(" + ", ".join("?" * len(columns)) + ")"
        values = [row.get(c) for row in rows for c in columns]
        run(con, f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * len(rows))}", values)
        return len(rows)
    con.register("state_stage", _frame(rows, columns))
    try:
        run(con, f"INSERT INTO {table} ({cols}) SELECT {cols} FROM state_stage")
    finally:
        con.unregister("state_stage")
    return len(rows)


# ---- runs -------------------------------------------------------------------------------


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, flow: str, source: str | None) -> None:
    """Record a run as started (a rerun of the same id starts it afresh)."""
    run(
        con,
        "INSERT OR REPLACE INTO runs (run_id, flow, source, started_at, status) VALUES (?, ?, ?, ?, 'running')",
        [run_id, flow, source, now_utc()],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    summary: dict[str, Any] | None = None,
    message: str | None = None,
) -> None:
    """Record a run's end, its status and its summary (a publication a full disk refuses does not undo it)."""
    run(
        con,
        "UPDATE runs SET finished_at = ?, status = ?, summary = ?, message = ? WHERE run_id = ?",
        [now_utc(), status, json.dumps(summary or {}, ensure_ascii=False, default=str), message, run_id],
    )
    if RUN_ROWS_HELD.get():  # a daily run's source: the daily's own end publishes every source's row
        return
    try:
        publish(con)  # the run's last writes (its row, requests, link states) reach the analysts' copy
    except PublishFailed as exc:  # the row is committed; the analysts' copy catches up at the next publication
        log.warning("run %s recorded %s, not published: %s", run_id, status, exc)


def mark_crashed(con: duckdb.DuckDBPyConnection, run_id: str, message: str) -> None:
    """Record that a run died before it could finish."""
    run(
        con,
        "UPDATE runs SET finished_at = ?, status = 'crashed', message = ? WHERE run_id = ?",
        [now_utc(), message, run_id],
    )
    publish(con)


def mark_abandoned(con: duckdb.DuckDBPyConnection, flow: str, source: str | None) -> int:
    """Mark runs of this flow and source still 'running' as crashed; return how many.

    Only one writer holds the warehouse at a time, so a run found running when the same
    flow starts again is one whose process died.
    """
    rows = con.execute(
        "UPDATE runs SET status = 'crashed', finished_at = ?, "
        "message = 'found still running when the next run started' "
        "WHERE status = 'running' AND flow = ? AND source IS NOT DISTINCT FROM ? RETURNING run_id",
        [now_utc(), flow, source],
    ).fetchall()
    return len(rows)


# ---- fetch log and errors -----------------------------------------------------------------


def _as_dict(entry: Any) -> dict:
    """A log entry (dataclass, namedtuple, object or dict) as a dict."""
    if isinstance(entry, dict):
        return dict(entry)
    if dataclasses.is_dataclass(entry):
        return dataclasses.asdict(entry)
    if hasattr(entry, "_asdict"):
        return entry._asdict()
    return dict(vars(entry))


def append_fetch_log(
    con: duckdb.DuckDBPyConnection, run_id: str, source: str, entries: Iterable[Any], first_seq: int = 1
) -> int:
    """Append request log entries, numbered from ``first_seq`` in the order given."""
    rows = []
    for seq, entry in enumerate(entries, start=first_seq):
        row = _as_dict(entry)
        row.update(run_id=run_id, seq=seq, source=row.get("source") or source)
        row["attempts"] = row.get("attempts") or 1
        rows.append(row)
    return _append(con, "fetch_log", rows, FETCH_LOG_COLUMNS)


def next_seq(con: duckdb.DuckDBPyConnection, table: str, run_id: str) -> int:
    """The next free ``seq`` of a run in ``fetch_log`` or ``crawl_errors``."""
    return run(con, f"SELECT coalesce(max(seq), 0) + 1 FROM {table} WHERE run_id = ?", [run_id])[0][0]


def append_errors(con: duckdb.DuckDBPyConnection, run_id: str, errors: list[dict], first_seq: int | None = None) -> int:
    """Append recorded errors (dicts with source, url, stage, error), numbered from ``first_seq``
    (default: after the run's last)."""
    if not errors:
        return 0
    start = next_seq(con, "crawl_errors", run_id) if first_seq is None else first_seq
    stamp = now_utc()
    rows = [
        dict(err, run_id=run_id, seq=start + i, occurred_at=err.get("occurred_at") or stamp)
        for i, err in enumerate(errors)
    ]
    return _append(con, "crawl_errors", rows, ERROR_COLUMNS)


# ---- links -------------------------------------------------------------------------------


def known_urls(con: duckdb.DuckDBPyConnection, source: str) -> set[str]:
    """Every URL of the source ever discovered, whatever its state."""
    return {r[0] for r in con.execute("SELECT url FROM links WHERE source = ?", [source]).fetchall()}


def urls_to_retry(con: duckdb.DuckDBPyConnection, source: str, max_attempts: int = MAX_ATTEMPTS) -> list[str]:
    """Links discovered earlier but not yet fetched, or failed fewer than ``max_attempts`` times."""
    rows = con.execute(
        "SELECT url FROM links WHERE source = ? AND state IN ('pending', 'failed') AND attempts < ? "
        "ORDER BY first_seen_at, url",
        [source, max_attempts],
    ).fetchall()
    return [r[0] for r in rows]


def links_to_fetch(
    con: duckdb.DuckDBPyConnection, source: str, max_new: int | None, max_attempts: int = MAX_ATTEMPTS
) -> list[str]:
    """Links to fetch this run: at most ``max_new`` never-tried ones, oldest discovered first, then failed ones.

    Never-tried links beyond the cap stay pending for the next runs (a list page of 100,000
    links is fetched over many runs, each bounded). Failed links are retried outside the
    cap: each was once a capped new link, and ``max_attempts`` bounds them.
    """
    limit = "" if max_new is None else f"LIMIT {int(max_new)}"
    pending = con.execute(
        f"SELECT url FROM links WHERE source = ? AND state = 'pending' ORDER BY first_seen_at, url {limit}", [source]
    ).fetchall()
    failed = con.execute(
        "SELECT url FROM links WHERE source = ? AND state = 'failed' AND attempts < ? ORDER BY first_seen_at, url",
        [source, max_attempts],
    ).fetchall()
    return [r[0] for r in pending] + [r[0] for r in failed]


def urls_to_recheck(con: duckdb.DuckDBPyConnection, source: str, within_days: int) -> list[str]:
    """Fetched links whose documents were fetched in the last ``within_days`` days."""
    if within_days <= 0:
        return []
    rows = con.execute(
        "SELECT l.url FROM links l JOIN documents d ON d.url = l.url "
        "WHERE l.source = ? AND l.state = 'fetched' "
        "AND d.fetched_at >= ? - to_days(CAST(? AS INTEGER)) ORDER BY l.url",
        [source, now_utc(), within_days],
    ).fetchall()
    return [r[0] for r in rows]


def add_links(con: duckdb.DuckDBPyConnection, source: str, urls: list[str], seen_at: datetime | None = None) -> int:
    """Record newly discovered URLs as pending (known ones are left as they are).

    Each link's first_seen_at is one microsecond after the previous one's, so that "oldest
    first" among the links of one run is the order discovery found them in (site order).
    """
    if not urls:
        return 0
    unique = list(dict.fromkeys(urls))
    start = seen_at or now_utc()
    frame = pd.DataFrame(
        {
            "url": pd.Series(unique, dtype=object),
            "seen": pd.Series([start + timedelta(microseconds=i) for i in range(len(unique))], dtype="datetime64[us]"),
        }
    )
    con.register("new_links", frame)
    try:
        added = run(
            con,
            "INSERT INTO links (source, url, first_seen_at, state, attempts) "
            "SELECT ?, url, seen, 'pending', 0 FROM new_links ON CONFLICT DO NOTHING RETURNING url",
            [source],
        )
    finally:
        con.unregister("new_links")
    return len(added)


def record_link_outcomes(con: duckdb.DuckDBPyConnection, source: str, outcomes: list[dict]) -> int:
    """Update links after fetching: dicts with url, state (fetched|failed|gone), error.

    Every try adds one attempt (so a link failing again and again is given up on after
    ``MAX_ATTEMPTS``); the last error is kept, cleared by a success. Unknown URLs are added.
    """
    if not outcomes:
        return 0
    stamp = now_utc()
    frame = _frame([dict(o, source=source) for o in outcomes], ("source", "url", "state", "error"))
    con.register("link_outcomes", frame)
    try:
        run(
            con,
            "INSERT INTO links (source, url, first_seen_at, last_try_at, state, attempts, last_error) "
            "SELECT source, url, ?, ?, state, 1, error "
            "FROM link_outcomes "
            "ON CONFLICT (source, url) DO UPDATE SET last_try_at = excluded.last_try_at, "
            "state = excluded.state, last_error = excluded.last_error, "
            "attempts = links.attempts + 1",
            [stamp, stamp],
        )
    finally:
        con.unregister("link_outcomes")
    return len(frame)


def document_validators(con: duckdb.DuckDBPyConnection, urls: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """The stored ``(etag, last_modified)`` of each URL that has a document."""
    if not urls:
        return {}
    con.register("wanted_urls", pd.DataFrame({"url": pd.Series(urls, dtype=object)}))
    try:
        rows = con.execute(
            "SELECT d.url, d.etag, d.last_modified FROM documents d JOIN wanted_urls w ON w.url = d.url"
        ).fetchall()
    finally:
        con.unregister("wanted_urls")
    return {url: (etag, lm) for url, etag, lm in rows}
