"""prefect.scale-out.yaml is a working multi-worker configuration: every entrypoint is a flow that
accepts its parameters, every warehouse writer is in the one-slot pool, every source has its tag."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import yaml
from prefect.client.schemas.objects import ConcurrencyLimitConfig
from prefect.flows import Flow

CONFIG = Path(__file__).resolve().parents[2] / "prefect.scale-out.yaml"
# Flows that open the DuckDB warehouse read-write, and so must queue for its one slot.
WRITERS = {"crawl-source", "daily-crawl", "reprocess", "reprocess-fanout", "merge-batches"}


def deployments() -> list[dict]:
    """The deployments of the scale-out file."""
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["deployments"]


def flow_of(entrypoint: str) -> Flow:
    """The flow object an entrypoint ``path.py:name`` names."""
    path, name = entrypoint.split(":")
    return getattr(importlib.import_module(path.removesuffix(".py").replace("/", ".")), name)


def test_every_entrypoint_is_a_flow_taking_its_parameters():
    for dep in deployments():
        flow = flow_of(dep["entrypoint"])
        assert isinstance(flow, Flow), dep["name"]
        assert set(dep["parameters"]) <= set(inspect.signature(flow.fn).parameters), dep["name"]


def test_warehouse_writers_queue_for_the_single_writer_pool():
    for dep in deployments():
        if flow_of(dep["entrypoint"]).name in WRITERS:
            assert dep["work_pool"]["name"] == "bulletins-warehouse", dep["name"]
            assert ConcurrencyLimitConfig(**dep["concurrency_limit"]).limit == 1
    assert "set-concurrency-limit bulletins-warehouse 1" in CONFIG.read_text(encoding="utf-8")


def test_each_source_deployment_carries_the_tag_its_concurrency_limit_names():
    text = CONFIG.read_text(encoding="utf-8")
    for dep in deployments():
        source = dep["parameters"].get("source")
        if source:
            assert f"source:{source}" in dep["tags"]
            assert f"prefect concurrency-limit create source:{source} 1" in text
            assert (CONFIG.parent / "sources" / f"{source}.yaml").exists()
