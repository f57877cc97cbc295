"""Meetings an article reports as held: name, kind, dates, format, evidence and participants.

An article generally reports one meeting: its headline, lead and body mention it several
times (王立新在…推进大会上强调 / 召开市、县两级…推进大会); the mentions are merged into one.
Meetings only referred to (学习贯彻中央经济工作会议精神) are never reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bulletins.core import dates, people
from bulletins.core.context import DocContext
from bulletins.core.rules_meetings import (
    FORMAT_PATTERNS,
    HELD_PATTERNS,
    HELD_TAILS,
    KIND_AT_END,
    KIND_MAX_LEN,
    KINDS,
    KIND_FAMILY,
    MIN_NAME_PREFIX,
    NAME_CHAR_RE,
    NAME_MAX_UNITS,
    NAME_QUOTE_MAX,
    NAME_QUOTES,
    ANAPHOR,
    NAME_FORMATS,
    NAME_PREFIX_NOISE,
    REFERENCE_AFTER,
    REFERENCE_BEFORE,
    NAVIGATION_LINE,
    NEXT_DAY,
    SAME_DAY,
    UNTYPED_KINDS,
)

# A day written without its month (9日下午): its month is the one the text named before.
DAY_ALONE = re.compile(r"(?<![\d月])\d{1,2}日")
_SENTENCE_RE = re.compile(r"[^。!?!?;;\n]+[。!?!?;;]?")
_SIMILAR = 0.5
# Headline lines a page leaves above the lead: at most this many; prose is a line ending a
# sentence or at least this long.
HEADLINE_LINES = 6
PROSE_LINE_CHARS = 60


@dataclass
class HeldMention:
    """One place the text reports a meeting as held."""

    name: str
    kind: str
    start: int
    evidence: str
    in_title: bool


# The kinds as a set and their lengths, longest first: the kind a name ends with is its
# longest ending in KINDS, found with a few set lookups instead of ~90 endswith calls.
_KIND_SET = frozenset(KINDS)
_KIND_LENGTHS = tuple(sorted({len(k) for k in KINDS}, reverse=True))


def ending_of(name: str) -> str | None:
    """The kind word the name ends with, typed or not (全体会议, 推进会, 活动 …)."""
    return next((name[-n:] for n in _KIND_LENGTHS if name[-n:] in _KIND_SET), None)


def kind_of(name: str) -> str | None:
    """The generic type the name ends with (全体会议, 推进会, 颁奖典礼 …); null for an event
    that names no type (…集中开工活动)."""
    kind = ending_of(name)
    return None if kind in UNTYPED_KINDS else kind


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
    before = text[max(line_start + 1, lo) : start]
    return bool(REFERENCE_BEFORE.search(before) or REFERENCE_AFTER.match(text[end : end + 4]))


# Only sentences with a held verb and a meeting word can report a meeting; testing that
# first keeps the name patterns (which may start anywhere) off most of the text.
_HELD_HINT = re.compile(
    r"召开|举行|举办|开幕|闭幕|开班|通过|主持|在[^,。;]{2,40}?[会式礼]上,|"
    r"上(?:作|发表)?(?:重要)?(?:强调|讲话|指出|表示|要求|致辞|部署|寄语|发言|提出)"
)
_MEETING_HINT = re.compile(r"会|典礼|仪式|式|活动|论坛|峰会")


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
            inside = clause[j + 1 : i - 1] if j >= 0 else ""
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
            kind = ending_of(name)
            if kind is None or len(name) - len(kind) < MIN_NAME_PREFIX or ANAPHOR.match(name):
                continue
            if clause.count("《", 0, start) > clause.count("》", 0, start):
                continue  # 审议了《…会议开幕会…名单》: a document's title
            pos = sentence.start() + start
            if _is_reference(clause, start, end) or any(p in found for p in (pos - 1, pos, pos + 1)):
                continue
            found[pos] = HeldMention(name, kind, pos, clause.strip(), pos < title_len)
    return sorted(found.values(), key=lambda h: h.start)


def alike(a: str, b: str) -> bool:
    """Names of one meeting: one contains the other, or character bigrams mostly shared."""
    if a in b or b in a:
        return True
    x = {a[i : i + 2] for i in range(len(a) - 1)}
    y = {b[i : i + 2] for i in range(len(b) - 1)}
    return bool(x and y) and 2 * len(x & y) / (len(x) + len(y)) >= _SIMILAR


def same_meeting(a: HeldMention, b: HeldMention) -> bool:
    """Two mentions of one meeting: names alike and kinds that agree (a 推进会 and a 座谈会 of
    one campaign are two meetings; 全会 and 全体会议 are one kind written two ways)."""
    if not alike(a.name, b.name):
        return False
    ka, kb = KIND_FAMILY.get(a.kind, a.kind), KIND_FAMILY.get(b.kind, b.kind)
    return ka == kb or ka in kb or kb in ka or a.name in b.name or b.name in a.name


def meeting_groups(mentions: list[HeldMention]) -> list[list[HeldMention]]:
    """The mentions grouped by meeting (names alike), in the order each is first reported in
    the body (a meeting named only in the headline comes first)."""
    groups: list[list[HeldMention]] = []
    for m in mentions:
        group = next((g for g in groups if any(same_meeting(m, x) for x in g)), None)
        if group is None:
            groups.append([m])
        else:
            group.append(m)
    in_body = [g for g in groups if any(not m.in_title for m in g)]
    for g in [g for g in groups if g not in in_body]:
        # A headline names a meeting the body reports, however it writes the name (中共X市委
        # 七届十一次全会 / 中国共产党X市第七届委员会第十一次全体会议): the first of its kind.
        kind = KIND_FAMILY.get(g[0].kind, g[0].kind)
        same = next((b for b in in_body if KIND_FAMILY.get(b[0].kind, b[0].kind) == kind), None)
        if same is not None:
            same[:0] = g
            groups.remove(g)
    headline_only = [g for g in groups if g not in in_body]
    if headline_only and len(in_body) == 1:  # 区委常委会召开上半年经济形势分析会 / …主持召开区委常委会会议
        in_body[0][:0] = [m for g in headline_only for m in g]
        groups, headline_only = in_body, []
    if len(headline_only) > 1:  # the headline's other names: one meeting the body does not report
        groups = [[m for g in headline_only for m in g]] + in_body
    groups.sort(key=lambda g: min((m.start for m in g if not m.in_title), default=-1))
    merged: list[list[HeldMention]] = []
    for g in groups:  # 第九次会议在…举行第一次全体会议: one sentence, one meeting
        if merged and any(m.evidence == x.evidence and not m.in_title for m in g for x in merged[-1]):
            merged[-1].extend(g)
        else:
            merged.append(g)
    return merged


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
    """The article's first prose paragraph, where the date, place and format are told (a
    headline or source line left above it is skipped)."""
    lines = body.strip().split("\n")
    return next(
        (line for line in lines[:HEADLINE_LINES] if line.endswith(("。", "!", "?")) or len(line) >= PROSE_LINE_CHARS),
        lines[0],
    )


def find_meeting(title: str, body: str, ctx: DocContext, previous: date | None = None) -> dict | None:
    """The first meeting the article reports as held, or None (see find_meetings)."""
    found = find_meetings(title, body, ctx, previous)
    return found[0] if found else None


def find_meetings(title: str, body: str, ctx: DocContext, previous: date | None = None) -> list[dict]:
    """Every meeting the article reports as held, in the order reported.

    The article is cut into one report per meeting where the next meeting is first reported
    in the body (随后,X主持召开…; 在当天下午举行的…上): each report gives its meeting's date
    and people. Each is the contract's meeting dict (name, kind, start_date and end_date as
    dates, format, participants) plus ``evidence``: the sentence that reports it held
    (``extract_page`` makes it a ``Meeting``). ``previous``
    is the start date of the meeting reported just before on the page, what 当天 may refer to.
    """
    if "·" in body or "•" in body:  # · 市政府召开民营企业家座谈会: a link to another article
        body = "\n".join(line for line in body.split("\n") if not NAVIGATION_LINE.match(line))
    text = f"{title}\n{body}" if title else body
    title_len = len(title) + 1 if title else _headline_end(body)
    mentions = held_mentions(text, title_len)
    if not mentions:
        return []
    groups = meeting_groups(mentions)
    if len(groups) > 1:
        first = min(m.start for m in groups[1] if not m.in_title)
        groups = _sittings_merged(groups, meeting_format(text[: _report_start(text, first)]) or "")
    starts = [0] + [_report_start(text, min(m.start for m in g if not m.in_title)) for g in groups[1:]]
    out: list[dict] = []
    for k, group in enumerate(groups):
        report = text[starts[k] : starts[k + 1] if k + 1 < len(starts) else len(text)]
        before = out[-1]["start_date"] if out else previous
        out.append(_meeting(group, text, report, body if k == 0 else report, ctx, before))
    return out


def _headline_end(body: str) -> int:
    """Where the headline lines a page left in the body end (a source line, a menu may sit among
    them): at the first prose line of the first few."""
    pos = 0
    for line in body.split("\n")[:HEADLINE_LINES]:
        if line.endswith(("。", "!", "?")) or len(line) >= PROSE_LINE_CHARS:
            return pos
        pos += len(line) + 1
    return 0


def _sittings_merged(groups: list[list[HeldMention]], fmt: str) -> list[list[HeldMention]]:
    """A sitting the first meeting's format names is part of it: 采取“现场观摩+集中会议”形式 …
    7日上午召开集中会议."""
    if not fmt:
        return groups
    kept = [groups[0]]
    for g in groups[1:]:
        if any(m.name in fmt for m in g):
            kept[0].extend(g)
        else:
            kept.append(g)
    return kept


def _report_start(text: str, pos: int) -> int:
    """Where the report of a meeting first named at ``pos`` begins: its sentence."""
    return max(text.rfind(c, 0, pos) for c in "。!?;\n") + 1


def _meeting(
    group: list[HeldMention], text: str, report: str, lead_text: str, ctx: DocContext, previous: date | None
) -> dict:
    """One meeting's dict from its mentions and the text that reports it."""
    body_mentions = [m for m in group if not m.in_title]
    chosen = body_mentions[0] if body_mentions else group[0]
    start, end = _dates(chosen, text, lead_text, ctx, previous)
    lead = _lead(lead_text)
    return {
        "name": chosen.name,
        "kind": kind_of(chosen.name),
        "start_date": start,
        "end_date": end,
        "format": name_format(chosen.name) or meeting_format(chosen.evidence) or meeting_format(lead),
        "participants": people.participants(report),
        "evidence": chosen.evidence,
    }


def _dates(chosen: HeldMention, text: str, lead_text: str, ctx: DocContext, previous: date | None):
    """A meeting's dates: its own sentence's, else the day 当天/次日 points at, else its lead's."""
    before = dates.last_date_before(text, chosen.start, ctx)[0] if DAY_ALONE.search(chosen.evidence) else None
    found = dates.find_dates(chosen.evidence, ctx, before.month if before else None)  # 9日下午 after 11月8日
    start, end = (found[0][1], found[0][2]) if found else (None, None)
    if start is None and (SAME_DAY.search(chosen.evidence) or NEXT_DAY.search(chosen.evidence)):
        start, end = dates.last_date_before(text, chosen.start, ctx)  # 当天下午,又主持召开…
        if start is not None and start != end:
            return None, None  # 随后 after a two-day meeting: which day is not said
        if start is None and previous:
            start = end = previous
        if start is not None and NEXT_DAY.search(chosen.evidence):
            start = end = end + timedelta(days=1)
    if start is None:
        start, end = dates.first_date(_lead(lead_text), ctx)
    return start, end
