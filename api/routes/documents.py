"""Documents: record, page images, word boxes, originals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import Principal
from api.deps import CtxDep, CurrentUser, SessionDep
from api.ratelimit import client_address
from api.schemas import DocumentRecord, PageWords
from api.security import DbId
from audit import trail as audit
from core.context import AppContext
from core.db import Batch, Document, Page, SourceFile
from core.errors import NotFoundError, PermissionDenied
from core.levels import may_see
from records.documents import audit_access, document_record, guarded_document, visible_page

router = APIRouter(tags=["documents"])
MIME = {
    "pdf": "application/pdf",
    "tiff": "image/tiff",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "zip": "application/zip",
}


@router.get("/documents/{doc_id}", response_model=DocumentRecord)
def get_document(
    doc_id: DbId, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> dict[str, Any]:
    """Return one document (404 when it does not exist or is above your clearance)."""
    address = client_address(request)
    doc = guarded_document(s, ctx, who, doc_id, address)
    audit_access(s, who, audit.DOC_VIEW, doc, address)
    return document_record(s, doc, ctx.storage)


@router.get("/pages/{page_id}/image", response_class=FileResponse)
def page_image(
    page_id: DbId, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> FileResponse:
    """Return the page's upright review image (JPEG, grey: what OCR read)."""
    return _page_jpeg(page_id, request, s, ctx, who, colour=False)


@router.get("/pages/{page_id}/image/colour", response_class=FileResponse)
def page_colour_image(
    page_id: DbId, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> FileResponse:
    """Return the colour copy of the review image (seals, pen), when the scan has one."""
    return _page_jpeg(page_id, request, s, ctx, who, colour=True)


def _page_jpeg(
    page_id: int, request: Request, s: Session, ctx: AppContext, who: Principal, *, colour: bool
) -> FileResponse:
    """Send a page image after the one check both copies share, in the same order.

    A page the caller may not see answers like a missing page (audited) before anything is
    looked up on disk, so whether a colour copy exists says nothing about a hidden page; a
    view of a classified or personal document is audited, whichever copy was shown.
    """
    address = client_address(request)
    _page, doc = visible_page(s, ctx, who, page_id, address)
    storage = ctx.storage
    path = storage.page_colour_image(page_id) if colour else storage.page_image(page_id)
    if not path.exists():
        raise NotFoundError(
            f"no {'colour ' if colour else ''}page image",
            code="page_colour_missing" if colour else "page_image_missing",
            message_vi="Trang này không có bản màu." if colour else "Trang này chưa có ảnh để xem.",
        )
    extra = {"copy": "colour"} if colour else {}
    audit_access(s, who, audit.DOC_VIEW, doc, address, page=page_id, **extra)
    return FileResponse(path, media_type="image/jpeg")  # no-store: api.security


@router.get("/pages/{page_id}/words", response_model=PageWords)
def page_words(
    page_id: DbId, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> dict[str, Any]:
    """Return the page's word boxes (unscaled upright image coordinates)."""
    page, _doc = visible_page(s, ctx, who, page_id, client_address(request))
    path = ctx.storage.page_words(page_id)
    if not path.exists():
        return {
            "width": page.width or 0,
            "height": page.height or 0,
            "display_scale": 1.0,
            "words": [],
        }
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@router.get("/files/{source_file_id}/original", response_class=FileResponse)
def download_original(
    source_file_id: DbId, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> FileResponse:
    """Download an original file as received (roles allowed to download only)."""
    if not who.can("download"):
        raise PermissionDenied(
            "no download right",
            code="forbidden_role",
            message_vi="Tài khoản của bạn không được tải bản gốc.",
        )
    sf = s.get(SourceFile, source_file_id)
    pages = list(s.scalars(select(Page).where(Page.source_file_id == source_file_id)))
    docs = {p.document_id for p in pages}
    found = list(s.scalars(select(Document).where(Document.id.in_(docs))))
    # The batch's declared level counts too: pages not (yet) in a document, or TUYỆT MẬT
    # pages stored without processing, have no document to carry it.
    batch = s.get(Batch, sf.batch_id) if sf is not None else None
    declared = batch.classification if batch is not None else "thuong"
    if (
        sf is None
        or sf.sha256 is None
        or not pages
        or batch is None
        or not who.scope.allows(declared, batch.collection, batch.department)
        or not all(may_see(who.clearance, d.classification) for d in found)
    ):
        raise NotFoundError(
            "no such file",
            code="file_not_found",
            message_vi=f"Không tìm thấy tệp #{source_file_id}.",
        )
    for d in found:
        audit_access(
            s, who, audit.DOC_DOWNLOAD, d, client_address(request), source_file=source_file_id
        )
    path = ctx.storage.original_path(sf.sha256)
    mime = MIME.get(sf.detected_type or "", "application/octet-stream")
    return FileResponse(path, media_type=mime, filename=Path(sf.original_name).name)
