"""Benchmark of the pure extraction core: documents and characters per second, peak memory.

Generates N documents by varying the five bundled seeds deterministically (years and dates
shifted, numbers perturbed, paragraphs shuffled, articles mixed), then runs
``extract_document`` on each, on one core, and prints the figures: documents/s by wall
clock and by CPU time (the machine is shared, so CPU time is the steadier figure), and the
milliseconds a document spends in each stage (normalise, split, meetings, indicators, places).

    .venv/bin/python benchmarks/extract_bench.py --docs 5000 [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import random
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bulletins.core import extract as extract_module
from bulletins.core.extract import extract_document

SEEDS = Path(__file__).resolve().parents[1] / "demo" / "seeds"
YEAR = re.compile(r"(?<!\d)(20\d\d)(?=年)")
DECIMAL = re.compile(r"(?<![\d.])(\d{1,4})\.(\d)(?=%|亿|万)")
DATE = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日")


def load_seeds() -> list[str]:
    """The five seed texts."""
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def vary(text: str, rng: random.Random) -> str:
    """One variant of a seed: years shifted, dates and decimal figures perturbed, paragraphs shuffled."""
    shift = rng.randint(-3, 3)
    text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    text = DATE.sub(lambda m: f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日", text)
    text = DECIMAL.sub(lambda m: f"{max(0, int(m.group(1)) + rng.randint(-5, 5))}.{rng.randint(0, 9)}", text)
    paragraphs = text.split("\n")
    head, rest = paragraphs[:3], paragraphs[3:]
    rng.shuffle(rest)
    return "\n".join(head + rest)


def make_documents(n: int, seed: int = 20231026) -> list[tuple[str, str | None]]:
    """N (text, published) pairs; every fifth one mixes articles from two seeds like an e-paper page."""
    rng = random.Random(seed)
    seeds = load_seeds()
    docs = []
    for i in range(n):
        text = vary(seeds[i % len(seeds)], rng)
        if i % 5 == 4:
            text += "\n" + vary(seeds[(i + 2) % len(seeds)], rng)
        published = f"{rng.randint(2021, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if i % 2 else None
        docs.append((text, published))
    return docs


# The stages of extract_document as the extract module calls them: (label, module attribute).
STAGES = (
    ("normalise", "normalise_text"),
    ("split", "split_articles"),
    ("meetings", "find_meetings"),
    ("indicators", "extract_indicators"),
    ("places", "assign_places"),
)


@contextlib.contextmanager
def stage_timers(totals: dict[str, float]):
    """Wrap each stage function the extract module calls so its CPU time adds up in ``totals``."""
    # called as meetings.find_meetings and places.assign_places
    targets = {"find_meetings": extract_module.meetings, "assign_places": extract_module.places}
    saved = []
    for label, attr in STAGES:
        owner = targets.get(attr, extract_module)
        original = getattr(owner, attr)
        saved.append((owner, attr, original))
        setattr(owner, attr, _timed(original, label, totals))
    try:
        yield totals
    finally:
        for owner, attr, original in saved:
            setattr(owner, attr, original)


def _timed(fn, label: str, totals: dict[str, float]):
    """``fn`` with its CPU time added to ``totals[label]`` at each call."""
    clock = time.process_time

    def wrapper(*args, **kwargs):
        started = clock()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + clock() - started

    return wrapper


def run(docs: list[tuple[str, str | None]]) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, meetings found, indicators found) for extracting every document."""
    meetings = indicators = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for text, published in docs:
        out = extract_document(text, published=published)
        meetings += len(out["meetings"])
        indicators += len(out["indicators"])
    return time.perf_counter() - started, time.process_time() - cpu_started, meetings, indicators


def warm_up(docs: list[tuple[str, str | None]]) -> None:
    """Load what the core loads lazily (OpenCC dictionaries, cn2an tables, regex caches) before timing."""
    for text, published in docs[:10]:
        extract_document(text, published=published)


def main(argv: list[str] | None = None) -> int:
    """Print documents/s, characters/s and peak memory for N generated documents."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000, help="documents to generate (default 5000)")
    ap.add_argument("--profile", action="store_true", help="print the 25 most expensive functions")
    ap.add_argument("--tracemalloc", action="store_true", help="trace Python allocations (slower)")
    args = ap.parse_args(argv)

    load_before = _loadavg()
    docs = make_documents(args.docs)
    chars = sum(len(t) for t, _ in docs)
    warm_up(docs)
    if args.tracemalloc:
        tracemalloc.start()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    seconds, cpu, meetings, indicators = run(docs)
    if profiler:
        profiler.disable()
    totals: dict[str, float] = {}
    with stage_timers(totals):  # a second pass, so the timers do not weigh on the figures above
        _, staged_cpu, _, _ = run(docs)
    traced = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(docs)}, characters: {chars}, meetings: {meetings}, indicators: {indicators}")
    print(f"load average before: {load_before}")
    print(f"wall: {seconds:.2f} s  ->  {len(docs) / seconds:.1f} documents/s, {chars / seconds:,.0f} characters/s")
    print(f"CPU:  {cpu:.2f} s  ->  {len(docs) / cpu:.1f} documents/s, {1000 * cpu / len(docs):.2f} ms/document")
    stages = "  ".join(f"{label} {1000 * totals.get(label, 0.0) / len(docs):.2f}" for label, _ in STAGES)
    rest = staged_cpu - sum(totals.values())
    print(f"CPU ms/document by stage: {stages}  other {1000 * rest / len(docs):.2f}")
    print(
        f"peak RSS: {rss_mb:.1f} MB" + (f", peak traced Python allocations: {traced / 2**20:.1f} MB" if traced else "")
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0


def _loadavg() -> str:
    """The 1/5/15-minute load averages: other work on a shared machine skews wall-clock figures."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
