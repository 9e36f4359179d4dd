"""One record as people read it: checked against the caller, audited, with its history.

The web pages and the JSON API show a document through these functions, so what is refused,
what is audited and what a record holds are decided once.
"""

from __future__ import annotations

import contextlib
from typing import Any, Protocol

from accounts.scope import document_allowed
from audit import trail as audit
from core.access import Scope
from core.context import AppContext
from core.db import Batch, Document, Page
from core.errors import NotFoundError
from core.levels import LABELS, may_see
from core.storage import Storage
from records.export import contract_fields
from review.actions import (
    flat_fields,
    history,
    machine_values,
    page_not_found,
    review_fields,
    visible_document,
)


class Caller(Protocol):
    """Who is asking: a user name for the audit trail and what they may see."""

    @property
    def username(self) -> str:
        """Return the name the audit trail records."""
        ...

    @property
    def clearance(self) -> str:
        """Return the caller's clearance level."""
        ...

    @property
    def scope(self) -> Scope:
        """Return what the caller may see."""
        ...


def document_record(s: Any, doc: Document, storage: Storage) -> dict[str, Any]:
    """Return a document (already checked visible) with pages, fields, provenance, history.

    A page's ``colour_image`` is where its colour copy is (seals and pen as on paper, in the
    grey image's geometry), or None for a page kept in grey only.
    """
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
            "colour_image": (
                f"/api/pages/{p.id}/image/colour"
                if storage.page_colour_image(p.id).exists()
                else None
            ),
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
        "accepted_by_policy": bool(doc.accepted_by_policy),
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


def guarded_document(s: Any, ctx: AppContext, who: Caller, doc_id: int, address: str) -> Document:
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
    s: Any, who: Caller, action: str, doc: Document, address: str, **details: Any
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


def visible_page(
    s: Any, ctx: AppContext, who: Caller, page_id: int, address: str
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
