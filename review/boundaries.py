"""Where one document ends and the next begins: a reviewer splits and merges documents.

Both are refused rather than repeated: a document that a merge emptied is never merged,
split, edited or accepted again, a merge never takes a document that is already merged or
holds no page, and no operation leaves a live document without pages. The claims are
conditional updates (``status <> 'merged'``), so two reviewers merging at once cannot both
take the same document. Every change is audited in its own transaction.
"""

from __future__ import annotations

from sqlalchemy import exists, select, update

from accounts.scope import document_allowed
from audit import trail as audit
from core.access import Scope
from core.context import AppContext
from core.db import Document, Page
from core.db_review import BoundaryChange
from core.errors import InputError
from core.levels import highest, mark_of
from core.states import DocumentStatus
from pipeline.changes import documents_changed
from review.actions import editable, visible_document, with_field

_NO_NEXT = "Không có tài liệu tiếp theo (còn trang) để gộp vào tài liệu này."


def _claim(s: object, doc_id: int, **values: object) -> bool:
    # One conditional UPDATE: it takes the row lock (PostgreSQL) and re-checks the status.
    res = s.execute(  # type: ignore[attr-defined]
        update(Document)
        .where(Document.id == doc_id, Document.status != DocumentStatus.MERGED)
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    return bool(res.rowcount)


def split_document(
    ctx: AppContext, doc_id: int, page_id: int, user: str, scope: Scope, address: str | None = None
) -> int:
    """Start a new document at ``page_id``: it and the following pages move; returns new id.

    Raises:
        InputError: ``bad_split`` (the first page, or a page not in this document: splitting
            twice at the same page is refused), ``document_merged``/``document_empty``.
    """
    with ctx.session() as s:
        doc = visible_document(s, doc_id, scope)
        editable(doc)
        pages = list(doc.pages)
        idx = next((i for i, p in enumerate(pages) if p.id == page_id), None)
        if idx is None or idx == 0:
            raise InputError(
                "split at first or foreign page",
                code="bad_split",
                message_vi="Chỉ tách được tại một trang (không phải trang đầu) của tài liệu này.",
            )
        if not _claim(s, doc.id, status=doc.status):
            editable(doc)  # merged meanwhile: say so
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
            fields=with_field({}, "secrecy", mark_of(doc.classification) or None),
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
    """Append the batch's next live document to this one; returns the id of the merged one.

    The next document is the next by order that is not merged and still has pages; one the
    caller may not see answers like none at all.

    Raises:
        InputError: ``document_merged``/``document_empty`` (this one), ``bad_merge`` (no next).
    """
    with ctx.session() as s:
        doc = visible_document(s, doc_id, scope)
        editable(doc)
        nxt = s.scalar(
            select(Document)
            .where(
                Document.batch_id == doc.batch_id,
                Document.seq > doc.seq,
                Document.status != DocumentStatus.MERGED,
                exists().where(Page.document_id == Document.id),
            )
            .order_by(Document.seq)
            .limit(1)
        )
        if nxt is None or not document_allowed(s, scope, nxt):
            raise InputError("no next document", code="bad_merge", message_vi=_NO_NEXT)
        if not _claim(s, doc.id, status=doc.status):
            editable(doc)
        if not _claim(s, nxt.id, status=DocumentStatus.MERGED):
            raise InputError(
                "next document merged meanwhile", code="bad_merge", message_vi=_NO_NEXT
            )
        start = 1 + max((p.doc_order or 0) for p in doc.pages)
        moved = list(nxt.pages)
        for order, p in enumerate(moved, start=start):
            p.document_id, p.doc_order = doc.id, order
        doc.classification = highest(doc.classification, nxt.classification)
        doc.fields = with_field(doc.fields or {}, "secrecy", mark_of(doc.classification) or None)
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
            details={"action": "merge", "merged": gone, "pages": len(moved)},
        )
    documents_changed(ctx, [doc_id, gone])
    return gone
