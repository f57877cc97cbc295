"""Places: which administrative area each meeting and indicator is about, and place names
in front of metric names.

The place pass (``assign_places``) runs once a page is extracted. Each fact takes, in this
order (the extraction spec's conventions, "Places"):

1. a place its own clause names (全省GDP增长4.1% → the province; 株洲高新区… → 株洲市; 全国 →
   全国), read back from the figure, skipping yardsticks (高于全省, 排全省第2, 占全市比重);
   for a meeting, a place or body its name names (永州市…推进会, 县委全会, 市政府常务会议),
   else the venue (a city's delegation at a meeting held in another city of the province
   attends the province's meeting), else the body that held it (省政府举办…);
2. else the paragraph's last place before it, else the article's headline;
3. else the document's place: the source's ``place:`` (or the ``place`` of a JSON line),
   else the place the text is most about (the city its 我市/全市 bulletins name most, the
   county of a 全县/县委 bulletin).

全市/我市 are the document's city, 全省/我省 its province, 全县 its county. Names resolve
against ``divisions`` (a real table); a short name two divisions share (鼓楼区) takes the
one in the document's province and city.

``PlaceNames`` strips a place from the front of a metric: 株洲规模工业增加值 → 规模工业增加值.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from bulletins.core import rules_places as R
from bulletins.core.divisions import COUNTRY_CODE, Division, DivisionTable, NameFinder, table
from bulletins.core.site_place import host_place

# The suffixes that make a stem a place: 岳阳市, 攸县 (a one-character stem is too short to
# trust), 芙蓉区, 湘西州, 湖南省.
PLACE_SUFFIXES = ("市", "县", "区", "州", "省")

# Stems that stand before a suffix without being names, by the character they end with:
# 工业区, 开发区, 经开区, 高新区, 示范区, 自贸区, 园区, 景区, 社区, 片区, 地区, 郊区, 库区, 经济区,
# 旅游区, 保税区, 试验区, 核心区, 功能区, 先行区, 商务区, 物流区; and stems that start with a
# determiner: 全市, 我省, 本县, 各区. Before 区 a stem ending in 城 is a kind of district too
# (主城区, 中心城区), while before 市 it is a city (盐城市, 晋城市).
ZONE_ENDS = "业发开新范贸园景社片地郊库辖济游税验心能行务流"
GENERIC_STEM = re.compile(rf"[{ZONE_ENDS}]$|^[全我本各该外其此]")
GENERIC_BEFORE = {"区": re.compile(rf"[{ZONE_ENDS}城]$|^[全我本各该外其此]")}

# A stem is 2 to 4 characters (株洲, 张家界, 湘西土家); the metric left after it must still
# read as a name (two characters at least) and must not begin with the suffix itself
# (智慧城市… is a metric of 城市, not of a place 智慧城).
STEM_LENGTHS = (4, 3, 2)
MIN_REST = 2


class PlaceNames:
    """The place stems a page writes, asked about one metric at a time (answers cached)."""

    def __init__(self, page_text: str):
        self.text = page_text
        self._known: dict[str, bool] = {}

    def is_place(self, stem: str) -> bool:
        """True when ``stem`` is a province's or prefecture's short name (湖南, 株洲, 湘西州) or
        the page writes it with a place suffix."""
        if stem not in self._known:
            self._known[stem] = stem in area_stems() or any(
                stem + s in self.text and not GENERIC_BEFORE.get(s, GENERIC_STEM).search(stem) for s in PLACE_SUFFIXES
            )
        return self._known[stem]

    def lead(self, metric: str) -> int:
        """Length of the place stem ``metric`` starts with (longest first), 0 when none."""
        for k in STEM_LENGTHS:
            rest = metric[k:]
            if len(rest) < MIN_REST or rest[0] in PLACE_SUFFIXES or not _is_han(metric[:k]):
                continue
            if self.is_place(metric[:k]):
                return k
        return 0


_HAN = re.compile(r"[\u4e00-\u9fff]+")


def _is_han(text: str) -> bool:
    """True when ``text`` is Chinese characters only (a place stem holds nothing else)."""
    return _HAN.fullmatch(text) is not None


NO_PLACES = PlaceNames("")


@lru_cache(maxsize=1)
def area_stems() -> frozenset[str]:
    """The short names of provinces and prefectures, from the division table (湖南, 内蒙古,
    株洲, 湘西, 湘西州); a county's bare stem is too often a word to cut from a metric."""
    tbl = table()
    return frozenset(
        t
        for t, forms in tbl.strong_names().items()
        if all(d.level in ("province", "prefecture") and d.name != t for d in forms)
    )


# --- the place pass ------------------------------------------------------------------

# A subject the document cannot resolve: the figure's place is unknown, not an earlier one's.
UNKNOWN = Division("", "", "country", "", None)


class UnknownPlace(ValueError):
    """A place name (a source's ``place:``, a request's ``place``) that names no division."""


# Kinds of county-level unit a 全县/县委 bulletin is about (a 市辖区 says 全区, a 县级市 全市).
COUNTY_KINDS = ("县", "自治县", "旗", "自治旗", "特区", "林区")


@dataclass(frozen=True)
class Mention:
    """A place written in a text: a division's name, or a word standing for one (全省, 县委)."""

    start: int
    end: int
    divisions: tuple[Division, ...] = ()
    scope: str | None = None  # what a scope or body word names: country, province, city …
    body: bool = False  # 省政府, 县委: who holds a meeting, never what a figure is about


class Focus:
    """The document's own place, and what 全省/全市/全县 and 省委/市政府 mean in it."""

    def __init__(self, tbl: DivisionTable, place: Division | None):
        self.tbl = tbl
        self.place = place
        self.province = tbl.up_to(place, "province") if place else None
        self.prefecture = tbl.up_to(place, "prefecture") if place else None

    def scope(self, level: str) -> Division | None:
        """The division a scope word of ``level`` means here, None when the document has none."""
        if level == "country":
            return self.tbl.by_code[COUNTRY_CODE]
        if self.place is None:
            return None
        line = self.tbl.ancestors(self.place)
        if level == "province":
            return self.province
        if level == "city":  # 全市 of a 县级市 is itself; of a district, its city or 直辖市
            return next((d for d in line if d.name.endswith("市")), None)
        if level == "autonomous prefecture":
            return next((d for d in line if d.kind == "自治州"), None)
        if level == "county":
            return self.place if self.place.kind in COUNTY_KINDS else None
        if level == "district":  # 全区 of a 市辖区, or of an autonomous region (广西全区)
            return next((d for d in line if d.kind in ("市辖区", "自治区")), None)
        return None

    def choose(self, options: tuple[Division, ...]) -> Division:
        """The division a name shared by several means: the one inside the document's city,
        else its province, else the largest (吉林 is the province before the city)."""
        if len(options) == 1 or self.place is None:
            return options[0]
        near = [d.code for d in (self.prefecture, self.province) if d]
        return min(options, key=lambda d: _distance(self.tbl, d, near))


def _distance(tbl: DivisionTable, d: Division, near: list[str]) -> int:
    """0 when ``d`` lies in the first of ``near``, 1 in the second, 2 elsewhere."""
    above = _line(tbl, d)
    return next((i for i, code in enumerate(near) if code in above), len(near))


def _line(tbl: DivisionTable, d: Division) -> set[str]:
    """The codes of ``d`` and every division above it."""
    return {a.code for a in tbl.ancestors(d)}


@lru_cache(maxsize=1)
def _page_finder() -> NameFinder:
    """One finder for every strong place name and every scope and body word (全省, 县委)."""
    tbl = table()
    names: dict[str, tuple] = {t: (d, None, False) for t, d in tbl.strong_names().items()}
    names.update({w: ((), level, False) for w, level in R.SCOPE_WORDS.items()})
    names.update({w: ((), level, True) for w, level in R.BODY_WORDS.items()})
    return NameFinder(names, tbl.county_names())


def find_mentions(
    tbl: DivisionTable, text: str, focus: Focus | None = None, lo: int = 0, hi: int | None = None
) -> list[Mention]:
    """Every place written in ``text[lo:hi]``, in order: names and scope or body words, then
    the counties of the prefecture in focus by their bare stems (浏阳) where nothing else stands."""
    found = [
        Mention(s, e, *payload)
        for s, e, payload in _page_finder().find(text, lo, hi)
        if e - s > 2 or not _counties_only(payload[0]) or _short_name_stands(text, s)
    ]
    return with_county_stems(tbl, text, found, focus, lo, hi)


def _counties_only(divisions: tuple[Division, ...]) -> bool:
    """True for a name only county-level units carry (攸县), False for a city's (合肥) or a word."""
    return bool(divisions) and all(d.level == "county" for d in divisions)


def _short_name_stands(text: str, start: int) -> bool:
    """True when a two-character name is not the tail of a word (攸县, not 管理县域)."""
    before = text[start - 1 : start]
    return not _is_han(before) or before in R.SHORT_NAME_AFTER


def with_county_stems(
    tbl: DivisionTable, text: str, found: list[Mention], focus: Focus | None, lo: int = 0, hi: int | None = None
) -> list[Mention]:
    """``found`` plus the bare stems of the counties of the prefecture in focus (浏阳, 望城)."""
    if focus is None or focus.prefecture is None:
        return found
    weak = tbl.children_finder(focus.prefecture).find(text, lo, hi)
    return _merge(found, [Mention(s, e, divisions) for s, e, divisions in weak]) if weak else found


def _merge(first: list[Mention], more: list[Mention]) -> list[Mention]:
    """``first`` plus the mentions of ``more`` that overlap none of it, in text order."""
    starts = [m.start for m in first]
    extra = []
    for m in more:
        i = bisect_right(starts, m.start)  # the mentions of ``first`` just before and after m
        if (i and first[i - 1].end > m.start) or (i < len(first) and first[i].start < m.end):
            continue
        extra.append(m)
    return sorted(first + extra, key=lambda m: m.start) if extra else first


def is_subject(text: str, start: int, end: int) -> bool:
    """False when the place at text[start:end] is a yardstick, venue or destination (高于全省,
    排全省第2, 在株洲举行) or part of a quoted name (“浙江省级特色小镇”)."""
    return not is_yardstick(text, start, end) and not in_quotes(text, start)


def is_yardstick(text: str, start: int, end: int) -> bool:
    """True when the words around text[start:end] make the place a yardstick, venue or destination."""
    return bool(
        R.NOT_SUBJECT_BEFORE.search(text, max(0, start - R.BEFORE_SPAN), start)
        or R.NOT_SUBJECT_AFTER.match(text[end : end + R.AFTER_SPAN])
    )


def in_quotes(text: str, start: int) -> bool:
    """True when ``start`` lies inside quotation or book-title marks opened on its line."""
    line = text[text.rfind("\n", 0, start) + 1 : start]
    if not R.QUOTE_CHARS.search(line):
        return False
    for opening, closing in R.QUOTE_PAIRS:
        opened = line.count(opening)
        if opening == closing and opened % 2 or opening != closing and opened > line.count(closing):
            return True
    return False


def infer_place(
    tbl: DivisionTable, text: str, mentions: list[Mention] | None = None, outlet_text: str | None = None
) -> Division | None:
    """The place a document is most about, from its text alone (see the module docstring);
    ``mentions`` are the text's, when already found; outlets (浏阳日报讯) are read from
    ``outlet_text`` when given (the page before the article split dropped its dateline).

    The county a 全县/县委 text names most, the district of a 全区 text, else the city (a
    prefecture, or a county-level city) named most, a prefecture counting the mentions of
    its counties when two or more of them are named (a 全市 text naming 商水县, 鹿邑县 and
    项城市 is about their prefecture), else the province.
    """
    mentions = find_mentions(tbl, text) if mentions is None else mentions
    province = _vote_province(tbl, mentions)
    focus = Focus(tbl, province)
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    scopes: dict[str, int] = {}
    quoted: list[Mention] = []
    for m in mentions:
        if is_yardstick(text, m.start, m.end):
            continue  # 居宜宾各县(区)第1, 高于全省: a yardstick says what the text is not about
        if in_quotes(text, m.start):
            quoted.append(m)  # “绵阳速度”: heard only when nothing else names a place
        elif m.divisions:
            _count(focus.choose(m.divisions), m.start, counts, first)
        else:
            scopes[m.scope] = scopes.get(m.scope, 0) + 1
    for d, at in outlet_places(tbl, outlet_text or text, focus):
        _count(d, at, counts, first, R.OUTLET_WEIGHT)
    if not counts:
        for m in quoted:
            if m.divisions:
                _count(focus.choose(m.divisions), m.start, counts, first)
    named = [tbl.by_code[c] for c in counts]
    if province is not None and province.kind == "自治区" and not any(d.kind == "市辖区" for d in named):
        scopes["province"] = scopes.get("province", 0) + scopes.pop("district", 0)  # 广西全区
    score = dict(counts)
    for parent, children in _counties_by_prefecture(tbl, named).items():
        if len(children) >= 2:
            score[parent.code] = counts.get(parent.code, 0) + sum(counts[c.code] for c in children)
            first.setdefault(parent.code, min(first[c.code] for c in children))
            if parent.code not in counts:
                named.append(parent)
    city_words = scopes.get("city", 0)
    groups = (
        ([d for d in named if d.kind in COUNTY_KINDS], scopes.get("county", 0) > city_words),
        ([d for d in named if d.kind == "市辖区"], scopes.get("district", 0) > city_words),
        ([province] if province else [], _provincial(scopes, score, named, province)),
        ([d for d in named if d.level == "prefecture" or d.name.endswith("市")], True),
        ([d for d in named if d.level == "province"], True),
    )
    for group, wins in groups:
        if group and wins:
            return max(group, key=lambda d: (score.get(d.code, 0), -d.rank, -first.get(d.code, 0)))
    return province


def _provincial(
    scopes: dict[str, int], score: dict[str, int], named: list[Division], province: Division | None
) -> bool:
    """True when the province's words (全省, 省委) and name outweigh the most named city's
    mentions and the city and county words (a city's report of a province-wide event is the city's)."""
    if province is None:
        return False
    cities = [score.get(d.code, 0) for d in named if d.level in ("prefecture", "county")]
    own = scopes.get("province", 0) + score.get(province.code, 0)
    return own > max(cities, default=0) + scopes.get("city", 0) + scopes.get("county", 0)


def _count(d: Division, at: int, counts: dict[str, int], first: dict[str, int], weight: int = 1) -> None:
    """Count ``weight`` mentions of ``d``, the first at ``at``."""
    counts[d.code] = counts.get(d.code, 0) + weight
    first.setdefault(d.code, at)


def outlet_places(tbl: DivisionTable, text: str, focus: Focus) -> list[tuple[Division, int]]:
    """The places outlets named after them speak for (浏阳日报讯 → 浏阳市, 云上石首 → 石首市),
    with their positions."""
    out = []
    for m in R.OUTLET.finditer(text):
        at = m.start()
        for size in range(min(R.OUTLET_NAME_SPAN, at), 1, -1):
            options = tbl.lookup(text[at - size : at])
            if options:
                out.append((focus.choose(tuple(options)), at - size))
                break
    for m in R.OUTLET_BEFORE.finditer(text):
        at = m.end()
        for size in range(R.OUTLET_NAME_SPAN, 1, -1):
            options = tbl.lookup(text[at : at + size])
            if options:
                out.append((focus.choose(tuple(options)), at))
                break
    return out


def _counties_by_prefecture(tbl: DivisionTable, named: list[Division]) -> dict[Division, list[Division]]:
    """The county-level units named, under the prefecture each lies in."""
    out: dict[Division, list[Division]] = {}
    for d in named:
        parent = tbl.parent(d) if d.level == "county" else None
        if parent is not None and parent.level == "prefecture":
            out.setdefault(parent, []).append(d)
    return out


def _vote_province(tbl: DivisionTable, mentions: list[Mention]) -> Division | None:
    """The province most names of the text lie in (names that could lie in two do not vote)."""
    votes: dict[str, int] = {}
    for m in mentions:
        provinces = {tbl.up_to(d, "province") for d in m.divisions} - {None}
        if len(provinces) == 1:
            code = provinces.pop().code
            votes[code] = votes.get(code, 0) + 1
    return tbl.by_code[max(votes, key=votes.get)] if votes else None


def resolve_place(name: str, tbl: DivisionTable | None = None) -> Division:
    """The division a place name means: 长沙市, 浏阳 (a unique short name), 福州市鼓楼区 (a
    name two divisions share, after the one it lies in), 全国, or a 6-digit code. UnknownPlace
    when none."""
    tbl = tbl or table()
    name = "".join(str(name or "").split())
    if name in tbl.by_code:
        return tbl.by_code[name]  # a code (430481) is as good as a name
    found = tbl.lookup(name)
    if len(found) == 1:
        return found[0]
    mentions = find_mentions(tbl, name)
    named = [m for m in mentions if m.divisions]
    if named:
        options = named[-1].divisions
        outer = {d.code for m in named[:-1] for d in m.divisions}
        inside = [d for d in options if outer & _line(tbl, d)]
        if len(inside) == 1 or (inside and len(named) > 1):
            return inside[0]
        if len(options) == 1:
            return options[0]
        raise UnknownPlace(
            f"place {name!r} is ambiguous: {', '.join(tbl.ancestors(d)[1].name + d.name for d in options)}"
        )
    raise UnknownPlace(f"place {name!r} names no administrative division")


class ArticlePlaces:
    """The places one article writes, asked which one each of its facts is about.

    The article is ``text[lo:hi]`` of the page text, its headline the first ``title_len``
    characters; ``mentions`` are the page's, ``starts`` their start positions.
    """

    def __init__(
        self,
        tbl: DivisionTable,
        text: str,
        lo: int,
        hi: int,
        title_len: int,
        focus: Focus,
        mentions: list[Mention],
        starts: list[int],
    ):
        self.tbl = tbl
        self.text = text
        self.lo, self.hi = lo, hi
        self.title_len = title_len
        self.focus = focus
        self.mentions = mentions[bisect_left(starts, lo) : bisect_left(starts, hi)]

    def meaning(self, m: Mention) -> Division | None:
        """The division a mention stands for in this document."""
        return self.focus.choose(m.divisions) if m.divisions else self.focus.scope(m.scope)

    def last_subject(self, lo: int, hi: int, opening: bool = False) -> Division | None:
        """The division of the last subject place (not a body, not a yardstick) in text[lo:hi];
        with ``opening``, only a place that opens its clause. UNKNOWN when that place is a
        scope word the document cannot resolve (全省 where no province is known); a 全县 or
        全区 without a county in focus gives way to a county named before it."""
        for m in reversed(self.mentions):
            if m.start >= hi or m.body:
                continue
            if m.start < lo:
                break
            if opening and not R.CLAUSE_OPENING.search(self.text, max(0, m.start - R.OPENING_SPAN), m.start):
                continue
            if is_subject(self.text, m.start, m.end):
                d = self.meaning(m)
                if d is not None:
                    return d
                if m.scope not in ("county", "district"):
                    return UNKNOWN  # 全省 in a text whose province is unknown: not the 全国 before it
        return None

    def headline(self) -> Division | None:
        """The place the article's headline is about, when it names one."""
        d = self.last_subject(self.lo, self.lo + self.title_len, opening=True) if self.title_len else None
        return None if d is UNKNOWN else d

    def indicator_place(self, item: dict) -> Division | None:
        """The figure's place: its clause, its paragraph (a place that opens a clause), the
        headline, the document (in that order)."""
        evidence = item.get("evidence") or ""
        at = self.text.find(evidence, self.lo, self.hi) if evidence else -1
        if at >= 0:
            end = at + subject_end(evidence, item)
            paragraph = self.text.rfind("\n", 0, at) + 1
            d = self.last_subject(at, end) or self.last_subject(paragraph, at, opening=True)
            if d is not None:
                return None if d is UNKNOWN else d
        return self.headline() or self.focus.place

    def meeting_place(self, meeting: dict) -> Division | None:
        """The meeting's place: its name, its venue, the body that held it, the headline, the document."""
        name = meeting.get("name") or ""
        evidence = meeting.get("evidence") or ""
        at = self.text.find(evidence, self.lo, self.hi) if evidence else -1
        named = [
            d for d in map(self.meaning, self.outside_brackets(self.name_mentions(name, evidence, at))) if d is not None
        ]
        if named:
            return named[-1]  # 江苏省重大项目集中开工盐城分会场: the last, most particular one
        if at >= 0:
            d = self.venue_level(at, at + len(evidence)) or self.holder(at, at + _name_at(evidence, name))
            if d is not None:
                return d
        return self.headline() or self.focus.place

    def outside_brackets(self, mentions: list[Mention]) -> list[Mention]:
        """The mentions not in brackets, where there are any: 湛江(深圳)产业推介会 is 湛江's
        meeting held in 深圳."""
        outside = [m for m in mentions if not _in_brackets(self.text, m.start)]
        return outside or mentions

    def name_mentions(self, name: str, evidence: str, at: int) -> list[Mention]:
        """The places a meeting's name writes: the page's mentions over the name where the
        evidence holds it as written, else the name read on its own."""
        i = evidence.find(name) if name and at >= 0 else -1
        if i < 0:
            return find_mentions(self.tbl, name, self.focus)
        lo, hi = at + i, at + i + len(name)
        return [m for m in self.mentions if m.start < hi and m.end > lo]

    def venue_level(self, lo: int, hi: int) -> Division | None:
        """Where a meeting held in another city of the province belongs (在株洲举行 in a Xiangtan
        bulletin): to the province, whose meeting the document's delegation attends; or to the
        place written before 在 when one is (湘潭市在株洲举行…推介会: 湘潭's own meeting)."""
        here = self.focus.place
        if here is None:
            return None
        for i, m in enumerate(self.mentions):
            if not (lo <= m.start < hi and m.divisions and self.text.endswith("在", 0, m.start)):
                continue
            if not R.VENUE_AFTER.match(self.text[m.end : hi]):
                continue
            venue = self.meaning(m)
            if venue is None:
                continue
            if venue.code in _line(self.tbl, here) or here.code in _line(self.tbl, venue):
                continue  # the document's own place, or a place inside it (在浏阳召开)
            host = self.holder_before(i, lo)
            if host is not None:
                return host
            common = self.tbl.common(venue, here)
            if common.level == "province":
                return common
        return None

    def holder_before(self, i: int, lo: int) -> Division | None:
        """The place written just before the 在 of mention ``i`` (湘潭市在…, 湘潭市政府在…)."""
        if i == 0 or self.mentions[i - 1].start < lo or not self.mentions[i - 1].divisions:
            return None
        before = self.mentions[i - 1]
        gap = self.text[before.end : self.mentions[i].start - 1]
        return self.meaning(before) if R.HOLDER_GAP.fullmatch(gap) else None

    def holder(self, lo: int, hi: int) -> Division | None:
        """The body named last before the meeting's name in its sentence (省政府每年举办…)."""
        for m in reversed(self.mentions):
            if lo <= m.start < hi and m.body:
                return self.meaning(m)
        return None


def _in_brackets(text: str, at: int) -> bool:
    """True when ``at`` lies inside round brackets opened on its line."""
    line = text[text.rfind("\n", 0, at) + 1 : at]
    return line.count("(") > line.count(")")


def _name_at(evidence: str, name: str) -> int:
    """Where the meeting's name starts in its evidence (the end when it is not there)."""
    i = evidence.find(name) if name else -1
    return i if i >= 0 else len(evidence)


def subject_end(evidence: str, item: dict) -> int:
    """Where the figure's subject ends in its evidence: after the last writing of its metric
    (or of its first characters) before its value (全省GDP增长4.1%,长沙GDP增长4.5%: the second
    figure's subject is 长沙's), else at its value; 0 when neither is found."""
    value = item.get("value")
    at = evidence.find(f"{value:g}") if isinstance(value, (int, float)) else -1
    stop = at if at >= 0 else len(evidence)
    metric = item.get("metric") or ""
    for probe in (metric, metric[:4], metric[:2]):
        i = evidence.rfind(probe, 0, stop) if probe else -1
        if i >= 0:
            return i + len(probe)
    return max(at, 0)


def assign_places(
    articles, facts, page_text: str, place: str | None = None, whole_text: str | None = None, url: str | None = None
) -> None:
    """Set ``place`` (full name) and ``place_code`` on every meeting and indicator of a page.

    ``articles`` are the page's ``ArticleInput``s and ``facts`` what each yielded (``.meetings``, ``.indicators``: dicts), in
    the same order; ``page_text`` joins them as ``f"{title}\\n{body}"`` with newlines (the
    extraction context's); ``place`` is the document's place when the source says it (a
    place inside it when the text is about one, see ``narrowed``), else the articles tell,
    else ``whole_text`` (the page before the article split).
    """
    if not any(f.meetings or f.indicators for f in facts):
        return
    tbl = table()
    ranges = article_ranges(articles, page_text)
    spans = read_spans(page_text, ranges, facts)
    mentions = [m for lo, hi in spans for m in find_mentions(tbl, page_text, None, lo, hi)]
    # Outlets (浏阳日报讯, 来源:…融媒体中心) stand in datelines and page chrome: the head of the
    # whole text (where extract_document puts the chrome) and the headlines and leads read.
    outlets = "\n".join([(whole_text or "")[: R.OUTLET_HEAD]] + [page_text[lo:hi] for lo, hi in spans])
    inferred = infer_place(tbl, page_text, mentions, outlets)
    if inferred is None and whole_text and not place:
        inferred = infer_place(tbl, whole_text)
    if inferred is None and url and not place:
        inferred = host_place(url, _vote_province(tbl, mentions))
    focus = Focus(tbl, narrowed(tbl, resolve_place(place, tbl), inferred) if place else inferred)
    if focus.prefecture is not None:
        weak = [m for lo, hi in spans for m in with_county_stems(tbl, page_text, [], focus, lo, hi)]
        mentions = _merge(mentions, weak)
    starts = [m.start for m in mentions]
    for (lo, hi, title_len), found in zip(ranges, facts):
        if found.meetings or found.indicators:
            here = ArticlePlaces(tbl, page_text, lo, hi, title_len, focus, mentions, starts)
            for meeting in found.meetings:
                _set(meeting, here.meeting_place(meeting))
            for item in found.indicators:
                _set(item, here.indicator_place(item))


def narrowed(tbl: DivisionTable, given: Division, inferred: Division | None) -> Division:
    """The source's place, or the place inside it the text is about: a county bulletin on a
    city's site (全县, 县委 and the county's name) is the county's."""
    if inferred is not None and inferred.code != given.code and given.code in _line(tbl, inferred):
        return inferred
    return given


def article_ranges(articles, page_text: str) -> list[tuple[int, int, int]]:
    """(start, end, headline length) of each article in the page text."""
    out, lo = [], 0
    for article in articles:
        title = article.title or ""
        hi = lo + len(title) + 1 + len(article.body)
        out.append((lo, hi, len(title)))
        lo = hi + 1
    return out


def read_spans(text: str, ranges: list[tuple[int, int, int]], facts) -> list[tuple[int, int]]:
    """The parts of the page the pass reads, merged: each article's headline and lead, and the
    paragraph of each fact's evidence (the rest of a long report names no figure's place)."""
    spans = []
    for (lo, hi, title_len), found in zip(ranges, facts):
        if not (found.meetings or found.indicators):
            continue
        lead_end = text.find("\n", lo + title_len + 1, hi)
        spans.append((lo, hi if lead_end < 0 else lead_end))
        for fact in found.meetings + found.indicators:
            evidence = fact.get("evidence") or ""
            at = text.find(evidence, lo, hi) if evidence else -1
            if at >= 0:
                end = text.find("\n", at + len(evidence), hi)
                spans.append((text.rfind("\n", lo, at) + 1, hi if end < 0 else end))
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _set(fact: dict, place: Division | None) -> None:
    """Write a fact's place as the contract has it: full name, and the code beside it."""
    fact["place"] = place.name if place else None
    fact["place_code"] = place.code if place else None
