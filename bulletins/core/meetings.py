"""Meetings an article reports as held: name, kind, dates, format, evidence and participants.

An article generally reports one meeting: its headline, lead and body mention it several
times (王立新在…推进大会上强调 / 召开市、县两级…推进大会); the mentions are merged into one.
Meetings only referred to (学习贯彻中央经济工作会议精神) are never reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bulletins.core import dates, people
from bulletins.core.context import DocContext
from bulletins.core.rules_meetings import (
    FORMAT_PATTERNS,
    HELD_PATTERNS,
    HELD_TAILS,
    KIND_AT_END,
    KIND_MAX_LEN,
    KINDS,
    MIN_NAME_PREFIX,
    NAME_CHAR_RE,
    NAME_MAX_UNITS,
    NAME_QUOTE_MAX,
    NAME_QUOTES,
    NAME_FORMATS,
    NAME_PREFIX_NOISE,
    REFERENCE_AFTER,
    REFERENCE_BEFORE,
    SAME_DAY,
)

_SENTENCE_RE = re.compile(r"[^。!?!?;;\n]+[。!?!?;;]?")
_SIMILAR = 0.5


@dataclass
class HeldMention:
    """One place the text reports a meeting as held."""

    name: str
    kind: str
    start: int
    evidence: str
    in_title: bool


def kind_of(name: str) -> str | None:
    """The generic type the name ends with (全体会议, 推进会, 颁奖典礼 …)."""
    return next((k for k in KINDS if name.endswith(k)), None)


def clean_name(name: str) -> str:
    """Strip times and reporter's framing off the front of a name (7月28日,…; 我市…)."""
    name = NAME_PREFIX_NOISE.sub("", name.lstrip("((")) if name.count("(") > name.count(")") else name
    name = NAME_PREFIX_NOISE.sub("", name)
    return name.strip("、-—·+ ")


def _is_reference(text: str, start: int, end: int) -> bool:
    """True when the words around the name say it is only referred to."""
    # REFERENCE_BEFORE reads at most the last few characters: a bounded look-back, not a scan
    # back to the clause start for every name (quadratic on a one-line page).
    lo = max(0, start - 16)
    line_start = max(text.rfind("\n", lo, start), text.rfind(",", lo, start), text.rfind(",", lo, start))
    before = text[max(line_start + 1, lo):start]
    return bool(REFERENCE_BEFORE.search(before) or REFERENCE_AFTER.match(text[end:end + 4]))


# Only sentences with a held verb and a meeting word can report a meeting; testing that
# first keeps the name patterns (which may start anywhere) off most of the text.
_HELD_HINT = re.compile(r"召开|举行|举办|开幕|闭幕|开班|通过|主持|上(?:作|发表)?(?:重要)?(?:强调|讲话|指出|表示|要求|致辞|部署)")
_MEETING_HINT = re.compile(r"会|典礼|仪式|式")


def _name_start(clause: str, kind_start: int, floor: int) -> int:
    """Where a name ending in the kind at ``kind_start`` begins: as far back as name units
    (characters, “quoted parts”) reach, at most NAME_MAX_UNITS of them, never before ``floor``."""
    i = kind_start
    for _ in range(NAME_MAX_UNITS):
        if i <= floor:
            break
        opener = NAME_QUOTES.get(clause[i - 1])
        if opener:
            j = clause.rfind(opener, max(floor, i - 2 - NAME_QUOTE_MAX), i - 1)
            inside = clause[j + 1:i - 1] if j >= 0 else ""
            if not inside or "\n" in inside or clause[i - 1] in inside:
                break
            i = j
        elif NAME_CHAR_RE.match(clause, i - 1):
            i -= 1
        else:
            break
    return i


def _names_before(clause: str, tails: tuple[re.Pattern, re.Pattern]) -> list[tuple[int, int]]:
    """(start, end) of each name the form's tail follows, left to right and not overlapping
    (what the regex NAME + tail finds): kind words found first, then the name read backwards."""
    finder, tail = tails
    spans: list[tuple[int, int]] = []
    floor = 0
    for m in finder.finditer(clause):
        end = m.end()
        kind = KIND_AT_END.search(clause, max(floor, end - KIND_MAX_LEN), end)
        if kind is None:
            continue
        spans.append((_name_start(clause, kind.start(), floor), end))
        floor = tail.match(clause, end).end()  # the next name starts after these words
    return spans


def _held_spans(clause: str) -> list[tuple[int, int]]:
    """(start, end) of every name a held form finds in the clause, form by form in priority order."""
    spans: list[tuple[int, int]] = []
    for pattern, tails in zip(HELD_PATTERNS, HELD_TAILS):
        if pattern is not None:
            spans.extend(m.span("name") for m in pattern.finditer(clause))
        else:
            spans.extend(_names_before(clause, tails))
    return spans


def held_mentions(text: str, title_len: int) -> list[HeldMention]:
    """Every report of a held meeting in the text, in text order."""
    found: dict[int, HeldMention] = {}
    for sentence in _SENTENCE_RE.finditer(text):
        clause = sentence.group()
        if not (_HELD_HINT.search(clause) and _MEETING_HINT.search(clause)):
            continue
        for start, end in _held_spans(clause):
            name = clean_name(clause[start:end])
            kind = kind_of(name)
            if kind is None or len(name) - len(kind) < MIN_NAME_PREFIX:
                continue
            pos = sentence.start() + start
            if _is_reference(clause, start, end) or any(p in found for p in (pos - 1, pos, pos + 1)):
                continue
            found[pos] = HeldMention(name, kind, pos, clause.strip(), pos < title_len)
    return sorted(found.values(), key=lambda h: h.start)


def alike(a: str, b: str) -> bool:
    """Names of one meeting: one contains the other, or character bigrams mostly shared."""
    if a in b or b in a:
        return True
    x = {a[i:i + 2] for i in range(len(a) - 1)}
    y = {b[i:i + 2] for i in range(len(b) - 1)}
    return bool(x and y) and 2 * len(x & y) / (len(x) + len(y)) >= _SIMILAR


def primary_group(mentions: list[HeldMention]) -> list[HeldMention]:
    """The mentions of the article's own meeting: the first one reported (headline first)
    and every mention whose name is like it."""
    first = mentions[0]
    return [m for m in mentions if m is first or alike(m.name, first.name)]


def name_format(name: str) -> str | None:
    """The format the meeting's own name states (全市…视频会议, …现场观摩会); it beats
    a format the sentence mentions for another meeting (贯彻省…电视电话会议精神)."""
    return next((label for pattern, label in NAME_FORMATS if pattern.search(name)), None)


def meeting_format(text: str) -> str | None:
    """How the meeting was held (视频会议, 观摩+会议, 现场 …) where the text says so."""
    for pattern, label in FORMAT_PATTERNS:
        m = pattern.search(text)
        if m:
            return label or m.group("f")
    return None


def _lead(body: str) -> str:
    """The article's first paragraph, where the date, place and format are told."""
    return body.strip().split("\n", 1)[0]


def find_meeting(title: str, body: str, ctx: DocContext, previous: str | None = None) -> dict | None:
    """The meeting the article reports as held, or None.

    Returns the contract's meeting dict (name, kind, start_date, end_date, format,
    participants) plus ``evidence``: the sentence that reports it held. ``previous`` is the
    start date of the meeting reported just before on the page, what 当天 may refer to.
    """
    text = f"{title}\n{body}" if title else body
    mentions = held_mentions(text, len(title) + 1 if title else 0)
    if not mentions:
        return None
    group = primary_group(mentions)
    body_mentions = [m for m in group if not m.in_title]
    chosen = body_mentions[0] if body_mentions else group[0]
    start, end = dates.first_date(chosen.evidence, ctx)
    if start is None and SAME_DAY.search(chosen.evidence):
        start, end = dates.last_date_before(text, chosen.start, ctx)  # 当天下午,又主持召开…
        if start is None and previous:
            start = end = date.fromisoformat(previous)
    if start is None:
        start, end = dates.first_date(_lead(body), ctx)
    lead = _lead(body)
    return {
        "name": chosen.name,
        "kind": kind_of(chosen.name),
        "start_date": start.isoformat() if start else None,
        "end_date": end.isoformat() if end else None,
        "format": name_format(chosen.name) or meeting_format(chosen.evidence) or meeting_format(lead),
        "participants": people.participants(text),
        "evidence": chosen.evidence,
    }
