"""The daily run's one writer, as the flows see it: started by ``flows.daily``, found by ``flows.crawl``.

``shared_writer`` starts a ``bulletins.pipeline.writer.BatchWriter`` whose gate is one pass
of the GX suites over every queued batch (``expectations.gate.validate_batches``), whose
loads are one transaction a round (``warehouse.load.load_batches``), and which publishes the
analysts' copy after each round; while it runs, ``SHARED_WRITER`` names it to
every crawl the run starts (a context variable: the thread-pool task runner copies it into
each task). A crawl that finds none gates and loads itself.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from bulletins.pipeline.writer import BatchWriter
from flows.common import opened
from warehouse.load import load_batches
from warehouse.publish import publish

SHARED_WRITER: ContextVar[BatchWriter | None] = ContextVar("bulletins_shared_writer", default=None)


@contextmanager
def shared_writer(run_id: str, db_path: str | None) -> Iterator[BatchWriter]:
    """The run's one writer, seen by every crawl this run starts; its GX results named after ``run_id``."""
    from expectations.gate import GatePart, validate_batches  # GX: imported when a daily run starts

    def gate_many(batch):
        """One pass of the suites over every queued batch."""
        return validate_batches([GatePart(s.frames, s.run_id, s.yields, s.history) for s in batch], run_id)

    def load_many(batch, results):
        """Every batch of a round in one transaction, each row stamped with its own crawl's run."""
        with opened(db_path) as con:
            return load_batches(con, [(r.passed, s.run_id, r.quarantine) for s, r in zip(batch, results)])

    def publish_round() -> None:
        """The round's rows to the analysts' copy."""
        with opened(db_path) as con:
            publish(con)

    # No connection is held between rounds: a warehouse invalidated by a failed write (a full
    # disk) is reopened by each crawl once every connection to it is closed (``db.revived``).
    token = None
    try:
        with BatchWriter(gate_many, after_round=publish_round, load_many=load_many) as writer:
            token = SHARED_WRITER.set(writer)
            yield writer
    finally:
        if token is not None:
            SHARED_WRITER.reset(token)


def docs_beside(run_id: str, writer: BatchWriter) -> Future:
    """The run's Data Docs (``build_docs``) started now on a thread of their own; the future's
    result is (the docs' index or None, the seconds they took).

    Called once every crawl has its answer: no round is left to gate, and the docs are built
    while the writer publishes its last round and the workers shut down, not after them.
    """

    def timed() -> tuple[str | None, float]:
        started = time.perf_counter()
        return build_docs(run_id, writer), round(time.perf_counter() - started, 3)

    runner = ThreadPoolExecutor(1, thread_name_prefix="data-docs")
    try:
        return runner.submit(timed)
    finally:
        runner.shutdown(wait=False)  # the thread ends with the docs


def build_docs(run_id: str, writer: BatchWriter) -> str | None:
    """The run's Data Docs, once for all its sources (None: nothing was gated, or the docs failed)."""
    from expectations.gate import build_data_docs

    return build_data_docs(run_id) if writer.rounds else None
