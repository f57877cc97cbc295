"""Reporting periods: 1-6月, 上半年, 前三季度, 全年, 截至6月底, 十三五时期 → a ``Period`` ('YYYY-MM/YYYY-MM').

A period phrase names months (or a plan's years); its year comes from the phrase itself
(2023年1-6月), a relative word (去年, 过去五年 against the page's year), the last year the
text named, or the page. A phrase that names a comparison base (比一季度, 较2015年) is no
period of the figures around it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from bulletins.core.facts import Period
from bulletins.core.numbers import parse_number
from bulletins.core.rules_table import Rule, row

# A year written before a period word: 2023年, 二〇二三年, 今年/去年/上年/明年.
_YEAR_STATED = r"(?:(?P<year>(?:19|20)\d{2}|二[〇○零][〇○零一二三四五六七八九]{2})年(?:度)?|(?P<rel>今年|本年|去年|上年|前年|明年))"
_YEAR = _YEAR_STATED + "?"
_M = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# The marks between the months of a range (1-6月, 一至三月): the range row's hint, since far
# fewer sentences hold one of them than hold 月 (the row may start at any numeral: slow).
_RANGE_MARKS = "-—–~至到"
# Relative year words → offset from the page's year.
RELATIVE_YEARS = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
# Five-year plans: 十一五 began in 2006, each later one five years on (十五五: 2026–2030).
PLAN_FIRST_YEAR = {"一": 2006, "二": 2011, "三": 2016, "四": 2021, "五": 2026}


@dataclass(frozen=True)
class Months:
    """What a period row means: the literal a text must hold to be scanned, and the match →
    (first month, last month). ``years`` more years after the first (a plan spans 4 more);
    ``plan`` marks a plan's span; ``since`` a 2022年以来 (the whole year only once it is over)."""

    hint: str | tuple[str, ...]  # a literal (or literals) the text must hold to be scanned
    months: object
    years: int = 0
    plan: bool = False
    since: bool = False
    offset: int | None = None  # a relative phrase's years before the page's (过去一年: -1)
    year_before: bool = False  # the phrase may follow a year: 2023年1-6月, 去年上半年
    clause_start: bool = False  # the phrase must open a clause (CLAUSE_OPENS before it)
    local: bool = False  # the phrase binds its own clause only (…,2021年达到3880亿元)


def _fixed(first: int, last: int):
    """A months function that ignores the match: 上半年 is always January to June."""
    return lambda m: (first, last)


# Period phrases, tried together, each row with the phrase it exists for. A row marked
# ``year_before`` may follow a year (2023年1-6月, 去年上半年): the row's pattern starts at the
# phrase itself, so the engine skips to it at C speed, and YEAR_BEFORE reads the year back.
def _year_row(pattern: str, meaning: Months, example: str) -> Rule:
    """A row whose phrase may follow a year."""
    return row(pattern, dataclasses.replace(meaning, year_before=True), example)


PERIOD_RULES: tuple[Rule, ...] = (
    _year_row(
        rf"(?P<m1>{_M})\s*[{_RANGE_MARKS}]\s*(?P<m2>{_M})月(?:份)?(?!\d|[一二三四五六七八九十]|日)",
        Months(tuple(_RANGE_MARKS), lambda m: (_month(m.group("m1")), _month(m.group("m2")))),
        "2023年1-6月,规模工业增加值增长",
    ),
    row(
        r"截至" + _YEAR + rf"(?P<m2>{_M})月(?:底|末|份)?(?!\d|日)",
        Months("截至", lambda m: (1, _month(m.group("m2")))),
        "截至9月底,全市贷款余额",
    ),
    _year_row(r"上半年", Months("上半年", _fixed(1, 6)), "今年上半年,全县"),
    _year_row(r"下半年", Months("下半年", _fixed(7, 12)), "下半年工作怎么干"),
    _year_row(
        r"(?:前|一至|1-)(?P<q>[二两三2-3])(?:个)?季度",
        Months("季度", lambda m: (1, 3 * _quarter(m.group("q")))),
        "前三季度,全区",
    ),
    _year_row(rf"前(?P<m2>{_M})个月", Months("个月", lambda m: (1, _month(m.group("m2")))), "今年前10个月"),
    _year_row(
        r"(?:第)?(?P<q>[一二三四1-4])季度(?<!前.季度)(?<!前第.季度)",
        Months("季度", lambda m: (3 * _quarter(m.group("q")) - 2, 3 * _quarter(m.group("q")))),
        "2024年第二季度",
    ),
    _year_row(r"全年(?!度)", Months("全年", _fixed(1, 12)), "去年全年,全市"),
    # 3月份,全市CPI / 其中4月当月增长12.2% (the month alone, even inside a 1-4月 paragraph)
    _year_row(
        rf"(?P<m1>{_M})月(?:份(?:当月|单月)?|当月|单月)",
        Months("月", lambda m: (_month(m.group("m1")), _month(m.group("m1")))),
        "其中4月当月增长",
    ),
    # A bare year opening a clause is the whole year: 2021年,全市… / ……2024年,该县交出…
    row(
        _YEAR_STATED + r"(?=\s*(?:,|全市|全省|全县|全区|全州|我市|我省|全国))",
        Months(("年,", "年全", "年我", "度,"), _fixed(1, 12), clause_start=True),
        "2021年,全市地区生产总值",
    ),
    # …年均增长6.4%,2021年达到3880亿元: a year before the level it reached
    row(
        r"(?P<year>(?:19|20)\d{2})年(?=达到|达|突破|实现|完成|超过)",
        Months(("年达", "年突", "年实", "年完", "年超"), _fixed(1, 12), local=True),
        "2021年达到3880亿元",
    ),
    # 今年主要预期目标是… / 今年以来,全县… / 明年: the reporting year (or the next)
    row(r"(?P<rel>今年|明年|本年)(?!度)", Months(("今年", "明年", "本年"), _fixed(1, 12)), "今年主要预期目标是"),
    # 过去一年,全县… (a review written in the year after)
    row(r"过去(?:的)?一年", Months("一年", _fixed(1, 12), offset=-1), "过去一年,全区经济"),
    # “十三五”时期 / 十四五期间 / “十三五”以来: the plan's five years
    row(
        r"十(?P<plan>[一二三四五])五[”\"]?(?:时期|期间|以来|这五年|五年)",
        Months("五", _fixed(1, 12), years=4, plan=True),
        "“十三五”时期,全市",
    ),
    # 过去五年 / 五年来 / 近五年: the five years before the page's year
    row(
        r"过去(?:的)?(?:五|5)年|(?<![十\d])(?:五|5)年来|(?:这|近)(?:五|5)年(?:来|间)?",
        Months(("五年", "5年"), _fixed(1, 12), years=4, plan=True, offset=-5),
        "过去五年,全州GDP总量",
    ),
    # 2022年以来 in a 2023 page: the year 2022
    row(r"(?P<year>(?:19|20)\d{2})年以来", Months("以来", _fixed(1, 12), since=True), "2022年以来,全县"),
)
# What may stand before a phrase that opens a clause: nothing, or a clause mark and 在.
CLAUSE_OPENS = re.compile(r"(?:^|[,;:。…—])\s*(?:在)?\s*$")
# The year a phrase may follow, read back from where the phrase starts.
YEAR_BEFORE = re.compile(_YEAR_STATED + r"$")
_YEAR_BEFORE_MAX = 8  # 二〇二三年度 and a little room

# A phrase right after one of these is what a figure is compared with, not its period:
# 比一季度提高, 较2015年增长, 比去年全年多, 与2019年同期相比, 高于去年同期.
COMPARISON_BEFORE = re.compile(r"(?:比|较|与|跟|对比|相比|高于|低于|快于|慢于|超过|超出|高出|相当于)$")

# Any year the text names (2021年第四次常务会议, 入围2021年…): the year later phrases default to.
# (It starts with its digits, so the engine skips to them; the digit before is checked in code.)
YEAR_MENTION = re.compile(r"((?:19|20)\d{2})年(?![-—–~至]\d)")
# A year written alone in a section head: 回首2021 / 2025 强基蓄势,交出答卷.
HEADING_YEAR = re.compile(r"(?<![\d.\-/:])((?:19|20)\d{2})(?![\d.\-/:年月%])")

# Words that turn the text to the year ahead, so a later 全年 is that year: 今年 and 明年
# against the page's year, 新的一年 after a review of the year before (力争全年地区生产总值
# 增长6.5%以上 in a January page after last year's results). 去年/上年 are not here: they
# mostly name a comparison base (比去年增长), not the year the text goes on about.
AHEAD_MENTION = re.compile(r"新的一年|新一年|今年|本年|明年|来年")
AHEAD_OFFSETS = {"今年": 0, "本年": 0, "明年": 1, "来年": 1, "新的一年": None, "新一年": None}
# From this month on a page's 新的一年 is the next calendar year (a December economic work
# conference plans the year after; a January one plans the year it is in).
NEW_YEAR_FROM_MONTH = 10

# A period that qualifies the name of an event is part of the name, not the span of the
# figures after it: 2022年第三季度重大项目集中签约活动, 一季度项目集中开工仪式, 上半年招商推介会议.
# Nothing but name characters may stand between (no figure, no clause mark), so 上半年签约项目
# 31个 keeps its period.
EVENT_NAME_AFTER = re.compile(
    r"[^,;:。!?\d%]{0,20}?(?:活动|仪式|典礼|会议|大会|论坛|峰会|博览会|交易会|展销会|洽谈会|推介会|发布会|"
    r"比赛|竞赛|评选|集中(?:签约|开工|竣工|投产)(?=[,;。!?]|$))"
)
# A meeting that reviews the period's economy hears that period's figures, so its period
# stands: 召开一季度经济运行分析会议, 上半年经济形势调度大会.
REVIEW_MEETING = re.compile(r"经济运行|经济形势|形势分析|运行分析|运行调度")


@dataclass(frozen=True)
class PeriodMention:
    """A period phrase found in a text, with its months and the year it states, if any."""

    start: int
    end: int
    first_month: int
    last_month: int
    year: int | None
    relative: int | None
    years: int = 0  # more years the span runs on (a plan: 4)
    plan: bool = False  # a plan's or the past five years' span
    since: bool = False  # 2022年以来
    local: bool = False  # 4月当月: binds its own clause only


@dataclass(frozen=True)
class Span:
    """A resolved period: from (start year, first month) to (end year, last month)."""

    start_year: int
    first_month: int
    end_year: int
    last_month: int
    plan: bool = False  # a plan's span: a level reached at its end is the last year's

    @property
    def period(self) -> Period:
        """The span as the period a figure is given: Period(2016, 1, 2020, 12) for 十三五."""
        return Period(self.start_year, self.first_month, self.end_year, self.last_month)

    def last_year(self) -> Span:
        """The span's last whole year: GDP总量突破3500亿元 at the end of 十三五 is 2020's figure."""
        return Span(self.end_year, 1, self.end_year, 12)

    @property
    def whole_years(self) -> bool:
        """True for a span of whole years (2021年, 十三五): it may govern a paragraph from its end."""
        return self.first_month == 1 and self.last_month == 12


def _month(text: str) -> int:
    """A month number from '6' or '六'."""
    return int(parse_number(text) or 0)


def _quarter(text: str) -> int:
    """A quarter number from '三', '两' or '3'."""
    return int(parse_number(text) or 0)


def _year(text: str | None) -> int | None:
    """A year from '2023' or '二〇二三'."""
    if not text:
        return None
    value = parse_number(text)
    return int(value) if value else None


# Each period row needs one of these characters; a text without them is not scanned
# (most sentences have none, and the optional year prefix makes a blind scan slow).
_PERIOD_HINT = re.compile(r"[月季年五]")


def is_comparison(text: str, start: int) -> bool:
    """True when the phrase at ``start`` is a comparison base (比一季度, 较2015年)."""
    return COMPARISON_BEFORE.search(text, max(0, start - 4), start) is not None


def _mention(m: re.Match, meaning: Months, text: str) -> PeriodMention | None:
    """A row's match as a mention (with the year written before it, for a year_before row),
    None when its months make no period."""
    first, last = meaning.months(m)
    if not (1 <= first <= last <= 12):
        return None
    groups, start = m.groupdict(), m.start()
    if meaning.clause_start and not CLAUSE_OPENS.search(text, max(0, start - 4), start):
        return None
    if meaning.year_before:
        y = YEAR_BEFORE.search(text, max(0, start - _YEAR_BEFORE_MAX), start)
        if y:
            groups, start = {**groups, **y.groupdict()}, y.start()
    if groups.get("plan"):
        year, rel = PLAN_FIRST_YEAR[groups["plan"]], None
    else:
        rel_word = groups.get("rel")
        year = _year(groups.get("year"))
        rel = RELATIVE_YEARS.get(rel_word) if rel_word else meaning.offset
    local = meaning.local or m.group().endswith(("当月", "单月"))
    return PeriodMention(start, m.end(), first, last, year, rel, meaning.years, meaning.plan, meaning.since, local)


# Each row with its hint as a tuple, worked out once: find_periods runs on every sentence
# that holds 年/月/季, and testing the type of each row's hint there cost more than the tests.
_RULE_HINTS: tuple[tuple[Rule, tuple[str, ...]], ...] = tuple(
    (rule, (rule.label.hint,) if isinstance(rule.label.hint, str) else tuple(rule.label.hint)) for rule in PERIOD_RULES
)


def find_periods(text: str) -> list[PeriodMention]:
    """Every period phrase in ``text``, in order; overlapping finds keep the longest;
    comparison bases (比一季度) are left out."""
    if not _PERIOD_HINT.search(text):
        return []
    found = []
    for rule, hints in _RULE_HINTS:
        for h in hints:
            if h in text:
                break
        else:
            continue  # the row's literal is absent: its pattern cannot match
        for m in rule.pattern.finditer(text):
            mention = _mention(m, rule.label, text)
            if mention is not None:
                found.append(mention)
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    kept: list[PeriodMention] = []
    for p in found:
        if kept and p.start < kept[-1].end:
            continue
        kept.append(p)
    return [p for p in kept if not is_comparison(text, p.start)]


def names_an_event(text: str, mention: PeriodMention) -> bool:
    """True when the period qualifies an event's name that follows it (…集中签约活动)."""
    m = EVENT_NAME_AFTER.match(text, mention.end)
    return m is not None and not REVIEW_MEETING.search(m.group(0))


def find_ahead_years(text: str) -> list[tuple[int, str]]:
    """(position, word) for every word that turns the text to the year ahead (今年, 新的一年)."""
    return [(m.start(), m.group(0)) for m in AHEAD_MENTION.finditer(text)]


def ahead_year(word: str, year_in_force: int | None, page_year: int | None, published) -> int | None:
    """The year 今年/明年/新的一年 means on a page of ``page_year`` (published on ``published``)."""
    offset = AHEAD_OFFSETS[word]
    if offset is not None:
        return page_year + offset if page_year is not None else None
    if published is not None:
        return published.year + (published.month >= NEW_YEAR_FROM_MONTH)
    return year_in_force + 1 if year_in_force is not None else page_year


def find_years(text: str) -> list[tuple[int, int]]:
    """(position, year) for every year the text names, comparison bases (较2015年) left out."""
    return [
        (m.start(), int(m.group(1)))
        for m in YEAR_MENTION.finditer(text)
        if not (m.start() and text[m.start() - 1].isdigit()) and not is_comparison(text, m.start())
    ]


def heading_year(text: str) -> int | None:
    """A year a section head writes alone (回首2021), or None."""
    m = HEADING_YEAR.search(text)
    return int(m.group(1)) if m else None


def format_period(year: int | None, first_month: int, last_month: int) -> str | None:
    """'2023-01/2023-06'; None without a year."""
    if year is None:
        return None
    return str(Period(year, first_month, year, last_month))


def resolve_span(mention: PeriodMention, year_in_force: int | None, page_year: int | None) -> Span | None:
    """The mention as a Span, its year from itself, the text so far, or the page; None
    without a year, or for a 以来 whose year is not over yet."""
    if mention.year is not None:
        year = mention.year
    elif mention.relative is not None:
        base = page_year if page_year is not None else year_in_force
        year = base + mention.relative if base is not None else None
    else:
        year = year_in_force if year_in_force is not None else page_year
    if year is None or (mention.since and (page_year is None or year >= page_year)):
        return None
    return Span(year, mention.first_month, year + mention.years, mention.last_month, mention.plan)


def resolve_period(mention: PeriodMention, year_in_force: int | None, page_year: int | None) -> str | None:
    """The mention as 'YYYY-MM/YYYY-MM' (see resolve_span)."""
    span = resolve_span(mention, year_in_force, page_year)
    return str(span.period) if span else None
