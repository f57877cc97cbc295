"""Benchmark: what publishing the analysts' copy costs, against the warehouse's size.

Grows one warehouse through ``warehouse.db.connect`` in steps of ``--step`` indicator rows
(load_bench's staged batches: documents, articles, 20 indicators an article), and after
each step publishes it as a flow does after a load (checkpoint, copy, fsync, atomic rename),
``--repeat`` times; prints the file's size and the best and median publish time.

    .venv/bin/python benchmarks/publish_bench.py --step 500000 --steps 4
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load_bench import batch_of
from warehouse.db import connect
from warehouse.load import load_batch
from warehouse.publish import publish


def shifted(batch: dict, step: int) -> dict:
    """The batch with ids of its own for step ``step`` (each step adds rows, replaces none)."""
    out = {}
    for table, frame in batch.items():
        frame = frame.copy()
        for col in ("document_id", "article_id", "indicator_id"):
            if col in frame:
                frame[col] = f"s{step}-" + frame[col].astype(str)
        if "url" in frame:
            frame["url"] = frame["url"].astype(str) + f"?s={step}"
        out[table] = frame
    return out


def main() -> int:
    """Grow, publish, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step", type=int, default=500_000, help="indicator rows added per step")
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    batch = batch_of(args.step)
    print(f"{'indicators':>11} {'file MB':>8} {'best s':>7} {'median s':>9} {'MB/s':>6}")
    with tempfile.TemporaryDirectory() as folder:
        con = connect(Path(folder) / "bulletins.duckdb")
        for step in range(1, args.steps + 1):
            load_batch(con, shifted(batch, step), f"run-{step}")
            times = [publish(con) for _ in range(args.repeat)]
            size = times[0].size / 1e6
            secs = [t.seconds for t in times]
            print(
                f"{step * args.step:>11,} {size:>8.1f} {min(secs):>7.2f} {statistics.median(secs):>9.2f} "
                f"{size / min(secs):>6.0f}"
            )
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
