"""The core's typed facts: periods and their days, and the one conversion to the contract's JSON.

Invented bulletins of other cities; every name, place and figure is made up.
"""

import dataclasses
import json
from datetime import date

import pytest

from bulletins.core.extract import ArticleInput, extract_document, extract_page
from bulletins.core.facts import ArticleFacts, Indicator, Meeting, Participant, Period, to_json


@pytest.mark.parametrize(
    "period, written, first, last",
    [
        (Period(2023, 1, 2023, 6), "2023-01/2023-06", date(2023, 1, 1), date(2023, 6, 30)),  # 1-6月
        (Period(2024, 1, 2024, 2), "2024-01/2024-02", date(2024, 1, 1), date(2024, 2, 29)),  # a leap February
        (Period(2016, 1, 2020, 12), "2016-01/2020-12", date(2016, 1, 1), date(2020, 12, 31)),  # 十三五
        (Period(2023, 7, 2023, 7), "2023-07/2023-07", date(2023, 7, 1), date(2023, 7, 31)),  # 7月: both ends written
    ],
)
def test_a_period_is_written_as_the_contract_says_and_knows_its_days(period, written, first, last):
    assert (str(period), period.first_day, period.last_day) == (written, first, last)


@pytest.mark.parametrize("period", [Period(12023, 1, 12023, 12), Period(-1, 1, -1, 12), Period(2023, 0, 2023, 13)])
def test_a_period_no_date_can_hold_has_no_days(period):
    # a year past four digits or a month outside 1-12: the warehouse's period_start/end stay empty
    assert (period.first_day, period.last_day) == (None, None)


def test_year_zero_is_written_but_has_no_date():
    # 去年 on a page dated in year 1: the contract text stays what it was; staging fails that page
    period = Period(0, 1, 0, 12)
    assert str(period) == "0000-01/0000-12"
    with pytest.raises(ValueError):
        period.first_day


def test_facts_are_frozen_values():
    period = Period(2023, 1, 2023, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        period.start_month = 2  # type: ignore[misc]
    assert Period(2023, 1, 2023, 3) == period and len({period, Period(2023, 1, 2023, 3)}) == 1


def test_the_json_keeps_the_contracts_keys_order_and_number_types():
    meeting = Meeting(
        name="临江市政府2024年第五次常务会议",
        kind="常务会议",
        start_date=date(2024, 5, 9),
        end_date=date(2024, 5, 10),
        format="视频会议",
        participants=(Participant("赵启明", "市长", "chair"), Participant("钱晓", None, "attendee")),
        evidence="5月9日至10日,临江市政府2024年第五次常务会议召开",
        article=1,
        place="临江市",
        place_code="999901",
    )
    count = Indicator("新签约项目", "level", 42, "个", None, None, None, False, "新签约项目42个", 0, "临江市", "999901")
    share = Indicator("税收占比", "share", 71.5, "%", Period(2024, 1, 2024, 3), 2, "全省", True, "税收占比71.5%", 1)
    got = to_json([ArticleFacts(0, (), (count,)), ArticleFacts(1, (meeting,), (share,))])
    assert json.dumps(got, ensure_ascii=False) == json.dumps(
        {
            "meetings": [
                {
                    "name": "临江市政府2024年第五次常务会议",
                    "kind": "常务会议",
                    "start_date": "2024-05-09",
                    "end_date": "2024-05-10",
                    "format": "视频会议",
                    "participants": [
                        {"name": "赵启明", "title": "市长", "role": "chair"},
                        {"name": "钱晓", "title": None, "role": "attendee"},
                    ],
                    "evidence": "5月9日至10日,临江市政府2024年第五次常务会议召开",
                    "article": 1,
                    "place": "临江市",
                    "place_code": "999901",
                }
            ],
            "indicators": [
                {
                    "metric": "新签约项目",
                    "measure": "level",
                    "value": 42,  # a count stays a whole number: 42, not 42.0
                    "unit": "个",
                    "period": None,
                    "rank": None,
                    "rank_scope": None,
                    "target": False,
                    "evidence": "新签约项目42个",
                    "article": 0,
                    "place": "临江市",
                    "place_code": "999901",
                },
                {
                    "metric": "税收占比",
                    "measure": "share",
                    "value": 71.5,
                    "unit": "%",
                    "period": "2024-01/2024-03",
                    "rank": 2,
                    "rank_scope": "全省",
                    "target": True,
                    "evidence": "税收占比71.5%",
                    "article": 1,
                    "place": None,
                    "place_code": None,
                },
            ],
        },
        ensure_ascii=False,
    )


def test_extract_document_is_the_json_of_extract_page():
    """The command's result is the page's typed facts through the one conversion, nothing else."""
    title, body = "临江市召开一季度经济运行调度会", "4月8日,市长赵启明主持召开调度会。一季度,全市地区生产总值增长5.3%。"
    facts = extract_page([ArticleInput(title, body)], published=date(2024, 4, 10))
    meeting, figure = facts[0].meetings[0], facts[0].indicators[0]
    assert (meeting.start_date, meeting.participants[0]) == (date(2024, 4, 8), Participant("赵启明", "市长", "chair"))
    assert (figure.value, figure.period) == (5.3, Period(2024, 1, 2024, 3))
    assert len({facts[0], facts[0]}) == 1  # immutable all the way down (tuples, dates, periods): hashable
    assert extract_document(f"{title}\n{body}", published="2024-04-10") == to_json(facts)
