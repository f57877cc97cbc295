"""The period a figure takes from its context: clause, paragraph, section head, headline/lead.

Invented bulletins of other cities and provinces; every figure, name and place is made up.
"""

from datetime import date

from bulletins.core.context import DocContext
from bulletins.core.indicators import extract_indicators


def written(period):
    """A ``Period`` as the contract writes it ('2023-01/2023-06'); None stays None."""
    return None if period is None else str(period)


def periods(text, published=date(2024, 4, 25), year=None):
    """(metric, value, period) of every indicator of ``text``."""
    ctx = DocContext(published=published, year=year if year is not None else (published.year if published else None))
    return [(i["metric"], i["value"], written(i["period"])) for i in extract_indicators(text, ctx)]


def period_of(found, value):
    """The period of the indicator with ``value``."""
    return next(p for _, v, p in found if v == value)


def test_headline_period_governs_paragraphs_without_one():
    text = (
        "绵阳一季度经济“成绩单”出炉\n"
        "4月20日,记者从市统计局获悉,一季度全市经济运行开局良好。\n"
        "全市规模工业增加值增长7.4%,高于全省1.2个百分点。\n"
        "社会消费品零售总额达312.6亿元,增长5.1%。"
    )
    found = periods(text)
    assert {p for _, _, p in found} == {"2024-01/2024-03"}


def test_a_month_in_one_paragraph_does_not_carry_into_the_next():
    text = (
        "一季度,宜宾全市地区生产总值增长6.9%。\n"
        "3月份,全市工业用电量增长15.2%。\n"
        "发展后劲充足,全市新登记经营主体1.8万户。"
    )
    found = periods(text)
    assert period_of(found, 15.2) == "2024-03/2024-03"
    assert period_of(found, 1.8) == "2024-01/2024-03"  # back to the lead's quarter


def test_a_year_stated_later_in_its_paragraph_governs_the_figures_before_it():
    text = "地区生产总值增长5.8%,一般公共预算收入增长7.2%……2023年,铜仁市交出了一份亮眼答卷。"
    found = periods(text, published=None, year=2024)
    assert {p for _, _, p in found} == {"2023-01/2023-12"}


def test_section_head_with_a_bare_year():
    text = (
        "今天上午,遵义市第五届人民代表大会第四次会议开幕。\n"
        "回首2023,成绩来之不易——\n"
        "全市高新技术企业净增120家;\n"
        "城乡居民人均可支配收入增长6.6%;"
    )
    found = periods(text, published=date(2024, 1, 10))
    assert {p for _, _, p in found} == {"2023-01/2023-12"}


def test_comparisons_are_never_the_figures_period():
    text = "上半年,全市固定资产投资增长9.1%,比一季度提高2.3个百分点,比去年全年加快1.5个百分点。"
    found = periods(text)
    assert {p for _, _, p in found} == {"2024-01/2024-06"}


def test_plan_span_levels_take_its_last_year_and_averages_keep_the_span():
    text = (
        "一、“十三五”时期工作回顾\n"
        "过去五年,全市生产总值突破2800亿元,年均增长7.1%。"
        "税收占比提高到71.5%,较2015年提高9.2个百分点。固定资产投资累计完成9100亿元。"
    )
    found = periods(text, published=None)
    assert period_of(found, 2800) == "2020-01/2020-12"  # a level reached at the end
    assert period_of(found, 7.1) == "2016-01/2020-12"  # average growth over the span
    assert period_of(found, 71.5) == "2020-01/2020-12"  # a share reached at the end
    assert period_of(found, 9.2) == "2016-01/2020-12"  # the change over the span
    assert period_of(found, 9100) == "2016-01/2020-12"  # a sum over the span


def test_past_year_review_and_this_year():
    text = "过去一年,全县新增市场主体4100户。今年,全县计划引进项目60个。"
    found = periods(text, published=date(2024, 1, 30))
    assert period_of(found, 4100) == "2023-01/2023-12"


def test_counts_at_the_event_reported_take_no_period_of_the_lead():
    text = (
        "一季度,全区经济稳中有进。\n"
        "3月8日,在全区重大项目集中签约仪式上,18个项目集中签约,总投资86亿元。\n"
        "据悉,当天集中签约的18个项目多为先进制造业项目。"
    )
    found = periods(text)
    assert period_of(found, 86) is None


def test_a_since_year_phrase_is_that_year_once_it_is_over():
    text = "他说,2023年以来,全市规模工业增加值增速位居全省第三。"
    found = extract_indicators(text, DocContext(published=date(2024, 2, 5), year=2024))
    assert written(found[0]["period"]) == "2023-01/2023-12" and found[0]["rank"] == 3


def test_the_page_year_comes_from_a_review_and_a_plan_start():
    from bulletins.core.dates import text_year

    assert text_year("一、“十三五”时期及2020年工作回顾。较2015年增长18%。") == 2021
    assert text_year("2025年,全县交出答卷。站在“十五五”新起点,1月20日召开全会。") == 2026


def test_a_single_month_binds_its_clause_only():
    text = "1-5月,全市规模工业增加值增长6.8%,其中5月当月增长5.9%。分经济类型看,国有企业增长4.2%。"
    found = periods(text)
    assert [p for _, _, p in found] == ["2024-01/2024-05", "2024-05/2024-05", "2024-01/2024-05"]


def test_this_years_goals_after_a_five_year_review():
    text = "过去五年,全市生产总值年均增长6.2%。今年主要预期目标是:地区生产总值增长5.5%左右。"
    found = extract_indicators(text, DocContext(published=date(2024, 1, 20), year=2024))
    assert (written(found[-1]["period"]), found[-1]["target"]) == ("2024-01/2024-12", True)


def test_a_year_before_the_level_it_reached_is_its_period_not_its_name():
    found = extract_indicators("地区生产总值年均增长6.4%,2021年达到3880.2亿元。", DocContext(None, 2022))
    assert (found[-1]["metric"], written(found[-1]["period"])) == ("地区生产总值", "2021-01/2021-12")


def test_a_yearly_reports_headline_year_governs_it():
    text = (
        "临海市2023年国民经济和社会发展统计公报\n市统计局 2024-03-18\n一、综合\n"
        "年末全市市场主体总数达到28.6万户,比上年末增加2.1万户。\n"
        "全体居民人均可支配收入61208元,比上年增长5.9%。"
    )
    found = periods(text, published=None, year=None)
    assert {p for _, _, p in found} == {"2023-01/2023-12"}
