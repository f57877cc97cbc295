"""A crawl run's decisions, without Prefect or a server: what to fetch, what an answer means, how a run went."""

from __future__ import annotations

import pytest

from bulletins.crawl import run
from bulletins.crawl.discover import Discovered
from bulletins.crawl.fetcher import FetchResult
from bulletins.pipeline.ledger import RunLedger, SourceYield

URL = "http://127.0.0.1:8765/gov/a/7.html"


def ledger() -> RunLedger:
    """A fresh ledger of the demo government source, its yield naming its selectors."""
    made = RunLedger("run-1", "demo_gov")
    made.yields = SourceYield.of(run.source_config("demo_gov"))
    return made


def answer(outcome: str, status: int | None, body: bytes | None = None, error: str | None = None) -> FetchResult:
    """A fetcher's answer for URL."""
    return FetchResult(url=URL, final_url=URL, http_status=status, outcome=outcome, body=body, error=error)


def test_fetch_targets_are_pending_and_failed_links_then_rechecks_once_each():
    assert run.fetch_targets(["n2", "n1", "r1"], ["c1", "r1"]) == ["n2", "n1", "r1", "c1"]


# (answer, processed?, link state, counted as, error stage): what each answer means for its link.
ANSWERS = [
    (answer("fetched", 200, b"<html/>"), True, None, "fetched", None),
    (answer("not_modified", 304), False, "fetched", "not_modified", None),
    (answer("robots_disallowed", None, error="Disallow: /gov/"), False, "gone", "skipped", None),
    (answer("http_error", 404), False, "gone", None, "fetch"),  # removed by the site
    (answer("http_error", 503), False, "failed", None, "fetch"),  # down for now: retried next run
    (answer("not_html", 200), False, "gone", None, "fetch"),  # a PDF behind an article link
    (answer("connection_error", None, error="refused"), False, "failed", None, "fetch"),
]


@pytest.mark.parametrize("result,processed,link_state,counted,stage", ANSWERS)
def test_what_an_answer_means_for_its_link(result, processed, link_state, counted, stage):
    made = ledger()
    assert run.take_fetch(made, URL, result) is processed
    assert [o["state"] for o in made.outcomes] == ([link_state] if link_state else [])
    if counted:
        assert made.counts[counted] == 1
    assert [e["stage"] for e in made.errors] == ([stage] if stage else [])
    if link_state == "gone":
        assert made.outcomes[0]["error"]  # the reason is kept on the link


def walk(pages: list[str], failures: list[tuple[str, str, str | None]], links: list[str]) -> Discovered:
    """What discovery's walk over the list pages found."""
    found = Discovered()
    found.extend(links)
    found.pages_read, found.failures = pages, failures
    return found


def test_a_walk_ending_on_a_missing_page_is_normal_but_no_list_page_read_is_an_error():
    made = ledger()
    ended = walk(["index.html", "index_1.html"], [("index_1.html", "http_error", "404")], ["a", "b"])
    assert run.take_discovery(made, ended) == ["a", "b"] and made.errors == []
    down = walk(["index.html"], [("index.html", "connection_error", "refused")], [])
    assert run.take_discovery(made, down) == []
    assert made.errors[0]["stage"] == "discover" and "index.html: connection_error refused" in made.errors[0]["error"]


def test_a_quiet_day_completes_and_says_nothing_new():
    made = ledger()
    made.yields.list_page("index.html", 20)
    outcome = run.crawl_outcome(made, None)
    assert outcome.status == "completed" and outcome.source_error is None
    assert outcome.message.startswith("nothing new") and outcome.summary["links_seen"] == 20


def test_pages_without_any_article_are_a_template_failure():
    made = ledger()
    for n in (1, 2):
        made.counts["fetched"] += 1
        made.page_content(f"a/{n}.html", False)
        made.fail(f"a/{n}.html", "parse", "no article text on the page: article.body: nothing matched #body")
    outcome = run.crawl_outcome(made, None)
    assert outcome.status == "failed" and outcome.summary["pages_with_content"] == 0
    assert outcome.source_error.startswith("no article on any of the 2 pages fetched")


def failing(*stages: str) -> RunLedger:
    """A ledger whose pages failed at ``stages`` (one page each), nothing else fetched."""
    made = ledger()
    for n, stage in enumerate(stages):
        made.fail(None if stage == "discover" else f"a/{n}.html", stage, f"{stage} trouble")
    return made


def fetched_one(made: RunLedger) -> RunLedger:
    """The ledger with one page fetched whole."""
    made.counts["fetched"] += 1
    made.page_content("a/ok.html", True)
    made.yields.list_page("index.html", 5)
    return made


def quarantined(made: RunLedger) -> RunLedger:
    """The ledger with two rows held back by the gate."""
    made.record_gate(
        {
            "tables": {},
            "failed_expectations": [
                {"table": "meetings", "reason": "ends before it starts", "expectation": "x", "unexpected_count": 2}
            ],
        }
    )
    made.record_load({"quarantine": 2, "documents": 1})
    return made


# (ledger, status, the start of the one-line reason): the one rule for a source's state.
STATES = [
    (fetched_one(ledger()), "completed", None),  # a normal day
    (ledger(), "completed", None),  # nothing at all to do
    (failing("discover"), "failed", "list pages unreadable: discover trouble"),
    (failing("fetch", "fetch"), "failed", "every one of the 2 pages asked for failed, first a/0.html"),
    (fetched_one(failing("fetch")), "warning", None),  # one page down: retried next run
    (quarantined(fetched_one(ledger())), "failed", "2 row(s) quarantined: meetings: ends before it starts"),
]


@pytest.mark.parametrize("made,status,reason", STATES)
def test_one_rule_for_a_sources_state(made, status, reason):
    outcome = run.crawl_outcome(made, None)
    assert outcome.status == status == outcome.summary["status"]  # 'warning': Completed, no alert
    assert (outcome.source_error or "").startswith(reason or "") and bool(outcome.source_error) == bool(reason)


def test_a_list_page_whose_selector_finds_nothing_fails_on_a_cold_start():
    made = ledger()
    made.yields.list_page("http://127.0.0.1:8765/gov/index.html", 0)
    outcome = run.crawl_outcome(made, None)
    assert outcome.status == "failed"
    assert outcome.source_error.startswith(
        "selector links.selector 'ul.list li a' found nothing on http://127.0.0.1:8765/gov/index.html"
    )


def test_a_run_stopped_by_an_error_is_failed_with_that_error():
    made = ledger()
    try:
        raise OSError("disk full")
    except OSError as exc:
        line = run.fail_run(made, exc)
    outcome = run.crawl_outcome(made, line)
    assert outcome.status == "failed" and outcome.message.startswith("OSError: disk full")
    assert made.errors[0]["stage"] == "source"


def test_a_source_yield_merges_chunks_and_names_the_pages_that_yielded_nothing():
    first, second = SourceYield(links_selector="ul a"), SourceYield()
    first.list_page("index.html", 0)
    first.article_page("a/1.html", True)
    second.article_page("a/2.html", False)
    first.merge(second)
    seen = first.as_dict()
    assert (seen["list_pages_read"], seen["links_seen"], seen["list_pages_without_links"]) == (1, 0, ["index.html"])
    assert (seen["pages_parsed"], seen["pages_with_content"], seen["pages_without_content"]) == (2, 1, ["a/2.html"])


def test_flows_are_wiring_short_and_reaching_the_crawl_room_only_through_its_run_module():
    import ast
    from pathlib import Path

    for path in sorted((Path(__file__).resolve().parents[2] / "flows").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) < 150, path.name
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bulletins.crawl"):
                assert node.module == "bulletins.crawl" and [a.name for a in node.names] == ["run"], path.name
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("bulletins.crawl") for a in node.names), path.name


def test_gate_and_load_has_one_definition_in_the_tree():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = subprocess.run(
        [
            "grep",
            "-rlE",
            r"def (gate_and_load|validate_and_load)\b",
            "bulletins",
            "flows",
            "tasks",
            "expectations",
            "warehouse",
        ],
        cwd=root,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert found == ["bulletins/pipeline/ledger.py"]


def test_a_reprocess_that_loads_nothing_for_its_errors_needs_an_operator():
    made = RunLedger("run-r", "*")
    made.error("a/1.html", "archive", "object abc is corrupt")
    assert run.reprocess_problem(made).startswith("nothing loaded, 1 error(s), first a/1.html: archive: object")
    made.record_load({"documents": 3})
    # Some pages loaded, but an archived page is unreadable: no rerun heals it, an operator must.
    assert run.reprocess_problem(made).startswith("archive damaged: 1 archived page(s) unreadable, first a/1.html")


def test_a_reprocess_with_pages_that_did_not_parse_needs_no_operator():
    made = RunLedger("run-r", "*")
    made.error("a/2.html", "parse", "no body found")
    made.error(None, "archive", "manifest line 7 skipped: BadManifestLine: http_status")
    made.record_load({"documents": 3})
    assert run.reprocess_problem(made) is None  # counted on the run; the archive's pages are all there
