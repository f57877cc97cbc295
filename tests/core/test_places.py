"""The place of each meeting and indicator, and the division table behind it.

Every sentence here is invented, about cities and provinces other than the dev set's.
"""

from __future__ import annotations

import json

import pytest

from bulletins.core.jsonl import handle_line
from bulletins.core.divisions import COUNTRY_CODE, short_name, table
from bulletins.core.extract import extract_document
from bulletins.core.places import UnknownPlace, resolve_place
from bulletins.core.site_place import host_place


def places_of(text: str, place: str | None = None, published: str = "2024-10-20") -> list[tuple]:
    """(metric, value, place) of every indicator the extractor finds."""
    out = extract_document(text, published=published, place=place)
    return [(i["metric"], i["value"], i["place"]) for i in out["indicators"]]


def place_by_value(text: str, place: str | None = None) -> dict[float, str | None]:
    """value → place of every indicator."""
    return {v: p for _, v, p in places_of(text, place)}


# --- the division table ---------------------------------------------------------------


def test_county_level_city_rolls_up_to_its_prefecture_and_province():
    tbl = table()
    yiwu = resolve_place("义乌市")
    assert (yiwu.level, yiwu.kind) == ("county", "县级市")
    assert [d.name for d in tbl.ancestors(yiwu)] == ["义乌市", "金华市", "浙江省", "全国"]
    assert tbl.by_code[COUNTRY_CODE].name == "全国"


@pytest.mark.parametrize(
    "name, short",
    [
        ("湘西土家族苗族自治州", "湘西"),
        ("黔东南苗族侗族自治州", "黔东南"),
        ("广西壮族自治区", "广西"),
        ("新疆维吾尔自治区", "新疆"),
        ("西藏自治区", "西藏"),
        ("内蒙古自治区", "内蒙古"),
        ("通道侗族自治县", "通道"),
        ("大兴安岭地区", "大兴安岭"),
        ("锡林郭勒盟", "锡林郭勒"),
    ],
)
def test_short_names_drop_the_suffix_and_the_ethnic_names(name, short):
    assert short_name(name) == short


@pytest.mark.parametrize(
    "written, full",
    [
        ("恩施州", "恩施土家族苗族自治州"),
        ("湘西", "湘西土家族苗族自治州"),
        ("通道县", "通道侗族自治县"),
        ("浏阳", "浏阳市"),
        ("江西", "江西省"),
        ("330782", "义乌市"),
        ("全国", "全国"),
        ("福州市鼓楼区", "鼓楼区"),
        ("南京市鼓楼区", "鼓楼区"),
    ],
)
def test_resolve_place_reads_full_short_and_qualified_names(written, full):
    assert resolve_place(written).name == full


def test_a_qualified_name_picks_the_right_one_of_two_same_name_districts():
    assert resolve_place("福州市鼓楼区").code == "350102"
    assert resolve_place("南京市鼓楼区").code == "320106"


@pytest.mark.parametrize("written", ["鼓楼区", "光明顶市", ""])
def test_ambiguous_or_unknown_places_are_refused(written):
    with pytest.raises(UnknownPlace):
        resolve_place(written)


# --- indicators: the clause, the paragraph, the document -------------------------------


def test_province_figure_quoted_in_a_city_bulletin_is_the_provinces():
    text = (
        "佛山市经济运行情况\n"
        "前三季度,全省地区生产总值增长4.5%。我市地区生产总值增长5.1%,高于全省0.6个百分点,排全省第3。"
    )
    assert place_by_value(text, "佛山市") == {4.5: "广东省", 5.1: "佛山市", 0.6: "佛山市"}


def test_national_figure_is_quantified_for_the_country():
    text = "上半年,全国规模以上工业增加值增长6.0%,全市规模工业增加值增长7.2%。"
    assert place_by_value(text, "南昌市") == {6.0: "全国", 7.2: "南昌市"}


def test_yardsticks_and_ranks_do_not_move_the_figure_to_the_province():
    text = (
        "1-8月,全市固定资产投资增长6.3%,高于全省平均水平1.2个百分点,增速居全省第2;"
        "社会消费品零售总额占全省比重达到9.6%。"
    )
    got = place_by_value(text, "赣州市")
    assert set(got.values()) == {"赣州市"}, got


def test_a_county_level_city_is_its_own_place_and_its_cheng_is_itself():
    text = "义乌市召开经济形势分析会\n今年以来,全市进出口总额增长18.3%,规模以上工业增加值增长9.1%,增速居金华市第1。"
    assert set(place_by_value(text, "义乌市").values()) == {"义乌市"}


def test_a_county_named_in_a_city_bulletin_takes_that_county():
    text = "前三季度,全市地区生产总值增长5.6%。其中,浏阳市地区生产总值增长6.8%,宁乡市增长6.1%。"
    got = place_by_value(text, "长沙市")
    assert got[5.6] == "长沙市" and got[6.8] == "浏阳市"


def test_a_district_is_its_own_place():
    text = "一季度,武侯区社会消费品零售总额增长7.7%,全市增长6.4%。"
    assert place_by_value(text, "成都市") == {7.7: "武侯区", 6.4: "成都市"}


def test_a_zone_takes_the_city_it_lies_in():
    text = "上半年,株洲高新区规模工业增加值增长10.2%。"
    assert place_by_value(text, "湘潭市") == {10.2: "株洲市"}


def test_the_paragraph_subject_carries_to_later_sentences():
    text = (
        "岳阳市召开统计工作会议\n"
        "据省统计局消息,全省一季度规模工业增加值增长7.3%;高新技术产业增加值增长11.4%。\n"
        "全市一季度规模工业增加值增长8.1%;高新技术产业增加值增长12.6%。"
    )
    assert place_by_value(text, "岳阳市") == {7.3: "湖南省", 11.4: "湖南省", 8.1: "岳阳市", 12.6: "岳阳市"}


def test_a_place_in_passing_does_not_take_the_paragraphs_figures():
    text = "要打造全省高质量发展的增长极,力争全年地区生产总值增长6%以上。"
    assert place_by_value(text, "九江市") == {6.0: "九江市"}


def test_a_quoted_name_is_not_a_subject():
    text = "全县特色产业加快集聚,成功入选“浙江省级特色小镇”。全年新增规上企业42家。"
    assert place_by_value(text, "安吉县") == {42.0: "安吉县"}


def test_same_name_districts_are_told_apart_by_the_documents_province():
    text = "长春日报讯 前三季度,朝阳区地区生产总值增长5.9%。全市地区生产总值增长5.2%。"
    out = extract_document(text, published="2024-10-30")
    codes = {i["value"]: i["place_code"] for i in out["indicators"]}
    assert codes[5.9] == "220104" and codes[5.2] == "220100"


# --- the document's place, from the text ----------------------------------------------


def test_a_city_bulletin_without_a_hint_takes_the_city_its_dateline_names():
    text = "九江日报讯 1-9月,全市规模工业增加值增长8.4%,增速居全省第2位。"
    assert place_by_value(text) == {8.4: "九江市"}


def test_a_county_bulletin_says_county_words_and_names_the_county():
    text = "兴国县召开县委经济工作会议\n过去一年,全县地区生产总值增长6.2%,居全市第3;县委书记在会上作工作报告。"
    out = extract_document(text, published="2024-01-20")
    assert {i["place"] for i in out["indicators"]} == {"兴国县"}
    assert [m["place"] for m in out["meetings"]] == ["兴国县"]


def test_counties_of_one_prefecture_point_to_it():
    text = (
        "全市项目建设推进会召开\n"
        "4月9日,全市项目建设推进会召开。渠县、大竹县、宣汉县作交流发言。"
        "一季度,全市固定资产投资增长8.8%。"
    )
    assert place_by_value(text) == {8.8: "达州市"}


def test_no_place_anywhere_leaves_place_null():
    assert place_by_value("前三季度,全市地区生产总值增长5.0%。") == {5.0: None}


def test_ordinary_words_that_are_short_city_names_are_not_places():
    text = "会议向与会来宾通报,祝愿大家幸福安康。全市实际利用外资增长12.5%。"
    assert place_by_value(text) == {12.5: None}


# --- meetings ---------------------------------------------------------------------------


def test_meeting_names_name_their_body():
    text = "市政府召开第18次常务会议\n3月5日,市长主持召开市政府第18次常务会议,研究部署一季度经济工作。"
    out = extract_document(text, published="2024-03-06", place="绵阳市")
    assert [m["place"] for m in out["meetings"]] == ["绵阳市"]


def test_a_branch_venue_of_a_provincial_event_is_the_citys():
    text = "2月20日,浙江省2024年重大项目集中开工宁波分会场签约仪式在北仑区举行。"
    out = extract_document(text, published="2024-02-21")
    assert [m["place"] for m in out["meetings"]] == ["宁波市"]


def test_a_meeting_held_in_another_city_of_the_province_is_the_provinces():
    # the name names no place; the venue, another city of the document's province, does
    text = "九江市代表团参加博览会\n11月8日,第五届绿色发展推介会在上饶举行。九江市市长率团出席并在会上发言。"
    out = extract_document(text, published="2023-11-10", place="九江市")
    assert [m["place"] for m in out["meetings"]] == ["江西省"]


def test_a_meeting_held_inside_the_documents_city_stays_the_citys():
    text = "6月3日,乡村振兴现场推进会在修水县召开。"
    out = extract_document(text, published="2024-06-04", place="九江市")
    assert [m["place"] for m in out["meetings"]] == ["九江市"]


def test_the_body_that_held_a_meeting_names_its_level():
    text = "5月12日,省政府在南平召开生态保护工作会议。南平市市长在会上作交流发言。"
    out = extract_document(text, published="2024-05-13", place="南平市")
    assert [m["place"] for m in out["meetings"]] == ["福建省"]


# --- the extract command ------------------------------------------------------------------


def test_extract_command_takes_the_place_of_a_json_line():
    line = json.dumps(
        {"id": "x1", "text": "一季度,全市规模工业增加值增长7.5%。", "published": "2024-04-20", "place": "黄冈市"},
        ensure_ascii=False,
    )
    result = handle_line(line, 1)
    assert [(i["place"], i["place_code"]) for i in result["indicators"]] == [("黄冈市", "421100")]


def test_extract_command_records_an_unknown_place_as_the_documents_error():
    line = json.dumps(
        {"id": "x2", "text": "一季度,全市规模工业增加值增长7.5%。", "place": "光明顶市"}, ensure_ascii=False
    )
    assert "光明顶市" in handle_line(line, 1)["error"]


def test_each_figure_of_a_sentence_takes_the_subject_nearest_before_it():
    text = "前三季度,全省地区生产总值增长4.1%,南宁市地区生产总值增长4.6%,全省排名第2。"
    assert place_by_value(text, "南宁市") == {4.1: "广西壮族自治区", 4.6: "南宁市"}


def test_a_rank_among_the_province_after_a_figure_is_no_subject_for_the_next():
    text = "一季度,全市规模工业增加值增长8.2%,全省排名第4,固定资产投资增长5.5%。"
    assert set(place_by_value(text, "柳州市").values()) == {"柳州市"}


def test_quanqu_of_an_autonomous_regions_bulletin_is_the_region():
    text = "广西日报讯 前三季度,全区地区生产总值增长4.2%。"
    assert place_by_value(text) == {4.2: "广西壮族自治区"}


def test_an_outlet_named_after_a_county_level_city_speaks_for_it():
    text = (
        "醴陵日报讯 3月2日,全市经济工作会议召开。株洲市委常委、醴陵市委书记出席并讲话。"
        "2023年,全市地区生产总值增长5.2%。"
    )
    out = extract_document(text, published="2024-03-03")
    assert [m["place"] for m in out["meetings"]] == ["醴陵市"]
    assert [i["place"] for i in out["indicators"]] == ["醴陵市"]


@pytest.mark.parametrize(
    "url, place",
    [
        ("http://www.zhuzhou.gov.cn/c/20240105/1.html", "株洲市"),
        ("https://www.liling.gov.cn/xxgk/1.html", "醴陵市"),
        ("http://www.hubei.gov.cn/zwgk/1.html", "湖北省"),
        ("http://www.taizhou.gov.cn/1.html", None),  # 泰州 and 台州 sound alike: the host says nothing
        ("https://news.example.com/1.html", None),
    ],
)
def test_a_sites_host_names_its_place(url, place):
    found = host_place(url)
    assert (found.name if found else None) == place


def test_the_host_speaks_only_when_the_text_names_no_place():
    text = "市政府召开常务会议\n一季度,全市规模工业增加值增长7.9%。"
    assert [i["place"] for i in extract_document(text, url="http://www.zhuzhou.gov.cn/a/1.html")["indicators"]] == [
        "株洲市"
    ]
    named = "九江日报讯 一季度,全市规模工业增加值增长7.9%。"
    assert [i["place"] for i in extract_document(named, url="http://www.zhuzhou.gov.cn/a/1.html")["indicators"]] == [
        "九江市"
    ]


def test_a_two_character_county_name_inside_a_word_is_no_place():
    text = "南平日报讯 全市加强管理县域经济运行,一季度规模工业增加值增长6.6%。"
    assert place_by_value(text) == {6.6: "南平市"}


def test_an_ordinal_after_a_name_is_no_rank():
    text = "中国共产党宁远县第十四届委员会第五次全体会议召开\n会议指出,全县地区生产总值增长6.0%。"
    out = extract_document(text, published="2024-01-10")
    assert {i["place"] for i in out["indicators"]} == {"宁远县"}


def test_a_prefecture_before_a_span_of_months_is_the_subject():
    text = "一、招商引资\n大理州前8个月实际到位省外产业资金增长11.3%。"
    assert place_by_value(text, "祥云县") == {11.3: "大理白族自治州"}


def test_a_bracketed_place_in_a_meetings_name_is_its_venue():
    text = "11月9日,茂名(广州)产业招商推介会在广州举行。"
    out = extract_document(text, published="2023-11-10")
    assert [m["place"] for m in out["meetings"]] == ["茂名市"]


def test_an_outlet_in_the_page_chrome_names_a_county_level_citys_page():
    text = (
        "首页 > 本地新闻\n兴化市一季度经济运行稳中向好\n发布时间:2024-04-28 来源:兴化市融媒体中心\n"
        "一季度,全市地区生产总值增长5.1%,增速排泰州市各市(区)第2位。"
    )
    assert place_by_value(text) == {5.1: "兴化市"}


@pytest.mark.parametrize(
    "text",
    [
        "青羊发布 7月18日,区委常委会召开会议。上半年,全区地区生产总值增长6.2%,高于全市0.5个百分点。",
        "云上青羊 7月18日,区委常委会召开会议。上半年,全区地区生产总值增长6.2%,高于全市0.5个百分点。",
    ],
)
def test_outlet_brands_name_a_district(text):
    assert place_by_value(text) == {6.2: "青羊区", 0.5: "青羊区"}


def test_a_province_wide_event_reported_by_a_city_is_the_citys():
    text = (
        "全省重大项目集中开工动员会举行 芜湖分会场52个项目集中开工\n"
        "3月28日,全省重大项目集中开工动员会以视频形式举行。芜湖市在经开区设分会场。\n"
        "此次芜湖分会场集中开工项目52个,总投资310.5亿元。"
    )
    assert set(place_by_value(text).values()) == {"芜湖市"}


def test_a_city_named_only_in_quotes_still_names_the_document():
    text = "我市上半年地区生产总值增长3.1%,跑出项目建设的“绵阳速度”。"
    assert place_by_value(text) == {3.1: "绵阳市"}


def test_a_scope_word_the_document_cannot_resolve_leaves_the_place_open():
    # no province is named anywhere: 全省 is unknown, not the 全国 of the sentence before
    text = "国家统计局发布数据,一季度全国国内生产总值增长5.3%。全省地区生产总值增长5.9%。"
    assert place_by_value(text) == {5.3: "全国", 5.9: None}


def test_quanxian_in_a_city_bulletin_is_the_county_named_before_it():
    text = "市长主持召开会议。\n一季度,渌口区固定资产投资增长8.0%,全区地区生产总值增长5.9%。"
    assert place_by_value(text, "株洲市") == {8.0: "渌口区", 5.9: "渌口区"}


def test_a_city_holding_its_own_meeting_in_another_city_keeps_it():
    text = "11月9日,九江市在南昌举行招商推介会,签约项目12个。"
    out = extract_document(text, published="2023-11-10", place="九江市")
    assert [m["place"] for m in out["meetings"]] == ["九江市"]


def test_a_prefectures_short_name_is_cut_from_a_metric_without_its_suffix_on_the_page():
    # the page never writes 株洲市, yet the table knows 株洲 is a prefecture
    metrics = [m for m, _, _ in places_of("1-9月,株洲规模工业增加值增长7.6%。", "湘潭市")]
    assert metrics == ["规模工业增加值"]
