"""Page splitting: articles at headline + lead, fragments kept and flagged."""

from bulletins.core.split import split_articles

PAGE = "\n".join(
    [
        "用才、用心服务。突出强基固本,在增强基层组织力上下功夫,做到党的组织覆盖到哪里,作用就体现到哪里。",
        "抓项目促发展 推动经济持续向好",
        "株洲市召开项目推进会",
        "株洲日报讯(记者 张三)5月6日,全市项目推进会召开。会议强调,要抓项目。",
        "会议要求,要压实责任,确保项目按期投产见效,为全年目标任务完成提供有力支撑。",
        "市领导李四、王五出席。",
        "聚焦主业 做强实体",
        "株洲市企业家座谈会举行",
        "株洲日报讯(记者 赵六)5月7日,企业家座谈会举行。与会企业家围绕营商环境建言献策,会议气氛热烈,大家纷纷",
    ]
)


def test_articles_split_at_each_lead():
    arts = split_articles(PAGE)
    assert [a.title for a in arts[1:]] == [
        "抓项目促发展 推动经济持续向好 株洲市召开项目推进会",
        "聚焦主业 做强实体 株洲市企业家座谈会举行",
    ]
    assert arts[1].byline == "株洲日报讯(记者 张三)"
    assert arts[1].body.startswith("5月6日,全市项目推进会召开。")


def test_text_before_first_headline_is_a_fragment():
    first = split_articles(PAGE)[0]
    assert first.is_fragment and first.title == "" and first.body.startswith("用才")


def test_article_cut_at_page_end_is_a_fragment():
    arts = split_articles(PAGE)
    assert arts[-1].is_fragment and not arts[1].is_fragment


def test_text_after_closing_attendee_line_is_another_fragment():
    page = "\n".join(
        [
            "岳阳市召开调度会",
            "岳阳日报讯(记者 周七)8月1日,全市防汛调度会召开。市长李爱武主持会议。",
            "市领导王一、李二出席会议。",
            "据了解,此次评选活动由市文明办主办,共收到推荐材料二百余份,最终评出十名先进个人。",
        ]
    )
    arts = split_articles(page)
    assert len(arts) == 2
    assert arts[1].is_fragment and arts[1].body.startswith("据了解")


def test_single_article_page_stays_whole():
    page = "\n".join(
        [
            "时过半年,如何跑好下半场?长沙这场会议说清了",
            "会议现场。",
            "新湖南客户端 记者 李明 长沙报道",
            "7月20日,长沙市政府2024年第二次全体会议召开。会议总结上半年工作,部署下半年任务。",
            "会议要求,要抓好项目建设,稳住经济大盘,确保全年目标任务顺利完成,各项工作落到实处。",
        ]
    )
    arts = split_articles(page)
    assert len(arts) == 1 and not arts[0].is_fragment
    assert arts[0].title == "时过半年,如何跑好下半场?长沙这场会议说清了"
    assert arts[0].byline == "新湖南客户端 记者 李明 长沙报道"


def test_page_without_lead_is_one_article_with_its_headline():
    page = (
        "株洲市委经济工作会议召开\n▲会议现场。\n会议强调,要坚持稳中求进工作总基调,扎实做好明年经济工作,推动高质量发展。"
    )
    arts = split_articles(page)
    assert len(arts) == 1
    assert arts[0].title == "株洲市委经济工作会议召开"


def test_empty_text_has_no_articles():
    assert split_articles("") == []
