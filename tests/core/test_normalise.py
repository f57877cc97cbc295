"""Normalisation rules, each on text other than the seeds."""

from bulletins.core.html import html_to_text, looks_like_html
from bulletins.core.normalise import normalise_text, strip_pinyin, unify_width


def test_traditional_becomes_simplified():
    assert normalise_text("長沙市政府常務會議召開") == "长沙市政府常务会议召开"


def test_zhe_in_traditional_text_becomes_simplified_zhe():
    assert "着力推动" in normalise_text("會議強調,要著力推動產業發展。")


def test_pinyin_annotations_dropped():
    assert normalise_text("岳陽(yáng)市經(jīng)濟運行良好。") == "岳阳市经济运行良好。"


def test_latin_abbreviations_kept():
    assert "生产总值(GDP)" in normalise_text("全市地区生产总值(GDP)增长5%。")


def test_width_unified():
    assert unify_width("增长5.2％，排第１") == "增长5.2%,排第1"


def test_strip_pinyin_leaves_untoned_english_in_brackets():
    assert strip_pinyin("株洲(CRRC)") == "株洲(CRRC)"


def test_chrome_lines_dropped():
    text = (
        "株洲市召开推进会\n展开阅读全文\n会议强调,要抓项目。\n分享到\n1 2 3 4\n发布时间:2024-05-06\n版权所有 株洲日报社"
    )
    assert normalise_text(text) == "株洲市召开推进会\n会议强调,要抓项目。"


def test_menu_run_dropped():
    text = "首页\n本地新闻\n政务动态\n专题\n岳阳市委常委会召开会议\n会议指出,要稳增长。"
    assert normalise_text(text).splitlines()[0] == "岳阳市委常委会召开会议"


def test_broken_sentence_rejoined():
    tail = "着全年目标任务奋力冲刺,确保重点项目开工率、投资完成率、入库率稳步提升,实现时间过半任务过半。"
    text = "会议强调,全市上下要以更大决心推进产业项目建设,向\n\n" + tail
    assert normalise_text(text) == "会议强调,全市上下要以更大决心推进产业项目建设,向" + tail


def test_long_broken_line_rejoined_whatever_follows():
    text = "株洲市委书记在会上指出,要坚持项目为王,牢固树立抓项目就是抓发展的理念,朝\n着目标前进。"
    assert normalise_text(text) == text.replace("\n", "")


def test_headlines_stay_on_their_own_lines():
    text = "抓项目促发展 推动经济持续向好发展奋力实现全年目标任务\n长沙市召开项目推进会\n长沙晚报讯 会议于5月6日召开,听取汇报。"
    assert normalise_text(text).splitlines() == text.splitlines()


def test_markdown_markers_and_digit_spaces_removed():
    assert normalise_text("# 市政府 2024 年第三次全体会议召开\n**株洲日报讯** 会议召开。") == (
        "市政府2024年第三次全体会议召开\n株洲日报讯 会议召开。"
    )


def test_html_to_text_keeps_paragraphs_and_drops_chrome():
    html = (
        "<html><head><script>x=1</script><style>p{}</style></head><body><nav>首页</nav>"
        "<h1>岳阳市召开<b>调度会</b></h1><p>岳阳日报讯 3月2日,会议召开。</p><p>第二段<br/>第三行</p>"
        "<footer>版权所有</footer></body></html>"
    )
    assert looks_like_html(html)
    assert html_to_text(html).splitlines() == ["岳阳市召开调度会", "岳阳日报讯 3月2日,会议召开。", "第二段", "第三行"]


def test_plain_text_is_not_taken_for_html():
    assert not looks_like_html("株洲市召开推进会\n会议强调,要抓项目。")


# --- what a wrong decoder left of annotated characters --------------------------------
# Invented sentences: a traditional character's GBK lead byte printed as "?" and its trail
# byte as ASCII (區 → "?^", 縣 → "??h"), an annotation cut from its bracket, one after "?".


def test_garbled_annotated_character_is_mended_from_its_reading_and_word():
    text = "要加快融入?yún)^(qū)域協(xié)同發(fā)展大局。"
    assert normalise_text(text) == "要加快融入区域协同发展大局。"


def test_garbled_character_without_reading_is_mended_from_the_word_and_the_page():
    text = "縣(xiàn)長周啟明出席。??h委書記吳立新主持會議,縣長周啟明講話。"
    assert normalise_text(text) == "县长周启明出席。县委书记吴立新主持会议,县长周启明讲话。"


def test_garbled_piece_that_names_no_character_goes():
    text = "激發(fā)市場?jié)活力,穩(wěn)(wěn)步推進。"
    out = normalise_text(text)
    assert "(" not in out and "jié" not in out and "wěn" not in out


def test_a_question_mark_in_prose_stays():
    text = "會議怎麼(me)開?全市上下要抓好落實?7月28日,會議召開。"
    assert normalise_text(text) == "会议怎么开?全市上下要抓好落实?7月28日,会议召开。"


def test_a_meta_line_is_chrome_and_does_not_join_the_lead():
    text = "全县项目集中签约\n2023-09-18 14:06 来源:县融媒体中心 作者:陈一 阅读:1086\n9月15日,全县重点项目集中签约仪式举行。"
    assert normalise_text(text) == "全县项目集中签约\n9月15日,全县重点项目集中签约仪式举行。"
