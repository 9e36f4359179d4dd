"""Claiming pages for a stage with a lease, and taking back the ones whose worker died."""

from __future__ import annotations

import datetime as dt
import os
import socket

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from core.db import PENDING, RUNNING, Page, PageStage, utcnow


def claim(s: Session, stage_id: int, owner: str, lease_s: int) -> bool:
    """Atomically flip one pending stage row to running; False if someone else got it."""
    now = utcnow()
    res = s.execute(
        update(PageStage)
        .where(PageStage.id == stage_id, PageStage.status == PENDING)
        .values(status=RUNNING, owner=owner, lease_until=now + dt.timedelta(seconds=lease_s),
                started_at=now, attempts=PageStage.attempts + 1)
        .execution_options(synchronize_session=False))
    return bool(getattr(res, "rowcount", 0) == 1)


def pending_stage_ids(s: Session, stage: str, batch_id: int | None, limit: int) -> list[int]:
    """Return up to ``limit`` pending stage-row ids, oldest pages first."""
    q = (select(PageStage.id).join(Page, Page.id == PageStage.page_id)
         .where(PageStage.stage == stage, PageStage.status == PENDING)
         .order_by(Page.id).limit(limit))
    if batch_id is not None:
        q = q.where(Page.batch_id == batch_id)
    return list(s.scalars(q))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reclaim_abandoned(s: Session, stage: str) -> int:
    """Put back to pending the running rows whose lease expired or whose local owner died.

    A lease covers workers on other machines; the pid check lets a restarted embedded run
    resume at once instead of waiting for the lease after a crash or a kill.
    """
    now = utcnow()
    host = socket.gethostname()
    rows = s.execute(select(PageStage.id, PageStage.owner, PageStage.lease_until).where(
        PageStage.stage == stage, PageStage.status == RUNNING)).all()
    dead: list[int] = []
    for row_id, owner, lease in rows:
        expired = lease is None or lease < now
        local_dead = False
        if owner and ":" in owner:
            o_host, _, o_pid = owner.rpartition(":")
            local_dead = o_host == host and o_pid.isdigit() and not _pid_alive(int(o_pid))
        if expired or local_dead:
            dead.append(row_id)
    if dead:
        s.execute(update(PageStage).where(
            and_(PageStage.id.in_(dead), PageStage.status == RUNNING))
            .values(status=PENDING, owner=None, lease_until=None)
            .execution_options(synchronize_session=False))
    return len(dead)


def unsettled_count(s: Session, batch_id: int) -> int:
    """Return how many page-stage rows of a batch are still pending or running."""
    from sqlalchemy import func

    return int(s.scalar(
        select(func.count(PageStage.id)).join(Page, Page.id == PageStage.page_id).where(
            Page.batch_id == batch_id,
            or_(PageStage.status == PENDING, PageStage.status == RUNNING))) or 0)
