"""The extraction quality gate: `bulletins extract --jsonl` on the gold pages must keep its F1.

Like trafilatura's eval gate: the gold files in tests/core/eval/ (the shared dev gold, text
files pointing at demo/seeds/) are run through the real command in a subprocess and scored
with the matching rules of the shared scorer (shared/eval/score.py; the gates' one matcher is
tests/core/gate_scoring.py); the test fails when meetings F1 or indicators F1 falls below the
floors in tests/core/eval/baseline.json.

The shared dev set (../shared/gold/dev: the seeds and real bulletins of one city, read at
test time, never copied) is scored the same way, with a strict F1 beside it: a match counts
there only when its attributes are right too (an indicator's measure, period, rank and
target; a meeting's start date and chairs). Place is left aside here: it is scored with the
place pass.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.gate_scoring import (
    Tally,
    alike,
    indicator_pair,
    load_docs,
    match,
    norm_unit,
    on_indicator,
    run_extract,
    tallies,
)

EVAL_DIR = Path(__file__).parent / "eval"
REPO = Path(__file__).resolve().parents[2]
SHARED_DEV = REPO.parent / "shared" / "gold" / "dev"


@pytest.fixture(scope="module")
def scored() -> dict[str, float]:
    """Run the real extract command on the gold pages once; F1 for meetings and indicators."""
    docs = load_docs(EVAL_DIR)
    return {key: tally.f1() for key, tally in tallies(docs, run_extract(docs)).items()}


@pytest.fixture(scope="module")
def dev_scored() -> dict[str, float]:
    """The real extract command on the shared dev set; summary and strict F1s (place left aside)."""
    if not SHARED_DEV.is_dir():
        pytest.skip("the shared dev set is not beside this checkout")
    docs = load_docs(SHARED_DEV)
    kinds = tallies(docs, run_extract(docs))
    meetings, indicators = kinds["meetings"], kinds["indicators"]
    return {
        "dev_meetings_f1": meetings.f1(),
        "dev_indicators_f1": indicators.f1(),
        "dev_strict_meetings_f1": meetings.f1(meetings.exact_no_place),
        "dev_strict_indicators_f1": indicators.f1(indicators.exact_no_place),
    }


@pytest.fixture(scope="module")
def floors() -> dict:
    """The pinned F1 floors."""
    return json.loads((EVAL_DIR / "baseline.json").read_text(encoding="utf-8"))


def test_gold_files_point_at_the_bundled_seeds():
    docs = load_docs(EVAL_DIR)
    assert len(docs) >= 5 and all(d["text"].strip() for d in docs)


def test_indicators_f1_holds_its_floor(scored, floors):
    assert scored["indicators"] >= floors["indicators_f1"], scored


def test_meetings_f1_holds_its_floor(scored, floors):
    assert scored["meetings"] >= floors["meetings_f1"], scored


@pytest.mark.parametrize(
    "score", ["dev_meetings_f1", "dev_indicators_f1", "dev_strict_meetings_f1", "dev_strict_indicators_f1"]
)
def test_shared_dev_set_holds_its_floor(dev_scored, floors, score):
    assert dev_scored[score] >= floors[score], dev_scored


def indicator_counts(gold: list[dict], pred: list[dict]) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(tp, fp, fn) of one document's indicators, and the strict ones."""
    tally = Tally(indicator_pair, on_indicator)
    tally.add(gold, pred)
    return tally.counts(), tally.counts(tally.exact_no_place)


def test_strict_counting_needs_the_attributes_right():
    gold = [{"metric": "地区生产总值", "value": 6.1, "unit": "%", "measure": "change", "period": "2024-01/2024-06"}]
    right = [{"metric": "地区生产总值", "value": 6.1, "unit": "%", "measure": "change", "period": "2024-01/2024-06"}]
    wrong = [{"metric": "地区生产总值", "value": 6.1, "unit": "%", "measure": "change", "period": "2024-01/2024-03"}]
    assert indicator_counts(gold, right) == ((1, 0, 0), (1, 0, 0))
    assert indicator_counts(gold, wrong) == ((1, 0, 0), (0, 1, 1))


def test_scoring_helper_matches_like_the_shared_scorer():
    gold = [
        {"metric": "园区上交税金总额", "value": 22.2, "unit": "%"},
        {"metric": "提前完成", "value": 16, "unit": "项", "optional": True},
    ]
    pred = [
        {"metric": "上交税金总额", "value": 22.2, "unit": "%"},  # contained: a match
        {"metric": "提前完成", "value": 16, "unit": "项"},  # matches an optional item: neutral
        {"metric": "税收", "value": 5, "unit": "%"},
    ]  # a false hit
    assert match(gold, pred, indicator_pair) == ([(gold[0], pred[0])], 1, 0)
    assert indicator_counts(gold, pred)[0] == (1, 1, 0)
    assert norm_unit("百分点") == "个百分点" and alike("地区生产总值增速", "GDP增速") == 0.0
