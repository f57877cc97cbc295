"""How long the merged-fact views take on a large warehouse: v_meeting_events, v_indicator_facts, v_people.

    .venv/bin/python benchmarks/facts_bench.py --meetings 60000 --indicators 300000

Builds a migrated DuckDB file in a temporary folder with synthetic rows written by SQL
(each meeting and figure reported by three sources, over a few dozen places and ten years),
then times a full read of each view. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from warehouse.db import connect

SOURCES = 3


def fill(con, meetings: int, indicators: int, places: int) -> None:
    """Synthetic reports: each real meeting/figure once per source, on its own page."""
    real_meetings, real_figures = meetings // SOURCES, indicators // SOURCES
    place = f"'place' || (n % {places})" if places else "NULL"  # 0: before the core resolves places
    pages = max(real_meetings, real_figures)
    con.execute(f"""
        INSERT INTO documents (document_id, source, url, fetched_at, content_hash, published_date, parser_version,
                               run_id, loaded_at)
        SELECT 'd' || s || '-' || n, 'src' || s, 'http://127.0.0.1/' || s || '/' || n, now(), 'h',
               DATE '2015-01-01' + CAST(n % 3650 AS INTEGER) + 1, 'bench', 'bench', now()
        FROM range({SOURCES}) a(s), range({pages}) b(n)""")
    con.execute("""INSERT INTO articles (article_id, document_id, position, published_date, body, run_id, loaded_at)
                   SELECT document_id || ':0', document_id, 0, published_date, 'x', 'bench', now() FROM documents""")
    con.execute(f"""
        INSERT INTO meetings (meeting_id, article_id, document_id, position, name, kind, start_date, place,
                              run_id, loaded_at)
        SELECT 'd' || s || '-' || n || ':0:m0', 'd' || s || '-' || n || ':0', 'd' || s || '-' || n, 0,
               '第' || (n % 97) || '次常务会议', '常务会议',
               CASE WHEN s = 2 THEN NULL ELSE DATE '2015-01-01' + CAST(n % 3650 AS INTEGER) END,
               {place}, 'bench', now()
        FROM range({SOURCES}) a(s), range({real_meetings}) b(n)""")
    con.execute("""INSERT INTO meeting_participants (meeting_id, position, person, title, role, run_id, loaded_at)
                   SELECT meeting_id, 0, 'person' || (hash(place) % 50), '市长', 'chair', 'bench', now()
                   FROM meetings""")
    con.execute(f"""
        INSERT INTO indicators (indicator_id, article_id, document_id, position, metric, measure, value, unit, period,
                                period_start, period_end, target, evidence, place, metric_key, run_id, loaded_at)
        SELECT 'd' || s || '-' || n || ':0:i0', 'd' || s || '-' || n || ':0', 'd' || s || '-' || n, 0,
               'metric' || ((n // 120) % 40), 'change', round((n % 1000) / 10.0 + (CASE WHEN n % 50 = 0 AND s = 1 THEN 0.1 ELSE 0 END), 1),
               '%', '', DATE '2015-01-01' + INTERVAL (n % 120) MONTH, DATE '2015-01-31' + INTERVAL (n % 120) MONTH,
               false, 'e', {place}, NULL, 'bench', now()
        FROM range({SOURCES}) a(s), range({real_figures}) b(n)""")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=60_000, help="meeting reports (default 60,000)")
    parser.add_argument("--indicators", type=int, default=300_000, help="indicator reports (default 300,000)")
    parser.add_argument("--places", type=int, default=40, help="places the facts spread over (0: none known)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        con = connect(Path(folder) / "bench.duckdb")
        started = time.perf_counter()
        fill(con, args.meetings, args.indicators, args.places)
        print(
            f"filled {args.meetings} meeting and {args.indicators} indicator reports "
            f"in {time.perf_counter() - started:.1f} s"
        )
        for view in ("v_meeting_events", "v_indicator_facts", "v_people", "v_events_by_month"):
            started = time.perf_counter()
            rows = con.execute(f"SELECT count(*) FROM (SELECT * FROM {view})").fetchone()[0]
            print(f"{view:<20} {rows:>9} rows  {time.perf_counter() - started:>7.2f} s")
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
