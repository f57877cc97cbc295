"""How the crawler behaves towards the sites it reads: every default in one commented place.

A source may override the per-site knobs (requests per second, concurrency, user agent,
size cap, timeout) in its YAML file; ``Politeness.for_source`` overlays them on these
defaults. Tests build a ``Politeness`` with tiny waits instead of sleeping for real.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

# Who we are and where a webmaster can read why we visit and how to reach us. Operators
# set BULLETINS_CRAWLER_CONTACT to their own page (or a mailto:) before crawling real sites.
CONTACT_URL = os.environ.get("BULLETINS_CRAWLER_CONTACT", "https://github.com/bulletins/bulletins#crawler")
USER_AGENT = f"bulletins/0.1 (+{CONTACT_URL}; reads public government bulletins)"


@dataclass(frozen=True)
class Politeness:
    """The fetcher's manners; every field has the default used against real sites."""

    user_agent: str = USER_AGENT
    # robots.txt is fetched once per host per run and obeyed; a 5xx or unreachable
    # robots.txt means "disallow everything" (RFC 9309 §2.3.1.4), a 4xx "allow all".
    obey_robots: bool = True
    # One request per second per host, one at a time: government sites are small servers.
    requests_per_second: float = 1.0
    concurrency_per_host: int = 1
    # Seconds to open a connection, to wait for any byte, and for a whole request: the
    # deadline covers connect + headers + body, enforced by a watchdog that cuts the socket
    # (bulletins/crawl/watchdog.py), so a server dripping its headers a byte at a time, or
    # a body that never ends, is cut at the deadline exactly.
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 60.0
    # Retries after the first attempt, on 429, 5xx, resets and truncated bodies only.
    # Waits double from backoff_base up to backoff_max; a Retry-After header is honoured
    # up to retry_after_max (a server asking for an hour gets the retry budget instead).
    max_retries: int = 3
    backoff_base: float = 2.0
    backoff_max: float = 60.0
    retry_after_max: float = 120.0
    # Bodies over this many bytes are abandoned while streaming (outcome too_large).
    max_bytes: int = 10 * 1024 * 1024
    # Redirect hops followed per fetch (each hop checked against allowed hosts and robots).
    max_redirects: int = 5
    # robots.txt bodies beyond this are truncated before parsing (RFC 9309 asks for ≥500 KiB).
    robots_max_bytes: int = 512 * 1024

    @property
    def min_interval(self) -> float:
        """Seconds between the starts of two requests to one host."""
        return 1.0 / self.requests_per_second if self.requests_per_second > 0 else 0.0

    def for_source(self, config: Any) -> "Politeness":
        """These defaults with the source's own overrides (flat or under ``config.politeness``)."""
        overrides = {}
        for name, attr in _SOURCE_OVERRIDES:
            value = _source_value(config, attr)
            if value is not None:
                overrides[name] = value
        return replace(self, **overrides)


# (Politeness field, SourceConfig attribute) pairs a source may override.
_SOURCE_OVERRIDES = (
    ("requests_per_second", "requests_per_second"),
    ("concurrency_per_host", "concurrency"),
    ("user_agent", "user_agent"),
    ("max_bytes", "max_bytes"),
    ("read_timeout", "timeout"),
    ("deadline", "deadline"),
    ("obey_robots", "obey_robots"),
    ("max_retries", "retries"),
)


def _source_value(config: Any, attr: str) -> Any:
    """``config.politeness.attr`` if present, else ``config.attr``, else None."""
    nested = getattr(config, "politeness", None)
    if nested is not None:
        value = nested.get(attr) if isinstance(nested, dict) else getattr(nested, attr, None)
        if value is not None:
            return value
    return getattr(config, attr, None)


DEFAULT = Politeness()
