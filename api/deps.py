"""Request dependencies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from core.context import AppContext


def get_ctx(request: Request) -> AppContext:
    """Return the application's context."""
    ctx: AppContext = request.app.state.ctx
    return ctx


def get_session(ctx: Annotated[AppContext, Depends(get_ctx)]) -> Iterator[Session]:
    """Yield a database session for one request."""
    with ctx.session() as s:
        yield s


CtxDep = Annotated[AppContext, Depends(get_ctx)]
SessionDep = Annotated[Session, Depends(get_session)]


# Authentication (api/auth.py): every /api route except /health depends on CurrentUser.
from api.auth import Principal, current_principal, require  # noqa: E402

CurrentUser = Annotated[Principal, Depends(current_principal)]
Uploader = Annotated[Principal, Depends(require("upload"))]
Manager = Annotated[Principal, Depends(require("manage"))]
Reviewer = Annotated[Principal, Depends(require("review"))]
