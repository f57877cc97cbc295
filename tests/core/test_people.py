"""Participant rules: names by surname, roles by verb, titles as written."""

import pytest

from bulletins.core.people import is_person_name, participants


def roles(text):
    """name → (role, title) for the text."""
    return {p.name: (p.role, p.title) for p in participants(text)}


def test_chair_with_compound_title():
    assert roles("市委副书记、市长周海兵主持会议。") == {"周海兵": ("chair", "市委副书记、市长")}


def test_speaker_after_title():
    assert roles("市委书记吴桂英强调,要抓好项目建设。") == {"吴桂英": ("speaker", "市委书记")}


def test_chair_who_speaks_stays_chair():
    text = "市长刘基主持会议并讲话。刘基指出,要稳住经济大盘。刘基强调,要守牢底线。"
    assert roles(text)["刘基"] == ("chair", "市长")


def test_photo_caption_makes_a_speaker():
    assert roles("▲曹炯芳讲话。") == {"曹炯芳": ("speaker", None)}


def test_speech_at_meeting_headline():
    assert roles("李爱武在全市项目建设推进会上强调——")["李爱武"][0] == "speaker"


def test_presenters():
    text = "副市长陈恢清通报全市经济运行情况;市委常委、秘书长毛腾飞作工作报告;市发改委主任彭波解读政策。"
    got = roles(text)
    assert got["陈恢清"] == ("presenter", "副市长")
    assert got["毛腾飞"] == ("presenter", "市委常委、秘书长")
    assert got["彭波"] == ("presenter", "市发改委主任")


def test_leaders_list_shares_title_and_verb():
    text = "市领导王卫安、谢卫江、李志超及全体在家市级领导出席会议。"
    assert roles(text) == {n: ("attendee", "市领导") for n in ("王卫安", "谢卫江", "李志超")}


def test_separate_titles_share_one_verb():
    text = "市委书记黄兰香,市委副书记、市长李挚出席并为获奖者颁奖。"
    assert roles(text) == {"黄兰香": ("attendee", "市委书记"), "李挚": ("attendee", "市委副书记、市长")}


def test_present_and_speak_is_speaker():
    assert roles("省委常委、市委书记吴桂英出席并讲话。")["吴桂英"] == ("speaker", "省委常委、市委书记")


def test_list_of_speakers_takes_title_from_count_phrase():
    text = "座谈会上,唐正平、欧阳晓、司马南等5位企业家代表先后发言。"
    got = roles(text)
    assert set(got) == {"唐正平", "欧阳晓", "司马南"}
    assert all(v == ("presenter", "企业家代表") for v in got.values())


def test_award_winners_are_not_participants():
    text = "获奖名单分别是:张小梅、李建国、王海。市领导刘华出席。"
    assert roles(text) == {"刘华": ("attendee", "市领导")}


def test_places_and_organisations_are_not_names():
    text = "雨湖区、岳塘区、湘乡市分别交流发言。常宁市政府负责人作典型发言。"
    assert roles(text) == {}


def test_everyday_words_are_not_names():
    assert roles("会议强调,要稳增长。文件要求,严格落实。方案指出,加强保障。") == {}


def test_person_once_with_best_role_and_its_title():
    text = "市委常委、常务副市长邓群策通报情况。市领导邓群策、陈爱玲出席。"
    got = roles(text)
    assert got["邓群策"] == ("presenter", "市委常委、常务副市长")
    assert got["陈爱玲"] == ("attendee", "市领导")


def test_long_organisation_title():
    text = "省委第三巡视组副组长杨光明,市政府秘书长周正参加。"
    assert roles(text) == {"杨光明": ("attendee", "省委第三巡视组副组长"), "周正": ("attendee", "市政府秘书长")}


@pytest.mark.parametrize(
    "name,ok",
    [
        ("欧阳斌", True),
        ("王强", True),
        ("司马南", True),
        ("张", False),
        ("衡南县", False),
        ("文件", False),
        ("王大力士", False),
    ],
)
def test_name_shape(name, ok):
    assert is_person_name(name) is ok
