"""Reporting periods and the years they take."""

import pytest

from bulletins.core.periods import find_periods, find_years, format_period, resolve_period


def period_of(text, year_in_force=None, page_year=2023):
    """The first period of ``text`` resolved, or None."""
    found = find_periods(text)
    return resolve_period(found[0], year_in_force, page_year) if found else None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1-9月,株洲市规模以上工业增加值增长6.8%", "2023-01/2023-09"),
        ("1—10月份,全市固定资产投资", "2023-01/2023-10"),
        ("2022年1至5月,全县", "2022-01/2022-05"),
        ("上半年,常德市外贸进出口总额", "2023-01/2023-06"),
        ("下半年工作怎么干", "2023-07/2023-12"),
        ("前三季度,岳阳市", "2023-01/2023-09"),
        ("一季度,全县新签约项目35个", "2023-01/2023-03"),
        ("2024年第二季度", "2024-04/2024-06"),
        ("全年共完成造林面积12万亩", "2023-01/2023-12"),
        ("截至9月底,全市累计发放贷款", "2023-01/2023-09"),
        ("截至2022年6月末", "2022-01/2022-06"),
        ("2021年,全市地区生产总值", "2021-01/2021-12"),  # a bare year opening a clause
        ("去年,全市粮食产量", "2022-01/2022-12"),  # relative to the page's year
        ("去年上半年", "2022-01/2022-06"),
        ("3月份,全市CPI", "2023-03/2023-03"),
    ],
)
def test_period_phrases(text, expected):
    assert period_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "7月28日下午,会议召开",  # a date, not a period
        "10月25—26日,推进会举行",  # a two-day meeting
        "衡阳高新区入围2023年全国先进制造业园区百强",  # a year inside a clause is not a period
        "货值是去年的4倍",  # 去年 as a comparison base
        "2023年第二次全体会议",
    ],
)
def test_not_periods(text):
    assert find_periods(text) == []


def test_year_in_force_fills_a_yearless_phrase():
    assert period_of("1-6月,规模工业增加值", year_in_force=2021, page_year=2023) == "2021-01/2021-06"


def test_without_any_year_the_period_is_unknown():
    assert period_of("上半年,全市", year_in_force=None, page_year=None) is None


def test_find_years_and_format():
    assert find_years("回望过去的2021年,2022年是") == [(5, 2021), (11, 2022)]
    assert find_years("2025—2026年投资促进季") == [(5, 2026)]
    assert format_period(2023, 1, 6) == "2023-01/2023-06"
