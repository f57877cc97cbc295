"""Facts merged across sources: one meeting event per real meeting, one indicator fact per figure.

The pages are staged as the crawler stages them (``stage_page``) from facts that carry their
place, as the core gives them, and loaded through the real loader into a real DuckDB file.
Cities, people and figures are invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bulletins.core.facts import ArticleFacts, Indicator, Meeting, Participant, Period
from bulletins.crawl.parse import ParsedArticle, ParsedPage
from bulletins.pipeline.stage import document_row, stage_page, to_batch
from warehouse.load import load_batch

CITY, OTHER_CITY, PROVINCE = "江川市", "河西市", "南岭省"


def meeting(
    name: str,
    kind: str,
    start: dt.date | None,
    place: str | None = CITY,
    chair: str | None = None,
    title: str = "市委副书记、市长",
    attendees: tuple[str, ...] = (),
) -> Meeting:
    """A meeting as the core yields it."""
    people = ([Participant(chair, title, "chair")] if chair else []) + [
        Participant(a, "市领导", "attendee") for a in attendees
    ]
    return Meeting(name, kind, start, start, None, tuple(people), f"{name}召开", 0, place)


def figure(
    metric: str,
    value: float | None,
    unit: str | None,
    period: Period | None,
    place: str | None = CITY,
    measure: str = "level",
    target: bool = False,
    rank: int | None = None,
) -> Indicator:
    """An indicator as the core yields it."""
    scope = "全省" if rank else None
    return Indicator(
        metric, measure, value, unit, period, rank, scope, target, f"{metric}{value}{unit or ''}", 0, place
    )


def page(source: str, n: int, published: dt.date, meetings=(), indicators=()):
    """One staged page of ``source`` with one article holding these facts."""
    url = f"http://127.0.0.1/{source}/{n}.html"
    article = ParsedArticle(0, f"要闻{n}", None, None, published, "正文")
    parsed = ParsedPage(f"要闻{n}", published, "utf-8", "正文", [article], url)
    doc = document_row(
        url=url,
        source=source,
        fetched_at=dt.datetime(2023, 12, 1),
        http_status=200,
        headers={},
        content_hash=f"{source}{n}".ljust(64, "0"),
        parsed=parsed,
        parser_version="t",
    )
    return stage_page(doc, parsed, [ArticleFacts(0, tuple(meetings), tuple(indicators))])


def load(con, pages) -> None:
    """Load the pages as one run."""
    load_batch(con, to_batch(pages), "run-facts")


@pytest.fixture
def three_copies(warehouse):
    """One city's week as three sources report it: the same facts, written three ways."""
    day, pub = dt.date(2023, 3, 14), dt.date(2023, 3, 15)
    session = "江川市政府2023年第3次常务会议"
    figures = [
        figure("地区生产总值", 812.4, "亿元", Period(2023, 1, 2023, 3)),
        figure("地区生产总值", 4.6, "%", Period(2023, 1, 2023, 3), measure="change", rank=2),
    ]
    load(
        warehouse,
        [
            page(
                "gov",
                1,
                pub,
                [
                    meeting(session, "常务会议", day, chair="林文涛", attendees=("周海平",)),
                    meeting("全市民营企业座谈会", "座谈会", day, chair="林文涛"),
                ],
                figures,
            ),
            # the e-paper names the figure GDP and writes its level in 万元
            page(
                "epaper",
                1,
                pub,
                [
                    meeting(session, "常务会议", day, chair="林文涛"),
                    meeting("民营企业家座谈会", "座谈会", day, chair="林文涛"),
                ],
                [
                    figure("GDP", 8124000, "万元", Period(2023, 1, 2023, 3)),
                    figure("GDP增速", 4.6, "%", Period(2023, 1, 2023, 3), measure="change", rank=2),
                ],
            ),
            # the portal gives no meeting date (a headline) and shortens the name
            page("portal", 1, pub, [meeting("市政府第3次常务会议", "常务会议", None, chair="林文涛")], figures),
        ],
    )
    return warehouse


def test_three_copies_are_one_event_each(three_copies):
    rows = three_copies.execute(
        "SELECT place, start_date, kind, name, chairs, reports, sources FROM v_meeting_events ORDER BY kind"
    ).fetchall()
    assert rows == [
        (
            CITY,
            dt.date(2023, 3, 14),
            "常务会议",
            "江川市政府2023年第3次常务会议",
            "林文涛",
            3,
            ["epaper", "gov", "portal"],
        ),
        (CITY, dt.date(2023, 3, 14), "座谈会", "全市民营企业座谈会", "林文涛", 2, ["epaper", "gov"]),
    ]
    articles = three_copies.execute("SELECT article_ids FROM v_meeting_events WHERE kind = '常务会议'").fetchone()[0]
    assert len(articles) == 3


def test_near_misses_stay_apart(warehouse):
    """Two 常务会议 on one day in two places; two 工作会议 on one day in one place; two dated days."""
    pub = dt.date(2023, 12, 29)
    load(
        warehouse,
        [
            page(
                "gov",
                1,
                pub,
                [
                    meeting("市政府常务会议", "常务会议", dt.date(2023, 12, 28), place=CITY),
                    meeting("市委经济工作会议", "工作会议", dt.date(2023, 12, 28)),
                ],
            ),
            page(
                "gov",
                2,
                pub,
                [
                    meeting("市政府常务会议", "常务会议", dt.date(2023, 12, 28), place=OTHER_CITY),
                    meeting("市委农村工作会议", "工作会议", dt.date(2023, 12, 28)),
                ],
            ),
            page("epaper", 1, pub, [meeting("市政府常务会议", "常务会议", dt.date(2023, 12, 27), place=CITY)]),
        ],
    )
    events = warehouse.execute(
        "SELECT place, start_date, name, reports FROM v_meeting_events ORDER BY place, start_date, name"
    ).fetchall()
    assert events == [
        (CITY, dt.date(2023, 12, 27), "市政府常务会议", 1),
        (CITY, dt.date(2023, 12, 28), "市委农村工作会议", 1),
        (CITY, dt.date(2023, 12, 28), "市委经济工作会议", 1),
        (CITY, dt.date(2023, 12, 28), "市政府常务会议", 1),
        (OTHER_CITY, dt.date(2023, 12, 28), "市政府常务会议", 1),
    ]


def test_an_undated_report_joins_only_a_meeting_of_its_week(warehouse):
    """A report without a date matches a meeting held in the week before it was published, not later."""
    load(
        warehouse,
        [
            page("gov", 1, dt.date(2023, 5, 10), [meeting("项目建设推进会", "推进会", dt.date(2023, 5, 8))]),
            page("gov", 2, dt.date(2023, 6, 20), [meeting("项目建设推进会", "推进会", dt.date(2023, 6, 19))]),
            page("portal", 1, dt.date(2023, 5, 11), [meeting("全市项目建设推进会", "推进会", None)]),
        ],
    )
    rows = warehouse.execute("SELECT start_date, reports FROM v_meeting_events ORDER BY start_date").fetchall()
    assert rows == [(dt.date(2023, 5, 8), 2), (dt.date(2023, 6, 19), 1)]


def test_three_copies_are_one_fact_each(three_copies):
    """GDP in 万元 and 地区生产总值 in 亿元 are one figure; each fact lists its three sources."""
    rows = three_copies.execute(
        "SELECT place, metric_key, measure, period, value, unit, rank, reports, sources, "
        "conflict FROM v_indicator_facts ORDER BY measure"
    ).fetchall()
    assert rows == [
        (CITY, "gdp", "change", "2023-01/2023-03", 4.6, "%", 2, 3, ["epaper", "gov", "portal"], False),
        (CITY, "gdp", "level", "2023-01/2023-03", 812.4, "亿元", None, 3, ["epaper", "gov", "portal"], False),
    ]


def test_disagreements_are_flagged_not_hidden(warehouse):
    """Two values for one place, metric, period and measure: two rows, both flagged; a target is apart."""
    period = Period(2023, 1, 2023, 6)
    load(
        warehouse,
        [
            page(
                "gov",
                1,
                dt.date(2023, 7, 20),
                indicators=[
                    figure("规模以上工业增加值", 6.1, "%", period, measure="change"),
                    figure("规模以上工业增加值", 7.0, "%", Period(2023, 1, 2023, 12), measure="change", target=True),
                ],
            ),
            page(
                "epaper",
                1,
                dt.date(2023, 7, 20),
                indicators=[
                    figure("规上工业增加值", 6.4, "%", period, measure="change"),
                    figure("规模以上工业增加值", 6.1, "%", period, measure="change", place=PROVINCE),
                ],
            ),
        ],
    )
    rows = warehouse.execute(
        "SELECT place, value, target, sources, conflict, values_reported FROM v_indicator_facts "
        "WHERE metric_key = 'industry_va_above_scale' ORDER BY place, target, value"
    ).fetchall()
    assert rows == [
        (PROVINCE, 6.1, False, ["epaper"], False, ["6.1%"]),
        (CITY, 6.1, False, ["gov"], True, ["6.1%", "6.4%"]),
        (CITY, 6.4, False, ["epaper"], True, ["6.1%", "6.4%"]),
        (CITY, 7.0, True, ["gov"], False, ["7.0%"]),
    ]


def test_who_was_mayor_and_what_they_chaired(warehouse):
    """v_people: a person's title in a place, first and last seen, each real meeting once."""
    load(
        warehouse,
        [
            page(
                "gov",
                1,
                dt.date(2023, 2, 3),
                [
                    meeting(
                        "江川市政府2023年第1次常务会议",
                        "常务会议",
                        dt.date(2023, 2, 2),
                        chair="林文涛",
                        attendees=("周海平",),
                    )
                ],
            ),
            page(
                "epaper",
                1,
                dt.date(2023, 2, 3),
                [
                    meeting(
                        "江川市政府2023年第1次常务会议",
                        "常务会议",
                        dt.date(2023, 2, 2),
                        chair="林文涛",
                        attendees=("周海平",),
                    )
                ],
            ),
            page(
                "gov",
                2,
                dt.date(2023, 9, 6),
                [meeting("全市安全生产调度会", "调度会", dt.date(2023, 9, 5), chair="林文涛", attendees=("周海平",))],
            ),
            page(
                "gov",
                3,
                dt.date(2024, 4, 2),
                [
                    meeting(
                        "江川市政府2024年第2次常务会议", "常务会议", dt.date(2024, 4, 1), chair="周海平", title="市长"
                    )
                ],
            ),
        ],
    )
    rows = warehouse.execute(
        """
        SELECT person, title, first_seen, last_seen, chaired, meetings_chaired FROM v_people
        WHERE place = ? AND title LIKE '%市长%'
          AND first_seen <= DATE '2023-12-31' AND last_seen >= DATE '2023-01-01'""",
        [CITY],
    ).fetchall()
    assert rows == [
        (
            "林文涛",
            "市委副书记、市长",
            dt.date(2023, 2, 2),
            dt.date(2023, 9, 5),
            2,
            ["江川市政府2023年第1次常务会议", "全市安全生产调度会"],
        )
    ]
    attended = warehouse.execute(
        "SELECT meetings, meetings_attended FROM v_people WHERE person = '周海平' AND title = '市领导'"
    ).fetchone()
    assert attended == (2, ["江川市政府2023年第1次常务会议", "全市安全生产调度会"])


def test_views_work_without_places(warehouse):
    """Before the core fills place, reports of one meeting still merge (an unknown place matches itself)."""
    pub = dt.date(2023, 3, 15)
    load(
        warehouse,
        [
            page(
                s,
                1,
                pub,
                [meeting("全市招商引资大会", "大会", dt.date(2023, 3, 14), place=None)],
                [figure("社零总额", 120.5, "亿元", Period(2023, 1, 2023, 2), place=None)],
            )
            for s in ("gov", "epaper", "portal")
        ],
    )
    assert warehouse.execute("SELECT count(*), max(reports) FROM v_meeting_events").fetchone() == (1, 3)
    assert warehouse.execute("SELECT metric_key, reports FROM v_indicator_facts").fetchall() == [("retail_sales", 3)]
