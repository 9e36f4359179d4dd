"""The Celery application, built from Settings: embedded file broker by default, Redis/RabbitMQ.

Embedded mode (``broker_url`` unset) uses Kombu's filesystem transport under
``<data_dir>/broker/``: no server, several worker processes on one machine. Messages carry
page-stage ids only (JSON); the database is the truth, so a message lost with a killed worker
or a restarted broker is re-sent by the sweeper (pipeline/enqueue.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery import Celery
from kombu import Connection, Exchange, Queue

from core.errors import ConfigError
from core.settings import Settings
from core.storage import Storage
from pipeline import fsbroker
from pipeline.queues import INDEX_QUEUE, OCR_QUEUE, QUEUES

fsbroker.install()  # filesystem:// writes whole message files (see pipeline/fsbroker.py)


@dataclass(frozen=True)
class TaskLimits:
    """Per-task time limits and retry policy (seconds)."""

    soft_s: float
    hard_s: float
    max_retries: int = 5
    backoff_max_s: int = 60
    backoff_s: float = 2.0


def limits_for(
    settings: Settings, soft_s: float | None = None, hard_s: float | None = None
) -> TaskLimits:
    """Return the OCR task limits: Tesseract's own page timeout fires first, then Celery's.

    The hard limit must stay below the lease, or a slow page could be handed to a second
    worker while the first is still on it.
    """
    soft = soft_s if soft_s is not None else settings.ocr.page_timeout_s + 60.0
    hard = hard_s if hard_s is not None else soft + 30.0
    return TaskLimits(soft_s=soft, hard_s=hard, backoff_s=settings.pipeline.retry_backoff_s)


def embedded_broker_dir(settings: Settings) -> Path:
    """Return the folder of the embedded filesystem broker."""
    return Storage(settings.data_dir).broker.resolve()


def broker_url(settings: Settings) -> str:
    """Return the broker URL: the configured one, or the embedded filesystem transport."""
    return settings.broker_url or "filesystem://localhost/"


def is_embedded(settings: Settings) -> bool:
    """Return True when no broker server is configured."""
    return not settings.broker_url


def _transport_options(settings: Settings) -> dict[str, Any]:
    if not is_embedded(settings):
        # Redis redelivers unacked messages only after this long; the sweeper is faster.
        return {"visibility_timeout": 3600}
    root = embedded_broker_dir(settings)
    for sub in ("queue", "processed", "control"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    # ``store_processed`` keeps the taking of a message an atomic rename inside one
    # filesystem (the default moves it to /tmp, possibly a copy); the feeder prunes it.
    return {
        "data_folder_in": str(root / "queue"),
        "data_folder_out": str(root / "queue"),
        "processed_folder": str(root / "processed"),
        "store_processed": True,
        "control_folder": str(root / "control"),
        "polling_interval": 0.2,
    }


def make_celery(
    settings: Settings, soft_s: float | None = None, hard_s: float | None = None
) -> Celery:
    """Build the Celery app and register the stage tasks with limits from ``settings``."""
    from pipeline import tasks

    limits = limits_for(settings, soft_s, hard_s)
    if settings.pipeline.lease_s <= limits.hard_s:
        raise ConfigError(
            f"lease {settings.pipeline.lease_s}s must exceed the hard time limit {limits.hard_s}s",
            code="lease_too_short",
            message_vi="SOHOA_PIPELINE__LEASE_S phải lớn hơn giới hạn thời gian cứng của một "
            f"trang ({limits.hard_s:.0f} giây), nếu không một trang có thể bị hai máy cùng làm.",
        )
    app = Celery("sohoa", broker=broker_url(settings), set_as_current=False)
    app.conf.update(
        broker_transport_options=_transport_options(settings),
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        result_backend=None,
        task_acks_late=True,
        # A message is reserved only when a process is free: no page waits behind another.
        worker_prefetch_multiplier=1,
        task_reject_on_worker_lost=False,  # the sweeper, not the broker, resends lost pages
        # A broker outage does not cancel pages being processed: they save to the database.
        worker_cancel_long_running_tasks_on_connection_loss=False,
        task_queues=[Queue(q, Exchange(q, "direct"), routing_key=q) for q in QUEUES],
        task_default_queue=OCR_QUEUE,
        task_default_exchange=OCR_QUEUE,
        task_default_routing_key=OCR_QUEUE,
        task_routes={
            "sohoa.ocr_page": {"queue": OCR_QUEUE},
            "sohoa.finish_batch": {"queue": INDEX_QUEUE},
        },
        worker_max_tasks_per_child=200,
        worker_hijack_root_logger=False,
        worker_enable_remote_control=not is_embedded(settings),
        worker_send_task_events=False,
        enable_utc=True,
    )
    tasks.register(app, settings, limits)
    return app


def broker_connection(settings: Settings, timeout_s: float = 3.0) -> Connection:
    """Return a Kombu connection that gives up after ``timeout_s`` instead of retrying forever."""
    opts = {
        **_transport_options(settings),
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.5,
        "connect_retries_timeout": timeout_s,
    }
    return Connection(broker_url(settings), transport_options=opts, connect_timeout=timeout_s)


def broker_reachable(settings: Settings, timeout_s: float = 2.0) -> tuple[bool, str]:
    """Return whether the broker answers, and a short description (never raises)."""
    if is_embedded(settings):
        root = embedded_broker_dir(settings)
        return root.is_dir() or root.parent.is_dir(), "filesystem (embedded)"
    kind = broker_url(settings).split("://", 1)[0]
    try:
        with broker_connection(settings, timeout_s) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout_s)
        return True, kind
    except Exception as e:  # any failure to connect is "unreachable", reported, not raised
        return False, f"{kind}: {type(e).__name__}"
