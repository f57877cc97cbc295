"""Prefect task: load a validated batch and its quarantined rows in one transaction."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from warehouse.load import load_batch


@task(name="load", cache_policy=NO_CACHE)
def load(con, passed: dict, quarantine=None, *, run_id: str, publish_after: bool = True) -> dict[str, int]:
    """Rows inserted per table (``quarantine``: rows held back); nothing at all when anything fails.

    ``publish_after`` False: the caller publishes (a daily run's writer, once per round).
    """
    # A cursor is a connection of its own to the same database: safe whatever thread runs us.
    cursor = con.cursor()
    try:
        return load_batch(cursor, passed, run_id, quarantine=quarantine, publish_after=publish_after)
    finally:
        cursor.close()
