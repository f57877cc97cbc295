"""One polite GET of an article, tried again on 429/5xx only: the crawl's second line of retries.

The fetcher already retries transient failures itself (with backoff, honouring
Retry-After); these retries are the slower second line for a site that is down for a
minute, so they are few and spaced out (``RETRY_DELAYS``). Anything else (404, robots,
host not allowed, too large) is an answer, not a reason to retry: it returns and the flow
records it. Every attempt's requests are in ``fetch_log`` (the fetcher logs each one).

This was a Prefect task with ``retries``/``retry_delay_seconds`` and a retry condition;
the policy is the same, but a page is no longer a task run of its own: at 50 sources side
by side, a thousand task runs a daily run cost the Prefect server more CPU than the whole
crawl (BENCHMARKS.md, "The daily crawl of 50 polite sources side by side"). The source's
crawl is the task run.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Sequence

log = logging.getLogger(__name__)

# Seconds between the attempts after the fetcher itself gave up.
RETRY_DELAYS = (2, 10)
RETRYABLE = frozenset({429, 500, 502, 503, 504})


class TransientFetchError(RuntimeError):
    """The server answered 429 or 5xx even after the fetcher's own retries, every attempt."""

    def __init__(self, url: str, status: int) -> None:
        super().__init__(f"{url}: HTTP {status} after the fetcher's retries")
        self.url, self.status = url, status


def status_of(result) -> int | None:
    """The HTTP status of a fetch result."""
    return getattr(result, "http_status", None)


def is_transient(status: int | None) -> bool:
    """429 and 5xx are worth another try; anything else is the answer."""
    return status in RETRYABLE


def fetch_page(
    fetcher,
    url: str,
    kind: str = "article",
    etag: str | None = None,
    last_modified: str | None = None,
    *,
    delays: Sequence[float] = RETRY_DELAYS,
    sleep: Callable[[float], Any] = time.sleep,
):
    """Fetch ``url`` (conditionally when validators are given) and return the FetchResult.

    A 429/5xx answer is tried again after each of ``delays``; still one after the last,
    ``TransientFetchError`` is raised (the flow records the page as failed, retried next run).
    """
    for attempt, delay in enumerate([*delays, None], start=1):
        result = fetcher.fetch(url, kind, etag=etag, last_modified=last_modified)
        if not is_transient(status_of(result)):
            return result
        if delay is None:
            raise TransientFetchError(url, status_of(result))
        log.info("%s: HTTP %s on attempt %d, again in %ss", url, status_of(result), attempt, delay)
        sleep(delay)
    raise AssertionError("unreachable")  # the loop returns or raises on its last attempt
