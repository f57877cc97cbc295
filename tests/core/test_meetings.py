"""Meeting rules: held, not referred to; name, kind, dates, format, one meeting an article."""

from datetime import date

from bulletins.core.context import DocContext
from bulletins.core.facts import Participant
from bulletins.core.meetings import find_meeting, kind_of

CTX = DocContext(None, 2024)


def test_headline_and_lead_merge_into_one_meeting():
    title = "株洲市召开民营企业座谈会"
    body = "株洲日报讯 3月5日,市委副书记、市长刘事青主持召开全市民营企业家座谈会。刘事青强调,要优化营商环境。"
    m = find_meeting(title, body, CTX)
    assert m["name"] == "全市民营企业家座谈会"
    assert m["kind"] == "座谈会"
    assert m["start_date"] == m["end_date"] == date(2024, 3, 5)
    assert m["participants"] == (Participant("刘事青", "市委副书记、市长", "chair"),)


def test_subject_then_held_verb():
    m = find_meeting("", "6月18日,岳阳市政府2024年第四次常务会议召开。市长李爱武主持会议。", CTX)
    assert (m["name"], m["kind"], m["start_date"]) == ("岳阳市政府2024年第四次常务会议", "常务会议", date(2024, 6, 18))


def test_two_day_meeting_and_format():
    body = "11月8—9日,全市项目建设观摩讲评会举行。会议采取“观摩+讲评”的方式,现场看项目。"
    m = find_meeting("", body, DocContext(None, 2023))
    assert (m["start_date"], m["end_date"], m["format"]) == (date(2023, 11, 8), date(2023, 11, 9), "观摩+讲评")


def test_video_conference_format():
    m = find_meeting("", "4月2日,我市以视频会议方式召开全市安全生产工作会议。", CTX)
    assert m["format"] == "视频会议"
    assert m["name"] == "全市安全生产工作会议"


def test_meeting_adopting_a_document():
    body = "(2023年12月20日中国共产党长沙市第十三届委员会第五次全体会议通过)\n一、总体要求。"
    m = find_meeting("关于制定规划的建议", body, DocContext(None, 2023))
    assert m["name"] == "中国共产党长沙市第十三届委员会第五次全体会议"
    assert m["start_date"] == date(2023, 12, 20)


def test_meetings_only_referred_to_are_not_held():
    body = (
        "会议强调,要认真学习贯彻中央经济工作会议精神。要开好全市优化营商环境大会。"
        "以优异成绩迎接党的二十大胜利召开。要筹办好第四届旅游发展大会。"
    )
    assert find_meeting("", body, CTX) is None


def test_plain_reference_without_held_verb_is_none():
    assert find_meeting("", "株洲市委十三届六次全会提出,要建设制造名城。", CTX) is None


def test_no_date_in_text_gives_null_dates():
    m = find_meeting("岳阳市委经济工作会议召开", "会议强调,要稳中求进。▲曹普华讲话。", CTX)
    assert (m["start_date"], m["end_date"]) == (None, None)
    assert m["participants"] == (Participant("曹普华", None, "speaker"),)


def test_speech_headline_is_a_held_meeting():
    m = find_meeting("王成在全市“项目攻坚年”动员大会上强调——", "会议部署了全年任务。", CTX)
    assert m["name"] == "全市“项目攻坚年”动员大会"
    assert m["participants"][0].role == "speaker"


def test_quoted_name_with_space():
    body = "5月20日晚,“奋进新时代 建功新征程”长沙市第三届“最美基层干部”颁奖典礼在市文化馆举行。"
    m = find_meeting("", body, CTX)
    assert m["name"] == "“奋进新时代 建功新征程”长沙市第三届“最美基层干部”颁奖典礼"
    assert m["kind"] == "颁奖典礼"


def test_one_meeting_per_article():
    body = "7月3日,全市经济运行分析会召开。会议指出,要稳增长。7月4日将召开全市防汛调度会。"
    m = find_meeting("全市经济运行分析会召开", body, CTX)
    assert m["name"] == "全市经济运行分析会"


def test_kind_is_the_longest_generic_ending():
    assert kind_of("湘潭市政府常务会议") == "常务会议"
    assert kind_of("市委十三届五次全会") == "全会"
    assert kind_of("全市重点项目调度会") == "调度会"
    assert kind_of("全市经济工作") is None


# Sentences for the kind-first name finder: each is what the plain regex NAME + tail finds,
# which the finder replaces for speed (names with quotes, two meetings, a place and a date
# between name and verb, 代表大会 ending in 大会, a name longer than a clause allows).
ANCHORED_CASES = (
    "6月18日,岳阳市政府2024年第四次常务会议召开。",
    "“文明创建 有你有我”主题宣讲会在市民中心举行,全市志愿服务工作推进会随后召开",
    "中国共产党常德市第八届委员会第六次全体会议,于2023年12月26日至27日在常德召开",
    "湘潭市第十七届人民代表大会第三次会议隆重开幕,市人民代表大会常务委员会工作报告审议通过",
    "《益阳市国土空间总体规划》专家论证会于9月5日召开",
    "全市" + "重点项目" * 20 + "调度会召开",
    "会议审议通过了有关文件,全市经济工作会议的召开",
)


def test_kind_first_finder_finds_what_the_name_regex_finds():
    import re
    from bulletins.core.meetings import _names_before
    from bulletins.core.rules_meetings import HELD_FORMS, HELD_TAILS, NAME

    checked = 0
    for clause in ANCHORED_CASES:
        for (lead, tail, _), tails in zip(HELD_FORMS, HELD_TAILS):
            if lead is None:
                expected = [m.span("name") for m in re.finditer(NAME + tail, clause)]
                assert _names_before(clause, tails) == expected, clause
                checked += bool(expected)
    assert checked >= len(ANCHORED_CASES) - 1  # all but the 的召开 sentence hold a held name
