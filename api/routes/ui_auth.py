"""Login, logout, password change (pages) and the caller's own account (API).

The caller's API tokens: ``api/routes/tokens.py``.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.auth import Principal, optional_principal
from api.deps import CtxDep, CurrentUser
from api.pages import page_user, render
from api.ratelimit import LOCKED, actor_name, attempt_succeeded, begin_attempt, client_address
from api.schemas_progress import MeOut
from api.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    clear_session_cookie,
    login_csrf,
    set_login_csrf,
    set_session_cookie,
    tokens_match,
)
from audit import trail as audit
from core.db_users import (
    User,
    close_session,
    hash_password,
    open_session,
    set_password,
    verify_password,
)
from core.errors import InputError

router = APIRouter()
BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."


@functools.cache
def _dummy_hash() -> str:
    # Verified when the name is unknown, so a wrong name costs what a wrong password costs.
    return hash_password(secrets.token_urlsafe(16))


def session_limits(ctx: Any) -> tuple[dt.timedelta, dt.timedelta]:
    """Return the (idle, absolute) session lifetimes from the settings."""
    cfg = ctx.settings.security
    return (dt.timedelta(seconds=cfg.session_idle_s), dt.timedelta(seconds=cfg.session_absolute_s))


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect to another site after login. Browsers read "/\\x" as
    # "//x" (another host), and control characters could split the Location header.
    if (
        not target
        or not target.startswith("/")
        or target[1:2] in ("/", "\\")
        or any(c in target for c in "\\\r\n\t\x00")
    ):
        return "/"
    return target


def _login_form(
    request: Request, error: str = "", next_url: str = "/", status: int = 200
) -> Response:

    token = login_csrf(request)
    changed = request.query_params.get("changed") == "1"
    response = render(
        request,
        "login.html",
        None,
        status,
        title="Đăng nhập",
        error=error,
        next=next_url,
        login_csrf=token,
        changed=changed,
    )
    set_login_csrf(request, response, token)
    return response


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    """Show the login form."""
    return _login_form(request, next_url=_safe_next(next))


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    ctx: CtxDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password and start a session."""
    if not tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        return _login_form(
            request, "Biểu mẫu đã hết hạn, hãy đăng nhập lại.", _safe_next(next), 400
        )
    address, name = client_address(request), actor_name(username)
    idle, absolute = session_limits(ctx)
    # Reserved and committed before any password is checked (api.ratelimit).
    lock = begin_attempt(ctx, username, address, ctx.settings.security)
    with ctx.session() as s:
        if lock is not None:
            # Refused without checking the password: guessing goes on learning nothing.
            audit.record(
                s,
                name,
                audit.LOGIN_FAILED,
                object_type="user",
                address=address,
                details={"reason": LOCKED, "scope": lock.scope},
            )
            user = None
        else:
            user = s.scalar(select(User).where(User.username == username.strip()))
            ok = verify_password(user.password_hash if user else _dummy_hash(), password)
            if user is None or not user.may_sign_in or not ok:
                audit.record(
                    s,
                    name,
                    audit.LOGIN_FAILED,
                    object_type="user",
                    address=address,
                    details={"reason": "bad_credentials"},
                )
                user = None
            else:
                attempt_succeeded(s, username, address)
                # Rotation: the session this browser had before (if any) ends here.
                close_session(s, request.cookies.get(SESSION_COOKIE, ""))
                secret, _csrf = open_session(s, user, idle, absolute)
                audit.record(
                    s,
                    user.username,
                    audit.LOGIN_OK,
                    object_type="user",
                    object_id=user.id,
                    address=address,
                )
    if lock is not None:
        response = _login_form(request, lock.message_vi, _safe_next(next), 429)
        response.headers["Retry-After"] = str(lock.seconds)
        return response
    if user is None:
        return _login_form(request, BAD_LOGIN, _safe_next(next), 401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, request, secret, int(absolute.total_seconds()))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, ctx: CtxDep, who: CurrentUser) -> Response:
    """End the session (the CSRF token is checked by CurrentUser)."""
    with ctx.session() as s:
        close_session(s, request.cookies.get(SESSION_COOKIE, ""))
        audit.record(
            s,
            who.username,
            audit.LOGOUT,
            object_type="user",
            object_id=who.user_id,
            address=client_address(request),
        )
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response)
    return response


@router.get("/account/password", response_class=HTMLResponse, include_in_schema=False)
def password_page(request: Request) -> Response:
    """Show the password change form."""
    who = page_user(request, optional_principal(request))
    return render(request, "password.html", who, title="Đổi mật khẩu")


@router.post("/account/password", include_in_schema=False)
def change_password_form(
    request: Request,
    ctx: CtxDep,
    who: CurrentUser,
    current: Annotated[str, Form()],
    new: Annotated[str, Form()],
    confirm: Annotated[str, Form()],
) -> Response:
    """Change the password from the form; every session ends, so log in again."""
    try:
        _change(ctx, who, current, new, confirm, client_address(request))
    except InputError as e:
        return render(
            request, "password.html", who, status=422, title="Đổi mật khẩu", error=e.message_vi
        )
    response = RedirectResponse("/login?changed=1", status_code=303)
    clear_session_cookie(response)
    return response


def _change(
    ctx: Any, who: Principal, current: str, new: str, confirm: str, address: str | None = None
) -> None:
    if new != confirm:
        raise InputError(
            "confirmation differs",
            code="password_mismatch",
            message_vi="Mật khẩu mới và phần nhập lại không khớp.",
        )
    with ctx.session() as s:
        user = s.get(User, who.user_id)
        if user is None or not verify_password(user.password_hash, current):
            raise InputError(
                "wrong password", code="wrong_password", message_vi="Mật khẩu hiện tại không đúng."
            )
        set_password(s, user, new)
        audit.record(
            s,
            who.username,
            audit.PASSWORD_CHANGED,
            object_type="user",
            object_id=who.user_id,
            address=address,
        )


class PasswordIn(BaseModel):
    """A password change."""

    current: str
    new: str = Field(max_length=200)


@router.get("/api/me", tags=["auth"], response_model=MeOut)
def me(who: CurrentUser) -> dict[str, Any]:
    """Return the caller's account: name, role, clearance and what the role allows."""
    return {
        "username": who.username,
        "full_name": who.full_name,
        "role": who.role,
        "clearance": who.clearance,
        "via": who.via,
        "can": [a for a in ("upload", "manage", "review", "download", "users") if who.can(a)],
    }


@router.post("/api/me/password", tags=["auth"])
def change_password(
    body: PasswordIn, request: Request, ctx: CtxDep, who: CurrentUser
) -> dict[str, Any]:
    """Change the caller's password (every session of the account ends)."""
    _change(ctx, who, body.current, body.new, body.new, client_address(request))
    return {"changed": True}
