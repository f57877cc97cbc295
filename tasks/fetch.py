"""Prefect task: one polite GET of an article, retried by Prefect on 429/5xx only.

The fetcher already retries transient failures itself (with backoff, honouring
Retry-After); the task's retries are the slower second line for a site that is down for
a minute, so they are few and spaced out. Anything else (404, robots, host not allowed,
too large) is an answer, not a reason to retry: it returns and the flow records it.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

# Seconds between the task's attempts after the fetcher itself gave up.
RETRY_DELAYS = [2, 10]
RETRYABLE = frozenset({429, 500, 502, 503, 504})


class TransientFetchError(RuntimeError):
    """The server answered 429 or 5xx even after the fetcher's own retries."""

    def __init__(self, url: str, status: int) -> None:
        super().__init__(f"{url}: HTTP {status} after the fetcher's retries")
        self.url, self.status = url, status


def status_of(result) -> int | None:
    """The HTTP status of a fetch result."""
    return getattr(result, "http_status", None)


def is_transient(status: int | None) -> bool:
    """429 and 5xx are worth another try; anything else is the answer."""
    return status in RETRYABLE


def retry_on_transient(task, task_run, state) -> bool:
    """Prefect retry condition: only a TransientFetchError is retried."""
    try:
        state.result()
    except TransientFetchError:
        return True
    except Exception:  # noqa: BLE001 - any other failure is final
        return False
    return False


@task(
    name="fetch",
    cache_policy=NO_CACHE,
    retries=len(RETRY_DELAYS),
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=retry_on_transient,
)
def fetch_page(fetcher, url: str, kind: str = "article", etag: str | None = None, last_modified: str | None = None):
    """Fetch ``url`` (conditionally when validators are given) and return the FetchResult."""
    result = fetcher.fetch(url, kind, etag=etag, last_modified=last_modified)
    if is_transient(status_of(result)):
        raise TransientFetchError(url, status_of(result))
    return result
