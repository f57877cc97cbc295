"""The reprocess worker pool (bulletins.pipeline.pool) on real processes, without Prefect.

Chunks of a raw archive generated from the demo templates are staged in this process and
on a 2-process pool: the ledgers must be the same, chunk by chunk, in order. A worker that
dies mid-run (a real process exiting) must not lose a page: the rest is staged here and
the run is told. A chunk that cannot be sent to a worker fails its own pages only.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from _generate import fill_archive
from bulletins.crawl.archive import RawArchive
from bulletins.crawl.sources import load_source
from bulletins.pipeline.pool import IN_FLIGHT_PER_WORKER, chunks, staged_chunks

PAGES = 30
CHUNK = 1
RUN = "pool-test"
TEST_PROCESS = os.getpid()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """A raw archive of PAGES generated pages (all three demo templates), one blob corrupted."""
    root = tmp_path_factory.mktemp("pool") / "archive"
    fill_archive(root, PAGES)
    first = RawArchive(root).latest_entries()[5]
    RawArchive(root).path_for(first.content_hash).write_bytes(b"not what was archived")
    return root


def pieces(archive: Path, config_of=load_source) -> list[tuple]:
    """(config, entries) chunks of CHUNK pages, sources in name order."""
    grouped: dict[str, list] = {}
    for entry in RawArchive(archive).latest_entries():
        grouped.setdefault(entry.source, []).append(entry)
    return [(config_of(name), entries) for name, entries in chunks(grouped, CHUNK)]


def account(ledger) -> tuple:
    """What a chunk's ledger holds, comparable across processes."""
    return (
        ledger.source,
        dict(ledger.counts),
        ledger.errors,
        ledger.outcomes,
        ledger.page_urls,
        [page.rows for page in ledger.pages],
    )


def test_a_two_process_pool_stages_what_one_process_stages_in_the_same_order(archive):
    work = pieces(archive)
    here = [account(ledger) for ledger in staged_chunks(RUN, str(archive), work, workers=1)]
    pooled = [account(ledger) for ledger in staged_chunks(RUN, str(archive), work, workers=2)]
    assert len(here) == len(work) > 2 * IN_FLIGHT_PER_WORKER  # more chunks than the pool keeps in flight
    assert pooled == here
    staged = sum(len(urls) for _source, _counts, _errors, _outcomes, urls, _rows in here)
    assert staged == PAGES - 1
    archive_errors = [e for chunk in here for e in chunk[2] if e["stage"] == "archive"]
    assert len(archive_errors) == 1 and "hash" in archive_errors[0]["error"].lower()


@dataclass(frozen=True)
class DiesInWorkers:
    """A source config whose name cannot be read in any process but the test's: the worker exits."""

    config: object

    @property
    def name(self) -> str:
        if os.getpid() != TEST_PROCESS:
            os._exit(17)  # a worker killed: no exception, no result, the process is gone
        return self.config.name

    def __getattr__(self, item):
        return getattr(self.config, item)


def test_a_worker_that_dies_loses_no_page_and_the_run_is_told(archive):
    work = pieces(archive)
    expected = [account(ledger) for ledger in staged_chunks(RUN, str(archive), work, workers=1)]
    dying = [
        (DiesInWorkers(config), entries) if i == 3 else (config, entries) for i, (config, entries) in enumerate(work)
    ]
    got = list(staged_chunks(RUN, str(archive), dying, workers=2))
    pool_errors = [e for ledger in got for e in ledger.errors if e["stage"] == "pool"]
    assert len(pool_errors) == 1 and "worker pool broke" in pool_errors[0]["error"]
    for ledger in got:
        ledger.errors = [e for e in ledger.errors if e["stage"] != "pool"]
        ledger.counts.pop("pool_errors", None)
    assert [account(ledger) for ledger in got] == expected


def test_a_chunk_that_cannot_reach_a_worker_fails_its_own_pages_only(archive):
    work = pieces(archive)
    expected = [account(ledger) for ledger in staged_chunks(RUN, str(archive), work, workers=1)]
    config, entries = work[2]
    unpicklable = replace(config, title=lambda: "no lambda crosses a process boundary")
    work[2] = (unpicklable, entries)
    got = list(staged_chunks(RUN, str(archive), work, workers=2))
    failed = got[2]
    assert failed.page_urls == [] and [o["url"] for o in failed.outcomes] == [e.url for e in entries]
    assert {o["state"] for o in failed.outcomes} == {"failed"}
    assert all(e["stage"] == "stage" and "pickle" in e["error"].lower() for e in failed.errors)
    assert [account(ledger) for i, ledger in enumerate(got) if i != 2] == [
        chunk for i, chunk in enumerate(expected) if i != 2
    ]
