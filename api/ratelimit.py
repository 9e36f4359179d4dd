"""Login throttling: lock a user name or an address after repeated sign-in attempts.

Counters live in ``login_throttle`` (``core.db_login``): every attempt first reserves a slot
with one conditional UPDATE, committed before the password is checked, so parallel attempts
cannot outrun the limit (at most ``login_max_failures`` passwords are checked per window for a
name, whatever the concurrency) and every web process shares the count. A successful login,
or an administrator's ``user_unlocked``, clears its user name's count (not its address's);
the attempts themselves stay in the audit log as ``login_ok`` / ``login_failed``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session

from audit import trail as audit
from core.context import AppContext
from core.db_login import address_key, release, reserve, reset, user_key
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


def begin_attempt(
    ctx: AppContext, username: str, address: str, cfg: SecuritySettings
) -> Lock | None:
    """Reserve this attempt for its name and address; return the lock in force, or None.

    Each reservation commits on its own before the password is checked. A refused attempt
    takes nothing (it is not counted again).
    """
    window = dt.timedelta(seconds=cfg.login_lockout_s)
    name = user_key(actor_name(username))
    if cfg.login_max_failures > 0:
        with ctx.session() as s:
            left = reserve(s, name, cfg.login_max_failures, window)
        if left:
            return Lock(left, "user")
    if cfg.login_max_failures_per_address > 0:
        with ctx.session() as s:
            left = reserve(s, address_key(address), cfg.login_max_failures_per_address, window)
            if left:
                release(s, name)
        if left:
            return Lock(left, "address")
    return None


def attempt_succeeded(s: Session, username: str, address: str) -> None:
    """Clear the name's count; the address keeps its failures but not this success."""
    reset(s, user_key(actor_name(username)))
    release(s, address_key(address))
