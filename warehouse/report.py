"""The analyst report: one self-contained HTML file read from the warehouse views.

Charts are inline SVG drawn here (no CDN, no script: the machine is offline and the file
must open anywhere). Every text that came from a crawled page goes through Jinja2's
autoescape, and every link through ``safe_url`` (http/https only), because a page can carry
``<script>`` or a ``javascript:`` URL. Also here: the Markdown run summary published as a
Prefect artifact, and ``source_history``, what each source's pages yielded in its recent runs, for the gate.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import jinja2

from bulletins import settings

CHART_W, CHART_H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 220, 56, 16, 14, 36
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")
SAFE_SCHEMES = ("http", "https")
TEMPLATES = Path(__file__).resolve().parent / "templates"
HISTORY_RUNS = 7  # recent runs per source the gate compares a batch with


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict[str, Any]]:
    """A query's rows as dicts."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def safe_url(url: Any) -> str | None:
    """The URL if it is http(s), else None: a crawled ``javascript:`` link never becomes a link."""
    text = str(url or "").strip()
    return text if urlsplit(text).scheme.lower() in SAFE_SCHEMES else None


# --- what the report reads ---------------------------------------------------------------

def latest_run(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The most recent run that validated something (else the most recent run)."""
    rows = _rows(con, "SELECT r.*, (SELECT count(*) FROM quarantine q WHERE q.run_id = r.run_id) AS quarantined "
                      "FROM runs r ORDER BY (r.summary IS NOT NULL) DESC, r.started_at DESC LIMIT 1")
    if not rows:
        return None
    run = rows[0]
    run["summary"] = json.loads(run["summary"]) if isinstance(run["summary"], str) and run["summary"] else run["summary"]
    return run


def quarantine_groups(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """A run's quarantined rows grouped by table, expectation and reason, with example keys."""
    return _rows(con, """
        SELECT table_name, expectation, reason, count(*) AS rows,
               string_agg(row_key, ', ' ORDER BY row_key) FILTER (WHERE row_key IS NOT NULL) AS keys
        FROM quarantine WHERE run_id = ? GROUP BY ALL ORDER BY table_name, rows DESC""", [run_id])


def indicator_series(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Indicators with a value, with evidence and page, ordered for charting."""
    return _rows(con, """
        SELECT s.metric, s.measure, s.unit, s.period, s.period_start, s.period_end, s.source, s.value,
               s.rank, s.rank_scope, s.target, s.indicator_id, e.evidence, e.url, e.article_title
        FROM v_indicator_series s JOIN v_indicator_evidence e USING (indicator_id)
        ORDER BY s.metric, s.measure, s.unit NULLS LAST, s.period_end NULLS LAST, s.source""")


def meetings_calendar(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Meetings by month, newest month first."""
    return _rows(con, "SELECT * FROM v_meetings_calendar ORDER BY month DESC NULLS LAST, start_date, name")


def person_roles(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Who chaired and attended what."""
    return _rows(con, "SELECT * FROM v_person_roles ORDER BY person, start_date NULLS LAST, meeting")


# What a crawl run's pages yielded, as its run summary records it (flows.crawl.run_summary).
YIELD_KEYS = ("list_pages_read", "links_seen", "pages_parsed", "pages_with_content")


def source_history(con: duckdb.DuckDBPyConnection, sources: list[str] | None = None,
                   limit: int = HISTORY_RUNS, exclude_run: str | None = None) -> dict[str, list[dict[str, int]]]:
    """Each source's yields per recent finished crawl run, newest first: the gate's ``history``.

    A run's yields are what its list pages and fetched pages gave (``summary.links_seen`` on
    ``summary.list_pages_read`` list pages, ``summary.pages_with_content`` of
    ``summary.pages_parsed``); a run recorded before these were kept has none and is left out.
    """
    columns = ", ".join(f"CAST(json_extract(summary, '$.{k}') AS INTEGER) AS {k}" for k in YIELD_KEYS)
    rows = _rows(con, f"""
        SELECT source, {columns}
        FROM (SELECT *, row_number() OVER (PARTITION BY source ORDER BY started_at DESC) AS k
              FROM runs WHERE flow = 'crawl-source' AND source IS NOT NULL AND status IN ('completed', 'warning')
                AND summary IS NOT NULL AND json_extract(summary, '$.links_seen') IS NOT NULL
                AND run_id IS DISTINCT FROM ?)
        WHERE k <= ? ORDER BY source, k""", [exclude_run, limit])
    history: dict[str, list[dict[str, int]]] = defaultdict(list)
    for row in rows:
        if sources is None or row["source"] in sources:
            history[row["source"]].append({k: int(row[k] or 0) for k in YIELD_KEYS})
    return dict(history)


# --- charts ------------------------------------------------------------------------------

def chart_groups(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One chart per (metric, measure, unit) that has values, with its points by source."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in series:
        if row["value"] is not None:
            groups[(row["metric"], row["measure"], row["unit"])].append(row)
    return [{"metric": k[0], "measure": k[1], "unit": k[2], "points": pts, "svg": svg_chart(pts)}
            for k, pts in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))]


def _x_key(row: dict[str, Any]) -> dt.date:
    """Where a point sits on the time axis: its period's end, else its publication."""
    return row.get("period_end") or row.get("period_start") or dt.date(2000, 1, 1)


def _scale(lo: float, hi: float, a: float, b: float):
    """A linear map from [lo, hi] to [a, b] (the middle when lo == hi)."""
    span = (hi - lo) or 1.0
    return (lambda v: a + (v - lo) / span * (b - a)) if hi != lo else (lambda v: (a + b) / 2)


def svg_chart(points: list[dict[str, Any]]) -> str:
    """An inline SVG of the points: one coloured line per source, each point linked to its evidence."""
    xs = [_x_key(p).toordinal() for p in points]
    ys = [float(p["value"]) for p in points]
    y_lo, y_hi = min(min(ys), 0.0), max(max(ys), 0.0)
    sx = _scale(min(xs), max(xs), PAD_L, CHART_W - PAD_R)
    sy = _scale(y_lo, y_hi, CHART_H - PAD_B, PAD_T)
    env = _environment()
    by_source: dict[str, list[tuple[float, float, dict]]] = defaultdict(list)
    for x, y, p in zip(xs, ys, points):
        by_source[p["source"]].append((sx(x), sy(y), p))
    return env.get_template("chart.svg").render(
        w=CHART_W, h=CHART_H, pad_l=PAD_L, pad_b=PAD_B, pad_t=PAD_T, zero=sy(0.0), y_lo=y_lo, y_hi=y_hi,
        lines=[{"source": s, "colour": PALETTE[i % len(PALETTE)], "points": pts}
               for i, (s, pts) in enumerate(sorted(by_source.items()))],
        x_labels=_x_labels(points, sx), right=CHART_W - PAD_R)


def _x_labels(points: list[dict[str, Any]], sx) -> list[tuple[float, str]]:
    """Distinct period labels under the axis."""
    seen: dict[str, float] = {}
    for p in points:
        label = p.get("period") or _x_key(p).isoformat()
        seen.setdefault(label, sx(_x_key(p).toordinal()))
    return sorted(((x, label) for label, x in seen.items()))[:12]


# --- rendering ---------------------------------------------------------------------------

def _environment() -> jinja2.Environment:
    """Templates with autoescape on for HTML and SVG: crawled text is never markup."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             autoescape=jinja2.select_autoescape(["html", "svg"]),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    env.filters["num"] = lambda v: "" if v is None else f"{v:g}"
    return env


def _people(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Person → the meetings they were at, chairs first among equals."""
    people: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        people[row["person"]].append(row)
    order = {"chair": 0, "speaker": 1, "presenter": 2, "attendee": 3}
    return [{"person": name, "meetings": items, "chaired": sum(i["role"] == "chair" for i in items)}
            for name, items in sorted(people.items(), key=lambda kv: (min(order.get(i["role"], 9) for i in kv[1]),
                                                                       -len(kv[1]), kv[0]))]


def _months(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Calendar rows grouped by month."""
    months: dict[Any, list[dict]] = defaultdict(list)
    for row in rows:
        months[row["month"]].append(row)
    return [{"month": m.strftime("%Y-%m") if m else "date unknown", "meetings": items}
            for m, items in months.items()]


def report_context(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Everything the report template shows."""
    run = latest_run(con)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("documents", "articles", "meetings", "meeting_participants", "indicators", "quarantine")}
    series = indicator_series(con)
    return {
        "generated_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "counts": counts, "run": run,
        "quarantine": quarantine_groups(con, run["run_id"]) if run else [],
        "charts": chart_groups(series), "indicators": series,
        "months": _months(meetings_calendar(con)), "people": _people(person_roles(con)),
        "data_docs": str(settings.reports_dir() / "data_docs" / "index.html"),
    }


def render_report(con: duckdb.DuckDBPyConnection) -> str:
    """The report as one HTML string."""
    return _environment().get_template("report.html").render(**report_context(con))


def build_report(con: duckdb.DuckDBPyConnection, out_path: str | Path) -> Path:
    """Write the self-contained HTML report to ``out_path``; return the path."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(con), encoding="utf-8")
    return out


# --- the Markdown summary (Prefect artifact) -----------------------------------------------

def _md(text: Any) -> str:
    """A value safe inside a Markdown table cell."""
    return str("" if text is None else text).replace("|", "\\|").replace("\n", " ")


def run_summary_markdown(con: duckdb.DuckDBPyConnection, run_id: str) -> str:
    """A run's status, what it loaded and what it quarantined, as Markdown."""
    run = _rows(con, "SELECT * FROM runs WHERE run_id = ?", [run_id])
    head = run[0] if run else {"flow": "?", "source": None, "status": "unknown", "message": None}
    lines = [f"# Run {run_id}", "",
             f"**{_md(head['flow'])}** {_md(head.get('source') or 'all sources')}: **{_md(head['status'])}**",
             "", _md(head.get("message") or ""), "", "| table | rows loaded by this run |", "|---|---|"]
    for table in ("documents", "articles", "meetings", "meeting_participants", "indicators"):
        n = con.execute(f"SELECT count(*) FROM {table} WHERE run_id = ?", [run_id]).fetchone()[0]
        lines.append(f"| {table} | {n} |")
    groups = quarantine_groups(con, run_id)
    lines += ["", f"## Quarantine: {sum(g['rows'] for g in groups)} row(s)", ""]
    if groups:
        lines += ["| table | expectation | reason | rows | keys |", "|---|---|---|---|---|"]
        lines += [f"| {g['table_name']} | {_md(g['expectation'])} | {_md(g['reason'])} | {g['rows']} | "
                  f"{_md((g['keys'] or '')[:200])} |" for g in groups]
    else:
        lines.append("Every staged row passed validation.")
    return "\n".join(lines) + "\n"
