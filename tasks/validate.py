"""Prefect task: the Great Expectations gate over a staged batch."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from expectations.gate import validate_batch


@task(name="validate", cache_policy=NO_CACHE)
def validate(batch: dict, run_id: str, history=None, yields=None):
    """Split a batch into rows that pass (``GateResult.passed``) and rows to quarantine.

    ``yields`` and ``history``: each source's ``SourceYield`` this run, and the same counts of its recent runs.
    """
    return validate_batch(batch, run_id, history=history, yields=yields)
