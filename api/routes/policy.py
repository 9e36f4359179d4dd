"""Auto-accept policies per collection (administrators) and re-opening accepted documents."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from api.auth import Principal, require
from api.deps import CtxDep, Reviewer
from api.ratelimit import client_address
from api.security import DbId
from core.states import DocumentStatus
from review import autoaccept

router = APIRouter(tags=["review"])
Admin = Annotated[Principal, Depends(require("users"))]
CollectionName = Annotated[str, Path(min_length=1, max_length=200)]


class PolicyOut(BaseModel):
    """A collection's auto-accept policy."""

    collection: str
    threshold: float
    set_by: str
    set_at: str


class PoliciesOut(BaseModel):
    """The policies in force, the collections one may name, and the pages they saved."""

    policies: list[PolicyOut]
    collections: list[str]
    pages_saved: int


class PolicyIn(BaseModel):
    """A threshold to set (0.80-1.00), or null to review every document again."""

    threshold: float | None = Field(..., ge=0.8, le=1.0)


class ReopenedOut(BaseModel):
    """A document taken back into review."""

    document: int
    status: str


@router.get("/policies/autoaccept", response_model=PoliciesOut)
def policies(ctx: CtxDep, who: Admin) -> dict[str, Any]:
    """List the auto-accept policies, the collections and the pages accepted by policy."""
    return {
        "policies": [asdict(p) for p in autoaccept.list_policies(ctx)],
        "collections": autoaccept.collections(ctx),
        "pages_saved": autoaccept.pages_saved(ctx, who.scope),
    }


@router.put("/policies/autoaccept/{collection}", response_model=PolicyOut | None)
def set_policy(
    collection: CollectionName, body: PolicyIn, request: Request, ctx: CtxDep, who: Admin
) -> dict[str, Any] | None:
    """Set (or with ``null`` remove) a collection's threshold; audited."""
    p = autoaccept.set_policy(
        ctx, collection, body.threshold, who.username, client_address(request)
    )
    return asdict(p) if p is not None else None


@router.post("/documents/{doc_id}/reopen", response_model=ReopenedOut)
def reopen(doc_id: DbId, request: Request, ctx: CtxDep, who: Reviewer) -> dict[str, Any]:
    """Take an accepted document (by a person or by policy) back into review."""
    autoaccept.reopen_document(ctx, doc_id, who.username, who.scope, client_address(request))
    return {"document": doc_id, "status": DocumentStatus.EXTRACTED}
