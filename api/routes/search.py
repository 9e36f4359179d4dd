"""GET /api/search: Vietnamese full-text search with filters, facets and snippets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from accounts.scope import search_in_scope
from api.auth import user_scope
from api.deps import CtxDep
from api.schemas import SearchOut, search_out
from core.access import Scope
from core.search_types import SearchQuery
from pipeline.indexing import get_backend

router = APIRouter(tags=["search"])
# The logged-in caller's scope (login required); a clearance in the URL is ignored.
ScopeDep = Annotated[Scope, Depends(user_scope)]
Multi = Annotated[list[str] | None, Query()]


@router.get("/search", response_model=SearchOut)
def search(
    ctx: CtxDep,
    scope: ScopeDep,
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
) -> SearchOut:
    """Search documents the caller may see; hits carry pages that matched and snippets."""
    query = SearchQuery(
        text=q,
        clearance=scope.clearance,
        doc_types=tuple(type or ()),
        kinds=tuple(kind or ()),
        issuers=tuple(issuer or ()),
        batches=tuple(batch or ()),
        collections=tuple(collection or ()),
        classifications=tuple(classification or ()),
        year_from=year_from,
        year_to=year_to,
        limit=limit,
        offset=offset,
    )
    with ctx.session() as s:
        result = search_in_scope(get_backend(ctx), s, query, scope).to_dict()
    return search_out(result, limit, offset)
