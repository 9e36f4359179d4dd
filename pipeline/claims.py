"""Claiming pages for a stage with a lease, and taking back the ones whose worker died.

The ``page_stage`` row is the truth. A row moves ``pending → running → done | failed``:

- ``claim`` flips a pending row to running with an owner (``host:pid``, optionally
  ``host:pid/token`` where the token is the Celery task id) and a lease;
- ``hold_claim`` checks, and renews, that the row is still ours right before saving, so a
  worker whose lease was taken over throws its result away instead of saving it twice;
- ``reclaim_abandoned`` puts back rows whose lease expired or whose local owner died, and
  fails a page that killed its worker too often (a poison page) with its reason;
- ``mark_queued`` marks pending rows as handed to the broker (``owner = 'queued'`` and a
  re-enqueue deadline in ``lease_until``), so windowed enqueueing never sends one page twice
  while its message can still be delivered;
- ``hand_back`` gives a running row back before its holder schedules a retry (``owner =
  'retrying'``, ``lease_until`` = when the retry is due plus a grace): the retry message
  claims it like any pending row, and if the broker loses that message the feeder sends the
  page again once the deadline passed, not after the 900 s lease.

On PostgreSQL the row selections use ``FOR UPDATE SKIP LOCKED`` so concurrent feeders and
workers never wait on each other; on SQLite every write takes the database write lock, and
each change is a conditional ``UPDATE`` whose row count says who won.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.db import Page, PageStage, utcnow
from core.states import StageStatus

QUEUED = "queued"  # owner of a pending row whose message is in the broker
RETRYING = "retrying"  # owner of a pending row whose holder scheduled a retry with a delay
DEFAULT_MAX_ATTEMPTS = 3
WORKER_LOST_VI = (
    "Tiến trình xử lý trang này bị dừng đột ngột nhiều lần (hết thời gian, hết bộ nhớ hoặc "
    "máy bị tắt); trang được đánh dấu lỗi để không chặn lô."
)
_LOCK_NS = 0x50A  # first key of sohoa's advisory locks (the batch id is the second)
_local = threading.local()  # batch locks this thread holds (re-entrancy)


def claim(s: Session, stage_id: int, owner: str, lease_s: int, token: str | None = None) -> bool:
    """Atomically flip one pending stage row to running; False if someone else got it.

    With ``token`` (a Celery task id), a row already running under the same token is taken
    again: that is a retry of the same delivery, not a second worker.
    """
    now = utcnow()
    cond = PageStage.status == StageStatus.PENDING
    if token:
        cond = or_(
            cond, and_(PageStage.status == StageStatus.RUNNING, PageStage.owner.like(f"%/{token}"))
        )
    res = s.execute(
        update(PageStage)
        .where(PageStage.id == stage_id, cond)
        .values(
            status=StageStatus.RUNNING,
            owner=f"{owner}/{token}" if token else owner,
            lease_until=now + dt.timedelta(seconds=lease_s),
            started_at=now,
            attempts=PageStage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(res, "rowcount", 0) == 1)


def hold_claim(s: Session, stage_id: int, owner: str, lease_s: int) -> bool:
    """Return True if the row is still running under ``owner`` (and renew its lease).

    The conditional ``UPDATE`` also takes the row lock (PostgreSQL) or the write lock
    (SQLite) for the rest of the transaction, so the save that follows cannot race a
    sweeper that would hand the page to someone else.
    """
    return _update_held(s, stage_id, owner, lease_until=utcnow() + dt.timedelta(seconds=lease_s))


def _update_held(s: Session, stage_id: int, holder: str, **values: object) -> bool:
    """Update the row if it is running under ``holder``; True if it was."""
    res = s.execute(
        update(PageStage)
        .where(
            PageStage.id == stage_id,
            PageStage.status == StageStatus.RUNNING,
            PageStage.owner == holder,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(res, "rowcount", 0) == 1)


def pending_stage_ids(s: Session, stage: str, batch_id: int | None, limit: int) -> list[int]:
    """Return up to ``limit`` pending stage-row ids, oldest pages first."""
    q = (
        select(PageStage.id)
        .join(Page, Page.id == PageStage.page_id)
        .where(PageStage.stage == stage, PageStage.status == StageStatus.PENDING)
        .order_by(Page.id)
        .limit(limit)
    )
    if batch_id is not None:
        q = q.where(Page.batch_id == batch_id)
    if _is_postgres(s):
        q = q.with_for_update(skip_locked=True, of=PageStage)
    return list(s.scalars(q))


def mark_queued(
    s: Session,
    stage: str,
    limit: int,
    requeue_after_s: float,
    stale_before: dt.datetime | None = None,
) -> list[int]:
    """Mark up to ``limit`` pending rows as sent to the broker and return their ids.

    Eligible rows are pending and either never queued or queued so long ago that their
    message must be lost (``lease_until`` passed, or, when ``stale_before`` is given because
    the queue is empty, marked before it). The caller publishes one message per id after
    committing.
    """
    if limit <= 0:
        return []
    now = utcnow()
    lost = or_(PageStage.lease_until.is_(None), PageStage.lease_until < now)
    if stale_before is not None:
        # Not a retrying row: its delayed message waits in a worker, so an empty queue says
        # nothing about it; its own deadline (when the retry is overdue) is the one that counts.
        lost = or_(lost, and_(PageStage.owner == QUEUED, PageStage.lease_until < stale_before))
    q = (
        select(PageStage.id)
        .where(PageStage.stage == stage, PageStage.status == StageStatus.PENDING, lost)
        .order_by(PageStage.page_id)
        .limit(limit)
    )
    if _is_postgres(s):
        q = q.with_for_update(skip_locked=True)
    ids = list(s.scalars(q))
    if not ids:
        return []
    res = s.execute(
        update(PageStage)
        .where(PageStage.id.in_(ids), PageStage.status == StageStatus.PENDING, lost)
        .values(owner=QUEUED, lease_until=now + dt.timedelta(seconds=requeue_after_s))
        .returning(PageStage.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(int(i) for i in res.scalars())


def hand_back(s: Session, stage_id: int, owner: str, due_in_s: float) -> bool:
    """Give our running row back as pending, to be sent again if not claimed in ``due_in_s``.

    Called before a delayed retry is sent. The retry claims the row as any message does; if the
    broker loses it (a restart without persistence drops the delayed messages workers hold),
    the feeder re-sends the page once ``due_in_s`` has passed.
    """
    return _update_held(
        s,
        stage_id,
        owner,
        status=StageStatus.PENDING,
        owner=RETRYING,
        lease_until=utcnow() + dt.timedelta(seconds=due_in_s),
    )


def parse_owner(owner: str | None) -> tuple[str, int | None]:
    """Split ``host:pid`` or ``host:pid/token`` into the host and the pid (None if absent)."""
    if not owner or ":" not in owner:
        return owner or "", None
    host, _, rest = owner.rpartition(":")
    pid = rest.partition("/")[0]
    return host, int(pid) if pid.isdigit() else None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reclaim_abandoned(s: Session, stage: str, max_attempts: int | None = None) -> int:
    """Put back to pending the running rows whose lease expired or whose local owner died.

    A lease covers workers on other machines; the pid check lets a restarted run resume at
    once instead of waiting for the lease after a crash or a kill. With ``max_attempts``, a
    page that has already been started that many times is failed with ``worker_lost`` and
    its reason instead of being handed out again. Returns the number of rows changed.
    """
    now = utcnow()
    host = socket.gethostname()
    q = select(PageStage.id, PageStage.owner, PageStage.lease_until, PageStage.attempts).where(
        PageStage.stage == stage, PageStage.status == StageStatus.RUNNING
    )
    if _is_postgres(s):
        q = q.with_for_update(skip_locked=True)
    retry: list[int] = []
    poison: list[int] = []
    for row_id, owner, lease, attempts in s.execute(q).all():
        o_host, o_pid = parse_owner(owner)
        local_dead = o_host == host and o_pid is not None and not _pid_alive(o_pid)
        if lease is None or lease < now or local_dead:
            gave_up = max_attempts is not None and (attempts or 0) >= max_attempts
            (poison if gave_up else retry).append(row_id)
    if retry:
        s.execute(
            update(PageStage)
            .where(and_(PageStage.id.in_(retry), PageStage.status == StageStatus.RUNNING))
            .values(status=StageStatus.PENDING, owner=None, lease_until=None)
            .execution_options(synchronize_session=False)
        )
    for row_id in poison:
        fail_running(s, row_id, None, "worker_lost", WORKER_LOST_VI)
    return len(retry) + len(poison)


def fail_running(
    s: Session, stage_id: int, owner_like: str | None, code: str, message_vi: str
) -> bool:
    """Fail a running row (optionally only if its owner matches ``owner_like``) with a reason."""
    cond = [PageStage.id == stage_id, PageStage.status == StageStatus.RUNNING]
    if owner_like is not None:
        cond.append(PageStage.owner.like(owner_like))
    res = s.execute(
        update(PageStage)
        .where(*cond)
        .values(
            status=StageStatus.FAILED,
            error_code=code,
            error=message_vi,
            owner=None,
            lease_until=None,
            finished_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(res, "rowcount", 0) == 1)


def release(s: Session, stage_id: int, owner_like: str) -> bool:
    """Give a running row back to pending (its holder gave up, e.g. retries used up)."""
    res = s.execute(
        update(PageStage)
        .where(
            PageStage.id == stage_id,
            PageStage.status == StageStatus.RUNNING,
            PageStage.owner.like(owner_like),
        )
        .values(status=StageStatus.PENDING, owner=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(res, "rowcount", 0) == 1)


@contextmanager
def batch_lock(engine: Engine, lock_dir: Path, batch_id: int) -> Iterator[None]:
    """Hold the one-writer lock of a batch's document assembly (re-entrant in a process).

    PostgreSQL: a session advisory lock, so index workers on any machine take turns without
    holding a transaction open. SQLite: an ``flock`` on ``lock_dir/batch-<id>.lock`` (one
    machine). The second assembler then finds every page already in a document.
    """
    held: set[tuple[str, int]] = _local.__dict__.setdefault("held", set())
    key = (str(engine.url), batch_id)
    if key in held:
        yield
        return
    held.add(key)
    try:
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                conn.execute(
                    text("SELECT pg_advisory_lock(:a, :b)"), {"a": _LOCK_NS, "b": batch_id}
                )
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(
                        text("SELECT pg_advisory_unlock(:a, :b)"), {"a": _LOCK_NS, "b": batch_id}
                    )
                    conn.commit()
        else:
            lock_dir.mkdir(parents=True, exist_ok=True)
            with (lock_dir / f"batch-{batch_id}.lock").open("a+b") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)  # released when the file is closed
                yield
    finally:
        held.discard(key)


def batches_to_finish(s: Session, stage: str = "ocr") -> list[int]:
    """Return batches with done pages not yet in a document and no page still unsettled."""
    candidates = list(
        s.scalars(
            select(Page.batch_id)
            .join(PageStage, PageStage.page_id == Page.id)
            .where(
                PageStage.stage == stage,
                PageStage.status == StageStatus.DONE,
                Page.document_id.is_(None),
            )
            .distinct()
        )
    )
    return [b for b in candidates if not unsettled_count(s, b)]


def unsettled_batches(s: Session, stage: str = "ocr") -> list[int]:
    """Return batches with a page of ``stage`` still pending or running, oldest first."""
    return list(
        s.scalars(
            select(Page.batch_id)
            .join(PageStage, PageStage.page_id == Page.id)
            .where(
                PageStage.stage == stage,
                PageStage.status.in_((StageStatus.PENDING, StageStatus.RUNNING)),
            )
            .distinct()
            .order_by(Page.batch_id)
        )
    )


def stage_counts(s: Session, stage: str = "ocr") -> dict[str, int]:
    """Return how many rows of ``stage`` are pending, queued, running, done and failed.

    A row waiting for its retry counts as queued: a message for it exists (or is overdue).
    """
    out = {k: 0 for k in ("pending", "queued", "running", "done", "failed")}
    # Grouped by the label: repeating the expression binds 'queued' twice, and PostgreSQL
    # cannot tell the two parameters are equal (GroupingError on page_stage.owner).
    queued = PageStage.owner.in_((QUEUED, RETRYING)).label("queued")
    for status, owner_is_queue, n in s.execute(
        select(PageStage.status, queued, func.count())
        .where(PageStage.stage == stage)
        .group_by(PageStage.status, queued)
    ).all():
        key = QUEUED if status == StageStatus.PENDING and owner_is_queue else str(status)
        out[key] = out.get(key, 0) + int(n)
    return out


def unsettled_count(s: Session, batch_id: int) -> int:
    """Return how many page-stage rows of a batch are still pending or running."""
    return int(
        s.scalar(
            select(func.count(PageStage.id))
            .join(Page, Page.id == PageStage.page_id)
            .where(
                Page.batch_id == batch_id,
                or_(
                    PageStage.status == StageStatus.PENDING, PageStage.status == StageStatus.RUNNING
                ),
            )
        )
        or 0
    )


def _is_postgres(s: Session) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def retry_failed_pages(s: Session, batch_id: int) -> int:
    """Put every failed stage row of a batch back to pending; returns how many."""
    page_ids = select(Page.id).where(Page.batch_id == batch_id).scalar_subquery()
    res = s.execute(
        update(PageStage)
        .where(PageStage.page_id.in_(page_ids), PageStage.status == StageStatus.FAILED)
        .values(
            status=StageStatus.PENDING, error=None, error_code=None, owner=None, lease_until=None
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(res, "rowcount", 0) or 0)
