"""Pattern tables for people at meetings: surnames, titles, role verbs, words that are not names.

Every table is generic Chinese (surnames, office titles, verbs); none holds a name or a
phrase taken from a particular bulletin.
"""
from __future__ import annotations

import re

# Compound surnames first: 欧阳斌 is 欧阳 + 斌, not 欧 + 阳斌.
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
)

# Characters that end or fill place, organisation and office words, never a person's
# given name in these texts: they keep 衡南县, 常宁市, 市纪委 from passing as people.
NON_NAME_CHARS = "市县区省委会局厅部党府镇乡村办处所室院校司团队组社站馆协"

# Everyday two-character words that begin with a surname character; with a role verb
# after them they would look like a person (文件要求, 方案指出, 高层表示).
COMMON_WORDS = frozenset(
    "文件 方案 方面 高层 高度 时间 时期 时代 成员 成果 成绩 向好 安全 安排 任务 任何 "
    "管理 程序 卫生 计划 金融 黄金 龙头 于是 和谐 江河 石油 明确 明年 常态 代表 "
    "各位 单位 单独 项目 严格 严肃 齐心 支持 申报 温暖 路上 田间 夏季 秋季 春季 "
    "全体 易于 应当 应急 封闭 宁可 车辆 房屋 包括 连续 解决 简单 尤其 景区 宗旨 "
    "谈话 童年 贺信 贺电 钟声 潘多 范围 范例 符合 资金 资源 资料 平台 平稳 平均 荣获 "
    "揭牌 储备 晋升 龙头 应对 宁乡".split()
)

_CJK = r"[\u4e00-\u9fff]"
_GIVEN = rf"(?:(?![{NON_NAME_CHARS}]){_CJK})"
_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + "|[" + "".join(sorted(SINGLE_SURNAMES)) + "])"
# A person's name: surname + one or two characters (2–4 characters in all). Lazy, so the
# text after it (a verb, 、, 及) decides where the name stops: 朱健主持 → 朱健.
NAME = rf"{_SURNAME}{_GIVEN}{{1,2}}?"
NAME_RE = re.compile(rf"^{_SURNAME}{_GIVEN}{{1,2}}$")

# Heads of office titles, longest first. 市委副书记、市长 is two titles joined by 、.
TITLE_HEADS = (
    "常务副市长 常务副县长 常务副省长 副秘书长 秘书长 副书记 书记 常委 副市长 市长 副省长 省长 "
    "副县长 县长 副区长 区长 州长 镇长 乡长 副主任 主任 副部长 部长 副组长 组长 副主席 主席 "
    "副局长 局长 厅长 院长 检察长 处长 科长 会长 董事长 总经理 经理 负责人 领导 委员 "
    "政委 司令员 校长 行长 社长 台长 总裁 巡视员 调研员 队长 所长 站长 馆长 总监 主委 "
    "代表 专家 教授 督导员"
).split()
_HEAD = "(?:" + "|".join(TITLE_HEADS) + ")"
# One title: an organisation prefix of up to 18 characters, then a head
# (省委主题教育第二巡回督导组副组长, 衡阳国家高新区管委会主任, 市领导).
_ONE_TITLE = rf"(?:{_CJK}|\d|[()]){{0,18}}?{_HEAD}"
TITLE = rf"{_ONE_TITLE}(?:、{_ONE_TITLE})*"

# Where a name or title may begin: start of text, after punctuation, a photo caption
# mark (▲朱健讲话。) or a space between headline parts (熊晓强出席 朱健主持).
BOUNDARY = r"(?:(?<=^)|(?<=[\n,,。;;::!?!?、“”\"▲△●■◆ ()—]))"

# A run of names: 市领导周玉梅、刘章宇、于新凡 / 臧宇平、李万元、欧阳斌.
NAME_LIST = rf"{NAME}(?:、{NAME})*"
# What may follow a name: a separator, 在 (…会上强调), or the first characters of a role verb.
_AFTER_NAME = (
    r"[、,,及和等在]|主持|出席|强调|指出|要求|表示|讲话|致辞|说|作|发表|总结|提出|通报|宣布|解读|"
    r"介绍|汇报|分别|依次|先后|踊跃|交流|典型|发言|参加|列席|在座|参会|陪同|率队|为获奖者|颁奖"
)
MENTION_RE = re.compile(
    rf"{BOUNDARY}(?:(?P<title>{TITLE}))?(?P<names>{NAME_LIST})(?={_AFTER_NAME})"
)

# Role verbs right after a name (or a list), in priority order: the first that matches
# decides. 出席并强调 is a speaker before 出席 is an attendee.
ROLE_VERBS = tuple((re.compile(p), role) for p, role in (
    (r"^(?:主持召开|主持会议|主持)", "chair"),                     # 朱健主持会议 / 朱健主持召开
    (r"^出席(?:会议|活动)?并(?:作|发表)?(?:重要)?(?:讲话|强调|致辞|指出|讲)", "speaker"),  # 出席并强调
    (r"^在[^,,。;;]{2,60}?(?:会|会议|仪式|典礼|论坛)上(?:作|发表)?(?:重要)?"
     r"(?:讲话|强调|指出|表示|要求|致辞)", "speaker"),              # 秦国文在…动员大会上强调
    (r"^(?:强调|指出|要求|表示|讲话|致辞|说|作(?:重要)?讲话|作(?:工作)?部署|发表(?:重要)?讲话|"
     r"作总结讲话|总结讲话|提出)", "speaker"),                      # ▲刘中杰作工作部署。
    (r"^(?:通报|宣布|作\S{0,8}?报告|解读|介绍|汇报|"
     r"(?:分别|依次|先后|踊跃)?(?:作了?)?(?:交流|典型|表态|书面|大会|现场)?发言)", "presenter"),  # 黄立通报…
    (r"^(?:出席|参加|列席|在座|参会|陪同|率队|为获奖者颁奖|颁奖)", "attendee"),  # 市领导…出席
))
ROLE_RANK = {"chair": 0, "speaker": 1, "presenter": 2, "attendee": 3}

# What may stand between a list and its verb: 及全体在家副市级以上领导 / 等8位民营企业负责人踊跃.
LIST_TAIL_RE = re.compile(
    r"^(?:(?:及|和|以及)[^,,。;;]{0,24}?(?=出席|参加|列席|在座)"
    r"|等(?:\d+|[一二三四五六七八九十]+)?(?:位|名|个|人)?(?P<group_title>[^,,。;;]{0,16}?)"
    r"(?=(?:分别|依次|先后|踊跃)?(?:作了?)?(?:交流|典型|表态)?发言|出席|参加|列席|通报|介绍|汇报))"
)
# Between two mentions that share one verb: 市委书记刘越高,市委副书记、市长朱健出席.
CHAIN_RE = re.compile(r"^(?:[,,、]|及|和|以及)")
