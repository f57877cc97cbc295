"""Pattern tables for indicator extraction: units, measure verbs, ranks, targets, non-indicators.

Every table is data: compiled patterns with UPPER_CASE names, tried in order, each with
the example it exists for. The walk over sentences lives in ``indicators.py``.
"""

from __future__ import annotations

import re

from bulletins.core.numbers import CN_DIGITS
from bulletins.core.places import ZONE_ENDS
from bulletins.core.rules_table import Rule, alternation, row

# --- numbers followed by units -------------------------------------------------------

# Units as written, longest first so 个百分点 wins over 个 and 万人次 over 人次.
MONEY_UNITS = ("万亿元", "亿美元", "万美元", "亿元", "万元", "千元", "美元", "元")
PERCENT_UNITS = ("个百分点", "百分点", "%", "‰", "倍")
# Counts that may stand before their noun: 46个省重点建设项目, 新增3家省工程技术研究中心.
COUNT_UNITS = (
    "个",
    "家",
    "项",
    "列",
    "座",
    "所",
    "户",
    "批",
    "件",
    "宗",
    "台",
    "辆",
    "架",
    "艘",
    "套",
    "处",
    "栋",
    "间",
    "款",
)
# People: 10名驾驶员 before a noun counts people (not an indicator); 就业1.2万人 after a metric is one.
PERSON_UNITS = ("万人次", "人次", "万人", "名", "位", "人")
# Physical quantities: 货运量120万吨, 新建公路35公里.
PHYSICAL_UNITS = (
    "万座",
    "亿吨公里",
    "万吨公里",
    "亿人公里",
    "万人公里",
    "亿吨",
    "万吨",
    "吨",
    "平方公里",
    "公里",
    "千米",
    "万千瓦时",
    "亿千瓦时",
    "千瓦时",
    "万千瓦",
    "千瓦",
    "万平方米",
    "平方米",
    "万立方米",
    "立方米",
    "万亩",
    "亩",
    "万标箱",
    "标箱",
    "万台",
    "万辆",
    "万件",
    "万户",
    "万个",
    "万家",
    "次",
    "场",
    "趟",
    "班次",
    "亿斤",
    "万斤",
    "斤",
    "万公斤",
    "公斤",
    "万头",
    "头",
    "万只",
    "万张",
    "万株",
)
ALL_UNITS = tuple(
    sorted(set(MONEY_UNITS + PERCENT_UNITS + COUNT_UNITS + PERSON_UNITS + PHYSICAL_UNITS), key=len, reverse=True)
)
_UNIT_ALT = "|".join(re.escape(u) for u in ALL_UNITS)
_CN = f"[{CN_DIGITS}]"
# How a change names what it is compared with: 同比, 比上年同期, 较年初, 比2020年.
_AGAINST = r"(?:同比|环比|(?:比|较)(?:上年|去年|年初|上月|上季度|同期|20\d\d年)(?:同期|末|底)?)?"
# A Chinese numeral starts with a digit or 十, never with 点/百/千/万/亿 (重点项目 is no number).
_CN_HEAD = "[零〇○一二两三四五六七八九十]"

# A figure: 6.4%, 86.7亿元, 57个, 百分之五, 一千二百万元 (Chinese numerals matched lazily so
# that 三千万元 reads 三千 + 万元, the unit as written).
FIGURE = re.compile(
    rf"(?P<pct>百分之(?:\d+(?:\.\d+)?|{_CN}+))"
    rf"|(?P<num>\d+(?:\.\d+)?|{_CN_HEAD}{_CN}*?)(?P<unit>{_UNIT_ALT})"
)

# A sentence with none of these holds no figure and no rank, and is not scanned further:
# digits (6.4%), 百分之五, a Chinese numeral before money or percent (一千二百亿元), 第 (排第三),
# 首位 (居全省首位).
FIGURE_HINT = re.compile(rf"\d|百分之|第|首位|{_CN_HEAD}{_CN}*(?:{'|'.join(MONEY_UNITS + PERCENT_UNITS)})")
# A count in Chinese numerals right after what it counts: 新增规上工业企业十二家 (looked for
# only when FIGURE_HINT finds nothing).
CN_COUNT_HINT = re.compile(rf"(?:企业|项目|公司){_CN_HEAD}{_CN}*(?:个|家|项)")
# The characters any FIGURE_HINT starts with, as one class: the engine skips to them at C
# speed, and the hint is looked for only from the first of them on.
FIGURE_HINT_START = re.compile(rf"[\d百第首{_CN_HEAD[1:-1]}]")

# --- numbers that are not indicators ---------------------------------------------------
# Each is tried on the text just before (NOT_BEFORE) or just after (NOT_AFTER) a figure.

NOT_BEFORE = (
    re.compile(r"第$"),  # 第三届, 第3批: ordinals
    re.compile(r"(?:前|近|后)$"),  # 前3 (not a rank), 近5年
    re.compile(r"[A-Za-z×xX*+/·._-]$"),  # 5G, FM101.8, 4×4, “2+4”, 3.5 versions
    re.compile(r"等$"),  # 王立新…等6位, 长丰钢铁…等5家企业: a count of those just named
    re.compile(r"每$"),  # 每万人: a denominator
)
# An amount right before a class of things names the class, not a quantity: 10亿元项目, 亿元级产业.
# (A count before them is a count: 28个项目现场签约.)
AMOUNT_CLASS_AFTER = re.compile(r"^(?:级)?(?:的)?(?:项目|企业|工业|工程|产业|大项目|规模)")
# 余/多 after a number means "about": 1.2万余户 is read as 1.2万户, 200多家 as 200家.
APPROXIMATELY = re.compile(r"(?<=\d)(万|亿)?(?:余|多)(?=[\u4e00-\u9fff%])")
# A minus sign after a growth verb is a sign, not a range: 增长-2.3%.
NEGATIVE_SIGN = re.compile(r"(?:增长|增速|增幅|为|是|达)-$")
NOT_AFTER = (
    re.compile(r"^[A-Za-z]"),  # 5G, 2B
    re.compile(r"^(?:个)?(?:月|工作日|小时|分钟|年|周|天|日)"),  # 3个月, 10个工作日: durations
    re.compile(r"^(?:以上|以下|及以上)(?:的)?(?:项目|企业|工业|工程|产业|大项目|规模)"),  # 亿元以上项目: a threshold
    re.compile(r"^(?:以上|以下|及以上)(?!的?(?:目标|水平|增长|增速|左右))[\u4e00-\u9fff]"),  # 10亿元以上制造业项目
)
# A count before its noun that is not an indicator: the noun names people or plan items.
PERSON_NOUN = re.compile(
    r"(负责人|代表|驾驶员|嘉宾|选手|获奖者|同志|干部|人员|职工|群众|学生|专家|"
    r"委员|代表团|员工|师傅|教师|医生|志愿者|先进个人|“最美|“优秀)"
)  # 3家企业代表, 12名“最美护士”
PLAN_NOUN = re.compile(
    r"(任务|措施|举措|政策|条款|行动|(?<!重大|重点)工程|方面|层面|关键词|环节|步骤|机制|清单|"
    r"条|大|篇|件事|会议|活动)$|^(方面|层面|关键词)"
)  # 抓好15项重点任务, 五个层面
# People counted at a gathering or on a body are no indicator, whatever the verb:
# 出席全会的有市委委员41人, 候补市委委员6人, 参会代表共计286人, 作交流发言的有12人.
# (就业1.2万人, 接待游客320万人次 are indicators: their subjects name no gathering.)
GATHERING_PEOPLE = re.compile(
    r"出席|列席|与会|到会|参会|参加(?:会议|全会|大会|活动|座谈)|发言|委员|代表|嘉宾|"
    r"成员|选手|获奖"
)
# A count that sets a scope, not a quantity: 全省14个市州中 (among the 14 cities).
SCOPE_NOUN = re.compile(r"(?:中|之中|当中|里|内)$")
# A count before its noun is an indicator only when the noun is an economic object, not a
# gathering's units or speakers: 46个省重点建设项目, 新增3家省工程技术研究中心 (but 3个单位作汇报: no).
COUNT_NOUN_HEAD = re.compile(
    r"项目|企业|公司|平台|实验室|中心|基地|园区|工厂|车间|生产线|产线|产业链|集群|品牌|"
    r"专利|商标|标准|门店|网点|基站|景区|学校|医院|床位|村|社区|合作社|农场|班列|航线|"
    r"线路|站|主体|冠军|小巨人|独角兽|瞪羚|试点|示范|商户|楼宇|机构|市场|工程项目|重大工程|重点工程"
)
# What a bare count noun was counted for, when the verb stands before the count:
# 签约16个项目, 当天集中签约的16个项目 → 签约项目, 集中签约项目.
ACTION_BEFORE = re.compile(r"(?:现场签约|集中签约|签约|新引进|引进|招引|新开工|开工|竣工|投产|落地|储备)(?:的)?$")
# What a bare count noun did, when it follows: 35个项目现场签约 → 现场签约项目.
NOUN_ACTION = re.compile(r"(?:现场签约|集中签约|集中开工|签约|开工|竣工|投产|落地)")
PLAN_VERB_BEFORE = re.compile(
    r"(抓好|抓实|围绕|聚焦|实施|出台|制定|推出|部署|落实|明确|提出|开展)$"
)  # 抓好15项重点任务
# A count noun ends where a verb or connective starts: 215个市重点项目有序推进 → 市重点项目.
NOUN_STOP = re.compile(
    r"[,;:。、!?\s]|和|是|绝大部分|大部分|与|及|以及|有序|加快|顺利|推进|完成|开工|竣工|投产|落地|建成|签约|入驻|获批|通过|"
    r"实现|达到|达|增长|提前|超|走上|分别|均|分享|参加|出席|荣获|获得|被|进行|开展|排|位居|跃居|列入|纳入|入选|入围|"
    r"集中|作|参与|现场"
)

# --- measures ------------------------------------------------------------------------
# Rows of (pattern on the text just before the number, (measure, sign), example). First
# match wins; the pattern's span is the verb, and what precedes it is the metric.

# Rates that are a part of a whole or a rate of success: a figure they name is a share
# (增长面达75.7%, 对工业增长的贡献率为57.8%, 产销率98.2%, 地方税占比提高到66%).
SHARE_WORDS = (
    "占比|比重|贡献率|增长面|产销率|出租率|达标率|合格率|优良率|覆盖率|普及率|入住率|满意率|"
    "完成率|到位率|履约率|开工率|参保率|利用率|处置率|回收率|签约率|投产率|上座率|达产率"
)
_SHARE_VERB = r"(?:为|达|达到|超过|是|提高到|提升到|提高至|提升至|上升到|上升至|稳定在|保持在)?"

MEASURE_RULES: tuple[Rule, ...] = (
    row(r"(?:是|为|相当于|达到|达)[^,;\d]{0,12}?的$", ("ratio", 1), "出口额是去年的"),
    row(r"(?:高于|高出|快于|领先于?|超出)[^,;\d]{0,12}$", ("difference", 1), "增速高于全省平均水平"),
    row(r"(?:低于|慢于|落后于?)[^,;\d]{0,12}$", ("difference", -1), "增速低于全国"),
    # 比全省平均水平高0.6个百分点. Not 同比/环比 and not the 高 of a change verb: 同比提高 and
    # 同比减少 are changes (rows below), not differences from "提".
    row(r"(?<![同环])比[^,;\d]{1,12}(?<![提升增加])(?:高|快|多)(?:出)?$", ("difference", 1), "比全省平均水平高"),
    row(r"(?<![同环])比[^,;\d]{1,12}(?<![降减])(?:低|慢|少)$", ("difference", -1), "比全国平均低"),
    # A share word before the number: 增长面达, 贡献率为, 占比提高到 (the level the share reached)
    row(rf"(?:{SHARE_WORDS}){_SHARE_VERB}$", ("share", 1), "对规上工业增长的贡献率为"),
    # 下拉全市工业增长1.2个百分点: a contribution that pulls growth down
    row(r"下拉[^,;\d]{0,16}(?:增长|增速)$", ("change", -1), "下拉全市规模工业增长"),
    # 超时序进度4.3个百分点: ahead of the plan's schedule, a difference
    row(r"(?:超|超过|快于|高于)(?:时序|序时)进度$", ("difference", 1), "投资完成率超时序进度"),
    # 城镇化率提高到62.5%, 失业率控制在5.5%以内: the level reached, not the change
    row(
        r"(?:提高|提升|增加|增长|上升|下降|降低|减少|控制|保持|稳定|扩大)(?:到|至|在)$", ("level", 1), "城镇化率提高到"
    ),
    # 事故起数下降25.4%, 能耗同比降低3个百分点
    row(
        _AGAINST + r"(?:下降|减少|回落|下滑|降低|收窄|缩减|缩小|下跌|放缓|减|降)(?:了|达)?$",
        ("change", -1),
        "事故起数同比下降",
    ),
    # 规模工业增加值增长6.4%, 增长达9.9%, 比年初增加150亿元, 提高1.2个百分点
    row(
        _AGAINST + r"(?:增长|增加|提高|提升|上升|上涨|攀升|扩大|加快|增|涨)(?:了|达|达到)?$",
        ("change", 1),
        "规模工业增加值增长达",
    ),
    row(r"(?:增速|增幅|增长率)(?:为|达|达到|是)?$", ("change", 1), "增幅为"),
    # 完成年度计划的86.3%, 完成全年目标任务的78%: the part of a plan done
    row(r"完成[^,;\d]{0,12}?(?:计划|目标|任务|预算)的?$", ("share", 1), "完成年度预算的"),
    # 税占比71.2%, 制造业增加值占地区生产总值比重达30%
    row(
        r"(?:占[^,;\d]{0,14}?(?:比重|比例)|占比|比重|比例)(?:为|达|达到|超过|是)?$",
        ("share", 1),
        "占地区生产总值比重达",
    ),
    row(r"占[^,;\d]{0,14}?(?:的)?(?:为|达|达到|超过)?$", ("share", 1), "占年度投资计划的"),
    # 地方收入86.7亿元, 地区生产总值达2915亿元, 中欧班列开行36列
    row(
        r"(?:达到|达|为|是|完成|实现|突破|超过|超|共计|共有|拥有|共|累计|合计|总计|开行|"
        r"新认定|认定|新引进|引进|新增|签约|新开工|开工|接待|建成|新建|发放|投入|到位|募集|"
        r"新登记|登记|备案|入库|帮助|带动|吸纳|招引|落地|培育|新培育|获批|新获批|迈上|跨上|站上|登上)?$",
        ("level", 1),
        "地区生产总值达",
    ),
)
# A figure in 个百分点 read as a change compares two rates (比一季度提高2.3个百分点, 回落0.4个
# 百分点): a difference. A contribution to growth (拉动经济增长3.2个百分点) stays a change.
POINT_UNITS = ("个百分点", "百分点")
CONTRIBUTION = re.compile(r"(?:拉动|上拉|下拉)[^,;\d]{0,16}(?:增长|增速)$")
# The verb of a share stays in the metric: 税占比71.2% → 税占比.
# A level in % of a metric that is a share (地方税占比提高到65.6%, 比重由44.3%提高到51.8%) is a share.
SHARE_METRIC = re.compile(rf"(?:{SHARE_WORDS})$")
# A level in % of a growth rate is a change: 居民消费价格涨幅控制在3%左右.
GROWTH_METRIC = re.compile(r"(?:涨幅|增幅|增速|增长率)$")
# A line that links to another page: · 邻县前三季度GDP增长5.1%.
NAVIGATION_LINE = re.compile(r"^[·•]\s*\S.{0,40}$")
# What a count right after it counts: 企业十二家, 项目七个 (Chinese numerals are read there).
COUNTED_BEFORE = re.compile(r"(?:企业|项目|公司|工厂|园区|基地|平台|门店|网点)$")
SHARE_VERB_TAIL = re.compile(_SHARE_VERB[:-1] + "$")
# A ratio needs the unit 倍; 增长2倍 stays a change.
RATIO_UNITS = ("倍",)
# A difference compares with others; against one's own past it is a change.
OWN_PAST_BASE = re.compile(r"上年|去年|同期|上半年|一季度|前三季度|年初")
DIFFERENCE_UNITS = ("个百分点", "百分点", "%")

# --- ranks ---------------------------------------------------------------------------

# Every digit of a rank is read (第999999999999 is that number, for the gate to judge, not 999);
# more than 18 digits cannot be a whole number the warehouse holds, and is no rank at all.
_RANK_NUM = r"\d{1,18}(?!\d)|[一二三四五六七八九十]{1,3}"
# The verbs a rank is written with, one row each; RANK tries them together.
RANK_VERBS: tuple[Rule, ...] = (
    row(r"排名|排位|排在", "rank", "增速排名全省第2"),
    row(r"(?<!安)排(?![查放污队水])", "rank", "增速排全省第3"),  # not 安排, 排查, 排放, 排污
    row(r"位居|位列|居于|跃居|稳居", "rank", "总量位居全国同类城市第5位"),
    row(r"(?<![系并陈排序])列(?=全|第|同|[A-C一二三]类)", "rank", "协议金额列全省第三位"),
    row(r"升至|跃升至?|进位至", "rank", "排位跃升至全省第4"),
    row(r"居(?![民住家委室])(?=[^,;。第]{0,10}第)", "rank", "增速居黄石各县市区第1位"),  # not 居民
    # a second scope after a rank, with no verb of its own: 排全省第3,A类市州第1
    row(
        r"(?<=\d,)(?=(?:全国|全省|全市|全区|全州|[A-C一二三]类市(?:州|\(州\))?|[\u4e00-\u9fff]{2,6}(?:城市|地区|市州))第)",
        "rank",
        "排全省第3,A类市州第1",
    ),
    # a growth rate with its rank and no verb: 规模工业增加值增速全省第一
    row(
        r"(?<=增速|增幅)(?=(?:全国|全省|全市|全州|全县|[A-C一二三]类市(?:州|\(州\))?)第)",
        "rank",
        "工业投资增速全省第一",
    ),
)
# 排全省第1, 排名全省第1, 增速排二类市(州)第四, 位居全国同类城市第5位, 跃居全省第2
RANK = re.compile(
    rf"(?P<verb>{alternation(RANK_VERBS)})"
    rf"(?P<scope>(?:\([^()]{{0,8}}\)|[^,;。:、第\d]){{0,16}}?)第(?P<n>{_RANK_NUM})(?:位|名)?"
    rf"(?P<more>(?:(?:、|和)第(?:{_RANK_NUM})(?:位|名)?)*)"  # 增速分别排全省第1、第3
    rf"(?![批届次期条章款轮号个部阶])"
)
# 首位 is first place: 总量居全省首位 is read as 居全省第1位.
FIRST_PLACE = re.compile(r"(?<=全国|全省|全市|全州|全区|全县)首位")
# A scope written before the verb: 增速全省排名第1.
SCOPE_BEFORE = re.compile(r"(全国|全省|全市|全州|全区|全县|同类城市|中部地区|[一二三A-C]类市(?:\(州\)|州)?)$")
# What the subject of a rank says when it points back at figures already read, one row each:
# (pattern on the subject, which figures it ranks, example).
RANK_BACKREFS: tuple[Rule, ...] = (
    # 均排全省第5: every figure of the sentence not yet ranked
    row(r"^(?:均|分别|都|均分别|分别均|均已|全部)$", "all", "均"),
    # 增速均排A类市州第3: every growth rate of the sentence not yet ranked
    row(r"^(?P<what>增速|增幅|增长|速度|增长率)(?:均|都)$", "changes", "增速均"),
    # 增速排…第三: the last growth rate
    row(r"^(?:增速|增幅|增长|速度|增长率)(?:分别)?$", "change", "增速"),
    # 总量排全省第2: the last amount
    row(r"^(?:总量|规模|总额|量)(?:连续\d+年)?(?:均)?$", "level", "总量连续12年"),
    # 两项指标增幅均居全省第2: the growth of the last two amounts, each a rank of its own
    row(
        r"^(?P<n>[两二三四五六七八九]|\d)(?:项|个)(?:指标)?(?P<what>增幅|增速|增长率|总量)?(?:均|都)?$",
        "count",
        "两项指标增幅均",
    ),
)
# The ranks of a 分别 list: 第1、第3.
RANK_NUMBERS = re.compile(rf"第({_RANK_NUM})")
# A list of names before a rank: 社会消费品零售总额、规模以上服务业增速分别排名… → two names.
RANK_LIST_TAIL = re.compile(r"(?:均|分别|都)+$")
# The head a list's last name shares with the others: 规模工业、服务业企业个数 → 企业个数.
SHARED_TAIL = re.compile(r"(?:企业个数|个数|通过数量|数量|增速|增幅|增长率|总量|总额|占比|比重)$")
# Comparison words left at the end of a rank's clause with no figure: 固定资产投资高于全市平均值,
# 居全市第3 → the metric is 固定资产投资.
COMPARISON_TAIL = re.compile(r"(?:高于|低于|快于|慢于|好于|优于|超过|超出|领先)[^,;。]*$")

# A rank item of a growth (地区生产总值增长居全市第3) also ranks that growth's figure.
RANKED_GROWTH = re.compile(r"(?:增长|增速|增幅|增长率)$")

# --- targets -------------------------------------------------------------------------
# A sentence that sets a goal, one row per cue: the figure is not yet reached.
TARGET_RULES: tuple[Rule, ...] = (
    row(r"力争|确保|争取|力求|努力实现|努力达到", True, "力争全年增长6%以上"),
    row(r"目标(?!任务)|奋斗目标", True, "目标是引进项目50个"),
    row(r"预期", True, "预期增长6.5%左右"),
    row(r"计划(?!项目|内|外|单列|总投资)", True, "计划投资120亿元"),  # not 计划项目, 签约项目计划总投资
    row(r"到20\d\d年", True, "到2027年,全市数字经济规模突破1000亿元"),
    row(r"保持[^。;]*以上", True, "保持每年增速高于全省1个百分点以上"),
    row(r"要(?:实现|达到|保持|完成)|拟", True, "要实现外贸进出口增长10%"),
    row(r"(?:坚决|全力|努力|奋力)(?:完成|实现)", True, "坚决完成800亿元的年度投资任务"),
)
TARGET_CUES = re.compile(alternation(TARGET_RULES))

# Progress against a plan is a result, not a goal: 完成年度计划的86.3%, 完成全年目标的九成,
# 占年度投资计划的72%, 均顺利实现“双过半”目标. These words are taken out before TARGET_CUES is
# looked for (要完成年度计划…, 力争实现全年目标 stay goals).
PLAN_PROGRESS = re.compile(
    r"(?<!要)(?<!努力)(?<!力争)(?<!确保)(?<!争取)(?:完成|占|实现|高于|超过|超出|低于)"
    r"[^,;。\d]{0,8}?(?:计划|目标|时序进度)"
)

# --- cleaning metric names -------------------------------------------------------------
# Words in front of a metric that are not the metric: 1-6月,全市…, 其中, 新引进产业项目.
METRIC_LEAD = re.compile(
    r"^(?:\s|\)|其中|另有|此外|同时|另外|,|;|全市|全省|全县|全区|全州|全国|我市|我省|我县|我区|我州|本市|本省|本县|本区|"
    r"全年|今年以来|"
    r"今年|去年|上年|累计|共计|共有|共|总共|合计|新引进|引进|新认定|认定|新增|新开工|新签约|新建|实现|完成|"
    r"持续|继续|进一步|保持|力争|确保|争取|努力|每年|年均|均|分别|在|:|、|和|及|与|的|\*|#)+"
)
# A place with its suffix before the metric (a county may have a one-character stem):
# 株洲市规模以上工业增加值, 攸县财政总收入, 芙蓉区社会消费品零售总额, 湘西州旅游总收入,
# 湖南省进出口总额 → the metric alone. Not a zone
# (经开区, 高新区, 中心城区: ZONE_ENDS) and not a tier word after the suffix (市重点项目, 省级).
PLACE_LEAD = re.compile(
    rf"^(?:[\u4e00-\u9fff]{{2,4}}市|[\u4e00-\u9fff]{{1,4}}县|[\u4e00-\u9fff]{{2,4}}(?<![{ZONE_ENDS}城])区|[\u4e00-\u9fff]{{2,3}}[州省])"
    r"(?=[\u4e00-\u9fff“(\d].{2})(?!重点|级|场|民|委|直|属|域)"
)
# The task a figure is the size of, named after it: 完成1100亿元的年度投资任务 → 年度投资任务.
NAMED_AFTER = re.compile(r"的([\u4e00-\u9fff]{0,8}?(?:任务|目标|计划))(?![\u4e00-\u9fff])")
# The amount word of a level whose growth follows: GDP总量…,年均增长7.4% is GDP's growth.
AMOUNT_TAIL = re.compile(r"总量$")
# A subject that is only a comparison base (比1-3月加快1.1个百分点) names no metric: the
# figure is about the metric before it.
COMPARISON_ONLY = re.compile(r"^(?:比|较|与)[^,;]{0,12}$")
# A bound after a count, no noun of its own: 新增…企业60家以上, 城镇新增就业8万人以上.
ABOUT_AFTER = re.compile(r"^(?:以上|以下|左右|上下)")
# A yearly report's headline: its year governs the figures (…2023年国民经济和社会发展统计公报).
YEARLY_REPORT = re.compile(
    r"((?:19|20)\d{2})年(?:度)?(?:国民经济和社会发展统计公报|统计公报|政府工作报告|经济运行(?:情况|分析)|年报)"
)
# Words between a metric and its verb: 规模工业增加值同比增长, 地区生产总值预计增长 → the metric.
METRIC_TAIL = re.compile(
    r"(?:同比|环比|分别|(?<!年)均|都|也|已|的|共|累计|再|稳步|持续|首次|预计|预期|有望|可望|约|大约|逾|由|从|"
    r"\s|、|:)+$"
)
# A year leading a metric is its period, not its name: 2021年达到3880亿元 → the metric before.
YEAR_LEAD = re.compile(r"^(?:19|20)\d{2}年(?:度)?")
# An average's words, left off a metric a later level inherits: 年均增长6.4%,2021年达到…
AVERAGE_TAIL = re.compile(r"(?:年均|年平均)(?:增长|增速)?$")
# A metric list before 分别: 进口额、出口额分别增长… → two names.
LIST_SEPARATOR = re.compile(r"、|和|及|与|以及")
# Figures spread by 分别 follow one another with only these between: 12.4%、9.8%和5%.
RUN_SEPARATOR = re.compile(r"^\s*(?:、|和|及|与|,)\s*$")

# --- comparisons written with the others' figures in brackets ---------------------------
# 分别高于全国(6.5%)、全省(7.4%)1.9个和1.0个百分点: two differences, and the growth of the nation
# and of the province. The sentence is read as if written 高于全国1.9个百分点,高于全省1.0个百分点,
# 全国增长6.5%,全省增长7.4%.
_PAREN_PLACE = r"[\u4e00-\u9fff]{2,8}?(?:平均水平|平均)?\((?:-)?\d+(?:\.\d+)?%\)"
BRACKETED_COMPARISON = re.compile(
    rf"(?:分别)?(?P<verb>高于|低于|快于|慢于|高出)(?P<places>{_PAREN_PLACE}(?:、{_PAREN_PLACE})+)(?:平均水平)?"
    r"(?P<values>\d+(?:\.\d+)?(?:个)?(?:(?:和|、)\d+(?:\.\d+)?(?:个)?)+个?百分点)"
)
BRACKETED_PLACE = re.compile(r"(?P<place>[\u4e00-\u9fff]{2,8}?)(?:平均水平|平均)?\((?P<value>-?\d+(?:\.\d+)?)%\)")
POINT_VALUES = re.compile(r"\d+(?:\.\d+)?")

# A comparison with the plan's schedule: its metric is the thing whose progress is measured,
# 一般公共预算收入…超时序进度4.3个百分点 → 一般公共预算收入超时序进度.
SCHEDULE = re.compile(r"(?:超|超过|快于|高于|低于|慢于)(?:时序|序时)进度$")

# --- periods that figures take from context ---------------------------------------------
# What a whole-year period phrase holds (2024年, / 过去一年 / 十四五 / 五年来 / 今年): a paragraph
# without any has no whole-year period to lend the figures before it.
WHOLE_YEAR_HINT = re.compile(r"年[,全我达突实完超以]|过去|十[一二三四五]五|[五5]年|今年|明年|本年")
# A sum or average over a plan's span keeps the span: 累计完成投资, 年均增长7.4%.
OVER_THE_SPAN = re.compile(r"累计|年均|合计|总计|共计|完成投资")
# A sentence that ties its counts to the event reported: 本届大会签约项目16个, 当天集中签约的
# 16个项目, 开幕式现场签约项目2个. Such a count takes no period from the paragraph or the lead.
EVENT_TIED = re.compile(r"本届|本次|此次|当天|当日|现场签约|仪式上|集中签约的|签约仪式")
