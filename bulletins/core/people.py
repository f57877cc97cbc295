"""People at a meeting: who is named next to a role verb, with the title written beside them."""

from __future__ import annotations

from dataclasses import dataclass

import re

from bulletins.core.facts import Participant
from bulletins.core.scan import FixedSpans
from bulletins.core.rules_people import (
    ANY_NAME_RE,
    CHAIN_RE,
    COMMON_WORDS,
    COMPOUND_SURNAMES,
    GROUP_TITLE_TAIL,
    LIST_TAIL_RE,
    MENTION_RE,
    NAME_RE,
    ROLE_RANK,
    ROLE_VERBS,
    RUN_RE,
    SINGLE_SURNAMES,
    TITLE_LEAD_NOISE,
    VERB_WORDS,
)

_ADVERB_RE = re.compile(r"^(?:又|也|还|亦|再次|随后|同时)")
# Only texts that hold one of these can name a participant: a cheap literal test first.
_ROLE_HINT = re.compile(
    r"主持|出席|参加|列席|在座|强调|指出|要求|表示|讲话|致辞|部署|通报|宣布|宣读|"
    r"报告|解读|介绍|汇报|发言|参会|陪同|率队|颁奖|说明|说|寄语"
)


@dataclass
class Mention:
    """One title + name run found in the text, and the role read from what follows it."""

    start: int
    end: int
    names: list[str]
    title: str | None
    role: str | None = None
    group_title: str | None = None  # 等6位民营企业负责人 → 民营企业负责人


def is_person_name(name: str, known: frozenset[str] | set[str] = frozenset(), titled: bool = False) -> bool:
    """True for a plausible name: surname + 1–2 characters, not an everyday word.

    A name written after a title, or one the article gave a title elsewhere, may have a
    surname missing from the table (禤振光, 元方).
    """
    if name[:2] in COMMON_WORDS or name[:2] in VERB_WORDS:
        return False
    if NAME_RE.match(name) or name in known:
        return True
    return titled and bool(ANY_NAME_RE.match(name))


def clean_title(title: str | None) -> str | None:
    """A title without the frame words a match took in front of it (会议由副市长 → 副市长)."""
    if not title:
        return None
    return TITLE_LEAD_NOISE.sub("", title) or None


_ATTEND_HINT = re.compile(r"出席|参加|列席|在座|参会")


# A sentence, for the name patterns, runs between these characters.
_SENTENCE_END = re.compile(r"[。;\n]")


def _spans(text: str, hint: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of every sentence holding the hint: the name patterns run only there."""
    # Found from the hint's matches (no hint word holds a sentence end), not by searching
    # each sentence: most sentences hold none, and one scan of the text costs less.
    spans: list[tuple[int, int]] = []
    end = -1
    for m in hint.finditer(text):
        at = m.start()
        if at < end:
            continue  # a second hint in the sentence already taken
        start = max(text.rfind("。", 0, at), text.rfind(";", 0, at), text.rfind("\n", 0, at)) + 1
        stop = _SENTENCE_END.search(text, at)
        end = stop.start() if stop else len(text)
        spans.append((start, end))
    return spans


def find_mentions(text: str) -> list[Mention]:
    """Every title/name run in the text whose names all pass as people."""
    if not _ROLE_HINT.search(text):
        return []
    raw = []
    for m in (m for a, b in _spans(text, _ROLE_HINT) for m in MENTION_RE.finditer(text, a, b)):
        if not m.group("title") and text.startswith("、", m.end()):
            continue  # the list goes on with things that are not people: 长丰钢铁、顺达物流、…
        raw.append((m.start(), m.end(), m.group("names").split("、"), clean_title(m.group("title"))))
    # Names the article writes with a title vouch for the same names written bare.
    known = {n for _, _, names, title in raw if title for n in names if is_person_name(n, titled=True)}
    out = [
        Mention(a, b, names, title)
        for a, b, names, title in raw
        if all(is_person_name(n, known, titled=bool(title)) for n in names)
    ]
    return _add_runs(text, out, known)


def _add_runs(text: str, mentions: list[Mention], known: set[str]) -> list[Mention]:
    """Add names run together before an attendance verb (市领导甲乙丙丁戊出席) where no mention is."""
    taken = FixedSpans([(m.start, m.end) for m in mentions])  # searched, not scanned: linear pages
    for m in (m for a, b in _spans(text, _ATTEND_HINT) for m in RUN_RE.finditer(text, a, b)):
        if taken.overlaps(m.start(), m.end()):
            continue
        names = split_run(m.group("run"), known, titled=bool(m.group("title")))
        if names:
            mentions.append(Mention(m.start(), m.end(), names, clean_title(m.group("title"))))
    return sorted(mentions, key=lambda x: x.start)


def _piece_score(piece: str, known: set[str], titled: bool) -> float:
    """How much a piece of a run looks like one name (0 = not at all)."""
    # Each piece costs 1, so a cut into fewer, three-character names wins over one into
    # many two-character ones: 甲乙丙丁戊己 is two names, not three.
    if piece in known:
        return 3.0
    if piece[:2] in COMMON_WORDS or piece[:2] in VERB_WORDS or not ANY_NAME_RE.match(piece):
        return 0.0
    surname = piece[:2] in COMPOUND_SURNAMES or piece[0] in SINGLE_SURNAMES
    if surname:
        return 1.0 + (len(piece) == 3)
    return 0.5 if titled and len(piece) == 3 else 0.0  # most names have three characters


def split_run(run: str, known: set[str], titled: bool) -> list[str] | None:
    """Cut names written together into names (3+3+3, 3+2 …), best-scoring cut; None if none fits."""
    best: list[tuple[float, list[str]] | None] = [None] * (len(run) + 1)
    best[0] = (0.0, [])
    for end in range(2, len(run) + 1):
        for size in (2, 3, 4):
            prev = best[end - size] if end - size >= 0 else None
            if prev is None:
                continue
            score = _piece_score(run[end - size : end], known, titled)
            if score and (best[end] is None or prev[0] + score > best[end][0]):
                best[end] = (prev[0] + score, prev[1] + [run[end - size : end]])
    found = best[len(run)]
    return found[1] if found and len(found[1]) >= 2 else None


def role_after(text: str, pos: int) -> tuple[str | None, str | None]:
    """The role the verb after position ``pos`` gives, and a title a list tail supplies."""
    rest = _ADVERB_RE.sub("", text[pos : pos + 80])
    group_title = None
    tail = LIST_TAIL_RE.match(rest)
    if tail:
        group_title = GROUP_TITLE_TAIL.sub("", (tail.groupdict().get("group_title") or "").strip()) or None
        rest = rest[tail.end() :]
    for rule in ROLE_VERBS:
        if rule.pattern.match(rest):
            return rule.label, group_title
    return None, group_title


def assign_roles(text: str, mentions: list[Mention]) -> None:
    """Give each mention its role; one with no verb of its own shares the next one's
    when only a separator stands between them (市委书记王立新,市委副书记、市长陈海波出席)."""
    following = None
    for mention in reversed(mentions):
        mention.role, mention.group_title = role_after(text, mention.end)
        if mention.role is None and following is not None:
            gap = text[mention.end : following.start]
            if CHAIN_RE.match(gap) and len(gap) <= 3:
                mention.role = following.role
        following = mention


def participants(text: str) -> tuple[Participant, ...]:
    """Every named person with a role in the text, once each, best role and its title."""
    mentions = find_mentions(text)
    assign_roles(text, mentions)
    people: dict[str, dict] = {}
    for mention in mentions:
        if mention.role is None:
            continue
        title = mention.title or mention.group_title
        for name in mention.names:
            _merge(people, name, mention.role, title)
    return tuple(Participant(p["name"], p["title"], p["role"]) for p in people.values())


def _merge(people: dict[str, dict], name: str, role: str, title: str | None) -> None:
    """Keep the higher role (chair > speaker > presenter > attendee); the title written
    with the mention that gave that role wins, else the first title seen."""
    seen = people.get(name)
    if seen is None:
        people[name] = {"name": name, "title": title, "role": role}
        return
    if ROLE_RANK[role] < ROLE_RANK[seen["role"]]:
        seen["role"] = role
        seen["title"] = title or seen["title"]
    elif seen["title"] is None:
        seen["title"] = title
