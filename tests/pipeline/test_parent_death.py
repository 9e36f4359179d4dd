"""A killed parent takes its pool children with it, and ``sohoa serve`` resumes their pages.

The engine hangs at the first attempt at each page (tests/ocr/fake_engines ``stall_once``), so
the kill always lands while every pool child holds a page: nothing here depends on timing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from core.db import make_engine
from tests.conftest import REPO, free_port
from tests.pipeline.conftest import make_scans, wait_for


def _alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie waiting for its reaper counts as dead."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


@pytest.mark.slow
def test_killed_parent_takes_its_pool_and_serve_resumes_the_pages(tmp_path, db_url):
    state = tmp_path / "fake-state"
    env = {
        **os.environ,
        "SOHOA_DATA_DIR": str(tmp_path / "data"),
        "SOHOA_OCR__ENGINE": "tests.ocr.fake_engines:stall_once",
        "SOHOA_FAKE_STATE": str(state),
        "PYTHONPATH": str(REPO),
        "OMP_THREAD_LIMIT": "1",
    }
    scans = make_scans(tmp_path / "in", 2)  # one page per pool child: each hangs once
    cli = [sys.executable, "-m", "cli.main"]
    with (tmp_path / "ingest.log").open("wb") as log:
        ingest = subprocess.Popen(
            [*cli, "ingest", str(scans), "--batch", "lo", "--wait", "--workers", "2"],
            env=env,
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    pids = state / "pids"
    try:
        wait_for(lambda: pids.is_dir() and len(list(pids.iterdir())) >= 2, 120, "two hung pages")
        children = [int(p.name) for p in pids.iterdir()]
        assert ingest.pid not in children, "pages are read in pool children"
        os.kill(ingest.pid, signal.SIGKILL)  # the parent alone, not its process group
        ingest.wait()
        wait_for(
            lambda: not any(_alive(c) for c in children), 30, "the children to die with the parent"
        )
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(ingest.pid, signal.SIGKILL)

    engine = make_engine(db_url or f"sqlite:///{tmp_path / 'data' / 'sohoa.db'}")

    def ocr_rows() -> list[tuple[str, int]]:
        with engine.connect() as c:
            q = "select status, attempts from page_stage where stage = 'ocr' order by page_id"
            return [(str(a), int(b)) for a, b in c.execute(text(q))]

    assert any(status == "running" for status, _ in ocr_rows()), "the kill left pages running"

    port = free_port()
    with (tmp_path / "serve.log").open("wb") as log:
        serve = subprocess.Popen(
            [*cli, "serve", "--port", str(port)],
            env=env,
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        # Nobody uploads anything: serve takes up the abandoned pages on its own.
        def assembled() -> bool:
            with engine.connect() as c:
                unplaced = "select count(*) from page where document_id is null"
                return not c.execute(text(unplaced)).scalar_one()

        wait_for(
            lambda: all(status == "done" for status, _ in ocr_rows()) and assembled(),
            180,
            "serve to resume the pages and assemble their documents",
        )
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
        engine.dispose()
    assert all(attempts <= 2 for _, attempts in ocr_rows())
