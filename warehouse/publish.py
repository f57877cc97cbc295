"""Readers never blocked: the pipeline writes its own file and publishes copies for analysts.

DuckDB lets one process write a file, and a read-only connection in another process takes a
lock that keeps the writer out (and the writer's lock keeps readers out). So the warehouse is
two files:

- the **published** file, the one ``BULLETINS_DB`` names (``data/bulletins.duckdb``): what
  analysts, ``bulletins sql`` and notebooks open, read-only; the pipeline never opens it;
- the **working** file beside it (``data/bulletins.pipeline.duckdb``): the pipeline's own,
  opened read-write by every flow through ``warehouse.db.connect``.

After each load and at the end of each run the writer checkpoints the working file (so that
every committed transaction is in the main file and none is half-written) and copies it to
a temporary file beside the published one, which ``os.replace`` then puts in its place in
one atomic rename. A reader that holds the old file open keeps reading the old inode, a
consistent earlier state; a new connection opens the new copy. Nobody waits on anybody.

The copy costs time linear in the warehouse's size (``benchmarks/publish_bench.py``); it is
made while the writer holds the working file, so no other process can change it midway.
Within the writer's process the crawls of several sources write from their own threads;
DuckDB rewrites the main file only at a checkpoint, so checkpoints happen only here, under
one lock (``connect`` turns DuckDB's automatic checkpoints off for a working file), and a
commit in another thread during the copy reaches the write-ahead log, not the copied file.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

# The working file is the published file's name with this before its suffix.
WORKING_MARK = ".pipeline"

# DuckDB checkpoints by itself once its write-ahead log passes this size: on a working file
# it never should, so that the main file changes only in ``publish`` (which checkpoints
# after every load, keeping the log small).
NO_AUTOMATIC_CHECKPOINT = "SET checkpoint_threshold = '1000 GB'"

# One publication at a time in this process: its checkpoint and copy go together.
_PUBLISHING = threading.Lock()

# Publications asked for, and the last asked-for one each working file's latest copy covers:
# a thread that asked while another's checkpoint had not begun is covered by that copy (its
# writes were committed before it asked), so fifty crawls ending together publish a few
# times, not fifty.
_ASKED = itertools.count(1)
_COVERED: dict[Path, int] = {}

# What the operating system says when the disk (or the process's file size limit) is full.
DISK_FULL = re.compile(r"File too large|No space left|Disk quota exceeded", re.IGNORECASE)


class PublishFailed(RuntimeError):
    """Storage refused the checkpoint or the copy that publishes (a full disk): the real cause.

    When it was the checkpoint, DuckDB has invalidated the database: every later statement on
    any connection to it fails until all are closed and the file is opened afresh, which
    replays the committed transactions from the write-ahead log (nothing committed is lost).
    """


def storage_failure(exc: BaseException, detail: str = "") -> PublishFailed:
    """The error to raise for a publication that storage refused, its cause in words first."""
    said = f"{exc} {detail}".strip()
    what = "disk full" if DISK_FULL.search(said) else "storage failed"
    return PublishFailed(f"{what} while publishing: {said}")


@dataclass(frozen=True)
class Published:
    """One publication: where, how many bytes, how long it took."""

    path: Path
    size: int
    seconds: float


def working_path(published: Path) -> Path:
    """The pipeline's own file for the analysts' file ``published`` (a sibling)."""
    return published.with_name(f"{published.stem}{WORKING_MARK}{published.suffix}")


def published_path(working: Path) -> Path | None:
    """The analysts' file that ``working`` publishes to, or None when it is no working file."""
    stem = working.stem
    if not stem.endswith(WORKING_MARK):
        return None
    return working.with_name(stem[: -len(WORKING_MARK)] + working.suffix)


def seed_working_copy(published: Path, working: Path) -> bool:
    """Start the working file from an existing published one (a warehouse made before the split).

    Returns True when a copy was made. A warehouse of the single-file era keeps its rows.
    The copy is linked in only where no working file exists yet: two processes starting at
    once must never replace a working file that the other already has open.
    """
    if working.exists() or not published.exists():
        return False
    temporary = working.with_name(f".{working.name}.{os.getpid()}.seed")
    try:
        shutil.copyfile(published, temporary)
        os.link(temporary, working)  # fails, rather than replaces, when the file appeared meanwhile
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    return True


def database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind ``con``'s current database (None for an in-memory one)."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return Path(row[0]) if row and row[0] else None


def publish(con: duckdb.DuckDBPyConnection) -> Published | None:
    """Checkpoint the working file behind ``con`` and publish it atomically for readers.

    Call it from the writer between transactions. A connection that is not on a working file
    (a benchmark's scratch file, an in-memory database) publishes nothing, and neither does a
    call whose writes a copy begun after it asked already holds (None). When DuckDB refuses
    the checkpoint because another transaction of this process is still writing, nothing is
    published this time: readers keep the previous copy and the next publication catches up.
    When storage refuses the checkpoint or the copy (a full disk), ``PublishFailed`` says so.
    """
    working = database_file(con)
    target = published_path(working) if working else None
    if target is None:
        return None
    started = time.perf_counter()
    asked = next(_ASKED)
    with _PUBLISHING:
        if _COVERED.get(working, 0) >= asked:  # a copy begun after we asked has our writes
            return None
        covers = next(_ASKED)  # every ask before this one was committed before this checkpoint
        try:
            con.execute("CHECKPOINT")
        except duckdb.FatalException as exc:  # the file could not be written: DuckDB now refuses it
            raise storage_failure(exc) from exc
        except duckdb.Error as exc:  # another source's crawl is mid-transaction: the next publish will do
            log.info("not published this time (the checkpoint was refused): %s", exc)
            return None
        try:
            _copy_atomically(working, target)
        except subprocess.CalledProcessError as exc:  # cp could not write the copy (the old one stays)
            raise storage_failure(exc, (exc.stderr or b"").decode(errors="replace").strip()) from exc
        except OSError as exc:
            raise storage_failure(exc) from exc
        _COVERED[working] = covers
    return Published(target, target.stat().st_size, time.perf_counter() - started)


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy ``source`` over ``target`` so that a reader sees the old file or the new, never half.

    ``cp`` reads ``source`` in a process of its own: DuckDB's write lock is a POSIX record
    lock, which a process loses on closing ANY descriptor of the file, so this process must
    never open and close the working file it holds.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        subprocess.run(["cp", "--", str(source), str(temporary)], check=True, capture_output=True)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())  # the bytes are on disk before the name points at them
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (a crash after it must not bring the old name back)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
