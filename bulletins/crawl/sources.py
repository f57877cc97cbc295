"""Per-site source configuration: sources/NAME.yaml read into a validated SourceConfig.

A site is described declaratively: where its list pages are (numbered pagination, or an
e-paper's dated layout pages), which links on them are articles, and where an article's
title, date, byline, outlet and body sit (with the e-paper split of a page into several
articles). Everything is checked on load; a bad file raises SourceConfigError naming the
file, the line and the key, e.g. ``demo_gov.yaml:41: article.published[1].format: ...``.
``load_sources_checked`` returns the good sources and the errors of the bad files, so
that one broken file does not stop the daily crawl of the others.

Relative URLs and URL templates in a file resolve against its ``base_url``; a
``base_url`` override (tests, the demo flow) moves the whole site to another server.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import soupsieve
import yaml

from bulletins.crawl import urls
from bulletins.settings import sources_dir

DEFAULT_TIMEZONE = "Asia/Shanghai"
# Date formats tried on a meta tag or a selector's text when the file names none, most
# precise first: PubDate comes as "2025-12-31 22:17:53", "2023-07-28 10:12" or "2022-02-08".
DEFAULT_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日")
# "css selector::attr(name)" reads an attribute instead of the element's text.
_ATTR_SUFFIX = re.compile(r"^(?P<css>.*?)::attr\((?P<attr>[\w:-]+)\)$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# New article links fetched per run at most; the rest stay pending in ``links`` and are
# fetched by the next runs, oldest first. A list page with 100,000 links would otherwise
# mean 28 hours of fetching at one request a second, with nothing loaded until the end.
DEFAULT_MAX_NEW_LINKS = 200
# Bounds that keep a typo from becoming a hostile act or a stalled run.
MAX_RETRIES = 10


class SourceConfigError(ValueError):
    """A source file that cannot be used, with the file, line and key at fault in the message."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.path, self.line, self.key = path, line, key


@dataclass(frozen=True)
class Selector:
    """A CSS selector, optionally reading one attribute: ``meta[name=PubDate]::attr(content)``."""

    css: str
    attr: str | None = None

    def __str__(self) -> str:
        return f"{self.css}::attr({self.attr})" if self.attr else self.css


@dataclass(frozen=True)
class Politeness:
    """A site's overrides of the fetcher's manners; None keeps the default.

    The defaults, with why each is what it is, live in bulletins/crawl/politeness.py;
    ``Politeness.for_source`` there overlays these fields on them.
    """

    requests_per_second: float | None = None  # per host
    concurrency: int | None = None  # simultaneous requests per host
    timeout: float | None = None  # seconds to wait for any byte
    deadline: float | None = None  # seconds for a whole request: connect + headers + body
    max_bytes: int | None = None  # larger bodies are abandoned (too_large)
    retries: int | None = None  # on 429 / 5xx / dropped connections only
    user_agent: str | None = None
    obey_robots: bool | None = None


@dataclass(frozen=True)
class Layout:
    """An e-paper's dated layout pages: ``html/{yyyy}-{mm}/{dd}/node_{n}.htm``, n = 1..pages."""

    template: str  # absolute after load; fields {yyyy} {mm} {dd} {n}
    pages: int = 8  # highest page (版) number tried per issue
    lookback_days: int = 3  # issues visited on a date-driven crawl: today and the days before

    def urls(self, day: date) -> list[str]:
        """The layout page URLs of the issue of ``day``, page 1 first."""
        fields = {"yyyy": f"{day.year:04d}", "mm": f"{day.month:02d}", "dd": f"{day.day:02d}"}
        return [self.template.format(n=n, **fields) for n in range(1, self.pages + 1)]


@dataclass(frozen=True)
class ListPages:
    """Where discovery reads links: start pages, then numbered pages, newest first."""

    start_urls: tuple[str, ...]
    pagination: str | None = None  # absolute template with {n}: .../index_{n}.html
    first_page: int = 1  # the n of the first numbered page (index_1 follows index)
    max_pages: int = 10  # numbered pages read at most, per crawl
    follow: re.Pattern | None = None  # links on a list page that are list pages too (layout pages)
    layout: Layout | None = None
    max_new_links: int = DEFAULT_MAX_NEW_LINKS  # links never fetched, fetched per run at most

    def page_urls(self) -> Iterator[str]:
        """Start pages, then numbered pages up to max_pages, in reading order."""
        yield from self.start_urls
        if self.pagination:
            for n in range(self.first_page, self.first_page + self.max_pages):
                yield self.pagination.format(n=n)


@dataclass(frozen=True)
class Links:
    """Which anchors on a list page are article links."""

    selector: Selector
    href_pattern: re.Pattern | None = None  # searched in the absolute URL
    # Query parameters dropped before a URL becomes a key (a trailing * is a prefix);
    # the default list, with why each is there, is bulletins.crawl.urls.IGNORED_PARAMS.
    ignore_params: tuple[str, ...] = urls.IGNORED_PARAMS

    def canonical(self, url: str) -> str | None:
        """The canonical spelling of a link (its key), or None for a URL never followed."""
        return urls.try_canonical(url, self.ignore_params)

    def accepts(self, url: str) -> bool:
        """True when ``url`` is an article URL of this site."""
        return self.href_pattern is None or bool(self.href_pattern.search(url))


@dataclass(frozen=True)
class DateRule:
    """One way to find the publication date, tried in the order the file lists them.

    Exactly one of meta (a <meta name=...> tag), selector (an element's text or attribute)
    or url (a regex on the URL) is set; ``pattern`` picks the date out of longer text and
    ``formats`` are strptime formats (a format with %H gives a time too).
    """

    kind: str  # meta | selector | url
    target: str | Selector | re.Pattern
    formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    pattern: re.Pattern | None = None

    def describe(self) -> str:
        """A short text for check-source: ``meta PubDate``, ``url /(\\d{8})/``."""
        target = self.target.pattern if isinstance(self.target, re.Pattern) else self.target
        return f"{self.kind} {target}"


@dataclass(frozen=True)
class Split:
    """The e-paper split of one page into articles by markup.

    ``container`` selects one element per article; inside it ``title``, ``pretitle``,
    ``subtitle``, ``lead`` and ``body`` are relative selectors. A container without a
    title is a fragment (the tail of an article continued from another page). When no
    container is found and ``fallback`` is on, the page text is split by its headlines.
    """

    container: Selector
    title: Selector
    body: Selector
    pretitle: Selector | None = None
    subtitle: Selector | None = None
    lead: Selector | None = None
    fallback: bool = True


@dataclass(frozen=True)
class ArticleRules:
    """Where an article page keeps its parts; lists are tried in order, first hit wins.

    A part with no selectors (title, published, body) is read by generic extraction
    (bulletins.crawl.generic); a source without any is read wholly so.
    """

    title: tuple[Selector, ...] = ()
    published: tuple[DateRule, ...] = ()
    body: tuple[Selector, ...] = ()
    byline: tuple[Selector, ...] = ()
    outlet: tuple[Selector, ...] = ()
    default_outlet: str | None = None
    drop: tuple[Selector, ...] = ()  # removed before reading the body: share bars, ads
    # "#id" or ".class": build only these elements and the <title>/<meta> tags, in one
    # parse (bulletins.crawl.parse.PageDoc). Building the tree is most of parsing: the
    # demo gov and portal pages parse in about two thirds of the time; a page whose
    # region is most of it (the e-paper's #ozoom) gains nothing.
    region: str | None = None
    split: Split | None = None


@dataclass(frozen=True)
class Schedule:
    """When the daily crawl runs this source (cron in the site's own time zone)."""

    cron: str = "0 7 * * *"
    timezone: str = DEFAULT_TIMEZONE


@dataclass(frozen=True)
class SourceConfig:
    """One site, validated; URLs absolute. Built by load_source, never by hand in the pipeline."""

    name: str
    title: str
    enabled: bool
    base_url: str
    list: ListPages
    links: Links
    article: ArticleRules
    allowed_hosts: tuple[str, ...]
    politeness: Politeness = field(default_factory=Politeness)
    encoding: str | None = None  # a hint when neither the header nor the page says
    schedule: Schedule = field(default_factory=Schedule)
    place: str | None = None  # the administrative area its 全市/我市 mean (长沙市), checked
    # against the division table; None: each page's text tells
    path: Path | None = None

    def resolve(self, url: str) -> str:
        """``url`` made absolute against the site's base URL."""
        return urljoin(self.base_url, url)

    def host_allowed(self, url: str) -> bool:
        """True when ``url`` parses strictly and points at one of the site's allowed hosts (and port)."""
        try:
            return urls.admitted(urls.parse(url), _host_rules(self.allowed_hosts))
        except urls.UrlRejected:
            return False

    def is_article_url(self, url: str) -> bool:
        """True when ``url`` is on an allowed host and matches the article link pattern."""
        return self.host_allowed(url) and self.links.accepts(url)

    def is_list_url(self, url: str) -> bool:
        """True when ``url`` is a list page to follow from another list page (e-paper layout)."""
        follow = self.list.follow
        return self.host_allowed(url) and follow is not None and bool(follow.search(url))


# -- loading -----------------------------------------------------------------------------


def source_path(name: str) -> Path:
    """The YAML file of source ``name``."""
    return sources_dir() / f"{name}.yaml"


def load_source(name: str, base_url: str | None = None) -> SourceConfig:
    """Read and validate sources/NAME.yaml; ``base_url`` moves the site to another server.

    An override that is a bare origin (``http://127.0.0.1:8765``) keeps the configured
    path (``/gov/``); one with a path replaces the base URL whole. Either way the new
    host replaces the old one in allowed_hosts.
    """
    path = source_path(name)
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in sources_dir().glob("*.yaml"))) or "none"
        raise SourceConfigError(f"{path}: no such source file (sources known: {known})")
    return load_source_file(path, base_url)


def load_sources(enabled_only: bool = True) -> list[SourceConfig]:
    """Every source in the sources folder, sorted by name; only enabled ones by default."""
    configs = [load_source_file(p) for p in sorted(sources_dir().glob("*.yaml"))]
    return [c for c in configs if c.enabled or not enabled_only]


def load_sources_checked(enabled_only: bool = True) -> tuple[list[SourceConfig], list[SourceConfigError]]:
    """(the sources that load, the errors of the files that do not): one bad file stops nothing else."""
    configs: list[SourceConfig] = []
    errors: list[SourceConfigError] = []
    for path in sorted(sources_dir().glob("*.yaml")):
        try:
            config = load_source_file(path)
        except SourceConfigError as exc:
            errors.append(exc)
            continue
        if config.enabled or not enabled_only:
            configs.append(config)
    return configs, errors


def load_source_file(path: Path, base_url: str | None = None) -> SourceConfig:
    """Read and validate one YAML file; every problem is a SourceConfigError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        at = f" (line {line})" if line else ""
        raise SourceConfigError(f"{path.name}: not valid YAML{at}: {exc}", path, line) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceConfigError(f"{path.name}: cannot be read: {exc}", path) from exc
    try:
        return parse_source(raw, path.name, path.stem, base_url, path, root)
    except SourceConfigError:
        raise
    except Exception as exc:
        raise SourceConfigError(f"{path.name}: cannot be used: {type(exc).__name__}: {exc}", path) from exc


def parse_source(
    raw: Any,
    filename: str,
    stem: str | None = None,
    base_url: str | None = None,
    path: Path | None = None,
    root: yaml.Node | None = None,
) -> SourceConfig:
    """Validate the mapping read from a source file; errors name ``filename``, the line (given
    the composed YAML ``root``) and the key."""
    reader = _Reader(filename, root, path)
    reader.no_duplicate_keys(root)
    top = reader.mapping(raw, "")
    reader.known_keys(
        top,
        "",
        {
            "name",
            "title",
            "enabled",
            "base_url",
            "encoding",
            "allowed_hosts",
            "politeness",
            "schedule",
            "list",
            "links",
            "article",
            "place",
        },
    )
    name = reader.get(top, "name", str, "", required=True)
    if not _NAME.match(name):
        reader.fail("name", f"{name!r} must be lower_snake_case")
    if stem is not None and name != stem:
        reader.fail("name", f"{name!r} must match the file name {stem!r}")
    configured = reader.url(reader.get(top, "base_url", str, "", required=True), "base_url")
    base = _override_base(configured, base_url) if base_url else configured
    hosts = _allowed_hosts(reader, top, configured)
    config = SourceConfig(
        name=name,
        title=reader.get(top, "title", str, "", default=name),
        enabled=reader.get(top, "enabled", bool, "", default=True),
        base_url=base,
        list=_list_pages(reader, top, base),
        links=_links(reader, top),
        article=_article(reader, top),
        allowed_hosts=_moved_hosts(hosts, configured, base),
        politeness=_politeness(reader, top),
        encoding=_encoding(reader, top),
        schedule=_schedule(reader, top),
        place=_place(reader, top),
        path=path,
    )
    return config


def _host(url: str) -> str:
    """host[:port] of a URL in canonical form (default port dropped)."""
    return urls.parse(url).netloc


@lru_cache(maxsize=256)
def _host_rules(entries: tuple[str, ...]) -> tuple[urls.HostRule, ...]:
    """The parsed rules of a (validated) allowed_hosts tuple."""
    return urls.host_rules(entries)


def _allowed_hosts(reader: "_Reader", top: dict, configured: str) -> tuple[str, ...]:
    """``allowed_hosts``: host, host:port or *.host strings, each normalised (IDNA, lower case)."""
    entries = reader.get(top, "allowed_hosts", list, "", default=[_host(configured)])
    if not entries:
        reader.fail("allowed_hosts", "needs at least one host (leave the key out to allow base_url's host)")
    hosts = []
    for i, entry in enumerate(entries):
        key = f"allowed_hosts[{i}]"
        if not isinstance(entry, str):
            reader.fail(key, f"must be a host name, host:port or *.host, not {type(entry).__name__} ({entry!r})")
        try:
            rule = urls.host_rule(entry)
        except urls.UrlRejected as exc:
            reader.fail(key, str(exc))
        port = f":{rule.port}" if rule.port is not None else ""
        hosts.append(("*." if rule.subdomains else "") + rule.host + port)
    return tuple(hosts)


def _override_base(configured: str, override: str) -> str:
    """The base URL after an override: a bare origin keeps the configured path."""
    parts = urlsplit(override)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourceConfigError(f"base_url override {override!r} is not an http(s) URL")
    if parts.path in ("", "/"):
        return f"{parts.scheme}://{parts.netloc}{urlsplit(configured).path or '/'}"
    return override if override.endswith("/") else override + "/"


def _moved_hosts(hosts: tuple[str, ...], configured: str, base: str) -> tuple[str, ...]:
    """allowed_hosts with the configured base host swapped for the (possibly overridden) one."""
    old, new = _host(configured), _host(base)
    moved = tuple(new if h == old else h for h in hosts)
    return moved if new in moved else (new,) + moved


def _list_pages(reader: "_Reader", top: dict, base: str) -> ListPages:
    """The ``list`` section."""
    sec = reader.mapping(top.get("list"), "list", required=True)
    reader.known_keys(
        sec, "list", {"start_urls", "pagination", "first_page", "max_pages", "follow", "layout", "max_new_links"}
    )
    starts = reader.get(sec, "start_urls", list, "list", required=True)
    if not starts:
        reader.fail("list.start_urls", "needs at least one URL")
    pagination = reader.get(sec, "pagination", str, "list", default=None)
    if pagination is not None and "{n}" not in pagination:
        reader.fail("list.pagination", f"{pagination!r} has no {{n}} for the page number")
    return ListPages(
        start_urls=tuple(urljoin(base, str(u)) for u in starts),
        pagination=urljoin(base, pagination) if pagination else None,
        first_page=reader.get(sec, "first_page", int, "list", default=1),
        max_pages=reader.positive(sec, "max_pages", "list", default=10),
        follow=reader.regex(sec, "follow", "list"),
        layout=_layout(reader, sec, base),
        max_new_links=reader.positive(sec, "max_new_links", "list", default=DEFAULT_MAX_NEW_LINKS),
    )


def _layout(reader: "_Reader", sec: dict, base: str) -> Layout | None:
    """``list.layout``: the e-paper's dated layout pages."""
    if sec.get("layout") is None:
        return None
    lay = reader.mapping(sec["layout"], "list.layout")
    reader.known_keys(lay, "list.layout", {"template", "pages", "lookback_days"})
    template = reader.get(lay, "template", str, "list.layout", required=True)
    missing = [f for f in ("{yyyy}", "{mm}", "{dd}", "{n}") if f not in template]
    if missing:
        reader.fail("list.layout.template", f"{template!r} lacks {', '.join(missing)}")
    return Layout(
        urljoin(base, template),
        reader.positive(lay, "pages", "list.layout", default=8),
        reader.get(lay, "lookback_days", int, "list.layout", default=3),
    )


def _links(reader: "_Reader", top: dict) -> Links:
    """The ``links`` section."""
    sec = reader.mapping(top.get("links"), "links", required=True)
    reader.known_keys(sec, "links", {"selector", "href_pattern", "ignore_params"})
    return Links(
        reader.selector(sec, "selector", "links", required=True),
        reader.regex(sec, "href_pattern", "links"),
        _ignore_params(reader, sec),
    )


def _ignore_params(reader: "_Reader", sec: dict) -> tuple[str, ...]:
    """``links.ignore_params``: query parameter names (``utm_*`` a prefix); absent keeps the default list."""
    names = reader.get(sec, "ignore_params", list, "links", default=None)
    if names is None:
        return urls.IGNORED_PARAMS
    for i, name in enumerate(names):
        if not isinstance(name, str) or not re.fullmatch(r"[\w.\[\]-]+\*?", name):
            reader.fail(
                f"links.ignore_params[{i}]", f"{name!r} is not a query parameter name (a trailing * is a prefix)"
            )
    return tuple(names)


def _article(reader: "_Reader", top: dict) -> ArticleRules:
    """The ``article`` section."""
    sec = reader.mapping(top.get("article"), "article")  # absent or empty: generic extraction
    reader.known_keys(
        sec, "article", {"title", "published", "body", "byline", "outlet", "default_outlet", "drop", "region", "split"}
    )
    region = reader.get(sec, "region", str, "article", default=None)
    if region is not None and not re.fullmatch(r"[#.][\w-]+", region):
        reader.fail("article.region", f"{region!r} must be an element id like '#ozoom' or a class like '.main'")
    return ArticleRules(
        title=reader.selectors(sec, "title", "article"),
        published=_date_rules(reader, sec),
        body=reader.selectors(sec, "body", "article"),
        byline=reader.selectors(sec, "byline", "article"),
        outlet=reader.selectors(sec, "outlet", "article"),
        default_outlet=reader.get(sec, "default_outlet", str, "article", default=None),
        drop=reader.selectors(sec, "drop", "article"),
        region=region,
        split=_split(reader, sec),
    )


def _date_rules(reader: "_Reader", sec: dict) -> tuple[DateRule, ...]:
    """``article.published``: a list of rules, each a mapping with one of meta/selector/url (none: generic)."""
    items = reader.get(sec, "published", list, "article", default=[])
    return tuple(_date_rule(reader, item, f"article.published[{i}]") for i, item in enumerate(items))


def _date_rule(reader: "_Reader", item: Any, key: str) -> DateRule:
    """One date rule."""
    rule = reader.mapping(item, key)
    reader.known_keys(rule, key, {"meta", "selector", "url", "format", "formats", "pattern"})
    kinds = [k for k in ("meta", "selector", "url") if k in rule]
    if len(kinds) != 1:
        reader.fail(key, "needs exactly one of meta, selector or url")
    kind = kinds[0]
    if kind == "url":
        target = reader.regex(rule, "url", key)
        if target.groups < 1:
            reader.fail(f"{key}.url", "needs a (group) around the date")
    elif kind == "selector":
        target = reader.selector(rule, "selector", key, required=True)
    else:
        target = reader.get(rule, "meta", str, key, required=True)
    formats = rule.get("formats", [rule["format"]] if "format" in rule else list(DEFAULT_DATE_FORMATS))
    if not isinstance(formats, list) or not formats or not all(isinstance(f, str) and "%" in f for f in formats):
        reader.fail(f"{key}.format", f"{formats!r} must be strptime formats like '%Y-%m-%d'")
    return DateRule(kind, target, tuple(formats), reader.regex(rule, "pattern", key))


def _split(reader: "_Reader", sec: dict) -> Split | None:
    """``article.split``: per-article markup of e-paper pages."""
    if sec.get("split") is None:
        return None
    key = "article.split"
    spl = reader.mapping(sec["split"], key)
    reader.known_keys(spl, key, {"container", "title", "pretitle", "subtitle", "lead", "body", "fallback"})
    return Split(
        container=reader.selector(spl, "container", key, required=True),
        title=reader.selector(spl, "title", key, required=True),
        body=reader.selector(spl, "body", key, required=True),
        pretitle=reader.selector(spl, "pretitle", key),
        subtitle=reader.selector(spl, "subtitle", key),
        lead=reader.selector(spl, "lead", key),
        fallback=reader.get(spl, "fallback", bool, key, default=True),
    )


def _politeness(reader: "_Reader", top: dict) -> Politeness:
    """The ``politeness`` section; what it leaves out stays None (the fetcher's default)."""
    key = "politeness"
    sec = reader.mapping(top.get(key, {}), key)
    reader.known_keys(sec, key, set(Politeness.__dataclass_fields__))
    rps = reader.above_zero(sec, "requests_per_second", key)
    timeout = reader.above_zero(sec, "timeout", key)
    deadline = reader.above_zero(sec, "deadline", key)
    if timeout is not None and deadline is not None and deadline < timeout:
        reader.fail("politeness.deadline", f"{deadline} is shorter than the timeout {timeout}")
    retries = reader.get(sec, "retries", int, key)
    if retries is not None and not 0 <= retries <= MAX_RETRIES:
        reader.fail("politeness.retries", f"{retries} must be between 0 and {MAX_RETRIES}")
    return Politeness(
        requests_per_second=rps,
        concurrency=reader.positive(sec, "concurrency", key, default=None),
        timeout=timeout,
        deadline=deadline,
        max_bytes=reader.positive(sec, "max_bytes", key, default=None),
        retries=retries,
        user_agent=reader.get(sec, "user_agent", str, key),
        obey_robots=reader.get(sec, "obey_robots", bool, key),
    )


def _place(reader: "_Reader", top: dict) -> str | None:
    """The source's place, a division's full name (长沙市) or a qualified one (福州市鼓楼区)."""
    from bulletins.core.places import UnknownPlace, resolve_place

    name = reader.get(top, "place", str, "", default=None)
    if name is not None:
        try:
            resolve_place(name)
        except UnknownPlace as exc:
            reader.fail("place", str(exc))
    return name


def _encoding(reader: "_Reader", top: dict) -> str | None:
    """The encoding hint, checked against Python's codecs."""
    import codecs

    name = reader.get(top, "encoding", str, "", default=None)
    if name is not None:
        try:
            codecs.lookup(name)
        except LookupError:
            reader.fail("encoding", f"{name!r} is not a known encoding")
    return name


def _schedule(reader: "_Reader", top: dict) -> Schedule:
    """The ``schedule`` section: a five-field cron and an IANA time zone."""
    sec = reader.mapping(top.get("schedule", {}), "schedule")
    reader.known_keys(sec, "schedule", {"cron", "timezone"})
    cron = reader.get(sec, "cron", str, "schedule", default=Schedule.cron)
    if len(cron.split()) != 5:
        reader.fail("schedule.cron", f"{cron!r} must have five fields (minute hour day month weekday)")
    tz = reader.get(sec, "timezone", str, "schedule", default=DEFAULT_TIMEZONE)
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        reader.fail("schedule.timezone", f"{tz!r} is not an IANA time zone")
    return Schedule(cron, tz)


class _Reader:
    """Typed access to the raw mapping that turns every problem into a SourceConfigError."""

    def __init__(self, filename: str, root: yaml.Node | None = None, path: Path | None = None) -> None:
        self.filename, self.root, self.path = filename, root, path

    def fail(self, key: str, problem: str) -> None:
        """Raise the error naming the file, the line (when the YAML nodes are known) and the key."""
        line = _line_of(self.root, key)
        where = f"{self.filename}:{line}" if line else self.filename
        raise SourceConfigError(f"{where}: {key or '(top level)'}: {problem}", self.path, line, key or None)

    def no_duplicate_keys(self, node: yaml.Node | None, key: str = "") -> None:
        """A key given twice in one mapping: YAML keeps the last silently, which hides typos."""
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for k, v in node.value:
                name = str(k.value)
                if name in seen:
                    line = k.start_mark.line + 1
                    raise SourceConfigError(
                        f"{self.filename}:{line}: {_join(key, name)}: key given twice",
                        self.path,
                        line,
                        _join(key, name),
                    )
                seen.add(name)
                self.no_duplicate_keys(v, _join(key, name))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.no_duplicate_keys(item, f"{key}[{i}]")

    def above_zero(self, sec: dict, name: str, key: str) -> float | None:
        """A finite number above zero (seconds, rates), as a float; None when absent."""
        value = self.get(sec, name, (int, float), key)
        if value is not None and (not math.isfinite(value) or value <= 0):
            self.fail(_join(key, name), f"{value} must be above 0 (a finite number)")
        return None if value is None else float(value)

    def mapping(self, value: Any, key: str, required: bool = False) -> dict:
        """``value`` as a mapping (missing → {} unless required)."""
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.fail(key, "missing section" if value is None else f"must be a mapping, not {type(value).__name__}")
        return value

    def known_keys(self, sec: dict, key: str, allowed: set[str]) -> None:
        """Unknown keys are typos until proven otherwise."""
        for name in sec:
            if name not in allowed:
                self.fail(_join(key, str(name)), f"unknown key (known: {', '.join(sorted(allowed))})")

    def get(self, sec: dict, name: str, types: Any, key: str, required: bool = False, default: Any = None) -> Any:
        """``sec[name]`` checked against ``types``; bool is never taken for int."""
        full = _join(key, name)
        if sec.get(name) is None:
            if required:
                self.fail(full, "is required")
            return default
        value = sec[name]
        wanted = types if isinstance(types, tuple) else (types,)
        if not isinstance(value, wanted) or (isinstance(value, bool) and bool not in wanted):
            names = " or ".join(t.__name__ for t in wanted)
            self.fail(full, f"must be {names}, not {type(value).__name__} ({value!r})")
        return value

    def positive(self, sec: dict, name: str, key: str, default: int | None) -> int | None:
        """An integer above zero."""
        value = self.get(sec, name, int, key, default=default)
        if value is not None and value < 1:
            self.fail(_join(key, name), f"{value} must be 1 or more")
        return value

    def url(self, value: str, key: str) -> str:
        """An absolute http(s) URL, ending in / so relative paths resolve under it."""
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.fail(key, f"{value!r} is not an absolute http(s) URL")
        try:
            urls.parse(value)
        except urls.UrlRejected as exc:
            self.fail(key, str(exc))
        return value if value.endswith("/") else value + "/"

    def regex(self, sec: dict, name: str, key: str) -> re.Pattern | None:
        """A compiled regular expression, or None when absent."""
        text = self.get(sec, name, str, key, default=None)
        if text is None:
            return None
        try:
            return re.compile(text)
        except re.error as exc:
            self.fail(_join(key, name), f"bad regular expression {text!r}: {exc}")

    def selector(self, sec: dict, name: str, key: str, required: bool = False) -> Selector | None:
        """A CSS selector (with optional ::attr(name)), compiled once to check it."""
        text = self.get(sec, name, str, key, required=required)
        return None if text is None else self._selector(text, _join(key, name))

    def selectors(self, sec: dict, name: str, key: str, required: bool = False) -> tuple[Selector, ...]:
        """One selector or a list of them, tried in order."""
        value = self.get(sec, name, (str, list), key, required=required, default=[])
        items = [value] if isinstance(value, str) else value
        if required and not items:
            self.fail(_join(key, name), "needs at least one selector")
        return tuple(self._selector(str(v), f"{_join(key, name)}[{i}]") for i, v in enumerate(items))

    def _selector(self, text: str, key: str) -> Selector:
        """Parse ``css::attr(x)`` and check the CSS compiles."""
        match = _ATTR_SUFFIX.match(text.strip())
        css, attr = (match["css"].strip(), match["attr"]) if match else (text.strip(), None)
        try:
            soupsieve.compile(css)
        except Exception as exc:  # noqa: BLE001 - soupsieve raises SelectorSyntaxError and others
            self.fail(key, f"bad CSS selector {text!r}: {exc}")
        return Selector(css, attr)


def _join(key: str, name: str) -> str:
    """Dotted key path."""
    return f"{key}.{name}" if key else name


_KEY_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _line_of(root: yaml.Node | None, key: str) -> int | None:
    """The 1-based line of dotted ``key`` (``a.b[2].c``) in the composed YAML, or of its nearest parent."""
    if root is None:
        return None
    node, line = root, root.start_mark.line + 1
    for name, index in _KEY_PART.findall(key):
        found = None
        if name and isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if str(k.value) == name), None)
        elif index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            item = node.value[int(index)]
            found = (item, item)
        if found is None:
            break
        line, node = found[0].start_mark.line + 1, found[1]
    return line
