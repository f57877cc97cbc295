"""Text normalisation: one clean, simplified-Chinese text out of whatever a page gave us.

Order matters: width first (so later patterns see ASCII punctuation), then pinyin
annotations (they hang off traditional characters), then traditional → simplified,
then page chrome, then lines broken mid-sentence.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Full-width ASCII forms (！ to ～) map onto ASCII by a fixed offset; the ideographic
# space becomes a plain space. 。、“” and other CJK punctuation have no ASCII twin and stay.
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20
_WIDTH_TABLE.update({0x00A0: 0x20, 0x200B: None, 0xFEFF: None, 0x2002: 0x20, 0x2003: 0x20})
# The same table as a regex and a str → str map: substituting only the characters present
# is several times faster than str.translate over a whole CJK page.
_WIDTH_MAP = {chr(k): (chr(v) if v is not None else "") for k, v in _WIDTH_TABLE.items()}
_WIDTH_RE = re.compile("[" + "".join(re.escape(c) for c in _WIDTH_MAP) + "]")

# Characters no reader sees, each removed before anything reaches a metric name or the report:
# every Unicode format character (category Cf), by range and what it is.
INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x0600, 0x0605),  # Arabic number signs
    (0x061C, 0x061C),  # Arabic letter mark (a bidi control)
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),  # script marks
    (0x180E, 0x180E),  # Mongolian vowel separator
    (0x200B, 0x200F),  # zero-width space and joiners, LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides: U+202E shows a title reversed
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x206F),  # bidi isolates, deprecated format controls
    (0xFEFF, 0xFEFF),  # byte-order mark / zero-width no-break space
    (0xFFF9, 0xFFFB),  # interlinear annotation marks
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),  # musical and hieroglyph format controls
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),  # tag characters
)
INVISIBLE = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in INVISIBLE_RANGES) + "]")
# Control characters (NUL late in a page, DEL, C1) and U+FFFD (bytes that did not decode; an
# HTML parser turns NUL into it) become a space, not nothing: gluing their neighbours could
# forge a number (1<NUL>5 → 15). Tab, CR, LF and the breaks splitlines() knows stay.
CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufffd]")

# A pinyin syllable with or without tone marks: 陽(yáng), 經(jīng), 的(de).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_SYLLABLE = rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouv{_TONED}]{{1,4}}(?:ng|n|r)?"
# Only after a CJK character, only lowercase (so 国内生产总值(GDP) keeps its GDP). The
# bracket comes first and the CJK character is checked behind it: a pattern that starts
# with a literal is scanned for at C speed, one that starts with a lookbehind is tried at
# every position of the page.
PINYIN_ANNOTATION = re.compile(rf"\((?<=[\u3400-\u9fff]\()(?:{_PINYIN_SYLLABLE})\)")

# Lines that are page furniture, not article text. Each pattern names the chrome it is for.
CHROME_LINES = tuple(
    re.compile(p)
    for p in (
        r"^展开阅读全文$",  # reposting portals: "expand the full text"
        r"^上滑加载更多",  # infinite-scroll hint
        r"^(推荐阅读|友情链接|更多|相关阅读|相关新闻|热点推荐)[:]?$",
        r"^(页面更新|发布时间|来源|标签|责任编辑|编辑|作者|浏览次数|阅读次数)[:].{0,60}$",
        r"^(分享到|打印本页|关闭窗口|返回顶部|【?字体[:]?大\s*中\s*小】?|Top)$",
        r"(©|Copyright|CopyRight|版权所有|ICP备|公网安备|技术支持)",
        r"^本站资料均由网友",  # portal disclaimer
        r"^地\s*址[:].*(E-MAIL|TEL|电话)",  # footer address line
        r"^\d+(\s+\d+){2,}$",  # pagination: 1 2 3 4 5
        r"^[-—]$",  # menu separators
        r"^(栏目导航|新闻资讯|推荐新闻|当前位置[:].*)$",
        r"^(发布|发布时间|时间|日期|更新时间)[:]\s*\d{4}-\d{1,2}-\d{1,2}",  # 发布: 2025-12-31 22:17:53
        r"^(上一篇|下一篇|上一页|下一页|首页|尾页)([:].*)?$",  # pagination links
        r"^(微信|微博|QQ空间|朋友圈)(扫一扫)?$",  # share buttons
        r"^\.{3,}$|^…{2,}$",  # ellipsis lines marking cut text
        r"^\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:来源|作者|编辑|阅读|浏览)[:].{0,80}$",  # 2023-09-18 14:06 来源:…
    )
)
# The table above as two scans a line: the anchored rules joined into one match at the
# line start, and the few that may sit anywhere joined into one search.
CHROME_START_RE = re.compile("|".join(f"(?:{p.pattern})" for p in CHROME_LINES if p.pattern.startswith("^")))
CHROME_ANYWHERE_RE = re.compile("|".join(f"(?:{p.pattern})" for p in CHROME_LINES if not p.pattern.startswith("^")))

# Markdown left by some converters: "# 标题", "**岳阳晚报讯**". Markers go, the text stays.
MARKDOWN_HEADING = re.compile(r"^[ \t]*#{1,6}\s+", re.M)
MARKDOWN_BOLD = re.compile(r"\*\*(.+?)\*\*")
# Spaces a typesetter put around digits inside CJK text: "市政府 2020 年第三次全会".
# The first space leads the pattern (and the character before it is checked behind it) so
# the page is scanned for spaces at C speed.
SPACE_AROUND_DIGITS = re.compile(r" (?:(?<=[\u4e00-\u9fff] ) *(?=\d)|(?<=\d ) *(?=[\u4e00-\u9fff]))")
# A menu is a run of very short unpunctuated lines: 新闻资讯 / 子公司动态 / 集团新闻 ...
_MENU_ITEM = re.compile(r"^[^,。!?;:,]{1,6}$")
_MENU_RUN = 3

# A line ending in one of these is a finished sentence or a heading, not a broken line.
_SENTENCE_END = '。!?!?…”"』」)】;:—.'  # —— closes a kicker: "X在Y会上强调——"; "......" an item
# A line ending in one of these is certainly unfinished.
_CONTINUES = "、,，(“《"
_BROKEN_LINE_MIN_CHARS = 30  # shorter unpunctuated lines are headlines, not broken sentences


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported lazily: the converter loads its dictionaries once

    return opencc.OpenCC("tw2s")  # tw2s, not t2s: it also turns 著眼/著力 into 着眼/着力


def strip_invisible(text: str) -> str:
    """Format characters (bidi controls, zero-width marks) removed; control characters → spaces."""
    return CONTROLS.sub(" ", INVISIBLE.sub("", text))


def unify_width(text: str) -> str:
    """Full-width letters, digits and punctuation → ASCII; odd spaces → plain spaces."""
    return _WIDTH_RE.sub(lambda m: _WIDTH_MAP[m.group()], unicodedata.normalize("NFC", text))


# A traditional character lost when an annotated page went through a wrong decoder: its GBK
# lead byte became "?" and its trail byte an ASCII character (區 → "?^", 縣 → "??h"), often
# with an annotation cut from its bracket before it ("?yún)") and its own after it ("(qū)").
# Only pages that carry annotations are searched, and only "?" runs that hold such pieces.
_FRAGMENT = rf"(?:{_PINYIN_SYLLABLE})\)"
GARBLED = re.compile(
    rf"\?+(?:(?P<frag>{_FRAGMENT})(?P<trail1>[@-~])?|(?P<trail>[@-~]))(?:\((?P<py>{_PINYIN_SYLLABLE})\))?"
    rf"|\((?<![\u3400-\u9fff(]\()(?:{_PINYIN_SYLLABLE})\)"  # an annotation after no Han character
)
GBK_LEAD_BYTES = range(0x81, 0xFF)
_PHRASE_MAX = 4  # the characters around a run that may make a word with the mended one


def strip_pinyin(text: str) -> str:
    """Drop pinyin annotations in brackets (邵陽(yáng) → 邵陽), and mend what a wrong decoder
    left of an annotated character (融入?yún)^(qū)域 → 融入區域)."""
    if "?" in text and PINYIN_ANNOTATION.search(text):
        text = GARBLED.sub(lambda m: _mend(m, text), text)
    return PINYIN_ANNOTATION.sub("", text)


def _mend(m: re.Match, text: str) -> str:
    """The character a garbled run stood for, when its trail byte, its reading and the words
    around it name one; else nothing."""
    trail = m.group("trail") or m.group("trail1") if m.group(0).startswith("?") else None
    if not trail:
        return ""
    before, after = text[max(0, m.start() - _PHRASE_MAX) : m.start()], text[m.end() : m.end() + _PHRASE_MAX]
    candidates = _gbk_candidates(trail)
    reading = m.group("py")
    if reading:  # the annotation's reading narrows the candidates first
        candidates = tuple(x for x in candidates if reading in x[2]) or candidates
    fits = [
        (2 * bool(reading and reading in readings) + _in_word(simple, before, after), c, simple)
        for c, simple, readings in candidates
    ]
    best = max((f for f, _, _ in fits), default=0)
    top = [(c, simple) for f, c, simple in fits if f == best]
    if best == 0:
        return ""
    if len(top) > 1:  # the page decides: the character it writes most often, if one does
        counts = sorted(((_page_count(c, simple, text), simple) for c, simple in top), reverse=True)
        return counts[0][1] if counts[0][0] > counts[1][0] else ""
    return top[0][1]


@lru_cache(maxsize=128)
def _gbk_candidates(trail: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(character, its simplified form, its readings) of the Han characters whose GBK encoding
    ends in the byte ``trail`` is."""
    from pypinyin.pinyin_dict import pinyin_dict

    out = []
    for lead in GBK_LEAD_BYTES:
        try:
            c = bytes((lead, ord(trail))).decode("gbk")
        except UnicodeDecodeError:
            continue
        if "\u3400" <= c <= "\u9fff":
            out.append((c, to_simplified(c), tuple(pinyin_dict.get(ord(c), "").split(","))))
    return tuple(out)


def _in_word(simple: str, before: str, after: str) -> int:
    """2 when the character makes a word with the one or two characters after it or the one
    before it (区+域, 县+委书, 融入+?), else 0."""
    from pypinyin.phrases_dict import phrases_dict

    words = (simple + after[:1], simple + after[:2], before[-1:] + simple, simple + after[:3])
    return 2 * any(w in phrases_dict for w in words)


def _page_count(c: str, simple: str, page: str) -> int:
    """How often the page writes the character (either script): breaks ties (县委 over 党委 in a
    county's bulletin)."""
    return page.count(c) + (page.count(simple) if simple != c else 0)


@lru_cache(maxsize=1)
def _traditional_re() -> re.Pattern:
    """A character class of the characters below: one C-speed scan finds any of them."""
    return re.compile("[" + "".join(sorted(_traditional_chars())) + "]")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Every CJK character tw2s changes on its own, plus 著 (changed only in phrases: 著力)."""
    chars = [chr(c) for c in range(0x3400, 0xA000)]
    converted = _t2s().convert("\n".join(chars)).split("\n")
    return frozenset(c for c, s in zip(chars, converted) if c != s) | {"著"}


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (OpenCC tw2s); simplified text passes unchanged.

    Most pages are simplified already: a set test skips the converter for them, and on a
    mixed page only the lines holding a traditional character are converted (么 in 什么
    alone would send a whole simplified page through OpenCC).
    """
    trad = _traditional_re()
    if not trad.search(text):
        return text
    convert = _t2s().convert
    return "\n".join(convert(line) if trad.search(line) else line for line in text.split("\n"))


def is_chrome(line: str) -> bool:
    """True for navigation, footer, share-button and similar non-article lines."""
    return CHROME_START_RE.match(line) is not None or CHROME_ANYWHERE_RE.search(line) is not None


def rejoin_broken_lines(lines: list[str]) -> list[str]:
    """Join a line to the next when the page broke it in the middle of a sentence."""
    out: list[str] = []
    pending = ""
    for i, line in enumerate(lines):
        if pending:
            line = pending + line
            pending = ""
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _is_broken(line) or _is_short_broken(line, nxt):
            pending = line
        else:
            out.append(line)
    if pending:
        out.append(pending)
    return out


# Inside-sentence punctuation: a long line that has some is prose, one with none is a headline.
_PROSE_MARK = re.compile(r"[,,。;;:]")


def _is_broken(line: str) -> bool:
    """True when the line stops mid-sentence ("…以“枢纽”为目标,朝" / "着“枢纽”加快建设。")."""
    last = line[-1]
    if last in _SENTENCE_END:
        return False
    if last in _CONTINUES:
        return True
    return len(line) >= _BROKEN_LINE_MIN_CHARS and bool(_PROSE_MARK.search(line))


_SHORT_BROKEN_MIN = 15
_PROSE_NEXT_MIN = 40


def _is_short_broken(line: str, nxt: str) -> bool:
    """A shorter line cut mid-sentence right before a prose line:
    "现场,12名“最美护士”、6名" / "“最美乡村教师”、6名…走上舞台…。".
    Headlines that carry a comma ask or announce (如何…? / 长沙:…) and are spared."""
    return (
        len(line) >= _SHORT_BROKEN_MIN
        and line[-1] not in _SENTENCE_END
        and bool(_PROSE_MARK.search(line))
        and not re.search(r"[??::]", line)
        and len(nxt) >= _PROSE_NEXT_MIN
    )


def drop_menus(lines: list[str]) -> list[str]:
    """Drop runs of at least three menu-like lines (navigation bars flattened to text)."""
    out: list[str] = []
    run: list[str] = []
    for line in lines + [""]:
        if line and _MENU_ITEM.match(line):
            run.append(line)
            continue
        if len(run) < _MENU_RUN:
            out.extend(run)
        run = []
        if line:
            out.append(line)
    return out


_SPACES = re.compile(r"[ \t]+")


def clean_text(text: str) -> str:
    """The whole text without markdown markers and with single spaces only.

    Each substitution runs once over the page (not once a line), and only when a cheap
    literal test says it has something to do.
    """
    if "#" in text:
        text = MARKDOWN_HEADING.sub("", text)
    if "**" in text:
        text = MARKDOWN_BOLD.sub(r"\1", text)
    if "\t" in text or "  " in text:  # most pages have no run of spaces to squeeze
        text = _SPACES.sub(" ", text)
    if " " in text:
        text = SPACE_AROUND_DIGITS.sub("", text)
    return text


def normalise_text(text: str) -> str:
    """The whole normalisation: invisible characters, width, pinyin, simplified, chrome dropped, lines rejoined.

    Paragraphs come out one per line, with no blank lines between them.
    """
    text = unify_width(strip_invisible(text))
    if "(" in text:
        text = strip_pinyin(text)
    text = clean_text(to_simplified(text))
    lines = [raw.strip() for raw in text.splitlines()]
    lines = drop_menus([line for line in lines if line and not is_chrome(line)])
    return "\n".join(rejoin_broken_lines(lines))
