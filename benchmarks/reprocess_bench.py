"""Benchmark: reprocess from the raw archive, end to end (parse → extract → validate → load).

For each size N, a raw archive of N article pages is generated from the demo templates
(benchmarks/_generate.py), then a fresh interpreter runs the reprocess flow on it into a
fresh DuckDB file and reports wall time and peak memory (ru_maxrss of that interpreter,
after a warm-up flow has started Prefect, so the figures are the pipeline's). Printed per N:
documents per second and peak RSS, so linear cost and flat memory can be read off.

    .venv/bin/python benchmarks/reprocess_bench.py --docs 1000 10000 50000 [--workers N] [--flow reprocess|fanout]

``--workers`` is the number of processes that parse and extract (the reprocess flow's
worker pool, default one per CPU; 1 runs everything in the flow's process). ``--flow
fanout`` runs flows/fanout.py instead (chunks parsed by Dask workers into Parquet
batches, merged by one loader), ``--workers`` then being its local cluster's size.
Peak RSS is the flow's process's; ``tree RSS`` is the peak of the summed RSS of it and
every process under it (forkserver, workers, Prefect's server), sampled every 0.2 s; "by
quarter" is the flow process's largest sampled RSS in each quarter of the run, which shows
whether memory grows with the work done or stays level.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# What the measured interpreter runs: warm Prefect up, then time the flow alone.
CHILD = r"""
import json, resource, sys, time
from prefect import flow

@flow(name="warm-up")
def warm_up():
    return 1

warm_up()
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
db, archive, which, workers, chunk = sys.argv[1:6]
started = time.perf_counter()
if which == "fanout":
    from flows.fanout import reprocess_fanout
    summary = reprocess_fanout(db_path=db, archive_root=archive, workers=int(workers), chunk_size=int(chunk))
else:
    from flows.reprocess import reprocess
    summary = reprocess(db_path=db, archive_root=archive, workers=int(workers))
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("RESULT " + json.dumps({"seconds": seconds, "baseline_kb": baseline, "peak_kb": peak,
                              "pages": summary.get("pages"), "rows_loaded": summary.get("rows_loaded"),
                              "quarantined": summary.get("quarantined"), "errors": summary.get("errors")}))
"""


def rss_kb(pid: int) -> int:
    """Resident memory (KiB) of one process, 0 once it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)


def by_quarter(samples: list[int], flow_seconds: float) -> list[int]:
    """The largest sample in each quarter of the flow's run (the last ``flow_seconds`` of sampling)."""
    flow = [kb for kb in samples[-max(1, int(flow_seconds / 0.2)) :] if kb]
    size = max(1, len(flow) // 4)
    return [max(flow[i * size : (i + 1) * size] or [0]) for i in range(4)]


def tree_rss_kb(root: int) -> int:
    """Summed resident memory (KiB) of process ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier += children
    return sum(rss_kb(pid) for pid in tree)


def measure(n: int, which: str, workers: int, chunk: int, keep: bool) -> dict:
    """Generate an archive of ``n`` pages and reprocess it in a fresh interpreter; the figures."""
    from _generate import fill_archive

    folder = Path(tempfile.mkdtemp(prefix=f"reprocess-{n}-"))
    started = time.perf_counter()
    counts = fill_archive(folder / "archive", n)
    generated = time.perf_counter() - started
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        PREFECT_LOGGING_LEVEL="WARNING",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        BULLETINS_DATA=str(folder),
        BULLETINS_REPORTS=str(folder / "reports"),
    )
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD,
                str(folder / "w.duckdb"),
                str(folder / "archive"),
                which,
                str(workers),
                str(chunk),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
            text=True,
        )
        tree_peak_kb, samples = 0, []  # samples: the flow process's RSS (KiB), every 0.2 s
        while proc.poll() is None:
            tree_peak_kb = max(tree_peak_kb, tree_rss_kb(proc.pid))
            samples.append(rss_kb(proc.pid))
            time.sleep(0.2)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    line = next((text for text in stdout.splitlines() if text.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"reprocess of {n} pages failed:\n{stdout[-3000:]}\n{stderr[-3000:]}")
    result = json.loads(line[len("RESULT ") :])
    result.update(
        n=n,
        generated_s=generated,
        sources=counts,
        folder=str(folder),
        tree_peak_kb=tree_peak_kb,
        quarters_kb=by_quarter(samples, result["seconds"]),
    )
    if not keep:
        subprocess.run(["rm", "-rf", str(folder)], check=False)
    return result


def main() -> int:
    """Measure each size and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--flow", choices=("reprocess", "fanout"), default="reprocess")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--chunk", type=int, default=1000, help="pages per fan-out chunk (fanout only)")
    parser.add_argument("--keep", action="store_true", help="keep the generated archives and warehouses")
    args = parser.parse_args()
    print(
        f"reprocess benchmark: flow={args.flow} workers={args.workers} cpus={os.cpu_count()} "
        f"python={sys.version.split()[0]}"
    )
    print(
        f"{'docs':>7} {'seconds':>9} {'docs/s':>8} {'peak RSS MB':>12} {'RSS growth MB':>14} "
        f"{'tree RSS MB':>12} {'rows loaded':>12} {'quarantined':>12} {'errors':>7}  RSS MB by quarter of the run"
    )
    for n in args.docs:
        r = measure(n, args.flow, args.workers, args.chunk, args.keep)
        print(
            f"{n:>7} {r['seconds']:>9.1f} {n / r['seconds']:>8.1f} {r['peak_kb'] / 1024:>12.0f} "
            f"{(r['peak_kb'] - r['baseline_kb']) / 1024:>14.0f} {r['tree_peak_kb'] / 1024:>12.0f} "
            f"{r['rows_loaded']:>12} {r['quarantined']:>12} "
            f"{r['errors']:>7}  {' / '.join(str(kb // 1024) for kb in r['quarters_kb'])}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
