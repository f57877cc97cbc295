"""The metric catalogue (``metrics.yaml``): a figure's name → its standard ``metric_key``.

A metric goes by many names (地区生产总值, GDP, GDP总量 …), so a series breaks into pieces
unless every name of one figure maps to one key. The key is set when a page is staged
(``bulletins.pipeline.stage``), so the table itself carries it, the gate sees it and every
export has it; ``rekey`` applies a curated catalogue to the rows already loaded, without a
reprocess. No DuckDB import here: staging workers import this module.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = Path(__file__).resolve().parent / "metrics.yaml"
FAMILIES = ("currency", "usd", "per_capita", "energy", "index", "share", "area", "count", "tonnage")

# Words around a name that do not change which figure it is, each with the name it exists for.
SCOPE_PREFIX = re.compile(r"^(全市|全省|全县|全区|全州|全国|我市|我省|我县|我区|本市)(?=.{2})")  # 全市地区生产总值
MEASURE_SUFFIX = re.compile(r"(同比增长|年均增长|年均增速|增长率|增长|增速|增幅)$")  # GDP增速, GDP年均增长
DROPPED = re.compile(r"[\s\"'“”‘’「」《》]")  # “规上工业”增加值


def normalise(name: str | None) -> str:
    """The form names are compared in: NFKC, no spaces or quotes, no scope prefix or measure suffix."""
    text = DROPPED.sub("", unicodedata.normalize("NFKC", name or ""))
    text = SCOPE_PREFIX.sub("", text)
    stripped = MEASURE_SUFFIX.sub("", text)
    return (stripped or text).upper()


@functools.lru_cache(maxsize=4)
def load_catalogue(path: Path = CATALOGUE) -> tuple[dict[str, Any], ...]:
    """The catalogue's entries, checked: unique keys, known families, no name under two keys."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    keys, owner = set(), {}
    for entry in entries:
        key, family = entry["key"], entry["family"]
        if key in keys:
            raise ValueError(f"{path.name}: key {key!r} appears twice")
        if family not in FAMILIES:
            raise ValueError(f"{path.name}: {key}: unknown family {family!r} (known: {', '.join(FAMILIES)})")
        keys.add(key)
        for name in [entry["name"], *entry.get("aliases", [])]:
            norm = normalise(str(name))
            if owner.setdefault(norm, key) != key:
                raise ValueError(f"{path.name}: {name!r} is a name of both {owner[norm]} and {key}")
    return tuple(entries)


@functools.lru_cache(maxsize=4)
def alias_index(path: Path = CATALOGUE) -> dict[str, str]:
    """Normalised name → key, for every name and alias in the catalogue."""
    return {
        normalise(str(name)): entry["key"]
        for entry in load_catalogue(path)
        for name in [entry["name"], *entry.get("aliases", [])]
    }


def metric_key(name: str | None, path: Path = CATALOGUE) -> str | None:
    """The catalogue key of a metric name, or None when it names no standard indicator."""
    return alias_index(path).get(normalise(name)) if name else None


def catalogue_rows(path: Path = CATALOGUE) -> list[tuple[str, str, str]]:
    """``(key, name, family)`` per entry, in catalogue order."""
    return [(e["key"], e["name"], e["family"]) for e in load_catalogue(path)]


def unmapped(con, limit: int = 30) -> list[tuple[str, int, int]]:
    """The most frequent metric names without a key: ``(metric, rows, sources)``."""
    return con.execute(
        """
        SELECT i.metric, count(*) AS rows, count(DISTINCT d.source) AS sources
        FROM indicators i JOIN documents d USING (document_id)
        WHERE i.metric_key IS NULL GROUP BY i.metric ORDER BY rows DESC, i.metric LIMIT ?""",
        [limit],
    ).fetchall()


def rekey(con, path: Path = CATALOGUE) -> int:
    """Set ``indicators.metric_key`` from the catalogue for every row; return rows changed."""
    names = [name for (name,) in con.execute("SELECT DISTINCT metric FROM indicators").fetchall()]
    pairs = [(name, metric_key(name, path)) for name in names]
    con.execute("CREATE OR REPLACE TEMP TABLE _metric_keys (metric VARCHAR, metric_key VARCHAR)")
    if pairs:
        con.executemany("INSERT INTO _metric_keys VALUES (?, ?)", pairs)
    changed = con.execute("""
        UPDATE indicators i SET metric_key = k.metric_key FROM _metric_keys k
        WHERE i.metric = k.metric AND i.metric_key IS DISTINCT FROM k.metric_key""").fetchone()
    con.execute("DROP TABLE _metric_keys")
    return int(changed[0]) if changed else 0


def rekey_published(con) -> int:
    """``rekey``, then publish the analysts' copy (warehouse.publish) so they read the new keys; rows changed."""
    from warehouse.publish import publish

    changed = rekey(con)
    publish(con)
    return changed


def catalogue_counts(con) -> list[tuple[str, str, str, int]]:
    """``(key, name, family, rows)`` per catalogue entry: how many loaded indicators carry each key."""
    counts = dict(
        con.execute("SELECT metric_key, count(*) FROM indicators WHERE metric_key IS NOT NULL GROUP BY 1").fetchall()
    )
    return [(k, n, f, counts.get(k, 0)) for k, n, f in catalogue_rows()]
