"""The held-out gate: `bulletins extract --jsonl` on bulletins nobody tuned the rules on.

tests/core/holdout/ holds 12 bulletin texts in the style of other cities' and years' news
(常务会议, 常委会会议, 调度会, 推进会, 视频会议, 座谈会, 全会, a two-day 观摩会, two meetings in
one item, an e-paper page with a fragment, a traditional page with pinyin, a page with no
meeting), each with gold labelled from the text by shared/spec/extraction.md. The real
command runs on them in a subprocess; it is scored by the gates' one matcher
(tests/core/gate_scoring.py), and each score must hold its floor in holdout_baseline.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.gate_scoring import load_docs, run_extract, tallies

HOLDOUT = Path(__file__).parent / "holdout"
BASELINE = Path(__file__).parent / "holdout_baseline.json"


@pytest.fixture(scope="module")
def scored() -> dict[str, float]:
    """Run the command on the held-out pages once; F1s and meeting attribute scores (strict: place left aside)."""
    docs = load_docs(HOLDOUT)
    kinds = tallies(docs, run_extract(docs))
    meetings, indicators = kinds["meetings"], kinds["indicators"]
    return {
        "meetings_f1": meetings.f1(),
        "indicators_f1": indicators.f1(),
        "meeting_start_date_accuracy": meetings.accuracy("start_date"),
        "meeting_chair_accuracy": meetings.accuracy("chair"),
        "participant_names_f1": meetings.participant_f1(),
        "strict_meetings_f1": meetings.f1(meetings.exact_no_place),
        "strict_indicators_f1": indicators.f1(indicators.exact_no_place),
    }


@pytest.fixture(scope="module")
def floors() -> dict:
    """The pinned floors."""
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def test_holdout_set_is_complete():
    docs = load_docs(HOLDOUT)
    assert len(docs) >= 10 and all(d["text"].strip() for d in docs)
    assert any(not d["meetings"] for d in docs)  # a page with no meeting keeps precision honest
    assert any(len(d["meetings"]) >= 2 for d in docs)


@pytest.mark.parametrize(
    "score",
    [
        "meetings_f1",
        "indicators_f1",
        "meeting_start_date_accuracy",
        "meeting_chair_accuracy",
        "participant_names_f1",
        "strict_meetings_f1",
        "strict_indicators_f1",
    ],
)
def test_holdout_score_holds_its_floor(scored, floors, score):
    assert scored[score] >= floors[score], scored
