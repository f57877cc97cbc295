"""Generic extraction: title, date, body, byline and outlet of a page nobody wrote selectors for.

Read from the BeautifulSoup tree the parse already built (bulletins.crawl.parse), in one
walk of the page's blocks:

- body: the element whose subtree holds the most article prose and the least link text
  and page furniture (``_best_block``: each block's own line scores + for prose, - for
  links and short unpunctuated lines; the best subtree wins, ties to the deepest). Its
  lines are then read without navigation, share bars, related links, editor and
  print/close lines (``BODY_CHROME``), and without the headline and date lines above it;
- title: the ArticleTitle meta, the headline element the <title> repeats, og:title, the
  headline right above the body, the <title> minus the site's name (``find_title``);
- date: the publication meta tags, the visible date line nearest the headline (never in
  a link list or a comment block), the URL's date (``DATE_META``, ``URL_DATES``), and
  last the first full date the article's own text names;
- outlet and byline: 来源/作者 labels near the headline, the source meta tags.

An e-paper page with several articles comes back as several: by the repeated article
boxes of its markup here, or (bulletins.crawl.parse) by the leads in its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from bs4 import BeautifulSoup, NavigableString, Tag

from bulletins.core.html import NEVER_SHOWN, starts_line

# Elements whose text is never shown: besides the core's, the head, form controls and media
# (their text is a fallback or a value, never a line of the page).
INVISIBLE = NEVER_SHOWN | {"head", "title", "textarea", "select", "option", "button", "audio", "video", "object"}
# Elements that are page furniture wherever they are (not <header>: an <article>'s holds its
# headline and date; not <form>: ASP.NET sites wrap whole pages in one).
FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "menu"})
# Inline styles that hide an element (a 原标题 line kept for search engines, a folded block).
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Elements that hold an article's paragraphs (a body block is one of these, never a <p>).
CONTAINERS = frozenset({"div", "td", "article", "section", "main", "body", "center", "blockquote", "dd", "li"})
# class/id words of furniture blocks: share bars, related links, comments, tool bars.
# Matched on whole words of the class or id (a class "sharebox" matches share, "comments" comment).
# Not "print": CMSs keep the article itself in #print_area / .print-content (their print
# buttons are BODY_CHROME lines).
FURNITURE_WORDS = re.compile(
    r"(?:^|[-_\s])(?:share|sharebox|bdshare|jiathis|related|relate|xgxw|xgwz|recommend|tuijian|comments?|"
    r"pinglun|reply|replies|footer|foot|copyright|breadcrumbs?|crumbs?|position|location|sidebar|side|"
    r"rightside|leftside|toolbar|tools?|pager|pagination|fenye|nav|navbar|menu|ads?|advert|"
    r"qrcode|ewm|next|prev|prenext)(?:$|[-_\s\d])",
    re.I,
)
# class/id words of comment blocks: never a date from there.
COMMENT_WORDS = re.compile(r"comment|pinglun|reply|replies|discuss", re.I)

# Sentence punctuation: a line with some is prose, not a menu, a title or a date.
PROSE_MARKS = re.compile(r"[，。；！？、,;!?]")

# Lines inside the body block that are not article text; each with the chrome it is for.
BODY_CHROME = tuple(
    (re.compile(p), example)
    for p, example in (
        (
            r"^[【\[(（]?\s*(?:责任编辑|责编|编辑|校对|审核|审校|终审|初审|复审|监制|制作|值班编辑)\s*[:：].{0,40}$",
            "【责任编辑:赵明】",
        ),
        (r"^[【\[]?(?:我要)?纠错[】\]]?$", "【纠错】"),
        (
            r"^(?:打印|打印本页|打印文章|关闭|关闭窗口|【打印】|【关闭】|\[打印\]|\[关闭\]|返回顶部|回到顶部|收藏)"
            r"(?:\s*[【\[]?(?:打印|关闭|关闭窗口|收藏)[】\]]?)*$",
            "【打印】 【关闭】",
        ),
        (r"^(?:分享到|分享)\s*[:：]?.{0,30}$", "分享到:微信 微博"),
        (r"^(?:【\s*)?(?:调整)?(?:字号|字体)\s*[:：]?\s*[大中小默认超\s]*(?:】)?$", "【字号:大 中 小】"),
        (r"^(?:扫码)?关注(?:微信)?公众号.{0,20}$", "关注公众号:某某发布"),
        (r"^(?:Play Video|Pause|Mute|Unmute|Fullscreen|\d{1,2}:\d{2}|/\s*\d{1,2}:\d{2})$", "Play Video  0:00  /2:54"),
        (r"^(?:阅读下一篇|上一篇|下一篇|上一条|下一条|上一页|下一页)\s*[:：]?.{0,60}$", "下一篇:某县召开会议"),
        (r"^(?:扫一扫|扫码|用微信扫描).{0,30}$", "扫一扫在手机打开当前页"),
        (r"^(?:浏览次数|阅读次数|点击数|访问量|阅读量)\s*[:：]?\s*\d*$", "浏览次数:1024"),
        (
            r"^[《〈]\s*[\u4e00-\u9fff]{2,12}\s*[》〉]\s*[(（]\s*\d{4}年\d{1,2}月\d{1,2}日\s*(?:第?\s*\d{1,3}\s*版)?\s*[)）]$",
            "《 某某日报 》( 2021年03月02日 05 版)",
        ),
    )
)

# A date written on a page: 2023-07-28 10:12 / 2023年07月28日10:12 / 2023/07/28 / 2023.07.28
DATE_TEXT = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:(?:T|\s*)(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2}))?)?"
)
# Labels of a date or source line: 发布时间: / 发布日期: / 时间: / 来源:
DATE_LABEL = re.compile(r"发布时间|发布日期|发表时间|发表日期|发稿时间|更新时间|时间|日期|发布于|来源|稿源|作者")
# Dates that are not the publication's: the site header's clock, a copyright line.
NOT_PUBLISHED = re.compile(r"今天是|今日|当前时间|现在时间|Copyright|版权所有|©")
# Meta tags that carry the publication time, most trusted first (name or property, any case).
DATE_META = (
    "pubdate",
    "publishdate",
    "publish_date",
    "publishtime",
    "publish-date",
    "article:published_time",
    "og:release_date",
    "firstpublishedtime",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "ptime",
    "releasedate",
    "weibo:article:create_at",
)
# Publication dates in a page's JSON-LD block.
JSON_LD_DATE = re.compile(r'"(datePublished|pubDate)"\s*:\s*"([^"]{8,40})"')
# The day in an article URL, with the URL it is for.
URL_DATES = tuple(
    (re.compile(p), example)
    for p, example in (
        (r"/t(?P<y>20\d{2})(?P<m>\d{2})(?P<d>\d{2})_", "/art/t20230728_12345.html"),
        (r"/(?P<y>20\d{2})-(?P<m>\d{2})/(?P<d>\d{2})/", "/content/2023-07/28/content_1.htm"),
        (r"/(?P<y>20\d{2})/(?P<m>\d{2})/(?P<d>\d{2})/", "/art/2023/07/28/art_1.html"),
        (r"/(?P<y>20\d{2})(?P<m>\d{2})/(?P<d>\d{2})/", "/news/202307/28/c123.html"),
        (r"/(?P<y>20\d{2})(?P<m>\d{2})(?P<d>\d{2})/", "/xxgk/20230728/i1.html"),
        (r"/(?P<y>20\d{2})/(?P<m>\d{2})(?P<d>\d{2})/", "/n1/2023/0728/c1-2.html"),
    )
)
# Where a page names its own URL, when the caller does not know it.
SELF_URL_META = ("url", "og:url")

# Separators between a <title>'s headline and the site's name: 标题_某市人民政府 / 标题 - 某某网
TITLE_SEPARATORS = re.compile(
    r"\s*(?:__?|\s-\s|-{2,}|--|–|—{1,2}|\||｜|::)\s*|(?<=[\u4e00-\u9fff」”》)])-(?=[\u4e00-\u9fff])"
)
# Meta tags naming the headline.
TITLE_META = ("articletitle", "og:title", "twitter:title")
# Headline elements, by tag; and class/tag words of headline parts (Founder's founder-title).
HEADLINE_TAGS = ("h1", "h2", "h3")
TITLE_WORD = re.compile(r"title|biaoti|headline|bt", re.I)
SUBTITLE_WORD = re.compile(r"pretitle|pre-title|subtitle|sub-title|yinti|futi|kicker", re.I)

# 来源/作者 labels and the value after them, on a line near the headline.
SOURCE_LABEL = re.compile(r"(?:来源|稿源|信息来源|文章来源)\s*[:：]\s*(?P<v>[^\s|｜:：]{2,30})")
AUTHOR_LABEL = re.compile(r"(?:作者|记者|撰稿)\s*[:：]?\s*(?P<v>[^\s|｜:：]{2,20}(?:\s[^\s|｜:：]{2,4})?)")
SOURCE_META = ("contentsource", "source", "citation_publisher")
AUTHOR_META = ("author",)

TEASER_ITEMS = frozenset({"li", "dd", "dt"})  # list items that may hold a linked title and its summary
TEASER_LINK_MIN = 8  # a link this long opening a list item is a headline, not an inline link
HEADLINE_GAP = 8  # shown lines (date, source, share bar ...) between a headline and its body
LINE_NEAR_HEADLINE = 12  # lines after the headline searched for date, source and author
META_LINE_MAX = 120  # a date/source line is short
PROSE_MIN_CHARS = 10  # shorter lines count as furniture, not prose
MULTI_MIN_PROSE = 60  # an article box of an e-paper page holds at least this much prose


@dataclass
class Line:
    """The text one block holds directly (not in child blocks)."""

    block: Tag
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0
    furniture: bool = False  # inside a furniture element (share bar, related list, comments ...)
    comment: bool = False  # inside a comment block
    lead_link: int = 0  # characters of the link the line starts with
    seen: int = 0  # characters so far

    @property
    def text(self) -> str:
        """The line's text, spaces squeezed."""
        return " ".join("".join(self.parts).split())


@dataclass(frozen=True)
class GenericArticle:
    """One article of a page read without selectors; ``body`` is display text, a paragraph a line."""

    title: str | None
    body: str
    fragment: bool = False


@dataclass(frozen=True)
class Generic:
    """What generic extraction read from a page."""

    title: str | None
    published: datetime | date | None
    body: str
    byline: str | None = None
    outlet: str | None = None
    articles: tuple[GenericArticle, ...] = ()  # by repeated article boxes; empty: one article
    block_text: str = ""  # the body block's lines before its headline lines are trimmed (for splitting)
    # where they were found, for add-source to learn selectors from (not compared, not printed)
    body_element: Tag | None = field(default=None, compare=False, repr=False)
    headline_element: Tag | None = field(default=None, compare=False, repr=False)


# -- the walk --------------------------------------------------------------------------------


def _words(tag: Tag) -> str:
    """An element's class and id as one string."""
    classes = tag.get("class") or ()
    return " ".join(classes if isinstance(classes, list) else [str(classes)]) + " " + str(tag.get("id") or "")


def _hidden(attrs: dict) -> bool:
    """True for an element the browser does not show (hidden, display:none, visibility:hidden)."""
    if "hidden" in attrs:
        return True
    style = attrs.get("style")
    return bool(style) and HIDDEN_STYLE.search(style) is not None


@lru_cache(maxsize=512)
def _named_title(name: str) -> bool:
    """True for h1-h3 and tags named as titles (founder-title)."""
    return name in HEADLINE_TAGS or bool(TITLE_WORD.search(name))


class Walk:
    """One walk of a tree: its lines in document order, the span of lines each element holds, the headline candidates.

    An element's lines are contiguous in ``lines`` (document order), so its subtree is the
    slice ``spans[id(element)]``: sums over it are two prefix-sum lookups.
    """

    def __init__(self, root: Tag) -> None:
        self.lines: list[Line] = []
        self.spans: dict[int, tuple[Tag, int, int, int]] = {}  # id -> (element, start, end, depth)
        self.heads: list[Tag] = []  # h1-h3 and title-named elements (not pre/subtitles), in page order
        self._walk(root)
        self._mark_teasers()
        self.shown = [ln for ln in self.lines if ln.parts]

    def _mark_teasers(self) -> None:
        """List items that open with a headline link (a teaser: linked title, then its summary) are furniture."""
        for element, start, end, _depth in self.spans.values():
            if element.name not in TEASER_ITEMS:
                continue
            first = next((ln for ln in self.lines[start:end] if ln.parts), None)
            if first is not None and first.lead_link >= TEASER_LINK_MIN:
                for line in self.lines[start:end]:
                    line.furniture = True

    def _walk(self, root: Tag) -> None:
        """Fill lines, spans and heads in one pass."""
        first = Line(root)
        self.lines.append(first)
        stack: list[list] = [[iter(root.contents), first, False, False, False, root, 0]]
        while stack:
            frame = stack[-1]
            children, line, in_link, furniture, comment = frame[0], frame[1], frame[2], frame[3], frame[4]
            for node in children:
                if isinstance(node, Tag):
                    name = node.name
                    attrs = node.attrs
                    if name in INVISIBLE or (attrs and _hidden(attrs)):
                        continue
                    words = _words(node) if attrs and ("class" in attrs or "id" in attrs) else ""
                    sub_furniture, sub_comment = furniture, comment
                    if words:
                        sub_furniture = furniture or bool(FURNITURE_WORDS.search(words))
                        sub_comment = comment or bool(COMMENT_WORDS.search(words))
                    sub_furniture = sub_furniture or name in FURNITURE_TAGS
                    if _named_title(name) or (words and TITLE_WORD.search(words)):
                        if not SUBTITLE_WORD.search(name + " " + words):
                            self.heads.append(node)
                    start = len(self.lines)
                    sub_line = line
                    if starts_line(name):
                        sub_line = Line(node, furniture=sub_furniture, comment=sub_comment)
                        self.lines.append(sub_line)
                    stack.append(
                        [iter(node.contents), sub_line, in_link or name == "a", sub_furniture, sub_comment, node, start]
                    )
                    break
                if type(node) is not NavigableString:  # comments, doctype, CDATA: never shown
                    continue
                text = str(node)
                if text.strip():
                    chars = _chars(text)
                    if in_link:
                        line.link_chars += chars
                        if line.lead_link == line.seen:  # no text before this link but links
                            line.lead_link += chars
                    line.seen += chars
                    line.parts.append(text)
            else:
                done = stack.pop()
                self.spans[id(done[5])] = (done[5], done[6], len(self.lines), len(stack))
                if stack and done[1] is not stack[-1][1]:
                    # text after a child block is a new line of the parent block
                    outer = stack[-1][1]
                    resumed = Line(outer.block, furniture=outer.furniture, comment=outer.comment)
                    self.lines.append(resumed)
                    stack[-1][1] = resumed

    def within(self, element: Tag) -> list[Line]:
        """The non-empty lines of ``element``'s subtree."""
        span = self.spans.get(id(element))
        return [ln for ln in self.lines[span[1] : span[2]] if ln.parts] if span else []

    def text(self, element: Tag) -> str:
        """An element's visible text on one line."""
        return " ".join(" ".join(ln.text for ln in self.within(element)).split())

    def shown_index(self, element: Tag | None) -> int:
        """How many shown lines come before ``element`` (0 when unknown)."""
        span = self.spans.get(id(element)) if element is not None else None
        return sum(1 for ln in self.lines[: span[1]] if ln.parts) if span else 0


def _chars(text: str) -> int:
    """Characters without spaces."""
    return len("".join(text.split()))


def line_value(line: Line) -> float:
    """What a line adds to its block's claim to be the body: + prose, - links and furniture."""
    text = line.text
    n = _chars(text)
    links = min(line.link_chars, n)
    own = n - links
    if line.furniture:
        return -float(n)
    marks = len(PROSE_MARKS.findall(text))
    if own >= PROSE_MIN_CHARS and links * 2 < n and marks:
        return own + 5.0 * marks - links
    if own >= 50 and links * 4 < n:
        return own * 0.5
    return -(links + 0.3 * own)


def _best_block(walk: Walk) -> Tag | None:
    """The element whose subtree holds the highest sum of line values (ties: the deepest)."""
    prefix = [0.0]
    for line in walk.lines:
        prefix.append(prefix[-1] + (line_value(line) if line.parts else 0.0))
    best, best_key = None, (0.0, 0)
    for element, start, end, depth in walk.spans.values():
        if isinstance(element, BeautifulSoup):
            continue
        key = (round(prefix[end] - prefix[start], 6), depth)
        if key > best_key:
            best, best_key = element, key
    if best is None:
        return None
    # a paragraph is never the article: its container is (a one-paragraph body keeps the
    # dated note or the caption beside it)
    while best.name not in CONTAINERS and isinstance(best.parent, Tag) and not isinstance(best.parent, BeautifulSoup):
        best = best.parent
    return best


# -- title -----------------------------------------------------------------------------------


def meta_map(soup: BeautifulSoup) -> dict[str, str]:
    """Every meta tag's first non-empty content by its lower-cased name (or property, or itemprop),
    then the dates of the page's JSON-LD (``"datePublished": "2024-05-10T08:00:00+08:00"``)."""
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = str(tag.get("name") or tag.get("property") or tag.get("itemprop") or "").strip().lower()
        content = str(tag.get("content") or "").strip()
        if key and content and key not in found:
            found[key] = content
    for script in soup.find_all("script", type=re.compile("ld\\+json", re.I)):
        for key, value in JSON_LD_DATE.findall(script.string or ""):
            found.setdefault(key.lower(), value)
    return found


def _meta(metas: dict[str, str], names: tuple[str, ...]) -> str | None:
    """The content of the first of ``names`` the page has."""
    return next((metas[n] for n in names if n in metas), None)


def _squash(text: str | None) -> str:
    """Text without any whitespace."""
    return "".join((text or "").split())


def title_from_head(title: str) -> str:
    """The <title> minus the site's name: the longest part between separators."""
    parts = [p for p in TITLE_SEPARATORS.split(title.strip()) if p and p.strip()]
    return max(parts, key=_chars).strip() if parts else title.strip()


def _headline_parts(element: Tag) -> list[Tag]:
    """The headline element with its adjacent pre-title and subtitle siblings, in page order."""
    group = [element]
    for direction in ("previous_siblings", "next_siblings"):
        for sib in getattr(element, direction):
            if isinstance(sib, NavigableString):
                if sib.strip():
                    break
                continue
            if not isinstance(sib, Tag) or not SUBTITLE_WORD.search(sib.name + " " + _words(sib)):
                break
            if sib.get_text(strip=True):
                group.insert(0, sib) if direction == "previous_siblings" else group.append(sib)
    return group


def find_title(
    soup: BeautifulSoup, walk: Walk, metas: dict[str, str], body: Tag | None = None
) -> tuple[str | None, Tag | None]:
    """(title, headline element or None): the ArticleTitle meta, the headline the <title> repeats,
    og:title, the headline right above the body, the <title> minus the site's name, the first <h1>."""
    head_title = soup.find("title")
    head_text = " ".join(head_title.get_text(" ").split()) if head_title is not None else ""
    meta_title = _meta(metas, ("articletitle",))
    squashed_head, squashed_meta = _squash(head_text), _squash(meta_title)
    best: Tag | None = None
    best_len = 0
    for tag in walk.heads:
        text = _squash(_head_text(walk, tag))
        if not 4 <= len(text) <= 200:
            continue
        # the headline the <title> (or the meta title) repeats: the longest such element
        repeated = text in squashed_head or (
            squashed_meta and (text in squashed_meta or (squashed_meta in text and len(text) <= 2 * len(squashed_meta)))
        )
        if repeated and len(text) > best_len:
            best, best_len = tag, len(text)
    if meta_title:
        return " ".join(meta_title.split()), best
    if best is not None:
        return _headline(walk, best), best
    og = _meta(metas, ("og:title", "twitter:title"))
    if og:
        return title_from_head(og), None
    above = _headline_above(walk, body)
    if above is not None:  # a <title> naming only the site, or another wording
        return _headline(walk, above), above
    if head_text:
        return title_from_head(head_text), None
    first = next((t for t in walk.heads if t.name == "h1" and walk.text(t)), None)
    return (walk.text(first), first) if first is not None else (None, None)


def _head_text(walk: Walk, head: Tag) -> str:
    """A headline element's text; its first line when it also holds the date and source lines."""
    lines = walk.within(head)
    return lines[0].text if len(lines) > 1 and lines[0].block is not head else walk.text(head)


def _headline(walk: Walk, head: Tag) -> str:
    """The headline; with its pre-title and subtitle when the page marks them up as headline parts
    of their own (an e-paper's founder-pretitle/founder-subtitle); the first line of a title box."""
    parts = _headline_parts(head) if "-" in head.name else [head]
    if len(parts) == 1:
        return _head_text(walk, head)
    return " ".join(walk.text(p) for p in parts)


def _headline_above(walk: Walk, body: Tag | None) -> Tag | None:
    """The last headline element that ends at most HEADLINE_GAP shown lines above the body block."""
    span = walk.spans.get(id(body)) if body is not None else None
    if span is None:
        return None
    for head in reversed(walk.heads):
        _, start, end, _depth = walk.spans[id(head)]
        if end > span[1] + 1:
            continue
        lines = walk.within(head)
        text = _squash(_head_text(walk, head))
        gap = sum(1 for ln in walk.lines[end : span[1]] if ln.parts)
        if gap > HEADLINE_GAP:
            return None
        if 5 <= len(text) <= 100 and lines and not lines[0].furniture and lines[0].link_chars * 2 < len(text):
            return head
    return None


# -- dates -----------------------------------------------------------------------------------


def date_of(match: re.Match) -> datetime | date | None:
    """A DATE_TEXT or URL_DATES match as a datetime (when it has a time) or a date."""
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    groups = match.groupdict()
    if groups.get("H") is not None and groups.get("M") is not None:
        try:
            return datetime(day.year, day.month, day.day, int(groups["H"]), int(groups["M"]), int(groups.get("S") or 0))
        except ValueError:
            return day
    return day


def _day(value: datetime | date) -> date:
    """The calendar day of a date or datetime."""
    return value.date() if isinstance(value, datetime) else value


def _meta_date(metas: dict[str, str]) -> datetime | date | None:
    """The publication time a meta tag gives."""
    text = _meta(metas, DATE_META)
    match = DATE_TEXT.search(text or "")
    return date_of(match) if match else None


def _is_date_line(text: str) -> re.Match | None:
    """The date of a visible date line: labelled, or a date that is most of its line."""
    if _chars(text) > META_LINE_MAX:
        return None
    match = DATE_TEXT.search(text)
    if match is None or NOT_PUBLISHED.search(text):
        return None
    if DATE_LABEL.search(text):
        return match
    rest = text[: match.start()] + " " + text[match.end() :]
    return None if re.search(r"[\u4e00-\u9fff]{5,}", rest) else match


def _visible_date(lines: list[Line], anchor: int) -> datetime | date | None:
    """The date line nearest after the headline (else before it), outside links and comments."""

    def usable(line: Line) -> re.Match | None:
        if line.comment or line.link_chars * 2 > _chars(line.text):
            return None
        if line.furniture and not DATE_LABEL.search(line.text):
            return None
        return _is_date_line(line.text)

    order = list(range(anchor, len(lines))) + list(range(anchor - 1, -1, -1))
    for i in order:
        match = usable(lines[i])
        if match:
            value = date_of(match)
            if value is not None:
                return value
    return None


def _date_in_text(lines: list[str]) -> date | None:
    """Last resort: the first full date (with its year) the article's own text names."""
    for line in lines:
        match = DATE_TEXT.search(line)
        if match:
            value = date_of(match)
            if value is not None:
                return _day(value)
    return None


def url_date(url: str) -> date | None:
    """The publication day an article URL carries."""
    for pattern, _example in URL_DATES:
        match = pattern.search(url or "")
        if match:
            value = date_of(match)
            if value is not None:
                return _day(value)
    return None


def _self_url(soup: BeautifulSoup, metas: dict[str, str]) -> str:
    """The URL a saved page names for itself (meta url / og:url / canonical link)."""
    meta = _meta(metas, SELF_URL_META)
    if meta:
        return meta
    link = soup.find("link", rel="canonical")
    return str(link.get("href") or "") if link else ""


def find_published(
    soup: BeautifulSoup, metas: dict[str, str], lines: list[Line], anchor: int, url: str
) -> datetime | date | None:
    """Meta time; the visible line's time when the meta has only that day; the visible date; the URL's."""
    meta = _meta_date(metas)
    visible = _visible_date(lines, anchor)
    if meta is not None:
        if not isinstance(meta, datetime) and isinstance(visible, datetime) and visible.date() == meta:
            return visible
        return meta
    if visible is not None:
        return visible
    return url_date(url) or url_date(_self_url(soup, metas))


# -- body ------------------------------------------------------------------------------------


def is_body_chrome(text: str) -> bool:
    """True for an editor, print/close, share, video-control or print-edition line."""
    return any(p.match(text) for p, _example in BODY_CHROME)


def _content_lines(lines: list[Line]) -> list[str]:
    """The body block's lines without furniture, link lists and chrome."""
    out = []
    for line in lines:
        text = line.text
        n = _chars(text)
        if not (line.furniture or (line.link_chars * 2 > n and n < 200) or is_body_chrome(text)):
            out.append(text)
    return out


def _body_lines(lines: list[str], title: str | None) -> list[str]:
    """Content lines without the headline and date lines at their top."""
    squashed_title = _squash(title)
    start = 0
    while start < len(lines) and _is_header_line(lines[start], squashed_title):
        start += 1
    return lines[start:]


def _is_header_line(text: str, squashed_title: str) -> bool:
    """A line above the article text: part of the headline, or a date/source line."""
    squashed = _squash(text)
    if squashed_title and squashed and (squashed in squashed_title or squashed_title == squashed):
        return True
    return _is_date_line(text) is not None and not PROSE_MARKS.search(text.split("来源")[0][-1:] or "")


# -- outlet and byline -----------------------------------------------------------------------


def _labelled(lines: list[Line], anchor: int, label: re.Pattern) -> str | None:
    """The value after a label (来源: 某某日报) on a short line near the headline."""
    for line in lines[anchor : anchor + LINE_NEAR_HEADLINE]:
        if line.comment or _chars(line.text) > META_LINE_MAX:
            continue
        match = label.search(line.text)
        if match:
            return match["v"].strip()
    return None


def _source_meta(metas: dict[str, str], names: tuple[str, ...]) -> str | None:
    """A source/author meta value without its label; None when empty or a number (an editor id)."""
    value = _meta(metas, names)
    if not value:
        return None
    value = re.sub(r"^(?:来源|作者)\s*[:：]\s*", "", value).strip()
    return None if not value or value.isdigit() else value


# -- several articles on a page ----------------------------------------------------------------


def _repeated_boxes(walk: Walk, body: Tag) -> list[Tag]:
    """Sibling elements of the same tag and class that each hold prose: an e-paper's article boxes."""
    for node in [body] + list(body.parents)[:2]:
        groups: dict[tuple, list[Tag]] = {}
        for kid in node.children:
            if isinstance(kid, Tag) and kid.name not in INVISIBLE:
                groups.setdefault((kid.name, " ".join(kid.get("class") or ())), []).append(kid)
        for (name, cls), boxes in groups.items():
            if len(boxes) < 2 or name in ("p", "br", "span", "li", "tr", "td") or not cls:
                continue
            if all(sum(max(0.0, line_value(ln)) for ln in walk.within(b)) >= MULTI_MIN_PROSE for b in boxes):
                return boxes
    return []


def _box_article(walk: Walk, box: Tag) -> GenericArticle:
    """One article box: its headline group (None: a fragment) and its other lines."""
    _, start, end, _depth = walk.spans[id(box)]
    main = next(
        (t for t in walk.heads if t is not box and start <= walk.spans.get(id(t), (0, -1))[1] < end and walk.text(t)),
        None,
    )
    parts = _headline_parts(main) if main is not None else []
    title = " ".join(walk.text(p) for p in parts) or None
    skip = {id(ln) for p in parts for ln in walk.within(p)}
    body = _body_lines(_content_lines([ln for ln in walk.within(box) if id(ln) not in skip]), None)
    return GenericArticle(title, "\n".join(body), fragment=title is None)


# -- the page --------------------------------------------------------------------------------


def extract(soup: BeautifulSoup, url: str = "") -> Generic:
    """Title, date, body, byline and outlet of a page, read without selectors."""
    walk = Walk(soup)  # the whole soup: stray </html> tags leave text outside <body>
    metas = meta_map(soup)
    body_el = _best_block(walk)
    title, headline = find_title(soup, walk, metas, body_el)
    lines = walk.shown
    # dates, sources and authors sit near the headline; without one, just above the body
    anchor = walk.shown_index(headline) if headline is not None else max(0, walk.shown_index(body_el) - HEADLINE_GAP)
    published = find_published(soup, metas, lines, anchor, url)
    content = _content_lines(walk.within(body_el)) if body_el is not None else []
    body_lines = _body_lines(content, title)
    if published is None:
        published = _date_in_text(body_lines)
    outlet = _source_meta(metas, SOURCE_META) or _labelled(lines, anchor, SOURCE_LABEL)
    byline = _labelled(lines, anchor, AUTHOR_LABEL) or _source_meta(metas, AUTHOR_META)
    boxes = _repeated_boxes(walk, body_el) if body_el is not None else []
    articles = tuple(_box_article(walk, b) for b in boxes)
    return Generic(
        title, published, "\n".join(body_lines), byline, outlet, articles, "\n".join(content), body_el, headline
    )
