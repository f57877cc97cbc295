"""Date rules: explicit, ranges, day-only, relative to the Spring Festival, page years."""

from datetime import date

from bulletins.core.context import DocContext
from bulletins.core.dates import find_dates, first_date, make_context, spring_workday, text_year


def test_month_day_takes_the_page_year():
    assert first_date("3月15日,株洲市召开会议。", DocContext(None, 2024)) == (date(2024, 3, 15),) * 2


def test_two_day_range():
    assert first_date("11月8—9日,岳阳市项目观摩会举行。", DocContext(None, 2021)) == (
        date(2021, 11, 8),
        date(2021, 11, 9),
    )


def test_range_across_months():
    assert first_date("9月30日至10月2日,长沙举办活动。", DocContext(None, 2022)) == (
        date(2022, 9, 30),
        date(2022, 10, 2),
    )


def test_full_date_needs_no_context():
    assert (
        first_date("(2024年6月20日中共长沙市委第十三届委员会第七次全体会议通过)", DocContext())
        == (date(2024, 6, 20),) * 2
    )


def test_day_only_takes_month_from_earlier_date():
    found = find_dates("5月12—13日,会议举行。13日上午,会议听取汇报。", DocContext(None, 2021))
    assert [d for _, d, _ in found] == [date(2021, 5, 12), date(2021, 5, 13)]


def test_day_only_without_month_is_none():
    assert first_date("13日上午,会议听取汇报。", DocContext(None, 2021)) == (None, None)


def test_no_date_gives_none():
    assert first_date("株洲市委经济工作会议召开", DocContext(None, 2024)) == (None, None)


def test_no_year_gives_none():
    assert first_date("8月1日,会议召开。", DocContext()) == (None, None)


def test_published_in_january_puts_december_in_the_year_before():
    ctx = DocContext(date(2024, 1, 4), 2024)
    assert first_date("12月29日,岳阳市召开会议。", ctx) == (date(2023, 12, 29),) * 2


def test_spring_workday_from_the_official_calendar():
    assert spring_workday(2023) == date(2023, 1, 28)  # an adjusted Saturday workday
    assert spring_workday(2024) == date(2024, 2, 18)


def test_zodiac_year_first_workday():
    assert first_date("兔年首个工作日,长沙市召开大会。", DocContext(None, 2023)) == (date(2023, 1, 28),) * 2


def test_after_festival_first_workday_uses_page_year():
    assert first_date("节后首个工作日,株洲市召开调度会。", DocContext(None, 2024)) == (date(2024, 2, 18),) * 2


def test_text_year_prefers_session_and_full_dates_over_plan_years():
    text = "长沙市政府2024年第一次全体会议召开。到2035年基本实现现代化,2030年目标。回顾2023年工作。"
    assert text_year(text) == 2024


def test_text_year_from_published_first():
    assert make_context("2019年第一次全会", date(2020, 3, 1)).year == 2020


def test_text_year_none_when_no_year():
    assert text_year("会议召开。") is None
