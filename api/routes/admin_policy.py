"""The administrator's auto-accept page: a threshold per collection, or review for all.

A plain HTML form like the user pages: the POST carries the session's CSRF token and answers
with a redirect; the work is done by :mod:`review.autoaccept`, as for the API and the CLI.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth import Principal, require
from api.deps import CtxDep
from api.pages import render
from api.ratelimit import client_address
from api.routes.admin_users import PageAdmin
from core.errors import InputError
from review import autoaccept

router = APIRouter(prefix="/admin/policies", include_in_schema=False)
Admin = Annotated[Principal, Depends(require("users"))]
DONE_VI = {"saved": "Đã lưu ngưỡng tự động chấp nhận.", "off": "Đã tắt tự động chấp nhận."}


def _page(
    request: Request, ctx: CtxDep, who: Principal, status: int = 200, error: str = ""
) -> HTMLResponse:
    policies = {p.collection: p for p in autoaccept.list_policies(ctx)}
    rows = [{"name": name, "policy": policies.get(name)} for name in autoaccept.collections(ctx)]
    return render(
        request,
        "admin_policies.html",
        who,
        status,
        title="Tự động chấp nhận",
        rows=rows,
        saved=autoaccept.pages_saved(ctx, who.scope),
        done=DONE_VI.get(request.query_params.get("ok", ""), ""),
        error=error,
    )


@router.get("", response_class=HTMLResponse)
def policies_page(request: Request, ctx: CtxDep, who: PageAdmin) -> HTMLResponse:
    """List the collections with their thresholds and a form for each."""
    return _page(request, ctx, who)


@router.post("")
def set_policy(
    request: Request,
    ctx: CtxDep,
    who: Admin,
    collection: Annotated[str, Form(max_length=200)],
    threshold: Annotated[str, Form(max_length=10)] = "",
    action: Annotated[str, Form(max_length=10)] = "save",
) -> Response:
    """Set a collection's threshold (0,80-1,00; comma or point), or turn it off."""
    try:
        value: float | None = None
        if action != "off":
            try:
                value = float(threshold.strip().replace(",", "."))
            except ValueError:
                raise InputError(
                    "threshold is not a number",
                    code="threshold_not_a_number",
                    message_vi="Ngưỡng độ tin cậy phải là một số từ 0,80 đến 1,00.",
                ) from None
        autoaccept.set_policy(ctx, collection, value, who.username, client_address(request))
    except InputError as e:
        return _page(request, ctx, who, 422, e.message_vi)
    return RedirectResponse(
        f"/admin/policies?ok={'off' if value is None else 'saved'}", status_code=303
    )
