"""Login throttling counters: one row per user name and per address, updated atomically.

Every sign-in attempt first *reserves* a slot with one conditional ``UPDATE … RETURNING``
(``count < limit`` or the window has passed), committed before the password is checked. The
database decides, so parallel attempts cannot all slip through: with a limit of 5, at most
5 passwords are checked per window whatever the concurrency, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import cast

from sqlalchemy import Integer, String, Table, case, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base, UTCDateTime, utcnow


class LoginThrottle(Base):
    """Attempts of one key (``user:<name>`` or ``addr:<ip>``) in the current window."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(150), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[dt.datetime] = mapped_column(UTCDateTime())


_TABLE = cast(Table, LoginThrottle.__table__)


def user_key(name: str) -> str:
    """Return the counter key of a user name (as ``api.ratelimit.actor_name`` stores it)."""
    return f"user:{name}"[:150]


def address_key(address: str) -> str:
    """Return the counter key of a client address."""
    return f"addr:{address}"[:150]


def reserve(s: Session, key: str, limit: int, window: dt.timedelta) -> int:
    """Take one attempt for ``key``; returns 0, or the seconds left when it is locked.

    Call in a short transaction of its own and commit before checking the password: the
    committed count is what other processes see.
    """
    now = utcnow()
    t = _TABLE
    expired = t.c.window_start < now - window
    stmt = (
        update(t)
        .where(t.c.key == key, or_(expired, t.c.count < limit))
        .values(
            count=case((expired, 1), else_=t.c.count + 1),
            window_start=case((expired, now), else_=t.c.window_start),
        )
        .returning(t.c.count)
    )
    if s.execute(stmt).first() is not None:
        return 0
    dialect = s.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # RETURNING, not rowcount: psycopg reports no row count for ON CONFLICT DO NOTHING here,
    # which counted the first attempt twice on PostgreSQL.
    created = s.execute(
        insert(t)
        .values(key=key, count=1, window_start=now)
        .on_conflict_do_nothing()
        .returning(t.c.key)
    ).first()
    if created is not None:
        return 0
    if s.execute(stmt).first() is not None:  # another attempt created the row meanwhile
        return 0
    start = s.scalar(select(LoginThrottle.window_start).where(LoginThrottle.key == key))
    left = (start + window - now).total_seconds() if start is not None else 1
    return max(1, math.ceil(left))


def release(s: Session, key: str) -> None:
    """Give one attempt back (a successful login does not count against its address)."""
    t = _TABLE
    s.execute(update(t).where(t.c.key == key, t.c.count > 0).values(count=t.c.count - 1))


def reset(s: Session, key: str) -> None:
    """Clear a key's count (successful login of that name, administrator's unlock)."""
    s.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
