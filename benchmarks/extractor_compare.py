"""Compare page extractors on saved real pages: title, date and body right (pages_score.py's
rules), and milliseconds a page (decode + parse + extraction, median of --repeat runs).

    .venv/bin/python benchmarks/extractor_compare.py --pages ../shared/real-pages --extractor ours
    SOMEVENV/bin/python benchmarks/extractor_compare.py --pages ../shared/real-pages --extractor trafilatura
    SOMEVENV/bin/python benchmarks/extractor_compare.py --pages ../shared/real-pages --extractor readability

trafilatura and readability-lxml are not dependencies of the project: run them from a
scratch virtualenv that has them (``pip install trafilatura readability-lxml``). The gold
and the scoring rules are read from ../shared at run time (``--scorer``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]


def _ours() -> Callable[[bytes], dict]:
    """This project's parse with generic extraction (what `bulletins parse-page` runs)."""
    sys.path.insert(0, str(ROOT))
    from bulletins.crawl.check import generic_config, page_json
    from bulletins.crawl.parse import parse_page

    config = generic_config()
    return lambda raw: page_json(parse_page(raw, "", config))


def _trafilatura() -> Callable[[bytes], dict]:
    """trafilatura's bare_extraction with metadata (dates by htmldate)."""
    import trafilatura

    def run(raw: bytes) -> dict:
        doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
        doc = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
        return {"title": doc.get("title"), "published": doc.get("date"), "body": doc.get("text") or ""}

    return run


def _readability() -> Callable[[bytes], dict]:
    """readability-lxml's Document: title and main content (it reads no date)."""
    import lxml.html
    from readability import Document

    def run(raw: bytes) -> dict:
        doc = Document(raw)
        text = lxml.html.fromstring(doc.summary()).text_content() if doc.summary() else ""
        return {"title": doc.short_title(), "published": None, "body": text}

    return run


EXTRACTORS = {"ours": _ours, "trafilatura": _trafilatura, "readability": _readability}


def main() -> int:
    """Print one line a page (ok/miss, ms) and the totals."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", required=True, type=Path)
    ap.add_argument("--extractor", choices=sorted(EXTRACTORS), default="ours")
    ap.add_argument("--scorer", type=Path, default=ROOT.parent / "shared" / "eval" / "pages_score.py")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    spec = importlib.util.spec_from_file_location("pages_score", args.scorer)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    extract = EXTRACTORS[args.extractor]()
    totals = {"pages": 0, "title": 0, "date": 0, "body": 0, "all": 0}
    times = []
    for gold_file in sorted(args.pages.glob("P*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        raw = gold_file.with_suffix(".html").read_bytes()
        pred = extract(raw)
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            extract(raw)
            runs.append((time.perf_counter() - start) * 1000)
        ms = statistics.median(runs)
        times.append(ms)
        t = score.title_ok(gold["title"], pred.get("title"))
        d = score.date_ok(gold.get("published"), pred.get("published"))
        b, ratio = score.body_ok(gold, pred.get("body"))
        for key, ok in (("pages", True), ("title", t), ("date", d), ("body", b), ("all", t and d and b)):
            totals[key] += bool(ok)
        print(
            f"{gold['id']}  {len(raw) // 1024:4d} KB  {ms:7.1f} ms  title {'ok ' if t else 'MISS'} "
            f"date {'ok ' if d else 'MISS'} body {'ok ' if b else 'MISS'} (ratio {ratio:.2f})"
        )
    print(
        f"{args.extractor}: "
        + " ".join(f"{k}={v}" for k, v in totals.items())
        + f"  median {statistics.median(times):.1f} ms/page, max {max(times):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
