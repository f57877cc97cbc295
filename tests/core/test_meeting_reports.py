"""Every meeting in an article, each with its own name, date and people.

Invented reports in the styles of other provinces' bulletins; names and places are made up.
"""

from datetime import date

from bulletins.core.context import DocContext
from bulletins.core.meetings import find_meetings

CTX = DocContext(published=date(2024, 3, 22), year=2024)


def roles(meeting):
    """{name: role} of a meeting's participants."""
    return {p.name: p.role for p in meeting["participants"]}


def test_plenary_then_standing_meeting_each_with_its_chair():
    body = (
        "3月20日上午,襄阳市政府第五次全体会议召开。市长吴晓东主持会议并讲话。"
        "会议听取了全市一季度经济运行情况汇报。\n"
        "随后,吴晓东主持召开市政府第28次常务会议,研究城市更新等事项。副市长孟令军出席会议。"
    )
    found = find_meetings("", body, CTX)
    assert [m["name"] for m in found] == ["襄阳市政府第五次全体会议", "市政府第28次常务会议"]
    assert [m["start_date"] for m in found] == [date(2024, 3, 20), date(2024, 3, 20)]  # 随后: the same day
    assert roles(found[0]) == {"吴晓东": "chair"}
    assert roles(found[1]) == {"吴晓东": "chair", "孟令军": "attendee"}  # named in the second only


def test_promotion_then_signing_ceremony():
    body = (
        "3月18日,2024年赣州(深圳)产业招商推介会在深圳举行。市委书记李忠明致辞。\n"
        "在随后举行的重点项目集中签约仪式上,26个项目集中签约,总投资208亿元。副市长胡国庆主持签约仪式。"
    )
    found = find_meetings("", body, CTX)
    assert [m["kind"] for m in found] == ["推介会", "签约仪式"]
    assert roles(found[0]) == {"李忠明": "speaker"}
    assert roles(found[1]) == {"胡国庆": "chair"}


def test_next_day_and_a_day_written_alone():
    body = (
        "3月12日,全省县域经济发展现场推进会在晋江召开。\n"
        "次日上午,全省县域经济发展座谈会召开。\n"
        "14日下午,观摩组召开总结点评会。"
    )
    found = find_meetings("", body, CTX)
    assert [m["start_date"] for m in found] == [date(2024, 3, 12), date(2024, 3, 13), date(2024, 3, 14)]


def test_a_week_chronicle():
    body = (
        "【一周要闻】\n"
        "3月11日,县委常委会召开会议,传达学习全国两会精神。县委书记赵海平主持会议。\n"
        "3月13日,全县安全生产工作会议召开。县长钱立明出席并讲话。\n"
        "3月15日,全县招商引资项目集中开工活动在工业园区举行。"
    )
    found = find_meetings("", body, CTX)
    assert [m["start_date"] for m in found] == [date(2024, 3, 11), date(2024, 3, 13), date(2024, 3, 15)]
    assert found[2]["kind"] is None  # …活动 names no type of meeting
    assert roles(found[1]) == {"钱立明": "speaker"}


def test_one_sitting_named_twice_in_a_sentence_is_one_meeting():
    body = "1月9日,遂宁市第九届人民代表大会第四次会议在市会议中心举行第一次全体会议。大会执行主席刘建平主持会议。"
    found = find_meetings("", body, CTX)
    assert len(found) == 1 and roles(found[0]) == {"刘建平": "chair"}


def test_headline_name_in_another_wording_is_the_same_meeting():
    body = "中国共产党荆门市第八届委员会第七次全体会议,于2023年12月27日在荆门召开。"
    found = find_meetings("中共荆门市委八届七次全会召开", body, DocContext(None, 2023))
    assert len(found) == 1 and found[0]["start_date"] == date(2023, 12, 27)


def test_meetings_only_referred_to_or_announced_are_not_held():
    body = (
        "4月2日,全市营商环境优化提升大会召开。会议要求,全力抓好第二届文博会各项筹备工作。"
        "《全市优化营商环境大会开幕式议程》经审议通过。此次大会共设3个分会场。"
        "全市乡村振兴推进会召开在即。市里成功获得第五届全省旅发大会举办权。4月8日将召开全市防汛工作会议。"
    )
    found = find_meetings("", body, CTX)
    assert [m["name"] for m in found] == ["全市营商环境优化提升大会"]


def test_an_event_clause_and_a_speech_to_guests():
    body = "3月5日,在全县春季重大项目集中签约仪式上,12个项目落地。"
    assert find_meetings("", body, CTX)[0]["name"] == "全县春季重大项目集中签约仪式"
    found = find_meetings("", "王立平在全市2024年新春企业家座谈会上寄语广大企业家。", CTX)
    assert found[0]["name"] == "全市2024年新春企业家座谈会" and roles(found[0]) == {"王立平": "speaker"}


def test_a_headline_left_in_the_body_is_not_the_report():
    body = (
        "江西省政府新闻办召开一季度全省经济运行情况新闻发布会\n"
        "4月18日,省政府新闻办召开新闻发布会,省统计局局长周立安发布一季度经济运行情况。"
    )
    found = find_meetings("", body, CTX)
    assert len(found) == 1 and found[0]["start_date"] == date(2024, 4, 18)


def test_links_to_other_articles_are_no_meetings():
    body = (
        "标题导航\n· 市委常委会召开会议\n· 市政府召开外资企业座谈会\n"
        "3月14日,市委书记宋立华主持召开市委常委会会议,研究部署一季度工作。"
    )
    found = find_meetings("", body, CTX)
    assert [m["name"] for m in found] == ["市委常委会会议"]


def test_a_sitting_named_in_the_format_is_part_of_the_meeting():
    body = (
        "3月6—7日,全市重点项目现场观摩推进会举行。会议采取“现场观摩+集中会议”形式,市长杜明远主持会议。\n"
        "7日上午召开集中会议,市发改委通报了重点项目推进情况。"
    )
    found = find_meetings("", body, CTX)
    assert [m["name"] for m in found] == ["全市重点项目现场观摩推进会"]


def test_headline_in_other_words_with_one_meeting_in_the_body():
    found = find_meetings(
        "区委常委会召开上半年经济形势分析会",
        "7月16日,区委书记郭立平主持召开区委常委会会议,专题分析上半年经济形势。",
        CTX,
    )
    assert len(found) == 1 and found[0]["name"] == "区委常委会会议"
