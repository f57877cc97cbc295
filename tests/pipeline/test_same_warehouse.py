"""The same warehouse, row for row: a reprocess of the fixed demo archive matches the pinned fingerprint.

The pin (``warehouse_pin.json``) was taken from the flows as they were before the flows were
reshaped (issue 15); a change to the wiring (gate-and-load, the ledger, run bookkeeping, the
worker pool) must leave every table's rows as they were. Columns added since (a migration)
are left out of the comparison; a change meant to change the values of pinned columns (an
extraction rule) re-pins with ``python -m tests.pipeline.fixed_archive --pin`` and says so.
"""

from __future__ import annotations

import json

import pytest

from tests.pipeline.fixed_archive import PIN, fingerprint, reprocess_into

pytestmark = pytest.mark.integration


def test_reprocessing_the_fixed_archive_gives_the_pinned_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("BULLETINS_DATA", str(tmp_path))
    monkeypatch.setenv("BULLETINS_REPORTS", str(tmp_path / "reports"))
    pinned = json.loads(PIN.read_text(encoding="utf-8"))
    columns = {table: pin["columns"] for table, pin in pinned.items()}
    got = fingerprint(reprocess_into(tmp_path, workers=2), columns)  # on the pool: the pin was taken in one process
    assert got["documents"]["rows"] == 115 and got["quarantine"]["rows"] == 0
    changed = {t: (pinned[t], got[t]) for t in pinned if pinned[t] != got[t]}
    assert not changed, f"tables whose rows changed (pinned, now): {changed}"
