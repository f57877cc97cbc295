"""A rule table row: a compiled pattern, what it means, and the example it exists for.

Every extraction table (measures, ranks, period phrases, role verbs, held forms …) is a
tuple of these rows, tried in order. The example is an invented sentence fragment the
pattern must find; tests/core/test_rule_tables.py runs every row's example against its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    """One row of a rule table."""

    pattern: re.Pattern
    label: Any
    example: str

    def search(self, text: str, *args) -> re.Match | None:
        """The row's pattern searched in ``text`` (pos/endpos as for re.Pattern.search)."""
        return self.pattern.search(text, *args)


def row(pattern: str, label: Any, example: str, flags: int = 0) -> Rule:
    """A table row from a pattern string."""
    return Rule(re.compile(pattern, flags), label, example)


def alternation(rows: tuple[Rule, ...]) -> str:
    """The rows' patterns as one alternation (for a scan that needs them all at once)."""
    return "|".join(f"(?:{r.pattern.pattern})" for r in rows)
