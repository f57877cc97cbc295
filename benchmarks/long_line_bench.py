"""Extraction time against line length for one-line paragraphs (no line breaks), up to 1 MB.

A page that is one huge paragraph is what a hostile or broken site serves; extraction must
stay linear in its length. Each shape repeats an invented figure sentence (years, quotes,
a parenthesis, a rank, a Chinese numeral) joined by a different separator, so every
per-figure lookup that rescans the line shows up as a growing µs/char column.

    .venv/bin/python benchmarks/long_line_bench.py [--sizes 10000,100000,1000000] [--shapes all]

Prints, for each shape and size: seconds (CPU time), indicators found, and µs per 1,000
characters; "linear" means that last column stays flat as the size grows.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bulletins.core.extract import extract_document

# Invented sentences (no city or figure from the dev texts): {i} varies the numbers.
CLAUSES = (
    "{y}年1-{m}月，全县规模以上工业增加值{a}.{b}亿元",
    "同比增长{b}.{a}%(高于全省平均0.{b}个百分点)",
    "“两新”项目{a}个，投资总额三千{b}百万元",
    "社会消费品零售总额增速排全省第{r}位",
)
# Invented meeting reports: dates, a chair, a numbered meeting, attendees.
MEETING_CLAUSES = (
    "{m}月{d}日上午",
    "县委书记{p1}主持召开县委常委会{y}年第{r}次会议",
    "县长{p2}、副县长{p3}出席",
)
PEOPLE = ("赵一鸣", "钱二伟", "孙三江", "李四海", "周五洋", "吴六平", "郑七星", "冯八达")
SHAPES = {
    "sentences": (CLAUSES, "，", "。"),  # figure sentences ended by 。: the ordinary case
    "commas": (CLAUSES, "，", "，"),  # one endless sentence of comma clauses
    "spaces": (CLAUSES, " ", " "),  # clauses joined by spaces: no punctuation at all
    "bare": (CLAUSES, "", ""),  # clauses run together
    "meetings": (MEETING_CLAUSES, "，", "，"),  # thousands of meetings, dates and names in one sentence
}


def one_line(size: int, shape: str) -> str:
    """A single line of about ``size`` characters in the given shape."""
    clauses, clause_sep, sentence_end = SHAPES[shape]
    parts, total, i = [], 0, 0
    while total < size:
        values = {
            "y": 2016 + i % 9,
            "m": 2 + i % 10,
            "d": 1 + i % 27,
            "a": 10 + i % 89,
            "b": i % 10,
            "r": 1 + i % 14,
            "p1": PEOPLE[i % 8],
            "p2": PEOPLE[(i + 3) % 8],
            "p3": PEOPLE[(i + 5) % 8],
        }
        sentence = clause_sep.join(c.format(**values) for c in clauses) + sentence_end
        parts.append(sentence)
        total += len(sentence)
        i += 1
    return "".join(parts)[:size]


def measure(text: str) -> tuple[float, int]:
    """(CPU seconds, indicators) of one extraction of ``text``."""
    start = time.process_time()
    result = extract_document(text)
    return time.process_time() - start, len(result["indicators"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,40000,160000,640000,1000000")
    parser.add_argument("--shapes", default="all", help="comma list of " + ", ".join(SHAPES))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = list(SHAPES) if args.shapes == "all" else args.shapes.split(",")
    extract_document("预热：全县地区生产总值增长5%。")  # converter tables load outside the timings
    print(f"{'shape':<10} {'chars':>9} {'seconds':>8} {'indicators':>10} {'µs/1k chars':>12}")
    for shape in shapes:
        for size in sizes:
            seconds, found = measure(one_line(size, shape))
            print(f"{shape:<10} {size:>9,} {seconds:>8.2f} {found:>10,} {seconds / size * 1e9:>12,.0f}", flush=True)


if __name__ == "__main__":
    main()
