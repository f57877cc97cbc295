"""The place a site's host names, for a page whose text names none: www.zhuzhou.gov.cn is
株洲市's portal, www.liling.gov.cn 醴陵市's.

A host label is compared with the pinyin of each division's short name
(pypinyin, loaded only when a page needs it). Labels that are not names (www, gov, news …)
are skipped; a label two places share (taizhou: 泰州, 台州) counts only when the document's
province tells them apart, else the host says nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from bulletins.core.divisions import Division, short_name, table

# Host labels that name a kind of site, not a place.
NOT_NAMES = frozenset(
    {
        "www",
        "gov",
        "cn",
        "com",
        "net",
        "org",
        "edu",
        "news",
        "epaper",
        "paper",
        "wap",
        "app",
        "zwgk",
        "xxgk",
        "bbs",
        "mp",
        "rmt",
        "tv",
        "static",
    }
)
LABEL = re.compile(r"[a-z]{4,}")  # a shorter label (hy, cs) is an abbreviation too many places share


def host_place(url: str | None, province: Division | None = None) -> Division | None:
    """The division the host of ``url`` is named after, or None."""
    host = (urlsplit(url).hostname or "") if url else ""
    found: list[Division] = []
    for label in host.lower().split("."):
        if label in NOT_NAMES or not LABEL.fullmatch(label):
            continue
        options = _pinyin_index().get(label, ())
        if province is not None and len(options) > 1:
            options = tuple(d for d in options if table().up_to(d, "province") == province)
        if len(options) == 1:
            found.append(options[0])
    return max(found, key=lambda d: d.rank) if found else None  # zhuzhou.liling…: the smaller one


@lru_cache(maxsize=1)
def _pinyin_index() -> dict[str, tuple[Division, ...]]:
    """Toneless pinyin of each division's short name → the divisions it names; the larger
    shadows the smaller of the same sound (www.jilin.gov.cn is the province's portal)."""
    from pypinyin import lazy_pinyin

    index: dict[str, list[Division]] = {}
    for d in table().by_code.values():
        stem = short_name(d.name)
        if d.level != "country" and len(stem) >= 2:
            index.setdefault("".join(lazy_pinyin(stem)), []).append(d)
    out = {}
    for key, options in index.items():
        top = min(d.rank for d in options)
        out[key] = tuple(d for d in options if d.rank == top)
    return out
