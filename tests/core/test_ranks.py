"""Ranks belong to the figure they rank. Invented sentences of other cities and provinces."""

from datetime import date

import pytest

from bulletins.core.context import DocContext
from bulletins.core.indicators import extract_indicators

CTX = DocContext(published=date(2024, 7, 26), year=2024)


def ranks(text):
    """(metric, measure, value, rank, rank_scope) of every indicator of ``text``."""
    return [(i["metric"], i["measure"], i["value"], i["rank"], i["rank_scope"]) for i in extract_indicators(text, CTX)]


def test_rank_goes_to_the_growth_not_the_comparison_after_it():
    assert ranks("上半年,柳州市地区生产总值增长4.2%,高出全区平均水平0.6个百分点,排名全区第三。") == [
        ("地区生产总值", "change", 4.2, 3, "全区"),
        ("地区生产总值增速", "difference", 0.6, None, None),
    ]


def test_every_growth_rate_before_jun_takes_the_rank():
    found = ranks("一季度,财政总收入增长8.1%,税收收入增长6.4%,增速均排同类城市第2,税收占比为72.5%,排全省第4。")
    assert [(m, r) for m, _, _, r, _ in found] == [("财政总收入", 2), ("税收收入", 2), ("税收占比", 4)]


def test_listed_names_share_their_head_and_take_their_ranks_in_order():
    found = ranks("1-6月,固定资产投资、工业投资增速分别排名全省第五、第二;")
    assert [(m, r) for m, _, _, r, _ in found] == [("固定资产投资增速", 5), ("工业投资增速", 2)]


def test_jun_over_a_list_gives_each_name_the_rank():
    found = ranks("净增规上工业、限上商贸企业个数均居全省第1。")
    assert [(m, r) for m, _, _, r, _ in found] == [("净增规上工业企业个数", 1), ("限上商贸企业个数", 1)]


def test_a_count_of_indicators_ranks_the_growth_of_each_amount():
    found = ranks("市场主体总量41.2万户,排全省第4,企业总量9.6万户,排全省第5,两项指标增幅均居全省第1。")
    assert [(m, me, r) for m, me, _, r, _ in found] == [
        ("市场主体总量", "level", 4),
        ("企业总量", "level", 5),
        ("市场主体总量增幅", "rank", 1),
        ("企业总量增幅", "rank", 1),
    ]


def test_a_second_scope_without_a_verb():
    found = ranks("新增专精特新企业数排全省第6,中部城市第2;")
    assert [(m, r, s) for m, _, _, r, s in found] == [("专精特新企业数", 6, "全省"), ("专精特新企业数", 2, "中部城市")]


def test_a_rank_of_a_clause_with_no_figure_names_its_metric():
    assert ranks("工业投资高于全省平均水平,居全省第4;") == [("工业投资", "rank", None, 4, "全省")]


def test_a_rank_apart_from_its_figure_ranks_it_too():
    text = "全县地区生产总值增长6.1%,规上工业增加值增长9.3%。\n过去半年,全县地区生产总值增长居全市第2。"
    found = extract_indicators(text, CTX)
    assert found[0]["rank"] == 2 and found[0]["rank_scope"] == "全市"


@pytest.mark.parametrize(
    "text",
    [
        "主要经济指标增速均居全省前列。",  # 前列 is no rank
        "全市有5个县进入全省前3。",  # 前3 is no rank
        "安排第三批专项资金2000万元。",  # 安排…第三批: no rank
    ],
)
def test_not_ranks(text):
    assert all(i["rank"] is None for i in extract_indicators(text, CTX))


def test_rank_verbs_of_other_provinces():
    assert ranks("协议引资额列全省第三位。") == [("协议引资额", "rank", None, 3, "全省")]
    assert ranks("全年规模工业增加值增速全省第一。")[0][3] == 1


def test_two_growths_ranked_together_not_the_amount_between():
    found = ranks("全县工业增加值增长8.3%,社会消费品零售总额96.5亿元,增长4.7%,两项指标增速均居全市第2位。")
    assert [(me, r) for _, me, _, r, _ in found] == [("change", 2), ("level", None), ("change", 2)]


def test_first_place_is_rank_one():
    assert ranks("全区外贸进出口总额居全市首位。") == [("外贸进出口总额", "rank", None, 1, "全市")]


def test_a_threshold_is_no_figure():
    found = ranks("新招引5亿元以上先进制造业项目9个。")
    assert [(v, u) for (_, _, v, _, _), u in zip(found, ["个"])] == [(9, "个")]


def test_growths_ranked_after_a_semicolon_in_order():
    found = ranks(
        "城镇居民人均可支配收入31250元,增长4.9%;农村居民人均可支配收入16480元,增长6.3%,增速分别居全市第5位、第1位。"
    )
    assert [(me, v, r) for _, me, v, r, _ in found if me == "change"] == [("change", 4.9, 5), ("change", 6.3, 1)]
