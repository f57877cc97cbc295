"""Split an e-paper page's text into articles.

A newspaper page reduced to text runs several articles together. Each article starts with
a headline block (kicker, headline, a line like 李明远出席 陈海波主持) right above its lead
(岳阳晚报讯(全媒体记者 …) / 红网时刻 记者 … / 本报讯). Text before the first headline that
begins mid-article, text after an article's closing attendee line, and an article cut off at
the end of the page are kept, flagged ``is_fragment``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ArticleText:
    """One article of a page."""

    position: int
    title: str
    byline: str | None
    body: str
    is_fragment: bool = False


# The lead of an article, with the byline part to take off (group "byline").
LEAD_PATTERNS = tuple(
    re.compile(p)
    for p in (
        # 岳阳晚报讯(全媒体记者 刘佳)9月14—15日,… / 长沙晚报讯(记者 …) / 本报讯
        r"^(?P<byline>[\u4e00-\u9fff]{0,10}(?:日报|晚报|早报|都市报|时报|商报|报|网|台|客户端|融媒体中心)讯"
        r"\s*(?:[((][^))]{0,40}[))])?)\s*",
        # 新华社长沙7月28日电(记者 …)
        r"^(?P<byline>(?:新华社|中新社)[\u4e00-\u9fff]{0,6}\d{1,2}月\d{1,2}日电\s*(?:[((][^))]{0,40}[))])?)\s*",
        # 【株洲日报讯】
        r"^(?P<byline>【[^】]{2,16}讯】)\s*",
        # 红网时刻 记者 孙婷 常德报道 (a byline on its own line)
        r"^(?P<byline>[^,,。;;]{0,16}(?:记者|通讯员)[^,,。;;]{1,30}?(?:报道|讯|电)?)$",
    )
)

_HEADLINE_MAX = 60  # a headline line is short and does not end like a sentence
_CAPTION_MAX = 15  # 会议现场。 / ▲陈海波讲话。 sit between headline and lead
_BLOCK_MAX_LINES = 5
_SENTENCE_END = "。!?!?;;…"
_BODY_MIN = 40  # a line this long that ends a sentence is article body

# The attendee line that closes a meeting report: 市领导A、B、C出席会议。 Text after it with
# no headline in between belongs to another article (an e-paper page's jump).
CLOSING_LINE = re.compile(
    r"(?:^|[。;;])[^。;;]{0,120}、[^。;;]{0,120}(?:出席|参加|列席)(?:会议|活动)?(?:并[\u4e00-\u9fff]{1,6})?。$"
)
# Words a closing line must hold: tested first, so the pattern (slow on long lines) runs
# only on the few lines that may be one.
_CLOSING_VERBS = ("出席", "参加", "列席")


def is_closing_line(line: str) -> bool:
    """True for an attendee line that closes a meeting report (市领导A、B出席会议。)."""
    return (
        line.endswith("。")
        and "、" in line
        and any(v in line for v in _CLOSING_VERBS)
        and CLOSING_LINE.search(line) is not None
    )


# A jump-in line: the rest of an article begun on another page. It starts a fragment.
# (上接第四版)各级各部门要… / (接第2版)
JUMP_IN = re.compile(r"^[((](?:上接|接上|接)第?[\d一二三四五六七八九十]{1,3}版[))]")


def _jump_splits(pieces: list[tuple[list[str], bool]]) -> list[tuple[list[str], bool]]:
    """Cut each piece before a jump-in line; the text from there on is a fragment."""
    out: list[tuple[list[str], bool]] = []
    for lines, fragment in pieces:
        current, flag = [], fragment
        for line in lines:
            if current and JUMP_IN.match(line):
                out.append((current, flag))
                current, flag = [], True
            current.append(line)
        out.append((current, flag or bool(JUMP_IN.match(current[0]))))
    return out


def lead_match(line: str) -> re.Match | None:
    """The lead (or byline) pattern the line starts with, if any."""
    for pattern in LEAD_PATTERNS:
        m = pattern.match(line)
        if m and (pattern is not LEAD_PATTERNS[-1] or len(line) <= 50):
            return m
    return None


def is_headline(line: str) -> bool:
    """A headline-block line: short and not a sentence, or a photo caption, or a dated note."""
    if len(line) <= _CAPTION_MAX:
        return True
    if line.startswith(("(", "(")) and line.endswith((")", ")")):
        return True  # (2020年12月20日…全体会议通过)
    return len(line) <= _HEADLINE_MAX and line[-1] not in _SENTENCE_END


def is_body(line: str) -> bool:
    """A line that is plainly article prose."""
    return len(line) >= _BODY_MIN or (line[-1] in _SENTENCE_END and len(line) > _CAPTION_MAX)


def _block_start(lines: list[str], lead: int, floor: int) -> int:
    """First line of the headline block that sits right above the lead at ``lead``."""
    start = lead
    while start > floor and lead - start < _BLOCK_MAX_LINES and is_headline(lines[start - 1]):
        start -= 1
    return start


# A page's lines → their lead matches, worked out once a page: the split asks about the
# same lines several times.
Leads = dict[str, re.Match | None]


def _article(position: int, lines: list[str], fragment: bool, leads: Leads) -> ArticleText:
    """Build one article from its lines: headline block, byline, body."""
    title_lines: list[str] = []
    byline = None
    body_lines = list(lines)
    for i, line in enumerate(lines):
        m = leads[line]
        if m:
            byline = m.group("byline").strip()
            rest = line[m.end() :].strip()
            body_lines = ([rest] if rest else []) + lines[i + 1 :]
            title_lines = lines[:i]
            break
    else:
        if not fragment:
            while (
                body_lines
                and is_headline(body_lines[0])
                and not is_body(body_lines[0])
                and not body_lines[0].startswith(("(", "("))
            ):  # a dated note opens the body
                title_lines.append(body_lines.pop(0))
    title = " ".join(t for t in title_lines if len(t) > _CAPTION_MAX or not t.endswith("。"))
    return ArticleText(position, title, byline, "\n".join(body_lines), fragment)


def _closing_splits(lines: list[str], leads: Leads) -> list[tuple[list[str], bool]]:
    """Cut an article's lines after each closing attendee line followed by more body."""
    parts: list[tuple[list[str], bool]] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        current.append(line)
        if is_closing_line(line) and not leads[line] and not any(leads[x] for x in lines[i + 1 :]):
            parts.append((current, False))
            current = []
    if current:
        if parts and all(not leads[x] for x in current):
            parts.append((current, True))
        elif parts:
            parts[-1] = (parts[-1][0] + current, parts[-1][1])
        else:
            parts.append((current, False))
    for i in range(1, len(parts)):
        parts[i] = (parts[i][0], True)  # what follows a closing line is another article's text
    return parts


def split_articles(text: str) -> list[ArticleText]:
    """The articles of a normalised page, in page order, fragments flagged."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return []
    lead_of: Leads = {line: lead_match(line) for line in set(lines)}
    leads = [i for i, line in enumerate(lines) if lead_of[line]]
    starts: list[int] = []
    floor = 0
    for lead in leads:
        start = _block_start(lines, lead, floor)
        starts.append(start)
        floor = lead + 1
    if not starts or starts[0] > 0 and not any(is_body(x) for x in lines[: starts[0]]):
        starts = [0] + starts[1:]  # only headline lines before the first lead: one article
    pieces: list[tuple[list[str], bool]] = []
    if starts[0] > 0:
        pieces.append((lines[: starts[0]], True))  # the page begins mid-article
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        pieces.extend(_closing_splits(lines[start:end], lead_of))
    pieces = _jump_splits(pieces)
    last_lines, last_frag = pieces[-1]
    if last_lines[-1][-1] not in _SENTENCE_END + "”)":
        pieces[-1] = (last_lines, True)  # cut off at the end of the page
    return [_article(i, chunk, frag, lead_of) for i, (chunk, frag) in enumerate(pieces)]
