"""Where things live on disk, and the environment variables that move them.

Every path has a committed default under ``data/`` so that ``make demo`` needs no
configuration; operators override them with environment variables.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _path(var: str, default: Path) -> Path:
    """A path from the environment variable ``var``, else ``default``."""
    value = os.environ.get(var)
    return Path(value).expanduser() if value else default


def data_dir() -> Path:
    """Root of everything the pipeline writes (BULLETINS_DATA, default ./data)."""
    return _path("BULLETINS_DATA", PROJECT_ROOT / "data")


def db_path() -> Path:
    """The DuckDB warehouse file (BULLETINS_DB, default data/bulletins.duckdb)."""
    return _path("BULLETINS_DB", data_dir() / "bulletins.duckdb")


def archive_dir() -> Path:
    """The content-addressed raw archive (BULLETINS_ARCHIVE, default data/archive)."""
    return _path("BULLETINS_ARCHIVE", data_dir() / "archive")


def reports_dir() -> Path:
    """Where HTML reports and Data Docs go (BULLETINS_REPORTS, default data/reports)."""
    return _path("BULLETINS_REPORTS", data_dir() / "reports")


def sources_dir() -> Path:
    """The folder of per-site YAML files (BULLETINS_SOURCES, default ./sources)."""
    return _path("BULLETINS_SOURCES", PROJECT_ROOT / "sources")


def alert_webhook_url() -> str | None:
    """Slack-compatible webhook for alerts (BULLETINS_ALERT_WEBHOOK); None disables alerts."""
    return os.environ.get("BULLETINS_ALERT_WEBHOOK") or None


def reprocess_workers() -> int:
    """Processes that parse and extract during a reprocess or a daily crawl (BULLETINS_WORKERS, default: the CPUs).

    1 runs everything in the flow's own process; the flow's process gates and loads either way.
    """
    value = os.environ.get("BULLETINS_WORKERS")
    return max(1, int(value)) if value else max(1, os.cpu_count() or 1)


# Sources a daily run crawls side by side. A crawl waits on its host's politeness (one
# request at a time, a second or two apart), not on this machine, so the bound is sized to
# sources, not CPUs: the default lets a daily run of tens of polite sites go all at once.
# The cap protects the machine whatever the environment asks (a thread, a socket and a
# source's staged pages each).
CRAWL_CONCURRENCY_DEFAULT = 64
CRAWL_CONCURRENCY_CAP = 256


def crawl_concurrency() -> int:
    """Sources the daily crawl fetches side by side (BULLETINS_CRAWL_CONCURRENCY, default 64, at most 256).

    Each host keeps its own pace whatever this is; it bounds threads, open sockets and
    staged pages. Past the cap, the cap: a bad value never starts thousands of threads.
    """
    value = os.environ.get("BULLETINS_CRAWL_CONCURRENCY")
    wanted = int(value) if value else CRAWL_CONCURRENCY_DEFAULT
    return min(CRAWL_CONCURRENCY_CAP, max(1, wanted))


def extract_seconds() -> float | None:
    """Time limit of one page's extraction (BULLETINS_EXTRACT_SECONDS, default 30; 0: none).

    A page over it is recorded as an extract error and the run goes on; a one-line 1 MB
    page takes about 2 s (BENCHMARKS.md, "Long lines"), an ordinary page milliseconds.
    """
    value = os.environ.get("BULLETINS_EXTRACT_SECONDS")
    seconds = float(value) if value else 30.0
    return seconds if seconds > 0 else None
