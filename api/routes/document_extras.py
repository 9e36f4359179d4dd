"""Around one document: its searchable PDF, notes, "more like this"; bulk actions and export.

Every route checks the caller against the document first (``records.documents``), so a
document above their clearance or outside their collections looks absent everywhere.
"""

from __future__ import annotations

import io
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.deps import CtxDep, CurrentUser, SessionDep
from api.ratelimit import client_address
from api.schemas import Open
from api.security import MAX_ID, DbId
from audit import trail as audit
from core.db import Batch, Document
from core.errors import NotFoundError
from core.text import fold
from pipeline.indexing import get_backend
from records.documents import audit_access, guarded_document
from records.export import document_export, write_csv, write_jsonl
from records.notes import add_note, delete_note, list_notes
from records.similar import similar_documents
from review.bulk import Caller, run_bulk, summary

router = APIRouter(tags=["documents"])
NO_STORE = {"Cache-Control": "no-store"}
Ids = Annotated[list[Annotated[int, Field(ge=1, le=MAX_ID)]], Field(min_length=1, max_length=500)]


class NoteIn(BaseModel):
    """A note's text."""

    text: str = Field(min_length=1, max_length=4000)


class NoteOut(BaseModel):
    """A note on a document."""

    id: int
    document: int
    user: str
    text: str
    at: str


class SimilarOut(BaseModel):
    """A document like this one (that the caller may see)."""

    id: int
    title: str
    doc_type: str
    symbol: str
    date: str
    classification: str


class BulkIn(BaseModel):
    """An action on a selection of documents."""

    action: Literal["accept", "classify", "reocr", "assign"]
    ids: Ids
    level: Literal["thuong", "mat", "toi_mat", "tuyet_mat"] | None = None
    collection: str | None = Field(None, max_length=200)


class BulkItem(BaseModel):
    """What happened to one document."""

    id: int
    ok: bool
    message: str


class BulkOut(BaseModel):
    """Per-item results of a bulk action."""

    done: int
    refused: int
    items: list[BulkItem]


class ExportIn(BaseModel):
    """Documents to export and the format."""

    ids: Ids
    format: Literal["jsonl", "csv"] = "csv"


def pdf_name(doc: Document) -> str:
    """Return a file name people recognise: type, symbol and date of the document."""
    parts = [doc.doc_type.title() if doc.doc_type else "Tài liệu", doc.symbol, doc.doc_date]
    name = " ".join(p for p in parts if p) or f"Tài liệu {doc.id}"
    safe = "".join("-" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)
    return f"{safe} (#{doc.id}).pdf"


def content_disposition(kind: str, name: str) -> str:
    """Return a Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266/5987)."""
    ascii_name = fold(name).encode("ascii", "replace").decode("ascii").replace("?", "_")
    ascii_name = ascii_name.replace('"', "")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.get(
    "/documents/{doc_id}/pdf",
    response_class=FileResponse,
    responses={200: {"content": {"application/pdf": {}}, "description": "Bản PDF tra cứu được"}},
)
def document_pdf(
    doc_id: DbId,
    request: Request,
    s: SessionDep,
    ctx: CtxDep,
    who: CurrentUser,
    download: bool = False,
) -> FileResponse:
    """Return the document's searchable PDF, shown in the browser (``download=1``: saved)."""
    address = client_address(request)
    doc = guarded_document(s, ctx, who, doc_id, address)
    path = ctx.storage.document_pdf(doc_id)
    if not path.exists():
        raise NotFoundError(
            "no pdf",
            code="pdf_missing",
            message_vi="Tài liệu này chưa có bản PDF (đang xử lý, hoặc TUYỆT MẬT chỉ lưu ảnh).",
        )
    audit_access(s, who, audit.DOC_DOWNLOAD, doc, address, via="pdf", inline=not download)
    kind = "attachment" if download else "inline"
    headers = {
        **NO_STORE,
        "Content-Disposition": content_disposition(kind, pdf_name(doc)),
        # Shown in a frame of our own document page; no other site may frame it.
        "Content-Security-Policy": "frame-ancestors 'self'",
        "X-Frame-Options": "SAMEORIGIN",
    }
    return FileResponse(path, media_type="application/pdf", headers=headers)


@router.get("/documents/{doc_id}/notes", response_model=list[NoteOut])
def notes(
    doc_id: DbId, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> list[NoteOut]:
    """Return the notes on a document, oldest first."""
    guarded_document(s, ctx, who, doc_id, client_address(request))
    return [NoteOut(**n) for n in list_notes(s, doc_id)]


@router.post("/documents/{doc_id}/notes", response_model=NoteOut, status_code=201)
def post_note(
    doc_id: DbId, body: NoteIn, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> NoteOut:
    """Add a note to a document (audited)."""
    address = client_address(request)
    guarded_document(s, ctx, who, doc_id, address)
    return NoteOut(**add_note(s, doc_id, who.user_id, who.username, body.text, address))


@router.delete("/documents/{doc_id}/notes/{note_id}", response_model=Open)
def remove_note(
    doc_id: DbId, note_id: DbId, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> Open:
    """Delete your note (administrators: any note), audited."""
    address = client_address(request)
    guarded_document(s, ctx, who, doc_id, address)
    delete_note(
        s, doc_id, note_id, who.user_id, who.username, is_admin=who.role == "admin", address=address
    )
    return Open(deleted=note_id)


@router.get("/documents/{doc_id}/similar", response_model=list[SimilarOut])
def similar(
    doc_id: DbId, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> list[SimilarOut]:
    """Return up to 5 documents like this one, among those you may see."""
    doc = guarded_document(s, ctx, who, doc_id, client_address(request))
    return [SimilarOut(**d) for d in similar_documents(get_backend(ctx), s, who.scope, doc)]


@router.post("/documents/bulk", response_model=BulkOut)
def bulk(body: BulkIn, request: Request, ctx: CtxDep, who: CurrentUser) -> BulkOut:
    """Apply one action to each selected document; each item says what happened to it."""
    caller = Caller(
        who.username, who.scope, who.can("review"), who.can("users"), who.role == "admin"
    )
    outcomes = run_bulk(
        ctx,
        caller,
        body.action,
        body.ids,
        level=body.level,
        collection=body.collection,
        address=client_address(request),
    )
    return BulkOut.model_validate(summary(outcomes))


@router.post(
    "/documents/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
)
def export_selection(
    body: ExportIn, request: Request, s: SessionDep, ctx: CtxDep, who: CurrentUser
) -> Response:
    """Export the selected documents you may see (others are left out and counted)."""
    address = client_address(request)
    records = []
    skipped = 0
    batches = {b.id: b.name for b in s.scalars(select(Batch))}
    for doc_id in dict.fromkeys(body.ids):
        try:
            doc = guarded_document(s, ctx, who, doc_id, address)
        except NotFoundError:
            skipped += 1
            continue
        records.append(document_export(doc, batches.get(doc.batch_id, "")))
    buf = io.StringIO()
    (write_csv if body.format == "csv" else write_jsonl)(iter(records), buf)
    audit.record(
        s,
        who.username,
        audit.EXPORT,
        object_type="document",
        object_id=None,
        address=address,
        details={"documents": [r["id"] for r in records], "format": body.format, "via": "list"},
    )
    media = "text/csv" if body.format == "csv" else "application/x-ndjson"
    name = f"tai-lieu-da-chon.{body.format}"
    headers = {**NO_STORE, "Content-Disposition": content_disposition("attachment", name)}
    headers["X-Skipped"] = str(skipped)
    return Response(buf.getvalue().encode("utf-8"), media_type=media, headers=headers)
