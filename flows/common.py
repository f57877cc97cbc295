"""What the flows share: the run id, run bookkeeping (``recorded_run``), the ledger's writes as it goes.

A run's ``RunLedger`` collects everything it does; its requests, errors and settled links are
written to the warehouse as the run goes (``write_ledger``), its rows when its batch loads.
A run's artifacts are ``flows.report``'s.
"""

from __future__ import annotations

import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from bulletins.pipeline.ledger import RunLedger, describe
from warehouse import state
from warehouse.db import connect, revived, transaction


def current_run_id() -> str:
    """The Prefect flow run id when running as a flow, else a fresh uuid."""
    try:
        from prefect.runtime import flow_run

        run_id = flow_run.id
    except Exception:  # noqa: BLE001 - outside Prefect's runtime the id is simply absent
        run_id = None
    return str(run_id) if run_id else str(uuid.uuid4())


def mark_run_crashed(flow, flow_run, run_state) -> None:
    """Prefect ``on_crashed`` hook: the run's row says crashed (killed process, lost worker)."""
    with opened(flow_run.parameters.get("db_path")) as con:
        state.mark_crashed(con, str(flow_run.id), f"crashed: {run_state.message}")


@dataclass
class RecordedRun:
    """A run's row in ``runs`` while the run goes on: its connection, the error it stopped on."""

    db_path: str | None
    run_id: str
    con: Any = None  # the warehouse, held for the run (None: the run opens it where it needs it)
    stopped: str | None = None  # the error the run's work stopped on
    finished: bool = False

    @contextmanager
    def attempt(self, on_error: Callable[[BaseException], str] = describe) -> Iterator[None]:
        """Run the work; an exception stops it and is kept (``on_error`` makes its line), not raised."""
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - recorded on the run row; the flow ends Failed
            self.stopped = on_error(exc)
            self.con = revived(self.con, self.db_path)

    def finish(self, status: str, summary: dict[str, Any], message: str) -> None:
        """Record the run's end on its row."""
        with opened(self.db_path, self.con) as con:
            state.finish_run(con, self.run_id, status, summary, message)
        self.finished = True
        self.con = revived(self.con, self.db_path)  # a failed write (a full disk) invalidated it: reopened


@contextmanager
def opened(db_path: str | None, held: Any = None) -> Iterator[Any]:
    """``held`` when given, else a connection opened for the block and closed after it."""
    if held is not None:
        yield held
        return
    con = connect(db_path)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def recorded_run(
    db_path: str | None, run_id: str, flow: str, source: str | None, hold: bool = True
) -> Iterator[RecordedRun]:
    """Connect, mark this flow's abandoned runs crashed, start the run's row; finish it however it ends.

    ``hold``: keep the warehouse open for the whole run (the run is its writer); False opens
    it only to start and to finish (the daily run, whose sources' runs open it themselves).
    A body that raises before ``finish`` leaves the row ``failed`` with the error.
    """
    con = connect(db_path)
    run = RecordedRun(db_path, run_id, con if hold else None)
    try:
        state.mark_abandoned(con, flow, source)
        state.start_run(con, run_id, flow, source)
        if not hold:
            con.close()
        try:
            yield run
        except BaseException as exc:
            if not run.finished:
                run.con = revived(run.con, db_path)
                run.finish("failed", {}, run.stopped or describe(exc))
            raise
    finally:
        for held in (con, run.con):  # run.con: reopened after a failed write
            held is not None and held.close()


def write_ledger(con, ledger: RunLedger) -> None:
    """Write the requests, errors and settled link outcomes the warehouse does not have yet, in one transaction.

    The crawl calls it as it goes (every second: at fifty sources, fifty times a second), so a
    run killed midway keeps its request log and the state of every link it settled; its end
    writes the rest. A call with nothing new writes nothing, and the run's sequence numbers
    are counted here, not read back from the warehouse at each call.
    """
    before = Counter(ledger.written)
    requests, errors, outcomes = ledger.take_unwritten()
    if not (requests or errors or outcomes):
        return
    with transaction(con):
        if requests:
            first = seq_base(con, ledger, "fetch_log") + before["fetch_log"]
            state.append_fetch_log(con, ledger.run_id, ledger.source, requests, first_seq=first)
        if errors:
            first = seq_base(con, ledger, "crawl_errors") + before["errors"]
            state.append_errors(con, ledger.run_id, errors, first_seq=first)
        state.record_link_outcomes(con, ledger.source, outcomes)


def seq_base(con, ledger: RunLedger, table: str) -> int:
    """The run's first free ``seq`` in ``table`` before this ledger wrote there, read once (a rerun
    of a run id continues after the rows its first attempt wrote)."""
    if table not in ledger.seq_base:
        ledger.seq_base[table] = state.next_seq(con, table, ledger.run_id)
    return ledger.seq_base[table]
