"""Parquet export: every table, every row, readable back."""

from __future__ import annotations

from bulletins.cli.warehouse import export
from tests.quality.warehouse_fixture import fill
from warehouse.export import base_tables, export_parquet


def test_every_table_exported(warehouse, tmp_path):
    """One file per table with the table's row count."""
    fill(warehouse)
    written = export_parquet(warehouse, tmp_path / "parquet")
    assert set(written) == set(base_tables(warehouse)) >= {"documents", "indicators", "quarantine", "runs"}
    for table, rows in written.items():
        path = tmp_path / "parquet" / f"{table}.parquet"
        assert warehouse.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0] == rows
    assert written["meeting_participants"] == 6


def test_export_cli(tmp_path, quality_dirs, capsys):
    """``bulletins export --out DIR --db FILE``."""
    from warehouse.db import connect

    db = tmp_path / "w.duckdb"
    con = connect(db)
    fill(con)
    con.close()
    assert export(str(tmp_path / "out"), str(db)) == 0
    assert (tmp_path / "out" / "indicators.parquet").exists()
    assert "indicators: 6 rows" in capsys.readouterr().out
