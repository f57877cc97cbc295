"""Pattern tables for meetings: kinds, the phrases that report a meeting as held, formats.

Generic words only: meeting types, verbs, the forms a report takes. No meeting name from any
particular bulletin is written here.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Meeting kinds, the generic type a name ends with. Longest first, so 常务会议 wins over 会议.
KINDS = tuple(
    sorted(
        set(
            (
                "全体会议 常务会议 工作会议 专题会议 联席会议 办公会议 调度会议 推进会议 电视电话会议 "
                "扩大会议 常委会会议 主任会议 务虚会议 座谈会议 视频会议 "
                "推进会 动员大会 动员会 誓师大会 表彰大会 代表大会 座谈会 调度会 全会 分析会 观摩会 "
                "现场会 部署会 培训会 推介会 洽谈会 对接会 交流会 发布会 讲评会 汇报会 评审会 见面会 "
                "恳谈会 茶话会 务虚会 通气会 联席会 点评会 总结会 表彰会 启动会 协调会 研讨会 论证会 "
                "听证会 报告会 宣讲会 碰头会 会商会 说明会 签约会 民主生活会 组织生活会 常委会 "
                "颁奖典礼 颁奖仪式 开工仪式 签约仪式 揭牌仪式 启动仪式 开幕式 闭幕式 授牌仪式 "
                "主席会议 投洽会 博览会 交易会 展销会 论坛 峰会 年会 招商会 团拜会 奠基仪式 竣工仪式 投产仪式 "
                "签字仪式 开班仪式 活动 "
                "大会 会议"
            ).split()
        ),
        key=len,
        reverse=True,
    )
)
# Kinds written two ways: a report may name one sitting with either.
KIND_FAMILY = {"全会": "全体会议", "常委会": "常委会会议", "开幕式": "开幕会"}
# Kinds that end an event's name without being a type of meeting: the meeting's kind is null.
UNTYPED_KINDS = frozenset({"活动"})
# The class of first characters leads the alternation: a lazy name tries a kind at every
# character, and one class test rejects most of them before ~90 kinds are tried.
KIND_RE = "(?=[" + "".join(sorted({k[0] for k in KINDS})) + "])(?:" + "|".join(KINDS) + ")"

# A name is built of CJK characters, digits, brackets, 、 and quoted parts; a quoted part
# may hold spaces (“文明创建 有你有我”). Punctuation that ends a clause ends the name.
NAME_CHAR = r"[\u4e00-\u9fff\d()·+、\-—]"
_UNIT = rf"(?:“[^”\n]{{1,40}}”|《[^》\n]{{1,40}}》|{NAME_CHAR})"
NAME = rf"(?P<name>{_UNIT}{{0,50}}?{KIND_RE})"


# Phrases that report the meeting as held, in priority order, as rows of (words before the
# name, words after it, example). A form with nothing before the name is found from its
# kind word backwards (meetings.held_mentions): a name may start anywhere, and a regex tried
# at every position of the sentence was most of the extraction time.
class HeldForm(NamedTuple):
    """One way a report says a meeting was held."""

    lead: str | None
    tail: str
    example: str


# Time words that may stand between a name and its verb: …主席会议昨日召开.
_WHEN = r"(?:今天|今日|昨天|昨日|近日|日前|上午|下午|晚上|当天)?"
HELD_FORMS: tuple[HeldForm, ...] = (
    # 市政府2020年第三次全会召开 / 颁奖典礼在市体育中心举行 / 推进会于9月14日召开 / 主席会议昨日召开
    HeldForm(
        None,
        r",?(?:(?:在|于)[^,,。;;]{1,24}?)?"
        + _WHEN
        + r"(?:隆重|正式)?(?:召开|举行|举办|开幕(?!会|式)|闭幕(?!会|式)|开班)"
        r"(?![之的权地方者]|在即)",
        "9月14日,全市消费帮扶推进会在市民中心举行",
    ),
    # 在1月28日召开的县委经济工作会议上 / 在随后举行的重要客商座谈会上
    HeldForm(r"(?:召开|举行|举办)的", r"上", "在随后举行的全市金融服务座谈会上,李明听取了发言"),
    # 主持召开全市外贸企业座谈会 / 以视频会议方式召开市、县两级…推进大会
    HeldForm(r"(?:主持召开|组织召开|召开了?|举行了?|举办了?|主持)(?:了)?", "", "市长赵一民主持召开全市外贸企业座谈会"),
    # 王立新在株洲市…推进大会上强调 (a report of the speech is a report of the meeting), and a
    # clause the event opens: 5月6日,在全区重点项目集中签约仪式上,9个项目落地
    HeldForm(
        r"在",
        r"上(?:,|(?:作|发表)?(?:重要)?(?:强调|讲话|指出|表示|要求|致辞|部署|寄语|发言|提出))",
        "5月6日,在全区重点项目集中签约仪式上,9个项目落地",
    ),
    # (2020年12月20日中国共产党X市第七届委员会第十二次全体会议通过)
    HeldForm(None, r"(?:审议)?通过", "(2023年12月20日中国共产党甲市第十三届委员会第五次全体会议通过)"),
)
# The forms with a lead as whole regexes: the lead is literal text, cheap to scan for.
HELD_PATTERNS = tuple(re.compile(f"{f.lead}{NAME}{f.tail}") if f.lead else None for f in HELD_FORMS)
# The forms without one as "the last character of a kind, then the words after the name".
KIND_LAST_CHARS = "".join(sorted({k[-1] for k in KINDS}))
HELD_TAILS = tuple(
    None if f.lead else (re.compile(f"[{KIND_LAST_CHARS}](?={f.tail})"), re.compile(f.tail)) for f in HELD_FORMS
)
# The longest kind that ends where a search stops (endpos): 代表大会 before 大会.
KIND_AT_END = re.compile(f"{KIND_RE}$")
KIND_MAX_LEN = max(map(len, KINDS))
# What a name is built of, read backwards from its kind: single characters of _UNIT, and
# quoted parts up to 40 characters. At most NAME_MAX_UNITS of them before the kind.
NAME_CHAR_RE = re.compile(NAME_CHAR)
NAME_QUOTES = {"”": "“", "》": "《"}
NAME_QUOTE_MAX = 40
NAME_MAX_UNITS = 50

# Text just before a name that makes it a reference, not this meeting:
# 学习贯彻省委经济工作会议精神, 开好全市产业发展大会, 筹办第二届全省乡村振兴大会, and work
# plans: 常态化举办大湾区招商活动, 每季度召开一次项目调度会.
REFERENCE_BEFORE = re.compile(
    r"(?:学习|贯彻|落实|传达|领会|开好|办好|筹办|筹备|迎接|按照|根据|对标|参照|围绕|备战|即将|将于|拟于|计划|将|拟|"
    r"常态化|定期|每年|每季度?|每月|适时|争取|力争|继续)"
    r"[^,,。;;]{0,6}$"
)
REFERENCE_AFTER = re.compile(r"^(?:精神|部署|要求|决定|决议|以来|之后|期间|前夕|筹备)")

# Words stripped off the front of a name: times and the reporter's frame.
NAME_PREFIX_NOISE = re.compile(
    r"^(?:\d{1,2}月\d{1,2}日|\d{1,2}日|\d{4}年\d{1,2}月\d{1,2}日|今天|今日|昨天|昨日|近日|日前|"
    r"上午|下午|晚上|晚|当天|记者从|我市|我县|我区|我省|在|以视频会议方式|以[^,,。]{1,10}方式|"
    r"第一时间|随后|同时|此外|新春上班第一天|节后首个工作日|(?:召开|举行|举办)?的)+"
)

# A name that points back at a meeting already reported is no meeting of its own: 此次颁奖活动.
ANAPHOR = re.compile(r"^(?:此次|本次|这次|该次|本届|此|该|这)")

# A name needs at least this many characters before its kind: 会议通过 alone is no name.
MIN_NAME_PREFIX = 2

# How the meeting was held, where the text says so.
FORMAT_PATTERNS = tuple(
    (re.compile(p), label)
    for p, label in (
        (r"(?:以|采取|采用|通过)“?(?P<f>[^”,,。;;]{2,12}?)”?的?(?:形式|方式)", None),  # 采取“线上+线下”的形式
        (r"电视电话会议", "电视电话会议"),  # 以电视电话会议形式
        (r"视频会议", "视频会议"),  # 召开视频会议
        (r"(?:现场会|现场办公会|在[^,,。]{1,16}现场召开)", "现场"),  # 在项目现场召开
        (r"线上线下", "线上+线下"),
    )
)

# Formats a meeting's own name states; checked before the sentence's words.
NAME_FORMATS = tuple(
    (re.compile(p), label)
    for p, label in (
        (r"电视电话会议$", "电视电话会议"),  # 全市安全生产电视电话会议
        (r"视频会议$", "视频会议"),  # 全市防汛工作视频会议
        (r"现场(?:观摩|推进|办公)?会$", "现场"),  # 全市产业项目现场推进会
    )
)

# Words that date a meeting by the one reported just before it: 当天下午,又主持召开…
SAME_DAY = re.compile(r"当天|当日|同日|同一天|随后|会后|会前")
# A line that links to another article of the page: · 市政府召开民营企业家座谈会.
NAVIGATION_LINE = re.compile(r"^[·•]\s*\S.{0,40}$")
# Words that date a meeting the day after the one reported before it: 次日上午,…
NEXT_DAY = re.compile(r"次日|第二天|翌日")
