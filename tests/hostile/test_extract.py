"""Hostile content: absurd figures, slow pages, invisible characters, and the extract command's input.

Each crawl case serves pages from a real HTTP server on 127.0.0.1, runs the real crawl (or
reprocess) flow into a real DuckDB file, and asserts what landed, what was quarantined or
recorded, and that every other page of the run loaded. The command cases run
``bulletins extract --jsonl`` in a subprocess on bytes, as a shell pipeline would.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
import unicodedata

import pytest

from bulletins.core import budget
from bulletins.core.normalise import INVISIBLE, normalise_text
from bulletins.core.numbers import parse_whole, tidy
from bulletins.core.scan import FixedSpans, SentenceScan
from bulletins.pipeline.stage import document_id
from demo.httpd import Page
from flows.crawl import crawl_source
from flows.reprocess import reprocess
from tests.datadir import PROJECT_ROOT
from tests.hostile.content_support import (
    article_html,
    good_article,
    prefect,  # noqa: F401 - a fixture
    site,  # noqa: F401 - a fixture
    strict_json,
    warehouse,  # noqa: F401 - a fixture
)

DIGITS_40 = "1234567890" * 4
DIGITS_401 = "9" * 401
TEN_TO_30 = "1" + "0" * 30
INVISIBLES = "\u202e\u2066\u2069\u200b\u200f\ufeff\u00ad"

# Invented pages: each carries one absurd figure beside a sane one that must still load.
ABSURD_PAGES = {
    2: ("全县财政收支通报", [f"1-6月,全县地方收入{DIGITS_40}亿元,同比增长3.2%。"]),
    3: ("全县税收通报", [f"1-6月,全县税收收入{DIGITS_401}亿元。", "1-6月,全县财政支出增长4.1%。"]),
    4: ("全县工业通报", ["1-6月,全县规模工业增加值增长6.1%,排全省第999999999999位。"]),
    5: ("全县投资通报", [f"1-6月,全县固定资产投资{TEN_TO_30}亿元,增长2.5%。"]),
    6: (
        f"{INVISIBLES[0]}全县{INVISIBLES[1]}经济{INVISIBLES[2]}运行通报",
        [
            "全县经济运行总体平稳,稳中有进。" * 60,  # the NUL comes late: past the fetcher's 1 KB binary sniff
            f"1-6月,全县地方收入10\x00亿元,增{INVISIBLES[3]}长1.5%。",
            f"1-6月,全县{INVISIBLES[4]}出口总额{INVISIBLES[5]}增长2.2%。",
        ],
    ),
}


def finished(state):
    """A flow run's summary, whatever state it ended in (a run that quarantines ends Failed)."""
    return state.result(raise_on_failure=False)


def publish_absurd(site):
    """Article 1 healthy, articles 2-6 each with one hostile figure or invisible characters."""
    pages = {1: good_article(1)}
    for n, (title, paragraphs) in ABSURD_PAGES.items():
        pages[n] = Page(article_html(title, paragraphs))
    return site("absurd").publish(pages).write_config()


def quarantined(warehouse, doc: str) -> list[tuple[str, dict]]:
    """(expectation, row) of each indicator of a document the latest run quarantined."""
    rows = warehouse.rows(
        "SELECT expectation, row_json FROM quarantine WHERE table_name = 'indicators' "
        "AND row_key LIKE ? AND run_id = (SELECT run_id FROM runs ORDER BY started_at DESC "
        "LIMIT 1) ORDER BY row_key, expectation",
        [f"{doc}:%"],
    )
    return [(expectation, json.loads(row)) for expectation, row in rows]


def assert_absurd_figures_held_back(warehouse, s):
    """Every page loaded; each absurd figure in quarantine with its reason; the sane figures beside it loaded."""
    assert warehouse.scalar("SELECT count(*) FROM documents") == 6
    assert warehouse.scalar("SELECT count(*) FROM indicators WHERE NOT isfinite(value) OR abs(value) > 1e15") == 0
    assert warehouse.scalar("SELECT count(*) FROM indicators WHERE rank > 100000") == 0
    for n, (column, kept) in {2: ("value", 3.2), 3: ("value", 4.1), 5: ("value", 2.5)}.items():
        doc = document_id(s.url(n))
        held = quarantined(warehouse, doc)
        assert any(e.startswith(f"expect_column_values_to_be_between({column})") for e, _ in held), held
        assert kept in [v for (v,) in warehouse.rows("SELECT value FROM indicators WHERE document_id = ?", [doc])]
    big = [row for _, row in quarantined(warehouse, document_id(s.url(2)))][0]
    assert big["value"] == pytest.approx(1.2345678901234568e39)  # the figure, not digits made up or cut
    infinite = [row for _, row in quarantined(warehouse, document_id(s.url(3)))][0]
    assert infinite["value"] in (None, float("inf")) and DIGITS_401 in infinite["evidence"]
    ranked = quarantined(warehouse, document_id(s.url(4)))
    assert [row["rank"] for e, row in ranked if e == "expect_column_values_to_be_between(rank)"] == [999999999999]
    reasons = {r for (r,) in warehouse.rows("SELECT DISTINCT reason FROM quarantine")}
    assert "rank is beyond 100,000" in reasons and "value is not a finite number within ±10^15" in reasons


def test_absurd_figures_go_to_quarantine_and_every_page_loads(warehouse, site, prefect):
    s = publish_absurd(site)
    summary = finished(crawl_source(s.name, return_state=True, **warehouse.flow_kwargs()))
    assert summary["fetched"] == 6 and summary["errors"] == 0, summary["error_list"]
    # Quarantined rows need an operator: the run ends failed (issue 11's rule), every page loaded.
    assert summary["status"] == "failed" and summary["quarantined"] == 4
    assert_absurd_figures_held_back(warehouse, s)
    assert warehouse.scalar("SELECT count(*) FROM links WHERE state = 'fetched'") == 6


def test_reprocess_of_absurd_pages_loads_every_batch(warehouse, site, prefect):
    s = publish_absurd(site)
    finished(crawl_source(s.name, return_state=True, **warehouse.flow_kwargs()))
    summary = finished(reprocess(workers=1, return_state=True, **warehouse.flow_kwargs()))
    assert summary["status"] == "failed" and summary["errors"] == 0, summary["error_list"]  # quarantine: failed
    assert summary["loaded"]["documents"] == 6 and summary["quarantined"] == 4
    assert_absurd_figures_held_back(warehouse, s)


def test_invisible_and_control_characters_never_reach_names_or_titles(warehouse, site, prefect):
    s = publish_absurd(site)
    finished(crawl_source(s.name, return_state=True, **warehouse.flow_kwargs()))
    doc = document_id(s.url(6))
    metrics = [m for (m,) in warehouse.rows("SELECT metric FROM indicators WHERE document_id = ?", [doc])]
    assert "地方收入" in metrics and "出口总额" in metrics, metrics
    titles = warehouse.rows(
        "SELECT d.title, a.title FROM documents d JOIN articles a USING (document_id) WHERE document_id = ?", [doc]
    )
    texts = (
        metrics
        + [t for row in titles for t in row]
        + [warehouse.scalar("SELECT string_agg(evidence, '') FROM indicators WHERE document_id = ?", [doc])]
    )
    for text in texts:
        assert not INVISIBLE.search(text) and "\x00" not in text and "\ufffd" not in text, repr(text)
    assert titles[0][0] == "全县经济运行通报"
    assert (10, "亿元") in warehouse.rows(
        "SELECT CAST(value AS INTEGER), unit FROM indicators WHERE document_id = ? AND metric = '地方收入'", [doc]
    )


def test_a_page_over_its_extraction_time_limit_is_recorded_and_the_run_goes_on(warehouse, site, prefect, monkeypatch):
    monkeypatch.setenv("BULLETINS_EXTRACT_SECONDS", "0.3")
    line = "".join(
        f"全县规模以上工业增加值{10 + i % 89}.{i % 10}亿元,同比增长{i % 9 + 1}.{i % 7}%," for i in range(16_000)
    )
    s = (
        site("slow")
        .publish({1: good_article(1), 2: Page(article_html("一行到底的通报", [line + "。"])), 3: good_article(3)})
        .write_config(max_bytes=5_000_000)
    )
    summary = finished(crawl_source(s.name, return_state=True, **warehouse.flow_kwargs()))
    assert summary["fetched"] == 3
    errors = warehouse.rows("SELECT url, stage, error FROM crawl_errors")
    assert [(url, stage) for url, stage, _ in errors] == [(s.url(2), "extract")]
    assert "PageTooSlow" in errors[0][2] and "longer than 0.3s" in errors[0][2]
    slow = document_id(s.url(2))
    assert warehouse.scalar("SELECT count(*) FROM articles WHERE document_id = ?", [slow]) == 1  # text kept
    assert warehouse.scalar("SELECT count(*) FROM indicators WHERE document_id = ?", [slow]) == 0
    for n in (1, 3):
        assert warehouse.scalar("SELECT count(*) FROM indicators WHERE document_id = ?", [document_id(s.url(n))]) > 0
    assert warehouse.rows("SELECT state FROM links WHERE url = ?", [s.url(2)]) == [("failed",)]  # retried next run


# --- the extract command -------------------------------------------------------------------


def run_extract(data: bytes, *args: str) -> subprocess.CompletedProcess:
    """``bulletins extract --jsonl`` on raw bytes, in a C locale."""
    code = f"import sys; from bulletins.cli import main; sys.exit(main(['extract', '--jsonl', *{list(args)!r}]))"
    return subprocess.run(
        [sys.executable, "-c", code],
        input=data,
        capture_output=True,
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "LANG": "C", "LC_ALL": "C"},
        timeout=300,
    )


def doc(doc_id: str, text: str) -> bytes:
    """One request line."""
    return json.dumps({"id": doc_id, "text": text}, ensure_ascii=False).encode("utf-8") + b"\n"


def test_extract_command_answers_every_input_line_with_its_number():
    lines = [
        doc("a", "1-6月,全县地区生产总值增长5.1%。"),
        b"[" * 100_000 + b"]" * 100_000 + b"\n",  # RecursionError in the JSON parser
        b"\n",  # a blank line gets its own output line
        b'{"id": "bad", "text": "\xff\xfe\xe4\xb8"}\n',  # not UTF-8: an error, never replaced
        doc("inf", f"1-6月,全县税收收入{DIGITS_401}亿元,增长4.1%。"),  # inf: dropped with a warning, not Infinity
        doc("z", "1-6月,全县出口总额增长2.2%。"),
    ]
    proc = run_extract(b"".join(lines))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8").splitlines()
    assert len(out) == len(lines)
    assert b"Infinity" not in proc.stdout and b"NaN" not in proc.stdout
    rows = [strict_json(line) for line in out]
    assert rows[0]["id"] == "a" and rows[0]["indicators"][0]["value"] == 5.1
    assert rows[1]["error"].startswith("line 2: ") and "nested" in rows[1]["error"]
    assert rows[2] == {"id": None, "error": "line 3: blank line: no document"}
    assert rows[3]["error"].startswith("line 4: not UTF-8")
    assert [i["value"] for i in rows[4]["indicators"]] == [4.1]
    assert "税收收入" in rows[4]["warnings"][0] and "not a finite number" in rows[4]["warnings"][0]
    assert rows[5]["id"] == "z" and rows[5]["indicators"][0]["metric"] == "出口总额"
    assert "3 line(s) could not be extracted" in proc.stderr.decode()


def test_extract_command_cuts_a_slow_document_and_goes_on():
    line = "".join(f"全县工业增加值{10 + i % 89}.{i % 10}亿元,增长{i % 9 + 1}.{i % 7}%," for i in range(30_000))
    proc = run_extract(doc("slow", line) + doc("next", "1-6月,全县出口总额增长2.2%。"), "--max-seconds", "0.2")
    rows = [strict_json(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert rows[0]["id"] == "slow" and rows[0]["error"].startswith("line 1: extraction took longer than 0.2s")
    assert rows[1]["indicators"][0]["value"] == 2.2


# --- the pure parts: linear lookups equal the scans they replace -----------------------------


def naive_clause_end(sentence: str, pos: int) -> int:
    """The per-figure scan the index replaced (quadratic over a long sentence)."""
    depth = 0
    for i in range(pos, len(sentence)):
        depth += sentence[i] == "("
        depth -= sentence[i] == ")" and depth > 0
        if depth == 0 and sentence[i] in ",;:。!?":
            return i
    return len(sentence)


def naive_inside_quotes(text: str, pos: int) -> bool:
    before = text[:pos]
    if any(before.count(o) > before.count(c) for o, c in (("“", "”"), ("《", "》"), ("「", "」"), ("『", "』"))):
        return True
    return before.count('"') % 2 == 1


def test_sentence_scan_answers_as_the_scans_did():
    rng = random.Random(7)
    alphabet = '增长5%,;:。!?()“”《》「」『』"亿元'
    for _ in range(300):
        sentence = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        scan = SentenceScan(sentence)
        for pos in range(len(sentence) + 1):
            assert scan.clause_end(pos) == naive_clause_end(sentence, pos), (sentence, pos)
            assert scan.inside_quotes(pos) == naive_inside_quotes(sentence, pos), (sentence, pos)
            cut = max((i + 1 for i, ch in enumerate(sentence[:pos]) if ch in ",;:。!?"), default=0)
            assert scan.clause_start(pos) == cut


def test_fixed_spans_find_every_overlap():
    rng = random.Random(3)
    for _ in range(200):
        spans = [(a, a + rng.randint(1, 9)) for a in rng.sample(range(80), rng.randint(0, 12))]
        index = FixedSpans(spans)
        for start in range(0, 90, 3):
            end = start + rng.randint(1, 6)
            assert index.overlaps(start, end) == any(a < end and start < b for a, b in spans)


def test_every_unicode_format_character_is_invisible_to_normalisation():
    formats = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert all(INVISIBLE.fullmatch(ch) for ch in formats), [hex(ord(c)) for c in formats if not INVISIBLE.fullmatch(c)]
    assert normalise_text("全县\u202e收入\x00增长\u200b5%\x7f。\ufeff") == "全县收入 增长5% 。"


def test_numbers_keep_their_digits_or_stay_floats():
    assert parse_whole("999999999999") == 999999999999
    assert parse_whole("123456789012345678") == 123456789012345678
    assert parse_whole("十二") == 12
    assert tidy(float(DIGITS_40)) == pytest.approx(1.2345678901234568e39) and isinstance(tidy(float(DIGITS_40)), float)
    assert tidy(float(DIGITS_401)) == float("inf")
    assert tidy(129.0) == 129 and isinstance(tidy(129.0), int)


def test_the_time_limit_raises_in_the_loops_and_is_gone_after_the_block():
    with pytest.raises(budget.PageTooSlow, match="longer than 0.01s"):
        with budget.time_limit(0.01):
            time.sleep(0.02)
            budget.check("a loop")
    budget.check("after the block")  # no limit in force: nothing raised
