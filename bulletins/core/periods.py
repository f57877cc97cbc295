"""Reporting periods: 1-6月, 上半年, 前三季度, 全年, 截至6月底 → 'YYYY-MM/YYYY-MM'.

A period phrase names months; its year comes from the phrase itself (2023年1-6月), a
relative word (去年 against the page's year), the last year the text named, or the page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bulletins.core.numbers import parse_number

# A year written before a period word: 2023年, 二〇二三年, 今年/去年/上年/明年.
_YEAR_STATED = r"(?:(?P<year>(?:19|20)\d{2}|二[〇○零][〇○零一二三四五六七八九]{2})年(?:度)?|(?P<rel>今年|本年|去年|上年|前年|明年))"
_YEAR = _YEAR_STATED + "?"
_M = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# Relative year words → offset from the page's year.
RELATIVE_YEARS = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}

# Period phrases, tried together, each with the phrase it exists for. An entry is
# (a literal the phrase must contain, so texts without it are never scanned; the pattern;
# the match → (first month, last month)).
PERIOD_PATTERNS: tuple[tuple[str, re.Pattern, object], ...] = (
    # 1-6月, 1—10月, 1至9月份, 2023年1-6月
    ("月", re.compile(_YEAR + rf"(?P<m1>{_M})\s*[-—–~至到]\s*(?P<m2>{_M})月(?:份)?(?!\d|[一二三四五六七八九十]|日)"),
     lambda m: (_month(m.group("m1")), _month(m.group("m2")))),
    # 截至6月底, 截至2023年9月末: everything from January up to that month
    ("截至", re.compile(r"截至" + _YEAR + rf"(?P<m2>{_M})月(?:底|末|份)?(?!\d|日)"),
     lambda m: (1, _month(m.group("m2")))),
    # 上半年 / 下半年
    ("上半年", re.compile(_YEAR + r"上半年"), lambda m: (1, 6)),
    ("下半年", re.compile(_YEAR + r"下半年"), lambda m: (7, 12)),
    # 前三季度 → Jan–Sep; 前两季度 → Jan–Jun
    ("季度", re.compile(_YEAR + r"(?:前|一至|1-)(?P<q>[二两三2-3])(?:个)?季度"), lambda m: (1, 3 * _quarter(m.group("q")))),
    # 前5个月, 今年前10个月 → January to that month
    ("个月", re.compile(_YEAR + rf"前(?P<m2>{_M})个月"), lambda m: (1, _month(m.group("m2")))),
    # 一季度, 第三季度, 2023年四季度: one quarter
    ("季度", re.compile(_YEAR + r"(?<!前)(?:第)?(?P<q>[一二三四1-4])季度"),
     lambda m: (3 * _quarter(m.group("q")) - 2, 3 * _quarter(m.group("q")))),
    # 全年, 2021年全年
    ("全年", re.compile(_YEAR + r"全年(?!度)"), lambda m: (1, 12)),
    # 6月份 (a single month; 6月28日 is a date, not a period)
    ("月份", re.compile(_YEAR + rf"(?P<m1>{_M})月份"), lambda m: (_month(m.group("m1")), _month(m.group("m1")))),
    # 2021年, / 去年,全市…: a bare year opening a clause is the whole year
    ("年", re.compile(r"(?:^|(?<=[,;:。]))\s*(?:在)?" + _YEAR_STATED + r"(?=\s*(?:,|全市|全省|全县|全区|全州|我市|我省|全国))"),
     lambda m: (1, 12)),
)

# Any year the text names (2021年第四次常务会议, 入围2021年…): the year later phrases default to.
YEAR_MENTION = re.compile(r"(?<!\d)((?:19|20)\d{2})年(?![-—–~至]\d)")

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


# Each period pattern needs one of these characters; a text without them is not scanned
# (most sentences have none, and the optional year prefix makes a blind scan slow).
_PERIOD_HINT = re.compile(r"[月季年]")


def find_periods(text: str) -> list[PeriodMention]:
    """Every period phrase in ``text``, in order; overlapping finds keep the longest."""
    if not _PERIOD_HINT.search(text):
        return []
    found = []
    for hint, pattern, months in PERIOD_PATTERNS:
        if hint not in text:
            continue
        for m in pattern.finditer(text):
            first, last = months(m)
            if not (1 <= first <= last <= 12):
                continue
            rel = m.groupdict().get("rel")
            found.append(PeriodMention(m.start(), m.end(), first, last, _year(m.groupdict().get("year")),
                                       RELATIVE_YEARS.get(rel) if rel else None))
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    kept: list[PeriodMention] = []
    for p in found:
        if kept and p.start < kept[-1].end:
            continue
        kept.append(p)
    return kept


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
    """(position, year) for every year the text names."""
    return [(m.start(), int(m.group(1))) for m in YEAR_MENTION.finditer(text)]


def format_period(year: int | None, first_month: int, last_month: int) -> str | None:
    """'2023-01/2023-06'; None without a year."""
    if year is None:
        return None
    return f"{year:04d}-{first_month:02d}/{year:04d}-{last_month:02d}"


def resolve_period(mention: PeriodMention, year_in_force: int | None, page_year: int | None) -> str | None:
    """The mention as 'YYYY-MM/YYYY-MM', its year from itself, the text so far, or the page."""
    if mention.year is not None:
        year = mention.year
    elif mention.relative is not None:
        base = page_year if page_year is not None else year_in_force
        year = base + mention.relative if base is not None else None
    else:
        year = year_in_force if year_in_force is not None else page_year
    return format_period(year, mention.first_month, mention.last_month)
