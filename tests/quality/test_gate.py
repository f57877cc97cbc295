"""The gate: bad rows land in quarantine with the right reason; good rows pass; nothing is lost."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from bulletins.pipeline.ledger import SourceYield
from expectations.gate import KEYS, row_key, validate_batch
from tests.quality.batches import good_batch


def _spoil(batch: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Spoil one row per rule in a good batch; return the key of each spoiled row by case."""
    ind, meet, art, part = (batch[t] for t in ("indicators", "meetings", "articles", "meeting_participants"))
    ind.loc[0, "value"] = 5000.0  # a growth rate of 5000%
    meet.loc[1, ["start_date", "end_date"]] = [dt.date(2023, 7, 28), dt.date(2023, 7, 27)]
    art.loc[2, "body"] = "   "
    ind.loc[3, "indicator_id"] = ind.loc[2, "indicator_id"]  # a duplicate key
    part.loc[6, "person"] = None  # a participant without a name
    ind.loc[8, "value"] = 166.3
    ind.loc[8, "measure"] = "share"
    ind.loc[8, "unit"] = "%"
    return {
        "growth": ind.loc[0, "indicator_id"],
        "ends_before": meet.loc[1, "meeting_id"],
        "empty_body": art.loc[2, "article_id"],
        "duplicate": ind.loc[2, "indicator_id"],
        "no_name": part.loc[6, "meeting_id"],
        "share": ind.loc[8, "indicator_id"],
    }


@pytest.fixture(scope="module")
def gated(quality_dirs):
    """A five-document batch with one bad row per rule, through the gate."""
    batch = good_batch({"hengyang": 5})
    keys = _spoil(batch)
    return batch, keys, validate_batch(batch, "run-bad-rows", history={"hengyang": [_run(5)] * 3})


CASES = [
    ("growth", "indicators", "expect_column_values_to_be_between(value)", "change rate beyond ±1000%"),
    (
        "ends_before",
        "meetings",
        "expect_column_pair_values_a_to_be_greater_than_b(end_date,start_date)",
        "ends before it starts",
    ),
    ("empty_body", "articles", "expect_column_values_to_match_regex(body)", "body is empty"),
    ("duplicate", "indicators", "expect_column_values_to_be_unique(indicator_id)", "not unique"),
    ("no_name", "meeting_participants", "expect_column_values_to_not_be_null(person)", "person is missing"),
    ("share", "indicators", "expect_column_values_to_be_between(value)", "share outside 0–100%"),
]


@pytest.mark.parametrize("case,table,expectation,reason", CASES, ids=[c[0] for c in CASES])
def test_bad_row_lands_in_quarantine_with_its_reason(gated, case, table, expectation, reason):
    """Each spoiled row is quarantined under the expectation it broke, with a human reason."""
    _, keys, result = gated
    q = result.quarantine
    hits = q[(q.table_name == table) & (q.expectation == expectation) & q.row_key.str.startswith(keys[case])]
    assert len(hits) >= 1, q[["table_name", "row_key", "expectation"]].to_string()
    assert hits.reason.str.contains(reason, regex=False).all()
    assert all(json.loads(j) for j in hits.row_json)


def test_both_copies_of_a_duplicate_key_are_held(gated):
    """Neither copy of a duplicated key loads; each has its own quarantine row."""
    _, keys, result = gated
    q = result.quarantine
    dup = q[q.expectation == "expect_column_values_to_be_unique(indicator_id)"]
    assert sorted(dup.row_key) == [keys["duplicate"], keys["duplicate"] + "#2"]
    assert keys["duplicate"] not in set(result.passed["indicators"].indicator_id)


def test_dependents_go_with_their_parent(gated):
    """A quarantined meeting takes its participants; a quarantined article its meetings and figures."""
    _, keys, result = gated
    q = result.quarantine
    deps = q[q.expectation == "depends_on_quarantined_row"]
    assert {f"{keys['ends_before']}|朱健", f"{keys['ends_before']}|刘越高"} <= set(deps.row_key)
    article = keys["empty_body"]
    assert {f"{article}:m0", f"{article}:i0", f"{article}:i1"} <= set(deps.row_key)
    assert deps.reason.str.contains("was quarantined").all()


def test_good_rows_pass(gated):
    """Rows with nothing wrong (and no quarantined parent) all go on to the loader."""
    batch, _, result = gated
    assert len(result.passed["documents"]) == 5
    assert len(result.passed["articles"]) == 4
    assert len(result.passed["meetings"]) == 3
    assert len(result.passed["meeting_participants"]) == 10 - 2 - 2 - 1
    assert len(result.passed["indicators"]) == 10 - 2 - 2 - 1 - 1
    assert list(result.passed["indicators"].columns) == list(batch["indicators"].columns)


def test_nothing_is_lost(gated):
    """Every staged row is either passed or quarantined."""
    batch, _, result = gated
    for table, frame in batch.items():
        staged = {row_key(table, row, i) for i, row in enumerate(frame.to_dict("records"))}
        passed = {row_key(table, row, i) for i, row in enumerate(result.passed[table].to_dict("records"))}
        held = {k.split("#")[0] for k in result.quarantine[result.quarantine.table_name == table].row_key}
        assert staged <= passed | held, table


def test_summary_counts(gated):
    """The summary says the run failed and counts each table."""
    _, _, result = gated
    assert result.summary["success"] is False and not result.success
    assert result.summary["tables"]["indicators"] == {"staged": 10, "passed": 4, "quarantined": 6}
    assert {f["table"] for f in result.summary["failed_expectations"]} >= {"indicators", "meetings", "articles"}


def test_a_good_batch_passes_whole(quality_dirs):
    """Nothing quarantined; Data Docs written where the README says."""
    batch = good_batch({"hengyang": 2, "rednet": 1})
    result = validate_batch(batch, "run-good", history={"hengyang": [_run(2)] * 3})
    assert result.quarantine.empty and result.success
    assert {t: len(f) for t, f in result.passed.items()} == {t: len(f) for t, f in batch.items()}
    assert (quality_dirs / "reports" / "data_docs" / "index.html").exists()
    assert result.summary["data_docs"].endswith("data_docs/index.html")


def _run(links: int, parsed: int = 0, with_content: int = 0) -> dict:
    """What a crawl run's pages yielded, as the runs summary records it."""
    return {"list_pages_read": 1, "links_seen": links, "pages_parsed": parsed, "pages_with_content": with_content}


def _yields(links: int, parsed: int = 0, with_content: int = 0, pages_read: int = 1) -> dict:
    """This run's yield of hengyang, as its pages made it (selectors and pages named in the alert)."""
    made = SourceYield(links_selector="ul.list li a", content_selectors="article.title h1, article.body #body")
    for n in range(pages_read):
        made.list_page("http://127.0.0.1/news/" + (f"index_{n}.html" if n else "index.html"), links if n == 0 else 0)
    for n in range(parsed):
        made.article_page(f"http://127.0.0.1/news/a/{9 + n}.html", n < with_content)
    return {"hengyang": made}


USUAL = [_run(20, 2, 2), _run(20, 0, 0), _run(20, 1, 1), _run(20, 0, 0), _run(21, 3, 3)]


@pytest.mark.parametrize(
    "now,history,held",
    [
        (_yields(20), USUAL, []),  # a quiet day: nothing new, list pages as usual
        (_yields(20, 2, 2), USUAL, []),  # new articles, as usual
        (_yields(0), USUAL, ["links_seen"]),  # the list template changed
        (_yields(3), USUAL, ["links_seen"]),  # a fraction of the usual links
        (_yields(20, 4, 0), USUAL, ["content_share"]),  # the article template changed
        (_yields(0, 0, 0, pages_read=0), USUAL, []),  # no list page read: a discover error, not a selector
        (_yields(0), USUAL[:2], []),  # too little history to judge
    ],
)
def test_source_yields_against_history(quality_dirs, now, history, held):
    """What the source's pages yielded, against its recent runs: a template change is held as a row."""
    result = validate_batch(
        good_batch({"rednet": 2}),
        f"run-yield-{len(held)}-{id(now)}",
        history={"hengyang": history},
        yields=now,
        build_docs=False,
    )
    q = result.quarantine
    rows = q[q.table_name == "source_yield"]
    assert sorted(e.split("(")[1].split(",")[0] for e in rows.expectation) == held
    assert result.summary["sources"]["hengyang"]["ok"] is (not held)
    assert (rows.row_key == "source:hengyang").all()
    if held == ["links_seen"]:
        assert rows.reason.iloc[0].startswith("source hengyang: selector links.selector 'ul.list li a' found")
        assert rows.reason.iloc[0].endswith("on http://127.0.0.1/news/index.html")
    if held == ["content_share"]:
        assert "article.body #body found no title and body on http://127.0.0.1/news/a/9.html" in rows.reason.iloc[0]
    assert len(result.passed["documents"]) == 2  # the rows themselves are fine: they load


def test_yields_are_checked_when_nothing_was_staged(quality_dirs):
    """A template change stages nothing; the check still runs on an empty batch."""
    empty = {t: f.iloc[0:0] for t, f in good_batch({"rednet": 1}).items()}
    result = validate_batch(empty, "run-yield-empty", history={"hengyang": USUAL}, yields=_yields(0), build_docs=False)
    assert list(result.quarantine.row_key) == ["source:hengyang"] and not result.success


def test_keys_cover_every_table():
    """The gate knows the key of every staged table."""
    assert set(KEYS) == {"documents", "articles", "meetings", "meeting_participants", "indicators"}


PLACE_REGEX = "expect_column_values_to_match_regex(place)"
KNOWN_KEY = "expect_column_values_to_be_in_set(metric_key)"


def test_places_and_metric_keys_are_checked_where_set(quality_dirs):
    """A blank or short place and an unknown metric_key are held; a fact with neither set passes."""
    batch = good_batch({"zhuzhou": 4})
    meet, ind = batch["meetings"], batch["indicators"]
    meet.loc[0, "place"] = "  "  # blank
    meet.loc[1, "place"] = None  # the text left it open: allowed by the extraction contract
    ind.loc[0, "place"] = "株洲"  # a short name, not the division's full name 株洲市
    ind.loc[1, "place"] = "全国"
    ind.loc[2, "metric_key"] = "gdp_growth"  # no such key in warehouse/metrics.yaml
    ind.loc[3, ["place", "metric_key"]] = [None, None]  # a local figure of no catalogue entry
    ind.loc[4, "place"] = "鄂温克族自治旗"
    result = validate_batch(batch, "run-places", history={"zhuzhou": [_run(4)] * 3})
    q = result.quarantine
    held = {(row.table_name, row.row_key, row.expectation) for row in q.itertuples()}
    assert (("meetings", meet.loc[0, "meeting_id"], PLACE_REGEX)) in held
    assert (("indicators", ind.loc[0, "indicator_id"], PLACE_REGEX)) in held
    assert (("indicators", ind.loc[2, "indicator_id"], KNOWN_KEY)) in held
    assert q[q.expectation == PLACE_REGEX].reason.str.contains("administrative area's full name").all()
    assert q[q.expectation == KNOWN_KEY].reason.str.contains("warehouse/metrics.yaml").all()
    checked = q[q.expectation.isin([PLACE_REGEX, KNOWN_KEY])]
    assert len(checked) == 3, checked[["table_name", "row_key", "expectation"]].to_string()
    passed = set(result.passed["indicators"].indicator_id)
    assert {ind.loc[n, "indicator_id"] for n in (1, 3, 4, 5, 6, 7)} <= passed
    assert meet.loc[1, "meeting_id"] in set(result.passed["meetings"].meeting_id)
