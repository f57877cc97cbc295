"""Benchmark: the daily crawl of many polite sources side by side, against the slowest one alone.

``--sources`` sites, each on a loopback host of its own (127.0.0.2, 127.0.0.3, …: all this
machine), each publishing one list page of ``--pages`` new articles and asking, through its
source file, for ``--rate`` requests a second (concurrency 1, robots.txt obeyed). The sites
run in a process of their own, as remote sites would (``--sites-in this-process`` serves
them from the crawl's own process instead, where their serving competes with the crawl for
one interpreter lock). Printed:

1. a few sources crawled alone, one after the other, each into a fresh warehouse: the
   slowest of them is "the slowest single source" (every site has the same shape); then the
   first of them alone again, nothing new;
2. the daily crawl of all the sources into a fresh warehouse, side by side
   (``BULLETINS_CRAWL_CONCURRENCY``, default 64), ``--repeat`` times, and its ratio to (1);
3. the daily crawl again, nothing new.

Under each daily run, what explains its time: when the sources' crawls started, fetched
their last page and finished (seconds after the run started, from ``runs`` and
``fetch_log``), the one writer's rounds (batches gated together, seconds in the GX gate, in
the loads, in publishing the analysts' copy), the Data Docs built once at the end, and how
busy the machine's CPUs were.

    .venv/bin/python benchmarks/concurrent_crawl_bench.py --sources 50 --pages 20 --rate 2
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from demo.httpd import Page, RouteServer  # noqa: E402

SOURCE = """\
name: {name}
title: benchmark site {name}
enabled: true
base_url: {base}/news/
encoding: utf-8
allowed_hosts: [{host}]
politeness:
  requests_per_second: {rate}
  concurrency: 1
  timeout: 10
  retries: 1
  obey_robots: true
list:
  start_urls: [index.html]
  max_pages: 1
links:
  selector: "ul.list li a"
  href_pattern: '/news/a/\\d+\\.html$'
article:
  title: ["h1"]
  published:
    - meta: PubDate
  body: ["#body"]
"""

# An invented bulletin: one meeting and a few figures per page, as real ones carry.
ARTICLE = """<html><head><meta charset="utf-8"><meta name="PubDate" content="2024-05-{day:02d} 09:00">
<title>示范市第{n}次常务会议</title></head><body><h1>示范市第{n}次常务会议召开</h1><div id="body">
<p>5月{day}日,示范市政府召开第{n}次常务会议。市委副书记、市长王明主持会议并讲话。</p>
<p>1-4月,全市规模工业增加值增长6.{n}%,固定资产投资增长8.{n}%,社会消费品零售总额12{n}.5亿元。</p>
</div></body></html>"""


def serve(index: int, pages: int) -> RouteServer:
    """One site on 127.0.0.(index+2): a list page and ``pages`` articles."""
    server = RouteServer(host=f"127.0.0.{index + 2}").__enter__()
    items = "".join(f'<li><a href="a/{n}.html">第{n}次常务会议</a></li>' for n in range(pages, 0, -1))
    server.route("/news/index.html", Page(f'<html><body><ul class="list">{items}</ul></body></html>'.encode()))
    for n in range(1, pages + 1):
        server.route(f"/news/a/{n}.html", Page(ARTICLE.format(n=n, day=1 + n % 28).encode("utf-8")))
    return server


def serve_all(count: int, pages: int, addresses, stop) -> None:
    """Serve ``count`` sites until ``stop`` is set; their base URLs sent on ``addresses`` first."""
    servers = [serve(i, pages) for i in range(count)]
    try:
        addresses.send([server.base_url for server in servers])
        stop.wait()
    finally:
        for server in servers:
            server.__exit__(None, None, None)


@contextmanager
def sites(count: int, pages: int, own_process: bool) -> Iterator[list[str]]:
    """The sites' base URLs while they are served: from a process of their own (forked before
    Prefect is imported), or from this one."""
    if not own_process:
        servers = [serve(i, pages) for i in range(count)]
        try:
            yield [server.base_url for server in servers]
        finally:
            for server in servers:
                server.__exit__(None, None, None)
        return
    context = multiprocessing.get_context("fork")
    (receive, send), stop = context.Pipe(duplex=False), context.Event()
    child = context.Process(target=serve_all, args=(count, pages, send, stop), name="benchmark-sites", daemon=True)
    child.start()
    try:
        yield receive.recv()
    finally:
        stop.set()
        child.join(10)


def write_sources(folder: Path, base_urls: list[str], rate: float) -> list[str]:
    """One source file per site; their names."""
    names = []
    for i, base in enumerate(base_urls):
        name = f"site{i:03d}"
        host = base.split("://", 1)[1]
        (folder / f"{name}.yaml").write_text(
            SOURCE.format(name=name, base=base, host=host, rate=rate), encoding="utf-8"
        )
        names.append(name)
    return names


def cpu_ticks() -> tuple[int, int]:
    """(all, idle) CPU ticks of the machine so far (``/proc/stat``; zeros where there is none)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(x) for x in stat.readline().split()[1:]]
    except OSError:
        return 0, 0
    return sum(ticks), ticks[3] + ticks[4]  # idle + iowait


def last_summary(db: str, flow: str) -> dict:
    """The summary the warehouse recorded for the latest run of ``flow`` (a failed run's too)."""
    import duckdb

    con = duckdb.connect(db, read_only=True)
    try:
        row = con.execute("SELECT summary FROM runs WHERE flow = ? ORDER BY started_at DESC LIMIT 1", [flow]).fetchone()
    finally:
        con.close()
    return json.loads(row[0]) if row and row[0] else {}


def spread(values: list[float]) -> str:
    """min / median / max of some seconds."""
    ordered = sorted(values)
    return f"{ordered[0]:.1f} / {ordered[len(ordered) // 2]:.1f} / {ordered[-1]:.1f}" if ordered else "-"


def explain_daily(db: str) -> None:
    """When the latest daily run's sources started, last fetched and finished; its writer's account."""
    import duckdb

    con = duckdb.connect(db, read_only=True)
    try:
        started, finished, summary = con.execute(
            "SELECT started_at, finished_at, summary FROM runs WHERE flow = 'daily-crawl' ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
        runs = con.execute(
            "SELECT r.started_at, r.finished_at, max(f.requested_at) FROM runs r LEFT JOIN fetch_log f USING (run_id) "
            "WHERE r.flow = 'crawl-source' AND r.started_at BETWEEN ? AND ? GROUP BY ALL",
            [started, finished],
        ).fetchall()
    finally:
        con.close()
    after = lambda stamp: (stamp - started).total_seconds()  # noqa: E731 - seconds into the run
    print(f"    sources started     (s into the run, min / median / max) {spread([after(r[0]) for r in runs])}")
    print(f"    last request sent   {spread([after(r[2]) for r in runs if r[2]]):>44}")
    print(f"    source run finished {spread([after(r[1]) for r in runs if r[1]]):>44}")
    writer = json.loads(summary).get("writer", {})
    print(
        f"    one writer: {writer.get('rounds', 0)} rounds of {writer.get('batches', [])} batches; "
        f"gate {writer.get('gate_seconds', 0):.1f} s, loads {writer.get('load_seconds', 0):.1f} s, "
        f"publish {writer.get('after_seconds', 0):.1f} s; Data Docs once "
        f"{json.loads(summary).get('data_docs_seconds', 0):.1f} s",
        flush=True,
    )


def timed(label: str, fn, db: str, flow: str) -> tuple[float, dict]:
    """Run ``fn`` (its own state returned, never raised); print and return its wall time and summary."""
    ticks, started = cpu_ticks(), time.perf_counter()
    fn()
    seconds = time.perf_counter() - started
    (total, idle), summary = [a - b for a, b in zip(cpu_ticks(), ticks)], last_summary(db, flow)
    busy = f"CPUs {100 * (1 - idle / total):3.0f}% busy" if total else ""
    print(
        f"{label:<44} {seconds:>7.1f} s  requests {summary.get('requests', 0):>5}  fetched "
        f"{summary.get('fetched', 0):>5}  rows {summary.get('rows_loaded', 0):>6}  "
        f"failed {summary.get('failed_sources', [])}  {busy}",
        flush=True,
    )
    return seconds, summary


def main() -> int:
    """Serve the sites, crawl a few alone, then all at once (``--repeat`` times), then all again with nothing new."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--rate", type=float, default=2.0, help="requests per second each site asks for")
    parser.add_argument("--alone", type=int, default=3, help="sources timed alone")
    parser.add_argument("--repeat", type=int, default=1, help="daily crawls of new pages, each into a fresh warehouse")
    parser.add_argument("--sites-in", choices=("own-process", "this-process"), default="own-process")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="concurrent-crawl-bench-"))
    (folder / "sources").mkdir()
    os.environ.update(
        BULLETINS_SOURCES=str(folder / "sources"), BULLETINS_REPORTS=str(folder / "reports"), BULLETINS_DATA=str(folder)
    )
    with sites(args.sources, args.pages, args.sites_in == "own-process") as base_urls:
        names = write_sources(folder / "sources", base_urls, args.rate)
        measure(args, folder, names)
    print(f"warehouses and archives left in {folder}")
    return 0


def measure(args: argparse.Namespace, folder: Path, names: list[str]) -> None:
    """The runs alone, the daily runs, and what they come to."""
    from prefect import flow

    from bulletins import settings
    from flows.crawl import crawl_source
    from flows.daily import daily_crawl

    flow(name="warm-up")(lambda: None)()  # starts the local Prefect server before any timing
    print(
        f"{args.sources} sites x {args.pages} pages at {args.rate} requests/s each, served from "
        f"{args.sites_in.replace('-', ' ')}; crawl concurrency {settings.crawl_concurrency()}; cpus={os.cpu_count()}",
        flush=True,
    )

    def alone(name: str, label: str) -> float:
        db = str(folder / f"alone-{name}.duckdb")
        run = lambda: crawl_source(name, db_path=db, archive_root=str(folder / "archive-alone"), return_state=True)  # noqa: E731
        return timed(label, run, db, "crawl-source")[0]

    singles = [alone(name, f"{name} alone") for name in names[: args.alone]]
    alone_quiet = alone(names[0], f"{names[0]} alone again, nothing new")
    dailies = []
    for number in range(args.repeat):
        db = str(folder / f"daily-{number}.duckdb")
        kwargs = {"db_path": db, "archive_root": str(folder / f"archive-{number}"), "return_state": True}
        dailies.append(
            timed(
                f"daily crawl of {args.sources} sources",
                lambda kw=kwargs: daily_crawl(sources=names, **kw),
                db,
                "daily-crawl",
            )[0]
        )
        explain_daily(db)
    quiet, _ = timed("daily crawl again, nothing new", lambda: daily_crawl(sources=names, **kwargs), db, "daily-crawl")
    explain_daily(db)
    slowest, daily = max(singles), statistics.median(dailies)
    print(f"nothing new: daily / one source alone = {quiet:.1f} / {alone_quiet:.1f} = {quiet / alone_quiet:.2f}")
    print(
        f"daily / slowest single = {daily:.1f} / {slowest:.1f} = {daily / slowest:.2f} (the median of "
        f"{len(dailies)} daily runs, {' '.join(f'{d:.1f}' for d in dailies)} s; against the median single "
        f"{statistics.median(singles):.1f} s: {daily / statistics.median(singles):.2f}; the sum of singles would be "
        f"about {slowest * args.sources:.0f} s)"
    )


if __name__ == "__main__":
    sys.exit(main())
