"""Fetched pages parsed, extracted and staged off the fetch path: on worker processes.

A crawl's thread fetches a page and hands it on; a worker process parses, extracts and
stages it while the thread waits out its host's politeness for the next one. In one
process, 50 crawls' parsing and extraction (CPU-bound Python) shared one interpreter lock
with the fetching, the GX gate and the loads: fetching fell behind its hosts' pace and the
gate's last round waited for the CPU. Workers are the reprocess's (``pool.py``: forkserver,
lower priority, never importing Prefect, GX or DuckDB).

Each crawl has its own ``PageStager``; the daily run shares one pool among them
(``shared_pool``). Without a pool (a single source's run, a pool that broke) a page is staged
in this process, as before. Pages are merged into the crawl's ledger in the order they were
fetched, so a crawl on a pool stages exactly what one without stages.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextvars import ContextVar
from typing import Any, Iterator

from bulletins.pipeline.pool import parent_main_hidden, worker_pool
from bulletins.pipeline.ledger import RunLedger
from bulletins.pipeline.page import process_page

# Crawls submit from many threads; a submit that starts a worker hides ``__main__`` for a
# moment (pool.parent_main_hidden), which two threads at once would leave hidden.
SUBMITTING = threading.Lock()

# The daily run's pool, seen by every crawl task it runs (None: stage in this process).
SHARED_POOL: ContextVar[ProcessPoolExecutor | None] = ContextVar("shared_stage_pool", default=None)


def stage_fetched(run_id: str, source: str, page: dict[str, Any]) -> RunLedger:
    """In a worker: parse, extract and stage one fetched page; the ledger of what happened."""
    ledger = RunLedger(run_id, source)
    process_page(ledger, **page)
    return ledger


@contextlib.contextmanager
def shared_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of ``workers`` processes for the crawls run inside (none when ``workers`` is 1: this process)."""
    if workers <= 1:
        yield None
        return
    with worker_pool(workers, preload=(__name__,)) as pool:
        token = SHARED_POOL.set(pool)
        threading.Thread(target=start_workers, args=(pool, workers), name="stage-pool-start", daemon=True).start()
        try:
            yield pool
        finally:
            SHARED_POOL.reset(token)


def start_workers(pool: ProcessPoolExecutor, workers: int) -> None:
    """Start the pool's forkserver and all its workers now, beside the crawls' first requests.

    A pool starts its workers at its first submits, and the forkserver imports the parser
    and the core first: a second or more, under ``SUBMITTING``, which every crawl's first
    fetched page then waited for, each crawl's politeness schedule slipping by as much.
    Started while the crawls read robots.txt and their list pages, the pool is ready when
    their first articles come. A pool that will not start is met again at the first
    submit, which stages the page in the crawl's own process.
    """
    try:
        with SUBMITTING, parent_main_hidden():  # each submit with no idle worker starts one
            for _ in range(workers):
                pool.submit(worker_ready)
    except Exception:  # noqa: BLE001 - broken or shut already: PageStager.stage copes at its submit
        pass


def worker_ready() -> bool:
    """A worker's first task: nothing (it has started, which was the point)."""
    return True


class PageStager:
    """One crawl's pages on their way to its ledger: staged here, or on the shared pool."""

    def __init__(self, ledger: RunLedger, pool: ProcessPoolExecutor | None = None):
        self.ledger = ledger
        self.pool = pool if pool is not None else SHARED_POOL.get()
        self.pending: deque[tuple[dict[str, Any], Future | None]] = deque()
        self.told = False  # whether a page staged here for want of a worker was recorded

    def stage(self, page: dict[str, Any]) -> None:
        """Hand on one fetched page (``process_page``'s keywords)."""
        if self.pool is None and not self.pending:
            process_page(self.ledger, **page)
            return
        if self.pool is None:  # after the pool broke: behind the pages still out, in order
            self.pending.append((page, None))
            return
        try:
            with SUBMITTING, parent_main_hidden():  # submit may start a worker
                future: Future | None = self.pool.submit(stage_fetched, self.ledger.run_id, self.ledger.source, page)
        except Exception:  # noqa: BLE001 - a broken or shut pool: staged here when collected
            future, self.pool = None, None
        self.pending.append((page, future))

    def collect(self, wait: bool = False) -> None:
        """Merge the pages staged so far, in fetch order (all of them, waiting, when ``wait``)."""
        while self.pending:
            page, future = self.pending[0]
            if future is not None and not wait and not future.done():
                return
            self.pending.popleft()
            self.ledger.merge(self._staged(page, future))

    def _staged(self, page: dict[str, Any], future: Future | None) -> RunLedger:
        """A worker's ledger for the page; staged here when no worker could (the crawl is told once)."""
        if future is None:
            return self._here(page, "the worker pool would not take it")
        try:
            return future.result()
        except BrokenProcessPool as exc:  # a worker died: this crawl stages the rest itself
            self.pool = None
            return self._here(page, f"the worker pool broke ({exc})")
        except Exception as exc:  # noqa: BLE001 - e.g. a page that would not pickle
            return self._here(page, f"a worker could not stage it ({exc!r})")

    def _here(self, page: dict[str, Any], why: str) -> RunLedger:
        """The page staged in this process; the first such page of the crawl records why."""
        ledger = stage_fetched(self.ledger.run_id, self.ledger.source, page)
        if not self.told:
            self.told = True
            ledger.error(page["url"], "pool", f"staged in the crawl's own process: {why}")
        return ledger
