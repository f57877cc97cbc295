"""robots.txt: parsing (RFC 9309: groups, longest match, * and $) and a once-per-host cache.

urllib.robotparser takes the first matching rule and ignores wildcards; RFC 9309 says the
longest matching pattern wins and Allow wins a tie, which real government sites rely on
(``Disallow: /`` with ``Allow: /xxgk/``).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from bulletins.crawl import urls


@dataclass(frozen=True)
class Rule:
    """One Allow/Disallow line of a group."""

    allow: bool
    pattern: str
    regex: re.Pattern[str]


@dataclass
class Group:
    """The rules that apply to a set of user-agent tokens."""

    agents: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    crawl_delay: float | None = None


def _compile(pattern: str) -> re.Pattern[str]:
    """A robots path pattern as a regex: ``*`` any run of characters, trailing ``$`` the end."""
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(part) for part in body.split("*"))
    return re.compile(regex + ("$" if anchored else ""))


def _parse_delay(value: str) -> float | None:
    """A Crawl-delay value in seconds, or None when it is not a number."""
    try:
        return float(value)
    except ValueError:
        return None


def parse_robots(text: str) -> list[Group]:
    """The groups of a robots.txt; unknown lines are ignored, as the RFC asks."""
    groups: list[Group] = []
    current: Group | None = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            # Consecutive user-agent lines share one group; one after rules starts a new one.
            if current is None or current.rules or current.crawl_delay is not None:
                current = Group()
                groups.append(current)
            current.agents.append(value.lower())
        elif current is not None and key in ("allow", "disallow"):
            if value or key == "allow":  # an empty Disallow allows everything: no rule
                current.rules.append(Rule(key == "allow", value, _compile(value)))
        elif current is not None and key == "crawl-delay":
            current.crawl_delay = _parse_delay(value)
    return groups


@dataclass
class RobotsPolicy:
    """What one host's robots.txt says for our user agent."""

    groups: list[Group]
    allow_all: bool = False
    disallow_all: bool = False
    reason: str = ""  # why allow_all/disallow_all (no robots.txt, server error ...)

    @classmethod
    def from_text(cls, text: str) -> "RobotsPolicy":
        """A policy parsed from a robots.txt body."""
        return cls(parse_robots(text))

    def _group_for(self, user_agent: str) -> Group | None:
        """The group naming our product token, else the ``*`` group."""
        token = user_agent.split("/", 1)[0].strip().lower()
        # RFC 9309 §2.2.1: the product token matches case-insensitively, as a whole word.
        named = next((g for g in self.groups if token in g.agents), None)
        if named is not None:
            return named
        return next((g for g in self.groups if "*" in g.agents), None)

    def allowed(self, url: str, user_agent: str) -> bool:
        """Whether ``url`` may be fetched: the longest matching rule decides, Allow wins ties."""
        if self.allow_all or self.disallow_all:
            return self.allow_all
        group = self._group_for(user_agent)
        if group is None:
            return True
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        matches = [r for r in group.rules if r.regex.match(path)]
        if not matches:
            return True
        best = max(matches, key=lambda r: (len(r.pattern), r.allow))
        return best.allow

    def crawl_delay(self, user_agent: str) -> float | None:
        """The Crawl-delay of our group, if it sets one."""
        group = self._group_for(user_agent)
        return group.crawl_delay if group else None


def robots_url(url: str) -> str:
    """The robots.txt URL for the canonical host of ``url`` (one per host, however it is spelt)."""
    return f"{urls.parse(url).origin}/robots.txt"


class RobotsCache:
    """Fetches each canonical host's robots.txt once (the first thread to need it; others wait)."""

    def __init__(self, load: Callable[[str], RobotsPolicy]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._policies: dict[str, RobotsPolicy] = {}
        self._host_locks: dict[str, threading.Lock] = {}

    def policy(self, url: str) -> RobotsPolicy:
        """The policy for the host of ``url``, loading it on first use."""
        key = robots_url(url)
        with self._lock:
            host_lock = self._host_locks.setdefault(key, threading.Lock())
        with host_lock:
            if key not in self._policies:
                self._policies[key] = self._load(key)
            return self._policies[key]
