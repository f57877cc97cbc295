"""A run's request log, errors and link states, written as the crawl goes (``flows.common.write_ledger``).

A real DuckDB file. Every request is kept once, numbered 1, 2, 3 … in the order made,
however many writes it took, and a rerun of a run id goes on after its first attempt's rows;
a small write (parameters) and a large one (a registered frame) store the same values.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bulletins.crawl.fetcher import FetchLogEntry
from bulletins.pipeline.ledger import RunLedger
from flows.common import write_ledger
from warehouse import state
from warehouse.db import connect

STAMP = datetime(2024, 5, 6, 9, 30)


@pytest.fixture
def con(tmp_path):
    """A migrated warehouse file."""
    con = connect(tmp_path / "warehouse.duckdb")
    yield con
    con.close()


def request(n: int, error: str | None = None) -> FetchLogEntry:
    """The ``n``th request of a crawl of an invented site."""
    return FetchLogEntry(
        "eastvale",
        f"http://127.0.0.1/news/{n}.html",
        "article",
        STAMP + timedelta(seconds=n),
        200 if error is None else 503,
        "fetched" if error is None else "server_error",
        attempts=1,
        bytes=1000 + n,
        elapsed_ms=2.5 * n,
        content_hash=f"{n:064x}" if error is None else None,
        error=error,
    )


def logged(con, run_id: str) -> list[tuple]:
    """The run's fetch_log rows in seq order."""
    return con.execute(
        "SELECT seq, url, requested_at, http_status, outcome, attempts, bytes, elapsed_ms, content_hash, error "
        "FROM fetch_log WHERE run_id = ? ORDER BY seq",
        [run_id],
    ).fetchall()


def expected(entries: list[FetchLogEntry], first: int = 1) -> list[tuple]:
    """The rows ``entries`` should become, numbered from ``first``."""
    return [
        (first + i, e.url, e.requested_at, e.http_status, e.outcome, e.attempts, e.bytes, e.elapsed_ms)
        + (e.content_hash, e.error)
        for i, e in enumerate(entries)
    ]


def test_requests_written_as_the_crawl_goes_are_numbered_in_order_once(con):
    ledger = RunLedger("run-1", "eastvale")
    made = [request(n) for n in range(1, 8)]
    for n, entry in enumerate(made):
        ledger.fetch_log.append(entry)
        if n % 3 == 0:
            write_ledger(con, ledger)
    write_ledger(con, ledger)
    write_ledger(con, ledger)  # nothing new: nothing written twice
    assert logged(con, "run-1") == expected(made)


def test_a_rerun_of_a_run_id_goes_on_after_its_first_attempts_rows(con):
    first, again = RunLedger("run-1", "eastvale"), RunLedger("run-1", "eastvale")
    first.fetch_log += [request(1), request(2)]
    first.error("http://127.0.0.1/news/2.html", "parse", "no body found")
    write_ledger(con, first)
    again.fetch_log += [request(3)]
    again.error("http://127.0.0.1/news/3.html", "parse", "no title found")
    write_ledger(con, again)
    assert logged(con, "run-1") == expected([request(1), request(2), request(3)])
    errors = con.execute("SELECT seq, error FROM crawl_errors WHERE run_id = 'run-1' ORDER BY seq").fetchall()
    assert errors == [(1, "no body found"), (2, "no title found")]


def test_a_small_write_and_a_large_one_store_the_same_values(con):
    small = [request(n, error="HTTP 503" if n == 2 else None) for n in range(1, 3)]
    large = [request(n, error="HTTP 503" if n == 2 else None) for n in range(1, state.VALUES_ROWS + 6)]
    state.append_fetch_log(con, "run-small", "eastvale", small)
    state.append_fetch_log(con, "run-large", "eastvale", large)
    assert logged(con, "run-small") == expected(small)
    assert logged(con, "run-large")[:2] == logged(con, "run-small")
    assert logged(con, "run-large") == expected(large)


def test_settled_links_are_written_with_the_requests(con):
    ledger = RunLedger("run-1", "eastvale")
    state.add_links(con, "eastvale", ["http://127.0.0.1/news/1.html"])
    ledger.fetch_log.append(request(1))
    ledger.outcomes.append({"url": "http://127.0.0.1/news/1.html", "state": "gone", "error": "HTTP 404"})
    write_ledger(con, ledger)
    row = con.execute("SELECT state, attempts, last_error FROM links WHERE source = 'eastvale'").fetchone()
    assert row == ("gone", 1, "HTTP 404") and len(logged(con, "run-1")) == 1
