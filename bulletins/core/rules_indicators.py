"""Pattern tables for indicator extraction: units, measure verbs, ranks, targets, non-indicators.

Every table is data: compiled patterns with UPPER_CASE names, tried in order, each with
the example it exists for. The walk over sentences lives in ``indicators.py``.
"""
from __future__ import annotations

import re

from bulletins.core.numbers import CN_DIGITS
from bulletins.core.places import ZONE_ENDS

# --- numbers followed by units -------------------------------------------------------

# Units as written, longest first so 个百分点 wins over 个 and 万人次 over 人次.
MONEY_UNITS = ("万亿元", "亿美元", "万美元", "亿元", "万元", "千元", "美元", "元")
PERCENT_UNITS = ("个百分点", "百分点", "%", "‰", "倍")
# Counts that may stand before their noun: 46个省重点建设项目, 新增3家省工程技术研究中心.
COUNT_UNITS = ("个", "家", "项", "列", "座", "所", "户", "批", "件", "宗", "台", "辆", "架", "艘",
               "套", "处", "栋", "间", "款")
# People: 10名驾驶员 before a noun counts people (not an indicator); 就业1.2万人 after a metric is one.
PERSON_UNITS = ("万人次", "人次", "万人", "名", "位", "人")
# Physical quantities: 货运量120万吨, 新建公路35公里.
PHYSICAL_UNITS = ("万吨", "吨", "平方公里", "公里", "千米", "万千瓦时", "亿千瓦时", "千瓦时", "万千瓦",
                  "千瓦", "万平方米", "平方米", "万立方米", "立方米", "万亩", "亩", "万标箱", "标箱",
                  "万台", "万辆", "万件", "万户", "万个", "万家", "次", "场", "趟", "班次",
                  "亿斤", "万斤", "斤", "万公斤", "公斤", "万头", "头", "万只", "万张", "万株")
ALL_UNITS = tuple(sorted(set(MONEY_UNITS + PERCENT_UNITS + COUNT_UNITS + PERSON_UNITS + PHYSICAL_UNITS),
                         key=len, reverse=True))
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
# digits (6.4%), 百分之五, a Chinese numeral before money or percent (一千二百亿元), 第 (排第三).
FIGURE_HINT = re.compile(rf"\d|百分之|第|{_CN_HEAD}{_CN}*(?:{'|'.join(MONEY_UNITS + PERCENT_UNITS)})")
# The characters any FIGURE_HINT starts with, as one class: the engine skips to them at C
# speed, and the hint is looked for only from the first of them on.
FIGURE_HINT_START = re.compile(rf"[\d百第{_CN_HEAD[1:-1]}]")

# --- numbers that are not indicators ---------------------------------------------------
# Each is tried on the text just before (NOT_BEFORE) or just after (NOT_AFTER) a figure.

NOT_BEFORE = (
    re.compile(r"第$"),                     # 第三届, 第3批: ordinals
    re.compile(r"(?:前|近|后)$"),           # 前3 (not a rank), 近5年
    re.compile(r"[A-Za-z×xX*+/·._-]$"),     # 5G, FM101.8, 4×4, “2+4”, 3.5 versions
    re.compile(r"等$"),                     # 王立新…等6位, 长丰钢铁…等5家企业: a count of those just named
    re.compile(r"每$"),                     # 每万人: a denominator
)
# 余/多 after a number means "about": 1.2万余户 is read as 1.2万户, 200多家 as 200家.
APPROXIMATELY = re.compile(r"(?<=\d)(万|亿)?(?:余|多)(?=[\u4e00-\u9fff%])")
# A minus sign after a growth verb is a sign, not a range: 增长-2.3%.
NEGATIVE_SIGN = re.compile(r"(?:增长|增速|增幅|为|是|达)-$")
NOT_AFTER = (
    re.compile(r"^[A-Za-z]"),               # 5G, 2B
    re.compile(r"^(?:个)?(?:月|工作日|小时|分钟|年|周|天|日)"),  # 3个月, 10个工作日: durations
    re.compile(r"^(?:以上|以下|及以上)?(?:的)?(?:项目|企业|工业|工程|产业|大项目|规模)"),  # 亿元以上项目: a threshold
)
# A count before its noun that is not an indicator: the noun names people or plan items.
PERSON_NOUN = re.compile(r"(负责人|代表|驾驶员|嘉宾|选手|获奖者|同志|干部|人员|职工|群众|学生|专家|"
                         r"委员|代表团|员工|师傅|教师|医生|志愿者|先进个人|“最美|“优秀)")  # 3家企业代表, 12名“最美护士”
PLAN_NOUN = re.compile(r"(任务|措施|举措|政策|条款|行动|工程|方面|层面|关键词|环节|步骤|机制|清单|"
                       r"条|大|篇|件事|会议|活动)$|^(方面|层面|关键词)")  # 抓好15项重点任务, 五个层面
# People counted at a gathering or on a body are no indicator, whatever the verb:
# 出席全会的有市委委员41人, 候补市委委员6人, 参会代表共计286人, 作交流发言的有12人.
# (就业1.2万人, 接待游客320万人次 are indicators: their subjects name no gathering.)
GATHERING_PEOPLE = re.compile(r"出席|列席|与会|到会|参会|参加(?:会议|全会|大会|活动|座谈)|发言|委员|代表|嘉宾|"
                              r"成员|选手|获奖")
# A count that sets a scope, not a quantity: 全省14个市州中 (among the 14 cities).
SCOPE_NOUN = re.compile(r"(?:中|之中|当中|里|内)$")
# A count before its noun is an indicator only when the noun is an economic object, not a
# gathering's units or speakers: 46个省重点建设项目, 新增3家省工程技术研究中心 (but 3个单位作汇报: no).
COUNT_NOUN_HEAD = re.compile(r"项目|企业|公司|平台|实验室|中心|基地|园区|工厂|车间|生产线|产线|产业链|集群|品牌|"
                             r"专利|商标|标准|门店|网点|基站|景区|学校|医院|床位|村|社区|合作社|农场|班列|航线|"
                             r"线路|站|主体|冠军|小巨人|独角兽|瞪羚|试点|示范|商户|楼宇|机构|市场|工程项目")
PLAN_VERB_BEFORE = re.compile(r"(抓好|抓实|围绕|聚焦|实施|出台|制定|推出|部署|落实|明确|提出|开展)$")  # 抓好15项重点任务
# A count noun ends where a verb or connective starts: 215个市重点项目有序推进 → 市重点项目.
NOUN_STOP = re.compile(
    r"[,;:。、!?]|和|与|及|以及|有序|加快|顺利|推进|完成|开工|竣工|投产|落地|建成|签约|入驻|获批|通过|"
    r"实现|达到|达|增长|提前|超|走上|分别|均|分享|参加|出席|荣获|获得|被|进行|开展|排|位居|跃居|列入|纳入|入选|入围|"
    r"集中|作|参与|现场")

# --- measures ------------------------------------------------------------------------
# (pattern on the text just before the number, measure, sign). First match wins; the
# pattern's span is the verb, and what precedes it is the metric.

MEASURE_RULES: tuple[tuple[re.Pattern, str, int], ...] = (
    # 出口额是去年的3倍, 相当于全省平均水平的1.5倍
    (re.compile(r"(?:是|为|相当于|达到|达)[^,;\d]{0,12}?的$"), "ratio", 1),
    # 高出全省平均水平0.7个百分点, GDP增速高于全省0.3个百分点
    (re.compile(r"(?:高于|高出|快于|领先于?|超出)[^,;\d]{0,12}$"), "difference", 1),
    # 低于全国平均水平0.3个百分点
    (re.compile(r"(?:低于|慢于|落后于?)[^,;\d]{0,12}$"), "difference", -1),
    # 比全省平均水平高0.6个百分点. Not 同比/环比 and not the 高 of a change verb: 同比提高4.1个
    # 百分点 and 同比减少12.5% are changes (the rules below), not differences from "提".
    (re.compile(r"(?<![同环])比[^,;\d]{1,12}(?<![提升增加])(?:高|快|多)(?:出)?$"), "difference", 1),
    (re.compile(r"(?<![同环])比[^,;\d]{1,12}(?<![降减])(?:低|慢|少)$"), "difference", -1),
    # 城镇化率提高到62.5%, 失业率控制在5.5%以内: the level reached, not the change
    (re.compile(r"(?:提高|提升|增加|增长|上升|下降|降低|减少|控制|保持|稳定|扩大)(?:到|至|在)$"), "level", 1),
    # 事故起数下降25.4%, 能耗同比降低3个百分点
    (re.compile(_AGAINST + r"(?:下降|减少|回落|下滑|降低|收窄|缩减|缩小|下跌|减|降)(?:了)?$"), "change", -1),
    # 规模工业增加值增长6.4%, 比年初增加150亿元, 提高1.2个百分点
    (re.compile(_AGAINST + r"(?:增长|增加|提高|提升|上升|上涨|攀升|扩大|增|涨)(?:了)?$"), "change", 1),
    # 规模工业增加值增速6.4%, 增幅为7.3%
    (re.compile(r"(?:增速|增幅|增长率)(?:为|达|达到|是)?$"), "change", 1),
    # 完成年度计划的86.3%, 完成全年目标任务的78%: the part of a plan done
    (re.compile(r"完成[^,;\d]{0,12}?(?:计划|目标|任务)的?$"), "share", 1),
    # 税占比71.2%, 制造业增加值占地区生产总值比重达30%
    (re.compile(r"(?:占[^,;\d]{0,14}?(?:比重|比例)|占比|比重|比例)(?:为|达|达到|超过|是)?$"), "share", 1),
    (re.compile(r"占[^,;\d]{0,14}?(?:的)?(?:为|达|达到|超过)?$"), "share", 1),
    # 地方收入86.7亿元, 地区生产总值达2915亿元, 中欧班列开行36列
    (re.compile(r"(?:达到|达|为|是|完成|实现|突破|超过|超|共计|共有|拥有|共|累计|合计|总计|开行|"
                r"新认定|认定|新引进|引进|新增|签约|新开工|开工|接待|建成|新建|发放|投入|到位|募集|"
                r"新登记|登记|备案|入库|帮助|带动|吸纳|招引|落地|培育|新培育|获批|新获批)?$"), "level", 1),
)
# The verb of a share stays in the metric: 税占比71.2% → 税占比.
SHARE_VERB_TAIL = re.compile(r"(?:为|达|达到|超过|是)$")
# A ratio needs the unit 倍; 增长2倍 stays a change.
RATIO_UNITS = ("倍",)
# A difference compares with others; against one's own past it is a change.
OWN_PAST_BASE = re.compile(r"上年|去年|同期|上半年|一季度|前三季度|年初")
DIFFERENCE_UNITS = ("个百分点", "百分点", "%")

# --- ranks ---------------------------------------------------------------------------

# Every digit of a rank is read (第999999999999 is that number, for the gate to judge, not 999);
# more than 18 digits cannot be a whole number the warehouse holds, and is no rank at all.
_RANK_NUM = r"\d{1,18}(?!\d)|[一二三四五六七八九十]{1,3}"
# 排全省第1, 排名全省第1, 增速排二类市(州)第四, 位居全国同类城市第5位, 跃居全省第2
RANK = re.compile(
    rf"(?P<verb>排名|排位|排在|(?<!安)排(?![查放污队水])|位居|位列|居于|跃居|稳居|升至|跃升至?|进位至|居(?=全|第|同|中部))"
    rf"(?P<scope>[^,;。:、第\d]{{0,14}}?)第(?P<n>{_RANK_NUM})(?:位|名)?"
    rf"(?P<more>(?:(?:、|和)第(?:{_RANK_NUM})(?:位|名)?)*)"  # 增速分别排全省第1、第3
    rf"(?![批届次期条章款轮号个部阶])"
)
# A scope written before the verb: 增速全省排名第1.
SCOPE_BEFORE = re.compile(r"(全国|全省|全市|全州|全区|全县|同类城市|中部地区|[一二三A-C]类市(?:\(州\)|州)?)$")
# What the subject of a rank says when it points back at figures already read.
#   均排全省第5 → every figure of the sentence not yet ranked; 增速排…第三 → the last growth rate.
RANK_BACKREF_ALL = re.compile(r"^(?:均|分别|都|均分别|分别均|两项均|均已|全部)$")
RANK_BACKREF_CHANGE = re.compile(r"^(?:增速|增幅|增长|速度)(?:均|分别)?$")
# The ranks of a 分别 list: 第1、第3.
RANK_NUMBERS = re.compile(rf"第({_RANK_NUM})")
RANK_BACKREF_LEVEL = re.compile(r"^(?:总量|规模|总额|量|总量均)$")

# --- targets -------------------------------------------------------------------------
# A sentence that sets a goal: 力争全年增长6%以上, 确保…占全省五分之一以上, 到2025年…
TARGET_CUES = re.compile(r"力争|确保|争取|目标(?!任务)|预计|预期|计划|力求|努力实现|努力达到|奋斗目标|"
                         r"到20\d\d年|保持[^。;]*以上|要(?:实现|达到|保持|完成)|拟")
# Progress against a plan is a result, not a goal: 完成年度计划的86.3%, 完成全年目标的九成.
# These words are taken out before TARGET_CUES is looked for (要完成年度计划… stays a goal).
PLAN_PROGRESS = re.compile(r"(?<!要)完成[^,;。\d]{0,6}?(?:计划|目标)")

# --- cleaning metric names -------------------------------------------------------------
# Words in front of a metric that are not the metric: 1-6月,全市…, 其中, 新引进产业项目.
METRIC_LEAD = re.compile(
    r"^(?:\s|其中|另有|此外|同时|另外|,|;|全市|全省|全县|全区|全州|全国|我市|我省|我县|我区|我州|本市|本省|本县|本区|"
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
# Words between a metric and its verb: 规模工业增加值同比增长, 地区生产总值预计增长 → the metric.
METRIC_TAIL = re.compile(r"(?:同比|环比|分别|均|都|也|已|的|共|累计|再|稳步|持续|首次|预计|预期|有望|可望|\s|、|:)+$")
# A metric list before 分别: 进口额、出口额分别增长… → two names.
LIST_SEPARATOR = re.compile(r"、|和|及|与|以及")
# Figures spread by 分别 follow one another with only these between: 12.4%、9.8%和5%.
RUN_SEPARATOR = re.compile(r"^\s*(?:、|和|及|与|,)\s*$")
