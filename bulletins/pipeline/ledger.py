"""A run's ledger: requests, errors, link outcomes, staged pages and counts, kept for a bulk write.

A ``RunLedger`` collects everything a run does so that it can be written to the warehouse
at the end, whatever happened in between, and summarised on the run row and as a Prefect
artifact (``flows.common``). It is plain data: worker processes fill one per chunk and
send it back whole (it pickles), the run's ledger absorbs it with ``merge``.
"""
from __future__ import annotations

import traceback
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bulletins.pipeline.stage import StagedPage


def describe(exc: BaseException) -> str:
    """An exception as one line: its type, message and the line of our code it came from."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename]
    where = f" (at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


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
    pages_without_content: list[str] = field(default_factory=list)

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
        return {"run_id": self.run_id, "tables": tables, "failed_expectations": failed,
                "success": not failed}

    def error(self, url: str | None, stage: str, error: BaseException | str, source: str | None = None) -> None:
        """Record an error of ``stage`` about ``url`` (None: about the whole source)."""
        text = describe(error) if isinstance(error, BaseException) else str(error)
        self.errors.append({"source": source or self.source, "url": url, "stage": stage, "error": text})
        self.counts[f"{stage}_errors"] += 1

    def link(self, url: str, link_state: str, error: str | None = None) -> None:
        """What became of a link this run: fetched, failed (retried next run) or gone."""
        self.outcomes.append({"url": url, "state": link_state, "error": error})

    def fail(self, url: str, stage: str, error: BaseException | str, link_state: str = "failed",
             source: str | None = None) -> None:
        """A page that could not go through ``stage``: error recorded, link failed."""
        self.error(url, stage, error, source=source)
        self.link(url, link_state, f"{stage}: {self.errors[-1]['error']}")

    def page_content(self, url: str, found: bool) -> None:
        """Count a fetched page by whether the source's selectors found a title and a body on it."""
        self.counts["pages_parsed"] += 1
        if found:
            self.counts["pages_with_content"] += 1
        else:
            self.pages_without_content.append(url)

    def content_yield(self, config: Any) -> dict[str, Any]:
        """What this run's fetched pages yielded to the source's title and body selectors."""
        rules = config.article
        selectors = "article.title " + " | ".join(map(str, rules.title)) + ", article.body " + " | ".join(
            map(str, rules.body))
        return {"pages_parsed": self.counts["pages_parsed"], "pages_with_content": self.counts["pages_with_content"],
                "pages_without_content": self.pages_without_content[:20], "content_selectors": selectors}

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
        self.pages_without_content += chunk.pages_without_content
