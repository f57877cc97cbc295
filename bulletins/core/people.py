"""People at a meeting: who is named next to a role verb, with the title written beside them."""
from __future__ import annotations

from dataclasses import dataclass

from bulletins.core.rules_people import (
    CHAIN_RE,
    COMMON_WORDS,
    LIST_TAIL_RE,
    MENTION_RE,
    NAME_RE,
    ROLE_RANK,
    ROLE_VERBS,
)


@dataclass
class Mention:
    """One title + name run found in the text, and the role read from what follows it."""

    start: int
    end: int
    names: list[str]
    title: str | None
    role: str | None = None
    group_title: str | None = None  # 等8位民营企业负责人 → 民营企业负责人


def is_person_name(name: str) -> bool:
    """True for a plausible name: surname + 1–2 characters, not an everyday word."""
    return bool(NAME_RE.match(name)) and name[:2] not in COMMON_WORDS


def find_mentions(text: str) -> list[Mention]:
    """Every title/name run in the text whose names all pass as people."""
    out = []
    for m in MENTION_RE.finditer(text):
        names = m.group("names").split("、")
        if text.startswith("、", m.end()):
            continue  # the list goes on with things that are not people: 衡钢、建滔、…
        if all(is_person_name(n) for n in names):
            out.append(Mention(m.start(), m.end(), names, m.group("title")))
    return out


def role_after(text: str, pos: int) -> tuple[str | None, str | None]:
    """The role the verb after position ``pos`` gives, and a title a list tail supplies."""
    rest = text[pos:pos + 80]
    group_title = None
    tail = LIST_TAIL_RE.match(rest)
    if tail:
        group_title = (tail.groupdict().get("group_title") or "").strip() or None
        rest = rest[tail.end():]
    for pattern, role in ROLE_VERBS:
        if pattern.match(rest):
            return role, group_title
    return None, group_title


def assign_roles(text: str, mentions: list[Mention]) -> None:
    """Give each mention its role; one with no verb of its own shares the next one's
    when only a separator stands between them (市委书记刘越高,市委副书记、市长朱健出席)."""
    following = None
    for mention in reversed(mentions):
        mention.role, mention.group_title = role_after(text, mention.end)
        if mention.role is None and following is not None:
            gap = text[mention.end:following.start]
            if CHAIN_RE.match(gap) and len(gap) <= 3:
                mention.role = following.role
        following = mention


def participants(text: str) -> list[dict]:
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
    return list(people.values())


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
