"""What an article's extraction knows about the page it sits on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class DocContext:
    """Page-wide facts that resolve dates and periods written without a year.

    ``published`` is the page's publication date when the source gives one;
    ``year`` is the year the page speaks of: from ``published``, else from the text
    (2021年第四次常务会议, 2021年1-9月), else None; ``page_text`` is the whole page's
    text, where a place named in one article (岳阳市) is known as a place in the others.
    """

    published: date | None = None
    year: int | None = None
    page_text: str = field(default="", repr=False, compare=False)
