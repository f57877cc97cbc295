"""A daily crawl of several hosts at once, killed (SIGKILL) midway, then run again.

Three sources on three loopback hosts (127.0.0.2-4, all this machine) answer slowly, so
their crawls overlap. The daily flow runs in a subprocess and is killed once pages have
been fetched. Afterwards: the killed runs' requests are in ``fetch_log`` (written as the
crawl went), and a rerun leaves every page exactly once in every table.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

from demo.httpd import Delay, RouteServer
from tests.faults.conftest import FaultSite, good_article, python_subprocess

HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4")
ARTICLES = range(1, 7)
DAILY = "from flows.daily import daily_crawl; daily_crawl(sources={names!r}, db_path={db!r}, archive_root={archive!r})"


def articles_archived(manifest: Path) -> int:
    """Article pages the crawl has fetched and archived so far (the raw archive's manifest lines)."""
    if not manifest.exists():
        return 0
    lines = manifest.read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines if line.strip().endswith("}") and json.loads(line).get("kind") == "article")


def wait_for_fetches(proc, manifest: Path, count: int, limit: float = 180.0) -> threading.Thread:
    """Wait until the subprocess has archived ``count`` article pages; its output is drained meanwhile."""
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + limit
    while articles_archived(manifest) < count:
        if proc.poll() is not None:
            raise AssertionError("the crawl ended before it could be killed:\n" + "".join(output[-20:]))
        assert time.monotonic() < deadline, "too few fetches before the time limit"
        time.sleep(0.05)
    return reader


def test_a_killed_concurrent_crawl_keeps_its_requests_and_the_rerun_loads_every_page_once(warehouse):
    servers = [RouteServer(host=host).__enter__() for host in HOSTS]
    try:
        sites = [FaultSite(server, warehouse.sources, f"host{i}") for i, server in enumerate(servers)]
        for site in sites:
            site.publish({n: Delay(0.4, good_article(n)) for n in ARTICLES}).write_config(timeout=5)
        names = [site.name for site in sites]
        code = DAILY.format(names=names, db=str(warehouse.db), archive=str(warehouse.archive))
        proc = python_subprocess(code, warehouse.env())
        reader = None
        try:
            reader = wait_for_fetches(proc, Path(warehouse.archive) / "manifest.jsonl", 4)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
            if reader is not None:
                reader.join(timeout=10)
            proc.stdout.close()

        from flows.daily import daily_crawl

        summary = daily_crawl(sources=names, **warehouse.flow_kwargs())
    finally:
        for server in servers:
            server.__exit__(None, None, None)

    assert summary["failed_sources"] == []
    killed = [
        run_id
        for (run_id,) in warehouse.rows("SELECT run_id FROM runs WHERE flow = 'crawl-source' AND status = 'crashed'")
    ]
    assert killed, "the killed source runs are marked crashed by the rerun"
    kept = warehouse.scalar("SELECT count(*) FROM fetch_log WHERE run_id IN (SELECT unnest(?::VARCHAR[]))", [killed])
    assert kept >= 4, "the killed runs' requests were written as they went"
    pages = len(HOSTS) * len(ARTICLES)
    assert warehouse.scalar("SELECT count(*) FROM documents") == pages
    assert warehouse.scalar("SELECT count(DISTINCT url) FROM documents") == pages
    assert warehouse.scalar("SELECT count(*) FROM articles") == pages
    per_page = warehouse.scalar(
        "SELECT count(*) FROM indicators WHERE document_id = (SELECT min(document_id) FROM documents)"
    )
    assert per_page > 0 and warehouse.scalar("SELECT count(*) FROM indicators") == pages * per_page
    assert warehouse.scalar("SELECT count(*) FROM meetings") == pages * warehouse.scalar(
        "SELECT count(*) FROM meetings WHERE document_id = (SELECT min(document_id) FROM documents)"
    )
    assert warehouse.rows("SELECT DISTINCT state FROM links") == [("fetched",)]
