"""Batches: list, status with failures, export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from accounts.scope import visible_batch
from api.deps import CtxDep, CurrentUser, SessionDep, current_principal
from api.ratelimit import client_address
from api.routes.ui_data import dashboard_data
from api.schemas_progress import BatchStatusOut, DashboardOut
from audit import trail as audit
from core.db import Batch, Document
from core.errors import PermissionDenied
from core.heap import release_free_memory
from core.levels import may_see
from progress.status import batch_status, batch_statuses
from records.export import stream_export

router = APIRouter(tags=["batches"], dependencies=[Depends(current_principal)])


@router.get("/batches", response_model=list[BatchStatusOut])
def list_batches(s: SessionDep, who: CurrentUser) -> list[dict[str, Any]]:
    """Return every batch inside the caller's scope with its progress counts."""
    batches = [b for b in s.scalars(select(Batch).order_by(Batch.id)) if who.scope.allows_batch(b)]
    return [st for st, _progress in batch_statuses(s, batches, who.scope)]


@router.get("/batches/{name}", response_model=BatchStatusOut)
def get_batch(name: str, s: SessionDep, who: CurrentUser) -> dict[str, Any]:
    """Return one batch's progress and failures (404 outside the caller's scope)."""
    return batch_status(s, visible_batch(s, name, who.scope), who.scope)


@router.get("/batches/{name}/export", response_class=StreamingResponse)
def export_batch(
    name: str,
    request: Request,
    s: SessionDep,
    ctx: CtxDep,
    who: CurrentUser,
    format: Literal["jsonl", "csv"] = "jsonl",
) -> StreamingResponse:
    """Return the batch's records in the export contract, streamed (memory stays flat)."""
    b = visible_batch(s, name, who.scope)  # outside the scope: looks absent
    levels = set(
        s.scalars(select(Document.classification).where(Document.batch_id == b.id).distinct())
    )
    levels.add(b.classification)  # pages of a declared level may not be in documents yet
    if not all(may_see(who.clearance, lv) for lv in levels):
        # The export carries every document's text: only callers cleared for all of them.
        raise PermissionDenied(
            "export above clearance",
            code="above_clearance",
            message_vi="Lô này có tài liệu vượt mức bạn được xem; không thể xuất toàn bộ.",
        )
    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson"
    batch_id, batch_name = b.id, b.name
    audit.record(
        s,
        who.username,
        audit.EXPORT,
        object_type="batch",
        object_id=b.id,
        address=client_address(request),
        details={"batch": b.name, "format": format, "via": "api"},
    )

    def body() -> Iterator[str]:
        # Its own session: the request's closes when the handler returns, before streaming.
        with ctx.session() as export_session:
            yield from stream_export(export_session, batch_id, batch_name, format)
        release_free_memory()  # 50,000 records' rows and texts passed through the heap

    return StreamingResponse(body(), media_type=media)


@router.get("/dashboard", response_model=DashboardOut)
def dashboard(s: SessionDep, request: Request, who: CurrentUser) -> dict[str, Any]:
    """Return every batch's per-stage progress (batches in the caller's scope, newest first)."""
    return dashboard_data(s, request, who)
