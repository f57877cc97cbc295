"""Prefect task: a crawl's staged batch handed to the daily run's one writer (gated with others, loaded)."""

from __future__ import annotations

from functools import partial
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from bulletins.pipeline.writer import BatchWriter, Submission, Written
from tasks.load import load


@task(name="gate-and-load", cache_policy=NO_CACHE)
def write_shared(writer: BatchWriter, frames: dict, *, con: Any, source: str, run_id: str, history, yields) -> Written:
    """Queue the batch, wait for the writer's round: the gate's account and the rows loaded, or the error.

    The load is this run's own transaction on its own connection, run on the writer's thread;
    the writer publishes the analysts' copy once after its round.
    """
    loader = partial(load.fn, con, run_id=run_id, publish_after=False)
    return writer.write(Submission(source, run_id, frames, loader, yields=yields, history=history))
