"""Fetched pages staged off the fetch path (bulletins.pipeline.stager) on real processes.

A crawl hands each fetched page to a ``PageStager``: with the daily run's pool, a worker
process parses, extracts and stages it; without one, this process does. Either way the
crawl's ledger must end the same, page for page and in fetch order. A worker that dies must
not lose a page: the crawl stages the rest itself and records why, once.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from _generate import fill_archive
from bulletins.crawl.archive import RawArchive
from bulletins.crawl.sources import load_source
from bulletins.pipeline.ledger import RunLedger
from bulletins.pipeline.pool import archived_page
from bulletins.pipeline.stager import SHARED_POOL, PageStager, shared_pool
from tests.workers.test_pool import DiesInWorkers, account

PAGES = 24
RUN = "stager-test"


@pytest.fixture(scope="module")
def fetched(tmp_path_factory) -> dict[str, list[dict]]:
    """Generated pages by source, each as a crawl hands it on (``process_page``'s keywords)."""
    root = tmp_path_factory.mktemp("stager") / "archive"
    fill_archive(root, PAGES)
    archive, pages = RawArchive(root), {}
    for entry in archive.latest_entries():
        config = load_source(entry.source)
        pages.setdefault(entry.source, []).append(archived_page(entry, archive.get(entry.content_hash), config))
    return pages


def staged(source: str, pages: list[dict], pool=None) -> RunLedger:
    """One crawl's ledger after handing on ``pages`` (collected as a crawl does: as it goes, then all)."""
    ledger = RunLedger(RUN, source)
    stager = PageStager(ledger, pool)
    for number, page in enumerate(pages):
        stager.stage(page)
        if number % 5 == 4:
            stager.collect()
    stager.collect(wait=True)
    assert not stager.pending
    return ledger


def test_pages_staged_on_the_pool_end_as_pages_staged_here_in_fetch_order(fetched):
    here = {source: account(staged(source, pages)) for source, pages in fetched.items()}
    with shared_pool(2) as pool:
        assert SHARED_POOL.get() is pool  # what a crawl task of the daily run finds
        pooled = {source: account(staged(source, pages)) for source, pages in fetched.items()}
    assert SHARED_POOL.get() is None
    assert pooled == here
    assert sum(len(urls) for *_rest, urls, _rows in here.values()) == PAGES
    for source, pages in fetched.items():
        assert here[source][4] == [page["url"] for page in pages]  # fetch order


def test_the_pool_starts_its_workers_before_the_first_page_comes():
    """Started with the run, beside the crawls' first requests: not at the first page, which
    then waited a second or more (the forkserver's imports) under the lock every crawl shares."""
    with shared_pool(2) as pool:
        deadline = time.monotonic() + 60
        while len(pool._processes) < 2 and time.monotonic() < deadline:  # the executor's own table
            time.sleep(0.05)
        assert len(pool._processes) == 2 and all(p.is_alive() for p in pool._processes.values())


def test_one_worker_setting_stages_in_this_process(fetched):
    with shared_pool(1) as pool:
        assert pool is None and SHARED_POOL.get() is None


def test_a_worker_that_dies_loses_no_page_and_the_crawl_is_told_once(fetched):
    source, pages = next((s, p) for s, p in fetched.items() if len(p) >= 4)
    expected = account(staged(source, pages))
    dying = [dict(page, config=DiesInWorkers(page["config"])) if i == 1 else page for i, page in enumerate(pages)]
    with shared_pool(2) as pool:
        ledger = staged(source, dying, pool)
    told = [e for e in ledger.errors if e["stage"] == "pool"]
    assert len(told) == 1 and "broke" in told[0]["error"], ledger.errors
    ledger.errors = [e for e in ledger.errors if e["stage"] != "pool"]
    ledger.counts.pop("pool_errors", None)
    assert account(ledger) == expected


def test_a_page_that_cannot_reach_a_worker_is_staged_here(fetched):
    source, pages = next(iter(fetched.items()))
    expected = account(staged(source, pages))
    unpicklable = replace(pages[0]["config"], title=lambda: "no lambda crosses a process boundary")
    odd = [dict(pages[0], config=unpicklable), *pages[1:]]
    with shared_pool(2) as pool:
        ledger = staged(source, odd, pool)
    told = [e for e in ledger.errors if e["stage"] == "pool"]
    assert len(told) == 1 and told[0]["url"] == pages[0]["url"], ledger.errors
    ledger.errors = [e for e in ledger.errors if e["stage"] != "pool"]
    ledger.counts.pop("pool_errors", None)
    assert account(ledger) == expected


HOLDS_A_POOL = """
import os, sys, time
from bulletins.pipeline.stager import shared_pool
with shared_pool(2) as pool:
    list(pool.map(abs, range(8)))  # the workers have started
    print(" ".join(str(pid) for pid in pool._processes), flush=True)
    time.sleep(600)
"""


def test_workers_exit_when_the_crawl_process_is_killed():
    """A SIGKILLed crawl leaves no worker behind (nor its stdout held open by one)."""
    import signal
    import subprocess
    import time

    from bulletins.pipeline.pool import _alive

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", HOLDS_A_POOL], cwd=root, stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(pid) for pid in proc.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
    assert proc.stdout.read() == ""  # end of file: no process holds the pipe any more
