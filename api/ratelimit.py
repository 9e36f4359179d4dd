"""Login throttling: lock a user name or an address after repeated failed sign-ins.

The failures are the ``login_failed`` entries of the audit log, so the count is shared by every
web process and survives restarts, and nothing else has to be stored. A successful login, or an
administrator's ``user_unlocked``, clears the count of its user name (not of its address).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from audit import trail as audit
from core.db import utcnow
from core.db_audit import AuditEntry
from core.settings import SecuritySettings
from core.text import single_line

LOCKED = "locked_out"  # details["reason"] of a refused attempt while locked (not counted)


@dataclass(frozen=True)
class Lock:
    """Whether sign-in is refused for a name or an address, and for how long."""

    seconds: int
    scope: str = ""  # "user" or "address"

    @property
    def message_vi(self) -> str:
        """Return the message shown on the login form."""
        minutes = max(1, math.ceil(self.seconds / 60))
        who = "Tài khoản này" if self.scope == "user" else "Máy của bạn"
        return (
            f"{who} tạm thời bị khóa đăng nhập vì nhập sai mật khẩu nhiều lần. "
            f"Hãy thử lại sau {minutes} phút hoặc liên hệ quản trị viên."
        )


def client_address(request: Request) -> str:
    """Return the caller's address as the server sees it (proxies: run uvicorn --proxy-headers).

    ``X-Forwarded-For`` is not read here: a client could set it to dodge the address limit.
    """
    return request.client.host if request.client else "unknown"


def actor_name(username: str) -> str:
    """Return a tried user name as the audit log stores it: untrusted input made one safe line.

    NFC, control and bidi characters dropped, single spaces, at most 100 characters (the
    ``actor`` column); the audit CSV export also neutralises a leading formula character.
    """
    return single_line(username, 100) or audit.SYSTEM


def _remaining(
    rows: list[AuditEntry], limit: int, window: dt.timedelta, now: dt.datetime, reset_on_ok: bool
) -> int:
    failures: list[dt.datetime] = []
    for e in rows:
        if e.action in (audit.LOGIN_OK, audit.USER_UNLOCKED):
            if reset_on_ok:
                failures.clear()
        elif e.action == audit.LOGIN_FAILED and (e.details or {}).get("reason") != LOCKED:
            failures.append(e.at)
    if limit <= 0 or len(failures) < limit:
        return 0
    return max(0, math.ceil((failures[-limit] + window - now).total_seconds()))


def check_lock(s: Session, username: str, address: str, cfg: SecuritySettings) -> Lock | None:
    """Return the lock in force for this name or address, or None when sign-in may proceed."""
    now = utcnow()
    window = dt.timedelta(seconds=cfg.login_lockout_s)
    name = actor_name(username)
    rows = list(
        s.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.at >= now - window,
                or_(
                    and_(
                        AuditEntry.action.in_((audit.LOGIN_FAILED, audit.LOGIN_OK)),
                        or_(AuditEntry.actor == name, AuditEntry.address == address),
                    ),
                    and_(AuditEntry.action == audit.USER_UNLOCKED, AuditEntry.object_id == name),
                ),
            )
            .order_by(AuditEntry.id)
        )
    )
    unlocked = audit.USER_UNLOCKED
    # In id order: an unlock names the account in object_id (its actor is the administrator).
    by_user = _remaining(
        [e for e in rows if (e.object_id == name if e.action == unlocked else e.actor == name)],
        cfg.login_max_failures,
        window,
        now,
        reset_on_ok=True,
    )
    # An address's count is not cleared by a success: one valid account must not let its
    # holder go on guessing other accounts' passwords from the same machine.
    by_addr = _remaining(
        [e for e in rows if e.address == address and e.action != unlocked],
        cfg.login_max_failures_per_address,
        window,
        now,
        reset_on_ok=False,
    )
    if by_user:
        return Lock(by_user, "user")
    if by_addr:
        return Lock(by_addr, "address")
    return None
