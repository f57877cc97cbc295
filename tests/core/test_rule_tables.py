"""Every row of every rule table, run on the example it is written with.

A row is (pattern, label, example): the example must be found by its row, and in a table
where the first matching row decides, no row before it may decide otherwise. Held forms and
rank verbs are checked through the extractor as well, so a row that the combined pattern
cannot reach fails here.
"""

from __future__ import annotations

import pytest

from bulletins.core import rules_indicators as RI
from bulletins.core.indicators import _sets_target
from bulletins.core.meetings import held_mentions
from bulletins.core.periods import PERIOD_RULES, find_periods
from bulletins.core.rules_meetings import HELD_FORMS
from bulletins.core.rules_people import ROLE_VERBS


def _first_label(rows, text, match=False):
    """The label of the first row that finds ``text`` (``match``: anchored at its start)."""
    return next((r.label for r in rows if (r.pattern.match(text) if match else r.pattern.search(text))), None)


def check_measure(rule):
    assert rule.search(rule.example)
    assert _first_label(RI.MEASURE_RULES, rule.example) == rule.label


def check_period(rule):
    assert rule.search(rule.example)
    assert find_periods(rule.example), "the combined period finder misses it"


def check_rank_verb(rule):
    assert rule.search(rule.example)
    assert RI.RANK.search(rule.example), "the combined rank pattern misses it"


def check_rank_backref(rule):
    assert rule.pattern.match(rule.example)
    assert _first_label(RI.RANK_BACKREFS, rule.example, match=True) == rule.label


def check_target(rule):
    assert rule.search(rule.example)
    assert _sets_target(rule.example, 2024)


def check_role(rule):
    assert rule.pattern.match(rule.example)
    assert _first_label(ROLE_VERBS, rule.example, match=True) == rule.label


def check_held_form(form):
    assert held_mentions(form.example, 0), "no meeting found as held"


TABLES = (
    ("MEASURE_RULES", RI.MEASURE_RULES, check_measure),
    ("PERIOD_RULES", PERIOD_RULES, check_period),
    ("RANK_VERBS", RI.RANK_VERBS, check_rank_verb),
    ("RANK_BACKREFS", RI.RANK_BACKREFS, check_rank_backref),
    ("TARGET_RULES", RI.TARGET_RULES, check_target),
    ("ROLE_VERBS", ROLE_VERBS, check_role),
    ("HELD_FORMS", HELD_FORMS, check_held_form),
)
ROWS = [
    pytest.param(check, row, id=f"{name}[{i}] {row.example}")
    for name, rows, check in TABLES
    for i, row in enumerate(rows)
]


@pytest.mark.parametrize("check, row", ROWS)
def test_every_row_finds_its_example(check, row):
    check(row)


def test_every_table_has_rows():
    assert all(len(rows) >= 3 for _, rows, _ in TABLES)
