"""Benchmark: what generic extraction costs a page, on top of the parse the crawl does anyway.

For each set of pages (the demo site's three templates; the real pages of
../shared/real-pages when present) it prints milliseconds a page (each page's fastest of
--repeat runs), the median and the max over the pages, and the load average:

- ``parse``: decode + BeautifulSoup/lxml tree of the whole page (what generic reads from);
- ``generic``: ``bulletins.crawl.generic.extract`` on that tree (the target: <= 10 ms), wall
  time and CPU time (the process's own: waiting for a core is not counted);
- ``parse_page generic``: the whole ``parse_page`` of a source without selectors;
- ``parse_page selectors``: the whole ``parse_page`` with the source's selectors (demo only).

    .venv/bin/python benchmarks/generic_bench.py [--repeat 5] [--pages ../shared/real-pages]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402

from bulletins.crawl import generic  # noqa: E402
from bulletins.crawl.check import generic_config  # noqa: E402
from bulletins.crawl.encoding import decode_html  # noqa: E402
from bulletins.crawl.parse import parse_page  # noqa: E402
from bulletins.crawl.sources import ArticleRules, load_source  # noqa: E402
from demo.site import DemoSite  # noqa: E402


def _ms(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` calls, in milliseconds: as timeit does, the run least slowed
    by the other processes sharing the cores (this machine's load is often 5-10)."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return min(runs)


def _cpu_ms(fn: Callable[[], object], repeat: int) -> float:
    """CPU milliseconds a call (process time, which waiting for a core does not count)."""
    start = time.process_time()
    for _ in range(repeat):
        fn()
    return (time.process_time() - start) * 1000 / repeat


def measure(pages: list[tuple[str, bytes, dict, object]], repeat: int) -> dict[str, list[float]]:
    """Per-page timings of each step, by step name."""
    out: dict[str, list[float]] = {
        "parse": [],
        "generic": [],
        "generic, CPU time": [],
        "parse_page generic": [],
        "parse_page selectors": [],
    }
    for url, raw, headers, config in pages:
        html = decode_html(raw, headers.get("Content-Type")).text
        soup = BeautifulSoup(html, "lxml")
        out["parse"].append(_ms(lambda: BeautifulSoup(html, "lxml"), repeat))
        out["generic"].append(_ms(lambda: generic.extract(soup, url), repeat))
        out["generic, CPU time"].append(_cpu_ms(lambda: generic.extract(soup, url), repeat))
        bare = generic_config(url) if config is None else dataclasses.replace(config, article=ArticleRules())
        out["parse_page generic"].append(_ms(lambda: parse_page(raw, url, bare, headers), repeat))
        if config is not None:
            out["parse_page selectors"].append(_ms(lambda: parse_page(raw, url, config, headers), repeat))
    return out


def demo_pages(per_template: int) -> list[tuple[str, bytes, dict, object]]:
    """The first pages of each demo template, with their source configs."""
    site, pages = DemoSite(), []
    for name in ("demo_gov", "demo_portal", "demo_epaper"):
        config = load_source(name)
        prefix = "/" + config.base_url.split("/", 3)[3]
        entries = [e for e in site.entries if e.path.startswith(prefix)][:per_template]
        for e in entries:
            charset = f"; charset={e.page.charset_header}" if e.page.charset_header else ""
            pages.append(
                ("http://127.0.0.1:8765" + e.path, e.page.body, {"Content-Type": "text/html" + charset}, config)
            )
    return pages


def real_pages(folder: Path) -> list[tuple[str, bytes, dict, object]]:
    """The saved real pages (read from ../shared at run time)."""
    return [("", p.read_bytes(), {}, None) for p in sorted(folder.glob("P*.html"))]


def main() -> int:
    """Print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--per-template", type=int, default=10)
    ap.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "real-pages")
    args = ap.parse_args()
    sets = {"demo (3 templates)": demo_pages(args.per_template)}
    if args.pages.is_dir():
        sets[f"real pages ({args.pages})"] = real_pages(args.pages)
    for label, pages in sets.items():
        timings = measure(pages, args.repeat)
        print(f"{label}: {len(pages)} pages, ms a page (median / max over pages), load {os.getloadavg()[0]:.1f}")
        for step, values in timings.items():
            if values:
                print(f"  {step:<22} {statistics.median(values):6.1f} / {max(values):6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
