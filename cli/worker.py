"""``sohoa worker``: a Celery worker with its feeder/sweeper, or ``--once`` to drain in-process.

Without a broker configured the worker uses the embedded filesystem broker under the data
directory; with ``SOHOA_BROKER_URL`` (Redis or RabbitMQ) any number of workers on any number
of machines share the queues, the database and the storage mount.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, NoReturn

from cli.preflight import preflight
from pipeline.queues import INDEX_QUEUE, QUEUES

if TYPE_CHECKING:  # imported where used: `sohoa --help` loads none of it
    from core.context import AppContext

log = logging.getLogger(__name__)


def _drain(args: argparse.Namespace, ctx: AppContext) -> int:
    """Process pending pages of every batch with the in-process pool (``--once`` or polling)."""
    from sqlalchemy import select

    from core.db import Batch
    from pipeline.claims import batch_lock
    from pipeline.runner import finish_batch, run_pages
    from pipeline.tasks import lock_dir

    while True:
        progress = run_pages(ctx, None, workers=args.concurrency)
        with ctx.session() as s:
            batch_ids = list(s.scalars(select(Batch.id)))
        for bid in batch_ids:  # same one-writer lock as the Celery index queue
            with batch_lock(ctx.engine, lock_dir(ctx.settings), bid):
                finish_batch(ctx, bid)
        if args.once:
            return 0
        if not progress.total:
            time.sleep(args.poll)


def _queues(value: str) -> tuple[str, ...]:

    names = tuple(q.strip() for q in value.split(",") if q.strip())
    bad = [q for q in names if q not in QUEUES]
    if bad or not names:
        raise argparse.ArgumentTypeError(
            f"hàng đợi không hợp lệ: {','.join(bad) or value!r} (chọn trong {','.join(QUEUES)})"
        )
    return names


def cmd_worker(args: argparse.Namespace, ctx: AppContext) -> int:
    """Run a Celery worker on the given queues, feeding and sweeping the OCR queue."""
    from celery.signals import worker_ready

    from pipeline.celery_app import is_embedded, make_celery
    from pipeline.enqueue import FeedConfig, Feeder

    os.environ["OMP_THREAD_LIMIT"] = "1"  # one Tesseract thread per process; cores = processes
    preflight(ctx)  # index workers re-read regions (seals, boxed marks) with the engine too
    if args.once or args.in_process:
        return _drain(args, ctx)
    settings = ctx.settings
    queues: tuple[str, ...] = args.queues
    concurrency = args.concurrency or (1 if queues == (INDEX_QUEUE,) else settings.worker_count)
    app = make_celery(settings, args.soft_time_limit, args.time_limit)
    cfg = FeedConfig(
        window=args.window or max(8, 4 * concurrency),
        requeue_after_s=args.requeue_after,
        grace_s=args.grace,
        interval_s=args.sweep_interval,
        max_attempts=args.max_attempts,
        queues=queues,
        concurrency=concurrency,
    )
    feeder = Feeder(ctx, app, cfg)
    feeder.start()
    log.warning(
        "worker %s:%d on %s (%s broker), concurrency %d",
        socket.gethostname(),
        os.getpid(),
        ",".join(queues),
        "embedded" if is_embedded(settings) else "server",
        concurrency,
    )
    ready = threading.Event()
    worker_ready.connect(lambda **_: ready.set(), weak=False)
    try:
        worker = app.Worker(
            queues=list(queues),
            concurrency=concurrency,
            loglevel=args.loglevel,
            optimization="fair",
            hostname=f"sohoa-{os.getpid()}@{socket.gethostname()}",
            without_gossip=True,
            without_mingle=True,
            without_heartbeat=True,
        )
        worker.start()
        code = int(worker.exitcode or 0)
    finally:
        feeder.stop()
    exec_argv: list[str] | None = getattr(args, "exec_argv", None)
    if code and ready.is_set() and not _shutdown_requested() and exec_argv:
        # Celery ended on an error of its own after having run, not on a signal. Seen on a
        # broker restart while a pool process waits on the broker: kombu 5.7's teardown of
        # the lost connection raises AttributeError (not a connection error) and Celery 5.7
        # stops the whole worker as "Unrecoverable". Nothing would take pages any more, nor
        # send the lost messages again (the feeder lives in this process), and without a
        # supervisor the batch would wait forever: start afresh in place, same pid for
        # systemd. Not before the first "ready": a start-up error must not loop.
        log.error(
            "the Celery worker stopped on an error (exit %d); starting again in %.0f s",
            code,
            RESTART_DELAY_S,
        )
        _restart_in_place(ctx, exec_argv)
    return code


RESTART_DELAY_S = 2.0


def _shutdown_requested() -> bool:
    """Return True if Celery was asked to stop (a signal: warm or cold shutdown)."""
    from celery.worker import state

    return state.should_stop is not None or state.should_terminate is not None


def _restart_in_place(ctx: AppContext, argv: list[str]) -> NoReturn:
    """Replace this process with a fresh run of the same command line (same pid)."""
    time.sleep(RESTART_DELAY_S)  # a worker that keeps failing must not spin
    ctx.engine.dispose()
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)


def cmd_workers(args: argparse.Namespace, ctx: AppContext) -> int:
    """Show live workers, queue depths and page counts (what ``sohoa status`` adds)."""
    from pipeline.enqueue import worker_overview

    over = worker_overview(ctx)
    if args.json:
        print(json.dumps(over, ensure_ascii=False, indent=2))
        return 0
    print(
        f"Chế độ: {'nhúng' if over['mode'] == 'embedded' else 'máy chủ'} — "
        f"hàng đợi: {over['broker']}"
    )
    for w in over["workers"]:
        print(
            f"  tiến trình {w['host']}:{w['pid']}  hàng {','.join(w['queues'])}  "
            f"song song {w['concurrency']}  từ {w['started'][:19]}"
        )
    if not over["workers"]:
        print("  (không có tiến trình xử lý nào đang chạy)")
    depth = over["queues"] or {"lỗi": over.get("queues_error")}
    print("Hàng đợi: " + ", ".join(f"{k}={v}" for k, v in depth.items()))
    print("Trang: " + ", ".join(f"{k}={v}" for k, v in over["pages"].items()))
    return 0


def register(sub: Any) -> None:
    """Add the ``worker`` and ``workers`` commands."""
    ws = sub.add_parser("workers", help="các tiến trình xử lý đang chạy và độ dài hàng đợi")
    ws.add_argument("--json", action="store_true")
    ws.set_defaults(func=cmd_workers)
    wk = sub.add_parser(
        "worker", help="chạy tiến trình xử lý (Celery; --once: xử lý hết rồi thoát)"
    )
    wk.add_argument(
        "--queues",
        type=_queues,
        default=QUEUES,
        help="hàng đợi: ocr (nặng CPU), index (một người ghi); mặc định cả hai",
    )
    wk.add_argument(
        "--concurrency",
        "--workers",
        dest="concurrency",
        type=int,
        default=None,
        help="số tiến trình (mặc định: số lõi; 1 cho riêng hàng index)",
    )
    wk.add_argument(
        "--once",
        action="store_true",
        help="xử lý hết các trang đang chờ bằng tiến trình tại chỗ rồi thoát",
    )
    wk.add_argument(
        "--in-process",
        action="store_true",
        help="không dùng Celery: tiến trình tại chỗ, thăm dò cơ sở dữ liệu",
    )
    wk.add_argument("--poll", type=float, default=5.0, help="(--in-process) giây giữa hai lần")
    wk.add_argument(
        "--window",
        type=int,
        default=0,
        help="số thông điệp tối đa trong hàng ocr (mặc định 4 × concurrency)",
    )
    wk.add_argument("--sweep-interval", type=float, default=2.0)
    wk.add_argument(
        "--requeue-after",
        type=float,
        default=900.0,
        help="gửi lại trang đã xếp hàng mà chưa ai nhận sau chừng ấy giây",
    )
    wk.add_argument(
        "--grace",
        type=float,
        default=30.0,
        help="khi hàng rỗng: trang xếp hàng quá chừng ấy giây coi như mất tin",
    )
    wk.add_argument("--max-attempts", type=int, default=3)
    wk.add_argument("--soft-time-limit", type=float, default=None)
    wk.add_argument("--time-limit", type=float, default=None)
    wk.add_argument("--loglevel", default="WARNING")
    wk.set_defaults(func=cmd_worker)
