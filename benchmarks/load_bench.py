"""Benchmark: the load alone, rows per second into DuckDB through warehouse.load.load_batch.

Builds a staged batch of ``--rows`` indicator rows (with the documents and articles they
hang on, 20 indicators an article, as staging makes them: object columns, Python dates),
then loads it into a fresh DuckDB file in one transaction, and loads it again (the
idempotent reload: delete the batch's documents' rows, insert again). Peak RSS is printed.

    .venv/bin/python benchmarks/load_bench.py --rows 1000000
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bulletins.pipeline.stage import COLUMNS
from warehouse.db import connect
from warehouse.load import load_batch

PER_ARTICLE = 20
METRICS = ("规模工业增加值", "地方一般公共预算收入", "固定资产投资", "社会消费品零售总额", "进出口总额")


def batch_of(rows: int) -> dict[str, pd.DataFrame]:
    """A staged batch holding ``rows`` indicators over rows/20 one-article documents."""
    docs = max(1, rows // PER_ARTICLE)
    doc_ids = [f"{i:016x}" for i in range(docs)]
    documents = pd.DataFrame(
        {
            "document_id": doc_ids,
            "source": "bench",
            "url": [f"http://127.0.0.1/a/{i}.html" for i in range(docs)],
            "fetched_at": datetime(2024, 1, 1),
            "http_status": 200,
            "etag": None,
            "last_modified": None,
            "content_hash": "0" * 64,
            "content_type": "text/html",
            "encoding": "utf-8",
            "title": "全市经济运行情况",
            "published_date": date(2024, 1, 1),
            "published_at": None,
            "text": "正文",
            "parser_version": "bench",
        },
        columns=list(COLUMNS["documents"]),
    ).astype(object)
    articles = pd.DataFrame(
        {
            "article_id": [f"{d}:0" for d in doc_ids],
            "document_id": doc_ids,
            "position": 0,
            "title": "标题",
            "byline": None,
            "outlet": "衡阳日报",
            "published_date": date(2024, 1, 1),
            "body": "正文",
            "is_fragment": False,
            "extracted_by": "selectors",
        },
        columns=list(COLUMNS["articles"]),
    ).astype(object)
    n = list(range(rows))
    indicators = pd.DataFrame(
        {
            "indicator_id": [f"{doc_ids[i // PER_ARTICLE]}:0:i{i % PER_ARTICLE}" for i in n],
            "article_id": [f"{doc_ids[i // PER_ARTICLE]}:0" for i in n],
            "document_id": [doc_ids[i // PER_ARTICLE] for i in n],
            "position": [i % PER_ARTICLE for i in n],
            "metric": [METRICS[i % len(METRICS)] for i in n],
            "measure": "change",
            "value": [round(1 + (i % 97) / 10, 1) for i in n],
            "unit": "%",
            "period": "2023-01/2023-06",
            "period_start": date(2023, 1, 1),
            "period_end": date(2023, 6, 30),
            "rank": None,
            "rank_scope": None,
            "target": False,
            "evidence": "1-6月,规模工业增加值增长5.2%。",
        },
        columns=list(COLUMNS["indicators"]),
    ).astype(object)
    empty = {t: pd.DataFrame(columns=list(COLUMNS[t]), dtype=object) for t in ("meetings", "meeting_participants")}
    return {"documents": documents, "articles": articles, "indicators": indicators, **empty}


def main() -> int:
    """Build, load, reload; print rows per second."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.perf_counter()
    batch = batch_of(args.rows)
    print(
        f"batch of {args.rows} indicators, {len(batch['documents'])} documents built in "
        f"{time.perf_counter() - started:.1f}s"
    )
    with tempfile.TemporaryDirectory() as folder:
        con = connect(Path(folder) / "load.duckdb")
        for label in ("first load", "reload (idempotent)"):
            started = time.perf_counter()
            counts = load_batch(con, batch, f"bench-{label}")
            seconds = time.perf_counter() - started
            total = sum(counts.values())
            print(
                f"{label:<20} {seconds:>7.2f} s  {counts['indicators']:>9} indicators  "
                f"{counts['indicators'] / seconds:>10.0f} indicator rows/s  {total / seconds:>10.0f} rows/s (all tables)"
            )
        rows = con.execute("SELECT count(*) FROM indicators").fetchone()[0]
        con.close()
    print(f"indicators in the warehouse after both loads: {rows}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
