"""How the extraction gates score a run: the one matcher and tally of the dev, held-out and check-set gates.

The rules are the shared scorer's (shared/eval/score.py, read there, not imported: it is not
beside every checkout): a predicted item matches a gold one by name likeness (an indicator's
value and unit must agree too), greedily one to one, best pairs first; a match with an
optional gold item counts for nothing. A ``Tally`` per kind of item keeps the counts, the
strict hits (a match whose attributes are right too, with and without place) and the
attribute agreements of every match, so each gate reads the figures it holds to a floor.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[2]
UNIT_ALIASES = {"％": "%", "百分点": "个百分点", "percent": "%"}
# Suffixes a province, city or prefecture may drop (衡阳 = 衡阳市); a county keeps its own.
PLACE_SUFFIXES = ("土家族苗族自治州", "自治州", "省", "市", "州")

Pair = Callable[[dict, dict], float]


# -- documents and the real command ------------------------------------------------------------


def load_docs(folder: Path) -> list[dict]:
    """The gold documents of a folder (each JSON file naming its ``text_file``) with their texts."""
    docs = []
    for path in sorted(folder.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if "text_file" not in doc:  # a baseline of floors beside the gold
            continue
        doc["text"] = (folder / doc["text_file"]).resolve().read_text(encoding="utf-8")
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


# -- how alike a prediction is to a gold item ---------------------------------------------------


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


# -- matching and counting ----------------------------------------------------------------------


def f1(tp: int, fp: int, fn: int) -> float:
    """F1 from counts (0 when nothing was found or expected)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def match(gold: list[dict], pred: list[dict], pair: Pair) -> tuple[list[tuple[dict, dict]], int, int]:
    """Greedy one-to-one matching, best pairs first: (matched non-optional (gold, prediction) pairs,
    false positives, false negatives). A prediction matching an optional gold item counts for nothing."""
    pairs = sorted(
        ((s, gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if (s := pair(g, p)) > 0),
        key=lambda t: -t[0],
    )
    used_g, used_p, matched = set(), set(), []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        if not gold[gi].get("optional"):
            matched.append((gold[gi], pred[pi]))
    fn = sum(1 for gi, g in enumerate(gold) if gi not in used_g and not g.get("optional"))
    return matched, len(pred) - len(used_p), fn


class Tally:
    """One kind of item over a run: tp/fp/fn, strict hits with and without place, attribute agreements."""

    def __init__(self, pair: Pair, on_match: Callable[[dict, dict, Tally], None]) -> None:
        self.pair, self.on_match = pair, on_match
        self.tp = self.fp = self.fn = self.exact = self.exact_no_place = 0
        self.attr: dict[str, list[bool]] = {}
        self.participants: list[float] = []

    def add(self, gold: list[dict], pred: list[dict]) -> None:
        """Match one document's items and count them."""
        matched, fp, fn = match(gold, pred, self.pair)
        self.tp, self.fp, self.fn = self.tp + len(matched), self.fp + fp, self.fn + fn
        for g, p in matched:
            self.on_match(g, p, self)

    def agree(self, name: str, ok: bool) -> None:
        """Record one attribute comparison."""
        self.attr.setdefault(name, []).append(bool(ok))

    def counts(self, hits: int | None = None) -> tuple[int, int, int]:
        """(tp, fp, fn); with ``hits`` (the strict score) a match not among them is both a false
        positive and a false negative."""
        hits = self.tp if hits is None else hits
        wrong = self.tp - hits
        return hits, self.fp + wrong, self.fn + wrong

    def f1(self, hits: int | None = None) -> float:
        """F1 over all matches; with ``hits``, the strict F1 counting only those."""
        return f1(*self.counts(hits))

    def accuracy(self, name: str) -> float:
        """Share of matched items whose attribute agrees (1.0 when none was compared)."""
        seen = self.attr.get(name, [])
        return sum(seen) / len(seen) if seen else 1.0

    def participant_f1(self) -> float:
        """Mean participant-name F1 over the matched meetings that name anyone."""
        return sum(self.participants) / max(1, len(self.participants))


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


def chairs(meeting: dict) -> set[str]:
    """The names of a meeting's chairs."""
    return {x.get("name") for x in meeting.get("participants") or [] if x.get("role") == "chair"}


def on_meeting(g: dict, p: dict, t: Tally) -> None:
    """Attributes of a matched meeting, as the shared scorer counts them."""
    if g.get("start_date"):
        t.agree("start_date", g.get("start_date") == p.get("start_date"))
    if chairs(g):
        t.agree("chair", chairs(g) == chairs(p))
    if "place" in g:
        t.agree("place", same_place(g, p))
    right = g.get("start_date") == p.get("start_date") and chairs(g) == chairs(p)
    t.exact_no_place += right
    t.exact += right and same_place(g, p)
    gp = {x.get("name") for x in g.get("participants") or []}
    pp = {x.get("name") for x in p.get("participants") or []}
    if gp or pp:
        hit = len(gp & pp)
        t.participants.append(f1(hit, len(pp) - hit, len(gp) - hit))


def tallies(docs: list[dict], results: list[dict]) -> dict[str, Tally]:
    """Meetings and indicators of a run over gold documents, matched and counted (a result line
    with an error fails the gate)."""
    by_id = {str(r.get("id")): r for r in results if r}
    kinds = {"meetings": Tally(meeting_pair, on_meeting), "indicators": Tally(indicator_pair, on_indicator)}
    for d in docs:
        r = by_id.get(str(d["id"]), {})
        assert "error" not in r, r
        for key, tally in kinds.items():
            tally.add(d.get(key) or [], r.get(key) or [])
    return kinds
