"""GET /api/search: Vietnamese full-text search with filters, facets and snippets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.deps import CtxDep
from core.levels import LEVELS
from core.search_types import SearchQuery
from pipeline.indexing import get_backend

router = APIRouter(tags=["search"])


def search_clearance(
    clearance: Annotated[str, Query(description="Mức được phép xem: " + ", ".join(LEVELS))]
    = "thuong",
) -> str:
    """Return the caller's clearance: the ONE place to swap in the logged-in user's level.

    For now it comes from the ``clearance`` query parameter (default ``thuong``); the web-app
    issue replaces this body with the authenticated principal's clearance.
    """
    return clearance


ClearanceDep = Annotated[str, Depends(search_clearance)]
Multi = Annotated[list[str] | None, Query()]


@router.get("/search")
def search(
    ctx: CtxDep,
    clearance: ClearanceDep,
    q: Annotated[str, Query(description='từ khóa, "cụm từ", số ký hiệu')] = "",
    type: Multi = None,  # noqa: A002 - the public parameter name is "type"
    kind: Multi = None,
    issuer: Multi = None,
    batch: Multi = None,
    collection: Multi = None,
    classification: Multi = None,
    year_from: Annotated[int | None, Query(ge=0, le=9999)] = None,
    year_to: Annotated[int | None, Query(ge=0, le=9999)] = None,
    limit: Annotated[int, Query(ge=0, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> dict[str, Any]:
    """Search documents the caller may see; hits carry pages that matched and snippets."""
    query = SearchQuery(text=q, clearance=clearance, doc_types=tuple(type or ()),
                        kinds=tuple(kind or ()), issuers=tuple(issuer or ()),
                        batches=tuple(batch or ()), collections=tuple(collection or ()),
                        classifications=tuple(classification or ()), year_from=year_from,
                        year_to=year_to, limit=limit, offset=offset)
    return get_backend(ctx).search(query).to_dict()
