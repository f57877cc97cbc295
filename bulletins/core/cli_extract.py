"""``bulletins extract --jsonl``: JSON Lines of documents in, one result line each out.

Reads and writes UTF-8 bytes whatever the locale says. A line that is not a JSON object,
or a document whose extraction raises, gets ``{"id": ..., "error": "..."}`` and the run
goes on. Imports only the pure core: no Prefect, Great Expectations or DuckDB.
"""
from __future__ import annotations

import io
import json
import os
import sys
from typing import IO, Iterable

from bulletins.core.extract import extract_document


def handle_line(line: str, number: int) -> dict:
    """The result object for one input line (never raises)."""
    try:
        request = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"line {number}: not JSON: {exc.msg} at column {exc.colno}"}
    if not isinstance(request, dict):
        return {"id": None, "error": f"line {number}: expected a JSON object"}
    doc_id = request.get("id")
    text = request.get("text")
    if not isinstance(text, str):
        return {"id": doc_id, "error": "missing or non-string 'text'"}
    try:
        result = extract_document(text, url=request.get("url"), published=request.get("published"),
                                  place=request.get("place"))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run; the reason is recorded
        return {"id": doc_id, "error": f"{type(exc).__name__}: {exc}"}
    return {"id": doc_id, **result}


def run_stream(lines: Iterable[str], out: IO[str]) -> int:
    """Process every non-blank line; returns how many results were errors."""
    errors = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        result = handle_line(line, number)
        errors += "error" in result
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return errors


def run(args) -> int:
    """Entry point of the subcommand; exit status 0 even when some documents failed.

    A reader that closes the pipe early (``| head``) ends the run quietly with status 141,
    as a shell pipeline expects, instead of a traceback.
    """
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
    try:
        errors = run_stream(stdin, stdout)
        stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush cannot raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    finally:
        try:
            stdout.detach()
        except ValueError:
            pass  # already detached or closed after the broken pipe
    if errors:
        print(f"bulletins extract: {errors} document(s) could not be extracted", file=sys.stderr)
    return 0
