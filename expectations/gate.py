"""The validation gate: every staged batch passes through GX before it reaches DuckDB.

``validate_batch`` runs each table's suite (``expectations/gx``, written by
``expectations.suites``) on the staged pandas frame, maps the failing row indexes GX reports
(``result_format=COMPLETE``) to row keys, and splits the batch: passing rows go on to the
loader, failing rows go to quarantine with the expectation they failed and a human reason,
and so do the rows that depend on them. A per-source check compares what the source's
pages yielded this run (links on its list pages, title and body on its article pages) with
its recent runs (``history``) to catch a template change upstream; how many documents were
*new* says nothing about that (an incremental crawl's quiet day brings none). Nothing is
dropped: every staged row is either passed or quarantined (possibly several times, once per
expectation it failed).
"""

from __future__ import annotations

import datetime as dt
import functools
import glob
import json
import logging
import math
import statistics
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from bulletins import settings
from bulletins.pipeline.ledger import SourceYield
from expectations import suites
from expectations.offline_docs import make_docs_offline

log = logging.getLogger(__name__)

KEYS = {
    "documents": ("document_id",),
    "articles": ("article_id",),
    "meetings": ("meeting_id",),
    "meeting_participants": ("meeting_id", "person"),
    "indicators": ("indicator_id",),
}
DATE_COLUMNS = {
    "documents": ("published_date", "published_at", "fetched_at"),
    "articles": ("published_date",),
    "meetings": ("start_date", "end_date"),
    "meeting_participants": (),
    "indicators": ("period_start", "period_end"),
}
# Who goes with a quarantined row: (parent table, child table, the child's column holding the parent key).
DEPENDENTS = (
    ("documents", "articles", "document_id"),
    ("documents", "meetings", "document_id"),
    ("documents", "indicators", "document_id"),
    ("articles", "meetings", "article_id"),
    ("articles", "indicators", "article_id"),
    ("meetings", "meeting_participants", "meeting_id"),
)
QUARANTINE_COLUMNS = ("run_id", "table_name", "row_key", "expectation", "reason", "row_json")
DEPENDS_ON = "depends_on_quarantined_row"

# A source's run fails when its list pages or article pages yield below this share of the
# median of its recent runs (a list page that always showed 20 links shows 3: its template
# probably changed).
SHRINK_FRACTION = 0.25
MIN_HISTORY_RUNS = 3  # fewer recent runs than this say nothing about what a source usually yields


@dataclass
class GateResult:
    """What the gate let through, what it held back, and an account of both."""

    passed: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def success(self) -> bool:
        """True when nothing was quarantined and every source looked as usual."""
        return bool(self.summary.get("success"))


@dataclass
class _Failure:
    """One expectation a set of rows (or a whole batch) failed."""

    table: str
    expectation: str
    reason: str
    rows: list[int]
    unexpected_count: int
    detail: dict[str, Any] = field(default_factory=dict)


# --- the GX context: one per process and folder pair, suites read once --------------------


def context_dirs() -> tuple[Path, Path]:
    """Where validation results and Data Docs go: data_dir()/gx/validations, reports_dir()/data_docs."""
    return settings.data_dir() / "gx" / "validations", settings.reports_dir() / "data_docs"


@functools.lru_cache(maxsize=4)
def _context(validations_dir: Path, docs_dir: Path):
    """The committed file context with its result stores pointed at this run's folders."""
    import great_expectations as gx  # slow to import: only when a batch is validated

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    validations_dir.mkdir(parents=True, exist_ok=True)
    docs_dir.mkdir(parents=True, exist_ok=True)
    return gx.get_context(
        mode="file",
        project_root_dir=str(suites.GX_ROOT),
        runtime_environment={suites.VALIDATIONS_DIR_VAR: str(validations_dir), suites.DATA_DOCS_DIR_VAR: str(docs_dir)},
    )


# Two threads making the first context at once raced inside GX ('NoneType' object has no
# attribute 'anchor', seen once in the demo's second daily run): one makes it, the other waits.
_MAKING = threading.Lock()


def get_context():
    """The GX file context for the current settings (cached per process)."""
    with _MAKING:
        return _context(*context_dirs())


@functools.lru_cache(maxsize=4)
def _definitions(validations_dir: Path, docs_dir: Path) -> dict[str, Any]:
    """The validation definitions by suite name, loaded once per context."""
    context = _context(validations_dir, docs_dir)
    return {name: context.validation_definitions.get(name) for name in suites.RULES}


def data_docs_index() -> Path:
    """The Data Docs entry page."""
    return context_dirs()[1] / "index.html"


# --- the validation view: what the suites see ------------------------------------------


def _parse_dates(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.DataFrame, pd.Series]:
    """Dates as datetimes, and per row the names of date columns that did not parse."""
    view = frame.copy()
    bad = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    for column in columns:
        if column not in view.columns:
            continue
        parsed = pd.to_datetime(view[column], errors="coerce", format="mixed")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_convert(None)
        failed = parsed.isna() & view[column].notna()
        bad = bad.where(~failed, bad + column + " ")
        view[column] = parsed
    return view, bad.str.strip().replace("", None)


def validation_view(table: str, frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The frame the suite of ``table`` runs on: dates parsed, derived columns added."""
    view, bad = _parse_dates(frames[table], DATE_COLUMNS[table])
    view["unparseable_dates"] = bad
    if table == "meetings":
        view["days_published_after_start"] = _days_published_after_start(view, frames.get("documents"))
    return view


def _days_published_after_start(meetings: pd.DataFrame, documents: pd.DataFrame | None) -> pd.Series:
    """Days from a meeting's start to its document's publication (NaN where either is unknown)."""
    if documents is None or documents.empty or "start_date" not in meetings.columns:
        return pd.Series([math.nan] * len(meetings), index=meetings.index, dtype=float)
    published = pd.to_datetime(
        documents.drop_duplicates("document_id").set_index("document_id")["published_date"], errors="coerce"
    )
    doc_dates = meetings["document_id"].map(published)
    return (pd.to_datetime(doc_dates) - meetings["start_date"]).dt.days.astype(float)


# --- running the suites ------------------------------------------------------------------


def _expectation_name(config) -> str:
    """``expect_…(column)``: the expectation and the column(s) it looked at."""
    kwargs = config.kwargs
    columns = kwargs.get("column") or kwargs.get("column_list") or [kwargs.get("column_A"), kwargs.get("column_B")]
    named = columns if isinstance(columns, str) else ",".join(c for c in columns if c)
    return f"{config.type}({named})" if named else config.type


def _failures(table: str, result, size: int) -> list[_Failure]:
    """The failed expectations of one suite result, each with the row indexes it failed."""
    found = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        reason = (config.meta or {}).get("reason") or config.type
        if item.exception_info and item.exception_info.get("raised_exception"):
            message = item.exception_info.get("exception_message")
            found.append(
                _Failure(
                    table, _expectation_name(config), f"{reason} (could not check: {message})", list(range(size)), size
                )
            )
            continue
        rows = [int(i) for i in item.result.get("unexpected_index_list") or [] if not isinstance(i, dict)]
        found.append(
            _Failure(
                table,
                _expectation_name(config),
                reason,
                rows,
                int(item.result.get("unexpected_count") or len(rows)),
                {"observed_value": item.result.get("observed_value")},
            )
        )
    return found


def _run(name: str, frame: pd.DataFrame, run_id: str, parameters: dict) -> Any:
    """Validate ``frame`` with the suite ``name`` and store the result for Data Docs."""
    from great_expectations.core.run_identifier import RunIdentifier

    with _MAKING:
        definitions = _definitions(*context_dirs())
    definition = definitions[name]
    return definition.run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=parameters,
        result_format={"result_format": "COMPLETE"},
        run_id=RunIdentifier(run_name=run_id),
    )


def _parameters() -> dict[str, Any]:
    """Suite parameters known at run time."""
    tomorrow = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time())
    return {"latest_plausible_date": tomorrow}


# --- the per-source yield check: did the source's templates still yield links and text? ---


@dataclass(frozen=True)
class YieldSignal:
    """One thing a source's pages yield each run, compared with the source's recent runs."""

    name: str  # this run's value, a column of the yields frame
    minimum: str  # the least the history allows, its sibling column
    history_of: Any  # a past run's yields -> its value (None: that run says nothing)
    describe: Any  # (source, this run's yields) -> the alert line
    example: str  # the change upstream it exists for


def _share(run: Mapping[str, Any]) -> float | None:
    """Fetched pages whose selectors found a title and a body, as a share (None: none fetched)."""
    parsed = run.get("pages_parsed")
    return None if not parsed else float(run.get("pages_with_content") or 0) / float(parsed)


def _links_line(source: str, run: Mapping[str, Any]) -> str:
    """The alert line of list pages that stopped yielding links."""
    pages = list(run.get("list_pages_without_links") or []) or list(run.get("list_pages") or [])
    more = f" (and {len(pages) - 1} more list pages)" if len(pages) > 1 else ""
    return (
        f"source {source}: selector links.selector {run.get('links_selector')!r} found "
        f"{'nothing' if not run.get('links_seen') else 'only ' + str(run.get('links_seen')) + ' links'}"
        f" on {pages[0] if pages else 'its list pages'}{more}"
    )


def _content_line(source: str, run: Mapping[str, Any]) -> str:
    """The alert line of article pages whose title or body selectors stopped matching."""
    pages = list(run.get("pages_without_content") or [])
    more = f" (and {len(pages) - 1} more pages)" if len(pages) > 1 else ""
    return (
        f"source {source}: selectors {run.get('content_selectors')} found no title and body on "
        f"{pages[0] if pages else 'its fetched pages'}{more}: {run.get('pages_with_content', 0)} of "
        f"{run.get('pages_parsed', 0)} fetched pages had both"
    )


# A quiet day (nothing new) still reads the first list page, which lists its N latest links:
# what the templates yield is the signal, not how much of it was new.
YIELD_SIGNALS = (
    YieldSignal(
        "links_seen",
        "min_links_seen",
        lambda run: run.get("links_seen") if run.get("list_pages_read") else None,
        _links_line,
        "the list template changed and ul.list li a matches nothing",
    ),
    YieldSignal(
        "content_share",
        "min_content_share",
        _share,
        _content_line,
        "the article template changed and #body matches nothing",
    ),
)


def expected_minimum(values: Sequence[float | None]) -> float | None:
    """The least a source's run may yield, from its recent runs' yields; None if unknown."""
    recent = [float(v) for v in values if v is not None]
    if len(recent) < MIN_HISTORY_RUNS:
        return None
    return SHRINK_FRACTION * statistics.median(recent)


def yields_frame(
    yields: Mapping[str, Mapping[str, Any]], history: Mapping[str, Sequence[Mapping[str, Any]]] | None
) -> pd.DataFrame:
    """One row per source: each signal this run and the minimum its history sets (NaN: not judged)."""
    rows = []
    for source in sorted(yields):
        run, past = yields[source], list((history or {}).get(source, []))
        row: dict[str, Any] = {"source": source}
        for signal in YIELD_SIGNALS:
            value = signal.history_of(run)
            minimum = expected_minimum([signal.history_of(p) for p in past])
            row[signal.name] = math.nan if value is None else float(value)
            row[signal.minimum] = math.nan if minimum is None else float(minimum)
        rows.append(row)
    columns = ["source"] + [c for s in YIELD_SIGNALS for c in (s.name, s.minimum)]
    return pd.DataFrame(rows, columns=columns)


def _yield_checks(
    yields: Mapping[str, Mapping[str, Any]] | None,
    history: Mapping[str, Sequence[Mapping[str, Any]]] | None,
    run_id: str,
    results: list,
) -> tuple[list[_Failure], dict[str, dict]]:
    """Each crawled source's yields against its history, by the source-yield suite."""
    if not yields:
        return [], {}
    frame = yields_frame(yields, history)
    result = _run(suites.SOURCE_YIELD_SUITE, frame, run_id, {})
    results.append(result)
    failed: dict[str, set[int]] = {}
    for failure in _failures(suites.SOURCE_YIELD_SUITE, result, len(frame)):
        column = failure.expectation.split("(", 1)[-1].split(",", 1)[0]
        failed.setdefault(column, set()).update(failure.rows)
    failures, sources = [], {}
    for index, row in frame.iterrows():
        source, run = row["source"], yields[row["source"]]
        past = list((history or {}).get(source, []))
        bad = [s for s in YIELD_SIGNALS if index in failed.get(s.name, set())]
        sources[source] = {
            **{k: _jsonable(row[k]) for k in frame.columns if k != "source"},
            "history_runs": len(past),
            "ok": not bad,
        }
        for signal in bad:
            detail = {
                "source": source,
                signal.name: _jsonable(row[signal.name]),
                signal.minimum: _jsonable(row[signal.minimum]),
                "history": [signal.history_of(p) for p in past],
                "this_run": dict(run),
            }
            failures.append(
                _Failure(
                    suites.SOURCE_YIELD_SUITE,
                    f"{_RULE_NAMES[signal.name]}",
                    signal.describe(source, run),
                    [],
                    1,
                    detail,
                )
            )
    return failures, sources


_RULE_NAMES = {s.name: f"expect_column_pair_values_a_to_be_greater_than_b({s.name},{s.minimum})" for s in YIELD_SIGNALS}


# --- quarantine and passed rows ------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    """A cell as JSON can hold it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT or (not isinstance(value, (list, dict, str)) and pd.isna(value) is True):
        return None
    if isinstance(value, (pd.Timestamp, dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def row_json(row: Mapping[str, Any]) -> str:
    """A staged row as JSON, dates in ISO form, missing values null."""
    return json.dumps({k: _jsonable(v) for k, v in row.items()}, ensure_ascii=False, default=str)


def row_key(table: str, row: Mapping[str, Any], index: int) -> str:
    """The row's key as the warehouse knows it, or its batch position when the key is missing."""
    parts = [_jsonable(row.get(column)) for column in KEYS[table]]
    return "|".join(
        f"<no {column}, row {index}>" if part is None or str(part) == "" else str(part)
        for column, part in zip(KEYS[table], parts)
    )


def _failed_keys(table: str, frame: pd.DataFrame, failures: list[_Failure]) -> dict[str, list[str]]:
    """Each quarantined key of ``table`` with the expectations it failed."""
    column, found = KEYS[table][0], {}
    for failure in failures:
        if failure.table != table or column not in frame.columns:
            continue
        for index in failure.rows:
            key = frame.at[index, column]
            if key is not None and not pd.isna(key):
                found.setdefault(str(key), []).append(failure.expectation)
    return found


def _cascade(frames: Mapping[str, pd.DataFrame], failures: list[_Failure]) -> list[_Failure]:
    """Rows depending on a quarantined row, as failures naming their parent (parents first)."""
    cascaded: list[_Failure] = []
    for parent, child, column in DEPENDENTS:
        if parent not in frames or child not in frames or column not in frames[child].columns:
            continue
        keys = _failed_keys(parent, frames[parent], failures + cascaded)
        if not keys:
            continue
        child_frame = frames[child]
        for index in child_frame.index[child_frame[column].astype(str).isin(keys)]:
            parent_key = str(child_frame.at[index, column])
            why = ", ".join(sorted(set(keys[parent_key])))
            cascaded.append(
                _Failure(
                    child, DEPENDS_ON, f"its {_SINGULAR[parent]} {parent_key} was quarantined ({why})", [int(index)], 1
                )
            )
    return cascaded


_SINGULAR = {"documents": "document", "articles": "article", "meetings": "meeting"}


def _quarantine_rows(frames: Mapping[str, pd.DataFrame], failures: list[_Failure], run_id: str) -> pd.DataFrame:
    """One quarantine row per (row, expectation failed); batch-level failures as one row each."""
    records, seen = [], set()
    for failure in failures:
        if not failure.rows:  # a batch-level failure: the batch itself is the row
            key = f"source:{failure.detail.get('source')}"
            records.append(
                (
                    run_id,
                    failure.table,
                    key,
                    failure.expectation,
                    failure.reason,
                    json.dumps(failure.detail, ensure_ascii=False, default=str),
                )
            )
            continue
        frame = frames[failure.table]
        for index in failure.rows:
            row = frame.loc[index].to_dict()
            key = row_key(failure.table, row, index)
            unique, n = key, 1
            while (failure.table, unique, failure.expectation) in seen:  # duplicates of one key
                n += 1
                unique = f"{key}#{n}"
            seen.add((failure.table, unique, failure.expectation))
            records.append((run_id, failure.table, unique, failure.expectation, failure.reason, row_json(row)))
    return pd.DataFrame.from_records(records, columns=list(QUARANTINE_COLUMNS))


def _staged(batch: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The batch's frames, indexed 0..n-1 so GX's row indexes are positions."""
    return {t: f.reset_index(drop=True) for t, f in batch.items() if t in KEYS and f is not None}


# --- the gate ------------------------------------------------------------------------------


def validate_batch(
    batch: Mapping[str, pd.DataFrame],
    run_id: str,
    history: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    *,
    yields: Mapping[str, SourceYield] | None = None,
    build_docs: bool = True,
) -> GateResult:
    """Validate a staged batch; split it into rows that pass and rows quarantined.

    ``yields`` maps each source crawled this run to its ``SourceYield`` (links found on its
    list pages, pages whose selectors found a title and a body, the selectors and the pages
    that yielded nothing); ``history`` maps a source to the same counts of its recent runs (newest first), as ``warehouse.report.source_history`` reads
    them from the ``runs`` table. The batch may be empty: a run whose templates yield
    nothing stages nothing, and that is what the check is for.
    """
    frames = _staged(batch)
    failures, source_failures, sources = _judge(frames, run_id, yields, history)
    docs = build_data_docs(run_id) if build_docs else None
    return _result(run_id, frames, failures, source_failures, sources, docs)


@dataclass
class GatePart:
    """One crawl's staged batch in a shared gate: its rows, its run and its sources' yields and history."""

    batch: Mapping[str, pd.DataFrame]
    run_id: str  # the run its quarantined rows belong to
    yields: Mapping[str, SourceYield] | None = None
    history: Mapping[str, Sequence[Mapping[str, Any]]] | None = None


def validate_batches(parts: Sequence[GatePart], run_id: str) -> list[GateResult]:
    """Validate several crawls' batches in ONE pass of the suites; each part's own ``GateResult``.

    GX costs about a second a pass whatever the rows (building its metric graph), so a daily
    run gates whatever its sources have queued together. The suites see the rows of every
    part at once; each failure is then given back to the part its rows came from (a source-
    yield failure to the part that crawled that source), exactly as ``validate_batch`` would
    have judged that part alone. ``run_id`` names the pass in the GX result store (Data Docs
    are built by the caller, once); each part's quarantined rows carry the part's own run.
    The parts must crawl distinct sources.
    """
    staged = [_staged(part.batch) for part in parts]
    frames, spans = _combined(staged)
    yields = {source: made for part in parts for source, made in (part.yields or {}).items()}
    history = {source: runs for part in parts for source, runs in (part.history or {}).items()}
    if len(yields) != sum(len(part.yields or {}) for part in parts):
        raise ValueError("validate_batches: two parts crawled the same source")
    failures, source_failures, sources = _judge(frames, run_id, yields, history)
    docs = str(data_docs_index())
    results = []
    for number, (part, own) in enumerate(zip(parts, staged)):
        mine = [f for f in (_part_failure(f, spans[f.table][number]) for f in failures) if f is not None]
        names = set(part.yields or {})
        mine_sources = [f for f in source_failures if f.detail.get("source") in names]
        accounts = {s: sources[s] for s in names if s in sources}
        results.append(_result(part.run_id, own, mine, mine_sources, accounts, docs))
    return results


def _combined(staged: Sequence[dict[str, pd.DataFrame]]) -> tuple[dict[str, pd.DataFrame], dict[str, list[range]]]:
    """The parts' frames one under the other per table, and each part's row positions in them."""
    frames, spans = {}, {}
    for table in KEYS:
        pieces = [own[table] for own in staged if table in own]
        if not pieces:
            continue
        frames[table] = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
        start, spans[table] = 0, []
        for own in staged:
            size = len(own[table]) if table in own else 0
            spans[table].append(range(start, start + size))
            start += size
    return frames, spans


def _part_failure(failure: _Failure, span: range) -> _Failure | None:
    """The share of a failure on the combined rows that falls on one part's rows (positions made its own)."""
    rows = [row - span.start for row in failure.rows if row in span]
    if not rows:
        return None
    return _Failure(failure.table, failure.expectation, failure.reason, rows, len(rows), failure.detail)


def _judge(
    frames: dict[str, pd.DataFrame],
    run_id: str,
    yields: Mapping[str, SourceYield] | None,
    history: Mapping[str, Sequence[Mapping[str, Any]]] | None,
) -> tuple[list[_Failure], list[_Failure], dict[str, dict]]:
    """Run the suites: the row failures (dependents cascaded), the source-yield failures, each source's account."""
    seen = {source: made.as_dict() for source, made in (yields or {}).items()}
    parameters, results, failures = _parameters(), [], []
    for table in suites.TABLES:
        if table in frames and not frames[table].empty:
            result = _run(table, validation_view(table, frames), run_id, parameters)
            results.append(result)
            failures += _failures(table, result, len(frames[table]))
    source_failures, sources = _yield_checks(seen, history, run_id, results)
    failures += _cascade(frames, failures)
    return failures, source_failures, sources


def _result(
    run_id: str,
    frames: dict[str, pd.DataFrame],
    failures: list[_Failure],
    source_failures: list[_Failure],
    sources: dict[str, dict],
    docs: str | None,
) -> GateResult:
    """Split ``frames`` by the failures: rows that pass, quarantine rows (of ``run_id``), the account."""
    failed = {t: {i for f in failures if f.table == t for i in f.rows} for t in frames}
    failures = failures + source_failures
    passed = {t: f.drop(index=sorted(failed.get(t, set()))).reset_index(drop=True) for t, f in frames.items()}
    quarantine = _quarantine_rows(frames, failures, run_id)
    return GateResult(passed, quarantine, _summary(run_id, frames, passed, failures, sources, docs))


def build_data_docs(run_id: str) -> str | None:
    """Render Data Docs for this run's results (and the index); a docs failure is logged, never fatal."""
    try:
        context = get_context()
        keys = run_result_keys(run_id)
        if keys:
            context.build_data_docs(resource_identifiers=keys)
            make_docs_offline(context_dirs()[1], run_id)  # no CDN asset: the machine is offline
        return str(data_docs_index())
    except Exception as exc:  # noqa: BLE001 - Data Docs are a view; the gate's verdict stands without them
        log.warning("Data Docs not built: %s", exc)
        return None


def run_result_keys(run_id: str) -> list[Any]:
    """The validation result keys of one run, read from that run's folders.

    The store's own ``list_keys`` walks every result ever stored, so a daily run's Data Docs
    would cost more each day; the filesystem store keeps a result at
    ``<suite>/<run name>/<run time>/<batch id>.json``, and only this run's are read.
    """
    from great_expectations.data_context.types.resource_identifiers import ValidationResultIdentifier

    validations_dir, _docs = context_dirs()
    keys = []
    for path in sorted(validations_dir.glob(f"*/{glob.escape(run_id)}/*/*.json")):
        suite, run_name, run_time = path.relative_to(validations_dir).parts[:3]
        keys.append(ValidationResultIdentifier.from_tuple((suite, run_name, run_time, path.stem)))
    return keys


def _summary(run_id: str, frames, passed, failures: list[_Failure], sources: dict, docs: str | None) -> dict:
    """Counts per table, each failed expectation, each source's yields: what the run reports."""
    tables = {
        t: {"staged": len(frames[t]), "passed": len(passed[t]), "quarantined": len(frames[t]) - len(passed[t])}
        for t in frames
    }
    failed = [
        {"table": f.table, "expectation": f.expectation, "reason": f.reason, "unexpected_count": f.unexpected_count}
        for f in failures
    ]
    return {
        "run_id": run_id,
        "success": not failures,
        "tables": tables,
        "failed_expectations": failed,
        "sources": sources,
        "data_docs": docs,
    }
