"""Documents: record, page images, word boxes, originals, history; a fallback search."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from sqlalchemy import select

from accounts.scope import document_allowed, visible_batches
from api.auth import Principal
from api.deps import CtxDep, CurrentUser, SessionDep
from api.ratelimit import client_address
from api.security import DbId
from audit import trail as audit
from core.access import Scope
from core.context import AppContext
from core.db import Batch, Document, Page, SourceFile
from core.errors import NotFoundError, PermissionDenied
from core.levels import LABELS, may_see
from core.states import DocumentStatus
from core.text import fold
from records.export import contract_fields
from review.actions import (
    flat_fields,
    history,
    machine_values,
    page_not_found,
    review_fields,
    visible_document,
)

router = APIRouter(tags=["documents"])
MIME = {
    "pdf": "application/pdf",
    "tiff": "image/tiff",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "zip": "application/zip",
}


def document_record(s: Any, doc: Document) -> dict[str, Any]:
    """Return a document (already checked visible) with pages, fields, provenance, history."""
    batch = s.get(Batch, doc.batch_id)
    fields = contract_fields(doc)  # secrecy shown as the classification's mark
    pages = [
        {
            "id": p.id,
            "number": i + 1,
            "source_file": p.source_file.original_name,
            "source_file_id": p.source_file_id,
            "source_page": p.page_index + 1,
            "text": p.text or "",
            "mean_confidence": p.mean_confidence,
            "image": f"/api/pages/{p.id}/image",
            "words": f"/api/pages/{p.id}/words",
        }
        for i, p in enumerate(doc.pages)
    ]
    return {
        "id": doc.id,
        "batch": batch.name if batch else None,
        "kind": doc.kind,
        "classification": doc.classification,
        "classification_label": LABELS.get(doc.classification, doc.classification),
        "status": doc.status,
        "notice": doc.error,
        "fields": fields,
        "field_confidence": doc.field_confidence or {},
        "provenance": doc.provenance or {},
        "flat_fields": flat_fields(fields),
        "machine": machine_values(s, doc),
        "field_names": list(review_fields(doc.kind)),
        "pages": pages,
        "history": history(s, doc.id),
    }


def guarded_document(
    s: Any, ctx: AppContext, who: Principal, doc_id: int, address: str
) -> Document:
    """Return a document the caller may see; a refusal (level or scope) is audited.

    Raises:
        NotFoundError: no such document, above the caller's clearance or outside their
            collections/departments (all look absent).
    """
    doc = s.get(Document, doc_id)
    if doc is not None and not document_allowed(s, who.scope, doc):
        reason = "clearance" if not may_see(who.clearance, doc.classification) else "scope"
        # Own transaction: the request's session rolls back with the 404.
        audit.record(
            ctx,
            who.username,
            audit.ACCESS_DENIED,
            object_type="document",
            object_id=doc_id,
            address=address,
            details={"classification": doc.classification, "reason": reason},
        )
    return visible_document(s, doc_id, who.scope)


def audit_access(
    s: Any, who: Principal, action: str, doc: Document, address: str, **details: Any
) -> None:
    """Audit a view or download of a classified or personal document (others are not)."""
    audit.record_document_access(
        s,
        who.username,
        action,
        doc.id,
        doc.classification,
        doc.kind,
        address=address,
        details=details or None,
    )


@router.get("/documents/{doc_id}")
def get_document(
    doc_id: DbId, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> dict[str, Any]:
    """Return one document (404 when it does not exist or is above your clearance)."""
    address = client_address(request)
    doc = guarded_document(s, ctx, who, doc_id, address)
    audit_access(s, who, audit.DOC_VIEW, doc, address)
    return document_record(s, doc)


def _visible_page(
    s: Any, ctx: AppContext, who: Principal, page_id: int, address: str
) -> tuple[Page, Document]:
    """Return a page the caller may see and its document.

    A page of a hidden document answers exactly like a page that does not exist (the refusal
    is audited): naming its document would map hidden documents by enumerating page ids.
    """
    page = s.get(Page, page_id)
    doc = None
    if page is not None and page.document_id is not None:
        with contextlib.suppress(NotFoundError):
            doc = guarded_document(s, ctx, who, page.document_id, address)
    if page is None or doc is None:
        raise page_not_found(page_id)
    return page, doc


@router.get("/pages/{page_id}/image", response_class=FileResponse)
def page_image(
    page_id: DbId, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> FileResponse:
    """Return the page's upright review image (JPEG)."""
    address = client_address(request)
    _page, doc = _visible_page(s, ctx, who, page_id, address)
    path = ctx.storage.page_image(page_id)
    if not path.exists():
        raise NotFoundError(
            "no page image", code="page_image_missing", message_vi="Trang này chưa có ảnh để xem."
        )
    audit_access(s, who, audit.DOC_VIEW, doc, address, page=page_id)
    return FileResponse(path, media_type="image/jpeg")  # no-store: api.security


@router.get("/pages/{page_id}/words")
def page_words(
    page_id: DbId, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> dict[str, Any]:
    """Return the page's word boxes (unscaled upright image coordinates)."""
    page, _doc = _visible_page(s, ctx, who, page_id, client_address(request))
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


def fallback_search(s: Any, text: str, scope: Scope, limit: int = 20) -> dict[str, Any]:
    """Scan page texts for every folded query word (used until the search module is present).

    Returns the same shape as ``SearchResult.to_dict()`` with plain snippets and no facets.
    """
    words = fold(text).lower().split()
    hits: list[dict[str, Any]] = []
    total = 0
    batches = visible_batches(s, scope)  # None: every batch
    for doc in s.scalars(
        select(Document).where(Document.status != DocumentStatus.MERGED).order_by(Document.id)
    ):
        if not may_see(scope.clearance, doc.classification) or (
            batches is not None and doc.batch_id not in batches
        ):
            continue
        matched, snippets = [], []
        for i, p in enumerate(doc.pages, start=1):
            folded = fold(p.text or "").lower()
            if words and all(w in folded for w in words):
                matched.append(i)
                at = folded.find(words[0])
                snippets.append((p.text or "")[max(0, at - 60) : at + 100])
        if not matched:
            continue
        total += 1
        if len(hits) < limit:
            f = doc.fields or {}
            hits.append(
                {
                    "id": doc.id,
                    "score": float(len(matched)),
                    "title": str(f.get("subject") or f.get("doc_type") or f"#{doc.id}"),
                    "symbol": str(f.get("symbol") or ""),
                    "date": str(f.get("date") or ""),
                    "issuer": str(f.get("issuer") or ""),
                    "kind": doc.kind,
                    "doc_type": str(f.get("doc_type") or ""),
                    "classification": doc.classification,
                    "batch": "",
                    "pages": matched,
                    "snippets": snippets[:3],
                    "plain": True,
                }
            )
    return {"total": total, "took_ms": 0.0, "hits": hits, "facets": {}}


@router.get("/documents")
def find_documents(s: SessionDep, who: CurrentUser, q: str = "") -> dict[str, Any]:
    """Search page texts with or without diacritics (fallback until /api/search exists)."""
    return fallback_search(s, q, who.scope)
