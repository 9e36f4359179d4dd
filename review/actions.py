"""Reviewer actions: correct a field or a page's text, accept a document, split and merge.

Every change writes a record (who, when, old, new) and its audit entry in the same database
transaction as the change itself: if the audit cannot be written, the change is rolled back,
so nothing a reviewer does escapes the trail. Once committed, the documents touched go
through ``pipeline.changes.documents_changed`` (which re-indexes them).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accounts.scope import document_allowed
from audit import trail as audit
from core.access import Scope
from core.context import AppContext
from core.db import Batch, Document, Page
from core.db_review import BoundaryChange, FieldCorrection
from core.errors import InputError, NotFoundError
from core.fields import KEYS, fields_for
from core.levels import highest, keeps_text, level_of_mark, rank
from core.states import NOT_TO_REVIEW, DocumentStatus
from core.text import nfc
from pipeline import topsecret
from pipeline.changes import documents_changed
from review.classification import set_classification

log = logging.getLogger(__name__)
# The fields a reviewer edits (core.fields, in form order; profile fields as profile.<key>).
EDITABLE = KEYS


def review_fields(kind: str | None) -> tuple[str, ...]:
    """Return the fields a reviewer checks for a document of this kind, in form order."""
    return tuple(f.key for f in fields_for(kind))


def flat_fields(fields: dict[str, Any] | None) -> dict[str, Any]:
    """Return fields with the profile's keys lifted to ``profile.<key>``."""
    out = {k: v for k, v in (fields or {}).items() if k != "profile"}
    profile = (fields or {}).get("profile")
    if isinstance(profile, dict):
        out.update({f"profile.{k}": v for k, v in profile.items()})
    return out


def with_field(fields: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    """Return a copy of ``fields`` with one (possibly profile) field set, or removed if None."""
    out = dict(fields)
    target, key = out, field
    if field.startswith("profile."):
        target = out["profile"] = dict(out.get("profile") or {})
        key = field.split(".", 1)[1]
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value
    return out


def visible_document(s: Session, doc_id: int, scope: Scope) -> Document:
    """Return a document the caller may see; others (too secret, outside scope) look absent.

    Raises:
        NotFoundError: ``document_not_found`` (also above the caller's clearance or outside
            their collections/departments).
    """
    doc = s.get(Document, doc_id)
    if doc is None or not document_allowed(s, scope, doc):
        raise NotFoundError(
            f"no document {doc_id}",
            code="document_not_found",
            message_vi=f"Không tìm thấy tài liệu #{doc_id}.",
        )
    return doc


def apply_level(
    ctx: AppContext,
    s: Session,
    doc: Document,
    level: str,
    user: str,
    reason: str | None,
    *,
    is_admin: bool = False,
    address: str | None = None,
    notice_vi: str = topsecret.RAISED_VI,
) -> str:
    """Set a document's level and apply the TUYỆT MẬT policy in the same transaction.

    :func:`set_classification`'s rules hold (lowering: an administrator and a reason); raised
    to TUYỆT MẬT under ``store_only``, the document's recognised text goes.

    Returns:
        The previous level.
    """
    old = set_classification(s, doc.id, level, user, reason, is_admin=is_admin, address=address)
    policy = ctx.settings.security.top_secret_policy
    if keeps_text(old, policy) and not keeps_text(level, policy):
        topsecret.purge_document_text(
            s, ctx.storage, doc, actor=user, address=address, notice_vi=notice_vi
        )
    return old


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def correct_field(
    ctx: AppContext,
    doc_id: int,
    field: str,
    value: str,
    user: str,
    scope: Scope,
    address: str | None = None,
) -> bool:
    """Set one field of a document; returns False when the value did not change.

    A corrected secrecy mark above the document's level raises its classification (audited
    as ``classification_changed``); lowering stays an administrator's act with a reason
    (:mod:`review.classification`). Values stay in the corrections history; the audit entry
    names the field only.
    """
    if field not in EDITABLE:
        raise InputError(
            f"unknown field {field!r}",
            code="unknown_field",
            message_vi=f"Không có trường '{field}'.",
        )
    new = nfc(value.strip())
    with ctx.session() as s:
        doc = visible_document(s, doc_id, scope)
        old = _text(flat_fields(doc.fields).get(field))
        if old == new:
            return False
        if field == "recipients":
            fields = with_field(
                doc.fields or {}, field, [r.strip() for r in new.split(";") if r.strip()]
            )
        else:
            fields = with_field(doc.fields or {}, field, new or None)
        conf = dict(doc.field_confidence or {})
        conf[field] = 1.0  # a person read it
        doc.fields, doc.field_confidence = fields, conf
        s.add(
            FieldCorrection(
                document_id=doc_id, field=field, old_value=old, new_value=new, user=user
            )
        )
        audit.record(
            s,
            user,
            audit.FIELD_CORRECTED,
            object_type="document",
            object_id=doc_id,
            address=address,
            details={"field": field},
        )
        if field == "secrecy" and rank(level_of_mark(new)) > rank(doc.classification):
            apply_level(ctx, s, doc, level_of_mark(new), user, "sửa trường độ mật", address=address)
    documents_changed(ctx, [doc_id])
    return True


def correct_page_text(
    ctx: AppContext, page_id: int, text: str, user: str, scope: Scope, address: str | None = None
) -> bool:
    """Replace the OCR text of a page (where recognition failed); returns whether it changed."""
    new = nfc(text.replace("\r\n", "\n"))
    with ctx.session() as s:
        page = s.get(Page, page_id)
        if page is None or page.document_id is None:
            raise NotFoundError(
                f"no page {page_id}",
                code="page_not_found",
                message_vi=f"Không tìm thấy trang #{page_id}.",
            )
        visible_document(s, page.document_id, scope)
        if (page.text or "") == new:
            return False
        s.add(
            FieldCorrection(
                document_id=page.document_id,
                field="page_text",
                page_id=page_id,
                old_value=page.text or "",
                new_value=new,
                user=user,
            )
        )
        page.text, page.text_source = new, "manual"
        doc_id = page.document_id
        audit.record(
            s,
            user,
            audit.FIELD_CORRECTED,
            object_type="page",
            object_id=page_id,
            address=address,
            details={"field": "page_text"},
        )
    documents_changed(ctx, [doc_id])
    return True


def accept_document(
    ctx: AppContext, doc_id: int, user: str, scope: Scope, address: str | None = None
) -> None:
    """Mark a document reviewed (audited with the change)."""
    with ctx.session() as s:
        doc = visible_document(s, doc_id, scope)
        s.add(
            FieldCorrection(
                document_id=doc_id,
                field="status",
                old_value=doc.status,
                new_value=DocumentStatus.REVIEWED,
                user=user,
            )
        )
        audit.record(
            s,
            user,
            audit.DOC_ACCEPTED,
            object_type="document",
            object_id=doc_id,
            address=address,
            details={"from": doc.status},
        )
        doc.status = DocumentStatus.REVIEWED
    documents_changed(ctx, [doc_id])


def change_classification(
    ctx: AppContext,
    doc_id: int,
    level: str,
    user: str,
    scope: Scope,
    reason: str | None = None,
    *,
    is_admin: bool = False,
    address: str | None = None,
) -> str:
    """Raise (any reviewer) or lower (administrator, with a reason) a document's level.

    Raised to TUYỆT MẬT under ``store_only`` the document keeps no recognised text, exactly as
    when its mark is found after OCR (:mod:`pipeline.topsecret`), in the same transaction.

    Returns:
        The previous level.
    """
    with ctx.session() as s:
        old = apply_level(
            ctx,
            s,
            visible_document(s, doc_id, scope),
            level,
            user,
            reason,
            is_admin=is_admin,
            address=address,
        )
    documents_changed(ctx, [doc_id])
    return old


def split_document(
    ctx: AppContext, doc_id: int, page_id: int, user: str, scope: Scope, address: str | None = None
) -> int:
    """Start a new document at ``page_id``: it and the following pages move; returns new id."""
    with ctx.session() as s:
        doc = visible_document(s, doc_id, scope)
        pages = list(doc.pages)
        idx = next((i for i, p in enumerate(pages) if p.id == page_id), None)
        if idx is None or idx == 0:
            raise InputError(
                "split at first or foreign page",
                code="bad_split",
                message_vi="Chỉ tách được tại một trang (không phải trang đầu) của tài liệu này.",
            )
        # Later documents of the batch move one place down to keep the order.
        for later in s.scalars(
            select(Document).where(Document.batch_id == doc.batch_id, Document.seq > doc.seq)
        ):
            later.seq += 1
        new = Document(
            batch_id=doc.batch_id,
            seq=doc.seq + 1,
            kind=doc.kind,
            classification=doc.classification,
            fields={},
            field_confidence={},
            provenance={},
            status=DocumentStatus.EXTRACTED,
        )
        s.add(new)
        s.flush()
        moved = pages[idx:]
        for order, p in enumerate(moved):
            p.document_id, p.doc_order = new.id, order
        s.add(
            BoundaryChange(
                action="split",
                document_id=doc_id,
                other_document_id=new.id,
                page_ids=[p.id for p in moved],
                user=user,
            )
        )
        new_id = new.id
        audit.record(
            s,
            user,
            audit.BOUNDARY_CHANGED,
            object_type="document",
            object_id=doc_id,
            address=address,
            details={"action": "split", "page": page_id, "new_document": new_id},
        )
    documents_changed(ctx, [doc_id, new_id])
    return new_id


def merge_next(
    ctx: AppContext, doc_id: int, user: str, scope: Scope, address: str | None = None
) -> int:
    """Append the batch's next document to this one; returns the id of the merged-away one."""
    with ctx.session() as s:
        doc = visible_document(s, doc_id, scope)
        nxt = s.scalar(
            select(Document)
            .where(Document.batch_id == doc.batch_id, Document.seq > doc.seq)
            .order_by(Document.seq)
            .limit(1)
        )
        if nxt is None:
            raise InputError(
                "no next document",
                code="bad_merge",
                message_vi="Không có tài liệu tiếp theo để gộp.",
            )
        visible_document(s, nxt.id, scope)
        start = len(doc.pages)
        moved = list(nxt.pages)
        for order, p in enumerate(moved, start=start):
            p.document_id, p.doc_order = doc.id, order
        doc.classification = highest(doc.classification, nxt.classification)
        nxt.status = DocumentStatus.MERGED
        s.add(
            BoundaryChange(
                action="merge",
                document_id=doc_id,
                other_document_id=nxt.id,
                page_ids=[p.id for p in moved],
                user=user,
            )
        )
        gone = nxt.id
        audit.record(
            s,
            user,
            audit.BOUNDARY_CHANGED,
            object_type="document",
            object_id=doc_id,
            address=address,
            details={"action": "merge", "merged": gone},
        )
    documents_changed(ctx, [doc_id, gone])
    return gone


@dataclass(frozen=True)
class QueueItem:
    """One document waiting for review."""

    id: int
    batch: str
    kind: str
    confidence: float
    weakest_field: str | None
    pages: int
    # What the row says about the document (list columns of core.db): not just "#5".
    doc_type: str = ""
    symbol: str = ""
    date: str = ""
    subject: str = ""


def review_queue(
    s: Session,
    scope: Scope,
    batch_id: int | None = None,
    kind: str | None = None,
    field: str | None = None,
    limit: int = 100,
) -> list[QueueItem]:
    """Return unreviewed documents the caller may see, lowest confidence first.

    ``field`` ranks by that field's confidence instead of the weakest one.
    """
    q = (
        select(Document, Batch, func.count(Page.id))
        .join(Batch, Batch.id == Document.batch_id)
        .outerjoin(Page, Page.document_id == Document.id)
        .where(Document.status.notin_(NOT_TO_REVIEW))
        .group_by(Document.id, Batch.id)
    )
    if batch_id is not None:
        q = q.where(Document.batch_id == batch_id)
    if kind:
        q = q.where(Document.kind == kind)
    items = []
    for doc, batch, n_pages in s.execute(q):
        if not n_pages or not scope.allows(doc.classification, batch.collection, batch.department):
            continue
        conf = {
            k: float(v)
            for k, v in (doc.field_confidence or {}).items()
            if isinstance(v, int | float)
        }
        if field:
            score, weakest = conf.get(field, 0.0), field
        elif conf:
            weakest = min(conf, key=lambda k: conf[k])
            score = conf[weakest]
        else:
            score, weakest = 0.0, None
        subject = str((doc.fields or {}).get("subject") or "")
        profile = (doc.fields or {}).get("profile")
        if not subject and isinstance(profile, dict):
            subject = str(profile.get("ho_ten") or "")
        items.append(
            QueueItem(
                doc.id,
                batch.name,
                doc.kind,
                score,
                weakest,
                int(n_pages),
                doc.doc_type,
                doc.symbol,
                doc.doc_date,
                subject,
            )
        )
    items.sort(key=lambda i: (i.confidence, i.id))
    return items[:limit]


def history(s: Session, doc_id: int) -> list[dict[str, Any]]:
    """Return the corrections and boundary changes of a document, newest first."""
    rows: list[dict[str, Any]] = [
        {
            "kind": "field",
            "field": c.field,
            "page_id": c.page_id,
            "old": c.old_value,
            "new": c.new_value,
            "user": c.user,
            "at": c.at.isoformat(),
        }
        for c in s.scalars(select(FieldCorrection).where(FieldCorrection.document_id == doc_id))
    ]
    rows += [
        {
            "kind": b.action,
            "field": None,
            "page_id": None,
            "old": None,
            "new": f"#{b.other_document_id}",
            "user": b.user,
            "at": b.at.isoformat(),
            "pages": b.page_ids,
        }
        for b in s.scalars(
            select(BoundaryChange).where(
                (BoundaryChange.document_id == doc_id)
                | (BoundaryChange.other_document_id == doc_id)
            )
        )
    ]
    rows.sort(key=lambda r: r["at"], reverse=True)
    return rows


def machine_values(s: Session, doc: Document) -> dict[str, str]:
    """Return what the machine extracted for each field (before any correction)."""
    out = {k: _text(v) for k, v in flat_fields(doc.fields).items()}
    for c in s.scalars(
        select(FieldCorrection)
        .where(FieldCorrection.document_id == doc.id, FieldCorrection.field.in_(EDITABLE))
        .order_by(FieldCorrection.id.desc())
    ):
        out[c.field] = c.old_value or ""  # the oldest "old" wins: iterating newest first
    return out
