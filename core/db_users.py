"""Users of the web application, their browser sessions and API tokens for scripts."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, delete, false, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow
from core.errors import InputError, NotFoundError
from core.levels import LEVELS
from core.passwords import MIN_LENGTH, check_password
from core.roles import ROLES


class User(Base):
    """A local account: argon2 password hash, one role, one clearance level."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="tra_cuu")
    clearance: Mapped[str] = mapped_column(String(20), default="thuong")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Locked by an administrator (reversible); ``active = False`` retires the account.
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Names of the plan's collections and of departments the user works on (migration 0008).
    collections: Mapped[list[Any] | None] = mapped_column(JSON, default=list)
    departments: Mapped[list[Any] | None] = mapped_column(JSON, default=list)

    @property
    def may_sign_in(self) -> bool:
        """Return whether the account may log in or keep using a session or token."""
        return self.active and not self.locked


class UserSession(Base):
    """A browser session: only the SHA-256 of the cookie value is stored (revocable)."""

    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    user: Mapped[User] = relationship()


class ApiToken(Base):
    """A bearer token for scripts; only its SHA-256 is stored, shown once at creation."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Migration 0016b; a token without one is treated as expired (fail closed).
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    user: Mapped[User] = relationship()


# --- account operations shared by the CLI and the web app -------------------------------

# OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): ~0.1 s per login on this hardware.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
MIN_PASSWORD = MIN_LENGTH
# Defaults of SecuritySettings.session_idle_s / session_absolute_s (callers pass the settings).
SESSION_IDLE = dt.timedelta(hours=1)
SESSION_ABSOLUTE = dt.timedelta(hours=12)
_SLIDE_STEP = dt.timedelta(seconds=60)
DEFAULT_TOKEN_DAYS = 90  # an API token's lifetime unless its owner picks another
MAX_TOKEN_DAYS = 365  # refresh expires_at at most once a minute per session


def hash_password(password: str) -> str:
    """Return an argon2id hash of ``password``."""
    return _HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Return whether ``password`` matches the stored argon2 hash."""
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def token_digest(token: str) -> str:
    """Return the SHA-256 hex digest under which a secret token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_password_rules(password: str, username: str | None = None) -> None:
    """Refuse weak passwords (``core.passwords``: length, user name, common list, runs).

    Raises:
        InputError: ``weak_password`` with the rule broken, in Vietnamese.
    """
    check_password(password, username)


def _check_role(role: str, clearance: str) -> None:
    if role not in ROLES:
        raise InputError(
            f"unknown role {role!r}",
            code="bad_role",
            message_vi="Vai trò phải là một trong: " + ", ".join(ROLES) + ".",
        )
    if clearance not in LEVELS:
        raise InputError(
            f"unknown clearance {clearance!r}",
            code="bad_clearance",
            message_vi="Mức được xem phải là một trong: " + ", ".join(LEVELS) + ".",
        )


def get_user(s: Session, username: str) -> User:
    """Return the user called ``username``.

    Raises:
        NotFoundError: ``user_not_found``.
    """
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(
            f"no user {username!r}",
            code="user_not_found",
            message_vi=f"Không có người dùng '{username}'.",
        )
    return user


def add_user(
    s: Session,
    username: str,
    password: str,
    role: str = "tra_cuu",
    clearance: str = "thuong",
    full_name: str | None = None,
) -> User:
    """Create a local user.

    Raises:
        InputError: bad role/clearance, weak password, or the name is taken.
    """
    _check_role(role, clearance)
    check_password_rules(password, username)
    if s.scalar(select(User.id).where(User.username == username)) is not None:
        raise InputError(
            f"user {username!r} exists",
            code="user_exists",
            message_vi=f"Tên đăng nhập '{username}' đã có.",
        )
    user = User(
        username=username,
        full_name=full_name,
        password_hash=hash_password(password),
        role=role,
        clearance=clearance,
        active=True,
        password_changed_at=utcnow(),
    )
    s.add(user)
    s.flush()
    return user


def set_role(s: Session, username: str, role: str, clearance: str | None = None) -> User:
    """Change a user's role (and clearance, when given)."""
    user = get_user(s, username)
    _check_role(role, clearance or user.clearance)
    user.role = role
    if clearance:
        user.clearance = clearance
    return user


def set_password(s: Session, user: User, password: str) -> None:
    """Replace a user's password; every session ends and every API token is revoked."""
    check_password_rules(password, user.username)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    s.execute(delete(UserSession).where(UserSession.user_id == user.id))
    s.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
        .values(revoked=True)
    )


def create_api_token(s: Session, user: User, name: str = "", days: int = DEFAULT_TOKEN_DAYS) -> str:
    """Create an API token for ``user`` valid ``days`` days (1…365); the secret is shown once.

    Raises:
        InputError: ``bad_token_days``.
    """
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InputError(
            f"token lifetime {days} days",
            code="bad_token_days",
            message_vi=f"Mã truy cập có hiệu lực từ 1 đến {MAX_TOKEN_DAYS} ngày.",
        )
    secret = "sohoa_" + secrets.token_urlsafe(32)
    s.add(
        ApiToken(
            token_hash=token_digest(secret),
            user_id=user.id,
            name=name,
            expires_at=utcnow() + dt.timedelta(days=days),
        )
    )
    s.flush()
    return secret


def user_for_token(s: Session, secret: str) -> User | None:
    """Return the active user owning a non-revoked, unexpired API token, or None."""
    tok = s.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(secret), ApiToken.revoked.is_(False)
        )
    )
    now = utcnow()
    if tok is None or tok.expires_at is None or tok.expires_at <= now:
        return None
    if not tok.user.may_sign_in:
        return None
    if tok.last_used_at is None or now - tok.last_used_at >= _SLIDE_STEP:
        tok.last_used_at = now  # at most one write a minute per token
    return tok.user


def open_session(
    s: Session,
    user: User,
    idle: dt.timedelta = SESSION_IDLE,
    absolute: dt.timedelta = SESSION_ABSOLUTE,
) -> tuple[str, str]:
    """Start a browser session with a new secret; returns (cookie secret, CSRF token).

    ``expires_at`` is the idle deadline, pushed forward on use but never past
    ``created_at + absolute`` (see :func:`session_for_cookie`).
    """
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    s.add(
        UserSession(
            token_hash=token_digest(secret),
            user_id=user.id,
            csrf_token=csrf,
            expires_at=utcnow() + min(idle, absolute),
        )
    )
    s.flush()
    return secret, csrf


def session_for_cookie(
    s: Session,
    secret: str,
    idle: dt.timedelta = SESSION_IDLE,
    absolute: dt.timedelta = SESSION_ABSOLUTE,
) -> UserSession | None:
    """Return the live session for a cookie value, or None when unknown, idle or too old.

    A live session's idle deadline moves to ``now + idle`` (capped at ``created_at +
    absolute``); expired sessions are deleted.
    """
    sess = s.scalar(select(UserSession).where(UserSession.token_hash == token_digest(secret)))
    if sess is None:
        return None
    now = utcnow()
    hard_end = sess.created_at + absolute
    if sess.expires_at <= now or hard_end <= now or not sess.user.may_sign_in:
        s.delete(sess)
        return None
    new_end = min(now + idle, hard_end)
    if new_end - sess.expires_at >= _SLIDE_STEP or new_end < sess.expires_at:
        sess.expires_at = new_end
    return sess


def close_session(s: Session, secret: str) -> None:
    """End the session behind a cookie value (logout)."""
    s.execute(delete(UserSession).where(UserSession.token_hash == token_digest(secret)))
