"""The warehouse's own guarantees, on a real DuckDB file: migrations recorded, loads idempotent
and all-or-nothing, a second writing process waited for or refused cleanly, links remembered.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date, datetime

import pandas as pd
import pytest

from bulletins.core.facts import ArticleFacts, Indicator, Meeting, Participant, Period
from bulletins.crawl.parse import ParsedArticle, ParsedPage
from bulletins.pipeline.stage import document_row, stage_page, to_batch
from warehouse import state
from warehouse.publish import working_path
from warehouse.db import WarehouseBusy, connect, migration_files
from warehouse.load import BatchShapeError, load_batch

pytestmark = pytest.mark.integration

URL = "http://127.0.0.1:1/news/a/1.html"


def staged_batch(title: str = "市政府召开全体会议") -> dict:
    """A batch of one page with one article, one meeting with two people, one indicator."""
    article = ParsedArticle(0, title, None, "衡阳日报", date(2023, 7, 28), "正文")
    parsed = ParsedPage(title, datetime(2023, 7, 28, 10, 12), "utf-8", "正文", [article], URL, parser_version="test")
    speaker = Participant("朱健", "市长", "speaker")
    meeting = Meeting(
        name="衡阳市政府2023年第二次全体会议",
        kind="全体会议",
        start_date=date(2023, 7, 28),
        end_date=date(2023, 7, 28),
        format=None,
        participants=(speaker, speaker, Participant("刘越高", "市委书记", "chair")),  # 朱健 twice: kept once
        evidence="7月28日……召开",
        article=0,
    )
    figure = Indicator(
        metric="地方收入",
        measure="level",
        value=104.9,
        unit="亿元",
        period=Period(2023, 1, 2023, 6),
        rank=None,
        rank_scope=None,
        target=False,
        evidence="地方收入104.9亿元",
        article=0,
    )
    facts = [ArticleFacts(0, (meeting,), (figure,))]
    doc = document_row(
        url=URL,
        source="test",
        fetched_at=datetime(2023, 7, 28, 12),
        http_status=200,
        headers={"ETag": '"v1"', "Content-Type": "text/html"},
        content_hash="h" * 64,
        parsed=parsed,
        parser_version="test",
    )
    return to_batch([stage_page(doc, parsed, facts)])


def table_rows(con, table: str) -> list[tuple]:
    """A table's rows without the run stamps."""
    cols = [
        c
        for (c,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "AND column_name NOT IN ('run_id', 'loaded_at') ORDER BY ordinal_position",
            [table],
        ).fetchall()
    ]
    return con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()


FACTS = ("documents", "articles", "meetings", "meeting_participants", "indicators")


def test_migrations_are_applied_once_and_recorded(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    con = connect(path)
    versions = [v for (v,) in con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]
    con.close()
    assert versions == [v for v, _, _ in migration_files()]


def test_loading_the_same_batch_twice_changes_nothing(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    first = load_batch(con, staged_batch(), "run-1")
    assert first == {
        "documents": 1,
        "articles": 1,
        "meetings": 1,
        "meeting_participants": 2,
        "indicators": 1,
        "quarantine": 0,
    }
    before = {t: table_rows(con, t) for t in FACTS}
    load_batch(con, staged_batch(), "run-2")
    assert {t: table_rows(con, t) for t in FACTS} == before
    assert con.execute("SELECT DISTINCT run_id FROM meeting_participants").fetchall() == [("run-2",)]
    period = con.execute("SELECT period_start, period_end FROM indicators").fetchall()
    assert period == [(date(2023, 1, 1), date(2023, 6, 30))]
    con.close()


def test_a_failing_load_leaves_the_warehouse_as_it_was(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_batch(con, staged_batch(), "run-1")
    before = {t: table_rows(con, t) for t in FACTS}
    broken = staged_batch("改过的标题")
    broken["indicators"] = broken["indicators"].drop(columns=["evidence"])
    with pytest.raises(BatchShapeError, match="indicators: missing columns \\['evidence'\\]"):
        load_batch(con, broken, "run-2")
    assert {t: table_rows(con, t) for t in FACTS} == before  # the delete of run-2 was rolled back
    con.close()


def test_a_constraint_violation_surfaces_as_itself_and_rolls_back(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_batch(con, staged_batch(), "run-1")
    before = {t: table_rows(con, t) for t in FACTS}
    clash = staged_batch()
    # The same URL twice, under two document ids: UNIQUE(url) refuses the insert.
    docs = clash["documents"]
    clash["documents"] = pd.concat([docs, docs.assign(document_id="another-id")], ignore_index=True)
    with pytest.raises(Exception, match="(?i)constraint") as raised:
        load_batch(con, clash, "run-2")
    assert "unregister" not in str(raised.value).lower()
    assert {t: table_rows(con, t) for t in FACTS} == before
    con.close()


def test_a_second_writer_is_refused_cleanly_or_waits(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.read()",
            str(working_path(path)),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseBusy, match="in use by another process"):
            connect(path, wait_seconds=0)
        threading.Timer(0.5, holder.stdin.close).start()  # the other process finishes soon
        con = connect(path, wait_seconds=120)
        assert con.execute("SELECT count(*) FROM runs").fetchall() == [(0,)]
        con.close()
    finally:
        holder.kill()
        holder.wait()


def test_links_remember_failures_and_give_up_after_max_attempts(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    assert state.add_links(con, "s", ["u1", "u2"]) == 2
    assert state.add_links(con, "s", ["u2", "u3"]) == 1
    for _ in range(state.MAX_ATTEMPTS):
        assert "u1" in state.urls_to_retry(con, "s")
        state.record_link_outcomes(con, "s", [{"url": "u1", "state": "failed", "error": "HTTP 503"}])
    assert state.urls_to_retry(con, "s") == ["u2", "u3"]
    assert con.execute("SELECT attempts, last_error FROM links WHERE url = 'u1'").fetchall() == [
        (state.MAX_ATTEMPTS, "HTTP 503")
    ]
    con.close()


def test_a_run_left_running_is_marked_crashed_when_the_next_one_starts(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    state.start_run(con, "killed", "crawl-source", "s")
    state.start_run(con, "other-source", "crawl-source", "t")
    assert state.mark_abandoned(con, "crawl-source", "s") == 1
    rows = con.execute("SELECT run_id, status FROM runs ORDER BY run_id").fetchall()
    assert rows == [("killed", "crashed"), ("other-source", "running")]
    con.close()
