"""Indicator extraction, one rule family at a time, on sentences written like other cities' bulletins."""

from datetime import date

import pytest

from bulletins.core.context import DocContext
from bulletins.core.indicators import clean_metric, extract_indicators

CTX = DocContext(published=date(2023, 11, 2), year=2023)


def ind(text, ctx=CTX):
    """Indicators of ``text`` as (metric, measure, value, unit) tuples."""
    return [(i["metric"], i["measure"], i["value"], i["unit"]) for i in extract_indicators(text, ctx)]


def one(text, ctx=CTX):
    """The only indicator of ``text``."""
    found = extract_indicators(text, ctx)
    assert len(found) == 1, found
    return found[0]


def written(period):
    """A ``Period`` as the contract writes it ('2023-01/2023-06'); None stays None."""
    return None if period is None else str(period)


# --- units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("全市一般公共预算收入185.2亿元。", 185.2, "亿元"),
        ("全市接待游客3200万人次。", 3200, "万人次"),
        ("全市高速公路通车里程达到420公里。", 420, "公里"),
        ("全年粮食产量达到58.6亿斤。", 58.6, "亿斤"),
        ("城镇居民人均可支配收入达到45210元。", 45210, "元"),
        ("全市研发经费投入强度比上年提高0.3个百分点。", 0.3, "个百分点"),
        ("全年共完成造林面积12万亩。", 12, "万亩"),
        ("全市实现生产总值一千二百亿元。", 1200, "亿元"),  # Chinese numerals converted
        ("万元GDP能耗下降百分之三点五。", -3.5, "%"),  # 百分之 is a percentage
        ("港口集装箱吞吐量完成15.6万标箱。", 15.6, "万标箱"),
    ],
)
def test_units_as_written(text, value, unit):
    got = one(text)
    assert (got["value"], got["unit"]) == (value, unit)


# --- measures ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, measure, value",
    [
        ("株洲市1-9月规模以上工业增加值增长6.8%。", "change", 6.8),
        ("社会消费品零售总额同比增长6.5%。", "change", 6.5),
        ("全市安全生产事故起数下降12.5%。", "change", -12.5),  # 下降 is negative
        ("生猪出栏量减少3.1%。", "change", -3.1),
        ("居民消费价格指数涨幅回落0.8个百分点。", "difference", -0.8),  # two rates compared (spec)
        ("第三产业拉动经济增长3.2个百分点。", "change", 3.2),  # a contribution stays a change
        ("工业增加值增长达7.7%。", "change", 7.7),
        ("规上工业增长面达81.4%。", "share", 81.4),
        ("民营企业对全市工业增长的贡献率为63.5%。", "share", 63.5),
        ("工业产品产销率98.6%。", "share", 98.6),
        ("全市地方税占比提高到71.3%。", "share", 71.3),
        ("一般公共预算支出完成年度预算的61.2%。", "share", 61.2),
        ("重点项目投资超时序进度3.7个百分点。", "difference", 3.7),
        ("全市贷款余额比年初增加150亿元。", "change", 150),
        ("全市城镇化率提高到62.5%。", "level", 62.5),  # 提高到: the level reached
        ("城镇调查失业率控制在5.5%以内。", "level", 5.5),
        ("数字经济核心产业增加值占GDP比重为8.5%。", "share", 8.5),
        ("税收占比71.2%。", "share", 71.2),
        ("岳阳固定资产投资增速高于全省平均水平1.3个百分点。", "difference", 1.3),
        ("居民收入增速低于全国0.2个百分点。", "difference", -0.2),
        ("外贸进出口额是去年同期的2.5倍。", "ratio", 2.5),
        ("全市规上工业企业达到1256家。", "level", 1256),
    ],
)
def test_measures(text, measure, value):
    got = one(text)
    assert (got["measure"], got["value"]) == (measure, value)


def test_figures_without_a_subject_take_the_one_before():
    assert ind("2022年,全市地区生产总值完成3420.5亿元,同比增长4.5%,高出全省平均水平0.6个百分点。") == [
        ("地区生产总值", "level", 3420.5, "亿元"),
        ("地区生产总值", "change", 4.5, "%"),
        ("地区生产总值增速", "difference", 0.6, "个百分点"),  # the growth it compares
    ]


# --- counts --------------------------------------------------------------------------


def test_count_after_its_metric_and_before_its_noun():
    assert ind("一季度,全县新签约项目35个,新增4家国家级专精特新“小巨人”企业。") == [
        ("项目", "level", 35, "个"),
        ("国家级专精特新“小巨人”企业", "level", 4, "家"),
    ]


def test_counts_before_nouns_joined_by_and():
    assert ind("全市27个省重点建设项目和156个市重点建设项目加快推进。") == [
        ("省重点建设项目", "level", 27, "个"),
        ("市重点建设项目", "level", 156, "个"),
    ]


def test_threshold_is_part_of_the_metric_not_a_figure():
    assert ind("其中10亿元以上项目6个。") == [("10亿元以上项目", "level", 6, "个")]


# --- ranks ---------------------------------------------------------------------------


def test_rank_in_brackets_and_after_comma():
    got = extract_indicators("1-9月,邵阳市规模工业增加值增长7.9%(排全省第1),税收占比68.1%,排全省第4。", CTX)
    assert [(i["metric"], i["rank"], i["rank_scope"]) for i in got] == [
        ("规模工业增加值", 1, "全省"),
        ("税收占比", 4, "全省"),
    ]


def test_growth_rank_goes_to_the_change_not_the_amount():
    got = extract_indicators("上半年,常德市外贸进出口总额52.3亿元,同比增长23.5%,增速排全省第三。", CTX)
    assert [(i["measure"], i["rank"]) for i in got] == [("level", None), ("change", 3)]


def test_jun_pai_ranks_every_figure_it_covers():
    got = extract_indicators("一般公共预算收入98.2亿元,税收收入70.1亿元,均排全省第4,非税占比28.6%,排全省第9。", CTX)
    assert [(i["metric"], i["rank"]) for i in got] == [("一般公共预算收入", 4), ("税收收入", 4), ("非税占比", 9)]


def test_rank_without_value_is_its_own_indicator():
    got = one("全市营商环境评价排名全省第2。")
    assert (got["metric"], got["measure"], got["value"], got["unit"], got["rank"], got["rank_scope"]) == (
        "营商环境评价",
        "rank",
        None,
        None,
        2,
        "全省",
    )


def test_ranks_spread_by_fenbie():
    got = extract_indicators("工业投资增长15.2%、技改投资增长20.1%,增速分别排全省第1、第3。", CTX)
    assert [i["rank"] for i in got] == [1, 3]


@pytest.mark.parametrize(
    "text",
    [
        "另有9项经济指标排全省前3。",  # 前3 is not a rank
        "项目开工率达到95%,居全省前列。",
        "安排第二批专项资金。",  # 安排 is not 排
    ],
)
def test_top_n_and_lookalikes_are_not_ranks(text):
    assert all(i["rank"] is None for i in extract_indicators(text, CTX))


# --- 分别 ----------------------------------------------------------------------------


def test_fenbie_spreads_values_over_names():
    assert ind("1-8月,全市限上批发业、零售业销售额分别增长9.1%、6.4%。") == [
        ("限上批发业", "change", 9.1, "%"),
        ("零售业销售额", "change", 6.4, "%"),
    ]


def test_fenbie_with_decreases_and_he():
    assert ind("道路交通事故起数、受伤人数和直接经济损失分别下降18.2%、20.5%和9%。") == [
        ("道路交通事故起数", "change", -18.2, "%"),
        ("受伤人数", "change", -20.5, "%"),
        ("直接经济损失", "change", -9, "%"),
    ]


def test_fenbie_then_jun_rank():
    got = extract_indicators("全市农村居民、城镇居民人均可支配收入分别增长7.3%、5.1%,均排全省第2。", CTX)
    assert [i["rank"] for i in got] == [2, 2]


# --- periods -------------------------------------------------------------------------


def test_period_carries_through_the_body_until_another():
    body = (
        "前三季度,全市经济运行稳中向好。\n规模工业增加值增长6.2%;\n固定资产投资增长4.1%。\n2022年全年,全市GDP增长4.3%。"
    )
    assert [written(i["period"]) for i in extract_indicators(body, CTX)] == [
        "2023-01/2023-09",
        "2023-01/2023-09",
        "2022-01/2022-12",
    ]


def test_year_named_in_the_sentence_beats_the_page():
    got = one("回望过去的2021年,全年地区生产总值达3840亿元。", DocContext(None, 2022))
    assert written(got["period"]) == "2021-01/2021-12"


def test_no_period_stated_is_null():
    assert one("全市高新技术企业突破600家。")["period"] is None


# --- targets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, target",
    [
        ("力争全年地区生产总值增长7%以上。", True),
        ("确保规模工业增加值增长8%左右。", True),
        ("预计全年外贸进出口总额突破300亿元。", False),  # an estimate, not a goal (spec: 目标, 力争, 计划, 预期, 确保)
        ("到2027年,数字经济规模达到2000亿元。", True),
        ("保持每年GDP增速高于全国1个百分点以上。", True),
        ("全年地区生产总值增长7.1%。", False),
        ("前三季度,全市重点项目完成年度计划的81.2%。", False),  # progress, not a goal
        ("全年计划投资120亿元。", True),
        ("要完成年度计划投资150亿元。", True),
    ],
)
def test_targets(text, target):
    assert one(text)["target"] is target


# --- numbers that are not indicators -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "出台“稳经济30条”等政策措施。",  # a label in quotes
        "全面落实“1+3+N”政策体系。",
        "围绕“4×4”现代化产业体系,做强12条重点产业链。",
        "建设5G基站,开通FM98.6交通频率。",
        "召开第四届旅游发展大会,谋划“十五五”规划。",
        "改造320国道城区段。",
        "王某某、李某某等12位企业家代表发言。",  # counts of speakers
        "表彰了15名优秀志愿者和8名“最美护士”。",  # award winners
        "长沙、湘潭等6家企业代表作交流发言。",
        "会议部署了18项重点任务和五个方面工作。",  # tasks of a plan
        "要抓好12项重点工作,实施8大工程。",
        "全省14个市州中,益阳市排名靠前。",  # a scope, not a count
        "联系电话:0731-88888888,地址:长沙市芙蓉中路二段109号。",
        "2024年10月12日,会议在市行政中心召开。",
        "3.加快构建现代化产业体系。",
        "1 2 3 4 5",
        "引进3个月以内到位的项目资金。",  # a duration
    ],
)
def test_non_indicators(text):
    assert extract_indicators(text, CTX) == []


def test_evidence_is_the_clause_it_came_from():
    got = extract_indicators("1-9月,娄底市规模工业增加值增长7.2%(排全省第3),固定资产投资增长5%。", CTX)
    assert got[0]["evidence"] == "娄底市规模工业增加值增长7.2%(排全省第3)"
    assert got[1]["evidence"] == "固定资产投资增长5%"


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("上半年全市园区技工贸总收入", "园区技工贸总收入"),
        ("其中,新引进重大项目", "重大项目"),
        ("株洲市1-9月规模以上工业增加值", "规模以上工业增加值"),
        ("全市接待游客总人次", "接待游客总人次"),
    ],
)
def test_clean_metric(raw, clean):
    assert clean_metric(raw) == clean


def test_every_indicator_has_the_contract_keys():
    keys = {"metric", "measure", "value", "unit", "period", "rank", "rank_scope", "target", "evidence"}
    for item in extract_indicators("1-6月,全市地方收入104.9亿元,排全省第3,处置量排名全省第1。", CTX):
        assert set(item) == keys
        assert item["measure"] in {"level", "change", "share", "difference", "ratio", "rank"}
        assert (item["value"] is None) == (item["measure"] == "rank")


# --- later rules: approximate counts, signs, count nouns ------------------------------


def test_approximate_counts_keep_the_unit():
    assert ind("今年以来,全市新增市场主体1.2万余户。") == [("市场主体", "level", 1.2, "万户")]


def test_minus_sign_after_growth_is_negative():
    assert ind("全市房地产开发投资增长-12.3%。") == [("房地产开发投资", "change", -12.3, "%")]


@pytest.mark.parametrize(
    "text",
    [
        "会议听取了3个单位的工作汇报。",  # units of a meeting, not an economic count
        "全市共有32个部门参加活动。",
    ],
)
def test_counts_of_meeting_bodies_are_not_indicators(text):
    assert extract_indicators(text, CTX) == []


def test_first_months_period():
    assert written(one("今年前5个月,全市税收收入增长6.2%。")["period"]) == "2023-01/2023-05"


# --- people at a gathering; 同比 changes of a rate (held-out h07, h08) ----------------


@pytest.mark.parametrize(
    "text",
    [
        "出席会议的有区委委员35人,候补区委委员5人。",  # who sat the plenum, not an indicator
        "参会代表共计286人。",
        "列席会议的有市纪委委员和有关方面负责同志共42人。",
        "作交流发言的有12人。",
    ],
)
def test_counts_of_people_at_a_gathering_are_not_indicators(text):
    assert extract_indicators(text, CTX) == []


def test_counts_of_people_reached_stay_indicators():
    assert ind("城镇新增就业1.8万人,接待游客320万人次。") == [
        ("城镇新增就业", "level", 1.8, "万人"),
        ("接待游客", "level", 320, "万人次"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # 同比提高 of a rate in points compares two rates (this year's, last year's): a difference,
        # its metric the rate before it (spec, "More conventions")
        (
            "全市规模以上工业增加值占地区生产总值比重为35.2%,同比提高1.3个百分点。",
            [
                ("规模以上工业增加值占地区生产总值比重", "share", 35.2, "%"),
                ("规模以上工业增加值占地区生产总值比重", "difference", 1.3, "个百分点"),
            ],
        ),
        (
            "截至10月底,完成全年目标任务的78.5%,同比提高2.3个百分点。",
            [("目标任务", "share", 78.5, "%"), ("目标任务", "difference", 2.3, "个百分点")],
        ),
        # 同比减少 / 同比降低 are decreases, not "比…少" differences of a metric "…同"
        ("全市生产安全事故起数同比减少12.5%。", [("生产安全事故起数", "change", -12.5, "%")]),
        ("单位地区生产总值能耗同比降低3.1%。", [("单位地区生产总值能耗", "change", -3.1, "%")]),
        ("出口额环比增加2.1%。", [("出口额", "change", 2.1, "%")]),
        # against another place it stays a difference
        (
            "研发投入强度为2.6%,高于全省平均水平0.3个百分点。",
            [("研发投入强度", "level", 2.6, "%"), ("研发投入强度", "difference", 0.3, "个百分点")],
        ),
        ("居民人均可支配收入增速比全省快0.8个百分点。", [("居民人均可支配收入增速", "difference", 0.8, "个百分点")]),
    ],
)
def test_year_on_year_changes_and_differences(text, expected):
    assert ind(text) == expected


# --- places in front of metric names -------------------------------------------------


@pytest.mark.parametrize(
    "text, metric",
    [
        # the page writes the stem with 市 elsewhere: 株洲 is a place
        ("株洲市统计局发布数据。1-9月,株洲规模工业增加值增长7.6%。", "规模工业增加值"),
        # the suffix inside the metric itself
        ("岳阳市全年地区生产总值增长6.1%。", "地区生产总值"),
        ("1-9月,攸县财政总收入增长9.3%。", "财政总收入"),
        ("上半年,芙蓉区社会消费品零售总额增长8.2%。", "社会消费品零售总额"),
        ("湘西州旅游总收入增长12.4%。", "旅游总收入"),
        ("前三季度,湖南省进出口总额增长4.4%。", "进出口总额"),
        # a province or a directly-governed city, with no suffix anywhere on the page
        ("前三季度,湖南规模工业增加值增长7.1%。", "规模工业增加值"),
        ("上海外贸进出口总额增长3.2%。", "外贸进出口总额"),
        # determiners
        ("本县一般公共预算收入增长5.5%。", "一般公共预算收入"),
        ("我州接待游客总人次增长20.3%。", "接待游客总人次"),
    ],
)
def test_leading_place_is_not_part_of_the_metric(text, metric):
    assert one(text)["metric"] == metric


def test_a_place_named_in_another_article_of_the_page_is_a_place():
    ctx = DocContext(published=date(2023, 10, 20), year=2023, page_text="岳阳市召开经济运行分析会\n…")
    assert one("1-9月,岳阳规模工业增加值增长8.0%。", ctx)["metric"] == "规模工业增加值"


@pytest.mark.parametrize(
    "text, metric",
    [
        # zones and generic words before 区/市 are not places: the metric keeps them
        ("全市高新区建设加快。高新技术产业增加值增长11.2%。", "高新技术产业增加值"),
        ("旅游区提质升级。旅游收入增长15.0%。", "旅游收入"),
        ("全市工业区规模扩大。工业投资增长9.9%。", "工业投资"),
        ("中心城区常住人口增长1.2%。", "中心城区常住人口"),
        ("推动企业上市。上市公司营业收入增长6.3%。", "上市公司营业收入"),
        ("市重点项目投资增长12.0%。", "市重点项目投资"),
    ],
)
def test_zones_and_generic_words_are_not_places(text, metric):
    assert one(text)["metric"] == metric


# --- the year ahead and periods that are names ----------------------------------------


def test_full_year_target_after_new_year_takes_the_year_ahead():
    text = "2022年,全市地区生产总值增长6.9%。新的一年,要稳中求进,力争全年地区生产总值增长7%以上。"
    got = extract_indicators(text, DocContext(published=date(2023, 1, 9), year=2023))
    assert [(i["value"], written(i["period"]), i["target"]) for i in got] == [
        (6.9, "2022-01/2022-12", False),
        (7, "2023-01/2023-12", True),
    ]


def test_new_year_in_a_december_page_is_the_next_calendar_year():
    text = "今年全市规模工业增加值增长8.2%。新的一年,力争全年规模工业增加值增长8.5%。"
    got = extract_indicators(text, DocContext(published=date(2023, 12, 20), year=2023))
    assert [written(i["period"]) for i in got] == ["2023-01/2023-12", "2024-01/2024-12"]


@pytest.mark.parametrize(
    "text, period",
    [
        # 今年/明年 against the page's year, after a sentence about another year
        ("2022年,全市外贸进出口总额增长12%。今年,力争全年外贸进出口总额增长10%。", "2023-01/2023-12"),
        ("2023年社会消费品零售总额增长7%。明年,力争全年社会消费品零售总额增长8%。", "2024-01/2024-12"),
    ],
)
def test_today_and_next_year_words_set_the_year_of_full_year(text, period):
    assert written(extract_indicators(text, CTX)[-1]["period"]) == period


def test_new_year_without_a_published_date_follows_the_year_reviewed():
    text = "2021年,全市财政总收入增长9.1%。新的一年,力争全年财政总收入增长8%。"
    got = extract_indicators(text, DocContext(None, 2021))
    assert [written(i["period"]) for i in got] == ["2021-01/2021-12", "2022-01/2022-12"]


@pytest.mark.parametrize(
    "text",
    [
        "昨日,我市举行2022年第三季度重大项目集中签约活动,共签约项目31个,总投资215亿元。",
        "常德市举办一季度重点项目集中开工仪式,集中开工项目46个。",
        "上半年招商推介会议在长沙举行,现场签约项目12个。",
    ],
)
def test_period_in_an_event_name_is_not_the_figures_period(text):
    got = extract_indicators(text, CTX)
    assert got and all(i["period"] is None for i in got)


@pytest.mark.parametrize(
    "text, period",
    [
        # no event noun follows: the period is the figures' own
        ("上半年签约项目31个,总投资215亿元。", "2023-01/2023-06"),
        # a meeting that reviews the period's economy hears that period's figures
        ("会议听取一季度经济运行分析会议情况,全市规模工业增加值增长6.6%。", "2023-01/2023-03"),
        # a figure between the period and a later event noun: the period is the figure's
        ("前三季度全市签约项目58个,将在推介大会上发布。", "2023-01/2023-09"),
    ],
)
def test_period_before_figures_stays_a_period(text, period):
    assert written(extract_indicators(text, CTX)[0]["period"]) == period


def test_a_share_from_one_value_to_another_is_a_share_both_times():
    assert ind("服务业增加值比重由46.1%提高到52.4%。") == [
        ("服务业增加值比重", "share", 46.1, "%"),
        ("服务业增加值比重", "share", 52.4, "%"),
    ]


def test_a_quarter_within_the_half_takes_the_measured_thing_not_its_comparison():
    text = "上半年,全省地区生产总值增长5.6%,增速比全国高0.3个百分点。其中,二季度增长5.8%。"
    assert ind(text)[-1] == ("地区生产总值", "change", 5.8, "%")


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("力争全年新增专精特新企业45家以上。", 45, "家"),
        ("城镇新增就业6万人以上。", 6, "万人"),
        ("全市新增规上工业企业十二家。", 12, "家"),
    ],
)
def test_a_bound_after_a_count_is_no_noun(text, value, unit):
    got = one(text)
    assert (got["value"], got["unit"]) == (value, unit)


def test_comparisons_with_the_others_figures_in_brackets():
    text = "一季度,全市工业投资增长9.6%,分别高于全国(4.1%)、全省(5.3%)5.5个和4.3个百分点。"
    assert ind(text) == [
        ("工业投资", "change", 9.6, "%"),
        ("工业投资增速", "difference", 5.5, "个百分点"),
        ("工业投资增速", "difference", 4.3, "个百分点"),
        ("工业投资", "change", 4.1, "%"),
        ("工业投资", "change", 5.3, "%"),
    ]


def test_ahead_of_schedule_names_the_thing_measured():
    text = "上半年,全县税收收入完成9.8亿元,完成年度目标任务的56.1%,超时序进度6.1个百分点。"
    assert ind(text)[-1] == ("税收收入超时序进度", "difference", 6.1, "个百分点")


def test_counts_of_major_works_and_of_projects_signed():
    assert ind("全区158个市区重大工程完成投资402.5亿元。")[0] == ("市区重大工程", "level", 158, "个")
    assert ind("会后,28个项目现场签约,总投资96亿元。")[0] == ("现场签约项目", "level", 28, "个")


def test_a_contribution_of_several_sectors_keeps_its_count_words():
    assert ind("三个行业合计拉动全县规上工业增长4.2个百分点。") == [
        ("三个行业合计拉动全县规上工业增长", "change", 4.2, "个百分点")
    ]


def test_one_fact_in_headline_and_body_is_kept_once():
    text = "我县集中签约19个项目\n3月2日,我县举行重大项目集中签约活动,共签约项目19个,总投资76亿元。"
    found = ind(text)
    assert [v for _, _, v, _ in found] == [19, 76]


def test_an_amount_before_a_class_is_no_figure_but_a_count_before_projects_is():
    assert [(v, u) for _, _, v, u in ind("新签约10亿元项目3个。")] == [(3, "个")]
