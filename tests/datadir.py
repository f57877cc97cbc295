"""One test's data folder: the DuckDB file, the raw archive, the sources, and reads of the warehouse.

Shared by the end-to-end (tests/pipeline) and fault (tests/faults) suites.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class DataDir:
    """Where one test's pipeline writes: the warehouse file, the raw archive, the sources."""

    root: Path

    @property
    def db(self) -> Path:
        return self.root / "bulletins.duckdb"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        """Rows of a query on the analysts' (published) copy, as an analyst reads it."""
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def scalar(self, sql: str, params: list | None = None):
        """The single value of a query."""
        return self.rows(sql, params)[0][0]

    def flow_kwargs(self) -> dict[str, str]:
        """Flow parameters that keep a run inside this folder."""
        return {"db_path": str(self.db), "archive_root": str(self.archive)}

    def env(self) -> dict[str, str]:
        """The environment of a subprocess running the pipeline on this folder."""
        from prefect.settings import PREFECT_API_URL

        env = dict(
            os.environ,
            BULLETINS_DATA=str(self.root),
            BULLETINS_DB=str(self.db),
            BULLETINS_ARCHIVE=str(self.archive),
            BULLETINS_SOURCES=str(self.sources),
            BULLETINS_REPORTS=str(self.root / "reports"),
            PYTHONPATH=str(PROJECT_ROOT),
        )
        api = PREFECT_API_URL.value()
        if api:  # the subprocess reports to the harness's server instead of starting its own
            env["PREFECT_API_URL"] = api
        return env
