"""A warehouse the pipeline cannot write: ``crawl`` says so in one line, ``export`` still reads it.

The read-only cases are real: the data folder is bind-mounted read-only in a mount namespace
of the command's own (``unshare``), so every write fails with EROFS as on a read-only volume;
and a file is made immutable (``chattr +i``), so even root's writes fail with EPERM. Each
asserts the exit code, one line on stderr and no traceback, and that the files are unchanged.
"""

from __future__ import annotations

import hashlib
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.datadir import PROJECT_ROOT
from tests.faults.conftest import SOURCE_YAML
from warehouse.db import connect
from warehouse.publish import working_path


def can_mount_read_only(tmp_path: Path) -> bool:
    """Whether this machine lets a process bind-mount a folder read-only in a namespace of its own."""
    if not shutil.which("unshare"):
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    script = f"mount -o bind,ro {probe} {probe} && ! touch {probe}/x 2>/dev/null"
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True).returncode == 0


def digests(folder: Path) -> dict[str, str]:
    """The sha256 of every file in ``folder``."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def made(warehouse):
    """A migrated, published warehouse, and a source the crawl could run (its site need not answer)."""
    connect(warehouse.db).close()
    text = SOURCE_YAML.format(
        name="news", base="http://127.0.0.1:9", host="127.0.0.1:9", encoding="utf-8", timeout=1.0,
        max_bytes=1_000_000, retries=1, body="#body",
    )  # fmt: skip
    (warehouse.sources / "news.yaml").write_text(text, encoding="utf-8")
    return warehouse


def cli(warehouse, *argv: str, read_only: Path | None = None) -> subprocess.CompletedProcess:
    """``bulletins ARGV`` in a subprocess; ``read_only``: that folder bind-mounted read-only for it."""
    command = [sys.executable, "-m", "bulletins.cli", *argv]
    if read_only is not None:
        mount = f"mount -o bind,ro {shlex.quote(str(read_only))} {shlex.quote(str(read_only))}"
        command = ["unshare", "-rm", "sh", "-c", f"{mount} && exec {shlex.join(command)}"]
    return subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, env=warehouse.env(), timeout=300)


def one_line(proc: subprocess.CompletedProcess) -> str:
    """The command's stderr, which must be one line without a traceback."""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return lines[0]


def test_a_crawl_into_a_read_only_mount_is_refused_in_one_line(made, tmp_path):
    if not can_mount_read_only(tmp_path):
        pytest.skip("this machine allows no read-only bind mount in a user namespace")
    before = digests(made.root)
    proc = cli(made, "crawl", "news", read_only=made.root)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert one_line(proc) == f"crawl: {made.root} cannot be written (Read-only file system): the warehouse is in it"
    assert digests(made.root) == before


def test_a_warehouse_to_be_made_under_a_read_only_mount_is_refused(made, tmp_path):
    if not can_mount_read_only(tmp_path):
        pytest.skip("this machine allows no read-only bind mount in a user namespace")
    db = made.root / "new" / "warehouse.duckdb"
    proc = cli(made, "crawl", "news", "--db", str(db), read_only=made.root)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    line = one_line(proc)
    assert (
        line == f"crawl: {made.root} cannot be written (Read-only file system): the warehouse cannot be created there"
    )
    assert not (made.root / "new").exists()


def test_export_reads_a_warehouse_on_a_read_only_mount(made, tmp_path, tmp_path_factory):
    """Export only reads: a read-only volume is no obstacle, and nothing on it changes."""
    if not can_mount_read_only(tmp_path):
        pytest.skip("this machine allows no read-only bind mount in a user namespace")
    before, out = digests(made.root), tmp_path_factory.mktemp("export") / "out"
    proc = cli(made, "export", "--out", str(out), "--format", "csv", read_only=made.root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (out / "runs.csv").exists() and "places: " in proc.stdout
    assert digests(made.root) == before


def test_an_immutable_working_file_is_refused_even_to_root(made):
    """``chattr +i``: the kernel refuses writes to the file whoever asks (EPERM)."""
    working = working_path(made.db)
    if subprocess.run(["chattr", "+i", str(working)], capture_output=True).returncode != 0:
        pytest.skip("this file system does not take the immutable flag")
    try:
        before = digests(made.root)
        proc = cli(made, "crawl", "news")
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert one_line(proc) == f"crawl: {working} cannot be written (read-only): the pipeline writes the warehouse"
        assert digests(made.root) == before
    finally:
        subprocess.run(["chattr", "-i", str(working)], check=True)


def test_an_export_into_a_read_only_folder_fails_in_one_line(made, tmp_path, tmp_path_factory):
    """The files cannot be written: one line naming the folder and the cause, exit 1, no traceback."""
    if not can_mount_read_only(tmp_path):
        pytest.skip("this machine allows no read-only bind mount in a user namespace")
    shelf = tmp_path_factory.mktemp("shelf")
    proc = cli(made, "export", "--out", str(shelf / "out"), "--format", "csv", read_only=shelf)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = one_line(proc)
    assert line.startswith(f"export failed: cannot write under {shelf / 'out'}: ") and "Read-only" in line, line
    assert not (shelf / "out").exists()
