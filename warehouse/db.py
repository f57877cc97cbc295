"""Connections to the DuckDB warehouse: where the file is, its migrations, and its lock.

The warehouse named by a path is two files (``warehouse.publish``): a read-write connection
opens the pipeline's working file beside it, a read-only one opens the published copy that
analysts read. Opening the warehouse read-write applies every SQL file in ``warehouse/migrations/`` not yet recorded
in ``schema_migrations``, in file-name order, each in its own transaction. DuckDB holds an
exclusive lock on the file for the process that opened it read-write; a second writer
waits here for that lock (up to ``wait_seconds``) and then refuses with ``WarehouseBusy``
naming the file, rather than failing with DuckDB's bare IO error.
"""

from __future__ import annotations

import logging
import os
import random
import re
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from bulletins import settings
from warehouse import places
from warehouse import publish as publication

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MIGRATION_NAME = re.compile(r"^(?P<version>\d{3})_(?P<name>[\w-]+)\.sql$")

# DuckDB's message when another process holds the file ("Could not set lock on file").
LOCK_ERROR = re.compile(r"lock", re.IGNORECASE)

# How long a writer waits for the other connections of its process to an invalidated warehouse
# to close (the daily run's sources share one DuckDB instance; each reopens as it meets it).
REVIVE_SECONDS = 60.0

# Threads of one process share a DuckDB instance; migrating it twice at once would race.
_MIGRATE_LOCK = threading.Lock()

SCHEMA_MIGRATIONS = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    applied_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
)
"""


def run(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """Execute one statement and read its result to the end.

    DuckDB refuses some work on a connection (unregistering a frame, for one) while a
    result is unread, so statements run through here leave none behind.
    """
    return con.execute(sql, params or []).fetchall()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN … COMMIT around the block; on any error ROLLBACK and re-raise *that* error.

    When the error is the COMMIT itself failing (a full disk: the write fails as the
    transaction ends), DuckDB has already ended the transaction and ROLLBACK raises
    "no transaction is active". That second error must not replace the first, which is
    the one an operator needs: it is kept, the rollback's failure added as a note.
    """
    run(con, "BEGIN TRANSACTION")
    try:
        yield
        run(con, "COMMIT")
    except BaseException as exc:
        try:
            run(con, "ROLLBACK")
        except duckdb.Error as rollback_error:
            exc.add_note(f"(the rollback after it failed too: {rollback_error})")
        raise


def invalidated(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether DuckDB refuses ``con``'s database after a fatal error (a write that failed on a full disk).

    Such a database answers nothing until every connection to it is closed and the file is
    opened again (``revived``).
    """
    try:
        con.execute("SELECT 1").fetchall()
    except duckdb.FatalException:
        return True
    return False


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse file's write lock for longer than we wait."""


def migration_files(folder: Path = MIGRATIONS_DIR) -> list[tuple[str, str, Path]]:
    """The migrations as ``(version, name, path)``, in the order they apply."""
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = MIGRATION_NAME.match(path.name)
        if match:
            found.append((match["version"], match["name"], path))
    return found


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Versions already recorded in ``schema_migrations``."""
    return {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection, folder: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply the migrations not yet applied; return their versions."""
    if _up_to_date(con, folder):  # reads only: fifty crawls opening the warehouse need not queue
        return []
    applied = []
    with _MIGRATE_LOCK:
        run(con, SCHEMA_MIGRATIONS)
        done = applied_versions(con)
        for version, name, path in migration_files(folder):
            if version in done:
                continue
            _apply(con, version, name, path.read_text(encoding="utf-8"))
            applied.append(version)
        places.ensure_places(con)  # reference rows, kept to the installed division data
    return applied


def _up_to_date(con: duckdb.DuckDBPyConnection, folder: Path) -> bool:
    """True when every migration is recorded and ``places`` holds the installed release: nothing to do."""
    try:
        done = applied_versions(con)
    except duckdb.CatalogException:  # a new file: no schema_migrations yet
        return False
    if not {version for version, _, _ in migration_files(folder)} <= done:
        return False
    return not places.has_table(con) or bool(
        con.execute("SELECT count(*) FROM places WHERE source = ?", [places.release()]).fetchone()[0]
    )


def _apply(con: duckdb.DuckDBPyConnection, version: str, name: str, sql: str) -> None:
    """Run one migration file and record it, all or nothing."""
    with transaction(con):
        run(con, sql)
        run(con, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])


def _open(path: Path, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting while another process holds its lock."""
    deadline = time.monotonic() + wait_seconds
    delay = 0.1
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not LOCK_ERROR.search(str(exc)):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"the warehouse {path} is in use by another process (waited {wait_seconds:.0f}s): {exc}"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def connect(
    path: str | Path | None = None, *, read_only: bool = False, wait_seconds: float = 60.0
) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse at ``path`` (default ``settings.db_path()``), migrated.

    ``path`` names the analysts' (published) file. Read-write, the connection is to the
    pipeline's working file beside it, migrated, and a migration that changed anything is
    published at once. Read-only, it is to the published copy, which must exist; it is not
    migrated (it cannot be) and holds no lock that the pipeline waits on.
    """
    target = Path(path) if path else settings.db_path()
    if read_only:
        if not target.exists():
            raise FileNotFoundError(f"no warehouse at {target}: a crawl or reprocess publishes it")
        return _open(target, True, wait_seconds)
    target.parent.mkdir(parents=True, exist_ok=True)
    working = publication.working_path(target)
    publication.seed_working_copy(target, working)
    con = _open(working, False, wait_seconds)
    try:
        run(con, publication.NO_AUTOMATIC_CHECKPOINT)
        if migrate(con) or not target.exists():
            publication.publish(con)
    except Exception:
        con.close()
        raise
    return con


def revived(
    con: duckdb.DuckDBPyConnection | None, path: str | Path | None, wait_seconds: float = REVIVE_SECONDS
) -> duckdb.DuckDBPyConnection | None:
    """``con`` itself when it works (or is None), else (invalidated) a fresh read-write connection to ``path``.

    DuckDB keeps one instance per file in a process; it must end (every connection to it
    closed) before the file can be opened afresh, which replays the committed transactions
    from the write-ahead log. ``con`` is closed first, never a second descriptor of the file
    opened beside it (closing that would drop the write lock, ``warehouse.publish``).
    """
    if con is None or not invalidated(con):
        return con
    con.close()
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fresh = connect(path)
        except duckdb.FatalException:  # another thread's connection still holds the old instance
            fresh = None
        if fresh is not None and not invalidated(fresh):
            log.warning("the warehouse was invalidated by a failed write and has been reopened")
            return fresh
        if fresh is not None:
            fresh.close()  # let the old instance go once the other connections close too
        if time.monotonic() >= deadline:
            raise WarehouseBusy(f"the warehouse stayed invalidated for {wait_seconds:.0f}s: other connections hold it")
        time.sleep(random.uniform(0.1, 1.0))


def write_problem(published: str | Path) -> str | None:
    """Why the pipeline cannot write the warehouse ``published`` names (a read-only mount, an immutable file), or None.

    The folder is tried for real (a temporary file made and removed in it): DuckDB writes its
    log there and a publication its copy. The files are asked with ``os.access``, which the
    kernel answers from the mount and the file's flags as well as its mode (EROFS and EPERM
    even for root); opening the working file instead would drop this process's lock on it.
    """
    published = Path(published)
    folder = next(p for p in (published.parent, *published.parent.parents) if p.exists())
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".bulletins-write-probe-"):
            pass
    except OSError as exc:
        what = "the warehouse cannot be created there" if folder != published.parent else "the warehouse is in it"
        return f"{folder} cannot be written ({exc.strerror}): {what}"
    working = publication.working_path(published)
    for path in (published, working, working.with_name(working.name + ".wal")):
        if path.exists() and not os.access(path, os.W_OK):
            return f"{path} cannot be written (read-only): the pipeline writes the warehouse"
    return None


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """The ``(name, type)`` of each column of ``table``, in table order."""
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [(name, dtype) for name, dtype in rows]
