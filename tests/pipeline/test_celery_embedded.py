"""Celery on the embedded filesystem broker: config, claims, windowed enqueueing, sweeper,
tasks on real pages, a real ``sohoa worker`` process, and time-outs recorded as failures."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import time

import pytest
from sqlalchemy import select, update

from cli.main import main
from core.context import open_context
from core.db import Batch, Document, Page, PageStage, SourceFile, utcnow
from core.errors import ConfigError, TransientError
from core.settings import get_settings
from core.states import StageStatus
from pipeline import claims
from pipeline.celery_app import broker_reachable, make_celery
from pipeline.enqueue import FeedConfig, feed_once, queue_depths, worker_overview
from pipeline.intake import get_or_create_batch, register_paths
from pipeline.tasks import db_errors
from tests.conftest import image_pdf, text_page
from tests.pipeline.conftest import make_scans, wait_for


def _fake_pages(ctx, n: int) -> list[int]:
    """Register ``n`` pending page rows without files (for queue bookkeeping only)."""
    with ctx.session() as s:
        b = Batch(name="gia")
        s.add(b)
        s.flush()
        sf = SourceFile(
            batch_id=b.id,
            original_name="x.pdf",
            sha256="0" * 64,
            detected_type="pdf",
            status="ready",
        )
        s.add(sf)
        s.flush()
        pages = [Page(batch_id=b.id, source_file_id=sf.id, page_index=i) for i in range(n)]
        s.add_all(pages)
        s.flush()
        stages = [PageStage(page_id=p.id, stage="ocr") for p in pages]
        s.add_all(stages)
        s.flush()
        return [st.id for st in stages]


def _stages(ctx) -> dict[int, PageStage]:
    with ctx.session() as s:
        return {st.id: st for st in s.scalars(select(PageStage))}


def test_app_is_built_from_settings(settings):
    app = make_celery(settings, soft_s=12, hard_s=20)
    c = app.conf
    assert c.task_serializer == "json" and c.accept_content == ["json"]
    assert c.task_acks_late and c.worker_prefetch_multiplier == 1
    assert c.broker_url.startswith("filesystem://")
    ocr, fin = app.tasks["sohoa.ocr_page"], app.tasks["sohoa.finish_batch"]
    assert (ocr.soft_time_limit, ocr.time_limit) == (12, 20)
    assert ocr.autoretry_for == (TransientError,) and ocr.max_retries == 5
    assert fin.autoretry_for == (TransientError,)
    routes = {q.name: q.routing_key for q in c.task_queues}
    assert routes == {"ocr": "ocr", "index": "index"}  # separate queues, no cross-delivery
    assert broker_reachable(settings)[0]
    with pytest.raises(ConfigError) as ei:  # a lease shorter than a page may take
        make_celery(
            settings.model_copy(
                update={"pipeline": settings.pipeline.model_copy(update={"lease_s": 60})}
            )
        )
    assert ei.value.code == "lease_too_short"


def test_windowed_enqueue_never_sends_the_backlog(ctx):
    ids = _fake_pages(ctx, 300)
    app = make_celery(ctx.settings)
    cfg = FeedConfig(window=20, grace_s=0.0)
    rep = feed_once(ctx, app, cfg)
    assert rep.sent == ids[:20] and rep.depth == 0
    assert queue_depths(ctx.settings)["ocr"] == 20
    assert feed_once(ctx, app, cfg).sent == []  # window full: nothing more in memory
    # Messages lost (broker wiped, killed worker's prefetch): the queue is empty while the rows
    # are still marked queued, so once the grace passed they are sent again, and only them.
    for f in (ctx.settings.data_dir / "broker" / "queue").glob("*.msg"):
        f.unlink()
    rep = feed_once(ctx, app, cfg)
    assert rep.sent == ids[:20]
    with ctx.session() as s:
        counts = claims.stage_counts(s, "ocr")
    assert counts["queued"] == 20 and counts["pending"] == 280


def test_a_page_given_back_for_a_retry_is_resent_only_when_the_retry_is_overdue(ctx):
    a, b = _fake_pages(ctx, 2)
    app = make_celery(ctx.settings)
    cfg = FeedConfig(window=8, grace_s=0.0)
    assert feed_once(ctx, app, cfg).sent == [a, b]
    for f in (ctx.settings.data_dir / "broker" / "queue").glob("*.msg"):
        f.unlink()  # the workers took both messages
    with ctx.session() as s:
        assert claims.claim(s, a, "h:1", 60, token="t1")
        assert not claims.hand_back(s, a, "h:1/other", 40)  # only the holder gives it back
        assert claims.hand_back(s, a, "h:1/t1", 40)  # its retry is due in 10 s + 30 s grace
        assert claims.stage_counts(s, "ocr")["queued"] == 2
    # The queue is empty and the grace is 0: a lost plain message (b) is sent again, but not
    # the page whose delayed retry a worker may still hold.
    assert feed_once(ctx, app, cfg).sent == [b]
    with ctx.session() as s:
        s.execute(
            update(PageStage)
            .where(PageStage.id == a)
            .values(lease_until=utcnow() - dt.timedelta(seconds=1))
        )
    assert feed_once(ctx, app, cfg).sent == [a]  # overdue: the retry was lost with the broker
    with ctx.session() as s:  # whichever message comes first takes it, the other is a no-op
        assert claims.claim(s, a, "h:2", 60, token="t9")
        assert not claims.claim(s, a, "h:1", 60, token="t1-retry")
    assert _stages(ctx)[a].attempts == 2


def test_retry_delays_double_keep_half_and_stop_at_the_cap():
    from pipeline.tasks import retry_delay

    for retries, lo, hi in ((0, 1, 2), (1, 2, 4), (3, 8, 16), (9, 30, 60)):
        got = [retry_delay(retries, 2.0, 60) for _ in range(200)]
        assert lo <= min(got) and max(got) <= hi, (retries, min(got), max(got))


def test_sweeper_takes_back_dead_and_expired_and_fails_poison_pages(ctx):
    a, b, c, d, e = _fake_pages(ctx, 5)
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)
    host, past = socket.gethostname(), utcnow() - dt.timedelta(seconds=5)
    future = utcnow() + dt.timedelta(seconds=600)
    rows = {
        a: (f"{host}:{dead}/t1", future, 1),
        b: ("autre-machine:12/t2", past, 1),
        c: ("autre-machine:13/t3", future, 1),
        d: (f"{host}:{dead}", future, 3),
        e: (f"{host}:{os.getpid()}/t5", future, 1),
    }
    with ctx.session() as s:
        for sid, (owner, lease, attempts) in rows.items():
            s.execute(
                update(PageStage)
                .where(PageStage.id == sid)
                .values(
                    status=StageStatus.RUNNING, owner=owner, lease_until=lease, attempts=attempts
                )
            )
    with ctx.session() as s:
        assert claims.reclaim_abandoned(s, "ocr", max_attempts=3) == 3
    st = _stages(ctx)
    assert (
        st[a].status == StageStatus.PENDING and st[b].status == StageStatus.PENDING
    )  # dead local pid, lost machine
    assert (
        st[c].status == StageStatus.RUNNING and st[e].status == StageStatus.RUNNING
    )  # live lease, live pid
    assert st[d].status == StageStatus.FAILED and st[d].error_code == "worker_lost" and st[d].error


def test_claim_is_exclusive_and_a_retry_keeps_it(ctx):
    (sid,) = _fake_pages(ctx, 1)
    with ctx.session() as s:
        assert claims.claim(s, sid, "h:1", 60, token="t1")
        assert not claims.claim(s, sid, "h:2", 60, token="t2")
        assert not claims.claim(s, sid, "h:2", 60)
        assert claims.claim(s, sid, "h:3", 60, token="t1")  # the same delivery, retried
        assert claims.hold_claim(s, sid, "h:3/t1", 60)
        assert not claims.hold_claim(s, sid, "h:1/t1", 60)
    assert _stages(ctx)[sid].attempts == 2


def test_batch_lock_makes_assemblers_take_turns(ctx):
    import threading

    order: list[str] = []
    held = threading.Event()

    def other() -> None:
        held.wait(5)
        with claims.batch_lock(ctx.engine, ctx.settings.data_dir / "locks", 7):
            order.append("second")

    t = threading.Thread(target=other)
    t.start()
    lock_dir = ctx.settings.data_dir / "locks"
    with claims.batch_lock(ctx.engine, lock_dir, 7), claims.batch_lock(ctx.engine, lock_dir, 7):
        held.set()  # taken twice by this thread (re-entrant); the other thread must wait
        time.sleep(0.3)
        order.append("first")
    t.join(5)
    assert order == ["first", "second"]


def test_a_lost_database_becomes_a_retryable_error(tmp_path):
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{tmp_path}/nope/x.db")
    with pytest.raises(TransientError) as ei, db_errors(), engine.connect() as c:
        c.execute(text("select 1"))
    assert ei.value.retryable and ei.value.code == "db_unavailable"


@pytest.mark.tesseract
def test_tasks_on_real_pages_are_idempotent(ctx, tmp_path):
    bid = get_or_create_batch(ctx, "lo")
    register_paths(ctx, bid, [make_scans(tmp_path / "scans", 2)])
    app = make_celery(ctx.settings)
    ocr, fin = app.tasks["sohoa.ocr_page"], app.tasks["sohoa.finish_batch"]
    ids = sorted(_stages(ctx))
    assert ocr.apply(args=[ids[0]]).get()["status"] == "done"
    assert queue_depths(ctx.settings)["index"] == 0  # batch not settled yet
    assert ocr.apply(args=[ids[1]]).get()["status"] == "done"
    assert queue_depths(ctx.settings)["index"] == 1  # last page asks for assembly
    assert ocr.apply(args=[ids[0]]).get()["status"] == "skipped"  # duplicate message
    assert fin.apply(args=[bid]).get()["documents"] >= 1
    assert fin.apply(args=[bid]).get()["documents"] == 0  # twice is harmless
    st = _stages(ctx)
    assert all(x.status == "done" and x.attempts == 1 for x in st.values())
    with ctx.session() as s:
        assert s.scalar(select(Page).where(Page.document_id.is_(None))) is None
        assert "Trang" in (s.get(Page, st[ids[0]].page_id).text or "")  # type: ignore[union-attr]


def test_a_retry_lost_with_the_broker_costs_its_delay_not_the_lease(
    settings, tmp_path, monkeypatch
):
    # A page that timed out is retried with a delay. Redis hands the delayed message to a
    # worker at once, which holds it until due; a broker restart without persistence loses it
    # and Celery drops what it held. The page must not stay claimed by a live process for its
    # whole lease (900 s), where nothing takes it back.
    from celery.exceptions import Retry

    monkeypatch.setenv("SOHOA_FAKE_STATE", str(tmp_path / "fake-state"))
    flaky = settings.model_copy(
        update={"ocr": settings.ocr.model_copy(update={"engine": "tests.ocr.fake_engines:flaky"})}
    )
    ctx = open_context(flaky)
    bid = get_or_create_batch(ctx, "mat-thu-lai")
    register_paths(ctx, bid, [make_scans(tmp_path / "scans", 1)])
    app = make_celery(flaky)
    ocr = app.tasks["sohoa.ocr_page"]
    delays: list[float] = []

    def lost(exc=None, countdown=None, **kwargs):  # "sent", never delivered
        delays.append(countdown)
        return Retry(exc=exc, when=countdown)

    sent = ocr.retry
    monkeypatch.setattr(ocr, "retry", lost)
    [stage_id] = sorted(_stages(ctx))
    assert ocr.apply(args=[stage_id]).state == "RETRY"
    row = _stages(ctx)[stage_id]
    assert row.status == StageStatus.PENDING and row.owner == claims.RETRYING
    due = (row.lease_until - utcnow()).total_seconds()  # type: ignore[operator]
    assert delays[0] + 25 < due < delays[0] + 35  # the delay and the grace, not the lease
    cfg = FeedConfig(grace_s=0.0)
    assert feed_once(ctx, app, cfg).sent == []  # a delayed retry may still be on its way
    with ctx.session() as s:
        s.execute(
            update(PageStage)
            .where(PageStage.id == stage_id)
            .values(lease_until=utcnow() - dt.timedelta(seconds=1))
        )
    assert feed_once(ctx, app, cfg).sent == [stage_id]  # overdue: sent again
    monkeypatch.setattr(ocr, "retry", sent)
    assert ocr.apply(args=[stage_id]).get()["status"] == "done"
    assert _stages(ctx)[stage_id].attempts == 2
    ctx.engine.dispose()


@pytest.mark.tesseract
def test_a_broker_outage_after_the_save_leaves_the_page_done(ctx, tmp_path, monkeypatch):
    from kombu.exceptions import OperationalError as BrokerError

    bid = get_or_create_batch(ctx, "mat")
    register_paths(ctx, bid, [make_scans(tmp_path / "scans", 1)])
    app = make_celery(ctx.settings)
    [stage_id] = sorted(_stages(ctx))

    def broker_gone(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(app, "send_task", broker_gone)
    assert app.tasks["sohoa.ocr_page"].apply(args=[stage_id]).get()["status"] == "done"
    assert _stages(ctx)[stage_id].status == "done"
    monkeypatch.undo()
    rep = feed_once(ctx, app, FeedConfig(grace_s=0.0))  # the lost request, sent by the feeder
    assert rep.finishing == [bid] and queue_depths(ctx.settings)["index"] == 1


def _env(settings) -> dict[str, str]:
    return {"SOHOA_DATA_DIR": str(settings.data_dir)}


@pytest.mark.tesseract
def test_embedded_worker_processes_a_batch_and_shows_in_status(
    settings, tmp_path, workers, monkeypatch, capsys
):
    ctx = open_context(settings)
    bid = get_or_create_batch(ctx, "nhung")
    register_paths(ctx, bid, [make_scans(tmp_path / "scans", 3)])
    w = workers(_env(settings))
    proc = w.start("--concurrency", "2")
    wait_for(lambda: worker_overview(ctx)["workers"], 30, "worker heartbeat")
    over = worker_overview(ctx)
    assert over["mode"] == "embedded" and over["workers"][0]["concurrency"] == 2
    assert over["workers"][0]["pid"] == proc.pid
    monkeypatch.setenv("SOHOA_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    capsys.readouterr()
    assert main(["workers", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    get_settings.cache_clear()
    assert [w["pid"] for w in shown["workers"]] == [proc.pid]
    assert set(shown["queues"]) == {"ocr", "index"} and sum(shown["pages"].values()) == 3

    def assembled() -> bool:
        with ctx.session() as s:
            return (
                s.scalar(select(Page.id).where(Page.document_id.is_(None))) is None
                and s.scalar(select(Document.id)) is not None
            )

    wait_for(assembled, 60, "batch to be assembled")
    st = _stages(ctx)
    assert all(x.status == "done" and x.attempts == 1 for x in st.values()), w.log(0)
    w.kill(proc, signal.SIGTERM)
    proc.wait(timeout=30)
    assert worker_overview(ctx)["workers"] == []  # heartbeat removed on shutdown


@pytest.mark.slow
@pytest.mark.tesseract
@pytest.mark.parametrize(
    "limit", [["--time-limit", "0.3"], ["--soft-time-limit", "0.3"]], ids=["hard", "soft"]
)
def test_time_out_is_a_recorded_page_failure(settings, tmp_path, workers, limit):
    ctx = open_context(settings)
    bid = get_or_create_batch(ctx, "cham")
    # A full, dense page: its OCR takes seconds, well past the limit and the timer's tick.
    lines = ["Căn cứ Luật Lưu trữ ngày 11 tháng 11 năm 2011 và các văn bản hướng dẫn"] * 40
    dense = tmp_path / "scans" / "day_dac.pdf"
    dense.parent.mkdir(parents=True)
    dense.write_bytes(image_pdf([text_page(lines, font_px=30)]))
    register_paths(ctx, bid, [dense])
    w = workers(_env(settings))
    w.start("--concurrency", "1", "--max-attempts", "1", *limit)
    (sid,) = list(_stages(ctx))

    def settled() -> bool:
        return _stages(ctx)[sid].status not in (StageStatus.PENDING, StageStatus.RUNNING)

    wait_for(settled, 45, "the page to time out")
    st = _stages(ctx)[sid]
    assert st.status == StageStatus.FAILED and st.error_code == "page_timeout", (st.error, w.log(0))
    assert "quá thời gian" in (st.error or "")


def test_health_reports_database_and_broker(settings, ctx):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.pipeline.conftest import free_port

    body = TestClient(create_app(settings, ctx)).get("/health").json()
    assert body["database_ok"] and body["broker_ok"] and "embedded" in body["broker"]
    down = settings.model_copy(update={"broker_url": f"redis://127.0.0.1:{free_port()}/0"})
    ctx_down = ctx.__class__(down, ctx.engine, ctx.sessions, ctx.storage)
    r = TestClient(create_app(down, ctx_down)).get("/health")
    assert r.status_code == 503 and r.json()["status"] == "degraded"
    assert r.json()["database_ok"] and not r.json()["broker_ok"]


@pytest.mark.parametrize(
    ("engine", "status", "code", "attempts"),
    [
        ("flaky", "done", None, 2),
        ("timeout", "failed", "ocr_timeout", 3),
        ("crash", "failed", "ocr_failed", 1),
    ],
    ids=["timeout-once", "timeout-always", "crash"],
)
def test_celery_retries_time_outs_and_fails_crashes(
    settings, tmp_path, workers, engine, status, code, attempts
):
    # Fault-injecting engines (tests/ocr/fake_engines.py) in real Celery worker processes:
    # a time-out reaches Celery's autoretry; a crash fails the page at once.
    ctx = open_context(settings)
    bid = get_or_create_batch(ctx, "loi")
    register_paths(ctx, bid, [make_scans(tmp_path / "scans", 2)])
    env = {
        **_env(settings),
        "SOHOA_OCR__ENGINE": f"tests.ocr.fake_engines:{engine}",
        "SOHOA_FAKE_STATE": str(tmp_path / "fake-state"),
    }
    w = workers(env)
    w.start("--concurrency", "1")

    def settled() -> bool:
        return all(
            x.status not in (StageStatus.PENDING, StageStatus.RUNNING)
            for x in _stages(ctx).values()
        )

    wait_for(settled, 90, "pages to settle")
    got = {(x.status, x.error_code, x.attempts) for x in _stages(ctx).values()}
    assert got == {(status, code, attempts)}, w.log(0)
