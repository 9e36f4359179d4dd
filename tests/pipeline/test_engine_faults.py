"""Every failure path of a page, driven by fault-injecting OCR engines (tests/ocr/fake_engines).

The real pipeline runs (pool of processes, database, storage); only the engine is replaced,
so what is tested is what the runner, the CLI and the records make of each kind of failure.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from core.context import AppContext, open_context
from core.db import Page, PageStage
from core.errors import DependencyError
from core.settings import Settings
from pipeline.intake import get_or_create_batch, register_paths
from pipeline.runner import run_batch
from tests.conftest import REPO, image_pdf, text_page

ENGINES = "tests.ocr.fake_engines"


def scans(folder, n: int = 3):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "quyen.pdf"
    pages = [text_page([f"Trang {i + 1}", "Kế hoạch công tác"]) for i in range(n)]
    path.write_bytes(image_pdf(pages))
    return path


def context(tmp_path, engine: str) -> AppContext:
    settings = Settings(data_dir=tmp_path / "data", database_url=None)
    settings.ocr.engine = f"{ENGINES}:{engine}"
    settings.pipeline.workers = 1
    return open_context(settings)


def stages(ctx: AppContext) -> list[tuple[str, str | None, int]]:
    with ctx.session() as s:
        rows = s.execute(
            select(PageStage.status, PageStage.error_code, PageStage.attempts).order_by(
                PageStage.page_id
            )
        )
        return [(str(a), b, int(c)) for a, b, c in rows]


@pytest.fixture(autouse=True)
def fake_state(tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_FAKE_STATE", str(tmp_path / "fake-state"))


def run(tmp_path, engine: str, n: int = 3) -> AppContext:
    ctx = context(tmp_path, engine)
    batch = get_or_create_batch(ctx, "lo")
    register_paths(ctx, batch, [scans(tmp_path / "in", n)])
    run_batch(ctx, batch, workers=1)
    return ctx


def test_fake_engine_runs_the_whole_pipeline_without_tesseract(tmp_path):
    ctx = run(tmp_path, "fake")
    assert stages(ctx) == [("done", None, 1)] * 3
    with ctx.session() as s:
        texts = [p.text for p in s.scalars(select(Page).order_by(Page.id))]
    assert all("14-KH/BTCTU" in (t or "") for t in texts)


def test_crash_fails_each_page_alone_once(tmp_path):
    assert stages(run(tmp_path, "crash")) == [("failed", "ocr_failed", 1)] * 3


def test_bug_in_the_engine_fails_the_page_not_the_run(tmp_path):
    assert stages(run(tmp_path, "bug")) == [("failed", "internal_error", 1)] * 3


def test_time_out_is_retried_then_fails_with_the_reason(tmp_path):
    ctx = run(tmp_path, "timeout", n=2)
    assert stages(ctx) == [("failed", "ocr_timeout", 3)] * 2
    with ctx.session() as s:
        errors = list(s.scalars(select(PageStage.error)))
    assert all("đã thử 3 lần" in e for e in errors)


def test_a_time_out_once_is_retried_and_the_page_is_read(tmp_path):
    assert stages(run(tmp_path, "flaky")) == [("done", None, 2)] * 3


def test_empty_and_garbage_readings_are_flagged_low_quality(tmp_path):
    for engine, reason in (("empty", "no_text"), ("garbage", "invalid_syllables")):
        ctx = run(tmp_path / engine, engine, n=1)
        assert stages(ctx) == [("done", None, 1)]
        with ctx.session() as s:
            flags = s.scalars(select(Page.flags)).one()
        assert "low_quality" in flags and any(f.startswith(reason) for f in flags), flags


def test_a_dead_worker_costs_only_its_page(tmp_path):
    # The child dies at the first attempt at every page: each page is given back and read.
    assert stages(run(tmp_path, "die_once")) == [("done", None, 2)] * 3


def test_a_page_that_always_kills_its_worker_fails_with_worker_lost(tmp_path):
    assert stages(run(tmp_path, "die", n=1)) == [("failed", "worker_lost", 3)]


def test_missing_engine_stops_the_run_and_leaves_pages_pending(tmp_path):
    ctx = context(tmp_path, "missing")
    batch = get_or_create_batch(ctx, "lo")
    register_paths(ctx, batch, [scans(tmp_path / "in")])
    with pytest.raises(DependencyError) as e:
        run_batch(ctx, batch, workers=1)
    assert e.value.exit_code == 69
    assert stages(ctx) == [("pending", None, 0)] * 3


def test_cli_exits_69_with_a_vietnamese_message_before_storing_anything(tmp_path):
    env = dict(
        os.environ,
        SOHOA_DATA_DIR=str(tmp_path / "data"),
        SOHOA_OCR__ENGINE=f"{ENGINES}:missing",
        PYTHONPATH=str(REPO),
    )
    cmd = [sys.executable, "-m", "cli.main", "ingest", str(scans(tmp_path / "in")), "--batch"]
    r = subprocess.run([*cmd, "lo", "--wait"], env=env, capture_output=True, text=True)
    assert r.returncode == 69, r.stderr
    assert "Chưa cài Tesseract OCR" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "data" / "originals").exists() or not any(
        (tmp_path / "data" / "originals").rglob("*")
    ), "nothing is stored when the run cannot start"
    r = subprocess.run(
        [sys.executable, "-m", "cli.main", "worker", "--once"], env=env, capture_output=True
    )
    assert r.returncode == 69
