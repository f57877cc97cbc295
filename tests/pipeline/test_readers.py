"""Analysts read while the pipeline writes: nobody waits, nobody fails, every view is consistent.

The daily crawl runs while one analyst process holds a read-only connection to the analysts'
file the whole time and another opens, queries and closes it every half second. The crawl
must succeed, no reader may fail, the held connection must keep the state it opened (the
previous run's, whole), and a connection opened afterwards must see the new rows.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from flows.daily import daily_crawl
from flows.demo import demo_sources
from warehouse.publish import working_path

pytestmark = pytest.mark.integration

COUNTS = "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM indicators), (SELECT count(*) FROM runs)"

# An analyst's notebook: one read-only connection held until stdin closes. It answers each
# line it reads with the counts it sees, so the test can ask before, during and after.
HOLDER = textwrap.dedent(f"""
    import duckdb, json, sys
    con = duckdb.connect(sys.argv[1], read_only=True)
    for _ in sys.stdin:
        print(json.dumps(con.execute({COUNTS!r}).fetchone()), flush=True)
""")

# Other analysts: open, query, close every half second until stdin closes; report failures.
POLLER = textwrap.dedent(f"""
    import duckdb, json, sys, threading, time
    stop, seen, failures = threading.Event(), [], []
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    while not stop.is_set():
        try:
            con = duckdb.connect(sys.argv[1], read_only=True)
            seen.append(con.execute({COUNTS!r}).fetchone())
            con.close()
        except Exception as exc:
            failures.append(repr(exc))
        time.sleep(0.5)
    print(json.dumps({{"queries": len(seen), "failures": failures, "seen": seen}}), flush=True)
""")


def ask(holder: subprocess.Popen) -> list[int]:
    """The counts the holder's long-lived connection sees now."""
    holder.stdin.write("?\n")
    holder.stdin.flush()
    return json.loads(holder.stdout.readline())


def test_readers_hold_and_poll_through_a_daily_crawl(private_demo_site, data_dir):
    site = private_demo_site.site
    first_day = min(min(site.dates(s)) for s in {e.site for e in site.entries})
    site.publish_until(first_day)
    daily_crawl(sources=demo_sources(), base_url=private_demo_site, **data_dir.flow_kwargs())
    old = data_dir.rows(COUNTS)[0]
    assert old[0] > 0

    site.publish_all()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir.db)], text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    poller = subprocess.Popen(
        [sys.executable, "-c", POLLER, str(data_dir.db)], text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert ask(holder) == list(old)
        summary = daily_crawl(sources=demo_sources(), base_url=private_demo_site, **data_dir.flow_kwargs())
        during = ask(holder)
        poller.stdin.close()
        polled = json.loads(poller.stdout.readline())
    finally:
        for proc in (holder, poller):
            proc.kill()
            proc.wait()

    assert summary["failed_sources"] == []
    assert polled["failures"] == [] and polled["queries"] >= 2
    assert during == list(old), "the held connection keeps the state it opened"
    new = data_dir.rows(COUNTS)[0]
    assert new[0] > old[0] and new[1] > old[1] and new[2] > old[2]
    # Every state a poller saw is one the pipeline published: documents never go down.
    documents_seen = [row[0] for row in polled["seen"]]
    assert documents_seen == sorted(documents_seen)
    assert old[0] <= documents_seen[0] and documents_seen[-1] <= new[0]


def test_the_pipeline_file_is_not_the_analysts_file(data_dir, private_demo_site):
    daily_crawl(sources=demo_sources(), base_url=private_demo_site, **data_dir.flow_kwargs())
    working = working_path(data_dir.db)
    assert working.exists() and data_dir.db.exists() and working != data_dir.db
    # The published copy is a whole, checkpointed database: no write-ahead log beside it.
    assert not data_dir.db.with_name(data_dir.db.name + ".wal").exists()
