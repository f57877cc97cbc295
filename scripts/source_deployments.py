"""The per-source crawl deployments of prefect.scale-out.yaml, generated from sources/*.yaml.

A source's ``schedule:`` (cron and time zone) is the one place its crawl time is set; this
prints the deployment of every source that is not a demo one, for prefect.scale-out.yaml,
and ``tests/crawl/test_schedules.py`` checks that the file says the same.

    .venv/bin/python scripts/source_deployments.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bulletins.crawl.sources import load_sources

DEMO_PREFIX = "demo_"  # the demo sources are crawled by `bulletins demo`, never on a schedule


def deployment(config) -> dict:
    """The crawl deployment of one source: its tag, its pool, its schedule (active when enabled)."""
    return {
        "name": "crawl-" + config.name.replace("_", "-"),
        "description": f"Crawl {config.name} ({config.title}).",
        "entrypoint": "flows/crawl.py:crawl_source",
        "parameters": {"source": config.name},
        "tags": ["crawl", f"source:{config.name}"],
        "schedules": [{"cron": config.schedule.cron, "timezone": config.schedule.timezone, "active": config.enabled}],
    }


def deployments() -> list[dict]:
    """Every scheduled source's deployment, by name."""
    return [deployment(c) for c in load_sources(enabled_only=False) if not c.name.startswith(DEMO_PREFIX)]


if __name__ == "__main__":
    for dep in deployments():
        schedule = dep["schedules"][0]
        print(f"""  - name: {dep["name"]}
    description: {dep["description"]}
    entrypoint: {dep["entrypoint"]}
    parameters: {{source: {dep["parameters"]["source"]}}}
    tags: [crawl, "source:{dep["parameters"]["source"]}"]
    work_pool: *warehouse_pool
    concurrency_limit: {{limit: 1, collision_strategy: ENQUEUE}}
    schedules:
      - {{cron: "{schedule["cron"]}", timezone: *tz, active: {str(schedule["active"]).lower()}}}
""")
