"""The CLI room (bulletins/cli/): the only place that reads a command line.

Outside it no module imports argparse, every subcommand's handler is one of its functions,
and building the parser imports no other room (each command imports what it needs when it
runs, so `bulletins extract` never loads the crawl, the flows or the warehouse).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from bulletins.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
# The rooms the CLI calls into (scripts/ and benchmarks/ are programs with parsers of their own).
ROOMS = ("bulletins", "flows", "tasks", "expectations", "warehouse", "demo")


def test_no_room_but_the_cli_reads_a_command_line():
    readers = []
    for room in ROOMS:
        for path in sorted((ROOT / room).rglob("*.py")):
            if (ROOT / "bulletins" / "cli") in path.parents:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if "argparse" in names or (isinstance(node, ast.ImportFrom) and node.module == "argparse"):
                    readers.append(str(path.relative_to(ROOT)))
    assert readers == []


def test_every_subcommand_is_handled_in_the_cli_room():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert len(commands) == 12
    for name, sub in commands.items():
        handler = sub.get_default("func")
        assert handler is not None and handler.__module__.startswith("bulletins.cli."), name


def test_building_the_parser_imports_no_other_room():
    code = (
        "import json, sys; from bulletins.cli import build_parser; build_parser(); "
        "print(json.dumps(sorted({'.'.join(m.split('.')[:2 if m.startswith('bulletins.') else 1]) for m in sys.modules})))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    loaded = set(json.loads(proc.stdout))
    assert loaded.isdisjoint({"bulletins.crawl", "bulletins.core", "bulletins.pipeline", "flows", "warehouse"})
    assert loaded.isdisjoint({"prefect", "great_expectations", "duckdb", "pandas", "bs4"})
