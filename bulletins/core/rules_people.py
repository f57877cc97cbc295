"""Pattern tables for people at meetings: surnames, titles, role verbs, words that are not names.

Every table is generic Chinese (surnames, office titles, verbs); none holds a name or a
phrase taken from a particular bulletin.
"""

from __future__ import annotations

import re

from bulletins.core.rules_table import Rule, row

# Compound surnames first: 欧阳明 is 欧阳 + 明, not 欧 + 阳明.
COMPOUND_SURNAMES = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 "
    "端木 南宫 西门 百里 呼延 独孤 澹台 公冶 太史 申屠 闻人 万俟 濮阳 赫连 拓跋 司空"
).split()

# Common single-character surnames (the large majority of Chinese officials' names).
# Characters that are also everyday function words in bulletins (会, 要, 全, 大, 上, 下,
# 同, 还, 并, 各, 该) are left out on purpose: they would turn 会议强调 into a person.
SINGLE_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱"
    "江尹薛闫严段雷侯龙史陶黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陈易常乔倪柴"
    "严牛洪鲁葛伍韦文聂雍颜邢章向欧阳左关柯岳翟庄骆辛耿管祝卜童凌裴涂焦邬甘"
    "舒尚蒲阮柳齐谷单晏卓车成宁包蓝鲍简米季滕温霍丰宫覃游麦詹邝栾苗廉湛刁"
    "臧阎封粟符蔺申仇屈房巫岑平詹官俞卫饶郎缪靳尤连艾冉解鄢褚芦桂荣晋储佘"
    "喻匡阳隋揭敖仲伏应池扈景宗鞠戚谈赖蒙莫谌扶阙禹隆皮尧甄练漆桑寇娄戈芮窦沙权逯"
    "盖薄鄂苑虞厉郜钮仝凤弓邰巩茅栗毕郁闵荆訾酆冀昝佟浦茹宾卿冼辜资邸綦杭柏俸旷"
    # Less common ones of the Hundred Family Surnames; characters that are everyday words
    # in bulletins (全 国 都 通 能 后 从 农 习 …) stay out, as above.
    "纪路曲满宣邴劳郦元仉庹钭咸亓郇禤伊牟迟宓阚郗班仰戎祖束韶蓟胥莘贡逄姬堵宰璩燕"
    "郏瞿宦鱼庾暨弘禄殳沃蔚夔晁勾冷毋乜竺桓巢蒯滑危麻闻晋宫祁邴虎展竹那"
)

# Characters that end or fill place, organisation and office words, never a person's
# given name in these texts: they keep 华容县, 汉寿县, 市纪委 from passing as people.
NON_NAME_CHARS = "市县区省委会局厅部党府镇乡村办处所室院校司团队组社站馆协"

# Everyday two-character words that begin with a surname character; with a role verb
# after them they would look like a person (文件要求, 方案指出, 高层表示).
COMMON_WORDS = frozenset(
    "文件 方案 方面 高层 高度 时间 时期 时代 成员 成果 成绩 向好 安全 安排 任务 任何 "
    "管理 程序 卫生 计划 金融 黄金 龙头 于是 和谐 江河 石油 明确 明年 常态 代表 "
    "各位 单位 单独 项目 严格 严肃 齐心 支持 申报 温暖 路上 田间 夏季 秋季 春季 "
    "全体 易于 应当 应急 封闭 宁可 车辆 房屋 包括 连续 解决 简单 尤其 景区 宗旨 "
    "谈话 童年 贺信 贺电 钟声 潘多 范围 范例 符合 资金 资源 资料 平台 平稳 平均 荣获 "
    "揭牌 储备 晋升 龙头 应对 宁乡 宣传 宣讲 宣布 满意 劳动 燕山 冷链 危险 展会 展示 "
    "伊始 曲线 束缚 元旦 元月 路线 路径 班子 祖国 闻名 竹林".split()
)
# Words a title may run into that are verbs, not given names: 书记强调要求 is no person 强调.
VERB_WORDS = frozenset(
    "强调 指出 要求 表示 讲话 主持 出席 参加 列席 通报 宣布 介绍 汇报 发言 致辞 总结 部署 "
    "提出 率队 调研 带队 察看 考察 视察 批示 签批 听取 参与 参会 陪同 "
    "分别 依次 先后 踊跃 共同 一起 一同 相继 均要 纷纷".split()
)

_CJK = r"[\u4e00-\u9fff]"
_GIVEN = rf"(?:(?![{NON_NAME_CHARS}]){_CJK})"
_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + "|[" + "".join(sorted(SINGLE_SURNAMES)) + "])"
# A person's name: surname + one or two characters (2–4 characters in all). Lazy, so the
# text after it (a verb, 、, 及) decides where the name stops: 陈海波主持 → 陈海波.
NAME = rf"{_SURNAME}{_GIVEN}{{1,2}}?"
NAME_RE = re.compile(rf"^{_SURNAME}{_GIVEN}{{1,2}}$")
SURNAME_RE = re.compile(_SURNAME)
# Right after a title any character may start a name (副市长禤振光, 市长元方): the title
# vouches for a person, so a surname missing from the table is no reason to lose them.
# Characters that are words of the frame (会议由…, 在…) never start one.
NON_SURNAME_CHARS = NON_NAME_CHARS + "由在和及与或等的了是对为将把被从向到于以并也又还就受这该其各作"
_ANY_SURNAME = rf"(?:{_SURNAME}|(?![{NON_SURNAME_CHARS}]){_CJK})"  # 于 is a surname and a frame word
ANY_NAME = rf"{_ANY_SURNAME}{_GIVEN}{{1,2}}?"
ANY_NAME_RE = re.compile(rf"^{_ANY_SURNAME}{_GIVEN}{{1,2}}$")

# Heads of office titles, longest first. 市委副书记、市长 is two titles joined by 、.
TITLE_HEADS = (
    "常务副市长 常务副县长 常务副省长 副秘书长 秘书长 副书记 书记 常委 副市长 市长 副省长 省长 "
    "副县长 县长 副区长 区长 州长 镇长 乡长 副主任 主任 副部长 部长 副组长 组长 副主席 主席 "
    "副局长 局长 厅长 院长 检察长 处长 科长 会长 董事长 总经理 经理 负责人 领导 委员 "
    "政委 司令员 校长 行长 社长 台长 总裁 巡视员 调研员 队长 所长 站长 馆长 总监 主委 "
    "代表 专家 教授 督导员"
).split()
# The class of first characters leads the alternation: a title may end at any of 18
# characters, and one class test rejects most of them before ~70 heads are tried.
_HEAD = "(?=[" + "".join(sorted({h[0] for h in TITLE_HEADS})) + "])(?:" + "|".join(TITLE_HEADS) + ")"
# One title: an organisation prefix of up to 18 characters, then a head
# (省委第三巡视组组长, 株洲国家高新区管委会主任, 市领导).
_ONE_TITLE = rf"(?:{_CJK}|\d|[()]){{0,18}}?{_HEAD}"
TITLE = rf"{_ONE_TITLE}(?:、{_ONE_TITLE})*"

# Where a name or title may begin: start of text, after punctuation, a photo caption
# mark (▲陈海波讲话。) or a space between headline parts (李明远出席 陈海波主持).
BOUNDARY = r"(?:(?<=^)|(?<=[\n,,。;;::!?!?、“”\"▲△●■◆ ()—]))"

# A run of names: 市领导赵建国、孙志刚、周晓岚 / 吴文涛、郑国华、欧阳明. Any character may
# start each; people.find_mentions keeps a name without a title only when its surname is
# in the table or the article named the same person with a title elsewhere.
NAME_LIST = rf"{ANY_NAME}(?:、{ANY_NAME})*"
# Adverbs between a name and its verb: 路广智又主持召开 / 随后,X也出席.
ADVERBS = r"(?:又|也|还|亦|再次|随后|同时|分别)?"
# What may follow a name: a separator, 在 (…会上强调), or the first characters of a role verb.
_AFTER_NAME = (
    r"[、,,及和等在又也还亦受就率]|主持|出席|强调|指出|要求|表示|讲话|致辞|说|作|发表|总结|提出|通报|宣布|解读|"
    r"介绍|汇报|分别|依次|先后|踊跃|交流|典型|发言|参加|列席|在座|参会|陪同|率队|为获奖者|颁奖"
)
MENTION_RE = re.compile(rf"{BOUNDARY}(?:(?P<title>{TITLE}))?(?P<names>{NAME_LIST})(?={_AFTER_NAME})")
# Names run together with no separator before an attendance verb, as e-papers and
# headlines print them: 市领导甲乙丙丁戊己出席 (three names of three characters), 甲乙丙丁戊出席
# (3 + 2). people.split_run cuts the run into names.
RUN_RE = re.compile(rf"{BOUNDARY}(?:(?P<title>{TITLE}))?(?P<run>{_CJK}{{4,12}}?)(?=等?(?:出席|参加|列席|在座|参会))")
# Frame words a title match may take in front of the title itself: 会议由副市长X主持 →
# 副市长; 会上,市长X强调 → 市长.
TITLE_LEAD_NOISE = re.compile(r"^(?:会议|会上|全会|座谈会|大会)?(?:由|上)|^(?:随后|其间|同时|会上|并)")
# A place after a list's group title: 等市领导在主会场出席 → 市领导.
GROUP_TITLE_TAIL = re.compile(r"在[^,,。;;]{1,10}$")

# Role verbs right after a name (or a list), in priority order, as rows of (pattern, role,
# example): the first that matches decides. 出席并强调 is a speaker before 出席 is an attendee.
ROLE_VERBS: tuple[Rule, ...] = (
    row(r"^(?:主持召开|主持会议|主持)", "chair", "主持召开全市防汛工作会议"),
    row(r"^出席(?:会议|活动)?并(?:作|发表)?(?:重要)?(?:讲话|强调|致辞|指出|讲)", "speaker", "出席会议并讲话"),
    row(
        r"^在[^,,。;;]{0,60}?(?:会|会议|仪式|典礼|论坛)上(?:作|发表)?(?:重要)?"
        r"(?:讲话|强调|指出|表示|要求|致辞|寄语)",
        "speaker",
        "在全市安全生产大会上强调",
    ),
    row(
        r"^(?:强调|指出|要求|表示|讲话|致辞|说|作(?:重要)?讲话|作(?:工作)?部署|发表(?:重要)?讲话|"
        r"作总结讲话|总结讲话|提出)",
        "speaker",
        "作工作部署",
    ),
    row(r"^出席(?:会议)?并(?:通报|介绍|汇报|解读|宣读)", "presenter", "出席并通报有关情况"),
    row(
        r"^(?:受[^,,。;;]{2,16}?委托)?(?:作\S{0,8}?报告|向[^,,。;;]{1,8}作\S{0,6}?报告)",
        "presenter",
        "受县委常委会委托作工作报告",
    ),
    row(r"^就[^。;;]{2,120}?作(?:了)?(?:说明|解读)", "presenter", "就《建议(讨论稿)》向全会作说明"),
    row(
        r"^(?:宣读|通报|宣布|作\S{0,8}?报告|解读|介绍|汇报|"
        r"(?:分别|依次|先后|踊跃)?(?:作了?)?(?:交流|典型|表态|书面|大会|现场)?发言)",
        "presenter",
        "通报了一季度经济运行情况",
    ),
    row(r"^(?:出席|参加|列席|在座|参会|陪同|率队|为获奖者颁奖|颁奖)", "attendee", "出席会议"),
)
ROLE_RANK = {"chair": 0, "speaker": 1, "presenter": 2, "attendee": 3}

# What may stand between a list and its verb: 及全体在家市级领导 / 等6位民营企业负责人踊跃.
LIST_TAIL_RE = re.compile(
    r"^(?:(?:及|和|以及)[^,,。;;]{0,24}?(?=出席|参加|列席|在座)"
    r"|等(?:\d+|[一二三四五六七八九十]+)?(?:位|名|个|人)?(?P<group_title>[^,,。;;]{0,16}?)"
    r"(?=(?:分别|依次|先后|踊跃)?(?:作了?)?(?:交流|典型|表态)?发言|出席|参加|列席|通报|介绍|汇报))"
)
# Between two mentions that share one verb: 市委书记王立新,市委副书记、市长陈海波出席.
CHAIN_RE = re.compile(r"^(?:[,,、]|及|和|以及)")
