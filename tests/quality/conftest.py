"""Fixtures of the quality tests: isolated data folders, a real warehouse file, a gated batch."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def quality_dirs(tmp_path_factory):
    """BULLETINS_DATA and BULLETINS_REPORTS under a session temp folder (one GX context for all)."""
    root = tmp_path_factory.mktemp("quality")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BULLETINS_DATA", str(root / "data"))
        mp.setenv("BULLETINS_REPORTS", str(root / "reports"))
        yield root


@pytest.fixture
def warehouse(tmp_path, quality_dirs):
    """A migrated DuckDB file (every migration, the views included)."""
    from warehouse.db import connect

    con = connect(tmp_path / "warehouse.duckdb")
    yield con
    con.close()
