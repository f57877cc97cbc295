"""Archived pages staged in chunks: in this process, or on a pool of worker processes.

Parsing and extraction are CPU-bound Python, so on N cores the reprocess runs them in N
worker processes while the flow's own process gates and loads (DuckDB has one writer).
Workers come from a ``forkserver`` that has imported this module once: a worker starts
in milliseconds, and never imports Prefect, GX or DuckDB (nothing here does). The flow
process may be running Prefect's threads, which is why workers are not plain forks of it,
and it may be ``python -m prefect.engine``, which is why workers are started without the
parent's main module (``parent_main_hidden``).

Chunks come back in the order they were given, whatever order the workers finish in, so
a reprocess on a pool stages exactly what one in a single process stages. At most
``IN_FLIGHT_PER_WORKER`` chunks per worker are out at a time, so what the pool holds
does not grow with the archive. A pool that breaks (a worker killed) does not stop the run: the
chunks not yet staged are staged in this process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Iterable, Iterator

from bulletins.crawl.archive import ManifestEntry, RawArchive
from bulletins.pipeline.ledger import RunLedger
from bulletins.pipeline.page import process_page

# Workers yield the CPU to the flow's process: it is the one writer, and while it gates and
# loads a batch every worker's output waits on it.
WORKER_NICENESS = 5

# Chunks queued per worker: enough that the workers keep staging while this process gates
# and loads a batch (GX costs about a second a batch, whatever its size).
IN_FLIGHT_PER_WORKER = 10


def chunks(grouped: dict[str, list[ManifestEntry]], size: int) -> list[tuple[str, list[ManifestEntry]]]:
    """(source, entries) pieces of at most ``size`` pages, sources in name order."""
    pieces = []
    for source in sorted(grouped):
        entries = grouped[source]
        pieces += [(source, entries[i : i + size]) for i in range(0, len(entries), size)]
    return pieces


def stage_archived(run_id: str, archive_root: str, config: Any, entries: list[ManifestEntry]) -> RunLedger:
    """Parse, extract and stage archived pages of one source (``config``); a ledger of what happened."""
    ledger = RunLedger(run_id, config.name)
    archive = RawArchive(Path(archive_root))
    for entry in entries:
        try:
            raw = archive.get(entry.content_hash)
        except Exception as exc:  # noqa: BLE001 - a lost or corrupt blob is that page's error only
            ledger.error(entry.url, "archive", exc)
            continue
        ledger.counts["pages"] += 1
        process_page(ledger, **archived_page(entry, raw, config))
    return ledger


def archived_page(entry: ManifestEntry, raw: bytes, config: Any) -> dict[str, Any]:
    """An archived page as ``process_page`` takes it (its manifest line and its bytes)."""
    return dict(
        url=entry.url,
        raw=raw,
        config=config,
        headers=dict(entry.headers or {}),
        encoding=entry.encoding,
        fetched_at=entry.fetched_at,
        http_status=entry.http_status,
        content_hash=entry.content_hash,
        source=config.name,
    )


Chunk = tuple[Any, list[ManifestEntry]]  # (SourceConfig, its entries)


def staged_chunks(run_id: str, archive_root: str, chunks: Iterable[Chunk], workers: int = 1) -> Iterator[RunLedger]:
    """Each chunk's ledger, in chunk order; staged on ``workers`` processes when more than one."""
    if workers <= 1:
        for config, entries in chunks:
            yield stage_archived(run_id, archive_root, config, entries)
        return
    yield from _on_pool(run_id, archive_root, iter(chunks), workers)


def _on_pool(run_id: str, archive_root: str, chunks: Iterator[Chunk], workers: int) -> Iterator[RunLedger]:
    """``staged_chunks`` on a process pool, a bounded window of chunks in flight."""
    broken: BaseException | None = None
    with worker_pool(workers) as pool:
        window: deque[tuple[Chunk, Future | None]] = deque()

        def submit_next() -> bool:
            """Queue the next chunk; False when there is none or the pool is broken."""
            chunk = next(chunks, None)
            if chunk is None:
                return False
            try:
                with parent_main_hidden():  # submit starts a worker when none is idle
                    future: Future | None = pool.submit(stage_archived, run_id, archive_root, *chunk)
            except BrokenProcessPool:
                future = None
            window.append((chunk, future))
            return future is not None

        while len(window) < workers * IN_FLIGHT_PER_WORKER and submit_next():
            pass
        while window:
            chunk, future = window[0]
            if future is None:
                break
            try:
                ledger = future.result()
            except BrokenProcessPool as exc:
                broken = exc
                break
            except Exception as exc:  # noqa: BLE001 - e.g. a chunk that would not pickle: its pages' error
                ledger = failed_chunk(run_id, chunk, exc)
            window.popleft()
            yield ledger
            submit_next()
        else:
            return
    # The pool broke (a worker died): what it had not returned is staged here, in order,
    # and the run records it (a run that lost a worker ends as a warning, not silently).
    for number, chunk in enumerate([chunk for chunk, _future in window] + list(chunks)):
        ledger = stage_archived(run_id, archive_root, *chunk)
        if number == 0:
            ledger.error(
                None,
                "pool",
                f"worker pool broke ({broken or 'BrokenProcessPool'}): "
                "the remaining chunks were staged in the flow's process",
            )
        yield ledger


def worker_pool(workers: int, preload: tuple[str, ...] = ()) -> ProcessPoolExecutor:
    """``workers`` processes from a forkserver that has imported this module (and ``preload``),
    each started by ``_worker_start`` and watching this process."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, *preload])
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),))


def _worker_start(parent: int | None = None) -> None:
    """Worker start-up: a lower CPU priority than the flow's process (see WORKER_NICENESS),
    the imported modules' objects frozen out of the garbage collector's walks (parse trees
    are cyclic, so collections run often; they need not revisit every module object), and a
    watch on the ``parent`` process that hands it work."""
    os.nice(WORKER_NICENESS)
    gc.freeze()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), name="exit-with-parent", daemon=True).start()


# A worker's parent is the forkserver, not the process that hands it work, and a pool's
# worker holds both ends of its own task queue: when that process is SIGKILLed, nothing ever
# tells the worker, and it would wait for ever, holding its parent's stdout open.
PARENT_POLL_SECONDS = 0.5


def _exit_with(parent: int) -> None:
    """Exit this worker once ``parent`` has died (gone, or a zombie waiting to be reaped)."""
    while _alive(parent):
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(0)


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc here: existing is all we can know
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


@contextlib.contextmanager
def parent_main_hidden() -> Iterator[None]:
    """While workers start, hide the parent's ``__main__`` from multiprocessing.

    A new worker imports its parent's main module again (as ``__mp_main__``): under a
    Prefect worker that is ``prefect.engine``, all of Prefect, seconds per worker, and an
    unguarded script would run again. Workers need nothing from it, only this module.
    """
    main = sys.modules["__main__"]
    saved = {key: main.__dict__[key] for key in ("__spec__", "__file__") if key in main.__dict__}
    main.__spec__ = None  # read as getattr(__main__.__spec__, "name", None)
    main.__dict__.pop("__file__", None)
    try:
        yield
    finally:
        main.__dict__.update(saved)


def failed_chunk(run_id: str, chunk: Chunk, exc: BaseException) -> RunLedger:
    """The ledger of a chunk a worker could not stage: every page failed with the reason."""
    config, entries = chunk
    ledger = RunLedger(run_id, config.name)
    for entry in entries:
        ledger.counts["pages"] += 1
        ledger.fail(entry.url, "stage", exc)
    return ledger
