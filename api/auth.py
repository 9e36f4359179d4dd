"""Who is calling: session cookie or API token, roles and scope, CSRF on unsafe requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from accounts.scope import scope_of
from api.security import SESSION_COOKIE, UNSAFE_METHODS, submitted_csrf, tokens_match
from core.access import Scope
from core.context import AppContext
from core.db_users import User, session_for_cookie, user_for_token
from core.errors import PermissionDenied
from core.levels import LABELS
from core.roles import ROLE_LABELS

# What each role may do; "view" (dashboard, search, documents) is open to every role.
PERMISSIONS: dict[str, frozenset[str]] = {
    "upload": frozenset({"admin", "luu_tru"}),
    "manage": frozenset({"admin", "luu_tru"}),
    "review": frozenset({"admin", "ra_soat"}),
    "download": frozenset({"admin", "luu_tru", "ra_soat"}),
    "users": frozenset({"admin"}),
}


class LoginRequired(PermissionDenied):
    """No valid session or token came with the request."""

    http_status = 401
    default_code = "login_required"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, detached from any database session."""

    user_id: int
    username: str
    full_name: str
    role: str
    clearance: str
    via: str  # "session" or "token"
    csrf: str = ""
    # What this caller may see, built once from the account when the request starts.
    scope: Scope = Scope("thuong")

    def can(self, action: str) -> bool:
        """Return whether this caller's role allows ``action`` (see PERMISSIONS)."""
        return action == "view" or self.role in PERMISSIONS.get(action, frozenset())

    @property
    def role_label(self) -> str:
        """Return the role's Vietnamese name."""
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def clearance_label(self) -> str:
        """Return the clearance's Vietnamese label."""
        return LABELS.get(self.clearance, self.clearance)


def _login_required() -> LoginRequired:
    return LoginRequired("not logged in", message_vi="Bạn cần đăng nhập để tiếp tục.")


def _principal(user: User, via: str, csrf: str = "") -> Principal:
    return Principal(
        user.id,
        user.username,
        user.full_name or user.username,
        user.role,
        user.clearance,
        via,
        csrf,
        scope_of(user),
    )


def optional_principal(request: Request) -> Principal | None:
    """Return the caller from a bearer token or the session cookie, or None."""
    ctx: AppContext = request.app.state.ctx
    auth = request.headers.get("authorization", "")
    with ctx.session() as s:
        if auth.lower().startswith("bearer "):
            user = user_for_token(s, auth[7:].strip())
            if user is None:
                raise LoginRequired(
                    "bad token",
                    code="bad_token",
                    message_vi="Mã truy cập API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.",
                )
            return _principal(user, "token")
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        cfg = ctx.settings.security
        sess = session_for_cookie(
            s,
            cookie,
            dt.timedelta(seconds=cfg.session_idle_s),
            dt.timedelta(seconds=cfg.session_absolute_s),
        )
        if sess is None:
            return None
        return _principal(sess.user, "session", sess.csrf_token)


async def current_principal(
    request: Request, who: Annotated[Principal | None, Depends(optional_principal)]
) -> Principal:
    """Return the logged-in caller; unsafe browser requests must carry the CSRF token.

    Raises:
        LoginRequired: no valid session or token.
        PermissionDenied: ``csrf_failed`` on a session request without the right token.
    """
    if who is None:
        raise _login_required()
    if (
        who.via == "session"
        and request.method in UNSAFE_METHODS
        and not tokens_match(who.csrf, await submitted_csrf(request))
    ):
        raise PermissionDenied(
            "csrf token mismatch",
            code="csrf_failed",
            message_vi="Phiên làm việc đã hết hạn hoặc yêu cầu không "
            "hợp lệ. Hãy tải lại trang rồi thử lại.",
        )
    return who


def require(action: str) -> Callable[..., Principal]:
    """Return a dependency that admits only callers whose role allows ``action``."""

    def dependency(who: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not who.can(action):
            raise PermissionDenied(
                f"role {who.role} may not {action}",
                code="forbidden_role",
                message_vi="Tài khoản của bạn không có quyền thực hiện thao tác này.",
            )
        return who

    return dependency


def user_scope(who: Annotated[Principal, Depends(current_principal)]) -> Scope:
    """Return what the caller may see: clearance plus collections/departments (login required)."""
    return who.scope
