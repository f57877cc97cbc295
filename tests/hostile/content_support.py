"""What the content, storage and SQL modules of the hostile suite share: a crawled warehouse.

The fixtures are the fault suite's (a fresh data folder, a RouteServer site on 127.0.0.1,
the session's Prefect harness), imported so each module here can ask for them by name.
"""

from __future__ import annotations

import json
import math

import pytest

from tests.faults.conftest import MEETING, article_html, good_article, site, warehouse

__all__ = ["MEETING", "article_html", "good_article", "site", "warehouse", "strict_json", "prefect"]


@pytest.fixture
def prefect(prefect_harness):
    """The session's Prefect server, for tests that run flows."""
    return prefect_harness


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def strict_json(line: str):
    """A line parsed as strict JSON: Infinity, -Infinity and NaN are refused, as any other JSON reader would."""
    return json.loads(line, parse_constant=_refuse_constant)


def finite(value) -> bool:
    """True for None or a finite number."""
    return value is None or math.isfinite(value)
