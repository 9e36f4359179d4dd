"""TUYỆT MẬT under ``store_only``: a document found TUYỆT MẬT after OCR keeps no text.

A batch declared TUYỆT MẬT is never OCR'd (``pipeline.intake`` skips its pages). A document
whose mark is only read by OCR has, by then, page text in the database, word boxes in
``words.json`` and extracted fields. Under ``store_only`` that text must not stay: it is
removed here, in the caller's transaction, with its audit entry. What was received stays:
the original (content-addressed, read-only) and the page image a cleared user may look at.
"""

from __future__ import annotations

import json
import logging
import shutil
from typing import Any

from sqlalchemy.orm import Session

from audit import trail as audit
from core.db import Document
from core.levels import keeps_text
from core.settings import Settings
from core.states import DocumentStatus, PageFlag
from core.storage import Storage, write_atomic

log = logging.getLogger(__name__)
KEPT_FIELDS = ("secrecy",)  # the mark that decided it, so a cleared reviewer sees why
MESSAGE_VI = (
    "Tài liệu TUYỆT MẬT (phát hiện dấu sau khi nhận dạng): theo chính sách "
    "top_secret_policy=store_only chỉ lưu bản gốc và ảnh trang; chữ nhận dạng, "
    "vị trí từ và các trường trích xuất đã bị xóa, không đưa vào tra cứu."
)


def _strip_words(storage: Storage, page_id: int) -> bool:
    """Keep only the geometry of a page's ``words.json`` (the viewer needs it); no text."""
    path = storage.page_words(page_id)
    if not path.exists():
        return False
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        data = {}
    geometry = {
        k: data[k]
        for k in ("width", "height", "display_scale", "rotation", "to_source")
        if k in data
    }
    write_atomic(
        path,
        json.dumps({**geometry, "words": [], "purged": PageFlag.TOP_SECRET_PURGED}).encode("utf-8"),
    )
    return True


RAISED_VI = (
    "Tài liệu đã được nâng lên TUYỆT MẬT: theo chính sách top_secret_policy="
    "store_only chỉ lưu bản gốc và ảnh trang; chữ nhận dạng, vị trí từ và các trường "
    "trích xuất đã bị xóa, không đưa vào tra cứu."
)


def purge_document_text(
    s: Session,
    storage: Storage,
    doc: Document,
    actor: str = audit.SYSTEM,
    address: str | None = None,
    notice_vi: str = MESSAGE_VI,
) -> int:
    """Remove a document's recognised text, word boxes, fields and derived files; audit it.

    Files are rewritten before the caller commits: should the commit then fail, text is
    missing from a file rather than left behind (fail closed), and the pages, still unassigned,
    are assembled and purged again on the next pass.

    Returns:
        How many pages lost their text.
    """
    pages = list(doc.pages)
    for p in pages:
        p.text = None
        p.flags = [
            *(f for f in (p.flags or []) if f != PageFlag.TOP_SECRET_PURGED),
            PageFlag.TOP_SECRET_PURGED,
        ]
    words_files = sum(_strip_words(storage, p.id) for p in pages)
    fields = doc.fields or {}
    doc.fields = {k: fields[k] for k in KEPT_FIELDS if k in fields}
    doc.field_confidence = {
        k: v for k, v in (doc.field_confidence or {}).items() if k in doc.fields
    }
    doc.provenance = {k: v for k, v in (doc.provenance or {}).items() if k in doc.fields}
    doc.status, doc.error = DocumentStatus.STORE_ONLY, notice_vi
    # The searchable PDF carries the text as an invisible layer: none is kept or built.
    folder = storage.document_dir(doc.id)
    if folder.exists():
        shutil.rmtree(folder)
    audit.record(
        s,
        actor,
        audit.TOP_SECRET_PURGED,
        object_type="document",
        object_id=doc.id,
        address=address,
        details={
            "policy": "store_only",
            "pages": [p.id for p in pages],
            "words_files": words_files,
            "mark": str(fields.get("secrecy") or ""),
            "fields_removed": sorted(set(fields) - set(doc.fields)),
        },
    )
    log.warning(
        "document %d: TUYỆT MẬT mark found after OCR; text of %d pages purged", doc.id, len(pages)
    )
    return len(pages)


def purge_detected(
    s: Session, storage: Storage, settings: Settings, doc_ids: list[int]
) -> set[int]:
    """Purge every TUYỆT MẬT document among ``doc_ids`` when the policy is ``store_only``.

    Returns:
        The ids purged (the caller builds no searchable PDF for them).
    """
    policy = settings.security.top_secret_policy
    purged = set()
    for doc_id in doc_ids:
        doc = s.get(Document, doc_id)
        if (
            doc is not None
            and not keeps_text(doc.classification, policy)
            and doc.status != DocumentStatus.STORE_ONLY
        ):
            purge_document_text(s, storage, doc)
            purged.add(doc_id)
    return purged
