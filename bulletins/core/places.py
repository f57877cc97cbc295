"""Place names in front of metric names: 株洲规模工业增加值 → 规模工业增加值.

An analyst groups indicators by metric, so a metric must not keep the place it was
reported for. A leading stem X is a place when the page writes it with an administrative
suffix somewhere (X市, X县, X区, X州, X省), or when it is one of China's provinces,
autonomous regions or directly-governed cities (a stem written with its suffix inside the
metric itself, 株洲市规模以上…, is cut by ``rules_indicators.PLACE_LEAD``).
"""
from __future__ import annotations

import re

# Provinces, autonomous regions, directly-governed cities and SARs, as written without
# their suffix: 湖南规模工业增加值, 上海外贸进出口总额. (Longest first: 黑龙江, 内蒙古.)
PROVINCES = ("黑龙江", "内蒙古", "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林",
             "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南",
             "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "广西", "西藏", "宁夏", "新疆",
             "香港", "澳门")

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
        """True when ``stem`` is a province-level name or the page writes it with a place suffix."""
        if stem not in self._known:
            self._known[stem] = stem in PROVINCES or any(
                stem + s in self.text and not GENERIC_BEFORE.get(s, GENERIC_STEM).search(stem)
                for s in PLACE_SUFFIXES)
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
