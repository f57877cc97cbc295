"""Where reprocessing spends its time: each stage timed alone on the same pages, then parse profiled.

Pages come from the demo templates (benchmarks/_generate.py). Stages are run as plain
functions, outside Prefect, one after the other on all pages: decode+parse
(``parse_page``, given the encoding the archive recorded, as reprocess gives it), extract
(``extract_page``), stage (``stage_page``/``to_batch``), validate (``validate_batch``), load
(``load_batch`` into a fresh DuckDB file). With ``--profile`` the parse stage is run again
under cProfile and its top functions printed.

``--baseline REV`` compares the parse stage before and after a change: parse.py and the
demo sources/*.yaml as of git revision REV against the working tree, page by page in
turns (other work on the machine hits both alike), with the count of pages whose
ParsedPage is identical.

``--parser`` compares BeautifulSoup tree builders on the same pages (same selectors,
same regions): the parse stage is re-timed with each.

    .venv/bin/python benchmarks/parse_profile.py --docs 1000 [--profile] [--baseline REV [--rounds 3]]
        [--parser lxml html.parser]
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _generate import SOURCE_OF_SITE, generated_entries  # noqa: E402
from bulletins.crawl import parse as parse_module  # noqa: E402
from bulletins.crawl.parse import parse_page  # noqa: E402
from bulletins.crawl.encoding import decode_html  # noqa: E402
from bulletins.crawl.sources import load_source, load_source_file  # noqa: E402
from bulletins.pipeline.page import article_inputs  # noqa: E402
from bulletins.pipeline.stage import document_row, stage_page, to_batch  # noqa: E402


def pages(n: int) -> list[tuple[str, bytes, dict, str, object]]:
    """(url, bytes, headers, encoding, config) of ``n`` generated pages; the encoding is the
    one the archive records (benchmarks/_generate.manifest_entry) and reprocess passes on."""
    configs = {name: load_source(name) for name in SOURCE_OF_SITE.values()}
    out = []
    for entry in generated_entries(n):
        page = entry.page
        ctype = page.content_type + (f"; charset={page.charset_header}" if page.charset_header else "")
        config = configs[SOURCE_OF_SITE[entry.site]]
        encoding = decode_html(page.body, ctype, config.encoding).encoding
        out.append(("http://127.0.0.1:8765" + entry.path, page.body, {"Content-Type": ctype}, encoding, config))
    return out


def timed(label: str, fn, n: int, figures: dict) -> object:
    """Run ``fn()``, print its seconds and per-page cost, keep the seconds."""
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    figures[label] = seconds
    print(
        f"  {label:<10} {seconds:>8.2f} s  {1000 * seconds / n:>7.2f} ms/page  {n / seconds:>8.1f} pages/s", flush=True
    )
    return result


def parse_all(work, parse=parse_page, configs: dict | None = None) -> list:
    """``parse`` on every page, with the page's own config or the one of that name in ``configs``."""
    return [
        parse(raw, url, configs[config.name] if configs else config, headers, encoding)
        for url, raw, headers, encoding, config in work
    ]


def extract_all(work, parsed) -> list:
    """The extraction core on every parsed page."""
    from bulletins.core.extract import extract_page

    return [extract_page(article_inputs(p), p.published_date, url) for (url, *_), p in zip(work, parsed)]


def stage_all(work, parsed, facts) -> dict:
    """Warehouse rows of every page, as one batch."""
    staged = []
    for (url, _raw, headers, _encoding, config), p, f in zip(work, parsed, facts):
        doc = document_row(
            url=url,
            source=config.name,
            fetched_at="2024-01-01T00:00:00",
            http_status=200,
            headers=headers,
            content_hash="0" * 64,
            parsed=p,
            parser_version=p.parser_version,
        )
        staged.append(stage_page(doc, p, f))
    return to_batch(staged)


def _git_show(rev: str, path: str) -> str:
    """A file's text as of a git revision."""
    return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def parser_at(rev: str, folder: Path) -> tuple[object, dict]:
    """(parse_page, configs by name) of bulletins/crawl/parse.py and the demo sources as of ``rev``."""
    module = types.ModuleType(f"parse_at_{rev}")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(
        compile(_git_show(rev, "bulletins/crawl/parse.py"), f"{rev}:bulletins/crawl/parse.py", "exec"), module.__dict__
    )
    configs = {}
    for name in SOURCE_OF_SITE.values():
        path = folder / f"{name}.yaml"
        path.write_text(_git_show(rev, f"sources/{name}.yaml"), encoding="utf-8")
        configs[name] = load_source_file(path)
    return module.parse_page, configs


def compare_baseline(work, rev: str, rounds: int) -> None:
    """The parse stage as of ``rev`` and in the working tree; identical results counted.

    Interleaved page by page (each page parsed by both sides in turn, ``rounds`` times,
    the first side alternating) so that other work on the machine hits both alike; a
    page's cost is the median of its rounds.
    """
    with tempfile.TemporaryDirectory() as folder:
        old_parse, old_configs = parser_at(rev, Path(folder))
    sides = [(rev, old_parse, old_configs), ("tree", parse_page, None)]
    seconds = {side: [[] for _ in work] for side, *_ in sides}
    same = 0
    print(f"parse stage, {rev} vs working tree, {len(work)} pages x {rounds} rounds (load {os.getloadavg()[0]:.2f})")
    for r in range(rounds):
        for i, page in enumerate(work):
            parsed = {}
            for side, parse, configs in sides if (i + r) % 2 == 0 else sides[::-1]:
                started = time.perf_counter()
                parsed[side] = parse_all([page], parse, configs)[0]
                seconds[side][i].append(time.perf_counter() - started)
            same += r == 0 and dataclasses.astuple(parsed[rev]) == dataclasses.astuple(parsed["tree"])
    names = sorted({page[-1].name for page in work})
    for name in names + ["all"]:
        rows = [i for i, page in enumerate(work) if name in ("all", page[-1].name)]
        before, after = (
            1000 * sum(statistics.median(seconds[side][i]) for i in rows) / len(rows) for side, *_ in sides
        )
        print(f"  {name:<12} {before:>6.2f} -> {after:>5.2f} ms/page ({before / after:.2f}x)")
    print(f"  identical ParsedPage: {same}/{len(work)}; load now {os.getloadavg()[0]:.2f}")


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
    parser.add_argument("--baseline", metavar="REV", help="compare the parse stage with parse.py and sources/ at REV")
    parser.add_argument("--rounds", type=int, default=3, help="times each page is parsed by each side with --baseline")
    args = parser.parse_args()
    work = pages(args.docs)
    n, figures = len(work), {}
    print(f"{n} pages, {sum(len(w[1]) for w in work) / n / 1024:.1f} KiB each on average")
    parsed = timed("parse", lambda: parse_all(work), n, figures)
    facts = timed("extract", lambda: extract_all(work, parsed), n, figures)
    batch = timed("stage", lambda: stage_all(work, parsed, facts), n, figures)
    from expectations.gate import validate_batch

    with tempfile.TemporaryDirectory() as folder:
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
    if args.baseline:
        compare_baseline(work, args.baseline, args.rounds)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        parse_all(work)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
