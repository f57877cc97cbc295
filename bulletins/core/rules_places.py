"""Tables of the place pass: the words that stand for a place, and the contexts where a named
place is not what a figure is about. Examples are invented, from other provinces.
"""

from __future__ import annotations

import re

# Words that stand for the document's own place, by the level they name (see ``Scope``):
# 全省规模工业增加值增长6.2% is the province's figure, 我市 the city's, 全县 the county's.
SCOPE_WORDS = {
    "全国": "country",
    "我国": "country",
    "全省": "province",
    "我省": "province",
    "本省": "province",
    "全市": "city",
    "我市": "city",
    "本市": "city",
    "全州": "autonomous prefecture",
    "我州": "autonomous prefecture",
    "本州": "autonomous prefecture",
    "全县": "county",
    "我县": "county",
    "本县": "county",
    "该县": "county",
    "全区": "district",
    "我区": "district",
    "本区": "district",
}

# Bodies that hold meetings, by the level they belong to: 省政府举办…工作会议 is the province's
# meeting, 县委全会 the county's. They say who acts, never what a figure is about.
BODY_WORDS = {
    "国务院": "country",
    "党中央": "country",
    "省委": "province",
    "省政府": "province",
    "省人大": "province",
    "省政协": "province",
    "市委": "city",
    "市政府": "city",
    "市人大": "city",
    "市政协": "city",
    "州委": "autonomous prefecture",
    "州政府": "autonomous prefecture",
    "县委": "county",
    "县政府": "county",
    "县人大": "county",
    "县政协": "county",
    "区委": "district",
    "区政府": "district",
}

MARKERS = re.compile("|".join(sorted({**SCOPE_WORDS, **BODY_WORDS}, key=len, reverse=True)))

# A place right after these words is a yardstick, a venue or a destination, not the subject
# of the figure: 高于全省平均0.6个百分点, 排全省第2, 占全市比重, 在全省率先, 在株洲举行, 向省主会场报告.
NOT_SUBJECT_BEFORE = re.compile(
    r"(?:高于|低于|高出|低出|快于|慢于|超过|超出|优于|好于|领先|跑赢|比|较|同|与|占|居|排|排名|列|在|于|向|赴|"
    r"到|至|获评|入选|荣获|获得|覆盖)$"
)

# ... and before these: 全省第1, 全省平均, 全国前列, 全省前三 (not 大理州前8个月), 全市水平, 全省首个,
# 全省排名第3, 省主会场,
# 宜宾各县(区): a rank among a prefecture's counties is about one of them.
NOT_SUBJECT_AFTER = re.compile(
    r"^(?:平均|第(?![\d一二三四五六七八九十百]+[届次期批号条])|前(?=列|茅|[\d一二三四五六七八九十]+(?:名|位|强|$|[,;。、]))|首|均值|水平|同期|范围|总量的|比重|份额|排名|"
    r"排位|位次|主会场|各地|各县|各市|各区)"
)

# A county name of two characters (攸县, 沙县) is part of a word as often (管理县域, 处理县里):
# it counts only after a non-Chinese character or one of these (株洲市攸县, 在攸县, 和攸县).
SHORT_NAME_AFTER = "省市州盟县区在和与及、赴到至"

# Where a meeting was held: 在株洲举行, 在岳阳召开 (a venue outside the document's city, in its
# province, makes the gathering the province's).
VENUE_AFTER = re.compile(r"^[^,。;:]{0,12}?(?:举行|召开|举办|开幕|启幕)")

# Before the figure's own sentence, only a place that opens a clause is the subject of what
# follows (。全省规模工业增加值…;…; 1-9月,萍乡市…; 此次芜湖分会场…), possibly after a time
# (2023年,上半年,一季度);
# 打造全省…增长极 or 融入长株潭都市圈 name a place in passing.
CLAUSE_OPENING = re.compile(
    r"(?:^|[,;:。!?\n ])(?:此次|本次|其中|同期|据悉|据统计)?"
    r"[\d\-—~至年月日季度上下半前后一二三四今去全以来截止到底]{0,10}$"
)
OPENING_SPAN = 12

# An outlet named after its place speaks for it (浏阳日报讯, 来源:泰州日报, 九江新闻网, 醴陵市融媒体
# 中心, 青羊发布, 云上石首): the name before these words (after 云上/掌上), even a county's bare
# stem, counts as OUTLET_WEIGHT mentions.
OUTLET = re.compile(r"(?:日报|晚报|都市报|新闻网|融媒体中心|广播电视台|电视台|发布)")
OUTLET_BEFORE = re.compile(r"(?:云上|掌上)")
OUTLET_NAME_SPAN = 8
OUTLET_HEAD = 800  # characters of the whole text read for outlets (extract_document puts the chrome first)
OUTLET_WEIGHT = 3

# What may stand between a place and the 在 of a venue when that place holds the meeting:
# 湘潭市在株洲举行, 湘潭市政府在…, 湘潭市代表团在….
HOLDER_GAP = re.compile(r"(?:人民政府|政府|市委|县委|区委|代表团)?")

# Quotation marks and book-title marks: a place inside them is part of a name
# (入选“浙江省级特色小镇”, 《江西省…条例》), not a subject.
QUOTE_PAIRS = (("“", "”"), ("《", "》"), ("「", "」"), ('"', '"'))
QUOTE_CHARS = re.compile('[“《「"]')

# How far back a word is read before a place (排名全省 needs two characters and the verb).
BEFORE_SPAN = 4
AFTER_SPAN = 4
