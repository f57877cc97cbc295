"""Data Docs that work offline: no asset from the network, the index's table written out.

GX's page templates load jQuery, Bootstrap, bootstrap-table, Font Awesome and Vega from CDNs
(``great_expectations/render/view/templates/*.j2``), and the package ships none of them; the
index page's list of validations is drawn by bootstrap-table from data in a script, so on
this offline machine the index showed an empty table. After each build, every page that was
written is rewritten here: tags that load a network asset go, scripts that need those
libraries go, and the index's data becomes a plain HTML table (newest run first, each row
linking to its validation page). GX's own stylesheet (``static/styles``) is local and stays.
"""

from __future__ import annotations

import ast
import glob
import re
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
# Inline scripts that only drive a library loaded from the network (nothing to run offline).
NEEDS_LIBRARY = re.compile(r"\$\(|jQuery|bootstrapTable|vegaEmbed|\bvega\b")
# Bootstrap's look for tables, in a few local lines (Bootstrap itself came from a CDN).
OFFLINE_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0 1em}table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #dee2e6;padding:.25em .5em;vertical-align:top}th{background:#f4f4f4}"
    ".text-success{color:#28a745}.text-danger{color:#dc3545}"
)
TABLE_SCRIPT = re.compile(r"\$\('#(?P<id>[\w-]+)'\)\.bootstrapTable\(")


ASSET_TAGS = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src", "embed": "src"}
CSS_URL = re.compile(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)['\"]?\s*\)", re.IGNORECASE)


def remote_assets(html: str) -> list[str]:
    """The network URLs a page would load: scripts, stylesheets, images, frames, CSS url()s.

    Links a reader may follow (``<a href>``) are not assets: the page loads without them.
    """
    soup = BeautifulSoup(html, "html.parser")
    found = [tag.get(attr, "") or "" for name, attr in ASSET_TAGS.items() for tag in soup.find_all(name)]
    found += [url for tag in soup.find_all(style=True) for url in CSS_URL.findall(tag["style"])]
    found += [url for tag in soup.find_all("style") for url in CSS_URL.findall(tag.get_text())]
    return [url for url in found if REMOTE.match(url)]


def _literal(text: str, start: int) -> Any:
    """The Python/JS literal (a list or dict) that opens at ``text[start]``, read to its close."""
    depth, quote, i = 0, None, start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return ast.literal_eval(text[start : i + 1])
        i += 1
    raise ValueError("unterminated literal")


def _table_data(script: str) -> tuple[list[dict], list[dict]]:
    """The ``columns`` and ``data`` a bootstrap-table script was given."""
    columns = _literal(script, script.index("[", script.index("columns:")))
    data = _literal(script, script.index("[", script.index("data:")))
    return columns, data


def _cell(soup: BeautifulSoup, column: dict, row: dict):
    """One cell: GX's own HTML snippet for it, the status as a word (its icon font is remote)."""
    td = soup.new_tag("td")
    if column["field"] == "validation_success":
        text = row.get("_validation_success_text", "")
        td.string = text
        td["class"] = ["text-success" if text == "Success" else "text-danger"]
    elif column["field"] == "run_time" and row.get("_table_row_link_path"):
        link = soup.new_tag("a", href=row["_table_row_link_path"])
        link.string = str(row.get("run_time", ""))
        td.append(link)
    else:
        fragment = BeautifulSoup(str(row.get(column["field"], "") or ""), "html.parser")
        td.extend(list(fragment.contents))
    return td


def _static_table(soup: BeautifulSoup, table, columns: list[dict], data: list[dict]) -> None:
    """Fill the empty bootstrap-table element with a plain table of ``data``, newest first."""
    head = soup.new_tag("tr")
    for column in columns:
        th = soup.new_tag("th")
        th.string = column.get("title", column["field"])
        head.append(th)
    table.append(head)
    for row in sorted(data, key=lambda r: r.get("_run_time_sort") or 0, reverse=True):
        tr = soup.new_tag("tr")
        for column in columns:
            tr.append(_cell(soup, column, row))
        table.append(tr)
    table["class"] = list(table.get("class", [])) + ["table", "table-bordered"]


def make_offline(html: str) -> str:
    """The page without network assets or the scripts that need them; index data as a table."""
    soup = BeautifulSoup(html, "html.parser")
    for name, attr in ASSET_TAGS.items():
        for tag in soup.find_all(name):
            if REMOTE.match(tag.get(attr, "") or ""):
                if name == "img" and tag.get("alt"):
                    tag.replace_with(tag["alt"])  # GX's logo: its name in words
                else:
                    tag.decompose()
    for tag in soup.find_all(style=True):
        tag["style"] = CSS_URL.sub("none", tag["style"])
    for tag in soup.find_all("style"):
        if CSS_URL.search(tag.get_text()):
            tag.string = CSS_URL.sub("none", tag.get_text())
    for script in soup.find_all("script"):
        text = script.string or ""
        match = TABLE_SCRIPT.search(text)
        if match and (table := soup.find(id=match["id"])) is not None:
            _static_table(soup, table, *_table_data(text))
            toolbar = soup.find(id=f"{match['id']}-toolbar")  # filter buttons that need bootstrap-table
            if toolbar is not None:
                toolbar.decompose()
        if NEEDS_LIBRARY.search(text):
            script.decompose()
    if soup.head is not None and soup.find(id="offline-style") is None:
        style = soup.new_tag("style", id="offline-style")
        style.string = OFFLINE_STYLE
        soup.head.append(style)
    return str(soup)


def pages_of_run(docs_dir: Path, run_id: str) -> list[Path]:
    """The pages a build for one run writes: the index, the suites' pages and the run's results."""
    pages = [docs_dir / "index.html", *sorted((docs_dir / "expectations").glob("**/*.html"))]
    pages += sorted(docs_dir.glob(f"validations/*/{glob.escape(run_id)}/**/*.html"))
    return [p for p in pages if p.is_file()]


def make_docs_offline(docs_dir: Path, run_id: str) -> int:
    """Rewrite the run's pages to need nothing from the network; return pages rewritten."""
    changed = 0
    for page in pages_of_run(docs_dir, run_id):
        html = page.read_text(encoding="utf-8")
        if not remote_assets(html) and not TABLE_SCRIPT.search(html):
            continue
        page.write_text(make_offline(html), encoding="utf-8")
        changed += 1
    return changed
