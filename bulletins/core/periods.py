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

# Any year the text names (2023年第二次全体会议, 入围2023年…): the year later phrases default to.
YEAR_MENTION = re.compile(r"(?<!\d)((?:19|20)\d{2})年(?![-—–~至]\d)")


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
