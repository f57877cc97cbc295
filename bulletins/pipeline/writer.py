"""The one writer of a daily crawl: batches queued by many crawls, gated together, loaded together.

The daily run crawls its sources side by side on threads of one process; when a source has
fetched and staged its pages it hands its batch here and waits. The writer's thread takes
everything queued as one round, once the crawls under way (``awaiting``) have handed theirs
in or a few seconds have passed: ONE pass of the gate over all of it (GX
costs about a second a pass, whatever the rows: fifty sources gated one by one would be
fifty seconds of CPU), then the loads: all the round's batches in one short transaction
(``load_many``, one statement a table), or, when that fails or there is none, each batch in
its own, in the order they came; then one ``after_round`` (the publication of the analysts'
copy). Each crawl gets back its own gate account and load counts, or the error that stopped
its batch.

The gate and the loads are passed in (``gate_many``, ``load_many``, each ``Submission.load``):
this package imports no GX or DuckDB.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, Sequence

import pandas as pd

log = logging.getLogger(__name__)

# A round takes at most this many batches: the gate's frames are a few MB per source, and a
# round's crawls all wait for its gate.
ROUND_LIMIT = 100

# A round waits for the batches of the crawls still under way (``awaiting``), this long at
# most after its first batch: a daily run's sources, fetched side by side, finish within a
# second or two of each other, and a gate pass costs most of a second whatever it holds
# (GX builds its metric graph each pass), so one pass for all of them ends sooner than one
# for the first few and another for the rest. The crawls that finished first lose nothing:
# their rows are published with the daily run's own, at its end.
WAIT_MAX_SECONDS = 3.0
POLL_SECONDS = 0.05  # how often a waiting round looks again at the crawls under way


@dataclass
class Submission:
    """One crawl's staged batch for the writer: what the gate needs, and how to load what passes."""

    source: str
    run_id: str
    frames: Mapping[str, pd.DataFrame]
    load: Callable[[dict[str, pd.DataFrame], pd.DataFrame], Mapping[str, int]]  # its own transaction
    yields: Mapping[str, Any] | None = None  # source -> SourceYield
    history: Mapping[str, Any] | None = None  # source -> its recent runs' yields
    done: Future = field(default_factory=Future)


@dataclass
class Written:
    """What the writer did with a batch: the gate's account, rows loaded per table, or the error."""

    summary: Mapping[str, Any]
    counts: Mapping[str, int] | None = None
    error: BaseException | None = None


GateMany = Callable[[Sequence[Submission]], Sequence[Any]]  # -> a GateResult per submission, in order
# (submissions, their GateResults) -> rows per table of each, all loaded in ONE transaction.
LoadMany = Callable[[Sequence[Submission], Sequence[Any]], Sequence[Mapping[str, int]]]


class BatchWriter:
    """A thread that gates queued batches together and loads each in its own transaction."""

    def __init__(
        self,
        gate_many: GateMany,
        after_round: Callable[[], Any] | None = None,
        load_many: LoadMany | None = None,
    ) -> None:
        self._gate_many, self._after_round, self._load_many = gate_many, after_round, load_many
        self._queue: queue.Queue[Submission | None] = queue.Queue()
        self._held: list[Submission] = []  # taken from the queue, left for the next round
        self._thread = threading.Thread(target=self._serve, name="bulletins-writer", daemon=True)
        self.rounds: list[dict[str, float]] = []  # per round: batches, seconds gating, loading, after
        self._closing = threading.Lock()
        self._closed = False
        self._under_way: set[str] = set()  # run ids of crawls whose batch is still to come

    def __enter__(self) -> BatchWriter:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        with self._closing:  # no batch is queued after the stop: it would wait for ever
            self._closed = True
            self._queue.put(None)
        self._thread.join()

    def pending(self) -> int:
        """Batches queued and not yet taken into a round."""
        return self._queue.qsize() + len(self._held)

    @contextmanager
    def awaiting(self, run_id: str) -> Iterator[None]:
        """Around a crawl that will hand in a batch (run ``run_id``): rounds wait for it, within reason.

        A crawl that ends without a batch (it failed first) is no longer waited for.
        """
        with self._closing:
            self._under_way.add(run_id)
        try:
            yield
        finally:
            with self._closing:
                self._under_way.discard(run_id)

    def awaited(self) -> int:
        """Crawls under way whose batch has not come yet."""
        with self._closing:
            return len(self._under_way)

    def write(self, submission: Submission) -> Written:
        """Queue a batch and wait for its round; what became of it (an error is returned, not raised)."""
        with self._closing:
            if self._closed:  # a crawl still running after its daily run gave up: its batch is not loaded
                return Written({}, None, RuntimeError("the daily run's writer has stopped"))
            self._under_way.discard(submission.run_id)
            self._queue.put(submission)
        return submission.done.result()

    def _serve(self) -> None:
        """Rounds until told to stop; a batch queued before the stop is still written."""
        stopping, batch = False, []
        try:
            while not stopping or self._held:
                batch, stopping = self._next_round(stopping)
                if batch:
                    self._round(batch)
        except BaseException as exc:  # a fault of the writer itself: no crawl may wait for ever
            self._fail_all(batch, exc)
            raise

    def _fail_all(self, batch: list[Submission], exc: BaseException) -> None:
        """Answer every batch not yet answered with ``exc``; later ones are answered the same."""
        for item in [*batch, *self._held]:
            if not item.done.done():
                item.done.set_result(Written({}, None, exc))
        self._held = []
        threading.Thread(target=self._drain, args=(exc,), daemon=True).start()

    def _drain(self, exc: BaseException) -> None:
        """After a writer fault: answer whatever is still queued, until the stop."""
        while (item := self._queue.get()) is not None:
            item.done.set_result(Written({}, None, exc))

    def _next_round(self, stopping: bool) -> tuple[list[Submission], bool]:
        """Held batches and everything queued, waiting for one when there is none and then for the
        crawls under way (``WAIT_MAX_SECONDS`` at most); one batch per source."""
        pending, self._held = self._held, []
        if not pending and not stopping:
            item = self._queue.get()
            if item is None:
                return [], True
            pending.append(item)
        deadline = time.monotonic() + WAIT_MAX_SECONDS
        while True:
            waiting = not stopping and self.awaited() > 0 and time.monotonic() < deadline
            try:
                item = self._queue.get(timeout=POLL_SECONDS) if waiting else self._queue.get_nowait()
            except queue.Empty:
                if waiting:
                    continue
                break
            if item is None:
                stopping = True
            else:
                pending.append(item)
        taken, sources = [], set()
        for item in pending:  # a source queued twice (named twice) waits for the next round
            if item.source in sources or len(taken) >= ROUND_LIMIT:
                self._held.append(item)
            else:
                taken.append(item)
                sources.add(item.source)
        return taken, stopping

    def _round(self, batch: list[Submission]) -> None:
        """Gate the batches together, load them, publish once; every submitter is answered."""
        account = {"batches": len(batch), "gate_seconds": 0.0, "load_seconds": 0.0, "after_seconds": 0.0}
        self.rounds.append(account)
        started = time.perf_counter()
        try:
            results = list(self._gate_many(batch))
            if len(results) != len(batch):
                raise RuntimeError(f"the gate answered {len(results)} of {len(batch)} batches")
        except Exception as exc:  # noqa: BLE001 - every batch of the round failed; each crawl records it
            for item in batch:
                item.done.set_result(Written({}, None, exc))
            return
        finally:
            account["gate_seconds"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        if not self._load_together(batch, results):
            for item, result in zip(batch, results):
                try:
                    counts = item.load(result.passed, result.quarantine)
                except Exception as exc:  # noqa: BLE001 - this batch failed; the others still load
                    item.done.set_result(Written(result.summary, None, exc))
                else:
                    item.done.set_result(Written(result.summary, counts))
        account["load_seconds"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        if self._after_round is not None:
            try:
                self._after_round()
            except Exception as exc:  # noqa: BLE001 - the loads are committed; the next round catches up
                log.warning("after a writer round: %s", exc)
        account["after_seconds"] = round(time.perf_counter() - started, 3)

    def _load_together(self, batch: list[Submission], results: list[Any]) -> bool:
        """Load the round's batches in one transaction (``load_many``); False when there is none or it failed.

        A failed transaction changed nothing; the caller then loads each batch on its own, so
        one batch at fault fails alone.
        """
        if self._load_many is None or len(batch) < 2:
            return False
        try:
            counts = list(self._load_many(batch, results))
        except Exception as exc:  # noqa: BLE001 - nothing was loaded; each batch is tried alone
            log.info("a round's batches did not load together (%s); loading them one by one", exc)
            return False
        for item, result, loaded in zip(batch, results, counts):
            item.done.set_result(Written(result.summary, loaded))
        return True

    def account(self) -> dict[str, object]:
        """What the writer did: rounds, batches in each, seconds gating, loading and after the rounds."""
        return {
            "rounds": len(self.rounds),
            "batches": [int(r["batches"]) for r in self.rounds],
            **{
                key: round(sum(r[key] for r in self.rounds), 3)
                for key in ("gate_seconds", "load_seconds", "after_seconds")
            },
        }
