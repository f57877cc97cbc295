"""The README's analyst questions, run against a warehouse, their real output written back.

    .venv/bin/python scripts/analyst_examples.py              # print each question, query and output
    .venv/bin/python scripts/analyst_examples.py --write      # refresh them in README.md

The block between the README's ``analyst-examples`` markers is replaced; nothing else is.
Run it on a fresh ``make demo`` warehouse (``--db`` or $BULLETINS_DB) so the outputs are the demo's.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warehouse.sql import print_table, run_query  # noqa: E402 - after the path is set

START, END = "<!-- analyst-examples:start -->", "<!-- analyst-examples:end -->"

QUESTIONS = [
    (
        "GDP growth of each place by period (each figure once, with the sources that reported it)",
        """
SELECT place, period, value, unit, rank_scope, rank, sources
FROM v_indicator_facts
WHERE metric_key = 'gdp' AND measure = 'change' AND NOT target
ORDER BY place, period_end""",
    ),
    (
        "The province's figure next to the city's: one metric and period reported for several places",
        """
SELECT metric_id, measure, period, list(place || ': ' || value || coalesce(unit, '') ORDER BY place) AS by_place
FROM v_indicator_facts
WHERE NOT target AND place IS NOT NULL
GROUP BY metric_id, measure, period
HAVING count(DISTINCT place) > 1
ORDER BY metric_id, period DESC
LIMIT 10""",
    ),
    (
        "Who chaired most meetings in each year (each real meeting once)",
        """
SELECT year(event_date) AS year, chair, count(*) AS chaired
FROM (SELECT event_date, unnest(string_split(chairs, '、')) AS chair FROM v_meeting_events WHERE chairs IS NOT NULL)
GROUP BY year, chair
QUALIFY row_number() OVER (PARTITION BY year ORDER BY chaired DESC, chair) = 1
ORDER BY year DESC""",
    ),
    (
        "First in the province: figures ranked first",
        """
SELECT place, metric, measure, period, value, unit, rank_scope
FROM v_indicator_facts
WHERE rank = 1 AND rank_scope LIKE '%省%'
ORDER BY period_end DESC, metric
LIMIT 10""",
    ),
    (
        "Targets against results for one metric (a target without a period holds for every period)",
        """
SELECT r.place, r.period, r.value AS result, t.value AS target, r.unit,
       CASE WHEN r.value >= t.value THEN 'met' ELSE 'missed' END AS verdict
FROM v_indicator_facts r
JOIN v_indicator_facts t
  ON t.target AND NOT r.target AND t.metric_id = r.metric_id AND t.measure = r.measure
 AND t.base_unit = r.base_unit AND t.place IS NOT DISTINCT FROM r.place
 AND (t.period IS NULL OR (t.period_start <= r.period_start AND t.period_end >= r.period_end))
WHERE r.metric_key = 'gdp'
ORDER BY r.period_end""",
    ),
    (
        "Meetings held, by kind and month (each real meeting once, however many sources reported it)",
        """
SELECT month, place, kind, meetings
FROM v_events_by_month
ORDER BY month DESC, kind
LIMIT 12""",
    ),
]


def block(db: str | None) -> str:
    """The Markdown of every question: its title, query and output."""
    parts = []
    for number, (title, sql) in enumerate(QUESTIONS, 1):
        columns, rows, cut = run_query(db, sql.strip(), 50)
        out = io.StringIO()
        print_table(columns, rows, cut, out=out)
        query = "\n".join("    " + line for line in sql.strip().splitlines())
        table = "\n".join("    " + line for line in out.getvalue().rstrip().splitlines())
        parts.append(f"**{number}. {title}**\n\n{query}\n\n{table}\n")
    return "\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="DuckDB file (default: $BULLETINS_DB or data/bulletins.duckdb)")
    parser.add_argument("--write", action="store_true", help="replace the block in README.md")
    args = parser.parse_args()
    text = block(args.db)
    if not args.write:
        print(text)
        return 0
    readme = ROOT / "README.md"
    current = readme.read_text(encoding="utf-8")
    if START not in current or END not in current:
        print(f"README.md has no {START} … {END} block", file=sys.stderr)
        return 1
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    readme.write_text(pattern.sub(lambda _: f"{START}\n{text}{END}", current), encoding="utf-8")
    print(f"README.md: {len(QUESTIONS)} examples refreshed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
