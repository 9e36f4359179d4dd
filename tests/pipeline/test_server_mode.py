"""Server mode against the real PostgreSQL and Redis: several ``sohoa worker`` processes share
one database and one broker; a worker killed mid-page, a broker restart and a database outage
lose no page and do none twice."""

from __future__ import annotations

import os
import socket
import time

import pytest
from sqlalchemy import func, select

from core.context import AppContext, open_context
from core.db import Document, Page, PageStage
from core.settings import Settings
from core.states import StageStatus
from pipeline.intake import get_or_create_batch, register_paths
from tests.pipeline.conftest import make_scans, wait_for

pytestmark = [pytest.mark.services, pytest.mark.tesseract]


_opened: list[AppContext] = []


@pytest.fixture(autouse=True)
def _dispose_engines():
    yield
    while _opened:  # before the test database is dropped
        _opened.pop().engine.dispose()


def _setup(
    tmp_path, db_url: str, broker: str, n: int, worker_db_url: str | None = None
) -> tuple[AppContext, dict[str, str]]:
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, broker_url=broker)
    ctx = open_context(settings)
    _opened.append(ctx)
    bid = get_or_create_batch(ctx, "chung")
    register_paths(ctx, bid, [make_scans(tmp_path / "scans", n)])
    env = {
        "SOHOA_DATA_DIR": str(settings.data_dir),
        "SOHOA_BROKER_URL": broker,
        "SOHOA_DATABASE_URL": worker_db_url or db_url,
    }
    return ctx, env


def _finished(ctx: AppContext) -> bool:
    with ctx.session() as s:
        open_rows = s.scalar(
            select(func.count())
            .select_from(PageStage)
            .where(PageStage.status.in_(("pending", "running")))
        )
        loose = s.scalar(select(func.count()).select_from(Page).where(Page.document_id.is_(None)))
        docs = s.scalar(select(func.count()).select_from(Document))
    return open_rows == 0 and loose == 0 and bool(docs)


def _assert_each_page_once(ctx: AppContext, n: int, max_attempts: int = 1) -> dict[int, int]:
    with ctx.session() as s:
        rows = s.execute(select(PageStage.page_id, PageStage.status, PageStage.attempts)).all()
        per_doc = dict(
            s.execute(select(Page.document_id, func.count()).group_by(Page.document_id)).all()
        )
        doc_ids = set(s.scalars(select(Document.id)))
    assert len(rows) == n and all(status == "done" for _, status, _ in rows), rows
    assert all(a <= max_attempts for _, _, a in rows), rows
    assert None not in per_doc and sum(per_doc.values()) == n  # every page in one document
    assert set(per_doc) == doc_ids  # no empty (duplicate) document
    return {pid: a for pid, _, a in rows}


@pytest.mark.slow
def test_two_worker_processes_share_a_batch(tmp_path, pg_url, redis_url, workers):
    ctx, env = _setup(tmp_path, pg_url, redis_url, 6)
    w = workers(env)
    w.start("--concurrency", "1", "--queues", "ocr,index")
    w.start("--concurrency", "1", "--queues", "ocr")
    wait_for(lambda: _finished(ctx), 90, "the batch to complete on two workers")
    _assert_each_page_once(ctx, 6)
    done = [w.log(i).count("sohoa.ocr_page") for i in (0, 1)]
    assert all(done), f"both workers should have taken pages: {done}"


@pytest.mark.slow
def test_rabbitmq_is_accepted_as_broker(tmp_path, pg_url, amqp_url, workers):
    ctx, env = _setup(tmp_path, pg_url, amqp_url, 3)
    workers(env).start("--concurrency", "2")
    wait_for(lambda: _finished(ctx), 90, "the batch to complete over RabbitMQ")
    _assert_each_page_once(ctx, 3)


@pytest.mark.slow
def test_worker_killed_mid_page_loses_nothing(tmp_path, pg_url, redis_url, workers):
    ctx, env = _setup(tmp_path, pg_url, redis_url, 8)
    # Real Tesseract, a pause before each page: the kill must land while the page is held
    # (read in-process, a test page is done before the poll below can see it and signal).
    env["SOHOA_OCR__ENGINE"] = "tests.ocr.fake_engines:slow_tesseract"
    w = workers(env)
    victim = w.start("--concurrency", "1", "--queues", "ocr,index")
    w.start("--concurrency", "1", "--queues", "ocr,index")
    host = socket.gethostname()
    killed: list[int] = []

    def victim_mid_page() -> bool:
        with ctx.session() as s:
            for page_id, owner in s.execute(
                select(PageStage.page_id, PageStage.owner).where(
                    PageStage.status == StageStatus.RUNNING
                )
            ).all():
                h, _, rest = (owner or "").rpartition(":")
                pid = int(rest.partition("/")[0] or 0)
                try:
                    if h == host and os.getpgid(pid) == victim.pid:
                        killed.append(page_id)
                        return True
                except ProcessLookupError:
                    continue
        return False

    wait_for(victim_mid_page, 60, "the first worker to be mid-page")
    w.kill(victim)  # SIGKILL to the worker and its pool: no cleanup at all
    wait_for(lambda: _finished(ctx), 90, "the surviving worker to finish the batch")
    attempts = _assert_each_page_once(ctx, 8, max_attempts=2)
    assert attempts[killed[0]] == 2  # taken back and done again, once


@pytest.mark.slow
def test_broker_restart_mid_batch(tmp_path, pg_url, private_redis, workers):
    ctx, env = _setup(tmp_path, pg_url, private_redis.url, 8)
    w = workers(env)
    w.start("--concurrency", "2")

    def some_done() -> bool:
        with ctx.session() as s:
            return (
                s.scalar(
                    select(func.count()).select_from(PageStage).where(PageStage.status == "done")
                )
                or 0
            ) >= 2

    wait_for(some_done, 60, "first pages")
    private_redis.stop()  # no persistence: every queued message is gone
    time.sleep(2)
    private_redis.start()
    wait_for(lambda: _finished(ctx), 90, "the batch to complete after the broker restart")
    _assert_each_page_once(ctx, 8, max_attempts=2)


@pytest.mark.slow
def test_broker_restart_with_a_page_in_flight(tmp_path, pg_url, private_redis, workers):
    # One page held by one of two processes: the other waits on the broker when it dies.
    # There, Celery 5.7 / kombu 5.7 stop the whole worker ("Unrecoverable error:
    # AttributeError ... 'hostname'" while closing the lost connection); the worker must come
    # back by itself, as nothing else would take pages or send the lost messages again.
    ctx, env = _setup(tmp_path, pg_url, private_redis.url, 1)
    env["SOHOA_OCR__ENGINE"] = "tests.ocr.fake_engines:slow_tesseract"
    w = workers(env)
    proc = w.start("--concurrency", "2")

    def page_running() -> bool:
        with ctx.session() as s:
            return bool(
                s.scalar(
                    select(func.count())
                    .select_from(PageStage)
                    .where(PageStage.status == StageStatus.RUNNING)
                )
            )

    wait_for(page_running, 60, "the page to be taken")
    time.sleep(0.5)  # its process is in the engine's pause; the other one waits on the broker
    private_redis.stop()
    time.sleep(2)
    private_redis.start()
    wait_for(lambda: _finished(ctx), 90, "the batch to complete after the broker restart")
    _assert_each_page_once(ctx, 1)
    assert proc.poll() is None, w.log(0)[-3000:]  # still serving, whatever Celery did


@pytest.mark.slow
def test_database_briefly_unreachable(tmp_path, pg_url, redis_url, pg_proxy, workers):
    proxied = pg_url.replace(":5432/", f":{pg_proxy.port}/")
    ctx, env = _setup(tmp_path, pg_url, redis_url, 8, worker_db_url=proxied)
    w = workers(env)
    w.start("--concurrency", "2")

    def running() -> bool:
        with ctx.session() as s:
            return (
                s.scalar(
                    select(func.count()).select_from(PageStage).where(PageStage.status == "done")
                )
                or 0
            ) >= 1

    wait_for(running, 60, "first pages")
    pg_proxy.cut(5)  # every connection dropped, new ones refused, for 5 s
    wait_for(lambda: _finished(ctx), 90, "the batch to complete after the outage")
    _assert_each_page_once(ctx, 8, max_attempts=3)
    assert "retry: Retry in" in w.log(0), w.log(0)[-3000:]  # retried, not failed


@pytest.mark.slow
def test_once_drains_in_process_against_postgresql(tmp_path, pg_url):
    import subprocess
    import sys

    from tests.conftest import REPO

    ctx, env = _setup(tmp_path, pg_url, "redis://127.0.0.1:1/0", 2)  # broker unused by --once
    run = subprocess.run(
        [sys.executable, "-m", "cli.main", "worker", "--once", "--workers", "2"],
        env={**os.environ, **env},
        cwd=REPO,
        capture_output=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    assert _finished(ctx)
    _assert_each_page_once(ctx, 2)
