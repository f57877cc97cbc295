"""Each analyst view answers its question in one short query, on a small real warehouse."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.quality.warehouse_fixture import fill


@pytest.fixture
def con(warehouse):
    """The warehouse with two months of meetings and a metric over periods."""
    fill(warehouse)
    return warehouse


def test_indicator_series(con):
    """A metric's values across periods and sources, in period order."""
    rows = con.execute(
        "SELECT period, source, value, unit FROM v_indicator_series "
        "WHERE metric = '规模工业增加值' AND measure = 'change' ORDER BY period_start, period_end, source"
    ).fetchall()
    assert rows == [
        ("2023-01/2023-06", "hengyang", 5.2, "%"),
        ("2023-01/2023-06", "rednet", 5.2, "%"),
        ("2023-01/2023-09", "hengyang", 6.1, "%"),
    ]


def test_meetings_by_month(con):
    """Meetings counted by month and kind."""
    rows = con.execute("SELECT month, kind, meetings FROM v_meetings_by_month ORDER BY month, kind").fetchall()
    assert rows == [(dt.date(2023, 6, 1), "座谈会", 1), (dt.date(2023, 7, 1), "全体会议", 2)]


def test_person_roles(con):
    """A person's roles and titles over time."""
    rows = con.execute(
        "SELECT start_date, role, title, meeting FROM v_person_roles "
        "WHERE person = '刘越高' ORDER BY start_date, meeting"
    ).fetchall()
    assert rows[0] == (dt.date(2023, 6, 2), "chair", "市委书记", "民营企业座谈会")
    assert {r[1] for r in rows[1:]} == {"attendee"} and len(rows) == 3


def test_indicator_evidence(con):
    """Every figure with its sentence and page."""
    rows = con.execute(
        "SELECT metric, value, evidence, url FROM v_indicator_evidence WHERE metric = '地方收入' ORDER BY url"
    ).fetchall()
    assert len(rows) == 3
    assert all(r[2] == "地方收入104.9亿元" and r[3].startswith("http://127.0.0.1/") for r in rows)


def test_meetings_calendar(con):
    """Each meeting with its month, chairs and participant count."""
    rows = con.execute(
        "SELECT month, start_date, name, chairs, participants FROM v_meetings_calendar ORDER BY start_date, name"
    ).fetchall()
    assert rows[0] == (dt.date(2023, 6, 1), dt.date(2023, 6, 2), "民营企业座谈会", "刘越高", 2)
    assert len(rows) == 3
