"""Two crawl runs at once against one DuckDB file: the second waits for the first, nothing is half-loaded.

Two interpreters start the same source's crawl on the same warehouse file at the same
moment. The site answers slowly, so the runs would overlap; DuckDB admits one writing
process and ``warehouse.db.connect`` waits for the lock rather than failing. Afterwards
the file opens, each page is loaded once, both runs are recorded and the second one's
work began only after the first had finished.
"""

from __future__ import annotations

from demo.httpd import Delay
from tests.faults.conftest import good_article, python_subprocess

CRAWL = (
    "from flows.crawl import crawl_source; "
    "s = crawl_source({name!r}, db_path={db!r}, archive_root={archive!r}); print('SUMMARY', s['message'])"
)


def test_two_runs_at_once_one_waits_for_the_other(site, warehouse):
    s = site("slow").publish({n: Delay(1.0, good_article(n)) for n in (1, 2, 3)}).write_config(timeout=5)
    code = CRAWL.format(name=s.name, db=str(warehouse.db), archive=str(warehouse.archive))
    procs = [python_subprocess(code, warehouse.env()) for _ in range(2)]
    outputs = [p.communicate(timeout=240)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], "\n".join(o[-6000:] for o in outputs)
    assert all("SUMMARY" in o for o in outputs)

    runs = warehouse.rows(
        "SELECT run_id, status, started_at, finished_at, CAST(summary->>'fetched' AS INTEGER) "
        "FROM runs WHERE flow = 'crawl-source' ORDER BY started_at"
    )
    assert [r[1] for r in runs] == ["completed", "completed"]
    (first, _, _, first_end, first_fetched), (second, _, second_start, _, second_fetched) = runs
    assert second_start >= first_end  # the second run's work began after the first had finished
    assert (first_fetched, second_fetched) == (3, 0)  # ... so it found every page already loaded
    # Every page once, every request of both runs logged, no half-load.
    assert warehouse.scalar("SELECT count(*) FROM documents") == 3
    assert warehouse.scalar("SELECT count(DISTINCT document_id) FROM articles") == 3
    assert warehouse.scalar("SELECT count(*) FROM indicators") == 3 * warehouse.scalar(
        "SELECT count(*) FROM indicators WHERE document_id = (SELECT min(document_id) FROM documents)"
    )
    assert warehouse.rows("SELECT DISTINCT state FROM links") == [("fetched",)]
    assert {r[0] for r in warehouse.rows("SELECT DISTINCT run_id FROM fetch_log")} == {first, second}
    assert warehouse.scalar("SELECT count(*) FROM fetch_log WHERE run_id = ? AND kind = 'article'", [first]) == 3
