"""One source of truth for crawl times: each source's ``schedule:`` is what its scale-out deployment says.

``scripts/source_deployments.py`` generates the per-source deployments from sources/*.yaml;
prefect.scale-out.yaml must hold exactly those (same cron, time zone, active only when the
source is enabled), and prefect.yaml schedules no single source of its own.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPARED = ("name", "entrypoint", "parameters", "tags", "schedules")


def generated() -> list[dict]:
    """The deployments the script makes from the source files."""
    spec = importlib.util.spec_from_file_location("source_deployments", ROOT / "scripts" / "source_deployments.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.deployments()


def deployments(name: str) -> list[dict]:
    """The deployments of a Prefect project file."""
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))["deployments"]


def test_scale_out_source_deployments_are_the_ones_the_source_files_generate():
    per_source = [d for d in deployments("prefect.scale-out.yaml") if d["parameters"].get("source")]
    assert [{k: d[k] for k in COMPARED} for d in per_source] == [{k: d[k] for k in COMPARED} for d in generated()]


def test_prefect_yaml_schedules_no_source_of_its_own():
    scheduled = [d["name"] for d in deployments("prefect.yaml") if d["parameters"].get("source") and d["schedules"]]
    assert scheduled == []
