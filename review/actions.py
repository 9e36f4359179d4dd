"""Reviewer actions: correct a field or a page's text, accept a document, change its level.

Splitting and merging documents: :mod:`review.boundaries`.

Every change writes a record (who, when, old, new) and its audit entry in the same database
transaction as the change itself: if the audit cannot be written, the change is rolled back,
so nothing a reviewer does escapes the trail. Once committed, the documents touched go
through ``pipeline.changes.documents_changed`` (which re-indexes them).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
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
from core.levels import LEVELS, keeps_text, level_of_mark, mark_of, rank
from core.states import NOT_TO_REVIEW, DocumentStatus
from core.text import nfc
from core.validation import field_text, field_value
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


def page_not_found(page_id: int) -> NotFoundError:
    """Return the one answer for a page that is missing, not in a document, or hidden."""
    return NotFoundError(
        f"no page {page_id}",
        code="page_not_found",
        message_vi=f"Không tìm thấy trang #{page_id}.",
    )


def editable(doc: Document) -> None:
    """Refuse changes to a document that a merge emptied (or that has no pages at all).

    Such a record holds nothing a reviewer could check: it is never accepted, edited or
    exported (its pages live on in the document they were merged into).

    Raises:
        InputError: ``document_merged`` or ``document_empty``.
    """
    if doc.status == DocumentStatus.MERGED:
        raise InputError(
            f"document {doc.id} was merged",
            code="document_merged",
            message_vi=f"Tài liệu #{doc.id} đã được gộp vào tài liệu trước nó và không còn "
            "trang nào; hãy rà soát tài liệu đã nhận các trang.",
        )
    if not doc.pages:
        raise InputError(
            f"document {doc.id} has no pages",
            code="document_empty",
            message_vi=f"Tài liệu #{doc.id} không có trang nào; không thể rà soát hay duyệt.",
        )


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
    to TUYỆT MẬT under ``store_only``, the document's recognised text goes. The ``secrecy``
    field is the classification's mark, set here whatever the path (one value, not two).

    Returns:
        The previous level.
    """
    old = set_classification(s, doc.id, level, user, reason, is_admin=is_admin, address=address)
    doc.fields = with_field(doc.fields or {}, "secrecy", mark_of(doc.classification) or None)
    policy = ctx.settings.security.top_secret_policy
    if keeps_text(old, policy) and not keeps_text(level, policy):
        topsecret.purge_document_text(
            s, ctx.storage, doc, actor=user, address=address, notice_vi=notice_vi
        )
    return old


def correct_field(
    ctx: AppContext,
    doc_id: int,
    field: str,
    value: str,
    user: str,
    scope: Scope,
    address: str | None = None,
    *,
    reason: str | None = None,
    is_admin: bool = False,
) -> tuple[bool, str]:
    """Set one field of a document; returns (whether it changed, the value as stored).

    What the reviewer typed is validated and normalised first (``core.validation``: dates to
    ISO, symbols by pattern, marks from their lists…); an invalid value is refused with a
    Vietnamese reason and nothing is written. Values stay in the corrections history; the
    audit entry names the field only.

    ``secrecy`` is the document's classification, not a free field: setting it is a
    classification change under :mod:`review.classification`'s rules (anyone who may edit
    raises; lowering, blanking included, needs an administrator and ``reason``), audited as
    ``classification_changed``.

    Raises:
        InputError: ``unknown_field``, ``invalid_field``, ``reason_required``.
        PermissionDenied: ``lower_classification_denied``.
    """
    stored = field_value(field, value)
    new = field_text(stored)
    with ctx.session() as s:
        doc = visible_document(s, doc_id, scope)
        editable(doc)
        old = field_text(flat_fields(doc.fields).get(field))
        if field == "secrecy":
            old = mark_of(doc.classification)
        if old == new:
            return False, new
        if field == "secrecy":
            apply_level(
                ctx,
                s,
                doc,
                level_of_mark(new),
                user,
                reason,
                is_admin=is_admin,
                address=address,
            )
        else:
            doc.fields = with_field(doc.fields or {}, field, stored)
            audit.record(
                s,
                user,
                audit.FIELD_CORRECTED,
                object_type="document",
                object_id=doc_id,
                address=address,
                details={"field": field},
            )
        conf = dict(doc.field_confidence or {})
        conf[field] = 1.0  # a person read it
        doc.field_confidence = conf
        s.add(
            FieldCorrection(
                document_id=doc_id, field=field, old_value=old, new_value=new, user=user
            )
        )
    documents_changed(ctx, [doc_id])
    return True, new


def correct_page_text(
    ctx: AppContext, page_id: int, text: str, user: str, scope: Scope, address: str | None = None
) -> bool:
    """Replace the OCR text of a page (where recognition failed); returns whether it changed."""
    new = nfc(text.replace("\r\n", "\n"))
    with ctx.session() as s:
        page = s.get(Page, page_id)
        if page is None or page.document_id is None:
            raise page_not_found(page_id)
        try:
            visible_document(s, page.document_id, scope)
        except NotFoundError:
            raise page_not_found(page_id) from None  # a hidden document's page looks absent
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
        editable(doc)  # a merged (emptied) document is never accepted, so never exported
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
        doc = visible_document(s, doc_id, scope)
        editable(doc)
        old = apply_level(
            ctx,
            s,
            doc,
            level,
            user,
            reason,
            is_admin=is_admin,
            address=address,
        )
    documents_changed(ctx, [doc_id])
    return old


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
    # No GROUP BY here: counting pages in the same statement made the database aggregate
    # every unreviewed document before it could order them (137 ms at a million pages).
    # Pages are counted per slice of documents instead.
    q = (
        select(Document, Batch)
        .join(Batch, Batch.id == Document.batch_id)
        .where(
            Document.status.notin_(NOT_TO_REVIEW),
            Document.classification.in_(LEVELS[: rank(scope.clearance) + 1]),
        )
    )
    if batch_id is not None:
        q = q.where(Document.batch_id == batch_id)
    if kind:
        q = q.where(Document.kind == kind)
    if field:
        rows: Iterable[Any] = _slices(s, q.order_by(Document.id), 5000)
    else:
        # The weakest field's confidence is the list column min_confidence: read in its
        # index order a slice at a time until the page is full, not the whole queue.
        rows = _slices(s, q.order_by(Document.min_confidence, Document.id), max(2 * limit, 50))
    items = []
    for doc, batch, n_pages in rows:
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
        if not field and len(items) >= limit:
            break  # rows came weakest first: the page is complete
    items.sort(key=lambda i: (i.confidence, i.id))
    return items[:limit]


def _slices(s: Session, q: Any, size: int) -> Iterator[Any]:
    """Yield ``q``'s (document, batch) rows with each document's page count, a slice at a time.

    The caller may stop reading once its page is full.
    """
    offset = 0
    while True:
        rows = s.execute(q.offset(offset).limit(size)).all()
        ids = [doc.id for doc, _ in rows]
        pages = dict(
            s.execute(
                select(Page.document_id, func.count())
                .where(Page.document_id.in_(ids))
                .group_by(Page.document_id)
            ).all()
        )
        for doc, batch in rows:
            yield doc, batch, pages.get(doc.id, 0)
        if len(rows) < size:
            return
        offset += size


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
    out = {k: field_text(v) for k, v in flat_fields(doc.fields).items()}
    for c in s.scalars(
        select(FieldCorrection)
        .where(FieldCorrection.document_id == doc.id, FieldCorrection.field.in_(EDITABLE))
        .order_by(FieldCorrection.id.desc())
    ):
        out[c.field] = c.old_value or ""  # the oldest "old" wins: iterating newest first
    return out
