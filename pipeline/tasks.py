"""Celery tasks, one per stage: take ids, claim, call the runner's stage functions, persist.

``ocr_page`` and ``finish_batch`` call the same functions as the in-process runner
(``process_page``, ``save_page_result``, ``runner.finish_batch`` under the batch lock); the
claim in ``page_stage`` makes a redelivered or duplicated message a no-op, so ``acks_late``
is safe. Database hiccups become :class:`TransientError` and are retried with backoff; a
time-out or a crash becomes a recorded page failure with its reason. A page retried with a
delay is given back first (``claims.hand_back``), so a retry the broker loses costs the delay
and a grace, not the page's lease.
"""

from __future__ import annotations

import logging
import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy.exc import DBAPIError, OperationalError

from core.context import AppContext
from core.db import Page, PageStage, make_engine, make_sessionmaker
from core.errors import SohoaError, StageError, TransientError
from core.settings import Settings
from core.storage import Storage
from pipeline import claims, runner
from pipeline.runner import stop_error
from pipeline.steps import (
    Outcome,
    PageResult,
    load_job,
    one_thread_each,
    process_page,
    save_page_result,
    worker_id,
)

log = logging.getLogger(__name__)
_contexts: dict[tuple[int, str, str], AppContext] = {}
DB_UNAVAILABLE = "db_unavailable"
TIMEOUT_VI = (
    "Trang xử lý quá thời gian cho phép ({:.0f} giây) và bị dừng; hãy kiểm tra bản "
    "quét (quá lớn, quá nhiễu) rồi xử lý lại."
)
# How long after its due time a delayed retry may still arrive before the feeder sends the page
# again: a worker busy with another page runs a due retry only when a process is free.
RETRY_GRACE_S = 30.0


def context_for(settings: Settings) -> AppContext:
    """Return this process's context (engines are never shared across forked processes)."""
    key = (os.getpid(), settings.db_url, str(settings.data_dir))
    if key not in _contexts:
        one_thread_each()  # once per worker process, as the runner's pool initializer does
        engine = make_engine(settings.db_url)  # the worker's parent already migrated
        _contexts[key] = AppContext(
            settings, engine, make_sessionmaker(engine), Storage(settings.data_dir)
        )
    return _contexts[key]


@contextmanager
def db_errors() -> Iterator[None]:
    """Turn a lost or busy database into a retryable :class:`TransientError`."""
    try:
        yield
    except (OperationalError, DBAPIError) as e:
        if isinstance(e, OperationalError) or e.connection_invalidated:
            raise TransientError(
                f"database unavailable: {e}",
                code=DB_UNAVAILABLE,
                message_vi="Cơ sở dữ liệu tạm thời không truy cập được; sẽ thử lại.",
            ) from e
        raise


class StageTask(Task):
    """Base of the stage tasks: a failure that escapes the task is recorded on the page."""

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        """Record a hard time-out or an unexpected error on the page row we still hold."""
        if self.name != "sohoa.ocr_page" or not args:
            return
        if isinstance(exc, TimeLimitExceeded | SoftTimeLimitExceeded):
            limit = self.time_limit if isinstance(exc, TimeLimitExceeded) else self.soft_time_limit
            code, msg = "page_timeout", TIMEOUT_VI.format(limit or 0)
        elif isinstance(exc, SohoaError) and not isinstance(exc, TransientError | StageError):
            code, msg = "", ""  # the engine is missing or misconfigured: not the page's fault
        elif isinstance(exc, TransientError):
            code, msg = "", ""  # the database was down: give the page back, it is resent
        else:
            code, msg = "internal_error", f"Lỗi nội bộ khi xử lý trang ({type(exc).__name__})."
        try:
            ctx = context_for(self.app.sohoa_settings)
            with ctx.session() as s:
                if code:
                    claims.fail_running(s, int(args[0]), f"%/{task_id}", code, msg)
                else:
                    claims.release(s, int(args[0]), f"%/{task_id}")
        except Exception:  # the database may be the very thing that is down
            log.warning(
                "could not record failure of stage row %s; its lease will expire",
                args[0],
                exc_info=True,
            )


def _timeout_result(page_id: int, soft_s: float) -> PageResult:
    return PageResult(
        page_id, Outcome.FAILED, error_code="page_timeout", error=TIMEOUT_VI.format(soft_s)
    )


def ocr_page(self: Task, stage_id: int) -> dict[str, Any]:
    """Claim one page, OCR it, save the result if the claim is still ours; ids in and out."""
    settings: Settings = self.app.sohoa_settings
    ctx, lease = context_for(settings), settings.pipeline.lease_s
    owner, token = worker_id(), str(self.request.id)
    with db_errors(), ctx.session() as s:
        if not claims.claim(s, stage_id, owner, lease, token=token):
            return {"stage_id": stage_id, "status": "skipped"}
        loaded = load_job(s, ctx.storage, stage_id)
        started = s.get(PageStage, stage_id).attempts  # type: ignore[union-attr]
    assert loaded is not None
    job, batch_id = loaded
    try:
        result = process_page(job, settings)
    except SoftTimeLimitExceeded:
        result = _timeout_result(job.page_id, self.soft_time_limit or 0)
    # Starts of the page, counted on its row too: a retry the broker lost is sent again by
    # the feeder as a new message, whose own count starts at 0.
    tries = max(self.request.retries + 1, started or 0)
    if result.outcome == Outcome.RETRY and tries >= settings.pipeline.max_attempts:
        # The page itself kept timing out.
        result.outcome = Outcome.FAILED
        result.error = f"{result.error} (đã thử {tries} lần)"
    if result.outcome == Outcome.RETRY:
        _retry_later(self, ctx, stage_id, f"{owner}/{token}", result)
    if result.outcome == Outcome.STOP:  # on_failure gives the page back
        raise stop_error(result)
    with db_errors(), ctx.session() as s:
        if not claims.hold_claim(s, stage_id, f"{owner}/{token}", lease):
            return {"stage_id": stage_id, "status": "lost_lease"}  # someone else owns it now
        page, st = s.get(Page, job.page_id), s.get(PageStage, stage_id)
        assert page is not None and st is not None
        save_page_result(page, st, result)
        settled = not claims.unsettled_count(s, batch_id)
    if settled:
        try:
            self.app.send_task("sohoa.finish_batch", args=[batch_id])
        except BrokerError as e:
            # The page is saved: a broker outage now must not make the task a failure. The
            # feeder asks for settled batches to be finished whenever the index queue is empty.
            log.warning("could not ask to finish batch %s (%s); the feeder will", batch_id, e)
    return {"stage_id": stage_id, "status": "done" if result.ok else "failed"}


def retry_delay(retries: int, first_s: float, max_s: float) -> float:
    """Return the wait before retry number ``retries + 1``: doubling, with equal jitter.

    Half the backoff is kept (unlike full jitter) so a retry never comes back at once, and the
    other half spreads the retries of many pages that failed together (a database outage).
    """
    base = min(max_s, first_s * 2**retries)
    return base / 2 + random.uniform(0, base / 2)


def _retry_later(
    self: Task, ctx: AppContext, stage_id: int, owner: str, result: PageResult
) -> None:
    """Give the page back, then send its retry with a delay (raises Celery's ``Retry``).

    Once the retries are used up the error itself is raised; ``on_failure`` gives the page back.
    """
    exc = TransientError(
        result.error or "", code=result.error_code or "transient", message_vi=result.error
    )
    if self.request.retries >= (self.max_retries or 0):
        raise exc
    pipeline = ctx.settings.pipeline
    delay = retry_delay(self.request.retries, pipeline.retry_backoff_s, self.retry_backoff_max)
    try:
        with ctx.session() as s:
            claims.hand_back(s, stage_id, owner, delay + RETRY_GRACE_S)
    except Exception:  # the database is down too: the retry takes the claim back by its token
        log.warning("could not give back stage row %s before its retry", stage_id, exc_info=True)
    raise self.retry(exc=exc, countdown=delay)


def finish_batch(self: Task, batch_id: int) -> dict[str, Any]:
    """Assemble the batch's documents (the runner's ``finish_batch``), one writer at a time."""
    ctx = context_for(self.app.sohoa_settings)
    with db_errors(), claims.batch_lock(ctx.engine, lock_dir(ctx.settings), batch_id):
        n = runner.finish_batch(ctx, batch_id)
    return {"batch_id": batch_id, "documents": n}


def lock_dir(settings: Settings) -> Path:
    """Return the folder of the SQLite-mode batch lock files."""
    return Storage(settings.data_dir).locks


def register(app: Celery, settings: Settings, limits: Any) -> None:
    """Register the stage tasks on ``app`` with the given time limits and retry policy."""
    app.sohoa_settings = settings
    common: dict[str, Any] = {
        "bind": True,
        "base": StageTask,
        "acks_late": True,
        "autoretry_for": (TransientError,),
        "retry_backoff": max(1, round(limits.backoff_s)),  # Celery takes whole seconds
        "retry_backoff_max": limits.backoff_max_s,
        "retry_jitter": True,
        "max_retries": limits.max_retries,
    }
    app.task(
        name="sohoa.ocr_page", soft_time_limit=limits.soft_s, time_limit=limits.hard_s, **common
    )(ocr_page)
    app.task(name="sohoa.finish_batch", soft_time_limit=600, time_limit=900, **common)(finish_batch)
