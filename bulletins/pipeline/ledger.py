"""A run's ledger: requests, errors, link outcomes, what the templates yielded, staged pages, counts.

A ``RunLedger`` collects everything a run does so that it can be written to the warehouse
at the end, whatever happened in between, and summarised on the run row and as a Prefect
artifact. It is plain data: worker processes fill one per chunk and send it back whole
(it pickles), the run's ledger absorbs it with ``merge``. It owns its own state: batches
leave it with ``take_batch`` and come back as ``record_load`` or ``fail_batch``, and
``gate_and_load`` is the one step that gates and loads a run's staged pages, whatever flow
runs it (the gate and the loader are passed in: this package imports no GX or DuckDB);
``write_through`` is the same step done by a daily run's shared writer.
"""

from __future__ import annotations

import traceback
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import pandas as pd

from bulletins.pipeline.stage import StagedPage, batch_counts, to_batch

SHOWN = 20  # pages named in a summary or an alert; the rest are counted


def describe(exc: BaseException) -> str:
    """An exception as one line: its type, message and the line of our code it came from."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename]
    where = f" (at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


@dataclass
class SourceYield:
    """What a source's templates yielded this run: links on its list pages, title and body on its pages.

    Made where pages are read (discovery counts list pages, page processing article pages),
    checked by the gate against the source's recent runs, kept in the run's summary (where
    the report and the next runs' checks read it).
    """

    links_selector: str = ""
    content_selectors: str = ""
    list_pages: dict[str, int] = field(default_factory=dict)  # list page read -> article links found
    pages_parsed: int = 0
    pages_with_content: int = 0
    pages_without_content: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, config: Any) -> SourceYield:
        """An empty yield naming the source's selectors."""
        rules = config.article
        content = f"article.title {' | '.join(map(str, rules.title))}, article.body {' | '.join(map(str, rules.body))}"
        return cls(links_selector=str(config.links.selector), content_selectors=content)

    def list_page(self, url: str, links: int) -> None:
        """A list page read, and how many article links the links selector found on it."""
        self.list_pages[url] = links

    def article_page(self, url: str, found: bool) -> None:
        """A fetched page, and whether the selectors found a title and a body on it."""
        self.pages_parsed += 1
        if found:
            self.pages_with_content += 1
        else:
            self.pages_without_content.append(url)

    def merge(self, other: SourceYield) -> None:
        """Add another part of the same run (a worker's chunk)."""
        self.list_pages.update(other.list_pages)
        self.pages_parsed += other.pages_parsed
        self.pages_with_content += other.pages_with_content
        self.pages_without_content += other.pages_without_content

    @property
    def links_seen(self) -> int:
        """Article links found on every list page read."""
        return sum(self.list_pages.values())

    def as_dict(self) -> dict[str, Any]:
        """The yield as the gate reads it and the run's summary keeps it."""
        return {
            "list_pages_read": len(self.list_pages),
            "links_seen": self.links_seen,
            "list_pages": list(self.list_pages)[:SHOWN],
            "list_pages_without_links": [u for u, n in self.list_pages.items() if n == 0][:SHOWN],
            "links_selector": self.links_selector,
            "pages_parsed": self.pages_parsed,
            "pages_with_content": self.pages_with_content,
            "pages_without_content": self.pages_without_content[:SHOWN],
            "content_selectors": self.content_selectors,
        }


@dataclass
class Batch:
    """Staged pages taken from a ledger to gate and load: their frames, URLs and sources."""

    frames: dict[str, pd.DataFrame]
    urls: list[str]
    sources: list[str]


@dataclass
class RunLedger:
    """Everything one run of one source did, written to the warehouse at the end."""

    run_id: str
    source: str
    fetch_log: list[Any] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    outcomes: list[dict] = field(default_factory=list)
    pages: list[StagedPage] = field(default_factory=list)
    page_urls: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    loaded: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    discovery: dict[str, Any] = field(default_factory=dict)
    gate_summaries: list[dict[str, Any]] = field(default_factory=list)
    yields: SourceYield = field(default_factory=SourceYield)
    written: Counter = field(default_factory=Counter)  # how many requests and errors are in the warehouse
    seq_base: dict[str, int] = field(default_factory=dict)  # per table, the run's first seq this ledger wrote

    def take_unwritten(self) -> tuple[list[Any], list[dict], list[dict]]:
        """The requests, errors and settled link outcomes not yet written, now counted as written.

        A staged page's link is not settled until its batch loads: written as fetched before
        that, a run killed in between would leave the page marked done and never loaded.
        """
        requests = self.fetch_log[self.written["fetch_log"] :]
        errors = self.errors[self.written["errors"] :]
        self.written.update(fetch_log=len(requests), errors=len(errors))
        pending = set(self.page_urls)
        settled = [o for o in self.outcomes if o["url"] not in pending]
        self.outcomes = [o for o in self.outcomes if o["url"] in pending]
        return requests, errors, settled

    def gate_summary(self) -> dict[str, Any] | None:
        """The gate's summaries of this run's batches as one (None when nothing was validated)."""
        if not self.gate_summaries:
            return None
        tables: dict[str, dict[str, int]] = {}
        for summary in self.gate_summaries:
            for table, counts in summary.get("tables", {}).items():
                merged = tables.setdefault(table, {})
                for key, n in counts.items():
                    merged[key] = merged.get(key, 0) + int(n)
        failed = [f for summary in self.gate_summaries for f in summary.get("failed_expectations", [])]
        return {"run_id": self.run_id, "tables": tables, "failed_expectations": failed, "success": not failed}

    def error(self, url: str | None, stage: str, error: BaseException | str, source: str | None = None) -> None:
        """Record an error of ``stage`` about ``url`` (None: about the whole source)."""
        text = describe(error) if isinstance(error, BaseException) else str(error)
        self.errors.append({"source": source or self.source, "url": url, "stage": stage, "error": text})
        self.counts[f"{stage}_errors"] += 1

    def link(self, url: str, link_state: str, error: str | None = None) -> None:
        """What became of a link this run: fetched, failed (retried next run) or gone."""
        self.outcomes.append({"url": url, "state": link_state, "error": error})

    def fail(
        self, url: str, stage: str, error: BaseException | str, link_state: str = "failed", source: str | None = None
    ) -> None:
        """A page that could not go through ``stage``: error recorded, link failed."""
        self.error(url, stage, error, source=source)
        self.link(url, link_state, f"{stage}: {self.errors[-1]['error']}")

    def page_content(self, url: str, found: bool) -> None:
        """Count a fetched page by whether the source's selectors found a title and a body on it."""
        self.yields.article_page(url, found)

    def stage(self, url: str, page: StagedPage) -> None:
        """Keep a page's rows for the run's batch."""
        self.pages.append(page)
        self.page_urls.append(url)

    def merge(self, chunk: RunLedger) -> None:
        """Absorb a chunk's ledger (a worker's), after what this one already holds, in order."""
        self.errors += chunk.errors
        self.outcomes += chunk.outcomes
        self.pages += chunk.pages
        self.page_urls += chunk.page_urls
        self.counts.update(chunk.counts)
        self.yields.merge(chunk.yields)

    # --- batches: taken to gate and load, then recorded as loaded or failed -----------------

    def take_batch(self, pages: int | None = None) -> Batch:
        """The first ``pages`` staged pages (all: None) as a batch, removed from the ledger."""
        cut = len(self.pages) if pages is None else pages
        taken, urls = self.pages[:cut], self.page_urls[:cut]
        self.pages, self.page_urls = self.pages[cut:], self.page_urls[cut:]
        frames = to_batch(taken)
        self.counts.update({f"staged_{t}": n for t, n in batch_counts(frames).items()})
        return Batch(frames, urls, [page.rows["documents"][0]["source"] for page in taken])

    def record_gate(self, summary: Mapping[str, Any]) -> None:
        """Keep the gate's account of a batch."""
        self.gate_summaries.append(dict(summary))

    def record_load(self, counts: Mapping[str, int]) -> None:
        """Rows a batch loaded per table (``quarantine``: rows held back)."""
        for table, n in counts.items():
            if table == "quarantine":
                self.quarantined += n
            else:
                self.loaded[table] = self.loaded.get(table, 0) + n

    def fail_batch(self, batch: Batch, error: BaseException) -> None:
        """A batch that did not load: each of its pages failed (retried next run), nothing else said."""
        failed = set(batch.urls)
        self.outcomes = [o for o in self.outcomes if o["url"] not in failed]
        for url, source in zip(batch.urls, batch.sources):
            self.fail(url, "load", error, source=source)


Gate = Callable[[dict[str, pd.DataFrame]], Any]  # frames -> a GateResult (passed, quarantine, summary)
Load = Callable[[dict[str, pd.DataFrame], pd.DataFrame], Mapping[str, int]]  # -> rows per table


def gate_and_load(
    ledger: RunLedger, gate: Gate, load: Load, pages: int | None = None, judge_empty: bool = False
) -> None:
    """Gate the first ``pages`` staged pages (all: None) and load what passes; the ledger records it.

    ``judge_empty``: gate even when nothing was staged (a crawl's source-yield check judges
    the run's templates: a template change upstream stages nothing). A batch that fails to
    gate or load leaves every page's link failed, so the next run fetches it again, and the
    error is raised for the run to end on.
    """

    def step(frames: dict[str, pd.DataFrame]) -> Mapping[str, int]:
        """Gate here, then load."""
        result = gate(frames)
        ledger.record_gate(result.summary)
        return load(result.passed, result.quarantine)

    _settle(ledger, step, pages, judge_empty)


Write = Callable[[dict[str, pd.DataFrame]], Any]  # frames -> a writer's Written (summary, counts, error)


def write_through(ledger: RunLedger, write: Write, judge_empty: bool = False) -> None:
    """``gate_and_load`` by a shared writer (``bulletins.pipeline.writer``): all the staged pages.

    ``write`` hands the frames to the writer and returns what it did; the ledger records it
    just as when this run gates and loads itself, a failed gate or load included.
    """

    def step(frames: dict[str, pd.DataFrame]) -> Mapping[str, int]:
        """Gated with whatever else is queued, loaded in the batch's own transaction."""
        written = write(frames)
        if written.summary:
            ledger.record_gate(written.summary)
        if written.error is not None:
            raise written.error
        return written.counts

    _settle(ledger, step, None, judge_empty)


def _settle(
    ledger: RunLedger,
    step: Callable[[dict[str, pd.DataFrame]], Mapping[str, int]],
    pages: int | None,
    judge_empty: bool,
) -> None:
    """Take a batch, run ``step`` on its frames and record the rows loaded; a failure fails its pages."""
    batch = ledger.take_batch(pages)
    for table in batch.frames:
        ledger.loaded.setdefault(table, 0)
    if not batch.urls and not judge_empty:
        return
    try:
        ledger.record_load(step(batch.frames))
    except Exception as exc:
        ledger.fail_batch(batch, exc)
        raise
