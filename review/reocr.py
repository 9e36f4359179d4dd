"""Recognise a document's pages again from their stored originals and re-extract its fields.

For a document whose text is wrong or gone: a TUYỆT MẬT detection that an administrator has
since lowered (the ``store_only`` policy had removed its text), or pages read with an older
model. The document keeps its id, pages, order and corrections history; what a person did is
kept: a page whose text a reviewer typed is not read again, and fields a reviewer corrected
keep their corrected values; the other fields are read anew. Its level can only rise (a newly
found mark raises it, as at assembly), unless an administrator lowered it before: their
written decision stands.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit import trail as audit
from core.access import Scope
from core.context import AppContext
from core.db import Document, PageStage
from core.db_audit import AuditEntry
from core.db_review import FieldCorrection
from core.errors import InputError
from core.levels import highest, keeps_text, level_of_mark
from core.states import DocumentStatus
from pipeline import topsecret
from pipeline.changes import documents_changed
from review.actions import EDITABLE, apply_level, flat_fields, visible_document, with_field

log = logging.getLogger(__name__)


def _lowered_by_admin(s: Session, doc_id: int) -> bool:
    entries = s.scalars(
        select(AuditEntry).where(
            AuditEntry.action == audit.CLASSIFICATION_CHANGED,
            AuditEntry.object_type == "document",
            AuditEntry.object_id == str(doc_id),
        )
    )
    return any((e.details or {}).get("direction") == "lower" for e in entries)


def _corrected_values(s: Session, doc: Document) -> dict[str, Any]:
    """Return the current value of every field a reviewer corrected (stored form)."""
    names = set(
        s.scalars(
            select(FieldCorrection.field).where(
                FieldCorrection.document_id == doc.id, FieldCorrection.field.in_(EDITABLE)
            )
        )
    )
    current = flat_fields(doc.fields)
    return {n: current.get(n) for n in sorted(names)}


def reocr_document(
    ctx: AppContext, doc_id: int, user: str, scope: Scope, address: str | None = None
) -> int:
    """OCR every page of a document again, then re-extract its fields; returns pages redone.

    Raises:
        InputError: ``reocr_top_secret`` for a TUYỆT MẬT document under ``store_only``
            (lower its level first, if the mark was wrong).
        NotFoundError: no such document visible to ``scope``.
    """
    # OCR and its OpenCV stack load here, on the first re-OCR, not with the web app: they
    # would add ~35 MiB to every web process that only lists, searches and exports. So does
    # the extraction stack (~3 MiB).
    import extract
    import ocr
    from pipeline.documents import page_texts
    from pipeline.pdfs import build_document_pdf
    from pipeline.rereaders import band_reader, line_reader, mark_reader
    from pipeline.runner import STAGE, job_for, save_result
    from pipeline.steps import process_page

    with ctx.session() as s:
        doc = visible_document(s, doc_id, scope)
        if not keeps_text(doc.classification, ctx.settings.security.top_secret_policy):
            raise InputError(
                "top secret documents are stored only",
                code="reocr_top_secret",
                message_vi="Tài liệu TUYỆT MẬT chỉ được lưu, không nhận dạng lại "
                "(chính sách store_only). Nếu dấu mật bị nhận nhầm, "
                "quản trị viên hạ độ mật trước.",
            )
        page_ids = [p.id for p in sorted(doc.pages, key=lambda p: p.doc_order or 0)]
        # A person's reading of a page (text_source "manual") is not replaced by a machine's.
        redo = [p.id for p in doc.pages if p.text_source != "manual" or p.text is None]
        stage_ids = list(
            s.scalars(
                select(PageStage.id).where(PageStage.page_id.in_(redo), PageStage.stage == STAGE)
            )
        )
    failed = 0
    for stage_id in stage_ids:
        job = job_for(ctx, stage_id)
        if job is None:
            continue
        result = process_page(job, ctx.settings)
        failed += not result.ok
        save_result(ctx, stage_id, result)
    with ctx.session() as s:
        doc = visible_document(s, doc_id, scope)
        pages = sorted(doc.pages, key=lambda p: p.doc_order or 0)
        engine = ocr.load_engine(ctx.settings.ocr)
        fields = extract.extract_fields(
            page_texts(pages, ctx.storage),
            mark_reader=mark_reader(ctx.storage, engine),
            line_reader=line_reader(ctx.storage, engine),
            band_reader=band_reader(ctx.storage, engine),
        )
        new_fields, confidence = fields.fields, dict(fields.confidence)
        corrected = _corrected_values(s, doc)
        for name, value in corrected.items():
            new_fields = with_field(new_fields, name, value)
            confidence[name] = 1.0  # a person read it
        mark = str(flat_fields(new_fields).get("secrecy") or "")
        # An administrator who lowered the level (with a written reason) has ruled on the
        # mark: reading the same mark again does not overrule them.
        level = (
            doc.classification
            if _lowered_by_admin(s, doc_id)
            else highest(doc.classification, level_of_mark(mark))
        )
        doc.kind, doc.fields = fields.kind, new_fields
        doc.field_confidence, doc.provenance = confidence, fields.provenance
        doc.status, doc.error = DocumentStatus.EXTRACTED, None
        audit.record(
            s,
            user,
            audit.DOC_REOCR,
            object_type="document",
            object_id=doc_id,
            address=address,
            details={
                "pages": page_ids,
                "redone": redo,
                "failed": failed,
                "kept": sorted(corrected),
            },
        )
        apply_level(
            ctx,
            s,
            doc,
            level,
            user,
            "dấu mật đọc lại",
            address=address,
            notice_vi=topsecret.MESSAGE_VI,
        )
        purged = doc.status == DocumentStatus.STORE_ONLY
    if not purged:
        with ctx.session() as s:
            built = s.get(Document, doc_id)
            if built is not None:
                build_document_pdf(ctx, built)
    documents_changed(ctx, [doc_id])
    log.info(
        "document %d: %d pages recognised again (%d failed), %d corrected fields kept",
        doc_id,
        len(stage_ids),
        failed,
        len(corrected),
    )
    return len(stage_ids)
