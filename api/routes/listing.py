"""The documents list (GET /api/documents), its facets and page thumbnails.

Thin over ``records.listing``: parameters in, one page of rows out. Filters are the search's
facets (type, kind, issuer, batch, collection, classification, year range) plus status.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse

from api.deps import CtxDep, CurrentUser, SessionDep
from api.ratelimit import client_address
from api.schemas import DocumentFacets, DocumentListPage
from api.security import DbId
from records.documents import visible_page
from records.facets import list_facets
from records.listing import ListQuery, any_of, list_documents
from records.thumbnails import page_thumbnail

router = APIRouter(tags=["documents"])
Multi = Annotated[list[str] | None, Query(max_length=50)]
Sort = Literal["date", "symbol", "type", "issuer", "batch", "status", "confidence", "id"]
NO_STORE = {"Cache-Control": "no-store"}


def list_query(
    sort: Sort = "date",
    order: Literal["asc", "desc"] = "desc",
    size: Annotated[int, Query(ge=1, le=200, description="số tài liệu mỗi trang")] = 50,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="trang thứ mấy (từ 1)")] = 1,
    after: Annotated[str | None, Query(max_length=600, description="con trỏ trang sau")] = None,
    before: Annotated[str | None, Query(max_length=600, description="con trỏ trang trước")] = None,
    type: Multi = None,  # noqa: A002 - the public parameter name is "type", as in search
    kind: Multi = None,
    issuer: Multi = None,
    batch: Multi = None,
    collection: Multi = None,
    classification: Multi = None,
    status: Multi = None,
    year_from: Annotated[int | None, Query(ge=0, le=9999)] = None,
    year_to: Annotated[int | None, Query(ge=0, le=9999)] = None,
) -> ListQuery:
    """Return the list request the query string describes."""
    return ListQuery(
        sort=sort,
        desc=order == "desc",
        size=size,
        page=page,
        after=after or None,
        before=before or None,
        types=any_of(type),
        kinds=any_of(kind),
        issuers=any_of(issuer),
        batches=any_of(batch),
        collections=any_of(collection),
        classifications=any_of(classification),
        statuses=any_of(status),
        year_from=year_from,
        year_to=year_to,
    )


ListDep = Annotated[ListQuery, Depends(list_query)]


@router.get("/documents", response_model=DocumentListPage)
def documents(s: SessionDep, who: CurrentUser, q: ListDep) -> DocumentListPage:
    """List every document you may open (from the database), sorted, filtered and paged.

    Paging is by keyset: pass ``after`` (``next_cursor``) or ``before`` (``prev_cursor``) with
    the page number you are moving to; ``page`` alone jumps there (bookmarks).
    """
    p = list_documents(s, who.scope, q)
    return DocumentListPage.model_validate(p, from_attributes=True)


@router.get("/documents/facets", response_model=DocumentFacets)
def document_facets(s: SessionDep, who: CurrentUser, q: ListDep) -> DocumentFacets:
    """Count documents per filter value (and in all) for the list's filters."""
    return DocumentFacets.model_validate(list_facets(s, who.scope, q))


@router.get("/pages/{page_id}/thumbnail", response_class=FileResponse)
def thumbnail(
    page_id: DbId, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> FileResponse:
    """Return a small JPEG of the page for lists (made on first request, then cached)."""
    visible_page(s, ctx, who, page_id, client_address(request))
    return FileResponse(
        page_thumbnail(ctx.storage, page_id), media_type="image/jpeg", headers=NO_STORE
    )
