"""Numbers as bulletins write them: Arabic digits, Chinese numerals and fractions.

cn2an converts whole Chinese numerals (一千二百 → 1200, 三 → 3); fractions written as
百分之五 or 十分之一 it refuses, so they are read here around it.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

# One Chinese numeral: 三, 一千二百, 二十三点五, 两. 〇/○ appear in written years.
CN_DIGITS = "零〇○一二两三四五六七八九十百千万亿点"
CN_NUMBER = re.compile(rf"[{CN_DIGITS}]+")
# An Arabic number, with a decimal part: 86.7, 315, 0.6.
ARABIC_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A fraction: 百分之五 (= 5, a percentage), 十分之三 (= 0.3), 三分之二.
FRACTION = re.compile(rf"(?P<den>[{CN_DIGITS}\d]+)分之(?P<num>[{CN_DIGITS}\d.]+)")
# Characters that make a numeral digit-like for cn2an when a year is spelled out (二〇三五).
_CIRCLE_ZEROS = str.maketrans({"〇": "零", "○": "零"})


@lru_cache(maxsize=4096)
def cn_to_number(text: str) -> float | None:
    """A Chinese numeral (or Arabic digits) as a number; None when it is not one."""
    text = text.strip()
    if not text:
        return None
    if ARABIC_NUMBER.fullmatch(text):
        return float(text)
    import cn2an  # imported lazily: it loads its tables on first use

    try:
        value = cn2an.cn2an(text.translate(_CIRCLE_ZEROS), "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return float(value)


def fraction_value(text: str) -> float | None:
    """百分之五 → 5 (percent points), 十分之三 → 0.3, 三分之二 → 0.666…; None otherwise."""
    m = FRACTION.fullmatch(text.strip())
    if not m:
        return None
    num = parse_number(m.group("num"))
    if num is None:
        return None
    if m.group("den") == "百":  # 百分之五 is read as 5 with the unit %
        return num
    den = parse_number(m.group("den"))
    return num / den if den else None


def parse_number(text: str) -> float | None:
    """Any number a bulletin writes: '86.7', '一千二百', '三', '百分之五'; None if not a number."""
    text = text.strip().replace(",", "")
    if not text:
        return None
    if ARABIC_NUMBER.fullmatch(text):
        return float(text)
    if "分之" in text:
        return fraction_value(text)
    return cn_to_number(text)


# Beyond 2**53 a float no longer holds every whole number: int() of it would invent digits.
EXACT_INT_LIMIT = 2**53


def tidy(value: float | None) -> int | float | None:
    """Whole numbers as int (129, not 129.0); others rounded to drop float noise.

    A number too large for a float to hold exactly (a 40-digit figure) stays a float, and
    inf stays inf: the pipeline's gate quarantines both, the extract command drops them.
    """
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value) or abs(value) >= EXACT_INT_LIMIT:
        return value
    if value.is_integer():
        return int(value)
    return round(value, 6)


def parse_whole(text: str) -> int | None:
    """A whole number with every digit kept: '999999999999' → 999999999999 (not via a float)."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    value = parse_number(text)
    return int(value) if value is not None and math.isfinite(value) and float(value).is_integer() else None


def is_chinese_numeral(text: str) -> bool:
    """True when the number is spelled in Chinese characters (三, 五个), not digits."""
    return bool(text) and CN_NUMBER.fullmatch(text) is not None
