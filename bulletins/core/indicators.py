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
from bulletins.core.numbers import is_chinese_numeral, parse_number, parse_whole, tidy
from bulletins.core.places import NO_PLACES, PlaceNames
from bulletins.core.periods import (ahead_year, find_ahead_years, find_periods, find_years, names_an_event,
                                    resolve_period)
from bulletins.core import rules_indicators as R
from bulletins.core.budget import check as check_budget
from bulletins.core.scan import sentence_scan

# Sentences end at 。!? and at ; (list items of a bulletin are ;-separated).
SENTENCE_END = re.compile(r"(?<=[。!?;])")


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
    period: str | None = None


@dataclass
class SentenceState:
    """What the walk over one sentence has produced so far."""

    items: list[dict] = field(default_factory=list)
    ranked_upto: int = 0  # items before this index already took a 均 rank


class PeriodTracker:
    """The period and the year in force as the walk moves through the body."""

    def __init__(self, ctx: DocContext):
        self.page_year = ctx.year if ctx.year is not None else (ctx.published.year if ctx.published else None)
        self.published = ctx.published
        self.year: int | None = None
        self.period: str | None = None

    def marks(self, sentence: str) -> list[tuple[int, str, object]]:
        """Year and period mentions of a sentence as (position, kind, data), in order."""
        # Every year and period phrase holds 年, 月 or 季: most sentences hold none.
        if "年" not in sentence and "月" not in sentence and "季" not in sentence:
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
            self.period = resolve_period(data, self.year, self.page_year)


def _inside_quotes(text: str, pos: int) -> bool:
    """True when ``pos`` sits inside “…”, 《…》 or the like: a name or a label, not a figure."""
    return sentence_scan(text).inside_quotes(pos)  # indexed once a sentence: linear, not quadratic


def _count_noun(sentence: str, end: int) -> str:
    """The noun a count stands before: 46个省重点建设项目和… → 省重点建设项目."""
    rest = sentence[end:end + 30]
    stop = R.NOUN_STOP.search(rest)
    return rest[: stop.start()] if stop else rest


def _figure_value(m: re.Match) -> tuple[float | None, str | None, str]:
    """(value, unit, number text) of a FIGURE match."""
    if m.group("pct"):
        return parse_number(m.group("pct")), "%", m.group("pct")
    return parse_number(m.group("num")), m.group("unit"), m.group("num")


def _is_rhetorical_cn(num_text: str, value: float, unit: str) -> bool:
    """三个方面, 一次次, 千家万户: small or digitless Chinese numerals outside money/percent."""
    if not is_chinese_numeral(num_text) or unit in R.MONEY_UNITS or unit in R.PERCENT_UNITS:
        return False
    return value < 100 or not re.search(r"[零〇○一二两三四五六七八九]", num_text)


def _figure_event(sentence: str, m: re.Match) -> Event | None:
    """A FIGURE match as an Event, or None when the NOT_* tables say it is a name or label."""
    value, unit, num_text = _figure_value(m)
    if value is None:
        return None
    before, after = sentence[max(0, m.start() - 6):m.start()], sentence[m.end():m.end() + 12]
    if R.NEGATIVE_SIGN.search(before):
        value = -value
    elif any(p.search(before) for p in R.NOT_BEFORE):
        return None
    if any(p.search(after) for p in R.NOT_AFTER):
        return None
    if _inside_quotes(sentence, m.start()) or _is_rhetorical_cn(num_text, value, unit):
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
    return event


def _holds_count(text: str) -> bool:
    """True when a would-be metric itself counts things or people: 12名“最美护士”、."""
    return any(m.group("unit") in R.COUNT_UNITS + R.PERSON_UNITS and parse_number(m.group("num")) is not None
               for m in R.FIGURE.finditer(text) if m.group("num"))


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
        for p in find_periods(text):
            if p.start == 0:
                text = text[p.end:]
        text = R.METRIC_LEAD.sub("", text)
        text = R.PLACE_LEAD.sub("", text)
        text = text[places.lead(text):]
    text = R.METRIC_TAIL.sub("", text)
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
    """(measure, sign, subject text) from the words just before a number."""
    for pattern, measure, sign in R.MEASURE_RULES:
        m = pattern.search(pre)
        if not m:
            continue
        if measure == "ratio" and unit not in R.RATIO_UNITS:
            continue
        if measure == "difference" and (unit not in R.DIFFERENCE_UNITS or R.OWN_PAST_BASE.search(m.group(0))):
            measure = "change"
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

    def __init__(self, sentence: str, target: bool, places: PlaceNames = NO_PLACES):
        self.s = sentence
        self.target = target
        self.places = places
        self.state = SentenceState()

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
            pre = self.s[start:e.start].removesuffix("-")  # 增长-12.3%: the sign is in the value
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
            if e.kind != "figure" or e.noun or not R.RUN_SEPARATOR.match(self.s[run[-1].end:e.start]):
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
        metric = clean_metric(subject, self.places)
        for e in run:
            self.emit(e, measure, sign, metric or self.inherited(measure), start)

    def inherited(self, measure: str) -> str | None:
        """The metric of a figure with no subject of its own: 达2915亿元,增长7.3% → the same one."""
        if not self.state.items:
            return None
        last = self.state.items[-1]
        base = last["metric"]
        if measure == "difference" and last["measure"] == "change" and not re.search(r"(增速|增幅|速度)$", base):
            return base + "增速"
        return base

    def emit(self, e: Event, measure: str, sign: int, metric: str | None, start: int) -> None:
        """Add one indicator dict, unless the metric is missing or itself a count (10名…、5名)."""
        if not metric or _holds_count(metric):
            return
        value = tidy(e.value * sign if e.value is not None else None)
        self.state.items.append({
            "metric": metric, "measure": measure, "value": value, "unit": e.unit,
            "period": e.period, "rank": None, "rank_scope": None, "target": self.target,
            "evidence": self.s[start:_clause_end(self.s, e.end)].strip(" ,"),
        })

    def rank(self, e: Event, pre: str, start: int) -> None:
        """A rank: of the figures before it (均排全省第5, (排全省第2)) or of a metric of its own."""
        subject = clean_metric(re.sub(r"^[\s(、]+", "", pre), self.places)
        items = self.state.items
        targets: list[dict] = []
        if len(e.ranks) > 1:
            self.rank_each(e, subject)
            return
        if not subject or subject in ("均", "分别") or R.RANK_BACKREF_ALL.match(pre.strip(" (、")):
            targets = [it for it in items[self.state.ranked_upto:] if it["rank"] is None] if (
                R.RANK_BACKREF_ALL.match(pre.strip(" (、"))) else items[-1:]
        elif R.RANK_BACKREF_CHANGE.match(subject):
            targets = [it for it in reversed(items) if it["measure"] == "change"][:1]
        elif R.RANK_BACKREF_LEVEL.match(subject):
            targets = [it for it in reversed(items) if it["measure"] == "level"][:1]
        if targets:
            for it in targets:
                it["rank"], it["rank_scope"] = e.rank, e.scope
            self.state.ranked_upto = len(items)
            return
        if not subject:
            return
        metric = self.shared_head(subject, pre)
        self.emit(Event("rank", e.start, e.end, period=e.period), "rank", 1, metric, start)
        items[-1]["rank"], items[-1]["rank_scope"] = e.rank, e.scope
        self.state.ranked_upto = len(items)

    def rank_each(self, e: Event, subject: str) -> None:
        """增速分别排全省第1、第3: the ranks go, in order, to the last figures (growth rates if 增速)."""
        pool = self.state.items[self.state.ranked_upto:]
        if R.RANK_BACKREF_CHANGE.match(subject):
            pool = [it for it in pool if it["measure"] == "change"]
        for it, rank in zip(pool[-len(e.ranks):], e.ranks):
            it["rank"], it["rank_scope"] = rank, e.scope
        self.state.ranked_upto = len(self.state.items)

    def shared_head(self, subject: str, pre: str) -> str:
        """垃圾处理量排名全省第2、处理率… → 垃圾处理率: a listed name shares the head of the one before."""
        if not pre.lstrip().startswith("、") or not self.state.items:
            return subject
        last = self.state.items[-1]["metric"]
        pos = last.find(subject[:1]) if len(subject) <= 4 else -1
        return last[:pos] + subject if pos > 0 else subject


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences, each keeping its closing mark."""
    return [s for s in SENTENCE_END.split(paragraph) if s.strip()]


def extract_indicators(body: str, ctx: DocContext) -> list[dict]:
    """Indicators of one article's normalised body (simplified, ASCII punctuation, a paragraph a line).

    Each dict: metric, measure, value, unit, period, rank, rank_scope, target, evidence
    (the contract in the extraction spec).
    """
    tracker = PeriodTracker(ctx)
    places = PlaceNames(ctx.page_text or body)
    out: list[dict] = []
    for paragraph in body.splitlines():
        paragraph = paragraph.strip()
        if not _may_hold_figures(paragraph):
            continue  # most paragraphs of a meeting report: nothing to read, no period to carry
        for sentence in split_sentences(paragraph):
            check_budget("indicators")  # a page past its time limit stops here (core/budget.py)
            if _may_hold_figures(sentence):
                out.extend(_read_sentence(sentence, tracker, places))
    return out


def _may_hold_figures(text: str) -> bool:
    """False when the text holds no year or period word (年, 月, 季) and no figure hint:
    reading it would find nothing and leave the period in force as it was."""
    return "年" in text or "月" in text or "季" in text or _has_figure_hint(text)


def _has_figure_hint(sentence: str) -> bool:
    """True when the sentence may hold a figure or a rank (R.FIGURE_HINT), looked for from
    the first character one can start with."""
    first = R.FIGURE_HINT_START.search(sentence)
    return first is not None and R.FIGURE_HINT.search(sentence, first.start()) is not None


def _read_sentence(sentence: str, tracker: PeriodTracker, places: PlaceNames) -> list[dict]:
    """Indicators of one sentence, with the period in force at each figure."""
    if "余" in sentence or "多" in sentence:
        sentence = R.APPROXIMATELY.sub(r"\1", sentence)
    marks = collections.deque(tracker.marks(sentence))  # popped from the left: a list would copy
    events = find_events(sentence) if _has_figure_hint(sentence) else []
    for e in events:
        while marks and marks[0][0] <= e.start:
            tracker.apply(marks.popleft())
        e.period = tracker.period
    for mark in marks:
        tracker.apply(mark)
    if not events:
        return []
    return SentenceReader(sentence, _sets_target(sentence), places).read(events)


def _sets_target(sentence: str) -> bool:
    """True when the sentence sets a goal (力争, 确保, 计划…), not when it reports progress
    against one (完成年度计划的86.3%)."""
    if "完成" in sentence:
        sentence = R.PLAN_PROGRESS.sub("", sentence)
    return R.TARGET_CUES.search(sentence) is not None
