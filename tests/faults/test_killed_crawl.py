"""A daily crawl of several hosts at once, killed (SIGKILL) midway, then run again.

Three sources on three loopback hosts (127.0.0.2-4, all this machine) answer slowly, so
their crawls overlap. The daily flow runs in a subprocess and is killed once pages have
been fetched. Afterwards: the killed runs' requests are in ``fetch_log`` (written as the
crawl went), and a rerun leaves every page exactly once in every table.
"""

from __future__ import annotations

import os
import signal
import time

from demo.httpd import Delay, RouteServer
from tests.faults.conftest import FaultSite, good_article, python_subprocess

HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4")
ARTICLES = range(1, 7)
DAILY = "from flows.daily import daily_crawl; daily_crawl(sources={names!r}, db_path={db!r}, archive_root={archive!r})"


def wait_for_fetches(proc, count: int, limit: float = 180.0) -> None:
    """Read the subprocess's log until ``count`` article fetch task runs have finished."""
    seen, deadline = 0, time.monotonic() + limit
    while seen < count and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError("the crawl ended before it could be killed")
        seen += "Task run 'fetch-" in line and "Finished" in line
    assert seen >= count, "too few fetches before the time limit"


def test_a_killed_concurrent_crawl_keeps_its_requests_and_the_rerun_loads_every_page_once(warehouse):
    servers = [RouteServer(host=host).__enter__() for host in HOSTS]
    try:
        sites = [FaultSite(server, warehouse.sources, f"host{i}") for i, server in enumerate(servers)]
        for site in sites:
            site.publish({n: Delay(0.4, good_article(n)) for n in ARTICLES}).write_config(timeout=5)
        names = [site.name for site in sites]
        code = DAILY.format(names=names, db=str(warehouse.db), archive=str(warehouse.archive))
        proc = python_subprocess(code, warehouse.env())
        try:
            wait_for_fetches(proc, 4)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
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
