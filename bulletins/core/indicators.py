"""Economic indicators in an article's body: amounts, growth rates, shares, counts and ranks.

The body is read sentence by sentence. In each sentence, figures (a number with its unit)
and ranks (排全省第1) are found with the tables of ``rules_indicators``; the words before
each figure give its measure (增长 → change) and its metric; periods stated once carry
forward; 分别 spreads a run of values over a list of names; 均排全省第5 ranks the figures
before it. Numbers that are names or labels are dropped by the NOT_* tables.
"""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field

from bulletins.core.context import DocContext
from bulletins.core.facts import Period
from bulletins.core.numbers import is_chinese_numeral, parse_number, parse_whole, tidy
from bulletins.core.places import NO_PLACES, PlaceNames
from bulletins.core.periods import (
    Span,
    ahead_year,
    find_ahead_years,
    find_periods,
    find_years,
    heading_year,
    names_an_event,
    resolve_span,
)
from bulletins.core import rules_indicators as R
from bulletins.core.budget import check as check_budget
from bulletins.core.scan import sentence_scan

# The lead is the first prose line among the first LEAD_SEARCH_LINES; a section head is a
# line of at most HEADING_MAX_CHARS that ends no sentence.
LEAD_SEARCH_LINES = 5
LEAD_MIN_CHARS = 40
HEADING_MAX_CHARS = 30
# Two metric names are one when this share of their character pairs is shared.
ALIKE_METRICS = 0.6
# Sentences end at 。!? and at ; (list items of a bulletin are ;-separated). A sentence is
# matched whole, mark included (a split at a look-behind tries it at every character: slower).
SENTENCE = re.compile(r"[^。!?;]*[。!?;]|[^。!?;]+")
CLAUSE_BOUNDARY = re.compile(r"[,;:。!?]")


@dataclass
class Event:
    """A figure or a rank found in a sentence, with its position."""

    kind: str  # "figure" or "rank"
    start: int
    end: int
    value: float | None = None
    unit: str | None = None
    noun: str | None = None  # the metric written after a count: 46个省重点建设项目
    rank: int | None = None
    ranks: tuple[int, ...] = ()  # 分别排全省第1、第3: one rank per figure before
    scope: str | None = None
    period: Span | None = None


@dataclass
class SentenceState:
    """What the walk over one sentence has produced so far."""

    items: list[dict] = field(default_factory=list)
    ranked_upto: int = 0  # items before this index already took a 均 rank


class PeriodTracker:
    """The year and the period in force as the walk moves through the body.

    A figure without a period in its own clause takes, in this order: the last period
    stated before it in its paragraph, a whole-year period its paragraph states later
    (……2024年,该县交出答卷), its section head's (回首2023——), the headline's or lead's.
    """

    def __init__(self, ctx: DocContext):
        self.page_year = ctx.year if ctx.year is not None else (ctx.published.year if ctx.published else None)
        self.published = ctx.published
        self.year: int | None = None
        self.period: Span | None = None  # stated in the paragraph so far
        self.own = False  # ... and in the sentence being read
        self.ahead: Span | None = None  # a whole-year period the paragraph states later
        self.paragraph: str | None = None  # the paragraph whose ``ahead`` is not worked out yet
        self.local: tuple | None = None  # the period a 当月 stands in for, and where it was read
        self.section: Span | None = None  # the section head's
        self.lead: Span | None = None  # the headline's or lead's

    def in_force(self) -> Span | None:
        """The period a figure read now takes when its clause states none."""
        if self.period:
            return self.period
        if self.paragraph is not None:  # worked out when first needed: most figures have a period before them
            text, self.paragraph = self.paragraph, None
            self.ahead = self.first_span([text], whole_years=True) if R.WHOLE_YEAR_HINT.search(text) else None
        return self.ahead or self.section or self.lead

    def marks(self, sentence: str) -> list[tuple[int, str, object]]:
        """Year and period mentions of a sentence as (position, kind, data), in order."""
        # Every year and period phrase holds 年, 月, 季 or 五 (十三五): most sentences hold none.
        if "年" not in sentence and "月" not in sentence and "季" not in sentence and "十" not in sentence:
            return []
        marks = []
        if "年" in sentence:
            marks += [(pos, "year", year) for pos, year in find_years(sentence)]
            marks += [(pos, "ahead", word) for pos, word in find_ahead_years(sentence)]
        marks += [(p.start, "period", p) for p in find_periods(sentence) if not names_an_event(sentence, p)]
        return sorted(marks, key=lambda m: (m[0], m[1] == "period"))

    def apply(self, mark: tuple[int, str, object]) -> None:
        """Move the state past one mention."""
        _, kind, data = mark
        if kind == "year":
            self.year = data
        elif kind == "ahead":
            self.year = ahead_year(data, self.year, self.page_year, self.published)
        else:
            span = resolve_span(data, self.year, self.page_year)
            if span is not None:
                if data.local and self.local is None:  # 其中5月当月增长5.3%: its clause only
                    self.local = (self.period, self.own, data.end)
                self.period, self.own = span, True

    def end_local(self, sentence: str, pos: int) -> None:
        """Back to the period before a 当月 once the walk has left its clause."""
        if self.local is not None:
            period, own, at = self.local
            boundary = CLAUSE_BOUNDARY.search(sentence, at)
            if pos > (boundary.start() if boundary else len(sentence)):
                self.period, self.own, self.local = period, own, None

    def first_span(self, texts: list[str], whole_years: bool = False) -> Span | None:
        """The first period the texts state (a whole-year one if asked), the year state left as it was."""
        year, period, own = self.year, self.period, self.own
        found = None
        for text in texts:
            for mark in self.marks(text):
                self.apply(mark)
                if mark[1] == "period" and self.period is not None and (self.period.whole_years or not whole_years):
                    found = self.period
                    break
            if found:
                break
        self.year, self.period, self.own = year, period, own
        return found

    def start_paragraph(self, paragraph: str) -> None:
        """A new paragraph: nothing stated in it yet; a whole-year period it states later governs before it."""
        self.period, self.own = None, False
        self.ahead, self.paragraph = None, paragraph

    def start_section(self, heading: str) -> None:
        """A section head: its period (回首2023, 2024 强基蓄势) governs the paragraphs under it."""
        self.section = self.first_span([heading])
        if self.section is None:
            year = heading_year(heading)
            self.section = Span(year, 1, year, 12) if year else None


def _inside_quotes(text: str, pos: int) -> bool:
    """True when ``pos`` sits inside “…”, 《…》 or the like: a name or a label, not a figure."""
    return sentence_scan(text).inside_quotes(pos)  # indexed once a sentence: linear, not quadratic


def _count_noun(sentence: str, end: int) -> str:
    """The noun a count stands before: 46个省重点建设项目和… → 省重点建设项目."""
    rest = sentence[end : end + 30]
    stop = R.NOUN_STOP.search(rest)
    noun = rest[: stop.start()] if stop else rest
    return R.ABOUT_AFTER.sub("", noun)  # 60家以上: no noun, a bound


def _figure_value(m: re.Match) -> tuple[float | None, str | None, str]:
    """(value, unit, number text) of a FIGURE match."""
    if m.group("pct"):
        return parse_number(m.group("pct")), "%", m.group("pct")
    return parse_number(m.group("num")), m.group("unit"), m.group("num")


def _is_rhetorical_cn(num_text: str, value: float, unit: str, before: str = "") -> bool:
    """三个方面, 一次次, 千家万户: small or digitless Chinese numerals outside money/percent
    (a count right after what it counts stays: 新增规上工业企业十二家)."""
    if not is_chinese_numeral(num_text) or unit in R.MONEY_UNITS or unit in R.PERCENT_UNITS:
        return False
    if unit in R.COUNT_UNITS and R.COUNTED_BEFORE.search(before):
        return False
    return value < 100 or not re.search(r"[零〇○一二两三四五六七八九]", num_text)


# Each NOT_* table as one alternation: one search instead of a search a row, for every figure.
_NOT_BEFORE_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in R.NOT_BEFORE))
_NOT_AFTER_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in R.NOT_AFTER))


def _figure_event(sentence: str, m: re.Match) -> Event | None:
    """A FIGURE match as an Event, or None when the NOT_* tables say it is a name or label."""
    value, unit, num_text = _figure_value(m)
    if value is None:
        return None
    before, after = sentence[max(0, m.start() - 6) : m.start()], sentence[m.end() : m.end() + 12]
    if R.NEGATIVE_SIGN.search(before):
        value = -value
    elif _NOT_BEFORE_ANY.search(before):
        return None
    if _NOT_AFTER_ANY.search(after):
        return None
    if unit in R.MONEY_UNITS and R.AMOUNT_CLASS_AFTER.search(after):
        return None
    if _inside_quotes(sentence, m.start()) or _is_rhetorical_cn(num_text, value, unit, before):
        return None
    event = Event("figure", m.start(), m.end(), value=value, unit=unit)
    if unit in R.COUNT_UNITS or unit in R.PERSON_UNITS:
        noun = _count_noun(sentence, m.end())
        if noun:
            return _count_event(event, noun, sentence)
    return event


def _count_event(event: Event, noun: str, sentence: str) -> Event | None:
    """A count before its noun, unless it counts people or plan items (6位负责人, 15项重点任务)."""
    if event.unit in R.PERSON_UNITS or R.PERSON_NOUN.search(noun):
        return None
    verb_before = R.PLAN_VERB_BEFORE.search(sentence, max(0, event.start - 8), event.start)  # the words just before
    if R.PLAN_NOUN.search(noun) or R.SCOPE_NOUN.search(noun) or verb_before:
        return None
    if not R.COUNT_NOUN_HEAD.search(noun):
        return None
    event.noun = noun
    event.end += len(noun)
    if len(noun) <= 2:  # a bare 项目: what they were counted for
        before = R.ACTION_BEFORE.search(sentence, max(0, event.start - 6), event.start)
        after = R.NOUN_ACTION.match(sentence, event.end)
        if before:  # 集中签约的16个项目
            event.noun = before.group().removesuffix("的") + noun
        elif after:  # 35个项目现场签约
            event.noun = after.group() + noun
    return event


def _holds_count(text: str) -> bool:
    """True when a would-be metric itself counts things or people: 12名“最美护士”、."""
    return any(
        m.group("unit") in R.COUNT_UNITS + R.PERSON_UNITS and m.group("num")[0].isdigit()
        for m in R.FIGURE.finditer(text)
        if m.group("num")
    )


def _rank_event(m: re.Match, sentence: str) -> Event:
    """A RANK match as an Event; the scope may sit before the verb (全省排名第1)."""
    scope = m.group("scope").strip() or None
    if scope is None:
        before = R.SCOPE_BEFORE.search(sentence, max(0, m.start() - 16), m.start())  # the words just before
        scope = before.group(1) if before else None
    ranks = tuple(parse_whole(n) or 0 for n in R.RANK_NUMBERS.findall(m.group(0)))  # every digit kept
    return Event("rank", m.start(), m.end(), rank=ranks[0], ranks=ranks, scope=scope)


def find_events(sentence: str) -> list[Event]:
    """Figures and ranks of a sentence, in order, overlaps dropped."""
    events = [e for m in R.FIGURE.finditer(sentence) if (e := _figure_event(sentence, m))]
    if "第" in sentence:  # every rank is written 第N
        events += [_rank_event(m, sentence) for m in R.RANK.finditer(sentence)]
    events.sort(key=lambda e: e.start)
    kept: list[Event] = []
    for e in events:
        if kept and e.start < kept[-1].end:
            continue
        kept.append(e)
    return kept


def clean_metric(text: str, places: PlaceNames = NO_PLACES) -> str:
    """A metric name without the period, place, scope and verb words around it."""
    text = text.strip()
    for _ in range(3):  # period, place and scope words alternate: 株洲1-9月全市…, 上半年全市高新区…
        before = text
        if PERIOD_NEAR_START.search(text, 0, PERIOD_HEAD_CHARS):  # a period can lead only with one of these
            for p in find_periods(text):
                if p.start == 0:
                    text = text[p.end :]
        text = R.METRIC_LEAD.sub("", R.YEAR_LEAD.sub("", text))
        text = R.PLACE_LEAD.sub("", text)
        text = text[places.lead(text) :]
        if text == before:
            break  # nothing more to take off the front
    text = R.METRIC_TAIL.sub("", text)
    if R.COMPARISON_ONLY.match(text):
        return ""
    return _balance(text.strip())


def _balance(text: str) -> str:
    """Drop a dangling quote or bracket left by a cut: 三类”项目 → 三类项目 stays readable."""
    for o, c in (("“", "”"), ("(", ")"), ("《", "》")):
        if text.count(c) > text.count(o) and text.startswith(c):
            text = text[1:]
        if text.count(o) > text.count(c) and text.endswith(o):
            text = text[:-1]
    return text


def classify(pre: str, unit: str | None) -> tuple[str, int, str]:
    """(measure, sign, subject text) from the words just before a number (R.MEASURE_RULES)."""
    for rule in R.MEASURE_RULES:
        m = rule.search(pre)
        if not m:
            continue
        measure, sign = rule.label
        if measure == "ratio" and unit not in R.RATIO_UNITS:
            continue
        if measure == "difference" and (unit not in R.DIFFERENCE_UNITS or R.OWN_PAST_BASE.search(m.group(0))):
            measure = "change"
        if R.CONTRIBUTION.search(pre):
            return "change", sign, pre  # 第三产业拉动经济增长3.2个百分点: metric …拉动经济增长
        if measure == "change" and unit in R.POINT_UNITS:
            measure = "difference"  # 比一季度提高2.3个百分点: two rates compared
        if measure == "share":
            return measure, sign, R.SHARE_VERB_TAIL.sub("", pre)
        if measure == "level" and unit in R.RATIO_UNITS:
            measure = "ratio"
        return measure, sign, pre[: m.start()]
    return "level", 1, pre


def _clause_end(sentence: str, pos: int) -> int:
    """Where the clause holding ``pos`` ends (a parenthesis after the figure stays in)."""
    return sentence_scan(sentence).clause_end(pos)


class SentenceReader:
    """Turns the events of one sentence into indicator dicts."""

    def __init__(self, sentence: str, target: bool, places: PlaceNames = NO_PLACES, previous: list[dict] | None = None):
        self.s = sentence
        self.target = target
        self.places = places
        self.state = SentenceState()
        # The figures of the paragraph's earlier sentences: 增长8.2%;增速排全区第7位 ranks them.
        self.previous = previous or []

    def boundary(self, event: Event, prev_end: int) -> int:
        """Start of the words that belong to ``event``: after the last clause mark or event."""
        return max(sentence_scan(self.s).clause_start(event.start), prev_end)

    def read(self, events: list[Event]) -> list[dict]:
        """Every indicator of the sentence."""
        prev_end, i = 0, 0
        while i < len(events):
            check_budget("indicators")
            e = events[i]
            start = self.boundary(e, prev_end)
            pre = self.s[start : e.start].removesuffix("-")  # 增长-12.3%: the sign is in the value
            if e.kind == "rank":
                self.rank(e, pre, start)
                prev_end, i = e.end, i + 1
                continue
            run = self.run(events, i)
            self.figure(run, pre, start)
            prev_end, i = run[-1].end, i + len(run)
        return self.state.items

    def run(self, events: list[Event], i: int) -> list[Event]:
        """The figure at ``i`` and the figures that follow it with only 、/和 between (12.4%、9.8%)."""
        run = [events[i]]
        for j in range(i + 1, len(events)):  # by index: events[i + 1:] would copy the rest per figure
            e = events[j]
            if e.kind != "figure" or e.noun or not R.RUN_SEPARATOR.match(self.s[run[-1].end : e.start]):
                break
            run.append(e)
        return run

    def figure(self, run: list[Event], pre: str, start: int) -> None:
        """Indicators from a figure (or a 分别 run of figures) and the words before it."""
        first = run[0]
        if first.noun:
            self.emit(first, "level", 1, clean_metric(first.noun, self.places), start)
            return
        measure, sign, subject = classify(pre, first.unit)
        if first.unit in R.PERSON_UNITS and R.GATHERING_PEOPLE.search(subject):
            return  # 出席全会的有市委委员41人: who attended, not an indicator
        if "分别" in subject or len(run) > 1:
            names = [clean_metric(n, self.places) for n in R.LIST_SEPARATOR.split(subject.replace("分别", ""))]
            names = [n for n in names if n]
            if len(names) == len(run) and len(run) > 1:
                for name, e in zip(names, run):
                    self.emit(e, measure, sign, name, start)
                return
        schedule = R.SCHEDULE.search(pre) if measure == "difference" else None
        if schedule and not clean_metric(subject, self.places):  # …完成16.2亿元,…,超时序进度4.3个百分点
            measured = next((it for it in self.state.items + self.previous if it["measure"] == "level"), None)
            if measured:
                self.emit(first, measure, sign, measured["metric"] + schedule.group(), start)
                return
        named = R.NAMED_AFTER.match(self.s, first.end) if len(run) == 1 and measure == "level" else None
        if named:  # 完成1100亿元的年度投资任务: the metric is the task named after the figure
            self.emit(first, measure, sign, named.group(1), start)
            return
        metric = clean_metric(subject, self.places)
        for e in run:
            self.emit(e, measure, sign, metric or self.inherited(measure), start)

    def inherited(self, measure: str) -> str | None:
        """The metric of a figure with no subject of its own: 达2915亿元,增长7.3% → the same one."""
        items = self.state.items or self.previous  # 其中,二季度增长5.9%: the paragraph's last metric
        if not items:
            return None
        # The thing measured, not a comparison of it: 增长5.7%,增速比全国高0.4个百分点。其中,二季度增长5.9%
        last = (
            next((it for it in reversed(items) if it["measure"] != "difference"), items[-1])
            if measure in ("change", "level")
            else items[-1]
        )
        base = last["metric"]
        if measure == "change" and last["measure"] == "level":
            base = R.AMOUNT_TAIL.sub("", base) or base  # GDP总量突破3500亿元,年均增长7.4%: GDP grew
        if measure == "level" and last["measure"] == "change":
            base = R.AVERAGE_TAIL.sub("", base) or base  # 年均增长6.4%,2021年达到3880亿元
        if measure == "difference" and last["measure"] == "change" and not re.search(r"(增速|增幅|速度)$", base):
            return base + "增速"
        return base

    def emit(self, e: Event, measure: str, sign: int, metric: str | None, start: int) -> None:
        """Add one indicator dict, unless the metric is missing or itself a count (10名…、5名)."""
        if not metric or _holds_count(metric):
            return
        value = tidy(e.value * sign if e.value is not None else None)
        if measure == "level" and e.unit == "%" and R.SHARE_METRIC.search(metric):
            measure = "share"  # 比重由44.3%提高到51.8%
        elif measure == "level" and e.unit == "%" and R.GROWTH_METRIC.search(metric):
            measure = "change"  # 居民消费价格涨幅控制在3%左右
        evidence = self.s[start : _clause_end(self.s, e.end)].strip(" ,")
        self.state.items.append(
            {
                "metric": metric,
                "measure": measure,
                "value": value,
                "unit": e.unit,
                "period": figure_period(e.period, measure, evidence),
                "rank": None,
                "rank_scope": None,
                "target": self.target,
                "evidence": evidence,
            }
        )

    def rank(self, e: Event, pre: str, start: int) -> None:
        """A rank: of the figures before it (均排全省第5, (排全省第2)) or of a metric of its own."""
        raw = pre.strip(" (、")
        subject = clean_metric(re.sub(r"^[\s(、]+", "", pre), self.places)
        if len(e.ranks) > 1:
            self.rank_each(e, subject, raw, start)
            return
        ref = _backref(raw) or _backref(subject)
        if ref is not None:
            self.rank_back(e, ref, start)
        elif not subject:
            self.rank_last(e, start)
        elif len(names := self.listed_names(subject)) > 1:
            for name in names:
                self.emit_rank(e, e.rank, name, start)
        else:
            self.emit_rank(e, e.rank, self.shared_head(subject, pre), start)
        self.state.ranked_upto = len(self.state.items)

    def rank_back(self, e: Event, ref: tuple[str, re.Match], start: int) -> None:
        """A rank whose subject points back at figures already read (均, 增速均, 两项指标增幅均)."""
        label, m = ref
        items = self.state.items or self.previous
        fresh = [it for it in items[self.state.ranked_upto :] if it["rank"] is None]
        if label == "all":
            targets = fresh
        elif label == "changes":
            targets = [it for it in fresh if it["measure"] == "change"]
            if not targets and fresh and fresh[-1]["measure"] == "level":  # 货邮吞吐量60.1吨,增长率均排…
                self.emit_rank(e, e.rank, fresh[-1]["metric"] + m.group("what"), start)
        elif label in ("change", "level"):
            targets = [it for it in reversed(items) if it["measure"] == label][:1]
        else:  # count: the last N figures, or the growth (增幅) of each as a rank of its own
            n = int(parse_number(m.group("n")) or 0)
            what = m.group("what")
            changes = [it for it in items if it["measure"] == "change"][-n:] if n else []
            targets = [it for it in items if it["measure"] in ("level", "change")][-n:] if n else []
            if what and what != "总量" and len(changes) == n:  # 两项指标增速均居…: the two growths
                targets = changes
            if what and what != "总量" and all(it["measure"] == "level" for it in targets):
                for it in targets:
                    self.emit_rank(e, e.rank, it["metric"] + what, start)
                return
        for it in targets:
            it["rank"], it["rank_scope"] = e.rank, e.scope

    def rank_last(self, e: Event, start: int) -> None:
        """A rank with no subject: the last figure, not the comparison after it (增长1.7%,
        高出全省0.4个百分点,排全省第2 ranks the 1.7%); with no figure, the clause before names it
        (固定资产投资高于全市平均值,居全市第3)."""
        items = self.state.items
        ranked = [it for it in items if it["measure"] != "difference"][-1:] or items[-1:]
        if ranked and ranked[0]["rank"] is not None:  # a second scope: 排全省第3,A类市州第1
            self.emit_rank(e, e.rank, ranked[0]["metric"], start)
            return
        if ranked:
            ranked[0]["rank"], ranked[0]["rank_scope"] = e.rank, e.scope
            return
        cut = [m.start() for m in CLAUSE_BOUNDARY.finditer(self.s, 0, e.start)]
        if len(cut) >= 1:
            before = self.s[cut[-2] + 1 if len(cut) > 1 else 0 : cut[-1]]
            metric = clean_metric(R.COMPARISON_TAIL.sub("", before), self.places)
            if metric and not FIGURE_IN.search(metric):
                self.emit_rank(e, e.rank, metric, start)

    def listed_names(self, subject: str) -> list[str]:
        """The names of a list before a rank, each with the head the last one ends with:
        规模工业、服务业企业个数均排… → 规模工业企业个数, 服务业企业个数."""
        names = [n for n in R.LIST_SEPARATOR.split(R.RANK_LIST_TAIL.sub("", subject)) if n]
        if len(names) < 2:
            return names
        tail = R.SHARED_TAIL.search(names[-1])
        if tail:
            names = [n if n.endswith(tail.group()) else n + tail.group() for n in names]
        return names

    def emit_rank(self, e: Event, rank: int, metric: str, start: int) -> None:
        """A rank of a metric with no figure of its own (处置率排名全省第2)."""
        before = len(self.state.items)
        self.emit(Event("rank", e.start, e.end, period=e.period), "rank", 1, metric, start)
        if len(self.state.items) > before:
            self.state.items[-1]["rank"], self.state.items[-1]["rank_scope"] = rank, e.scope

    def rank_each(self, e: Event, subject: str, raw: str, start: int) -> None:
        """增速分别排全省第1、第3: the ranks go, in order, to the last figures (growth rates if
        增速), or to the names listed before (社会消费品零售总额、服务业增速分别排名第二、第三)."""
        ref = _backref(raw) or _backref(subject)
        names = self.listed_names(subject) if ref is None else []
        if len(names) == len(e.ranks):
            for name, rank in zip(names, e.ranks):
                self.emit_rank(e, rank, name, start)
        else:
            pool = self.state.items[self.state.ranked_upto :]
            growth = ref is not None and ref[0] in ("change", "changes")
            if growth:
                pool = [it for it in pool if it["measure"] == "change"]
            if len(pool) < len(e.ranks):  # 增长4.6%;…增长6.1%,增速分别居全市第4位、第2位
                pool = [it for it in self.previous if it["measure"] == "change" or not growth] + pool
            for it, rank in zip(pool[-len(e.ranks) :], e.ranks):
                it["rank"], it["rank_scope"] = rank, e.scope
        self.state.ranked_upto = len(self.state.items)

    def shared_head(self, subject: str, pre: str) -> str:
        """垃圾处理量排名全省第2、处理率… → 垃圾处理率: a listed name shares the head of the one before."""
        if not pre.lstrip().startswith("、") or not self.state.items:
            return subject
        last = self.state.items[-1]["metric"]
        pos = last.find(subject[:1]) if len(subject) <= 4 else -1
        return last[:pos] + subject if pos > 0 else subject


FIGURE_IN = re.compile(r"\d")
# Every period phrase holds one of these within its first characters (2023年1-6月, 上半年).
PERIOD_NEAR_START = re.compile(r"[月季年五]")
PERIOD_HEAD_CHARS = 14


def _backref(subject: str) -> tuple[str, re.Match] | None:
    """(what it ranks, match) when a rank's subject points back at figures (R.RANK_BACKREFS)."""
    for rule in R.RANK_BACKREFS:
        m = rule.pattern.match(subject)
        if m:
            return rule.label, m
    return None


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences, each keeping its closing mark."""
    return [s for s in SENTENCE.findall(paragraph) if s.strip()]


def extract_indicators(body: str, ctx: DocContext) -> list[dict]:
    """Indicators of one article's normalised body (simplified, ASCII punctuation, a paragraph a line).

    Each dict: metric, measure, value, unit, period (a ``Period`` or None), rank, rank_scope,
    target, evidence (the contract in the extraction spec; ``extract_page`` makes it an ``Indicator``).
    """
    tracker = PeriodTracker(ctx)
    places = PlaceNames(ctx.page_text or body)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    lead_end = _lead_end(lines)
    tracker.lead = tracker.first_span(lines[: lead_end + 1]) or _report_year(lines[: lead_end + 1])
    out: list[dict] = []
    for i, paragraph in enumerate(lines):
        if paragraph[0] in "·•" and R.NAVIGATION_LINE.match(paragraph):
            continue  # · 邻县前三季度GDP增长5.1%: a link to another page
        if i > lead_end and _is_heading(paragraph):
            tracker.start_section(paragraph)
        if not _may_hold_figures(paragraph):
            tracker.period = None
            continue  # most paragraphs of a meeting report: nothing to read, no period to carry
        tracker.start_paragraph(paragraph)
        read: list[dict] = []
        for sentence in split_sentences(paragraph):
            check_budget("indicators")  # a page past its time limit stops here (core/budget.py)
            if _may_hold_figures(sentence):
                read.extend(_read_sentence(sentence, tracker, places, read))
        out.extend(read)
    lend_ranks(out)
    return without_repeats(out)


def without_repeats(items: list[dict]) -> list[dict]:
    """One fact stated twice (a headline and its body: 签约23个项目 … 共签约项目23个) is kept once,
    as the later statement, with a rank either gave."""
    kept: list[dict] = []
    for it in items:
        same = next(
            (
                k
                for k in kept
                if k["value"] is not None
                and k["value"] == it["value"]
                and k["unit"] == it["unit"]
                and k["measure"] == it["measure"]
                and k["period"] == it["period"]
                and _alike(k["metric"], it["metric"])
            ),
            None,
        )
        if same is not None:
            if it["rank"] is None:
                it["rank"], it["rank_scope"] = same["rank"], same["rank_scope"]
            kept.remove(same)
        kept.append(it)
    return kept


def figure_period(span: Span | None, measure: str, evidence: str) -> Period | None:
    """The period a figure is given: a level or share reached over a plan's span is the last
    year's (GDP总量突破3500亿元 in a review of 十三五), a sum or average over it keeps the span."""
    if span is None:
        return None
    if span.plan and measure in ("level", "share") and not R.OVER_THE_SPAN.search(evidence):
        span = span.last_year()
    return span.period


def lend_ranks(items: list[dict]) -> None:
    """A rank stated apart from its figure (地区生产总值增长居全市第3, after 地区生产总值增长6.4%
    in the lead) ranks that figure too."""
    for it in items:
        growth = R.RANKED_GROWTH.search(it["metric"]) if it["measure"] == "rank" else None
        if not growth:
            continue
        stem = it["metric"][: growth.start()]
        for other in items:
            if other["measure"] == "change" and other["rank"] is None and _alike(stem, other["metric"]):
                other["rank"], other["rank_scope"] = it["rank"], it["rank_scope"]
                break


def _alike(a: str, b: str) -> bool:
    """One metric name contains the other, or most character pairs are shared (规模以上工业增加值,
    规模工业增加值)."""
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    x, y = {a[i : i + 2] for i in range(len(a) - 1)}, {b[i : i + 2] for i in range(len(b) - 1)}
    return bool(x and y) and 2 * len(x & y) / (len(x) + len(y)) >= ALIKE_METRICS


def _report_year(lines: list[str]) -> Span | None:
    """The year a yearly report names in its headline (X市2023年国民经济和社会发展统计公报):
    it governs every figure of the report."""
    for line in lines:
        m = R.YEARLY_REPORT.search(line)
        if m:
            year = int(m.group(1))
            return Span(year, 1, year, 12)
    return None


def _lead_end(lines: list[str]) -> int:
    """Index of the lead paragraph: the first prose line among the first few (headline,
    source line and byline stand above it)."""
    for i, line in enumerate(lines[:LEAD_SEARCH_LINES]):
        if len(line) >= LEAD_MIN_CHARS or (line[-1] in "。!?" and len(line) > HEADING_MAX_CHARS // 2):
            return i
    return 0


def _is_heading(line: str) -> bool:
    """A section head: a short line that does not end a sentence (回首2023,成绩喜人——)."""
    return len(line) <= HEADING_MAX_CHARS and line[-1] not in "。!?;:,、.…"


def _may_hold_figures(text: str) -> bool:
    """False when the text holds no year or period word (年, 月, 季) and no figure hint:
    reading it would find nothing and leave the period in force as it was."""
    return "年" in text or "月" in text or "季" in text or _has_figure_hint(text)


def _has_figure_hint(sentence: str) -> bool:
    """True when the sentence may hold a figure or a rank (R.FIGURE_HINT), looked for from
    the first character one can start with."""
    first = R.FIGURE_HINT_START.search(sentence)
    if first is not None and (first.group().isdecimal() or first.group() == "第"):
        return True  # FIGURE_HINT matches right there (\d, 第): most figures start with a digit
    if first is not None and R.FIGURE_HINT.search(sentence, first.start()) is not None:
        return True
    return first is not None and R.CN_COUNT_HINT.search(sentence) is not None


def _read_sentence(
    sentence: str, tracker: PeriodTracker, places: PlaceNames, previous: list[dict] | None = None
) -> list[dict]:
    """Indicators of one sentence, with the period in force at each figure."""
    if "余" in sentence or "多" in sentence:
        sentence = R.APPROXIMATELY.sub(r"\1", sentence)
    if "首位" in sentence:
        sentence = R.FIRST_PLACE.sub("第1位", sentence)
    if "(" in sentence:
        sentence = R.BRACKETED_COMPARISON.sub(_unbracket, sentence)
    marks = collections.deque(tracker.marks(sentence))  # popped from the left: a list would copy
    events = find_events(sentence) if _has_figure_hint(sentence) else []
    tracker.own = False
    tied = R.EVENT_TIED.search(sentence) is not None
    tracker.local = None
    for e in events:
        while marks and marks[0][0] <= e.start:
            tracker.apply(marks.popleft())
        tracker.end_local(sentence, e.start)
        # A count at the event reported (本届大会签约项目16个) has no period but its sentence's.
        e.period = (tracker.period if tracker.own else None) if tied else tracker.in_force()
    for mark in marks:
        tracker.apply(mark)
    tracker.end_local(sentence, len(sentence) + 1)
    if not events:
        return []
    target = _sets_target(sentence, tracker.page_year)
    return SentenceReader(sentence, target, places, previous).read(events)


def _unbracket(m: re.Match) -> str:
    """分别高于全国(6.5%)、全省(7.4%)1.9个和1.0个百分点 → 高于全国1.9个百分点,高于全省1.0个百分点,
    全国增长6.5%,全省增长7.4%."""
    places = list(R.BRACKETED_PLACE.finditer(m.group("places")))
    values = R.POINT_VALUES.findall(m.group("values"))
    if len(values) != len(places):
        return m.group(0)
    verb = m.group("verb")
    gaps = [f"{verb}{p.group('place')}{v}个百分点" for p, v in zip(places, values)]
    theirs = [f"{p.group('place')}增长{p.group('value')}%" for p in places]
    return ",".join(gaps + theirs)


def _sets_target(sentence: str, page_year: int | None = None) -> bool:
    """True when the sentence sets a goal (力争, 确保, 计划…), not when it reports progress
    against one (完成年度计划的86.3%); 预计 (an estimate of a result) sets none."""
    if "计划" in sentence or "目标" in sentence:
        sentence = R.PLAN_PROGRESS.sub("", sentence)
    return R.TARGET_CUES.search(sentence) is not None
