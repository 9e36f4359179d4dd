"""The caller's own API tokens: list, create (with expiry) and revoke.

As API (``/api/me/tokens``) and on the account page (``/account``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from accounts.tokens import TokenInfo, issue_own, list_tokens, revoke_own
from api.auth import optional_principal
from api.deps import CtxDep, CurrentUser
from api.pages import page_user, render
from api.ratelimit import client_address
from api.security import DbId, PlainName
from core.db import utcnow
from core.db_users import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, User
from core.errors import InputError, NotFoundError

router = APIRouter()


class TokenIn(BaseModel):
    """A new API token: its name and lifetime in days (1…365, default 90)."""

    name: PlainName = Field("", max_length=100)
    days: int = Field(DEFAULT_TOKEN_DAYS, ge=1, le=MAX_TOKEN_DAYS)


def _info(t: TokenInfo) -> dict[str, Any]:
    return {
        "id": t.id,
        "name": t.name,
        "created_at": t.created_at.isoformat(),
        "expires_at": t.expires_at.isoformat() if t.expires_at else None,
        "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
        "active": t.active,
    }


@router.get("/api/me/tokens", tags=["auth"])
def my_tokens(ctx: CtxDep, who: CurrentUser) -> list[dict[str, Any]]:
    """List the caller's API tokens (name, created, expires, last used, active); no secrets."""
    with ctx.session() as s:
        return [_info(t) for t in list_tokens(s, who.user_id, utcnow())]


@router.post("/api/me/tokens", tags=["auth"], status_code=201)
def new_token(body: TokenIn, request: Request, ctx: CtxDep, who: CurrentUser) -> dict[str, Any]:
    """Create an API token for scripts; the secret is shown only in this answer."""
    with ctx.session() as s:
        user = s.get(User, who.user_id)
        assert user is not None
        secret, tok = issue_own(s, user, body.name, body.days, client_address(request))
        expires = tok.expires_at
        token_id = tok.id
    return {
        "token": secret,
        "id": token_id,
        "name": body.name,
        "expires_at": expires.isoformat() if expires else None,
    }


@router.delete("/api/me/tokens/{token_id}", tags=["auth"])
def revoke_token(token_id: DbId, request: Request, ctx: CtxDep, who: CurrentUser) -> dict[str, Any]:
    """Revoke one of the caller's tokens (404 for a token that is not theirs)."""
    with ctx.session() as s:
        user = s.get(User, who.user_id)
        assert user is not None
        revoke_own(s, user, token_id, client_address(request))
    return {"id": token_id, "revoked": True}


def _page(request: Request, ctx: Any, who: Any, status: int = 200, **extra: Any) -> HTMLResponse:
    with ctx.session() as s:
        tokens = list_tokens(s, who.user_id, utcnow())
    return render(
        request,
        "account.html",
        who,
        status,
        title="Tài khoản",
        tokens=tokens,
        max_days=MAX_TOKEN_DAYS,
        default_days=DEFAULT_TOKEN_DAYS,
        **extra,
    )


@router.get("/account", response_class=HTMLResponse, include_in_schema=False)
def account_page(request: Request, ctx: CtxDep) -> Response:
    """Show the caller's account: API tokens (create, revoke) and a link to the password."""
    who = page_user(request, optional_principal(request))
    done = {"revoked": "Đã thu hồi mã truy cập.", "missing": "Không tìm thấy mã truy cập đó."}
    return _page(request, ctx, who, notice=done.get(request.query_params.get("msg", ""), ""))


@router.post("/account/tokens", response_class=HTMLResponse, include_in_schema=False)
def create_token_form(
    request: Request,
    ctx: CtxDep,
    who: CurrentUser,
    name: Annotated[str, Form(max_length=100)] = "",
    days: Annotated[int, Form(ge=1, le=MAX_TOKEN_DAYS)] = DEFAULT_TOKEN_DAYS,
) -> Response:
    """Create a token from the form; the secret is shown once on the answering page."""
    from accounts.users import _clean_text

    try:
        label = _clean_text(name, 100, "Tên mã") or ""
        with ctx.session() as s:
            user = s.get(User, who.user_id)
            assert user is not None
            secret, _tok = issue_own(s, user, label, days, client_address(request))
    except InputError as e:
        return _page(request, ctx, who, 422, error=e.message_vi)
    return _page(request, ctx, who, secret=secret, notice="Đã tạo mã truy cập mới.")


@router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_token_form(token_id: DbId, request: Request, ctx: CtxDep, who: CurrentUser) -> Response:
    """Revoke one of the caller's tokens from the account page."""
    msg = "revoked"
    try:
        with ctx.session() as s:
            user = s.get(User, who.user_id)
            assert user is not None
            revoke_own(s, user, token_id, client_address(request))
    except NotFoundError:
        msg = "missing"
    return RedirectResponse(f"/account?msg={msg}", status_code=303)
