"""The held-out gate: `bulletins extract --jsonl` on bulletins nobody tuned the rules on.

tests/core/holdout/ holds 12 bulletin texts in the style of other cities' and years' news
(常务会议, 常委会会议, 调度会, 推进会, 视频会议, 座谈会, 全会, a two-day 观摩会, two meetings in
one item, an e-paper page with a fragment, a traditional page with pinyin, a page with no
meeting), each with gold labelled from the text by shared/spec/extraction.md. The real
command runs on them in a subprocess; counts use the scoring helpers of the dev gate
(tests/core/test_eval_gate.py), and each score must hold its floor in holdout_baseline.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.test_eval_gate import add_counts, f1, meeting_pair, run_extract

HOLDOUT = Path(__file__).parent / "holdout"
BASELINE = Path(__file__).parent / "holdout_baseline.json"
REPO = Path(__file__).resolve().parents[2]


def load_holdout() -> list[dict]:
    """The held-out gold documents with their texts."""
    docs = []
    for path in sorted(HOLDOUT.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["text"] = (HOLDOUT / doc["text_file"]).read_text(encoding="utf-8")
        docs.append(doc)
    return docs


def meeting_details(gold: list[dict], pred: list[dict], tally: dict[str, list]) -> None:
    """For matched, non-optional meetings: start date and chairs agree, participant-name F1."""
    pairs = sorted(
        ((s, gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if (s := meeting_pair(g, p)) > 0),
        key=lambda t: -t[0],
    )
    used_g, used_p = set(), set()
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        g, p = gold[gi], pred[pi]
        if g.get("optional"):
            continue
        if g.get("start_date"):
            tally["start_date"].append(g["start_date"] == p.get("start_date"))
        chairs = {x["name"] for x in g["participants"] if x["role"] == "chair"}
        if chairs:
            tally["chair"].append(chairs == {x["name"] for x in p["participants"] if x["role"] == "chair"})
        gp, pp = {x["name"] for x in g["participants"]}, {x["name"] for x in p["participants"]}
        if gp or pp:
            hit = len(gp & pp)
            tally["participants"].append(f1(hit, len(pp) - hit, len(gp) - hit))


@pytest.fixture(scope="module")
def scored() -> dict[str, float]:
    """Run the command on the held-out pages once; F1s and meeting attribute scores."""
    docs = load_holdout()
    results = {str(r["id"]): r for r in run_extract(docs)}
    totals = {"meetings": [0, 0, 0], "indicators": [0, 0, 0]}
    strict = {"meetings": [0, 0, 0], "indicators": [0, 0, 0]}
    tally: dict[str, list] = {"start_date": [], "chair": [], "participants": []}
    for d in docs:
        r = results.get(str(d["id"]), {})
        assert "error" not in r, r
        add_counts(totals, d, r)
        add_counts(strict, d, r, strict=True)
        meeting_details(d["meetings"], r.get("meetings") or [], tally)
    mean = {k: sum(v) / len(v) for k, v in tally.items()}
    return {
        "meetings_f1": f1(*totals["meetings"]),
        "indicators_f1": f1(*totals["indicators"]),
        "meeting_start_date_accuracy": mean["start_date"],
        "meeting_chair_accuracy": mean["chair"],
        "participant_names_f1": mean["participants"],
        "strict_meetings_f1": f1(*strict["meetings"]),
        "strict_indicators_f1": f1(*strict["indicators"]),
    }


@pytest.fixture(scope="module")
def floors() -> dict:
    """The pinned floors."""
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def test_holdout_set_is_complete():
    docs = load_holdout()
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
