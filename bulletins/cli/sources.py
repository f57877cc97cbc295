"""The source subcommands: ``check-source``, ``parse-page``, ``add-source`` (bulletins.crawl).

check-source exits 0 when every selector found something, 1 when one found nothing, 2 when
the source file is invalid or a page could not be fetched; parse-page 0, or 2 when the file
or the source cannot be read; add-source 0 file written, 1 no article links found, 2 the list
page could not be fetched, the name is taken (without --force) or the draft did not validate.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any, Callable, TextIO

from bulletins.cli.common import USAGE_ERROR

ARTICLES_TRIED = 3  # add-source: article pages fetched to learn from
# add-source's exit code per outcome (bulletins.crawl.add_source.OUTCOMES): 0 written, 1 no
# article links found, 2 the name is taken, the list page could not be fetched, the draft is invalid.
CHECK_FETCH_FAILED, CHECK_SELECTOR_MISSED = 2, 1  # check-source: a page not fetched; a selector found nothing
ADD_SOURCE_EXIT = {"written": 0, "no_links": 1, "exists": 2, "unreachable": 2, "invalid": 2}
SOURCE_NAME = re.compile(r"[a-z][a-z0-9_]*")  # sources/NAME.yaml: lower_snake_case


def add_check_source(sub: argparse._SubParsersAction) -> None:
    """``check-source NAME [--base-url URL]``."""
    p = sub.add_parser("check-source", help="fetch one list page and one article; show what each selector found")
    p.add_argument("name", help="source name (sources/NAME.yaml)")
    p.add_argument("--base-url", help="fetch from this base URL instead of the configured one")
    p.set_defaults(func=lambda args: check_source(args.name, args.base_url))


def add_parse_page(sub: argparse._SubParsersAction) -> None:
    """``parse-page FILE [--url URL] [--source NAME] [--json]``."""
    p = sub.add_parser("parse-page", help="parse one saved page as the crawl would; print title, date, body")
    p.add_argument("file", help="the page's bytes as saved (any charset)")
    p.add_argument("--url", help="the page's URL (its date may be in it)")
    p.add_argument("--source", help="read with this source's selectors (default: generic extraction)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=lambda args: parse_page(args.file, args.url, args.source, args.json))


def add_add_source(sub: argparse._SubParsersAction) -> None:
    """``add-source NAME LIST_URL [--articles N] [--force]``."""
    p = sub.add_parser("add-source", help="draft sources/NAME.yaml (disabled) from a site's list page")
    p.add_argument("name", help="source name, lower_snake_case")
    p.add_argument("list_url", help="the list page of the site's articles")
    p.add_argument(
        "--articles", type=int, default=ARTICLES_TRIED, help="article pages fetched to learn from (default 3)"
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing sources/NAME.yaml")
    p.set_defaults(func=lambda args: add_source(args.name, args.list_url, args.articles, args.force))


def source_fetcher(config: Any) -> Any:
    """The polite fetcher of a source, archiving nothing (a check or a survey is not a crawl)."""
    from bulletins.crawl.fetcher import PoliteFetcher

    return PoliteFetcher(config, None)


def check_source(
    name: str,
    base_url: str | None = None,
    out: TextIO | None = None,
    make_fetcher: Callable[[Any], Any] = source_fetcher,
) -> int:
    """Fetch one list page and one article of the source; print every selector's findings; exit 0, 1 or 2."""
    from bulletins.crawl.check import check_source as check
    from bulletins.crawl.sources import SourceConfigError, load_source

    out = out or sys.stdout
    try:
        config = load_source(name, base_url=base_url)
    except SourceConfigError as exc:
        print(f"check-source: {exc}", file=out)
        return USAGE_ERROR
    fetcher = make_fetcher(config)
    try:
        report = check(config, fetcher)
    finally:
        getattr(fetcher, "close", lambda: None)()
    print("\n".join(report.lines), file=out)
    if report.fetch_error:
        print(f"ERROR: {report.fetch_error}", file=out)
    for failure in report.failures:
        print(f"FAIL: {failure}: fix that key in {config.path or config.name}", file=out)
    if report.ok:
        print(f"OK: every required selector of {config.name} found something", file=out)
    return CHECK_FETCH_FAILED if report.fetch_error else (CHECK_SELECTOR_MISSED if report.failures else 0)


def parse_page(
    file: str, url: str | None = None, source: str | None = None, as_json: bool = False, out: TextIO | None = None
) -> int:
    """The crawl's parse of one saved page: one JSON object, or title, date and body as text."""
    from bulletins.crawl.check import generic_config, page_json
    from bulletins.crawl.parse import parse_page as parse
    from bulletins.crawl.sources import SourceConfigError, load_source

    out = out or sys.stdout
    try:
        with open(file, "rb") as handle:
            raw = handle.read()
        config = load_source(source) if source else generic_config(url or "")
    except (OSError, SourceConfigError) as exc:
        print(f"parse-page: {exc}", file=sys.stderr)
        return USAGE_ERROR
    data = page_json(parse(raw, url or "", config))
    if as_json:
        print(json.dumps(data, ensure_ascii=False), file=out)
    else:
        print(
            f"title: {data['title']}\npublished: {data['published']}\nextracted by: {data['extracted_by']}\n"
            f"encoding: {data['encoding']}\n\n{data['body']}",
            file=out,
        )
    return 0


def add_source(
    name: str,
    list_url: str,
    articles: int = ARTICLES_TRIED,
    force: bool = False,
    out: TextIO | None = None,
    make_fetcher: Callable[[Any], Any] = source_fetcher,
) -> int:
    """Survey the site, write sources/NAME.yaml (disabled) and print it; exit 0, 1 or 2."""
    from bulletins.crawl.add_source import add_source as draft
    from bulletins.crawl.check import generic_config

    out = out or sys.stdout
    if not SOURCE_NAME.fullmatch(name):
        print(f"add-source: {name!r} must be lower_snake_case", file=out)
        return USAGE_ERROR
    fetcher = make_fetcher(generic_config(list_url, name))
    try:
        drafted = draft(name, list_url, fetcher, force=force, tries=articles)
    finally:
        getattr(fetcher, "close", lambda: None)()
    print(drafted.text, file=out)
    if drafted.path is not None:
        print(f"wrote {drafted.path} (enabled: false)", file=out)
    return ADD_SOURCE_EXIT[drafted.outcome]
