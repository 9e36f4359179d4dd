"""Account administration shared by ``sohoa users`` and the web admin page.

One implementation for both edges: every function takes the caller's session, makes the
change and writes its audit entry (who, old → new, from which address) in that same
transaction, so a change is never kept without its trail. Passwords never reach the audit.

An administrator cannot lock themselves out: removing their own admin role, locking or
deactivating their own account is refused, and so is anything that would leave no usable
administrator at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from audit import trail as audit
from core.db_login import reset, user_key
from core.db_users import (
    DEFAULT_TOKEN_DAYS,
    ApiToken,
    User,
    UserSession,
    add_user,
    create_api_token,
    get_user,
    set_password,
    set_role,
)
from core.errors import InputError, NotFoundError, PermissionDenied
from core.text import nfc

# Control and bidi-override characters, and (in user names) any whitespace.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s")
MAX_SCOPE_ITEMS = 50


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the audit's actor and address, and their own account id.

    ``user_id`` is None for the command line (an operating-system login, not an account).
    """

    name: str
    address: str | None = None
    user_id: int | None = None


def _bad(code: str, message_vi: str) -> InputError:
    return InputError(code, code=code, message_vi=message_vi)


def clean_username(username: str) -> str:
    """Return a user name fit to store (NFC, trimmed); refuse blanks, spaces and controls."""
    name = nfc(username.strip())
    if not name or len(name) > 100 or _CONTROL.search(name) or _SPACE.search(name):
        raise _bad(
            "bad_username",
            "Tên đăng nhập phải có 1–100 ký tự, không có dấu cách hay ký tự điều khiển.",
        )
    return name


def _clean_text(value: str | None, limit: int, what: str) -> str | None:
    text = nfc((value or "").strip())
    if len(text) > limit or _CONTROL.search(text):
        raise _bad("bad_text", f"{what} tối đa {limit} ký tự, không có ký tự điều khiển.")
    return text or None


def clean_names(values: Iterable[str], what: str) -> list[str]:
    """Return trimmed, NFC, de-duplicated names in order (collections, departments)."""
    out: list[str] = []
    for v in values:
        name = _clean_text(v, 200, what)
        if name and name not in out:
            out.append(name)
    if len(out) > MAX_SCOPE_ITEMS:
        raise _bad("bad_text", f"{what}: tối đa {MAX_SCOPE_ITEMS} mục.")
    return out


def split_names(text: str) -> list[str]:
    """Split a form field of names given one per line or separated by ``;``."""
    return [p for p in re.split(r"[;\n]", text or "") if p.strip()]


def user_by_id(s: Session, user_id: int) -> User:
    """Return the user with this id.

    Raises:
        NotFoundError: ``user_not_found``.
    """
    user = s.get(User, user_id)
    if user is None:
        raise NotFoundError(
            f"no user #{user_id}",
            code="user_not_found",
            message_vi=f"Không có người dùng #{user_id}.",
        )
    return user


def list_users(s: Session) -> list[User]:
    """Return every account, by user name."""
    return list(s.scalars(select(User).order_by(User.username)))


def _record(
    s: Session, actor: Actor, action: str, user: User, details: dict[str, object] | None = None
) -> None:
    audit.record(
        s,
        actor.name,
        action,
        object_type="user",
        object_id=user.username,
        details={"user_id": user.id, **(details or {})},
        address=actor.address,
    )


def _refuse_self(actor: Actor, user: User, what_vi: str) -> None:
    if actor.user_id is not None and actor.user_id == user.id:
        raise PermissionDenied(
            "an administrator may not lock themselves out",
            code="self_lockout",
            message_vi=f"Không thể {what_vi} chính tài khoản của bạn "
            "(tránh tự khóa mình khỏi hệ thống).",
        )


def _keep_an_admin(s: Session, user: User, what_vi: str) -> None:
    # Only matters when the account is a usable administrator now.
    if user.role != "admin" or not user.may_sign_in:
        return
    others = (
        s.scalar(
            select(func.count(User.id)).where(
                User.role == "admin",
                User.active.is_(True),
                User.locked.is_(False),
                User.id != user.id,
            )
        )
        or 0
    )
    if not others:
        raise PermissionDenied(
            "last administrator",
            code="last_admin",
            message_vi=f"Không thể {what_vi} quản trị viên cuối cùng còn hoạt động.",
        )


def _end_access(s: Session, user: User) -> None:
    """End the account's sessions now (tokens stop working through ``may_sign_in``)."""
    s.execute(delete(UserSession).where(UserSession.user_id == user.id))


def create_user(
    s: Session,
    actor: Actor,
    username: str,
    password: str,
    role: str = "tra_cuu",
    clearance: str = "thuong",
    full_name: str | None = None,
    collections: Iterable[str] = (),
    departments: Iterable[str] = (),
) -> User:
    """Create an account (password rules enforced) and audit ``user_created``.

    Raises:
        InputError: bad name, role or clearance, weak password, or the name is taken.
    """
    name = clean_username(username)
    user = add_user(s, name, password, role, clearance, _clean_text(full_name, 200, "Họ tên"))
    user.collections = clean_names(collections, "Bộ sưu tập")
    user.departments = clean_names(departments, "Đơn vị")
    _record(
        s,
        actor,
        audit.USER_CREATED,
        user,
        {
            "role": role,
            "clearance": clearance,
            "collections": user.collections,
            "departments": user.departments,
        },
    )
    return user


def change_access(
    s: Session, actor: Actor, user: User, role: str | None = None, clearance: str | None = None
) -> User:
    """Change role and/or clearance; each change audited with ``from`` and ``to``.

    Raises:
        InputError: unknown role or clearance.
        PermissionDenied: an administrator removing their own (or the last) admin role.
    """
    old_role, old_clearance = user.role, user.clearance
    new_role = role or old_role
    if old_role == "admin" and new_role != "admin":
        _refuse_self(actor, user, "bỏ vai trò quản trị của")
        _keep_an_admin(s, user, "bỏ vai trò của")
    set_role(s, user.username, new_role, clearance)
    if user.role != old_role:
        _record(s, actor, audit.ROLE_CHANGED, user, {"from": old_role, "to": user.role})
    if user.clearance != old_clearance:
        _record(
            s, actor, audit.CLEARANCE_CHANGED, user, {"from": old_clearance, "to": user.clearance}
        )
    return user


def change_scope(
    s: Session, actor: Actor, user: User, collections: Iterable[str], departments: Iterable[str]
) -> bool:
    """Set the collections and departments a user works on; returns whether they changed."""
    new_c, new_d = clean_names(collections, "Bộ sưu tập"), clean_names(departments, "Đơn vị")
    old_c, old_d = list(user.collections or []), list(user.departments or [])
    if (new_c, new_d) == (old_c, old_d):
        return False
    user.collections, user.departments = new_c, new_d
    _record(
        s,
        actor,
        audit.SCOPE_CHANGED,
        user,
        {"collections": {"from": old_c, "to": new_c}, "departments": {"from": old_d, "to": new_d}},
    )
    return True


def set_locked(s: Session, actor: Actor, user: User, locked: bool) -> bool:
    """Lock (sessions end) or unlock an account; returns whether it changed.

    Unlocking also clears the account's failed-login count (``core.db_login``).
    """
    if locked:
        if user.locked:
            return False
        _refuse_self(actor, user, "khóa")
        _keep_an_admin(s, user, "khóa")
        user.locked = True
        _end_access(s, user)
        _record(s, actor, audit.USER_LOCKED, user, {"from": "open", "to": "locked"})
        return True
    # Unlocking an open account still clears a failed-login lock: audited either way.
    was = user.locked
    user.locked = False
    reset(s, user_key(user.username))
    _record(
        s, actor, audit.USER_UNLOCKED, user, {"from": "locked" if was else "open", "to": "open"}
    )
    return True


def set_active(s: Session, actor: Actor, user: User, active: bool) -> bool:
    """Deactivate (sessions end, tokens stop) or reactivate an account; whether it changed."""
    if user.active == active:
        return False
    if not active:
        _refuse_self(actor, user, "vô hiệu hóa")
        _keep_an_admin(s, user, "vô hiệu hóa")
        _end_access(s, user)
    user.active = active
    _record(
        s,
        actor,
        audit.USER_ENABLED if active else audit.USER_DISABLED,
        user,
        {"from": "inactive" if active else "active", "to": "active" if active else "inactive"},
    )
    return True


def reset_password(s: Session, actor: Actor, user: User, password: str) -> None:
    """Set a new password for someone else (rules enforced); every session of theirs ends.

    Raises:
        InputError: weak password.
        PermissionDenied: an administrator resetting their own password here; the account
            page asks for the current one.
    """
    if actor.user_id is not None and actor.user_id == user.id:
        raise PermissionDenied(
            "reset own password",
            code="use_account_page",
            message_vi="Hãy đổi mật khẩu của chính bạn ở trang "
            "\u201cĐổi mật khẩu\u201d (cần mật khẩu hiện tại).",
        )
    set_password(s, user, password)
    _record(s, actor, audit.PASSWORD_CHANGED, user, {"by": "administrator"})


def issue_token(
    s: Session, actor: Actor, username: str, label: str = "", days: int = DEFAULT_TOKEN_DAYS
) -> str:
    """Create an API token for a user (``days`` valid); the secret is returned once only."""
    user = get_user(s, username)
    label = _clean_text(label, 100, "Ghi chú") or ""
    secret = create_api_token(s, user, label, days)
    _record(s, actor, audit.TOKEN_CREATED, user, {"name": label, "days": days})
    return secret


def revoke_tokens(s: Session, actor: Actor, username: str) -> int:
    """Revoke every API token of a user; returns how many."""
    user = get_user(s, username)
    tokens = list(s.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))
    for t in tokens:
        t.revoked = True
    _record(s, actor, audit.TOKEN_REVOKED, user, {"count": len(tokens)})
    return len(tokens)
