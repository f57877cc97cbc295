"""The bundled offline demo site: every seed text made into HTML in the templates real sites use.

Three sites under one server, each under its own path prefix:

- ``/gov/``: a government CMS (UTF-8; ArticleTitle / PubDate / ContentSource meta tags;
  list pages ``index.html``, ``index_1.html`` ...; articles ``xxgk/dtxx/<col>/YYYYMMDD/i<id>.html``);
- ``/epaper/``: a Founder-style e-paper (GBK bytes; an archive of issues, layout pages
  ``html/YYYY-MM/DD/node_N.htm``, content pages ``content_N_ID.htm`` carrying several
  articles, title in ``<founder-title>``, body in ``#ozoom``, date only in the URL);
- ``/portal/``: a reposting portal with navigation, ads, share bars and footers, some
  pages in traditional characters with pinyin in brackets (衡陽(yáng)).

The seeds are cut into stories (seed 001 and 003 are e-paper pages holding several
articles), then varied deterministically: the same story for earlier years with scaled
figures, so the warehouse gets time series and the list pages several pages of links.
``DemoSite.publish_until(day)`` hides what was published after ``day`` so tests can crawl,
publish more, and crawl again. Only the standard library and OpenCC (for the
traditional variants).
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
import zlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from string import Template

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
BEIJING = timezone(timedelta(hours=8))

YEARS = 5  # each story appears for its own year and the four before it
GOV_PER_PAGE = 12  # links per list page: 45 articles make four list pages
PORTAL_PER_PAGE = 12
EPAPER_ISSUES_PER_PAGE = 10
FACTOR_PER_YEAR = 0.06  # a year earlier, figures are 6% smaller

# robots.txt of the whole server: everything allowed but the CMS's internal column, which
# the first gov list page links to (a polite crawler must skip that link).
DISALLOWED_PREFIX = "/gov/xxgk/dtxx/nbgz/"
ROBOTS_TXT = f"User-agent: *\nDisallow: {DISALLOWED_PREFIX}\n"


@dataclass(frozen=True)
class SeedCut:
    """How one seed file is cut into stories: rules as data, one row per seed."""

    seed: str
    layout: str  # single (one article) | epaper (several, by lead paragraphs)
    published: str  # when the page was published, Beijing time
    outlet: str  # who wrote it (ContentSource on the CMS)
    title: str = ""  # single: the headline line the article starts at
    end: str = ""  # single: the first line after the article (page chrome)
    fragment_starts: tuple[str, ...] = ()  # epaper: untitled paragraphs continuing other pages
    traditional: bool = False  # the seed is traditional characters with pinyin
    continued: bool = False  # the page is continued from and to other pages (上接/下转)


SEED_CUTS = (
    # 000: a company site's repost in traditional characters, nav menu above, address below.
    SeedCut(
        "000",
        "single",
        "2025-12-31 22:17:53",
        "衡阳市人民政府",
        title="衡陽市委經(jīng)濟工作會議召開",
        end="地 址:",
        traditional=True,
    ),
    # 001: one e-paper page, three articles, each with headline lines and a 衡阳晚报讯 lead.
    SeedCut("001", "epaper", "2022-02-08 06:00", "衡阳晚报"),
    # 002: a portal's repost of a 红网 article; everything from 展开阅读全文 on is chrome.
    SeedCut(
        "002",
        "single",
        "2023-07-29 10:12",
        "红网",
        title="时年过半,如何“赛”好下半场?衡阳这场半年度会议明确了",
        end="展开阅读全文",
    ),
    # 003: an e-paper page with three articles and two tails of articles from other pages.
    SeedCut(
        "003", "epaper", "2023-10-27 06:00", "衡阳晚报", fragment_starts=("用才、用心服务留才", "据了解,此次评选活动")
    ),
    # 004: the middle of a long plan printed over several pages: (上接第一版) ... (下转第三版).
    SeedCut(
        "004",
        "single",
        "2025-12-17 06:00",
        "衡阳日报",
        title="中共衡阳市委关于制定衡阳市国民经济和社会发展第十五个五年规划的建议",
        continued=True,
    ),
)

# A lead paragraph of the evening paper: 衡阳晚报讯(全媒体记者 陈润)虎年首个工作日...
LEAD = re.compile(r"^衡阳晚报讯\s*\(")
LEAD_TIDY = re.compile(r"^(衡阳晚报讯)\s*(\([^)]*\))\s*")  # **衡阳晚报讯** (全媒体记者 陈润) 10月 → tight
HEADLINE_MAX_CHARS = 45  # headline lines are short and unpunctuated
SKIP_LINES = (re.compile(r"^(發\(fā\)布|发布)[::]"),)  # the scraped date line of seed 000
MARKDOWN = ((re.compile(r"^#+\s*"), ""), (re.compile(r"\*\*"), ""))  # scrape artefacts in seed 003

# Years and amounts that vary between a story's yearly variants.
YEAR = re.compile(r"(?<![\d.])20[0-4]\d(?![\d.%])")
AMOUNT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?=\s*(?:亿元|万元|万人次|万人|%|个百分点))")
# The zodiac year names a year too (虎年首个工作日): a variant k years earlier names the
# animal k places back in the twelve-year cycle.
ZODIAC = "鼠牛虎兔龙蛇马羊猴鸡狗猪"
ZODIAC_YEAR = re.compile(f"(?<![\\u4e00-\\u9fff])([{ZODIAC}])年")  # not 上马年产…

# Pinyin added after some traditional characters on portal pages, as the reposting site
# of seed 000 does (衡陽(yáng), 經(jīng)濟).
PINYIN_NOTES = {
    "陽": "yáng",
    "經": "jīng",
    "發": "fā",
    "會": "huì",
    "態": "tài",
    "產": "chǎn",
    "區": "qū",
    "導": "dǎo",
    "實": "shí",
    "調": "diào",
}
PINYIN_NOTE = re.compile(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


@dataclass(frozen=True)
class Story:
    """One article (or untitled fragment) cut from a seed, possibly varied."""

    key: str  # 001.2: seed 001, third piece on the page
    seed: str
    title: str | None  # None: a fragment continued from another page
    paragraphs: tuple[str, ...]
    published: datetime
    outlet: str
    pretitle: str | None = None  # 引题
    subtitle: str | None = None  # 副题
    traditional: bool = False
    continued: bool = False
    year_shift: int = 0

    @property
    def fragment(self) -> bool:
        """True for an untitled tail of an article printed on another page."""
        return self.title is None


@dataclass(frozen=True)
class SitePage:
    """One servable page: bytes as served plus the validators of a real server."""

    path: str
    body: bytes
    charset_header: str | None  # what the Content-Type header claims (None: no charset)
    last_modified: float  # Unix time
    content_type: str = "text/html"

    @property
    def etag(self) -> str:
        """A strong ETag from the content."""
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass(frozen=True)
class Entry:
    """An article page of one of the sites, with when it appears."""

    site: str  # gov | epaper | portal
    path: str
    title: str
    published: datetime
    page: SitePage
    stories: tuple[Story, ...] = ()
    group: str = ""  # e-paper: the issue (YYYY-MM-DD) it belongs to


# -- cutting the seeds -----------------------------------------------------------------


def seed_text(seed: str, seeds_dir: Path = SEEDS_DIR) -> str:
    """The raw text of seed ``seed`` (000 ... 004)."""
    return next(seeds_dir.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")


def _lines(text: str) -> list[str]:
    """Non-empty, stripped lines with scrape artefacts removed."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        for pattern, repl in MARKDOWN:
            line = pattern.sub(repl, line).strip()
        if line:
            out.append(LEAD_TIDY.sub(r"\1\2", line))
    return out


def _published(cut: SeedCut) -> datetime:
    """The seed's publication time, Beijing time."""
    fmt = "%Y-%m-%d %H:%M:%S" if cut.published.count(":") == 2 else "%Y-%m-%d %H:%M"
    return datetime.strptime(cut.published, fmt).replace(tzinfo=BEIJING)


def cut_single(cut: SeedCut, lines: list[str]) -> list[Story]:
    """A one-article seed: from its headline to the first chrome line."""
    start = lines.index(cut.title)
    body = []
    for line in lines[start + 1 :]:
        if cut.end and line.startswith(cut.end):
            break
        if line != cut.title and not any(p.search(line) for p in SKIP_LINES):
            body.append(line)
    return [
        Story(
            f"{cut.seed}.0",
            cut.seed,
            cut.title,
            tuple(body),
            _published(cut),
            cut.outlet,
            traditional=cut.traditional,
            continued=cut.continued,
        )
    ]


def _is_headline(line: str) -> bool:
    """A short line without closing punctuation: part of a headline block."""
    return len(line) <= HEADLINE_MAX_CHARS and not line.endswith(("。", "”", "!", "?", ":", ";"))


def _article_starts(lines: list[str], cut: SeedCut) -> list[tuple[int, int]]:
    """(first headline line, lead line) of every article on an e-paper page."""
    leads = [i for i, line in enumerate(lines) if LEAD.match(line)]
    blocks, floor = [], 0
    for lead in leads:
        start = lead
        while (
            start - 1 >= floor
            and _is_headline(lines[start - 1])
            and not lines[start - 1].startswith(cut.fragment_starts or ("\0",))
        ):
            start -= 1
        blocks.append((start, lead))
        floor = lead + 1
    return blocks


def _headline_parts(lines: list[str]) -> tuple[str | None, str, str | None]:
    """(pretitle, title, subtitle) of a headline block: 引题 ends with ——."""
    pretitle = lines[0] if len(lines) > 1 and lines[0].endswith("——") else None
    rest = lines[1:] if pretitle else lines
    return pretitle, rest[0], " ".join(rest[1:]) or None


def cut_epaper(cut: SeedCut, lines: list[str]) -> list[Story]:
    """An e-paper page: articles found by their lead paragraphs, fragments by the table."""
    articles = {start: lead for start, lead in _article_starts(lines, cut)}
    fragments = [i for i, line in enumerate(lines) if cut.fragment_starts and line.startswith(cut.fragment_starts)]
    bounds = sorted(set(articles) | set(fragments)) + [len(lines)]
    stories = []
    for n, (begin, end) in enumerate(zip(bounds, bounds[1:])):
        key, when = f"{cut.seed}.{n}", _published(cut)
        if begin in articles:
            pre, title, sub = _headline_parts(lines[begin : articles[begin]])
            body = tuple(lines[articles[begin] : end])
            stories.append(Story(key, cut.seed, title, body, when, cut.outlet, pre, sub))
        else:
            stories.append(Story(key, cut.seed, None, tuple(lines[begin:end]), when, cut.outlet))
    return stories


def load_stories(seeds_dir: Path = SEEDS_DIR) -> list[Story]:
    """Every story of every seed, in seed order."""
    stories = []
    for cut in SEED_CUTS:
        lines = _lines(seed_text(cut.seed, seeds_dir))
        stories += cut_single(cut, lines) if cut.layout == "single" else cut_epaper(cut, lines)
    return stories


# -- variants ----------------------------------------------------------------------------


def _scale(match: re.Match, factor: float) -> str:
    """An amount times ``factor``, with the decimals it had."""
    text = match.group(1)
    decimals = len(text.split(".")[1]) if "." in text else 0
    value = float(text) * factor
    return f"{value:.{decimals}f}" if decimals else str(max(1, round(value)))


def shift_text(text: str, years: int) -> str:
    """The text as it would read ``years`` years earlier: years moved, figures scaled."""
    if years == 0:
        return text
    factor = 1 - FACTOR_PER_YEAR * years
    text = YEAR.sub(lambda m: str(int(m.group(0)) - years), text)
    text = ZODIAC_YEAR.sub(lambda m: ZODIAC[(ZODIAC.index(m.group(1)) - years) % 12] + "年", text)
    return AMOUNT.sub(lambda m: _scale(m, factor), text)


def vary(story: Story, years: int) -> Story:
    """The story ``years`` years earlier (0: the seed as it is)."""
    if years == 0:
        return story
    shift = lambda s: shift_text(s, years) if s else s  # noqa: E731 - a one-line rule applied to every field
    when = story.published.replace(year=story.published.year - years)
    return replace(
        story,
        title=shift(story.title),
        pretitle=shift(story.pretitle),
        subtitle=shift(story.subtitle),
        paragraphs=tuple(shift(p) for p in story.paragraphs),
        published=when,
        year_shift=years,
    )


@lru_cache(maxsize=2)
def _opencc(config: str):
    import opencc  # only the traditional variants need it

    return opencc.OpenCC(config)


def simplified(story: Story) -> Story:
    """A traditional story in simplified characters without pinyin (for the CMS and e-paper)."""
    if not story.traditional:
        return story
    conv = lambda s: _opencc("t2s").convert(PINYIN_NOTE.sub("", s)) if s else s  # noqa: E731
    return replace(
        story, title=conv(story.title), paragraphs=tuple(conv(p) for p in story.paragraphs), traditional=False
    )


def annotate_pinyin(text: str) -> str:
    """Pinyin in brackets after some characters, as seed 000 has it: 衡陽(yáng)."""
    return "".join(f"{ch}({PINYIN_NOTES[ch]})" if ch in PINYIN_NOTES else ch for ch in text)


def traditional(story: Story) -> Story:
    """A simplified story in traditional characters with pinyin notes (for the portal)."""
    if story.traditional:
        return story
    conv = lambda s: annotate_pinyin(_opencc("s2t").convert(s)) if s else s  # noqa: E731
    return replace(
        story,
        title=conv(story.title),
        paragraphs=tuple(conv(p) for p in story.paragraphs),
        outlet=conv(story.outlet),
        traditional=True,
    )


def story_id(*parts: object) -> int:
    """A stable 7-digit id for URLs."""
    return 1_000_000 + zlib.crc32(":".join(map(str, parts)).encode("utf-8")) % 9_000_000


# -- rendering ---------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _template(name: str) -> Template:
    """A page template from demo/templates/."""
    return Template((TEMPLATES_DIR / f"{name}.html").read_text(encoding="utf-8"))


def _esc(text: str | None) -> str:
    """HTML-escaped text."""
    return html.escape(text or "", quote=True)


def _paragraphs(lines: tuple[str, ...] | list[str], cls: str = "") -> str:
    """Lines as <p> elements; captions (▲...) get their own class as CMSs do."""
    out = []
    for line in lines:
        klass = ' class="caption"' if line.startswith("▲") else (f' class="{cls}"' if cls else "")
        out.append(f"<p{klass}>{_esc(line)}</p>")
    return "\n".join(out)


def _timestamp(when: datetime) -> float:
    """Unix time of a Beijing datetime."""
    return when.timestamp()


PUBDATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")  # the three forms CMSs write


def gov_entry(story: Story, variant: int) -> Entry:
    """A story as a CMS article page."""
    column = "zwdt" if story.outlet == "衡阳市人民政府" else "mtjj"
    when = story.published
    path = f"/gov/xxgk/dtxx/{column}/{when:%Y%m%d}/i{story_id('gov', story.key, story.year_shift)}.html"
    heads = [h for h in (story.pretitle, story.subtitle) if h]
    body = _paragraphs(heads, "subtitle") + "\n" + _paragraphs(story.paragraphs)
    text = _template("gov_article").substitute(
        title=_esc(story.title),
        pubdate=when.strftime(PUBDATE_FORMATS[variant % 3]),
        source=_esc(story.outlet),
        column="政务动态" if column == "zwdt" else "媒体聚焦",
        paragraphs=body,
    )
    page = SitePage(path, text.encode("utf-8"), "utf-8", _timestamp(when))
    return Entry("gov", path, story.title, when, page, (story,))


def _byline_author(story: Story) -> str:
    """The reporter named in the story's first lines (红网时刻 记者 谭倩 → 记者 谭倩)."""
    for line in story.paragraphs[:3]:
        match = re.search(r"(记者|記者)\s*([\u4e00-\u9fff]{2,3})", line)
        if match:
            return f"{match.group(1)} {match.group(2)}"
    return ""


def portal_entry(story: Story, recommend: list[Entry]) -> Entry:
    """A story as a reposting portal's page, among ads, share bars and links to older pages."""
    when = story.published
    path = f"/portal/content/{when:%Y/%m/%d}/{story_id('portal', story.key, story.year_shift, story.traditional)}.html"
    links = "\n".join(f'<li><a href="{e.path}">{_esc(e.title)}</a></li>' for e in recommend)
    text = _template("portal_article").substitute(
        title=_esc(story.title),
        keywords="衡阳 会议 经济",
        pubdate=when.strftime("%Y-%m-%d %H:%M"),
        source=_esc(story.outlet),
        author=_esc(_byline_author(story)),
        paragraphs=_paragraphs(story.paragraphs),
        recommend=links,
    )
    page = SitePage(path, text.encode("utf-8"), "utf-8", _timestamp(when))
    return Entry("portal", path, story.title, when, page, (story,))


# How an e-paper page states its charset, by variant: both, only <meta>, only the header.
CHARSET_MODES = (("gbk", True), (None, True), ("gbk", False))
EPAPER_META = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


def _epaper_encode(text: str) -> bytes:
    """GBK bytes; characters GBK lacks become numeric references as real servers emit."""
    return text.encode("gbk", errors="xmlcharrefreplace")


def _epaper_article(story: Story) -> str:
    """One article of a content page in per-article markup."""
    parts = ['<div class="article">']
    if story.pretitle:
        parts.append(f"<founder-pretitle>{_esc(story.pretitle)}</founder-pretitle>")
    if story.title:
        parts.append(f"<founder-title>{_esc(story.title)}</founder-title>")
    if story.subtitle:
        parts.append(f"<founder-subtitle>{_esc(story.subtitle)}</founder-subtitle>")
    parts.append(f"<founder-content>\n{_paragraphs(story.paragraphs)}\n</founder-content></div>")
    return "\n".join(parts)


def _epaper_plain(story: Story) -> str:
    """One article in Founder's own markup without a container: a headline and a content block."""
    heads = "\n".join(
        f"<founder-{tag}>{_esc(text)}</founder-{tag}>"
        for tag, text in (("pretitle", story.pretitle), ("title", story.title), ("subtitle", story.subtitle))
        if text
    )
    return f"{heads}\n<founder-content>\n{_paragraphs(story.paragraphs)}\n</founder-content>"


def _epaper_flat(stories: tuple[Story, ...]) -> str:
    """All articles of a page as one run of paragraphs: the markup-less pages old issues have."""
    lines: list[str] = []
    for story in stories:
        lines += [h for h in (story.pretitle, story.title, story.subtitle) if h] + list(story.paragraphs)
    return _paragraphs(lines)


def _page_links(day: date, current: int) -> str:
    """The 版面导航 links of an issue."""
    names = ("第01版:要闻", "第02版:广告")
    on = ' class="on"'
    return " ".join(f'<a href="node_{n}.htm"{on if n == current else ""}>{name}</a>' for n, name in enumerate(names, 1))


def epaper_entry(stories: tuple[Story, ...], variant: int) -> Entry:
    """A content page of the e-paper carrying one or several articles."""
    day = stories[0].published.date()
    path = f"/epaper/html/{day:%Y-%m/%d}/content_1_{story_id('epaper', stories[0].key, stories[0].year_shift)}.htm"
    charset, with_meta = CHARSET_MODES[variant % 3]
    # Even variants put each article in a container; odd ones give a lone article Founder's
    # plain markup and run several articles together as text.
    if variant % 2 == 0:
        body = "\n".join(_epaper_article(s) for s in stories)
    else:
        body = _epaper_plain(stories[0]) if len(stories) == 1 else _epaper_flat(stories)
    title = next((s.title for s in stories if s.title), "")
    text = _template("epaper_content").substitute(
        charset_meta=EPAPER_META if with_meta else "",
        title=_esc(title),
        issue_date=f"{day:%Y年%m月%d日}",
        page_name="第01版:要闻",
        page_links=_page_links(day, 1),
        articles=body,
    )
    page = SitePage(path, _epaper_encode(text), charset, _timestamp(stories[0].published))
    return Entry("epaper", path, title, stories[0].published, page, stories, group=day.isoformat())


# -- the site ----------------------------------------------------------------------------


def build_entries(stories: list[Story], years: int = YEARS) -> list[Entry]:
    """Every article page of the three sites, in a stable order."""
    entries: list[Entry] = []
    by_seed: dict[str, list[Story]] = {}
    for story in stories:
        by_seed.setdefault(story.seed, []).append(story)
    for k in range(years):
        for i, (_seed, group) in enumerate(sorted(by_seed.items())):
            varied = [simplified(vary(s, k)) for s in group]
            entries.append(epaper_entry(tuple(varied), i + k))
            for j, story in enumerate(s for s in varied if not s.fragment):
                entries.append(gov_entry(story, i + j + k))
    return entries + _portal_entries(stories, years)


def _portal_entries(stories: list[Story], years: int) -> list[Entry]:
    """The portal's pages, oldest first so each can recommend older ones."""
    variants = []
    for k in range(years):
        for i, story in enumerate(s for s in stories if not s.fragment):
            varied = vary(story, k)
            # Seed 000 is traditional already; every third other variant is made so.
            variants.append(traditional(varied) if (i + k) % 3 == 0 else simplified(varied))
    variants.sort(key=lambda s: (s.published, s.key))
    entries: list[Entry] = []
    for story in variants:
        entries.append(portal_entry(story, entries[-3:][::-1]))
    return entries


@dataclass
class DemoSite:
    """All pages of the demo site, with a switch for how much of it is published yet."""

    seeds_dir: Path = SEEDS_DIR
    years: int = YEARS
    until: date | None = None
    entries: list[Entry] = field(init=False)

    def __post_init__(self) -> None:
        self.entries = build_entries(load_stories(self.seeds_dir), self.years)
        self._lock = threading.Lock()
        self._pages: dict[str, SitePage] = {}
        self.publish_until(self.until)

    # -- publishing ---------------------------------------------------------------------
    def publish_until(self, day: date | None) -> None:
        """Show only what was published on or before ``day`` (None: everything)."""
        pages = _render(self, [e for e in self.entries if day is None or e.published.date() <= day])
        with self._lock:
            self.until, self._pages = day, pages

    def publish_all(self) -> None:
        """Show every page."""
        self.publish_until(None)

    def visible(self, site: str | None = None) -> list[Entry]:
        """Published article entries (of one site), newest first."""
        with self._lock:
            shown = set(self._pages)
        chosen = [e for e in self.entries if e.path in shown and (site is None or e.site == site)]
        return sorted(chosen, key=lambda e: (e.published, e.path), reverse=True)

    def dates(self, site: str) -> list[date]:
        """Publication dates of a site's articles, all of them, oldest first."""
        return sorted({e.published.date() for e in self.entries if e.site == site})

    # -- serving ------------------------------------------------------------------------
    def page(self, path: str) -> SitePage | None:
        """The page at ``path`` if published, else None."""
        with self._lock:
            return self._pages.get(path)

    def paths(self) -> list[str]:
        """Every published path."""
        with self._lock:
            return sorted(self._pages)


def _render(site: DemoSite, shown: list[Entry]) -> dict[str, SitePage]:
    """Article pages plus list pages, robots.txt and the home page for the shown entries."""
    pages = {e.path: e.page for e in shown}
    newest = lambda es: sorted(es, key=lambda e: (e.published, e.path), reverse=True)  # noqa: E731
    for builder in (_gov_lists, _portal_lists, _epaper_lists):
        pages.update(builder(newest([e for e in shown if e.path.startswith(builder.prefix)])))
    pages["/robots.txt"] = SitePage("/robots.txt", ROBOTS_TXT.encode("ascii"), "utf-8", 0.0, "text/plain")
    pages["/"] = _home(shown)
    return pages


def _chunks(items: list, size: int) -> list[list]:
    """``items`` in pages of ``size`` (at least one, possibly empty, page)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _latest(entries: list[Entry]) -> float:
    """Last-Modified of a list page: its newest item."""
    return max((e.page.last_modified for e in entries), default=0.0)


def _pager(urls: list[str], current: int) -> str:
    """首页 1 2 3 尾页 links as CMS list pages have them."""
    links = [f'<a href="{u}">{n}</a>' if n - 1 != current else f"<span>{n}</span>" for n, u in enumerate(urls, 1)]
    return f'<a href="{urls[0]}">首页</a> ' + " ".join(links) + f' <a href="{urls[-1]}">尾页</a>'


def _gov_internal(newest: Entry) -> str:
    """A link into the robots-disallowed internal column, on the first list page only."""
    day = newest.published
    path = f"{DISALLOWED_PREFIX}{day:%Y%m%d}/i1000001.html"
    return f'<li><a href="{path}" title="内部工作通知">内部工作通知</a><span>{day:%Y-%m-%d}</span></li>'


def _gov_lists(entries: list[Entry]) -> dict[str, SitePage]:
    """index.html, index_1.html ...: 12 links each, newest first."""
    chunks = _chunks(entries, GOV_PER_PAGE)
    urls = ["/gov/xxgk/dtxx/index.html"] + [f"/gov/xxgk/dtxx/index_{n}.html" for n in range(1, len(chunks))]
    pages = {}
    for n, chunk in enumerate(chunks):
        items = [
            f'<li><a href="{e.path}" title="{_esc(e.title)}">{_esc(e.title)}</a><span>{e.published:%Y-%m-%d}</span></li>'
            for e in chunk
        ]
        if n == 0 and chunk:
            items.insert(1, _gov_internal(chunk[0]))
        text = _template("gov_list").substitute(items="\n".join(items), pages=len(chunks), pager=_pager(urls, n))
        pages[urls[n]] = SitePage(urls[n], text.encode("utf-8"), "utf-8", _latest(chunk))
    if entries:
        pages.update(_gov_internal_page(entries[0]))
    return pages


_gov_lists.prefix = "/gov/"


def _gov_internal_page(newest: Entry) -> dict[str, SitePage]:
    """The disallowed page itself: it exists, but robots.txt asks crawlers to keep out."""
    path = f"{DISALLOWED_PREFIX}{newest.published:%Y%m%d}/i1000001.html"
    text = "<html><head><meta charset='utf-8'><title>内部工作通知</title></head><body><p>内部资料</p></body></html>"
    return {path: SitePage(path, text.encode("utf-8"), "utf-8", newest.page.last_modified)}


def _portal_lists(entries: list[Entry]) -> dict[str, SitePage]:
    """channel/index.html, index_2.html ...: the portal numbers its second page 2."""
    chunks = _chunks(entries, PORTAL_PER_PAGE)
    urls = ["/portal/channel/index.html"] + [f"/portal/channel/index_{n}.html" for n in range(2, len(chunks) + 1)]
    hot = "".join(f'<li><a href="/portal/ad/{n}">热门活动 {n}</a></li>' for n in range(1, 4))
    pages = {}
    for n, chunk in enumerate(chunks):
        items = "\n".join(
            f'<li><a href="{e.path}">{_esc(e.title)}</a><span class="time">{e.published:%Y-%m-%d}</span></li>'
            for e in chunk
        )
        text = _template("portal_list").substitute(items=items, hot=hot, pager=_pager(urls, n))
        pages[urls[n]] = SitePage(urls[n], text.encode("utf-8"), "utf-8", _latest(chunk))
    return pages


_portal_lists.prefix = "/portal/"


def _epaper_lists(entries: list[Entry]) -> dict[str, SitePage]:
    """Each issue's layout pages, and the 往期回顾 archive pages listing them."""
    issues: dict[str, list[Entry]] = {}
    for entry in entries:
        issues.setdefault(entry.group, []).append(entry)
    pages: dict[str, SitePage] = {}
    for day, items in issues.items():
        pages.update(_epaper_layouts(date.fromisoformat(day), items))
    chunks = _chunks(list(issues.items()), EPAPER_ISSUES_PER_PAGE)
    urls = ["/epaper/html/index.htm"] + [f"/epaper/html/index_{n}.htm" for n in range(1, len(chunks))]
    for n, chunk in enumerate(chunks):
        rows = [
            f'<p>{d}: <a href="{date.fromisoformat(d):%Y-%m/%d}/node_1.htm">第01版:要闻</a> '
            f'<a href="{date.fromisoformat(d):%Y-%m/%d}/node_2.htm">第02版:广告</a></p>'
            for d, _ in chunk
        ]
        text = _template("epaper_index").substitute(
            charset_meta=EPAPER_META, issues="\n".join(rows), pager=_pager([u.rsplit("/", 1)[1] for u in urls], n)
        )
        latest = _latest([e for _, es in chunk for e in es])
        pages[urls[n]] = SitePage(urls[n], _epaper_encode(text), "gbk", latest)
    return pages


_epaper_lists.prefix = "/epaper/"


def _epaper_layouts(day: date, items: list[Entry]) -> dict[str, SitePage]:
    """node_1.htm lists the issue's content pages; node_2.htm is an advertising page."""
    pages = {}
    for node, chosen in ((1, items), (2, [])):
        path = f"/epaper/html/{day:%Y-%m/%d}/node_{node}.htm"
        rows = "\n".join(f'<li><a href="{e.path.rsplit("/", 1)[1]}">{_esc(e.title)}</a></li>' for e in chosen)
        text = _template("epaper_layout").substitute(
            charset_meta=EPAPER_META,
            issue_date=f"{day:%Y年%m月%d日}",
            page_name=("第01版:要闻", "第02版:广告")[node - 1],
            page_links=_page_links(day, node),
            node=node,
            items=rows,
        )
        pages[path] = SitePage(path, _epaper_encode(text), "gbk", _latest(items))
    return pages


def _home(shown: list[Entry]) -> SitePage:
    """The server's home page: the three sites."""
    text = (
        "<html><head><meta charset='utf-8'><title>演示站点</title></head><body><ul>"
        "<li><a href='/gov/xxgk/dtxx/index.html'>政府门户网站</a></li>"
        "<li><a href='/epaper/html/index.htm'>晚报数字报</a></li>"
        "<li><a href='/portal/channel/index.html'>转载门户</a></li></ul>"
        f"<p>{len(shown)} articles published</p></body></html>"
    )
    return SitePage("/", text.encode("utf-8"), "utf-8", _latest(shown))
