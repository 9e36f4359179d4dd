"""Auto-accept policies per collection, re-opening, and the pages the policy saved.

The decision itself runs when documents are assembled (``pipeline.autoaccept``); here an
administrator sets or removes a collection's threshold, a reviewer takes an accepted document
back into review, and the dashboard counts what the policy spared reviewers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from accounts.scope import visible_batches
from audit import trail as audit
from core.access import Scope
from core.context import AppContext
from core.db import AutoAcceptPolicy, Batch, Document, Page
from core.db_plan import Collection
from core.db_review import FieldCorrection
from core.errors import InputError, NotFoundError
from core.states import DocumentStatus
from core.text import single_line
from pipeline.autoaccept import THRESHOLD_MAX, THRESHOLD_MIN
from pipeline.changes import documents_changed
from progress.visibility import document_visible
from review.actions import editable, visible_document


@dataclass(frozen=True, slots=True)
class Policy:
    """A collection's auto-accept policy as shown to administrators."""

    collection: str
    threshold: float
    set_by: str
    set_at: str


def collections(ctx: AppContext) -> list[str]:
    """Return every collection a policy can name: the plan's and those batches carry."""
    with ctx.session() as s:
        names = set(s.scalars(select(Collection.name)))
        names.update(n for n in s.scalars(select(Batch.collection).distinct()) if n)
    return sorted(names)


def list_policies(ctx: AppContext) -> list[Policy]:
    """Return the policies in force, by collection."""
    with ctx.session() as s:
        rows = s.scalars(select(AutoAcceptPolicy).order_by(AutoAcceptPolicy.collection))
        return [
            Policy(p.collection, p.threshold, p.set_by, p.set_at.isoformat(timespec="seconds"))
            for p in rows
        ]


def set_policy(
    ctx: AppContext, collection: str, threshold: float | None, user: str, address: str | None
) -> Policy | None:
    """Set a collection's threshold, or remove its policy with ``None``; audited either way.

    Raises:
        InputError: ``threshold_out_of_range`` (outside 0.80-1.00) or ``collection_unknown``.
    """
    name = single_line(collection, 200)
    if name not in collections(ctx):
        raise InputError(
            f"unknown collection {name!r}",
            code="collection_unknown",
            message_vi=f"Không có bộ sưu tập “{name}”.",
        )
    if threshold is not None and not THRESHOLD_MIN <= threshold <= THRESHOLD_MAX:
        raise InputError(
            f"threshold {threshold} out of range",
            code="threshold_out_of_range",
            message_vi="Ngưỡng độ tin cậy phải từ 0,80 đến 1,00.",
        )
    with ctx.session() as s:
        row = s.get(AutoAcceptPolicy, name)
        before = row.threshold if row is not None else None
        if threshold is None:
            if row is not None:
                s.delete(row)
        elif row is None:
            row = AutoAcceptPolicy(collection=name, threshold=threshold, set_by=user)
            s.add(row)
        else:
            row.threshold, row.set_by = threshold, user
        audit.record(
            s,
            user,
            audit.POLICY_CHANGED,
            object_type="collection",
            object_id=None,
            address=address,
            details={"collection": name, "from": before, "to": threshold},
        )
    return next((p for p in list_policies(ctx) if p.collection == name), None)


def reopen_document(
    ctx: AppContext, doc_id: int, user: str, scope: Scope, address: str | None = None
) -> None:
    """Take an accepted document back into review (by policy or by a person); audited.

    Raises:
        NotFoundError: ``document_not_found`` (also when hidden from the caller).
        InputError: ``document_not_accepted``, ``document_merged``, ``document_empty``.
    """
    with ctx.session() as s:
        doc = visible_document(s, doc_id, scope)
        editable(doc)
        if doc.status != DocumentStatus.REVIEWED:
            raise InputError(
                f"document {doc_id} is not accepted",
                code="document_not_accepted",
                message_vi=f"Tài liệu #{doc_id} chưa được duyệt nên không cần mở lại.",
            )
        s.add(
            FieldCorrection(
                document_id=doc_id,
                field="status",
                old_value=doc.status,
                new_value=DocumentStatus.EXTRACTED,
                user=user,
            )
        )
        audit.record(
            s,
            user,
            audit.DOC_REOPENED,
            object_type="document",
            object_id=doc_id,
            address=address,
            details={"by_policy": bool(doc.accepted_by_policy)},
        )
        doc.status = DocumentStatus.EXTRACTED
        doc.accepted_by_policy = False
    documents_changed(ctx, [doc_id])


def pages_saved(ctx: AppContext, scope: Scope | None) -> int:
    """Return how many pages (that the caller may see) were accepted without review."""
    with ctx.session() as s:
        q = (
            select(func.count(Page.id))
            .join(Document, Document.id == Page.document_id)
            .where(Document.accepted_by_policy.is_(True), document_visible(scope))
        )
        if scope is not None and (batches := visible_batches(s, scope)) is not None:
            q = q.where(Document.batch_id.in_(list(batches)))
        return int(s.scalar(q) or 0)


def not_found(collection: str) -> NotFoundError:
    """Return the error for a policy that is not set."""
    return NotFoundError(
        f"no policy for {collection!r}",
        code="policy_not_found",
        message_vi=f"Bộ sưu tập “{collection}” chưa có chính sách tự động chấp nhận.",
    )
