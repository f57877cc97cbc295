"""Where reprocessing spends its time: each stage timed alone on the same pages, then parse profiled.

Pages come from the demo templates (benchmarks/_generate.py). Stages are run as plain
functions, outside Prefect, one after the other on all pages: decode+parse
(``parse_page``), extract (``extract_page``), stage (``stage_page``/``to_batch``), validate
(``validate_batch``), load (``load_batch`` into a fresh DuckDB file). With ``--profile``
the parse stage is run again under cProfile and its top functions printed.

``--parser`` compares BeautifulSoup tree builders on the same pages (same selectors,
same SoupStrainer regions): the parse stage is re-timed with each.

    .venv/bin/python benchmarks/parse_profile.py --docs 1000 [--profile] [--parser lxml html.parser]
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _generate import SOURCE_OF_SITE, generated_entries  # noqa: E402
from bulletins.crawl import parse as parse_module  # noqa: E402
from bulletins.crawl.parse import parse_page  # noqa: E402
from bulletins.crawl.sources import load_source  # noqa: E402
from tasks.extract import article_inputs  # noqa: E402
from tasks.stage import as_date, document_row, stage_page, to_batch  # noqa: E402


def pages(n: int) -> list[tuple[str, bytes, dict, object]]:
    """(url, bytes, headers, config) of ``n`` generated pages."""
    configs = {name: load_source(name) for name in SOURCE_OF_SITE.values()}
    out = []
    for entry in generated_entries(n):
        page = entry.page
        ctype = page.content_type + (f"; charset={page.charset_header}" if page.charset_header else "")
        out.append(("http://127.0.0.1:8765" + entry.path, page.body, {"Content-Type": ctype},
                    configs[SOURCE_OF_SITE[entry.site]]))
    return out


def timed(label: str, fn, n: int, figures: dict) -> object:
    """Run ``fn()``, print its seconds and per-page cost, keep the seconds."""
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    figures[label] = seconds
    print(f"  {label:<10} {seconds:>8.2f} s  {1000 * seconds / n:>7.2f} ms/page  {n / seconds:>8.1f} pages/s", flush=True)
    return result


def parse_all(work) -> list:
    """parse_page on every page."""
    return [parse_page(raw, url, config, headers) for url, raw, headers, config in work]


def extract_all(work, parsed) -> list:
    """The extraction core on every parsed page."""
    from bulletins.core.extract import extract_page

    return [extract_page(article_inputs(p), as_date(p.published_at), url) for (url, *_), p in zip(work, parsed)]


def stage_all(work, parsed, facts) -> dict:
    """Warehouse rows of every page, as one batch."""
    staged = []
    for (url, raw, headers, config), p, f in zip(work, parsed, facts):
        doc = document_row(url=url, source=config.name, fetched_at="2024-01-01T00:00:00", http_status=200,
                           headers=headers, content_hash="0" * 64, parsed=p, parser_version=p.parser_version)
        staged.append(stage_page(doc, p, f))
    return to_batch(staged)


def drop_in_one_pass(self, selectors) -> None:
    """PageDoc.drop with every drop selector joined into one selector list: one tree walk, not one each."""
    css = ", ".join(s.css for s in selectors)
    if not css:
        return
    for soup in self.soups:
        for element in soup.select(css):
            if not element.decomposed:  # inside an element already removed
                element.decompose()


def compare_drop(work) -> None:
    """The parse stage with PageDoc.drop as it is, then in one pass; the results must be equal."""
    figures: dict = {}
    before = timed("parse", lambda: parse_all(work), len(work), figures)
    real = parse_module.PageDoc.drop
    parse_module.PageDoc.drop = drop_in_one_pass
    try:
        after = timed("parse[1-pass drop]", lambda: parse_all(work), len(work), figures)
    finally:
        parse_module.PageDoc.drop = real
    same = sum(a == b for a, b in zip(before, after))
    print(f"  identical ParsedPage results: {same}/{len(before)}; parse {figures['parse'] / figures['parse[1-pass drop]']:.2f}x faster")


def compare_parsers(work, builders: list[str]) -> None:
    """The parse stage with each tree builder (the module's BeautifulSoup calls rebound)."""
    import bs4

    real = parse_module.BeautifulSoup
    for builder in builders:
        parse_module.BeautifulSoup = lambda markup, _f, **kw: real(markup, builder, **kw)  # noqa: B023
        try:
            timed(f"parse[{builder}]", lambda: parse_all(work), len(work), {})
        finally:
            parse_module.BeautifulSoup = real
    print(f"  (bs4 {bs4.__version__})")


def main() -> int:
    """Time each stage; optionally profile parsing and compare tree builders."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--parser", nargs="*", default=[], help="tree builders to compare (lxml, html.parser)")
    parser.add_argument("--drop", action="store_true", help="compare PageDoc.drop with a one-pass drop")
    args = parser.parse_args()
    work = pages(args.docs)
    n, figures = len(work), {}
    print(f"{n} pages, {sum(len(w[1]) for w in work) / n / 1024:.1f} KiB each on average")
    parsed = timed("parse", lambda: parse_all(work), n, figures)
    facts = timed("extract", lambda: extract_all(work, parsed), n, figures)
    batch = timed("stage", lambda: stage_all(work, parsed, facts), n, figures)
    from expectations.gate import validate_batch

    with tempfile.TemporaryDirectory() as folder:
        import os

        os.environ.setdefault("BULLETINS_REPORTS", folder)
        gate = timed("validate", lambda: validate_batch(batch, "profile-run"), n, figures)
        from warehouse.db import connect
        from warehouse.load import load_batch

        con = connect(Path(folder) / "w.duckdb")
        timed("load", lambda: load_batch(con, gate.passed, "profile-run", gate.quarantine), n, figures)
        con.close()
    total = sum(figures.values())
    print(f"  {'total':<10} {total:>8.2f} s  {1000 * total / n:>7.2f} ms/page  {n / total:>8.1f} pages/s")
    print("  shares: " + ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in figures.items()))
    if args.parser:
        compare_parsers(work, args.parser)
    if args.drop:
        compare_drop(work)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        parse_all(work)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
