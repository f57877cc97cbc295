"""The daily run's one writer: queued batches gated in one GX pass, each loaded in its own transaction.

Real GX suites, a real DuckDB file. ``validate_batches`` must judge each part exactly as
``validate_batch`` judges it alone (its rows, its quarantine under its own run, its
source's yields); ``BatchWriter`` takes what is queued as one round and answers each crawl.
"""

from __future__ import annotations

import threading
from functools import partial

import pytest

from bulletins.pipeline.ledger import SourceYield
from bulletins.pipeline.writer import BatchWriter, Submission
from expectations.gate import GatePart, validate_batch, validate_batches
from tasks.load import load
from tests.quality.batches import good_batch

USUAL = [{"list_pages_read": 1, "links_seen": 20, "pages_parsed": 2, "pages_with_content": 2}] * 4


def yields(source: str, links: int) -> dict[str, SourceYield]:
    """What one source's list page yielded this run (``links`` article links on it)."""
    made = SourceYield(links_selector="ul.list li a", content_selectors="article.title h1, article.body #body")
    made.list_page(f"http://127.0.0.1/{source}/index.html", links)
    return {source: made}


def parts() -> list[GatePart]:
    """Three crawls: one with a bad row, one clean, one whose list template changed (nothing staged)."""
    spoiled = good_batch({"lakeside": 3})
    spoiled["indicators"].loc[0, "value"] = 5000.0  # a growth rate of 5000 %
    empty = {t: f.iloc[0:0] for t, f in good_batch({"hillview": 1}).items()}
    return [
        GatePart(spoiled, "run-lakeside", yields("lakeside", 20), {"lakeside": USUAL}),
        GatePart(good_batch({"riverton": 2}), "run-riverton", yields("riverton", 20), {"riverton": USUAL}),
        GatePart(empty, "run-hillview", yields("hillview", 0), {"hillview": USUAL}),
    ]


def verdict(result) -> tuple:
    """What a gate decided about a batch: rows passed per table, and the quarantine rows."""
    passed = {t: len(f) for t, f in result.passed.items()}
    held = sorted(
        zip(
            result.quarantine.run_id,
            result.quarantine.table_name,
            result.quarantine.row_key,
            result.quarantine.expectation,
        )
    )
    return passed, held, result.summary["tables"], result.summary["success"]


def test_batches_gated_together_are_judged_as_each_alone(quality_dirs):
    together = validate_batches(parts(), "run-daily")
    alone = [validate_batch(p.batch, p.run_id, p.history, yields=p.yields, build_docs=False) for p in parts()]
    assert [verdict(r) for r in together] == [verdict(r) for r in alone]
    lakeside, riverton, hillview = together
    assert set(lakeside.quarantine.run_id) == {"run-lakeside"} and len(lakeside.passed["indicators"]) > 0
    assert riverton.quarantine.empty and riverton.success
    assert list(hillview.quarantine.row_key) == ["source:hillview"]
    assert set(lakeside.summary["sources"]) == {"lakeside"} and set(hillview.summary["sources"]) == {"hillview"}


def test_two_parts_of_one_source_are_refused(quality_dirs):
    first, second = parts()[:2]
    with pytest.raises(ValueError, match="same source"):
        validate_batches([first, GatePart(second.batch, second.run_id, first.yields)], "run-daily")


def gate_many(batch):
    """The daily run's gate: one pass over every queued batch."""
    return validate_batches([GatePart(s.frames, s.run_id, s.yields, s.history) for s in batch], "run-daily")


def submit_all(writer: BatchWriter, submissions: list[Submission]) -> list:
    """Each submission written from a thread of its own (as the crawls do); what each got back, in order."""
    answers: list = [None] * len(submissions)

    def write(number: int) -> None:
        answers[number] = writer.write(submissions[number])

    threads = [threading.Thread(target=write, args=(n,)) for n in range(len(submissions))]
    for thread in threads:
        thread.start()
    return answers, threads


def test_the_writer_gates_what_is_queued_in_one_round_and_loads_each_batch(warehouse, quality_dirs):
    published: list[int] = []
    writer = BatchWriter(gate_many, after_round=lambda: published.append(1), load_many=loads_of(warehouse))
    subs = [
        Submission(
            p.yields and next(iter(p.yields)),
            p.run_id,
            p.batch,
            partial(load.fn, warehouse, run_id=p.run_id, publish_after=False),
            p.yields,
            p.history,
        )
        for p in parts()
    ]
    answers, threads = submit_all(writer, subs)
    while writer.pending() < len(subs):  # all queued before the writer starts: one round
        threading.Event().wait(0.01)
    with writer:
        for thread in threads:
            thread.join()
    assert [r["batches"] for r in writer.rounds] == [3] and published == [1]
    lakeside, riverton, hillview = answers
    assert lakeside.error is None and lakeside.counts["documents"] == 3 and lakeside.counts["quarantine"] >= 1
    assert riverton.counts["documents"] == 2 and riverton.summary["success"]
    assert hillview.counts["documents"] == 0 and not hillview.summary["success"]
    loaded = warehouse.execute("SELECT run_id, count(*) FROM documents GROUP BY ALL ORDER BY 1").fetchall()
    assert loaded == [("run-lakeside", 3), ("run-riverton", 2)]
    held = warehouse.execute("SELECT DISTINCT run_id FROM quarantine ORDER BY 1").fetchall()
    assert held == [("run-hillview",), ("run-lakeside",)]


def test_a_batch_whose_load_fails_is_answered_with_its_error_and_the_others_load(warehouse, tmp_path, quality_dirs):
    from warehouse.db import connect

    closed = connect(tmp_path / "elsewhere.duckdb")
    closed.close()
    good, other = parts()[:2]
    subs = [
        Submission("lakeside", good.run_id, good.batch, partial(load.fn, closed, run_id=good.run_id), good.yields),
        Submission(
            "riverton", other.run_id, other.batch, partial(load.fn, warehouse, run_id=other.run_id), other.yields
        ),
    ]
    with BatchWriter(gate_many) as writer:
        answers, threads = submit_all(writer, subs)
        for thread in threads:
            thread.join()
    failed, loaded = answers
    assert failed.error is not None and failed.counts is None and failed.summary["tables"]
    assert loaded.error is None and loaded.counts["documents"] == 2
    assert warehouse.execute("SELECT count(*) FROM documents").fetchone() == (2,)


def test_a_source_queued_twice_waits_for_the_next_round(warehouse, quality_dirs):
    part = parts()[1]
    loader = partial(load.fn, warehouse, run_id=part.run_id, publish_after=False)
    subs = [Submission("riverton", part.run_id, part.batch, loader, part.yields, part.history) for _ in range(2)]
    writer = BatchWriter(gate_many)
    answers, threads = submit_all(writer, subs)
    while writer.pending() < 2:
        threading.Event().wait(0.01)
    with writer:
        for thread in threads:
            thread.join()
    assert [r["batches"] for r in writer.rounds] == [1, 1]
    assert all(a.error is None and a.counts["documents"] == 2 for a in answers)


def test_the_daily_runs_thread_pool_is_sized_by_the_setting_when_a_run_starts(monkeypatch):
    from flows.daily import daily_crawl

    monkeypatch.setenv("BULLETINS_CRAWL_CONCURRENCY", "7")
    assert daily_crawl.task_runner.duplicate()._max_workers == 7
    monkeypatch.setenv("BULLETINS_CRAWL_CONCURRENCY", "70")
    assert daily_crawl.task_runner.duplicate()._max_workers == 70


def test_a_batch_written_after_the_writer_stopped_is_refused_not_left_waiting(warehouse, quality_dirs):
    part = parts()[1]
    with BatchWriter(gate_many) as writer:
        pass
    late = writer.write(Submission("riverton", part.run_id, part.batch, partial(load.fn, warehouse, run_id="x")))
    assert "stopped" in str(late.error) and late.counts is None
    assert warehouse.execute("SELECT count(*) FROM documents").fetchone() == (0,)


def loads_of(warehouse):
    """The daily writer's ``load_many``: a round's batches in one transaction on ``warehouse``."""
    from warehouse.load import load_batches

    return lambda batch, results: load_batches(
        warehouse, [(r.passed, s.run_id, r.quarantine) for s, r in zip(batch, results)]
    )


def test_a_round_loads_in_one_transaction_each_row_under_its_own_run(warehouse, tmp_path, quality_dirs):
    from warehouse.db import connect

    gated = validate_batches(parts(), "run-daily")
    subs = [Submission(next(iter(p.yields)), p.run_id, p.batch, None, p.yields, p.history) for p in parts()]
    together = list(loads_of(warehouse)(subs, gated))
    alone_con = connect(tmp_path / "alone.duckdb")
    alone = [
        load.fn(alone_con, r.passed, r.quarantine, run_id=p.run_id, publish_after=False) for p, r in zip(parts(), gated)
    ]
    assert together == alone
    query = "SELECT run_id, count(*) FROM {} GROUP BY ALL ORDER BY 1"
    for table in ("documents", "articles", "meetings", "meeting_participants", "indicators", "quarantine"):
        assert warehouse.execute(query.format(table)).fetchall() == alone_con.execute(query.format(table)).fetchall()
    alone_con.close()


def test_a_round_that_will_not_load_together_is_loaded_batch_by_batch(warehouse, tmp_path, quality_dirs):
    from warehouse.db import connect

    closed = connect(tmp_path / "closed.duckdb")
    closed.close()
    subs = [
        Submission(next(iter(p.yields)), p.run_id, p.batch, partial(load.fn, warehouse, run_id=p.run_id), p.yields)
        for p in parts()
    ]
    with BatchWriter(gate_many, load_many=loads_of(closed)) as writer:
        answers, threads = submit_all(writer, subs)
        for thread in threads:
            thread.join()
    assert all(a.error is None for a in answers)
    assert [a.counts["documents"] for a in answers] == [3, 2, 0]
    assert warehouse.execute("SELECT count(*) FROM documents").fetchone() == (5,)


def test_load_batches_is_all_or_nothing(warehouse, quality_dirs):
    from warehouse.load import BatchShapeError, load_batches

    good, other = (validate_batches(parts()[:2], "run-daily")[n].passed for n in (0, 1))
    spoiled = {**other, "documents": other["documents"].assign(unexpected=1)}
    with pytest.raises(BatchShapeError, match="unexpected"):
        load_batches(warehouse, [(good, "run-a", None), (spoiled, "run-b", None)])
    assert warehouse.execute("SELECT count(*) FROM documents").fetchone() == (0,)


def submissions(warehouse) -> list[Submission]:
    """The three crawls of ``parts()`` as the writer gets them."""
    return [
        Submission(
            next(iter(p.yields)), p.run_id, p.batch, partial(load.fn, warehouse, run_id=p.run_id), p.yields, p.history
        )
        for p in parts()
    ]


def crawl_thread(
    writer: BatchWriter, sub: Submission | None, run_id: str, answers: dict, started: threading.Barrier, go=None
) -> threading.Thread:
    """A crawl under way (``awaiting``, then ``started``) that hands in ``sub`` when ``go`` is set (None: no batch)."""

    def crawl() -> None:
        with writer.awaiting(run_id):
            started.wait()  # every crawl is under way before the first hands in its batch, as in a daily run
            if go is not None:
                go.wait()
            if sub is not None:
                answers[run_id] = writer.write(sub)

    thread = threading.Thread(target=crawl)
    thread.start()
    return thread


def after(seconds: float) -> threading.Event:
    """An event set ``seconds`` from now: a crawl that finishes fetching then."""
    event = threading.Event()
    threading.Timer(seconds, event.set).start()
    return event


def test_a_round_waits_for_the_crawls_under_way(warehouse, quality_dirs):
    """Crawls that finish half a second apart are gated in one pass: the round waits for those still fetching."""
    answers: dict = {}
    subs = submissions(warehouse)
    started = threading.Barrier(len(subs))
    with BatchWriter(gate_many) as writer:
        threads = [crawl_thread(writer, s, s.run_id, answers, started, after(0.5 * n)) for n, s in enumerate(subs)]
        for thread in threads:
            thread.join()
    assert [r["batches"] for r in writer.rounds] == [3]
    assert len(answers) == 3 and all(a.error is None for a in answers.values())


def test_a_crawl_that_ends_without_a_batch_is_not_waited_for(warehouse, quality_dirs, monkeypatch):
    monkeypatch.setattr("bulletins.pipeline.writer.WAIT_MAX_SECONDS", 600.0)  # only its end can release the round
    first, *_ = submissions(warehouse)
    answers: dict = {}
    started = threading.Barrier(2)
    with BatchWriter(gate_many) as writer:
        threads = [
            crawl_thread(writer, first, first.run_id, answers, started),
            crawl_thread(writer, None, "run-failed", answers, started, after(0.5)),
        ]
        for thread in threads:
            thread.join(timeout=60)
        assert not any(t.is_alive() for t in threads), "the round kept waiting for a crawl that had ended"
    assert [r["batches"] for r in writer.rounds] == [1] and answers[first.run_id].error is None


def test_a_round_waits_for_a_slow_crawl_only_so_long(warehouse, quality_dirs, monkeypatch):
    monkeypatch.setattr("bulletins.pipeline.writer.WAIT_MAX_SECONDS", 0.2)
    first, second, _ = submissions(warehouse)
    answers: dict = {}
    started, slow_done = threading.Barrier(2), threading.Event()
    with BatchWriter(gate_many) as writer:
        slow = crawl_thread(writer, second, second.run_id, answers, started, slow_done)
        fast = crawl_thread(writer, first, first.run_id, answers, started)
        fast.join(timeout=60)
        assert not fast.is_alive() and answers[first.run_id].error is None  # answered while the slow one fetches
        assert [r["batches"] for r in writer.rounds] == [1] and writer.awaited() == 1
        slow_done.set()
        slow.join(timeout=60)
    assert [r["batches"] for r in writer.rounds] == [1, 1] and answers[second.run_id].error is None
