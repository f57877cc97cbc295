"""``bulletins extract --jsonl``: JSON Lines of documents in, one result line each out.

The contract: exactly one output line per input line, in order, blank lines included.
A line that is blank, not UTF-8, not a JSON object (nested too deep to read, say), or
whose extraction raises or runs past ``--max-seconds`` gets
``{"id": ..., "error": "line N: ..."}`` and the run goes on. stdin is read as bytes, so
invalid UTF-8 is that line's error, never silently replaced. Output is strict JSON: a
figure whose value is not a finite number (a 401-digit figure reads as infinity) is
dropped from ``indicators`` and named in the line's ``"warnings"`` list; ``Infinity`` and
``NaN`` are never printed. Imports only the pure core: no Prefect, GX or DuckDB.
"""

from __future__ import annotations

import json
import math
from typing import IO, Iterable

from bulletins.core.budget import PageTooSlow, time_limit
from bulletins.core.extract import extract_document

DEFAULT_MAX_SECONDS = 30.0  # one document's extraction; a 1 MB one-line page takes about 2 s
# Numbers an indicator carries; each must be finite for the line to be strict JSON.
NUMERIC_FIELDS = ("value", "rank")


def _error(number: int, doc_id, message: str) -> dict:
    """The result of a line that yields no extraction."""
    return {"id": doc_id, "error": f"line {number}: {message}"}


def _request(raw: bytes, number: int) -> dict:
    """The JSON object of one input line; raises ValueError saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}") from None
    if not text.strip():
        raise ValueError("blank line: no document")
    try:
        request = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:  # [[[[… 100,000 deep: the parser's stack, not the document, gives out
        raise ValueError("not readable: JSON nested too deeply") from None
    if not isinstance(request, dict):
        raise ValueError("expected a JSON object")
    return request


def finite_only(result: dict) -> dict:
    """The result without indicators whose numbers are not finite, each dropped one named in ``warnings``."""
    kept, warnings = [], []
    for item in result.get("indicators", []):
        bad = [f for f in NUMERIC_FIELDS if isinstance(item.get(f), float) and not math.isfinite(item[f])]
        if bad:
            warnings.append(
                f"indicator {item.get('metric')!r} dropped: {', '.join(bad)} is not a finite number "
                f"({item.get('evidence')!r})"
            )
        else:
            kept.append(item)
    if not warnings:
        return result
    return {**result, "indicators": kept, "warnings": warnings}


def handle_line(raw: bytes | str, number: int, max_seconds: float | None = DEFAULT_MAX_SECONDS) -> dict:
    """The result object for one input line (never raises)."""
    try:
        request = _request(raw.encode("utf-8") if isinstance(raw, str) else raw, number)
    except ValueError as exc:
        return _error(number, None, str(exc))
    doc_id = request.get("id")
    text = request.get("text")
    if not isinstance(text, str):
        return _error(number, doc_id, "missing or non-string 'text'")
    try:
        with time_limit(max_seconds):
            result = extract_document(
                text, url=request.get("url"), published=request.get("published"), place=request.get("place")
            )
    except PageTooSlow as exc:
        return _error(number, doc_id, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run; the reason is recorded
        return _error(number, doc_id, f"{type(exc).__name__}: {exc}")
    return {"id": doc_id, **finite_only(result)}


def dump(result: dict) -> str:
    """One output line: strict JSON (a value JSON cannot hold makes the line an error instead)."""
    try:
        return json.dumps(result, ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError) as exc:
        return json.dumps(
            {"id": result.get("id"), "error": f"result not writable as JSON: {exc}"}, ensure_ascii=False, default=str
        )


def run_stream(lines: Iterable[bytes], out: IO[bytes], max_seconds: float | None = DEFAULT_MAX_SECONDS) -> int:
    """One output line per input line (a final line without a newline counts); returns the errors."""
    errors = 0
    for number, raw in enumerate(lines, start=1):
        result = handle_line(raw.removesuffix(b"\n").removesuffix(b"\r"), number, max_seconds)
        errors += "error" in result
        out.write((dump(result) + "\n").encode("utf-8"))
        out.flush()
    return errors
