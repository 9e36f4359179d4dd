"""Cold start: two workers, an ingest and the web server started at the same instant on an
empty database (PostgreSQL with Redis, or an empty SQLite data directory with the embedded
broker) all come up, migrate the schema once between them, and finish the work."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.context import open_context
from core.db import Document, Page, PageStage
from core.settings import Settings
from tests.conftest import REPO, free_port
from tests.pipeline.conftest import make_scans, wait_for

pytestmark = [pytest.mark.tesseract, pytest.mark.slow]

# Imports first, then every process waits for the same instant and runs the real CLI: the
# schema is created by whichever gets there first while the others start on it.
_AT_ONCE = """
import sys, time
from cli.main import main
start = float(sys.argv[1])
time.sleep(max(0.0, start - time.time()))
sys.exit(main(sys.argv[2:]))
"""


def _start_together(env: dict[str, str], logs: Path, commands: list[list[str]]):
    logs.mkdir()
    start = time.time() + 4  # past every interpreter's imports
    procs = []
    for i, argv in enumerate(commands):
        with (logs / f"{i}-{argv[0]}.log").open("wb") as log:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-c", _AT_ONCE, str(start), *argv],
                    env=env,
                    cwd=REPO,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
            )
    return procs


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _cold_start(tmp_path: Path, db_url: str | None, broker: str | None, pages: int = 6) -> None:
    scans = make_scans(tmp_path / "scans", pages)
    data = tmp_path / "data"  # does not exist yet: nothing has been created anywhere
    env = {**os.environ, "SOHOA_DATA_DIR": str(data), "OMP_THREAD_LIMIT": "1"}
    env.pop("SOHOA_DATABASE_URL", None)
    env.pop("SOHOA_BROKER_URL", None)
    if db_url:
        env["SOHOA_DATABASE_URL"] = db_url
    if broker:
        env["SOHOA_BROKER_URL"] = broker
    port = free_port()
    worker = [
        "worker",
        "--concurrency",
        "1",
        "--sweep-interval",
        "0.5",
        "--grace",
        "3",
        "--loglevel",
        "INFO",
    ]
    commands = [
        worker,
        worker,
        ["ingest", str(scans), "--batch", "khoi-dong"],
        ["serve", "--port", str(port)],
    ]
    procs = _start_together(env, tmp_path / "logs", commands)
    logs = sorted((tmp_path / "logs").iterdir())
    try:
        assert procs[2].wait(timeout=180) == 0, logs[2].read_text(errors="replace")[-3000:]
        wait_for(lambda: _healthy(port), 60, "the server to answer /health")
        ctx = open_context(Settings(data_dir=data, database_url=db_url, broker_url=broker))

        def finished() -> bool:
            with ctx.session() as s:
                done = s.scalar(
                    select(func.count()).select_from(PageStage).where(PageStage.status == "done")
                )
                loose = s.scalar(
                    select(func.count()).select_from(Page).where(Page.document_id.is_(None))
                )
            return done == pages and loose == 0

        wait_for(finished, 180, "the workers to process every page")
        with ctx.session() as s:
            assert s.scalar(select(func.count(Document.id)))
        ctx.engine.dispose()
        alive = [p.poll() is None for p in procs]
        assert alive == [True, True, False, True], alive  # the ingest finished, the rest run
        print(
            f"\ncold start ({'postgresql' if db_url else 'sqlite'}): {len(procs)} processes "
            f"started, {sum(alive) + (procs[2].returncode == 0)} survived or finished, "
            f"{pages} pages done by {_workers_that_worked(logs[:2])} workers"
        )
        for log in logs:
            text = log.read_text(errors="replace")
            assert "Traceback" not in text and "already exists" not in text, (log.name, text)
    finally:
        for p in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=30)


def _workers_that_worked(logs: list[Path]) -> int:
    return sum("sohoa.ocr_page" in log.read_text(errors="replace") for log in logs)


@pytest.mark.sqlite_only(reason="an empty SQLite data directory and the embedded broker")
def test_cold_start_on_an_empty_sqlite_data_dir(tmp_path):
    _cold_start(tmp_path, None, None)


def test_cold_start_on_an_empty_postgresql(tmp_path, pg_url, redis_url):
    _cold_start(tmp_path, pg_url, redis_url)
