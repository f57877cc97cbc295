"""Per-host request pacing: at most N requests in flight and a minimum interval between starts.

Thread-safe: each host has a semaphore for concurrency and a reservation clock; a thread
reserves the next free start time under a lock, then sleeps outside it, so waiting threads
are spaced ``interval`` apart in reservation order. Clock and sleep are injectable so the
pacing itself is tested without waiting.

On the real clock every limiter of the process shares one clock and one gate per host: the
daily crawl runs sources side by side, and two sources on one host (or a redirect into
another source's host) must still leave that host one request at a time, spaced.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator


# Per-host state shared by every limiter on the real clock (see the module's docstring).
_SHARED_LOCK = threading.Lock()
_SHARED_NEXT_START: dict[str, float] = {}
_SHARED_MIN_INTERVAL: dict[str, float] = {}
_SHARED_GATES: dict[str, threading.Semaphore] = {}


class HostLimiter:
    """Paces requests per host: ``concurrency`` at a time, starts ``interval`` seconds apart."""

    def __init__(
        self,
        interval: float,
        concurrency: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = max(0.0, interval)
        self.concurrency = max(1, concurrency)
        self._clock, self._sleep = clock, sleep
        if clock is time.monotonic:  # one pace per host across the process
            self._lock, self._next_start = _SHARED_LOCK, _SHARED_NEXT_START
            self._min_interval, self._gates = _SHARED_MIN_INTERVAL, _SHARED_GATES
        else:  # an injected clock keeps its own: its times mean nothing to the real one
            self._lock, self._next_start = threading.Lock(), {}
            self._min_interval, self._gates = {}, {}

    def set_min_interval(self, host: str, seconds: float) -> None:
        """Space this host's requests at least ``seconds`` apart (e.g. robots.txt Crawl-delay)."""
        with self._lock:
            self._min_interval[host] = max(self._min_interval.get(host, 0.0), seconds)

    def interval_for(self, host: str) -> float:
        """The interval in force for ``host``."""
        return max(self.interval, self._min_interval.get(host, 0.0))

    def reserve(self, host: str) -> float:
        """Reserve the next start slot for ``host``; return the seconds to wait for it."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + self.interval_for(host)
            return start - now

    def _gate(self, host: str) -> threading.Semaphore:
        """The concurrency semaphore of ``host``."""
        with self._lock:
            return self._gates.setdefault(host, threading.BoundedSemaphore(self.concurrency))

    @contextmanager
    def slot(self, host: str) -> Iterator[float]:
        """Hold one of the host's concurrency slots, started no sooner than the interval allows.

        Yields the seconds waited for the rate limit.
        """
        gate = self._gate(host)
        with gate:
            wait = self.reserve(host)
            if wait > 0:
                self._sleep(wait)
            yield wait
