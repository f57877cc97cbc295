"""What the fetcher's defences cost and how fast they stop a hostile server; prints figures.

    .venv/bin/python benchmarks/fetch_hostile_bench.py

- a gzip body that inflates to 1 GiB: wire bytes read, time to the too_large verdict, RSS growth;
- headers dripped a byte every 0.25 s: time until the watchdog cuts the request (deadline 2 s);
- decode_html on a 1 MB GBK page (strict decode + plausibility check) and on Big5 bytes under a gb2312 meta;
- canonical(): URLs per second.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bulletins.crawl.encoding import decode_html
from bulletins.crawl.fetcher import PoliteFetcher
from bulletins.crawl.politeness import Politeness
from bulletins.crawl.sources import parse_source
from bulletins.crawl.urls import canonical
from demo.httpd import RouteServer
from tests.crawl.conftest import site_raw
from tests.hostile.servers import DripHead, GzipBomb

MANNERS = Politeness(requests_per_second=0, obey_robots=False, max_retries=0, deadline=2.0, read_timeout=5.0)
PARA = "前三季度，临川市地区生产总值增长6.1%，一般公共预算收入88.2亿元，同比增长4.3%。"
TRAD = "臺南縣政府於本週召開會議，研議經濟發展與財政收支等議題，全年預算總額達一千二百億元。"


def _rss_mb() -> float:
    """Peak resident set size of this process, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fetch(server: RouteServer, path: str):
    """One fetch of ``path`` with the default cap (10 MB) and a 2 s deadline; (result, seconds)."""
    config = parse_source(site_raw(), "test_site.yaml", "test_site", base_url=server.base_url)
    with PoliteFetcher(config, None, politeness=MANNERS) as fetcher:
        started = time.perf_counter()
        result = fetcher.fetch(server.url(path))
        return result, time.perf_counter() - started


def bomb() -> None:
    """A 1 GiB gzip body."""
    with RouteServer() as server:
        response = GzipBomb(1024 * 1024 * 1024)
        server.route("/bomb.html", response)
        before = _rss_mb()
        result, seconds = _fetch(server, "/bomb.html")
        print(
            f"gzip of 1 GiB      : {result.outcome} after {seconds:.3f} s; server had sent "
            f"{response.wire_sent:,} compressed bytes; peak RSS grew {_rss_mb() - before:.1f} MB "
            f"(cap {MANNERS.max_bytes:,} decoded bytes)"
        )


def slow_headers() -> None:
    """Headers dripped a byte every 0.25 s (the whole head would take ~70 s)."""
    with RouteServer() as server:
        server.route("/slow.html", DripHead(0.25))
        result, seconds = _fetch(server, "/slow.html")
        print(f"dripped headers    : {result.outcome} after {seconds:.2f} s (deadline {MANNERS.deadline} s)")


def decoding() -> None:
    """decode_html on big pages: the plausibility check's cost."""
    gbk = ("<html><head><meta charset='gb2312'></head><body>" + f"<p>{PARA}</p>" * 12_000 + "</body></html>").encode(
        "gbk"
    )
    big5 = ("<html><head><meta charset='gb2312'></head><body>" + f"<p>{TRAD}</p>" * 12_000 + "</body></html>").encode(
        "big5"
    )
    for name, body in (("GBK page", gbk), ("Big5 under gb2312", big5)):
        runs = 5
        started = time.perf_counter()
        for _ in range(runs):
            decoded = decode_html(body, "text/html")
        per = (time.perf_counter() - started) / runs
        print(
            f"decode {name:<18}: {len(body) / 1e6:.2f} MB in {per * 1000:.0f} ms -> {decoded.encoding} "
            f"({decoded.source}{', lossy' if decoded.lossy else ''})"
        )


def canonicalising() -> None:
    """canonical() over article links: plainly spelt (the fast path), and spelt every odd way."""
    plain = [f"https://www.example.gov.cn/xxgk/dtxx/jrhy/2023{n:04d}/i{n}.html" for n in range(20_000)]
    odd = [
        f"HTTP://WWW.Example.gov.cn:80/xxgk/dtxx/jrhy/2023{n:04d}/i{n}.html?utm_source=wx&id={n}#c"
        for n in range(20_000)
    ]
    for name, links in (("plain links", plain), ("odd spellings", odd)):
        started = time.perf_counter()
        for link in links:
            canonical(link)
        seconds = time.perf_counter() - started
        print(f"canonical() {name:<14}: {len(links) / seconds:,.0f} URLs/s")


if __name__ == "__main__":
    bomb()
    slow_headers()
    decoding()
    canonicalising()
