"""Dates in bulletin text: 7月28日, 10月25—26日, 26日上午, 龙年首个工作日, resolved to ISO dates.

A date written without a year takes the page's year (DocContext.year); with a publication
date, a month after the publication month belongs to the year before (a January page
speaking of 12月28日). Where the text gives no date, the answer is None, never a guess.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from datetime import date, timedelta
from functools import lru_cache

from bulletins.core.context import DocContext

_DASH = r"\s*[—–\-~～至到]\s*"
# Tried in order; the first that matches at a position wins.
DATE_PATTERNS = tuple(
    (re.compile(p), kind)
    for p, kind in (
        (
            rf"(\d{{4}})年(\d{{1,2}})月(\d{{1,2}})日{_DASH}(\d{{1,2}})月(\d{{1,2}})日",
            "ymd_md",
        ),  # 2023年9月28日至10月2日
        (rf"(\d{{4}})年(\d{{1,2}})月(\d{{1,2}})日?{_DASH}(\d{{1,2}})日", "ymd_d"),  # 2024年3月5—11日 / 12月28日至29日
        (r"(\d{4})年(\d{1,2})月(\d{1,2})日", "ymd"),  # 2025年12月15日
        (rf"(\d{{1,2}})月(\d{{1,2}})日?{_DASH}(\d{{1,2}})月(\d{{1,2}})日", "md_md"),  # 9月30日—10月1日
        (rf"(\d{{1,2}})月(\d{{1,2}})(?:日)?{_DASH}(\d{{1,2}})日", "md_d"),  # 10月25—26日
        (r"(\d{1,2})月(\d{1,2})日", "md"),  # 7月28日
        (r"本月(\d{1,2})日", "this_month"),  # 本月10日 (published month)
        (r"(?:上月|上个月)(\d{1,2})日", "last_month"),  # 上月28日
        (
            r"(昨天|昨日|今天|今日|前天|前日)(?=[上下中晚早凌]|[,,。在召举]|$)",
            "relative",
        ),  # 昨日上午 (published day - 1)
        (r"(?<![\d月年.])(\d{1,2})日(?=[上下中晚早凌]|[,,。在])", "d"),  # 26日上午
    )
)
# A literal each DATE_PATTERNS row's matches hold ("" for a row scanned on every text): most
# sentences a meeting is dated from name no year, and the rows may start at any digit.
DATE_HINTS = {
    "ymd_md": "年",
    "ymd_d": "年",
    "ymd": "年",
    "md_md": "月",
    "md_d": "月",
    "md": "月",
    "this_month": "本月",
    "last_month": "上",
    "relative": "",
    "d": "日",
}

# The first working day after the Spring Festival holiday, said many ways:
# 龙年首个工作日 (the year named by its zodiac animal), 春节后上班首日, 节后第一个工作日.
ZODIAC = "鼠牛虎兔龙蛇马羊猴鸡狗猪"
SPRING_WORKDAY_RE = re.compile(
    rf"(?:(?P<animal>[{ZODIAC}])年|新春|春节后?|节后)(?:的)?"
    r"(?:首个工作日|第一个工作日|上班第一天|首个上班日|开工第一天|第一天上班|上班首日)"
)
# Every SPRING_WORKDAY_RE phrase holds one of these: a text without them is not scanned
# (the pattern may start at any character, and find_dates runs on every meeting's sentence).
SPRING_WORKDAY_HINT = re.compile("工作日|上班|第一天")

# Years a page speaks of, weighted: a full date or a numbered session names the year of
# the events (2021年第四次常务会议); a reporting period says which year's figures these are.
YEAR_WEIGHTS = tuple(
    (re.compile(p), w)
    for p, w in (
        (r"(\d{4})年\d{1,2}月\d{1,2}日", 3),  # 2025年12月15日
        (r"(\d{4})年(?:度)?第[一二三四五六七八九十\d]+次", 3),  # 市政府2020年第三次全会
        (r"(\d{4})年(?:前三季度|上半年|一季度|第一季度|1-\d{1,2}月|以来|前\d+个?月)", 2),  # 2021年上半年
        (r"(\d{4})年(?!代)", 1),  # any other year
    )
)


# Words that say which year the page stands in without writing it, weighted like YEAR_WEIGHTS:
# a review of a year is written in the year after (2022年工作回顾 → 2023); the start of a
# five-year plan (站在“十五五”新起点, 十四五开局之年) is the plan's first year.
PLAN_FIRST_YEAR = {"一": 2006, "二": 2011, "三": 2016, "四": 2021, "五": 2026}
YEAR_CUES = (
    ("回顾", re.compile(r"(\d{4})年(?:度)?(?:工作)?回顾"), lambda m: int(m.group(1)) + 1, 2),
    (
        "十",
        re.compile(r"十([一二三四五])五[”\"]?(?:规划)?(?:新起点|开局|起步|开篇|第一年)"),
        lambda m: PLAN_FIRST_YEAR[m.group(1)],
        3,
    ),
)
# A year after one of these is a comparison base, not the page's year: 较2015年增长18.4%.
COMPARED_BEFORE = re.compile(r"(?:比|较|与|相比|高于|低于)$")

# Where a year is written: every YEAR_WEIGHTS pattern starts with one. The pattern opens
# with a single digit class (not \d{4}) so the regex engine skips to digits at C speed.
_YEAR_AT = re.compile(r"(\d\d{3})年")


def text_year(text: str, published: date | None = None) -> int | None:
    """The year the page speaks of: the published year, else the best-weighted year named."""
    if published:
        return published.year
    scores: Counter[int] = Counter()
    for found in _YEAR_AT.finditer(text):  # each weight pattern is tried only where a year is
        year = int(found.group(1))
        if not 1990 <= year <= 2100 or COMPARED_BEFORE.search(text, max(0, found.start() - 2), found.start()):
            continue
        for pattern, weight in YEAR_WEIGHTS:
            if pattern.match(text, found.start()):
                scores[year] += weight
    for hint, pattern, year_of, weight in YEAR_CUES:
        if hint in text:
            for m in pattern.finditer(text):
                scores[year_of(m)] += weight
    if not scores:
        return None
    best = max(scores.values())
    # Among equally weighted years take the earliest; far-future plan years lose ties.
    return min(y for y, s in scores.items() if s == best)


def make_context(text: str, published: date | None = None) -> DocContext:
    """The page-wide context: publication date and the year the page speaks of."""
    return DocContext(published=published, year=text_year(text, published))


def _year_for(month: int, day: int, ctx: DocContext) -> int | None:
    """The year of a 月/日 written without one."""
    if ctx.published:
        year = ctx.published.year
        try:
            if date(year, month, day) > ctx.published + timedelta(days=31):
                return year - 1  # a January page about 12月28日
        except ValueError:
            return None
        return year
    return ctx.year


def _safe(year: int | None, month: int, day: int) -> date | None:
    """A date, or None when the parts do not make one."""
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


# Days before the publication date that a relative word names.
RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "前日": 2}


def _relative(m: re.Match, kind: str, ctx: DocContext) -> tuple[date | None, date | None]:
    """Dates written relative to the publication date (本月10日, 昨日); None without one."""
    if ctx.published is None:
        return None, None
    pub = ctx.published
    if kind == "relative":
        d = pub - timedelta(days=RELATIVE_DAYS[m.group(1)])
    elif kind == "this_month":
        d = _safe(pub.year, pub.month, int(m.group(1)))
    else:
        first = pub.replace(day=1) - timedelta(days=1)
        d = _safe(first.year, first.month, int(m.group(1)))
    return d, d


def _from_match(m: re.Match, kind: str, ctx: DocContext, month_hint: int | None):
    """Start and end dates for one matched date expression."""
    if kind in ("relative", "this_month", "last_month"):
        return _relative(m, kind, ctx)
    g = [int(x) for x in m.groups()]
    if kind == "ymd_md":
        return _safe(g[0], g[1], g[2]), _safe(g[0], g[3], g[4])
    if kind == "ymd_d":
        return _safe(g[0], g[1], g[2]), _safe(g[0], g[1], g[3])
    if kind == "ymd":
        d = _safe(*g)
        return d, d
    if kind == "md_md":
        year = _year_for(g[0], g[1], ctx)
        return _safe(year, g[0], g[1]), _safe(year, g[2], g[3])
    if kind == "md_d":
        year = _year_for(g[0], g[1], ctx)
        return _safe(year, g[0], g[1]), _safe(year, g[0], g[2])
    if kind == "md":
        d = _safe(_year_for(g[0], g[1], ctx), g[0], g[1])
        return d, d
    if month_hint is None:
        return None, None
    d = _safe(_year_for(month_hint, g[0], ctx), month_hint, g[0])
    return d, d


class _Spans:
    """Spans of text already read, asked "does one cover x?" by binary search, not a scan of
    them all (a one-line page of thousands of dates made that quadratic)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.longest = 0

    def add(self, start: int, end: int) -> None:
        """Record the span [start, end)."""
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        self.longest = max(self.longest, end - start)

    def covers(self, x: int) -> bool:
        """True when a recorded span holds position ``x`` (only spans starting within ``longest`` can)."""
        hi = bisect.bisect_right(self.starts, x)
        lo = bisect.bisect_left(self.starts, x - self.longest)
        return any(self.ends[i] > x for i in range(lo, hi))


def find_dates(text: str, ctx: DocContext, month_hint: int | None = None) -> list[tuple[int, date, date]]:
    """Every resolvable date expression in the text as (position, start, end), in order."""
    found: list[tuple[int, date, date]] = []
    taken = _Spans()
    for pattern, kind in DATE_PATTERNS:
        if DATE_HINTS[kind] not in text:
            continue  # the row's literal is absent: its pattern cannot match
        for m in pattern.finditer(text):
            if taken.covers(m.start()):
                continue
            start, end = _from_match(m, kind, ctx, month_hint)
            taken.add(m.start(), m.end())
            if start and end and end >= start:
                found.append((m.start(), start, end))
                month_hint = start.month
    for m in SPRING_WORKDAY_RE.finditer(text) if SPRING_WORKDAY_HINT.search(text) else ():
        day = spring_workday(_zodiac_year(m.group("animal"), ctx) if m.group("animal") else ctx.year)
        if day:
            found.append((m.start(), day, day))
    return sorted(found, key=lambda t: t[0])


def last_date_before(text: str, pos: int, ctx: DocContext) -> tuple[date | None, date | None]:
    """The last date the text gives before ``pos``: what 当天 / 当天下午 refers back to."""
    found = [f for f in find_dates(text[:pos], ctx)]
    if not found:
        return None, None
    _, start, end = found[-1]
    return start, end


def first_date(text: str, ctx: DocContext) -> tuple[date | None, date | None]:
    """The first date the text gives, as (start, end); (None, None) when it gives none."""
    found = find_dates(text, ctx)
    if not found:
        return None, None
    # An explicit 月/日 and a relative phrase at one place (2月19日节后第一个工作日): the explicit wins,
    # and it comes first in the text anyway.
    _, start, end = found[0]
    return start, end


def _zodiac_year(animal: str, ctx: DocContext) -> int | None:
    """The year of that zodiac animal nearest to the page's year (虎年 near 2022 → 2022)."""
    if ctx.year is None:
        return None
    offset = (ZODIAC.index(animal) - (ctx.year - 2020)) % 12  # 2020 was a 鼠 year
    return ctx.year + offset if offset <= 6 else ctx.year + offset - 12


def spring_workday(year: int | None) -> date | None:
    """The first official working day after the Spring Festival holiday of that year."""
    if year is None:
        return None
    return _spring_workdays().get(year)


@lru_cache(maxsize=1)
def _spring_workdays() -> dict[int, date]:
    """Year → first workday after 春节 holidays, from China's official calendar."""
    try:
        import chinese_calendar
    except ImportError:  # the calendar is optional: without it the phrase resolves to None
        return {}
    last_holiday: dict[int, date] = {}
    for day, name in chinese_calendar.holidays.items():
        if name == "Spring Festival" and day.month <= 3:
            last_holiday[day.year] = max(day, last_holiday.get(day.year, day))
    out = {}
    for year, day in last_holiday.items():
        nxt = day + timedelta(days=1)
        while not chinese_calendar.is_workday(nxt):
            nxt += timedelta(days=1)
        out[year] = nxt
    return out
