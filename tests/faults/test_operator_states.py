"""Silence means healthy: each way a source can need an operator, as the operator meets it.

One row per case. Each row sets up sources on a real HTTP server on 127.0.0.1 (or none at
all), runs the real ``bulletins crawl`` command (in this process, its flows reporting to
the session's Prefect server) into a real DuckDB file, with a real webhook receiver as the
alert hook, and asserts: the Prefect state the run ended in, the command's exit code, the
alerts received (how many in all, and the source each names), and what landed in DuckDB.
"""

from __future__ import annotations

import json
import resource
import signal
import socket
import textwrap
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb
import pytest
from prefect.client.orchestration import get_client

from bulletins.cli import main
from demo.httpd import Page, Status
from tests.faults.conftest import LIST_PAGE, SOURCE_YAML, article_html, big_article, good_article
from warehouse.publish import working_path


def scalar(db: Path, sql: str, params: list | None = None):
    """The single value of a query on the DuckDB file ``db``, opened read-only."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()[0]
    finally:
        con.close()


def flow_state(db: Path, flow: str) -> str:
    """The Prefect state name of the latest run of ``flow`` (its runs row is keyed by the flow run id)."""
    run_id = scalar(db, "SELECT run_id FROM runs WHERE flow = ? ORDER BY started_at DESC LIMIT 1", [flow])
    with get_client(sync_client=True) as client:
        return client.read_flow_run(run_id).state.name


def documents(db: Path, source: str) -> int:
    """Documents of ``source`` in the warehouse file ``db``."""
    return scalar(db, "SELECT count(*) FROM documents WHERE source = ?", [source])


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_source(warehouse, name: str, base: str, host: str) -> None:
    """sources/NAME.yaml for a site at ``base`` (which may not exist), the fault suite's manners."""
    text = SOURCE_YAML.format(
        name=name, base=base, host=host, encoding="utf-8", timeout=1.0, max_bytes=1_000_000, retries=1, body="#body"
    )
    (warehouse.sources / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


def healthy(site, name: str = "good"):
    """A source with two good articles."""
    return site(name).publish({n: good_article(n) for n in (1, 2)}).write_config()


# --- the cases: each sets its sources up and says which command to run -------------------


def site_down(site, warehouse, web) -> list[str]:
    """Connection refused: nothing listens where the source points."""
    port = free_port()
    write_source(warehouse, "down", f"http://127.0.0.1:{port}", f"127.0.0.1:{port}")
    return ["crawl", "down"]


def dns_failure(site, warehouse, web) -> list[str]:
    """The host name does not resolve (.invalid never does)."""
    write_source(warehouse, "nohost", "http://bulletins-test.invalid", "bulletins-test.invalid")
    return ["crawl", "nohost"]


def every_page_5xx(site, warehouse, web) -> list[str]:
    """The server answers 503 to everything, list page included."""
    s = site("busy").write_config()
    for path in ("/busy/index.html", s.path(1)):
        web.route(path, Status(503))
    return ["crawl", "busy"]


def robots_unreachable(site, warehouse, web) -> list[str]:
    """robots.txt answers 503: the site's rules cannot be read, so nothing is fetched."""
    healthy(site, "norobots")
    web.route("/robots.txt", Status(503))
    return ["crawl", "norobots"]


BROKEN_LIST = LIST_PAGE.format(items="".join(f'<li><a href="a/{n}.html">第{n}篇</a></li>' for n in (2, 1)))


def selector_broken(site, warehouse, web) -> list[str]:
    """A first run on a site whose list moved to <ul class="news">: the links selector finds nothing."""
    site("moved").publish({n: good_article(n) for n in (1, 2)}).write_config()
    web.route("/moved/index.html", Page(BROKEN_LIST.replace('class="list"', 'class="news"').encode("utf-8")))
    return ["crawl", "moved"]


def malformed_yaml(site, warehouse, web) -> list[str]:
    """A file that is not YAML beside a good source: the daily crawl of every source."""
    healthy(site)
    (warehouse.sources / "bad.yaml").write_text("name: bad\nlist: [unclosed\n", encoding="utf-8")
    return ["crawl"]


def wrong_key_type(site, warehouse, web) -> list[str]:
    """A key of the wrong type (max_pages: a word) beside a good source."""
    healthy(site)
    s = site("typo").publish({1: good_article(1)}).write_config()
    path = warehouse.sources / f"{s.name}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("max_pages: 3", "max_pages: three"), encoding="utf-8")
    return ["crawl"]


def quarantining(site, warehouse, web) -> list[str]:
    """An article dated 2203 (a typo on the page): its rows are held in quarantine."""
    future = Page(article_html("第1篇 全市经济运行情况通报", ["这是正文。"], published="2203-07-28 10:12:00"))
    site("typos").publish({1: future, 2: good_article(2)}).write_config()
    return ["crawl", "typos"]


def nothing_new(site, warehouse, web) -> list[str]:
    """A healthy source crawled once already: today it has nothing new."""
    healthy(site, "quiet")
    assert main(["crawl", "quiet"]) == 0
    return ["crawl", "quiet"]


def disk_full(site, warehouse, web) -> list[str]:
    """Crawled once; three new pages of 300 KB, and the disk fills as the run publishes their load."""
    s = site("full").publish({1: good_article(1)}).write_config(max_bytes=5_000_000)
    assert main(["crawl", "full"]) == 0
    s.publish({1: good_article(1), **{n: big_article(n) for n in (2, 3, 4)}})
    return ["crawl", "full"]


@contextmanager
def no_room_to_checkpoint(warehouse):
    """Files may grow 100 KB past the working file's size: room for the run's log, not for its checkpoint.

    A write past the limit fails with EFBIG (SIGXFSZ ignored), as one on a full disk fails with ENOSPC.
    """
    limit = working_path(warehouse.db).stat().st_size + 100_000
    before, handler = resource.getrlimit(resource.RLIMIT_FSIZE), signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, before[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, before)
        signal.signal(signal.SIGXFSZ, handler)


def damaged_archive(site, warehouse, web) -> list[str]:
    """Crawled once; then two of its three archived pages are damaged (one truncated, one overwritten)."""
    site("kept").publish({n: good_article(n) for n in (1, 2, 3)}).write_config()
    assert main(["crawl", "kept"]) == 0
    manifest = (warehouse.archive / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    hashes = [entry["content_hash"] for entry in map(json.loads, manifest) if entry["kind"] == "article"]
    truncated, overwritten = (warehouse.archive / "objects" / h[:2] / h[2:] for h in hashes[:2])
    truncated.write_bytes(truncated.read_bytes()[:100])
    overwritten.write_bytes(b"<html><body>someone else's page</body></html>")
    return ["reprocess", "--source", "kept", "--workers", "1"]


@dataclass(frozen=True)
class Case:
    """One way things go, and what the operator must see."""

    name: str
    setup: Callable[..., list[str]]
    flow: str  # the flow whose Prefect state is read
    state: str  # the state it ends in
    exit_code: int
    alerted: tuple[str, ...]  # the sources the alerts name, one alert each
    loaded: dict[str, int]  # documents per source in DuckDB afterwards
    says: str = ""  # a phrase of the failed run's one-line message (runs.message)
    during: Callable = nullcontext  # around the command: the conditions it meets (given the warehouse)
    published: bool = True  # False: read the pipeline's own file (the analysts' copy could not be published)


CASES = [
    Case("site down", site_down, "crawl-source", "Failed", 1, ("down",), {"down": 0}, "list pages unreadable"),
    Case("DNS failure", dns_failure, "crawl-source", "Failed", 1, ("nohost",), {"nohost": 0}, "list pages unreadable"),
    Case("every page 5xx", every_page_5xx, "crawl-source", "Failed", 1, ("busy",), {"busy": 0}, "503"),
    Case(
        "robots.txt unreachable",
        robots_unreachable,
        "crawl-source",
        "Failed",
        1,
        ("norobots",),
        {"norobots": 0},
        "robots",
    ),
    Case(
        "selector broken, first run",
        selector_broken,
        "crawl-source",
        "Failed",
        1,
        ("moved",),
        {"moved": 0},
        "selector links.selector 'ul.list li a' found nothing",
    ),
    Case(
        "malformed YAML beside good ones",
        malformed_yaml,
        "daily-crawl",
        "Failed",
        1,
        ("bad",),
        {"good": 2, "bad": 0},
        "1 of 2 sources failed: bad",
    ),
    Case(
        "a wrong key type",
        wrong_key_type,
        "daily-crawl",
        "Failed",
        1,
        ("typo",),
        {"good": 2, "typo": 0},
        "1 of 2 sources failed: typo",
    ),
    Case(
        "a quarantining batch",
        quarantining,
        "crawl-source",
        "Failed",
        1,
        ("typos",),
        {"typos": 1},
        "row(s) quarantined",
    ),
    Case("nothing new", nothing_new, "crawl-source", "Completed", 0, (), {"quiet": 2}),
    Case(
        "disk full at the publish checkpoint",
        disk_full,
        "crawl-source",
        "Failed",
        1,
        ("full",),
        {"full": 4},  # committed to the write-ahead log before the checkpoint failed: kept, once each
        "disk full while publishing",
        during=no_room_to_checkpoint,
        published=False,
    ),
    Case(
        "a damaged archive, reprocessed",
        damaged_archive,
        "reprocess",
        "Failed",
        1,
        ("kept",),
        {"kept": 3},  # the intact page reloaded; the damaged pages keep the rows they had
        "archive damaged: 2 archived page(s) unreadable",
    ),
]


# The first count each flow's alerts show.
COUNTED = {"crawl-source": "requests", "daily-crawl": "requests", "reprocess": "pages"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_what_the_operator_sees(case, site, warehouse, web, webhook, capsys):
    argv = case.setup(site, warehouse, web)
    capsys.readouterr()
    with case.during(warehouse):
        assert main(argv) == case.exit_code
    db = warehouse.db if case.published else working_path(warehouse.db)
    assert flow_state(db, case.flow) == case.state
    texts = [r["text"] for r in webhook.requests]
    assert len(texts) == len(case.alerted), texts
    for source, text in zip(case.alerted, texts):
        assert f"source {source} failed" in text and f"counts: {COUNTED[case.flow]}" in text, text
    for source, n in case.loaded.items():
        assert documents(db, source) == n, source
    message = scalar(db, "SELECT message FROM runs WHERE flow = ? ORDER BY started_at DESC LIMIT 1", [case.flow])
    assert case.says in message, message
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith(argv[0])]
    if case.state == "Failed":  # one line on stderr naming the failed source
        assert len(said) == 1 and " failed: " in said[0] and case.alerted[0] in said[0], said
    else:
        assert said == []


def test_a_broken_selector_alerts_once_stays_failed_and_recovers(site, warehouse, web, webhook):
    """Run 1 alerts; runs 2-8 stay Failed without a new alert the same day; run 9, repaired, completes."""
    argv = selector_broken(site, warehouse, web)
    for run in range(1, 9):
        assert main(argv) == 1, run
        assert flow_state(warehouse.db, "crawl-source") == "Failed"
    assert len(webhook.requests) == 1 and "source moved failed" in webhook.requests[0]["text"]
    assert warehouse.scalar("SELECT count(*) FROM runs WHERE source = 'moved' AND status = 'failed'") == 8
    assert documents(warehouse.db, "moved") == 0

    site("moved").publish({n: good_article(n) for n in (1, 2)})  # the source file is fixed to the new list
    assert main(argv) == 0
    assert flow_state(warehouse.db, "crawl-source") == "Completed"
    assert len(webhook.requests) == 1 and documents(warehouse.db, "moved") == 2


def test_a_source_still_failing_is_reminded_after_a_day(site, warehouse, web, webhook):
    """The reminder policy: once a day while a source stays failed (yesterday's alert is moved back a day)."""
    argv = site_down(site, warehouse, web)
    assert main(argv) == 1 and len(webhook.requests) == 1
    from warehouse.db import connect

    con = connect(warehouse.db)  # the pipeline's working file: yesterday's alert, as if a day had passed
    con.execute("UPDATE runs SET finished_at = finished_at - INTERVAL 25 HOUR WHERE source = 'down'")
    con.close()
    assert main(argv) == 1 and len(webhook.requests) == 2
    assert main(argv) == 1 and len(webhook.requests) == 2
