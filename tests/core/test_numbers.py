"""Chinese numerals and number parsing."""

import pytest

from bulletins.core.numbers import is_chinese_numeral, parse_number, tidy


@pytest.mark.parametrize(
    "text, expected",
    [
        ("104.9", 104.9),
        ("226", 226),
        ("一千二百", 1200),
        ("三", 3),  # 排第三
        ("两", 2),  # 两家
        ("二十三", 23),
        ("零点五", 0.5),
        ("百分之五", 5),  # a percentage keeps its points: 5 (%)
        ("百分之三点五", 3.5),
        ("十分之一", 0.1),  # a plain fraction
        ("三分之二", 2 / 3),
        ("二〇三五", 2035),  # a year spelled out
        ("1,200", 1200),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "点", "重点", "abc", "分之"])
def test_parse_number_refuses_non_numbers(text):
    assert parse_number(text) is None


def test_tidy_keeps_whole_numbers_whole():
    assert tidy(129.0) == 129 and isinstance(tidy(129.0), int)
    assert tidy(0.1 + 0.2) == 0.3
    assert tidy(None) is None


def test_is_chinese_numeral():
    assert is_chinese_numeral("五") and is_chinese_numeral("一千二百")
    assert not is_chinese_numeral("5") and not is_chinese_numeral("五个")
