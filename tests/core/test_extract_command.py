"""``bulletins extract --jsonl`` end to end, in a subprocess, on the five seed pages."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bulletins.core.extract import ArticleInput, extract_document, extract_page

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "demo" / "seeds").glob("*.txt"))
PUBLISHED = {"000": "2025-12-31"}  # the gold publication dates; the others are unknown
HEAVY = ("prefect", "great_expectations", "duckdb")


def run_command(lines: list[str], env_extra: dict | None = None) -> subprocess.CompletedProcess:
    """Run the command on the given input lines with a C locale unless told otherwise."""
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii", **(env_extra or {})}
    code = "import sys; from bulletins.cli import main; sys.exit(main(['extract', '--jsonl']))"
    return subprocess.run(
        [sys.executable, "-c", code],
        input="".join(lines).encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def request(seed: Path) -> str:
    """One JSON Lines request for a seed file."""
    doc_id = seed.name[:3]
    return (
        json.dumps(
            {"id": doc_id, "text": seed.read_text(encoding="utf-8"), "url": None, "published": PUBLISHED.get(doc_id)},
            ensure_ascii=False,
        )
        + "\n"
    )


@pytest.fixture(scope="module")
def results() -> dict:
    """The command's output on the five seeds, by id (run once for the module)."""
    proc = run_command([request(s) for s in SEEDS])
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [r["id"] for r in rows] == [s.name[:3] for s in SEEDS]
    return {r["id"]: r for r in rows}


def meeting(results, doc_id, part):
    """The one meeting of the document whose name contains ``part``."""
    found = [m for m in results[doc_id]["meetings"] if part in m["name"]]
    assert len(found) == 1, [m["name"] for m in results[doc_id]["meetings"]]
    return found[0]


def person(m, name):
    """The participant of the meeting with that name."""
    return next(p for p in m["participants"] if p["name"] == name)


def test_city_government_plenary_on_its_date(results):
    m = meeting(results, "002", "2023年第二次全体会议")
    assert (m["kind"], m["start_date"], m["end_date"]) == ("全体会议", "2023-07-28", "2023-07-28")
    assert person(m, "朱健")["role"] == "speaker"
    assert m["evidence"] and m["article"] == 0


def test_two_day_meeting_with_its_chair(results):
    m = meeting(results, "003", "经济运行分析")
    assert (m["start_date"], m["end_date"], m["format"]) == ("2023-10-25", "2023-10-26", "观摩+会议")
    assert [p["name"] for p in m["participants"] if p["role"] == "chair"] == ["朱健"]


def test_no_meeting_for_a_meeting_only_referred_to(results):
    names = [m["name"] for r in results.values() for m in r["meetings"]]
    assert not any("中央经济工作会议" in n or "高质量发展大会" in n for n in names)


def test_party_committee_meeting_without_date(results):
    m = meeting(results, "000", "经济工作会议")
    assert m["start_date"] is None
    assert person(m, "于新凡") == {"name": "于新凡", "title": "市委常委、常务副市长", "role": "presenter"}


def test_three_meetings_on_one_page_dated_by_spring_festival(results):
    got = results["001"]["meetings"]
    assert [m["kind"] for m in got] == ["动员大会", "全会", "座谈会"]
    assert {m["start_date"] for m in got} == {"2022-02-07"}
    assert [m["article"] for m in got] == [0, 1, 2]


def test_document_adopted_by_plenary(results):
    m = meeting(results, "004", "全体会议")
    assert m["start_date"] == "2025-12-15" and m["participants"] == []


def test_every_participant_once(results):
    for r in results.values():
        for m in r["meetings"]:
            names = [p["name"] for p in m["participants"]]
            assert len(names) == len(set(names))


def test_bad_lines_get_errors_and_the_run_goes_on():
    lines = [
        "not json\n",
        json.dumps({"id": "x", "text": 5}) + "\n",
        json.dumps({"id": "y", "text": "会议召开。", "published": "2023-13-45"}) + "\n",
        json.dumps({"id": "z", "text": "长沙市政府常务会议召开"}, ensure_ascii=False) + "\n",
    ]
    proc = run_command(lines)
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert proc.returncode == 0
    assert [r["id"] for r in rows] == [None, "x", "y", "z"]
    assert all("error" in r for r in rows[:3])
    assert rows[3]["meetings"][0]["name"] == "长沙市政府常务会议"


def test_command_imports_no_prefect_gx_or_duckdb():
    code = (
        "import sys, io; sys.stdin = io.TextIOWrapper(io.BytesIO(b'')); "
        "from bulletins.cli import main; main(['extract', '--jsonl']); "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=120)
    assert proc.stdout.decode().strip().endswith("[]"), proc.stderr.decode("utf-8", "replace")


def test_html_input_is_parsed():
    html = (
        "<html><body><nav>首页</nav><h1>岳阳市召开防汛调度会</h1>"
        "<p>岳阳日报讯(记者 周明)6月3日,全市防汛调度会召开。市长李爱武主持会议。</p>"
        "<footer>版权所有</footer></body></html>"
    )
    got = extract_document(html, published="2024-06-04")
    assert got["meetings"][0]["name"] == "全市防汛调度会"
    assert got["meetings"][0]["start_date"] == "2024-06-03"


def test_extract_page_resolves_dates_page_wide():
    articles = [
        ArticleInput("湘潭市政府2021年第三次全体会议召开", "9月6日,湘潭市政府2021年第三次全体会议召开。"),
        ArticleInput("湘潭市召开座谈会", "9月7日,市长刘志仁主持召开全市企业家座谈会。"),
    ]
    facts = extract_page(articles)
    assert [f.position for f in facts] == [0, 1]
    assert facts[1].meetings[0].start_date == date(2021, 9, 7)
    assert facts[1].meetings[0].article == 1
