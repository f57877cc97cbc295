"""``bulletins extract --jsonl``: the pure core on JSON Lines (bulletins.core.jsonl).

Imports only the core, and only when it runs: no Prefect, GX or DuckDB.
"""

from __future__ import annotations

import argparse
import sys

from bulletins.cli.common import quiet_broken_pipe


def add_extract(sub: argparse._SubParsersAction) -> None:
    """``extract --jsonl [--max-seconds S]``."""
    p = sub.add_parser("extract", help="extract meetings and indicators from JSON Lines on stdin")
    p.add_argument(
        "--jsonl",
        action="store_true",
        required=True,
        help="read {id,text,url,published} lines on stdin, write one result line each",
    )
    p.add_argument(
        "--max-seconds",
        type=float,
        default=30.0,
        help="time limit of one document's extraction (0: none); over it, the line is an error",
    )
    p.set_defaults(func=lambda args: extract(args.max_seconds))


def extract(max_seconds: float) -> int:
    """stdin to stdout, one result line per input line; exit status 0 even when some documents failed.

    A reader that closes the pipe early (``| head``) ends the run quietly with status 141,
    as a shell pipeline expects, instead of a traceback.
    """
    from bulletins.core.jsonl import run_stream

    try:
        errors = run_stream(sys.stdin.buffer, sys.stdout.buffer, max_seconds if max_seconds else None)
    except BrokenPipeError:
        return quiet_broken_pipe()
    if errors:
        print(f"bulletins extract: {errors} line(s) could not be extracted", file=sys.stderr)
    return 0
