"""Windowed enqueueing, the sweeper and worker heartbeats, run by every ``sohoa worker``.

Each cycle: take back pages whose worker died (lease expired, or local pid gone), top the OCR
queue up to ``window`` messages from the pending rows (never the whole backlog: 50,000 pending
pages put at most ``window`` messages in the broker), re-send messages that must have been
lost (queue empty yet rows marked queued long ago: a killed worker's prefetch, a broker
restarted without persistence), ask the index queue to finish settled batches, and write this
worker's heartbeat file under ``<data_dir>/workers/`` (shared storage, so ``sohoa status`` on
any machine sees every worker). Several workers may feed at once: marking rows is atomic, and
a duplicated message is a no-op at claim time.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from celery import Celery
from kombu.utils.url import maybe_sanitize_url

from core.context import AppContext
from core.db import utcnow
from core.settings import Settings
from core.storage import Storage
from pipeline import claims
from pipeline.celery_app import (
    broker_connection,
    broker_url,
    embedded_broker_dir,
    is_embedded,
)
from pipeline.queues import INDEX_QUEUE, OCR_QUEUE

log = logging.getLogger(__name__)
STAGE = "ocr"


@dataclass
class FeedConfig:
    """How the feeder paces the queue."""

    window: int = 64
    requeue_after_s: float = 900.0
    grace_s: float = 30.0
    interval_s: float = 2.0
    max_attempts: int = claims.DEFAULT_MAX_ATTEMPTS
    queues: tuple[str, ...] = (OCR_QUEUE, INDEX_QUEUE)
    concurrency: int = 1


@dataclass
class FeedReport:
    """What one cycle did."""

    reclaimed: int = 0
    sent: list[int] = field(default_factory=list)
    depth: int = 0
    finishing: list[int] = field(default_factory=list)


def queue_depths(
    settings: Settings, queues: tuple[str, ...] = (OCR_QUEUE, INDEX_QUEUE), timeout_s: float = 3.0
) -> dict[str, int]:
    """Return the number of messages waiting in each queue (declaring them if needed)."""
    with broker_connection(settings, timeout_s) as conn:
        ch = conn.default_channel
        return {
            q: int(ch.queue_declare(queue=q, durable=True, auto_delete=False).message_count)
            for q in queues
        }


def publish(app: Celery, task: str, queue: str, ids: list[int]) -> None:
    """Send one message per id on one producer connection."""
    if not ids:
        return
    with app.producer_or_acquire() as producer:
        for i in ids:
            app.send_task(task, args=[i], queue=queue, producer=producer)


def feed_once(ctx: AppContext, app: Celery, cfg: FeedConfig) -> FeedReport:
    """Run one sweep-and-enqueue cycle; see the module docstring."""
    rep = FeedReport()
    with ctx.session() as s:
        rep.reclaimed = claims.reclaim_abandoned(s, STAGE, cfg.max_attempts)
    if rep.reclaimed:
        log.warning("took back %d abandoned pages", rep.reclaimed)
    depths = queue_depths(ctx.settings)
    rep.depth = depths[OCR_QUEUE]
    stale = None
    if rep.depth == 0:  # nothing ahead of a marked row: if it is old, its message is gone
        stale = utcnow() + dt.timedelta(seconds=cfg.requeue_after_s - cfg.grace_s)
    with ctx.session() as s:
        rep.sent = claims.mark_queued(s, STAGE, cfg.window - rep.depth, cfg.requeue_after_s, stale)
    publish(app, "sohoa.ocr_page", OCR_QUEUE, rep.sent)
    if depths[INDEX_QUEUE] == 0:
        with ctx.session() as s:
            rep.finishing = claims.batches_to_finish(s, STAGE)
        publish(app, "sohoa.finish_batch", INDEX_QUEUE, rep.finishing)
    return rep


def _prune_processed(settings: Settings, older_than_s: float = 600.0) -> None:
    folder = embedded_broker_dir(settings) / "processed"
    cutoff = time.time() - older_than_s
    for f in folder.glob("*.msg") if folder.is_dir() else ():
        try:
            if f.stat().st_mtime < cutoff:
                f.unlink()
        except FileNotFoundError:  # another worker pruned it first
            pass


def heartbeat_dir(settings: Settings) -> Path:
    """Return the folder of worker heartbeat files (on the shared storage mount)."""
    return Storage(settings.data_dir).workers


class Feeder:
    """The feeder/sweeper/heartbeat loop of one worker, on a background thread."""

    def __init__(self, ctx: AppContext, app: Celery, cfg: FeedConfig) -> None:
        self.ctx, self.app, self.cfg = ctx, app, cfg
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sohoa-feeder", daemon=True)
        self.started = utcnow()
        self.beat_file = heartbeat_dir(ctx.settings) / f"{socket.gethostname()}-{os.getpid()}.json"

    def start(self) -> None:
        """Start the loop."""
        self._thread.start()

    def stop(self) -> None:
        """Stop the loop and remove the heartbeat."""
        self._stop.set()
        self._thread.join(timeout=10)
        self.beat_file.unlink(missing_ok=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.cycle()
            self._stop.wait(self.cfg.interval_s)

    def cycle(self) -> FeedReport | None:
        """Run one cycle; a broker or database outage is logged and tried again next cycle."""
        rep = None
        try:
            rep = feed_once(self.ctx, self.app, self.cfg)
            if is_embedded(self.ctx.settings):
                _prune_processed(self.ctx.settings)
        except Exception as e:  # the loop must outlive outages; the next cycle retries
            log.warning(
                "feeder cycle failed (%s: %s); retrying in %.1f s",
                type(e).__name__,
                e,
                self.cfg.interval_s,
            )
        self._beat(rep)
        return rep

    def _beat(self, rep: FeedReport | None) -> None:
        payload = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "queues": list(self.cfg.queues),
            "concurrency": self.cfg.concurrency,
            "started": self.started.isoformat(),
            "beat": time.time(),
            "interval_s": self.cfg.interval_s,
            "last_cycle": asdict(rep) if rep else None,
        }
        try:
            self.beat_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.beat_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(payload), encoding="utf-8")
            tmp.replace(self.beat_file)
        except OSError as e:  # a full or unmounted share must not stop the worker
            log.warning("cannot write heartbeat %s: %s", self.beat_file, e)


def live_workers(settings: Settings) -> list[dict[str, Any]]:
    """Return the heartbeats written within three feeder intervals, newest first."""
    now, out = time.time(), []
    folder = heartbeat_dir(settings)
    for f in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        try:
            beat = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if now - float(beat.get("beat", 0)) <= 3 * float(beat.get("interval_s", 2.0)) + 5:
            beat.pop("last_cycle", None)
            out.append(beat)
    return sorted(out, key=lambda b: -float(b["beat"]))


def worker_overview(ctx: AppContext) -> dict[str, Any]:
    """Return live workers, queue depths and page counts, for ``sohoa status`` (never raises)."""
    out: dict[str, Any] = {
        "mode": "embedded" if is_embedded(ctx.settings) else "server",
        "broker": maybe_sanitize_url(broker_url(ctx.settings)),
        "workers": live_workers(ctx.settings),
        "queues": {},
    }
    with ctx.session() as s:
        out["pages"] = claims.stage_counts(s, STAGE)
    try:
        out["queues"] = queue_depths(ctx.settings)
    except Exception as e:  # status must still show the database side
        out["queues_error"] = f"{type(e).__name__}: {e}"
    return out
