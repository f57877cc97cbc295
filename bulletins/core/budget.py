"""A time budget for one page's extraction, checked cooperatively in the core's loops.

Why cooperative rather than a killed worker or a signal: extraction runs in Prefect task
threads (the crawl), pool processes (the reprocess) and the ``extract`` command alike. A
signal reaches only the main thread, and killing a pool worker loses its other pages and
costs a process start; a deadline checked between sentences and between figures works in
every one of them, leaves no half-done state behind, and fails only the slow page. What it
cannot cut is a single regex call, which is why the walk is linear in the line's length
(``bulletins.core.scan``): no one step grows with the page.

    with time_limit(30):          # seconds for this page; None: no limit
        facts = extract_page(...)  # raises PageTooSlow past the deadline
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("extraction_deadline", default=None)


class PageTooSlow(TimeoutError):
    """A page's extraction ran past its time limit (the page is recorded as failed)."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Extraction inside the block raises ``PageTooSlow`` once ``seconds`` have passed."""
    if seconds is None or seconds <= 0:
        yield
        return
    token = _DEADLINE.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check(where: str) -> None:
    """Raise ``PageTooSlow`` when the current page's deadline has passed (cheap: call it in loops)."""
    limit = _DEADLINE.get()
    if limit is not None and time.monotonic() > limit[0]:
        raise PageTooSlow(f"extraction took longer than {limit[1]:g}s (stopped in {where})")
