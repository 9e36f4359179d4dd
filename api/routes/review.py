"""Review: the queue, field and page-text corrections, accept, split and merge documents."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from accounts.scope import visible_batch
from api.deps import CtxDep, Reviewer, SessionDep
from api.ratelimit import client_address
from api.schemas import (
    AcceptedOut,
    ClassificationOut,
    FieldSaved,
    MergeOut,
    ReviewQueueOut,
    SplitOut,
    TextSaved,
)
from api.security import MAX_ID, DbId
from core.states import DocumentStatus
from review import actions as rv
from review import boundaries

router = APIRouter(tags=["review"])


class ValueIn(BaseModel):
    """A corrected value; ``reason`` is for lowering ``secrecy`` (administrators only)."""

    value: str = Field(max_length=20000)
    reason: str = Field("", max_length=2000)


class TextIn(BaseModel):
    """A corrected page text."""

    text: str = Field(max_length=200000)


class ClassificationIn(BaseModel):
    """A new classification level; lowering needs an administrator and a reason."""

    level: Literal["thuong", "mat", "toi_mat", "tuyet_mat"]
    reason: str = Field("", max_length=2000)


class SplitIn(BaseModel):
    """Where a new document starts."""

    page_id: int = Field(ge=1, le=MAX_ID)


@router.get("/review/queue", response_model=ReviewQueueOut)
def queue(
    s: SessionDep,
    who: Reviewer,
    batch: str | None = None,
    kind: str | None = None,
    field: str | None = None,
    limit: int = 100,
) -> dict[str, Any]:
    """Return unreviewed documents, lowest confidence first (filters: batch, kind, field)."""
    # A batch outside the caller's scope answers like a missing one.
    batch_id = visible_batch(s, batch, who.scope).id if batch else None
    items = rv.review_queue(
        s, who.scope, batch_id, kind or None, field or None, min(max(limit, 1), 500)
    )
    return {"items": [asdict(i) for i in items], "fields": list(rv.EDITABLE)}


@router.put("/documents/{doc_id}/fields/{field}", response_model=FieldSaved)
def correct_field(
    doc_id: DbId, field: str, body: ValueIn, request: Request, ctx: CtxDep, who: Reviewer
) -> dict[str, Any]:
    """Save a field's value; writes a correction record and re-indexes the document.

    The value is validated for the field's type and stored normalised (422 with a Vietnamese
    message otherwise): ``value`` in the answer is what was stored.

    ``secrecy`` is the document's classification: any reviewer raises it; lowering or blanking
    it needs an administrator and a ``reason``; audited as ``classification_changed``.
    """
    changed, value = rv.correct_field(
        ctx,
        doc_id,
        field,
        body.value,
        who.username,
        who.scope,
        client_address(request),
        reason=body.reason,
        is_admin=who.role == "admin",
    )
    return {"document": doc_id, "field": field, "changed": changed, "value": value}


@router.put("/pages/{page_id}/text", response_model=TextSaved)
def correct_text(
    page_id: DbId, body: TextIn, request: Request, ctx: CtxDep, who: Reviewer
) -> dict[str, Any]:
    """Replace a page's OCR text where recognition failed."""
    changed = rv.correct_page_text(
        ctx, page_id, body.text, who.username, who.scope, client_address(request)
    )
    return {"page": page_id, "changed": changed}


@router.post("/documents/{doc_id}/accept", response_model=AcceptedOut)
def accept(doc_id: DbId, request: Request, ctx: CtxDep, who: Reviewer) -> dict[str, Any]:
    """Mark the document reviewed and return the next one in the queue."""
    rv.accept_document(ctx, doc_id, who.username, who.scope, client_address(request))
    with ctx.session() as s2:
        nxt = rv.review_queue(s2, who.scope, limit=1)
    return {
        "document": doc_id,
        "status": DocumentStatus.REVIEWED,
        "next": nxt[0].id if nxt else None,
    }


@router.put("/documents/{doc_id}/classification", response_model=ClassificationOut)
def classification(
    doc_id: DbId, body: ClassificationIn, request: Request, ctx: CtxDep, who: Reviewer
) -> dict[str, Any]:
    """Raise (reviewers) or lower (administrators, with a written reason) the level."""
    old = rv.change_classification(
        ctx,
        doc_id,
        body.level,
        who.username,
        who.scope,
        body.reason,
        is_admin=who.role == "admin",
        address=client_address(request),
    )
    return {"document": doc_id, "from": old, "to": body.level}


@router.post("/documents/{doc_id}/split", response_model=SplitOut)
def split(
    doc_id: DbId, body: SplitIn, request: Request, ctx: CtxDep, who: Reviewer
) -> dict[str, Any]:
    """Start a new document at the given page (it and the following pages move)."""
    new_id = boundaries.split_document(
        ctx, doc_id, body.page_id, who.username, who.scope, client_address(request)
    )
    return {"document": doc_id, "new_document": new_id}


@router.post("/documents/{doc_id}/merge-next", response_model=MergeOut)
def merge(doc_id: DbId, request: Request, ctx: CtxDep, who: Reviewer) -> dict[str, Any]:
    """Append the next document of the batch to this one."""
    gone = boundaries.merge_next(ctx, doc_id, who.username, who.scope, client_address(request))
    return {"document": doc_id, "merged": gone}
