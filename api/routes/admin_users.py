"""The administrator's user page: list, create, role and clearance, scope, lock, password.

Plain HTML forms (no script): every POST carries the session's CSRF token (checked by
``require("users")`` through ``current_principal``) and answers with a redirect, so a reload
never repeats a change. The work is done by :mod:`accounts.users`, the same functions the
CLI uses, each change committed together with its audit entry.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accounts import users
from api.auth import Principal, optional_principal, require
from api.deps import CtxDep
from api.pages import PageForbidden, page_user, render
from api.ratelimit import client_address
from api.security import DbId
from core.errors import InputError, PermissionDenied
from core.levels import LEVELS
from core.roles import ROLES

router = APIRouter(prefix="/admin/users", include_in_schema=False)
Admin = Annotated[Principal, Depends(require("users"))]
STATE_ACTIONS = ("lock", "unlock", "deactivate", "activate")
# Fixed messages chosen by a code in the redirect: nothing the client sends is echoed.
DONE_VI = {
    "created": "Đã tạo người dùng.",
    "access": "Đã lưu vai trò và mức được xem.",
    "scope": "Đã lưu bộ sưu tập và đơn vị phụ trách.",
    "lock": "Đã khóa tài khoản.",
    "unlock": "Đã mở khóa tài khoản.",
    "deactivate": "Đã vô hiệu hóa tài khoản.",
    "activate": "Đã kích hoạt lại tài khoản.",
    "password": "Đã đặt lại mật khẩu; các phiên đăng nhập của người này đã kết thúc.",
    "same": "Không có gì thay đổi.",
}


def _actor(request: Request, who: Principal) -> users.Actor:
    return users.Actor(who.username, client_address(request), who.user_id)


def _row(u: Any) -> dict[str, Any]:
    return {
        "id": u.id,
        "username": u.username,
        "full_name": u.full_name or "",
        "role": u.role,
        "clearance": u.clearance,
        "active": u.active,
        "locked": u.locked,
        "collections": list(u.collections or []),
        "departments": list(u.departments or []),
        "created_at": u.created_at,
    }


def _list_page(
    request: Request,
    ctx: Any,
    who: Principal,
    status: int = 200,
    error: str = "",
    form: dict[str, str] | None = None,
) -> HTMLResponse:

    with ctx.session() as s:
        rows = [_row(u) for u in users.list_users(s)]
    return render(
        request,
        "admin_users.html",
        who,
        status,
        title="Người dùng",
        users=rows,
        roles=ROLES,
        levels=LEVELS,
        error=error,
        form=form or {},
    )


def _user_page(
    request: Request, ctx: Any, who: Principal, user_id: int, status: int = 200, error: str = ""
) -> HTMLResponse:

    with ctx.session() as s:
        row = _row(users.user_by_id(s, user_id))
    done = DONE_VI.get(request.query_params.get("ok", ""), "")
    return render(
        request,
        "admin_user.html",
        who,
        status,
        title=f"Người dùng {row['username']}",
        target=row,
        roles=ROLES,
        levels=LEVELS,
        error=error,
        done=done,
        is_self=row["id"] == who.user_id,
    )


def _refused(e: InputError | PermissionDenied) -> int:
    return 403 if isinstance(e, PermissionDenied) else 422


def _back(user_id: int, code: str) -> RedirectResponse:
    return RedirectResponse(f"/admin/users/{user_id}?ok={code}", status_code=303)


def _page_admin(request: Request) -> Principal:
    """Admit administrators to a page: login redirect for the anonymous, 403 page for others."""
    who = page_user(request, optional_principal(request))
    if not who.can("users"):
        raise PageForbidden("users")
    return who


PageAdmin = Annotated[Principal, Depends(_page_admin)]


@router.get("", response_class=HTMLResponse)
def users_page(request: Request, ctx: CtxDep, who: PageAdmin) -> HTMLResponse:
    """List the accounts, with the form to create one."""
    return _list_page(request, ctx, who)


@router.get("/{user_id}", response_class=HTMLResponse)
def user_page(user_id: DbId, request: Request, ctx: CtxDep, who: PageAdmin) -> HTMLResponse:
    """Show one account with its forms."""
    return _user_page(request, ctx, who, user_id)


@router.post("")
def create(
    request: Request,
    ctx: CtxDep,
    who: Admin,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    confirm: Annotated[str, Form()],
    role: Annotated[str, Form()] = "tra_cuu",
    clearance: Annotated[str, Form()] = "thuong",
    full_name: Annotated[str, Form()] = "",
    collections: Annotated[str, Form()] = "",
    departments: Annotated[str, Form()] = "",
) -> Response:
    """Create an account (password policy as in ``sohoa users add``)."""
    kept = {
        "username": username,
        "full_name": full_name,
        "role": role,
        "clearance": clearance,
        "collections": collections,
        "departments": departments,
    }
    try:
        if password != confirm:
            raise InputError(
                "confirmation differs",
                code="password_mismatch",
                message_vi="Mật khẩu và phần nhập lại không khớp.",
            )
        with ctx.session() as s:
            u = users.create_user(
                s,
                _actor(request, who),
                username,
                password,
                role,
                clearance,
                full_name,
                users.split_names(collections),
                users.split_names(departments),
            )
            new_id = u.id
    except (InputError, PermissionDenied) as e:
        return _list_page(request, ctx, who, _refused(e), e.message_vi, kept)
    return _back(new_id, "created")


@router.post("/{user_id}/access")
def access(
    user_id: DbId,
    request: Request,
    ctx: CtxDep,
    who: Admin,
    role: Annotated[str, Form()],
    clearance: Annotated[str, Form()],
) -> Response:
    """Change role and clearance level."""
    try:
        with ctx.session() as s:
            u = users.user_by_id(s, user_id)
            before = (u.role, u.clearance)
            users.change_access(s, _actor(request, who), u, role, clearance)
            changed = (u.role, u.clearance) != before
    except (InputError, PermissionDenied) as e:
        return _user_page(request, ctx, who, user_id, _refused(e), e.message_vi)
    return _back(user_id, "access" if changed else "same")


@router.post("/{user_id}/scope")
def scope(
    user_id: DbId,
    request: Request,
    ctx: CtxDep,
    who: Admin,
    collections: Annotated[str, Form()] = "",
    departments: Annotated[str, Form()] = "",
) -> Response:
    """Set the collections and departments the user works on."""
    try:
        with ctx.session() as s:
            changed = users.change_scope(
                s,
                _actor(request, who),
                users.user_by_id(s, user_id),
                users.split_names(collections),
                users.split_names(departments),
            )
    except (InputError, PermissionDenied) as e:
        return _user_page(request, ctx, who, user_id, _refused(e), e.message_vi)
    return _back(user_id, "scope" if changed else "same")


@router.post("/{user_id}/state")
def state(
    user_id: DbId, request: Request, ctx: CtxDep, who: Admin, action: Annotated[str, Form()]
) -> Response:
    """Lock, unlock, deactivate or reactivate the account."""
    try:
        if action not in STATE_ACTIONS:
            raise InputError(
                f"unknown action {action!r}", code="bad_action", message_vi="Thao tác không hợp lệ."
            )
        with ctx.session() as s:
            u, actor = users.user_by_id(s, user_id), _actor(request, who)
            if action in ("lock", "unlock"):
                changed = users.set_locked(s, actor, u, action == "lock")
            else:
                changed = users.set_active(s, actor, u, action == "activate")
    except (InputError, PermissionDenied) as e:
        return _user_page(request, ctx, who, user_id, _refused(e), e.message_vi)
    return _back(user_id, action if changed else "same")


@router.post("/{user_id}/password")
def password(
    user_id: DbId,
    request: Request,
    ctx: CtxDep,
    who: Admin,
    new: Annotated[str, Form()],
    confirm: Annotated[str, Form()],
) -> Response:
    """Set a new password for the user; their sessions end."""
    try:
        if new != confirm:
            raise InputError(
                "confirmation differs",
                code="password_mismatch",
                message_vi="Mật khẩu mới và phần nhập lại không khớp.",
            )
        with ctx.session() as s:
            users.reset_password(s, _actor(request, who), users.user_by_id(s, user_id), new)
    except (InputError, PermissionDenied) as e:
        return _user_page(request, ctx, who, user_id, _refused(e), e.message_vi)
    return _back(user_id, "password")
