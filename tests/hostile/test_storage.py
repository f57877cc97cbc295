"""Hostile storage: a full disk, a tampered manifest, and a crawl killed with SIGKILL.

Each case uses a real DuckDB file, a real raw archive and, where pages are involved, a real
HTTP server on 127.0.0.1 and the real flows; it asserts what landed, what was recorded,
and that the run went on (or, killed, left nothing running behind it).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from bulletins.crawl.archive import ArchiveError, RawArchive
from bulletins.pipeline.stage import COLUMNS, column_type
from demo.httpd import Delay, Page
from flows.crawl import crawl_source
from flows.reprocess import reprocess
from tests.datadir import PROJECT_ROOT
from tests.faults.conftest import big_article
from tests.hostile.content_support import article_html, good_article, prefect, site, warehouse  # noqa: F401
from warehouse.db import connect, table_columns
from warehouse.publish import working_path


def finished(state):
    """A flow run's summary, whatever state it ended in (a run that quarantines ends Failed)."""
    return state.result(raise_on_failure=False)


def test_staged_column_types_are_the_warehouse_columns_types(tmp_path):
    """Every staged column has an explicit type that matches its table's (no object column left to sampling)."""
    con = connect(tmp_path / "w.duckdb")
    try:
        expected = {
            "INTEGER": "Int64",
            "BIGINT": "Int64",
            "DOUBLE": "Float64",
            "BOOLEAN": "boolean",
            "TIMESTAMP": "datetime64[us]",
            "DATE": "object",
            "VARCHAR": "string",
            "JSON": "string",
        }
        for table, columns in COLUMNS.items():
            types = dict(table_columns(con, table))
            for column in columns:
                assert column_type(column) == expected[types[column]], (table, column, types[column])
    finally:
        con.close()


# --- a full disk -------------------------------------------------------------------------------

# A child process whose files may not grow past sys.argv[1] bytes: a write past the limit
# fails with EFBIG (SIGXFSZ ignored), as on a full disk.
DISK_LIMITED = textwrap.dedent("""
    import json, resource, signal, sys
    limit = int(sys.argv[1])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
""")

FULL_DISK = DISK_LIMITED + textwrap.dedent("""
    from flows.crawl import crawl_source
    summary = crawl_source(sys.argv[2], db_path=sys.argv[3], archive_root=sys.argv[4])
    print("SUMMARY " + json.dumps({"status": summary["status"], "errors": summary["error_list"]}))
""")


def test_a_full_disk_is_reported_as_itself_and_earlier_rows_stay(warehouse, site, prefect):
    s = site("full").publish({1: good_article(1)}).write_config(max_bytes=5_000_000)
    first = finished(crawl_source(s.name, return_state=True, **warehouse.flow_kwargs()))
    assert first["status"] == "completed"
    s.publish({1: good_article(1), **{n: big_article(n) for n in range(2, 12)}})
    # Every file may grow to the warehouse's size and a little more: room for the run's bookkeeping,
    # not for 10 pages of 300 KB (each archived object is well under the limit).
    working = working_path(warehouse.db)  # the pipeline's own file (the analysts' copy is published from it)
    limit = max(warehouse.db.stat().st_size, working.stat().st_size) + 300_000
    proc = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(limit), s.name, str(warehouse.db), str(warehouse.archive)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=warehouse.env(),
        timeout=600,
    )
    out = proc.stdout + proc.stderr
    assert "File too large" in out, out[-3000:]  # the real cause is said, wherever the write failed
    masked = [line for line in out.splitlines() if "cannot rollback" in line and "(the rollback after" not in line]
    assert not masked, masked
    # Where the pipeline recorded the run (the write may fail at COMMIT, or at the checkpoint that
    # publishes the analysts' copy, after which DuckDB refuses the file until it is reopened).
    runs = working_rows(warehouse.db, "SELECT status, message FROM runs ORDER BY started_at")
    urls = {url for (url,) in working_rows(warehouse.db, "SELECT url FROM documents")}
    # The failed run's own row says its real cause, wherever the write failed (a checkpoint that
    # failed invalidated the connection: the run reopened the file to record it).
    assert [status for status, _ in runs] == ["completed", "failed"], runs
    assert "File too large" in runs[-1][1], runs[-1]
    # One transaction: the batch is all there or not at all, and the first run's page stays.
    assert urls in ({s.url(1)}, {s.url(n) for n in range(1, 12)}), sorted(urls)


def working_rows(db: Path, sql: str) -> list[tuple]:
    """Rows of a query on the pipeline's own file (its write-ahead log replayed), read-only."""
    con = duckdb.connect(str(working_path(db)), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


FULL_DISK_CLI = DISK_LIMITED + textwrap.dedent("""
    from bulletins.cli import main
    sys.exit(main(sys.argv[2:]))
""")


def test_a_disk_full_at_the_publish_checkpoint_fails_the_run_with_its_cause(warehouse, site, prefect, webhook):
    """The load commits (to the write-ahead log); the checkpoint that publishes it finds the disk full."""
    s = site("fullpub").publish({1: good_article(1)}).write_config(max_bytes=5_000_000)
    assert finished(crawl_source(s.name, return_state=True, **warehouse.flow_kwargs()))["status"] == "completed"
    s.publish({1: good_article(1), **{n: big_article(n) for n in (2, 3, 4)}})
    working = working_path(warehouse.db)
    # Room for the run's write-ahead log (about 1 MB: three pages of 300 KB), its archived pages and
    # its bookkeeping, not for the main file to grow by those pages when the checkpoint writes them.
    limit = working.stat().st_size + 100_000
    assert limit > 1_200_000, limit  # the log must fit: the limit is to bite at the checkpoint
    proc = subprocess.run(
        [sys.executable, "-c", FULL_DISK_CLI, str(limit), "crawl", s.name],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=warehouse.env(),
        timeout=600,
    )
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-3000:]
    said = [line for line in proc.stderr.splitlines() if line.startswith("crawl")]
    assert len(said) == 1 and "disk full while publishing" in said[0], proc.stderr[-3000:]
    # The run's row is in the pipeline's file (the analysts' copy could not be published: it is
    # the previous run's until a publication succeeds).
    runs = working_rows(warehouse.db, "SELECT status, message FROM runs ORDER BY started_at")
    assert [status for status, _ in runs] == ["completed", "failed"], runs
    assert "disk full while publishing" in runs[-1][1] and "File too large" in runs[-1][1], runs[-1]
    assert len(webhook.requests) == 1 and f"source {s.name} failed" in webhook.requests[0]["text"]
    # The batch committed before the checkpoint failed: it is in the file, once; its links are
    # left failed, so the next run fetches them again and reloads them under the same keys.
    urls = sorted(url for (url,) in working_rows(warehouse.db, "SELECT url FROM documents"))
    assert urls in ([s.url(1)], sorted(s.url(n) for n in range(1, 5))), urls

    assert finished(crawl_source(s.name, return_state=True, **warehouse.flow_kwargs()))["status"] == "completed"
    runs = warehouse.rows("SELECT status FROM runs ORDER BY started_at")
    assert [status for (status,) in runs] == ["completed", "failed", "completed"], runs
    assert warehouse.rows("SELECT url, count(*) FROM documents GROUP BY url ORDER BY url") == [
        (s.url(n), 1) for n in range(1, 5)
    ]
    assert warehouse.scalar("SELECT count(*) FROM indicators WHERE document_id IS NULL") == 0


def test_a_failed_commit_keeps_its_error_in_the_loader(tmp_path):
    """The loader alone: the COMMIT's own error, with the rollback's refusal only as a note."""
    db = tmp_path / "w.duckdb"
    connect(db).close()
    code = textwrap.dedent("""
        import resource, signal, sys, datetime as dt, pandas as pd
        from bulletins.pipeline.stage import COLUMNS, column_type, typed_column
        from warehouse.db import connect
        from warehouse.load import load_batch
        con = connect(sys.argv[1])
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        limit = int(sys.argv[2])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        rows = [{"document_id": f"d{i}", "source": "s", "url": f"http://127.0.0.1/{i}", "http_status": 200,
                 "fetched_at": dt.datetime(2024, 1, 1), "content_hash": "0" * 64, "text": "长" * 100_000,
                 "parser_version": "1"} for i in range(10)]
        batch = {t: pd.DataFrame({c: typed_column([r.get(c) for r in (rows if t == "documents" else [])],
                                                  column_type(c)) for c in cols}) for t, cols in COLUMNS.items()}
        try:
            load_batch(con, batch, "run-1")
        except Exception as exc:
            print(type(exc).__name__, exc, "|", *getattr(exc, "__notes__", []))
    """)
    proc = subprocess.run(
        [sys.executable, "-c", code, str(db), str(db.stat().st_size + 100_000)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    message, _, notes = proc.stdout.partition("|")
    assert "File too large" in message and "cannot rollback" not in message, proc.stdout + proc.stderr
    assert "no transaction is active" in notes
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    con.close()


# --- a tampered manifest -----------------------------------------------------------------------


def manifest_lines(archive: Path) -> list[dict]:
    return [json.loads(line) for line in (archive / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def rewrite_manifest(archive: Path, entries: list[dict]) -> None:
    (archive / "manifest.jsonl").write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8"
    )


def test_a_string_status_is_read_and_a_bad_line_is_said(warehouse, site, prefect):
    s = site("manifest").publish({1: good_article(1), 2: good_article(2), 3: good_article(3)}).write_config()
    finished(crawl_source(s.name, return_state=True, **warehouse.flow_kwargs()))
    entries = manifest_lines(warehouse.archive)
    articles = [e for e in entries if e["kind"] == "article"]
    articles[0]["http_status"] = "200"  # written as a string: read as 200
    articles[1]["http_status"] = "OK"  # no status at all: a bad line, said on the run
    rewrite_manifest(warehouse.archive, entries)
    with connect(warehouse.db) as con:
        con.execute(
            "DELETE FROM indicators; DELETE FROM meeting_participants; DELETE FROM meetings; "
            "DELETE FROM articles; DELETE FROM documents"
        )
    summary = finished(reprocess(workers=1, return_state=True, **warehouse.flow_kwargs()))
    loaded = {url for (url,) in warehouse.rows("SELECT url FROM documents")}
    assert loaded == {articles[0]["url"], articles[2]["url"]}
    assert summary["status"] == "warning" and summary["archive_torn_lines"] == 1
    errors = warehouse.rows(
        "SELECT stage, error FROM crawl_errors WHERE run_id = (SELECT run_id FROM runs WHERE flow = 'reprocess')"
    )
    line = entries.index(articles[1]) + 1
    assert errors == [
        (
            "archive",
            f"manifest line {line} skipped: BadManifestLine: http_status: http_status 'OK' is not a status code",
        )
    ]


class OpenedPaths:
    """Paths the interpreter opened while ``watching`` (an audit hook sees every open)."""

    def __init__(self) -> None:
        self.watching, self.paths = False, []
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple) -> None:
        if self.watching and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            self.paths.append(os.fsdecode(args[0]))


def test_a_hash_that_walks_out_of_the_archive_is_refused_before_any_open(warehouse, site, prefect, tmp_path):
    s = site("walk").publish({1: good_article(1), 2: good_article(2)}).write_config()
    finished(crawl_source(s.name, return_state=True, **warehouse.flow_kwargs()))
    entries = manifest_lines(warehouse.archive)
    victim = next(e for e in entries if e["kind"] == "article")
    victim["content_hash"] = "../../../../etc/passwd"
    rewrite_manifest(warehouse.archive, entries)

    archive, opened = RawArchive(warehouse.archive), OpenedPaths()
    opened.watching = True
    try:
        with pytest.raises(ArchiveError, match="not a sha256 hex digest"):
            archive.get("../../../../etc/passwd")
        good = [e for e in archive.entries() if e.kind == "article"]
    finally:
        opened.watching = False
    assert not any("passwd" in p for p in opened.paths), opened.paths
    assert victim["url"] not in {e.url for e in good} and archive.bad_lines

    summary = finished(reprocess(workers=1, return_state=True, **warehouse.flow_kwargs()))
    assert summary["loaded"]["documents"] == 1  # the other page went on
    errors = [e for (e,) in warehouse.rows("SELECT error FROM crawl_errors WHERE stage = 'archive'")]
    assert len(errors) == 1 and "content_hash '../../../../etc/passwd' is not a sha256 hex digest" in errors[0]


def test_a_symlinked_object_folder_cannot_lead_out_of_the_archive(tmp_path):
    archive = RawArchive(tmp_path / "archive")
    outside = tmp_path / "outside"
    outside.mkdir()
    digest = "ab" + "0" * 62
    (outside / digest[2:]).write_bytes(b"not archived bytes")
    (archive.objects / "ab").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ArchiveError, match="resolves outside the archive"):
        archive.get(digest)


# --- a crawl killed with SIGKILL -----------------------------------------------------------------


def uvicorn_children(pid: int) -> list[psutil.Process]:
    """The Prefect server processes a CLI process started."""
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        try:
            if "uvicorn" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:  # a short-lived helper process already gone
            continue
    return found


def test_a_killed_crawl_leaves_no_prefect_server_behind(warehouse, site, tmp_path):
    s = site("killed").publish({1: good_article(1)})
    s.server.route(f"/{s.name}/index.html", Delay(120, Page(b"<html><body>late</body></html>")))
    s.write_config(timeout=180)
    env = {k: v for k, v in warehouse.env().items() if not k.startswith("PREFECT_API")}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect-home"),  # the CLI's own local server, in its own home
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
    )
    log = (tmp_path / "cli.log").open("w")
    cli = subprocess.Popen(
        [sys.executable, "-m", "bulletins.cli", "crawl", s.name],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    servers: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not any(r.path.endswith("index.html") for r in s.server.requests):
            servers = uvicorn_children(cli.pid) or servers
            assert cli.poll() is None, (tmp_path / "cli.log").read_text()[-3000:]
            time.sleep(0.2)
        servers = uvicorn_children(cli.pid) or servers
        assert servers, "the crawl started no local Prefect server"
        cli.send_signal(signal.SIGKILL)  # no finally, no atexit: only the kernel can stop the server now
        cli.wait(timeout=30)
        gone, alive = psutil.wait_procs(servers, timeout=30)
        assert not alive, [p.pid for p in alive]
    finally:
        if cli.poll() is None:
            cli.kill()
        for server in servers:  # ours: started by the CLI this test ran
            if server.is_running():
                server.kill()


def test_a_reprocess_with_its_manifest_gone_fails_saying_so(warehouse, site, prefect):
    s = site("nomanifest").publish({1: good_article(1)}).write_config()
    finished(crawl_source(s.name, return_state=True, **warehouse.flow_kwargs()))
    (warehouse.archive / "manifest.jsonl").unlink()  # an operator's slip, or the wrong folder
    state = reprocess(workers=1, return_state=True, **warehouse.flow_kwargs())
    assert state.is_failed() and "no manifest at" in state.message
    assert warehouse.rows("SELECT status FROM runs WHERE flow = 'reprocess' ORDER BY started_at DESC LIMIT 1") == [
        ("failed",)
    ]
    assert warehouse.scalar("SELECT count(*) FROM documents") == 1  # nothing lost from the warehouse


REVIVE = textwrap.dedent("""
    import resource, signal, sys, threading, time
    import duckdb
    from pathlib import Path
    from warehouse.db import connect, invalidated, revived
    from warehouse.publish import PublishFailed, publish, working_path
    db = sys.argv[1]
    mine = connect(db)
    other = duckdb.connect(str(working_path(Path(db))))  # another thread's connection: the same DuckDB instance
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    mine.execute(  # 500 rows of 1280 hex digits that do not repeat: about 640 KB, little to compress
        "CREATE TABLE kept AS SELECT array_to_string(list_transform(range(40), lambda x: md5((i * 40 + x)::VARCHAR)), '') "
        "AS s FROM range(500) r(i)"
    )
    try:
        publish(mine)
    except PublishFailed as exc:
        print("FAILED", exc)
    print("INVALIDATED", invalidated(mine), invalidated(other))
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    closing = threading.Timer(1.5, other.close)  # the other source meets the error a moment later
    closing.start()
    started = time.monotonic()
    fresh = revived(mine, db)
    print("REVIVED after %.1fs" % (time.monotonic() - started), fresh.execute("SELECT count(*) FROM kept").fetchone()[0])
    fresh.close()
""")


def test_an_invalidated_warehouse_is_reopened_once_every_connection_to_it_closed(tmp_path):
    """Threads share one DuckDB instance: it can only be opened afresh when the last of them lets go."""
    db = tmp_path / "w.duckdb"
    connect(db).close()
    limit = working_path(db).stat().st_size + 100_000  # room for the log (640 KB), not for the checkpoint
    proc = subprocess.run(
        [sys.executable, "-c", REVIVE, str(db), str(limit)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    out = proc.stdout
    assert "FAILED disk full while publishing: " in out and "File too large" in out, out + proc.stderr[-2000:]
    assert "INVALIDATED True True" in out
    revived_line = next(line for line in out.splitlines() if line.startswith("REVIVED"))
    seconds, rows = float(revived_line.split()[2].rstrip("s")), int(revived_line.split()[3])
    assert rows == 500 and seconds >= 1.0  # the committed table is back, once the other connection closed
