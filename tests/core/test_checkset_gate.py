"""The check-set gate: `bulletins extract --jsonl` on 28 bulletins in the styles of other provinces.

tests/core/checkset/ holds texts written by us after studying how bulletins outside Hunan are
written (Jiangsu, Guangdong, Sichuan, Zhejiang, Fujian, Guangxi, Xinjiang, Heilongjiang, ...;
notes in /work/notes/bulletin-styles.md), with gold labelled to shared/spec/extraction.md before
any extractor was run on them. The real command runs on them in a subprocess and is scored like
shared/eval/score.py: the summary F1s, the strict F1s (a match counts only when its attributes
are right too) and the attribute agreements, each held to a floor in checkset_baseline.json.
Matching and counting are the gates' one matcher (tests/core/gate_scoring.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.gate_scoring import load_docs, run_extract, tallies

CHECKSET = Path(__file__).parent / "checkset"
BASELINE = Path(__file__).parent / "checkset_baseline.json"
REPO = Path(__file__).resolve().parents[2]
SHARED_SCORER = REPO.parent / "shared" / "eval" / "score.py"


def load_checkset() -> list[dict]:
    """The check-set gold documents with their texts."""
    return load_docs(CHECKSET / "gold")


def score(docs: list[dict], results: list[dict]) -> dict[str, float]:
    """Every gated figure for one run of the extractor over the check set."""
    kinds = tallies(docs, results)
    meetings, indicators = kinds["meetings"], kinds["indicators"]
    return {
        "meetings_f1": meetings.f1(),
        "indicators_f1": indicators.f1(),
        "strict_meetings_f1": meetings.f1(meetings.exact),
        "strict_indicators_f1": indicators.f1(indicators.exact),
        "strict_meetings_f1_without_place": meetings.f1(meetings.exact_no_place),
        "strict_indicators_f1_without_place": indicators.f1(indicators.exact_no_place),
        "meeting_start_date_accuracy": meetings.accuracy("start_date"),
        "meeting_chair_accuracy": meetings.accuracy("chair"),
        "meeting_place_accuracy": meetings.accuracy("place"),
        "participant_names_f1": meetings.participant_f1(),
        "indicator_measure_accuracy": indicators.accuracy("measure"),
        "indicator_period_accuracy": indicators.accuracy("period"),
        "indicator_rank_accuracy": indicators.accuracy("rank"),
        "indicator_target_accuracy": indicators.accuracy("target"),
        "indicator_place_accuracy": indicators.accuracy("place"),
    }


@pytest.fixture(scope="module")
def run() -> tuple[list[dict], list[dict]]:
    """The check set and the command's results on it, computed once."""
    docs = load_checkset()
    return docs, run_extract(docs)


@pytest.fixture(scope="module")
def scored(run) -> dict[str, float]:
    """The gated figures of that run."""
    return score(*run)


@pytest.fixture(scope="module")
def floors() -> dict:
    """The pinned floors."""
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def test_checkset_covers_what_issue_9_asks():
    docs = load_checkset()
    assert len(docs) >= 20 and all(d["text"].strip() for d in docs)
    figures = [d for d in docs if not d["meetings"] and d["indicators"]]
    meetings = [d for d in docs if d["meetings"]]
    mixed = [d for d in meetings if sum(not i.get("optional") for i in d["indicators"]) >= 5]
    assert len(figures) >= 8 and len(meetings) >= 8 and len(mixed) >= 4
    assert any(sum(not m.get("optional") for m in d["meetings"]) >= 3 for d in docs)  # a chronicle
    assert any(not d["indicators"] for d in docs)  # a meeting with no figure keeps precision honest
    assert any(re.search(r"[們這經過會議發]", d["text"]) for d in docs)  # a traditional-character page


def test_every_gold_item_is_labelled_to_the_contract():
    for d in load_checkset():
        for m in d["meetings"]:
            assert m["place"] and {"name", "kind", "start_date", "end_date", "format"} <= m.keys(), (d["id"], m)
            assert all(p["role"] in ("chair", "speaker", "presenter", "attendee") for p in m["participants"])
        for i in d["indicators"]:
            assert i["measure"] in ("level", "change", "share", "difference", "ratio", "rank"), (d["id"], i)
            assert i["place"] and i["evidence"] and isinstance(i["target"], bool), (d["id"], i)
            assert (i["value"] is None) == (i["measure"] == "rank"), (d["id"], i)
            assert i["period"] is None or re.fullmatch(r"\d{4}-\d\d/\d{4}-\d\d", i["period"]), (d["id"], i)
            assert (i["rank"] is None) == (i["rank_scope"] is None), (d["id"], i)


@pytest.mark.parametrize(
    "name",
    [
        "meetings_f1",
        "indicators_f1",
        "strict_meetings_f1",
        "strict_indicators_f1",
        "strict_meetings_f1_without_place",
        "strict_indicators_f1_without_place",
        "meeting_start_date_accuracy",
        "meeting_chair_accuracy",
        "meeting_place_accuracy",
        "participant_names_f1",
        "indicator_measure_accuracy",
        "indicator_period_accuracy",
        "indicator_rank_accuracy",
        "indicator_target_accuracy",
        "indicator_place_accuracy",
    ],
)
def test_checkset_score_holds_its_floor(scored, floors, name):
    assert scored[name] >= floors[name], scored


@pytest.mark.skipif(not SHARED_SCORER.exists(), reason="the shared scorer is not beside this checkout")
def test_tally_agrees_with_the_shared_scorer(run, tmp_path):
    docs, results = run
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(SHARED_SCORER), "--gold", str(CHECKSET / "gold"), "--pred", str(pred)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    strict_line, summary_line = proc.stdout.strip().splitlines()[-2:]
    ours = score(docs, results)
    figures = dict(re.findall(r"(meetings|indicators) P=[\d.]+ R=[\d.]+ F1=([\d.]+)", summary_line))
    strict = dict(re.findall(r"(meetings|indicators) P=[\d.]+ R=[\d.]+ F1=([\d.]+)", strict_line))
    assert figures == {"meetings": f"{ours['meetings_f1']:.2f}", "indicators": f"{ours['indicators_f1']:.2f}"}
    assert strict == {
        "meetings": f"{ours['strict_meetings_f1']:.2f}",
        "indicators": f"{ours['strict_indicators_f1']:.2f}",
    }
