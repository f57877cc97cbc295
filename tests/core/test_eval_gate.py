"""The extraction quality gate: `bulletins extract --jsonl` on the gold pages must keep its F1.

Like trafilatura's eval gate: the gold files in tests/core/eval/ (the shared dev gold, text
files pointing at demo/seeds/) are run through the real command in a subprocess and scored
with the matching rules of the shared scorer (shared/eval/score.py); the test fails when
meetings F1 or indicators F1 falls below the floors in tests/core/eval/baseline.json.

The shared dev set (../shared/gold/dev: the seeds and real bulletins of one city, read at
test time, never copied) is scored the same way, with a strict F1 beside it: a match counts
there only when its attributes are right too (an indicator's measure, period, rank and
target; a meeting's start date and chairs). Place is left aside here: it is scored with the
place pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EVAL_DIR = Path(__file__).parent / "eval"
REPO = Path(__file__).resolve().parents[2]
SHARED_DEV = REPO.parent / "shared" / "gold" / "dev"
UNIT_ALIASES = {"％": "%", "百分点": "个百分点", "percent": "%"}


def bigrams(s: str) -> set[str]:
    """Character bigrams of a name, spaces ignored."""
    s = "".join((s or "").split())
    return {s[i : i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def alike(a: str | None, b: str | None, threshold: float = 0.5) -> float:
    """1 when one name contains the other, else bigram Dice if ≥ threshold, else 0."""
    a, b = "".join((a or "").split()), "".join((b or "").split())
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 1.0
    x, y = bigrams(a), bigrams(b)
    dice = 2 * len(x & y) / (len(x) + len(y))
    return dice if dice >= threshold else 0.0


def same_value(a, b) -> bool:
    """Values equal within float noise; None only equals None."""
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return False


def norm_unit(u):
    """Units compared after the scorer's aliases (百分点 = 个百分点)."""
    if u is None:
        return None
    u = "".join(str(u).split())
    return UNIT_ALIASES.get(u, u) or None


def indicator_pair(g: dict, p: dict) -> float:
    """How well a predicted indicator matches a gold one (0 = not at all)."""
    if not same_value(g.get("value"), p.get("value")) or norm_unit(g.get("unit")) != norm_unit(p.get("unit")):
        return 0.0
    if g.get("value") is None and g.get("rank") != p.get("rank"):
        return 0.0
    return alike(g.get("metric"), p.get("metric"))


def meeting_pair(g: dict, p: dict) -> float:
    """Name likeness of a predicted meeting to a gold one, aliases included."""
    return max(alike(n, p.get("name")) for n in [g.get("name")] + list(g.get("aliases") or []))


def indicator_exact(g: dict, p: dict) -> bool:
    """A matched indicator whose measure, period, rank and target are right too."""
    return (
        g.get("measure") == p.get("measure")
        and g.get("period") == p.get("period")
        and g.get("rank") == p.get("rank")
        and bool(g.get("target")) == bool(p.get("target"))
    )


def meeting_exact(g: dict, p: dict) -> bool:
    """A matched meeting whose start date and chairs are right too."""

    def chairs(m):
        return {x.get("name") for x in m.get("participants") or [] if x.get("role") == "chair"}

    return g.get("start_date") == p.get("start_date") and chairs(g) == chairs(p)


EXACT = {indicator_pair: indicator_exact, meeting_pair: meeting_exact}


def count(gold: list[dict], pred: list[dict], pair, exact=None) -> tuple[int, int, int]:
    """(tp, fp, fn) after greedy one-to-one matching; matches of optional gold items count for
    nothing. With ``exact``, a match counts as a true positive only when ``exact(g, p)``
    holds, and as both a false positive and a false negative otherwise (the strict score)."""
    pairs = sorted(
        ((s, gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if (s := pair(g, p)) > 0),
        key=lambda t: -t[0],
    )
    used_g, used_p, tp, wrong = set(), set(), 0, 0
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        if not gold[gi].get("optional"):
            right = exact is None or exact(gold[gi], pred[pi])
            tp += right
            wrong += not right
    fn = sum(1 for gi, g in enumerate(gold) if gi not in used_g and not g.get("optional"))
    return tp, len(pred) - len(used_p) + wrong, fn + wrong


def f1(tp: int, fp: int, fn: int) -> float:
    """F1 from counts (0 when nothing was found or expected)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def load_gold() -> list[dict]:
    """The gold documents with their texts."""
    docs = []
    for path in sorted(EVAL_DIR.glob("*.json")):
        if path.name == "baseline.json":
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["text"] = (EVAL_DIR / doc["text_file"]).resolve().read_text(encoding="utf-8")
        docs.append(doc)
    return docs


def run_extract(docs: list[dict]) -> list[dict]:
    """Results of the real extract command (a subprocess, as the scorer runs it), one per document, in order."""
    lines = "".join(
        json.dumps(
            {"id": d["id"], "text": d["text"], "url": d.get("url"), "published": d.get("published")}, ensure_ascii=False
        )
        + "\n"
        for d in docs
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bulletins.cli", "extract", "--jsonl"],
        input=lines.encode(),
        capture_output=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def scored() -> dict[str, float]:
    """Run the real extract command on the gold pages once; F1 for meetings and indicators."""
    docs = load_gold()
    results = {str(r["id"]): r for r in run_extract(docs) if r}
    totals = {"meetings": [0, 0, 0], "indicators": [0, 0, 0]}
    for d in docs:
        r = results.get(str(d["id"]), {})
        assert "error" not in r, r
        add_counts(totals, d, r)
    return {key: f1(*t) for key, t in totals.items()}


def add_counts(totals: dict[str, list[int]], doc: dict, result: dict, strict: bool = False) -> None:
    """Add one document's (tp, fp, fn) for meetings and indicators to ``totals`` (strict:
    only matches whose attributes are right count)."""
    for key, pair in (("meetings", meeting_pair), ("indicators", indicator_pair)):
        exact = EXACT[pair] if strict else None
        for k, n in enumerate(count(doc.get(key, []), result.get(key) or [], pair, exact)):
            totals[key][k] += n


@pytest.fixture(scope="module")
def dev_scored() -> dict[str, float]:
    """The real extract command on the shared dev set; summary and strict F1s."""
    if not SHARED_DEV.is_dir():
        pytest.skip("the shared dev set is not beside this checkout")
    docs = []
    for path in sorted(SHARED_DEV.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["text"] = (SHARED_DEV / doc["text_file"]).resolve().read_text(encoding="utf-8")
        docs.append(doc)
    results = {str(r["id"]): r for r in run_extract(docs) if r}
    totals = {"meetings": [0, 0, 0], "indicators": [0, 0, 0]}
    strict = {"meetings": [0, 0, 0], "indicators": [0, 0, 0]}
    for d in docs:
        r = results.get(str(d["id"]), {})
        assert "error" not in r, r
        add_counts(totals, d, r)
        add_counts(strict, d, r, strict=True)
    return {
        "dev_meetings_f1": f1(*totals["meetings"]),
        "dev_indicators_f1": f1(*totals["indicators"]),
        "dev_strict_meetings_f1": f1(*strict["meetings"]),
        "dev_strict_indicators_f1": f1(*strict["indicators"]),
    }


@pytest.fixture(scope="module")
def floors() -> dict:
    """The pinned F1 floors."""
    return json.loads((EVAL_DIR / "baseline.json").read_text(encoding="utf-8"))


def test_gold_files_point_at_the_bundled_seeds():
    docs = load_gold()
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


def test_strict_counting_needs_the_attributes_right():
    gold = [{"metric": "地区生产总值", "value": 6.1, "unit": "%", "measure": "change", "period": "2024-01/2024-06"}]
    right = [{"metric": "地区生产总值", "value": 6.1, "unit": "%", "measure": "change", "period": "2024-01/2024-06"}]
    wrong = [{"metric": "地区生产总值", "value": 6.1, "unit": "%", "measure": "change", "period": "2024-01/2024-03"}]
    assert count(gold, right, indicator_pair, indicator_exact) == (1, 0, 0)
    assert count(gold, wrong, indicator_pair, indicator_exact) == (0, 1, 1)
    assert count(gold, wrong, indicator_pair) == (1, 0, 0)


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
    assert count(gold, pred, indicator_pair) == (1, 1, 0)
    assert norm_unit("百分点") == "个百分点" and alike("地区生产总值增速", "GDP增速") == 0.0
