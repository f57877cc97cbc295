"""The check-set gate: `bulletins extract --jsonl` on 28 bulletins in the styles of other provinces.

tests/core/checkset/ holds texts written by us after studying how bulletins outside Hunan are
written (Jiangsu, Guangdong, Sichuan, Zhejiang, Fujian, Guangxi, Xinjiang, Heilongjiang, ...;
notes in /work/notes/bulletin-styles.md), with gold labelled to shared/spec/extraction.md before
any extractor was run on them. The real command runs on them in a subprocess and is scored like
shared/eval/score.py: the summary F1s, the strict F1s (a match counts only when its attributes
are right too) and the attribute agreements, each held to a floor in checkset_baseline.json.
Matching reuses the dev gate's pair functions (tests/core/test_eval_gate.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_eval_gate import f1, indicator_pair, meeting_pair, run_extract

CHECKSET = Path(__file__).parent / "checkset"
BASELINE = Path(__file__).parent / "checkset_baseline.json"
REPO = Path(__file__).resolve().parents[2]
SHARED_SCORER = REPO.parent / "shared" / "eval" / "score.py"
# Suffixes a province, city or prefecture may drop (衡阳 = 衡阳市); a county keeps its own.
PLACE_SUFFIXES = ("土家族苗族自治州", "自治州", "省", "市", "州")


def load_checkset() -> list[dict]:
    """The check-set gold documents with their texts."""
    docs = []
    for path in sorted((CHECKSET / "gold").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["text"] = (path.parent / doc["text_file"]).resolve().read_text(encoding="utf-8")
        docs.append(doc)
    return docs


def norm_place(place) -> str | None:
    """The scorer's place key: 全国/中国 are one; a city may drop 市, a county keeps 县."""
    p = "".join(str(place or "").split())
    if p in ("中国", "全国", "我国"):
        return "全国"
    for suffix in PLACE_SUFFIXES:
        if p.endswith(suffix) and len(p) > len(suffix) + 1:
            return p[: -len(suffix)]
    return p or None


def same_place(g: dict, p: dict) -> bool:
    """Places agree (a gold item without a place agrees with anything)."""
    return "place" not in g or norm_place(g.get("place")) == norm_place(p.get("place"))


class Tally:
    """Counts for one kind of item: tp/fp/fn, strict hits with and without place, attributes."""

    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.exact = self.exact_no_place = 0
        self.attr: dict[str, list[bool]] = {}
        self.participants: list[float] = []

    def agree(self, name: str, ok: bool) -> None:
        """Record one attribute comparison."""
        self.attr.setdefault(name, []).append(bool(ok))

    def f1(self, hits: int | None = None) -> float:
        """F1 over all items; with ``hits``, the strict F1 counting only those matches."""
        hits = self.tp if hits is None else hits
        p = hits / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = hits / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        """Share of matched items whose attribute agrees (1.0 when none was compared)."""
        seen = self.attr.get(name, [])
        return sum(seen) / len(seen) if seen else 1.0


def on_indicator(g: dict, p: dict, t: Tally) -> None:
    """Attributes of a matched indicator, as the shared scorer counts them."""
    right = {
        "measure": g.get("measure") == p.get("measure"),
        "period": g.get("period") == p.get("period"),
        "rank": g.get("rank") == p.get("rank"),
        "target": bool(g.get("target")) == bool(p.get("target")),
    }
    t.agree("measure", right["measure"])
    if g.get("period"):
        t.agree("period", right["period"])
    if g.get("rank") is not None:
        t.agree("rank", right["rank"])
    t.agree("target", right["target"])
    if "place" in g:
        t.agree("place", same_place(g, p))
    t.exact_no_place += all(right.values())
    t.exact += all(right.values()) and same_place(g, p)


def on_meeting(g: dict, p: dict, t: Tally) -> None:
    """Attributes of a matched meeting, as the shared scorer counts them."""
    if g.get("start_date"):
        t.agree("start_date", g.get("start_date") == p.get("start_date"))
    gchairs = {x["name"] for x in g.get("participants", []) if x.get("role") == "chair"}
    pchairs = {x.get("name") for x in p.get("participants") or [] if x.get("role") == "chair"}
    if gchairs:
        t.agree("chair", gchairs == pchairs)
    if "place" in g:
        t.agree("place", same_place(g, p))
    right = g.get("start_date") == p.get("start_date") and gchairs == pchairs
    t.exact_no_place += right
    t.exact += right and same_place(g, p)
    gp = {x["name"] for x in g.get("participants", [])}
    pp = {x.get("name") for x in p.get("participants") or []}
    if gp or pp:
        hit = len(gp & pp)
        t.participants.append(f1(hit, len(pp) - hit, len(gp) - hit))


def score_items(gold: list[dict], pred: list[dict], pair, tally: Tally, on_match) -> None:
    """Greedy one-to-one matching, best pairs first; optional gold items count for nothing."""
    pairs = sorted(
        ((s, gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if (s := pair(g, p)) > 0),
        key=lambda x: -x[0],
    )
    used_g, used_p = set(), set()
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        if not gold[gi].get("optional"):
            tally.tp += 1
            on_match(gold[gi], pred[pi], tally)
    tally.fn += sum(1 for gi, g in enumerate(gold) if gi not in used_g and not g.get("optional"))
    tally.fp += len(pred) - len(used_p)


def score(docs: list[dict], results: list[dict]) -> dict[str, float]:
    """Every gated figure for one run of the extractor over the check set."""
    by_id = {str(r.get("id")): r for r in results}
    meetings, indicators = Tally(), Tally()
    for d in docs:
        r = by_id.get(str(d["id"]), {})
        assert "error" not in r, r
        score_items(d["meetings"], r.get("meetings") or [], meeting_pair, meetings, on_meeting)
        score_items(d["indicators"], r.get("indicators") or [], indicator_pair, indicators, on_indicator)
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
        "participant_names_f1": sum(meetings.participants) / max(1, len(meetings.participants)),
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
