"""The analyst report: one self-contained HTML file read from the warehouse views.

The report is organised by place; each fact and each meeting appears once, merged across the
sources that reported it (``v_indicator_facts``, ``v_meeting_events``, ``v_people``). Charts
are inline SVG drawn here on a time axis (no CDN, no script: the machine is offline and the
file must open anywhere); a figure without a period is never plotted, and targets are listed
apart from results. Every text that came from a crawled page goes through Jinja2's
autoescape, and every link through ``safe_url`` (http/https only), because a page can carry
``<script>`` or a ``javascript:`` URL. Also here: the Markdown run summary published as a
Prefect artifact, and ``source_history``, what each source's pages yielded in its recent runs, for the gate.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import jinja2

from bulletins import settings

CHART_W, CHART_H, PAD_L, PAD_R, PAD_T, PAD_B, LEGEND_H = 460, 190, 48, 12, 8, 28, 18
# Series colours (red is kept for the ring that marks a fact the sources disagree on).
PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f")
CONFLICT = "#d62728"
MAX_CHARTS = 12  # per place: the series with the most points; the rest are in the figures table
MAX_PEOPLE = 15  # per place, open; the rest folded
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


def _json(value: Any) -> Any:
    """A JSON column's value, parsed when DuckDB hands it over as text."""
    return json.loads(value) if isinstance(value, str) and value else value


def quarantine_groups(con: duckdb.DuckDBPyConnection, run_id: str | list[str]) -> list[dict[str, Any]]:
    """The runs' quarantined rows grouped by table, expectation and reason, with example keys."""
    run_ids = [run_id] if isinstance(run_id, str) else list(run_id)
    return _rows(
        con,
        """
        SELECT table_name, expectation, reason, count(*) AS rows,
               string_agg(row_key, ', ' ORDER BY row_key) FILTER (WHERE row_key IS NOT NULL) AS keys
        FROM quarantine WHERE list_contains(?, run_id) GROUP BY ALL ORDER BY table_name, rows DESC""",
        [run_ids],
    )


def latest_crawl(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The latest daily crawl and each of its sources' runs: what the validation section shows.

    A daily crawl runs each source as its own run between its start and end; without a daily
    crawl, each source's latest run stands in, so no source is left out.
    """
    daily = _rows(con, "SELECT * FROM runs WHERE flow = 'daily-crawl' ORDER BY started_at DESC LIMIT 1")
    head = daily[0] if daily else None
    where = (
        "r.started_at >= ? AND r.started_at <= coalesce(?, now()::TIMESTAMP)"
        if head
        else "r.started_at = (SELECT max(x.started_at) FROM runs x WHERE x.source = r.source)"
    )
    params = [head["started_at"], head["finished_at"]] if head else []
    runs = _rows(
        con,
        f"""
        SELECT r.run_id, r.source, r.status, r.started_at, r.message, r.summary,
               (SELECT count(*) FROM quarantine q WHERE q.run_id = r.run_id) AS quarantined,
               (SELECT count(*) FROM crawl_errors e WHERE e.run_id = r.run_id) AS errors
        FROM runs r WHERE r.source IS NOT NULL AND {where} ORDER BY r.source""",
        params,
    )
    for run in runs:
        summary = _json(run.pop("summary")) or {}
        run.update({k: summary.get(k) for k in ("fetched", "rows_loaded", "pages_parsed", "pages_with_content")})
    if head:
        head["summary"] = _json(head["summary"])
    return {
        "daily": head,
        "sources": runs,
        "quarantine": quarantine_groups(con, [r["run_id"] for r in runs] + ([head["run_id"]] if head else [])),
    }


def indicator_facts(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Each fact once (``v_indicator_facts``), ordered for charting and reading."""
    return _rows(
        con,
        """
        SELECT place, metric_id, metric_key, metric, names, measure, period, period_start, period_end, target,
               value, unit, base_unit, rank, rank_scope, reports, sources, conflict, values_reported,
               evidence, url, article_title, indicator_ids[1] AS anchor
        FROM v_indicator_facts
        ORDER BY place NULLS LAST, metric_id, measure, base_unit, period_end NULLS LAST, value""",
    )


def meeting_events(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Each real meeting once (``v_meeting_events``), newest first."""
    return _rows(con, "SELECT * FROM v_meeting_events ORDER BY event_date DESC NULLS LAST, name")


def people(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Who held which title where, and what they chaired (``v_people``)."""
    return _rows(con, "SELECT * FROM v_people ORDER BY place NULLS LAST, chaired DESC, meetings DESC, person")


def place_order(con: duckdb.DuckDBPyConnection, names: set[Any]) -> list[tuple[Any, str | None]]:
    """The places to show as ``(name, parent)``: a province before its cities, when ``places`` knows them.

    The ``places`` table (code, name, level, parent_code) may be missing or empty: then by name.
    """
    known: dict[str, tuple[int, str]] = {}
    if con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'places'").fetchone()[0]:
        for name, depth, parent in con.execute("""
                WITH RECURSIVE chain(code, name, parent, depth) AS (
                    SELECT code, name, CAST(NULL AS VARCHAR), 0 FROM places
                    WHERE parent_code IS NULL OR parent_code NOT IN (SELECT code FROM places)
                    UNION ALL
                    SELECT p.code, p.name, c.name, c.depth + 1 FROM places p JOIN chain c ON p.parent_code = c.code
                    WHERE c.depth < 6)
                SELECT name, min(depth), any_value(parent) FROM chain GROUP BY name""").fetchall():
            known[name] = (int(depth), parent or "")
    ordered = sorted((n for n in names if n is not None), key=lambda n: (*known.get(n, (0, "")), n))
    return [(n, known.get(n, (0, None))[1] or None) for n in ordered] + ([(None, None)] if None in names else [])


# What a crawl run's pages yielded, as its run summary records it (flows.crawl.run_summary).
YIELD_KEYS = ("list_pages_read", "links_seen", "pages_parsed", "pages_with_content")


def source_history(
    con: duckdb.DuckDBPyConnection,
    sources: list[str] | None = None,
    limit: int = HISTORY_RUNS,
    exclude_run: str | None = None,
) -> dict[str, list[dict[str, int]]]:
    """Each source's yields per recent finished crawl run, newest first: the gate's ``history``.

    A run's yields are what its list pages and fetched pages gave (``summary.links_seen`` on
    ``summary.list_pages_read`` list pages, ``summary.pages_with_content`` of
    ``summary.pages_parsed``); a run recorded before these were kept has none and is left out.
    """
    columns = ", ".join(f"CAST(json_extract(summary, '$.{k}') AS INTEGER) AS {k}" for k in YIELD_KEYS)
    rows = _rows(
        con,
        f"""
        SELECT source, {columns}
        FROM (SELECT *, row_number() OVER (PARTITION BY source ORDER BY started_at DESC) AS k
              FROM runs WHERE flow = 'crawl-source' AND source IS NOT NULL AND status IN ('completed', 'warning')
                AND summary IS NOT NULL AND json_extract(summary, '$.links_seen') IS NOT NULL
                AND run_id IS DISTINCT FROM ?)
        WHERE k <= ? ORDER BY source, k""",
        [exclude_run, limit],
    )
    history: dict[str, list[dict[str, int]]] = defaultdict(list)
    for row in rows:
        if sources is None or row["source"] in sources:
            history[row["source"]].append({k: int(row[k] or 0) for k in YIELD_KEYS})
    return dict(history)


# --- charts ------------------------------------------------------------------------------


def span_label(start: dt.date | None, end: dt.date | None) -> str:
    """What a period covers, as bulletins say it: 全年, 1–6月, 7月, 3年累计; the series a fact belongs to."""
    if not start or not end:
        return "no period"
    years = end.year - start.year + 1
    if years > 1:
        return f"{years}年累计"
    if (start.month, end.month) == (1, 12):
        return "全年"
    return f"{start.month}月" if start.month == end.month else f"{start.month}–{end.month}月"


def _scale(lo: float, hi: float, a: float, b: float):
    """A linear map from [lo, hi] to [a, b] (the middle when lo == hi)."""
    span = (hi - lo) or 1.0
    return (lambda v: a + (v - lo) / span * (b - a)) if hi != lo else (lambda v: (a + b) / 2)


def _nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round values spanning [lo, hi] for the y axis (0 included when in range)."""
    raw = (hi - lo) / count or abs(hi) or 1.0
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if raw <= step * m)
    first = math.floor(lo / step) * step
    return [round(first + i * step, 10) for i in range(count + 3) if first + i * step <= hi + step * 0.999][: count + 2]


def _time_ticks(x_lo: int, x_hi: int) -> list[tuple[int, str]]:
    """Ticks of the time axis (ordinals): 1 January of each year, or each quarter's first day
    (2023-07) when the range holds fewer than two new years; every other year past twelve."""
    first, last = dt.date.fromordinal(x_lo), dt.date.fromordinal(x_hi)
    years = [dt.date(y, 1, 1) for y in range(first.year, last.year + 2)]
    ticks = [(d.toordinal(), str(d.year)) for d in years if x_lo <= d.toordinal() <= x_hi]
    if len(ticks) < 2:
        quarters = [dt.date(y, m, 1) for y in range(first.year, last.year + 1) for m in (1, 4, 7, 10)]
        ticks = [(d.toordinal(), d.strftime("%Y-%m")) for d in quarters if x_lo <= d.toordinal() <= x_hi]
    return ticks[::2] if len(ticks) > 12 else ticks


def svg_chart(points: list[dict[str, Any]], colours: dict[str, str]) -> str:
    """An inline SVG: a time axis by period end, one coloured line per period span, a keyed legend.

    A point is a fact (each once, however many sources reported it); a fact that sources
    disagree on gets a red ring; each point links to its row in the figures table.
    """
    xs = [p["period_end"].toordinal() for p in points]
    ys = [float(p["value"]) for p in points]
    ticks = _nice_ticks(min(min(ys), 0.0), max(max(ys), 0.0))
    x_lo, x_hi = min(xs) - 30, max(xs) + 30
    sx = _scale(x_lo, x_hi, PAD_L, CHART_W - PAD_R)
    sy = _scale(ticks[0], ticks[-1], CHART_H - PAD_B, PAD_T + LEGEND_H)
    series: dict[str, list[tuple[float, float, dict]]] = defaultdict(list)
    for x, y, p in sorted(zip(xs, ys, points), key=lambda t: t[0]):
        series[p["span"]].append((sx(x), sy(y), p))
    lines = [{"label": label, "colour": colours[label], "points": pts} for label, pts in series.items()]
    legend = [(line["label"], line["colour"]) for line in lines]
    if any(p["conflict"] for p in points):
        legend.append(("sources disagree", CONFLICT))
    return (
        _environment()
        .get_template("chart.svg")
        .render(
            w=CHART_W,
            h=CHART_H,
            pad_l=PAD_L,
            pad_b=PAD_B,
            pad_t=PAD_T + LEGEND_H,
            right=CHART_W - PAD_R,
            y_ticks=[(sy(t), t) for t in ticks],
            x_ticks=[(sx(o), label) for o, label in _time_ticks(x_lo, x_hi)],
            zero=sy(0.0) if ticks[0] <= 0 <= ticks[-1] else None,
            lines=lines,
            legend=legend,
            conflict=CONFLICT,
        )
    )


def _series_colours(facts: list[dict[str, Any]]) -> dict[str, str]:
    """One colour per period span across the whole report, so 1–6月 is the same colour everywhere."""

    def order(label: str) -> tuple:
        nums = [int(n) for n in re.findall(r"\d+", label)]
        return (label != "全年", -len(nums), nums, label)

    labels = sorted({f["span"] for f in facts}, key=order)
    return {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)}


# --- the report, place by place ------------------------------------------------------------


def _environment() -> jinja2.Environment:
    """Templates with autoescape on for HTML and SVG: crawled text is never markup."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "svg"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["num"] = lambda v: "" if v is None else f"{v:g}"
    env.filters["f1"] = lambda v: f"{v:.1f}"
    return env


def _charts(facts: list[dict[str, Any]], colours: dict[str, str]) -> list[dict[str, Any]]:
    """One chart per (metric, measure, unit) with results in two periods or more."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for fact in facts:
        if fact["value"] is not None and fact["period_end"] and not fact["target"]:
            groups[(fact["metric_id"], fact["measure"], fact["base_unit"])].append(fact)
    charts = [
        {
            "metric": pts[0]["metric"],
            "measure": k[1],
            "unit": pts[-1]["unit"],
            "points": pts,
            "svg": svg_chart(pts, colours),
        }
        for k, pts in groups.items()
        if len({p["period"] for p in pts}) >= 2
    ]
    # standard indicators (those with a catalogue key) first, then the longest series
    return sorted(charts, key=lambda c: (c["points"][0]["metric_key"] is None, -len(c["points"]), c["metric"]))[
        :MAX_CHARTS
    ]


def _latest(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per (metric, measure, unit, span), the results of the latest period: the figures table."""
    latest: dict[tuple, list[dict]] = {}
    for fact in facts:
        if fact["target"]:
            continue
        key = (fact["metric_id"], fact["measure"], fact["base_unit"], fact["span"])
        current = latest.get(key)
        when = fact["period_end"] or dt.date.min
        if current is None or when > (current[0]["period_end"] or dt.date.min):
            latest[key] = [fact]
        elif when == (current[0]["period_end"] or dt.date.min):
            current.append(fact)
    return [f for key in sorted(latest, key=lambda k: (k[0], k[1], k[3])) for f in latest[key]]


def _calendar(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Meetings as a year × month grid of counts, the latest year's list, and the rest."""
    grid: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    for event in events:
        if event["event_date"]:
            grid[event["event_date"].year][event["event_date"].month - 1] += 1
    years = sorted(grid, reverse=True)
    top = max((n for row in grid.values() for n in row), default=0) or 1
    recent = [e for e in events if years and e["event_date"] and e["event_date"].year == years[0]]
    return {
        "years": [(y, [(n, round(0.15 + 0.85 * n / top, 2)) for n in grid[y]]) for y in years],
        "recent": recent,
        "earlier": [e for e in events if e not in recent],
        "latest_year": years[0] if years else None,
    }


def place_sections(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Everything the report shows about each place: facts once each, meetings, people."""
    facts, events, persons = indicator_facts(con), meeting_events(con), people(con)
    for fact in facts:
        fact["span"] = span_label(fact["period_start"], fact["period_end"])
    colours = _series_colours([f for f in facts if f["period_end"]])
    by_place: dict[Any, dict[str, list]] = defaultdict(lambda: {"facts": [], "events": [], "people": []})
    for key, rows in (("facts", facts), ("events", events), ("people", persons)):
        for row in rows:
            by_place[row["place"]][key].append(row)
    sections = []
    for place, parent in place_order(con, set(by_place)):
        got = by_place[place]
        results = [f for f in got["facts"] if not f["target"]]
        sections.append(
            {
                "place": place,
                "parent": parent,
                "anchor": f"place-{len(sections)}",
                "charts": _charts(results, colours),
                "latest": _latest(results),
                "history": sorted(
                    results, key=lambda f: (f["metric_id"], f["measure"], f["period_end"] or dt.date.min)
                ),
                "targets": [f for f in got["facts"] if f["target"]],
                "conflicts": sum(f["conflict"] for f in results),
                "calendar": _calendar(got["events"]),
                "events": len(got["events"]),
                "people": got["people"][:MAX_PEOPLE],
                "more_people": got["people"][MAX_PEOPLE:],
            }
        )
    return sections


def report_context(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Everything the report template shows."""
    counts = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("documents", "articles", "meetings", "meeting_participants", "indicators", "quarantine")
    }
    merged = {
        "meeting events": con.execute("SELECT count(*) FROM v_meeting_events").fetchone()[0],
        "indicator facts": con.execute("SELECT count(*) FROM v_indicator_facts").fetchone()[0],
    }
    return {
        "generated_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "counts": counts,
        "merged": merged,
        "crawl": latest_crawl(con),
        "places": place_sections(con),
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
    lines = [
        f"# Run {run_id}",
        "",
        f"**{_md(head['flow'])}** {_md(head.get('source') or 'all sources')}: **{_md(head['status'])}**",
        "",
        _md(head.get("message") or ""),
        "",
        "| table | rows loaded by this run |",
        "|---|---|",
    ]
    for table in ("documents", "articles", "meetings", "meeting_participants", "indicators"):
        n = con.execute(f"SELECT count(*) FROM {table} WHERE run_id = ?", [run_id]).fetchone()[0]
        lines.append(f"| {table} | {n} |")
    groups = quarantine_groups(con, run_id)
    lines += ["", f"## Quarantine: {sum(g['rows'] for g in groups)} row(s)", ""]
    if groups:
        lines += ["| table | expectation | reason | rows | keys |", "|---|---|---|---|---|"]
        lines += [
            f"| {g['table_name']} | {_md(g['expectation'])} | {_md(g['reason'])} | {g['rows']} | "
            f"{_md((g['keys'] or '')[:200])} |"
            for g in groups
        ]
    else:
        lines.append("Every staged row passed validation.")
    return "\n".join(lines) + "\n"
