"""Actions on a selection of documents, one by one, each refused or done by its own rules.

A bulk action is a loop over the single-document services (accept, classification, re-OCR,
collection assignment); an item the caller may not act on is reported with the reason in
Vietnamese and the others go on. Each item is audited by the service that acts on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.scope import document_allowed
from audit import trail as audit
from core.access import Scope
from core.context import AppContext
from core.db import Batch, Document
from core.errors import SohoaError
from core.levels import LABELS, rank
from progress.plan import assign_batch
from review import actions as rv
from review.reocr import reocr_document

MAX_ITEMS = 500
MAX_REOCR = 20  # each page is recognised again in the request: a few seconds a page


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one document of the selection."""

    id: int
    ok: bool
    message: str


@dataclass(frozen=True, slots=True)
class Caller:
    """Who acts: name for the audit trail, what they see, what their role allows."""

    username: str
    scope: Scope
    may_review: bool
    may_plan: bool
    is_admin: bool


def _refused(doc_id: int, message: str) -> Outcome:
    return Outcome(doc_id, False, message)


def run_bulk(
    ctx: AppContext,
    who: Caller,
    action: str,
    ids: list[int],
    *,
    level: str | None = None,
    collection: str | None = None,
    address: str | None = None,
) -> list[Outcome]:
    """Apply ``action`` (accept, classify, reocr, assign) to each document, item by item."""
    out: list[Outcome] = []
    assigned: set[int] = set()
    for n, doc_id in enumerate(dict.fromkeys(ids)):
        if n >= MAX_ITEMS:
            out.append(_refused(doc_id, f"Vượt quá {MAX_ITEMS} tài liệu mỗi lần."))
            continue
        try:
            out.append(_one(ctx, who, action, doc_id, level, collection, address, assigned, n))
        except SohoaError as e:
            out.append(_refused(doc_id, e.message_vi))
    return out


def _one(
    ctx: AppContext,
    who: Caller,
    action: str,
    doc_id: int,
    level: str | None,
    collection: str | None,
    address: str | None,
    assigned: set[int],
    n: int,
) -> Outcome:
    with ctx.session() as s:
        doc = s.get(Document, doc_id)
        if doc is None or not document_allowed(s, who.scope, doc):
            return _refused(doc_id, f"Không tìm thấy tài liệu #{doc_id}.")
        status, current, batch_id = doc.status, doc.classification, doc.batch_id
    if action in {"accept", "classify", "reocr"} and not who.may_review:
        return _refused(doc_id, "Tài khoản của bạn không được rà soát tài liệu.")
    if action == "accept":
        if status == "reviewed":
            return Outcome(doc_id, True, "Đã duyệt từ trước.")
        rv.accept_document(ctx, doc_id, who.username, who.scope, address)
        return Outcome(doc_id, True, "Đã duyệt.")
    if action == "classify":
        if level is None:
            return _refused(doc_id, "Chưa chọn độ mật.")
        if rank(level) < rank(current):
            return _refused(doc_id, "Hạ độ mật chỉ làm từng tài liệu, có lý do (quản trị viên).")
        if level == current:
            return Outcome(doc_id, True, f"Đã ở mức {LABELS[level]}.")
        rv.change_classification(ctx, doc_id, level, who.username, who.scope, address=address)
        return Outcome(doc_id, True, f"Đã nâng lên {LABELS[level]}.")
    if action == "reocr":
        if n >= MAX_REOCR:
            return _refused(doc_id, f"Mỗi lần nhận dạng lại tối đa {MAX_REOCR} tài liệu.")
        pages = reocr_document(ctx, doc_id, who.username, who.scope, address)
        return Outcome(doc_id, True, f"Đã nhận dạng lại {pages} trang.")
    if action == "assign":
        if not who.may_plan:
            return _refused(doc_id, "Chỉ quản trị viên gán lô vào bộ sưu tập.")
        if not collection:
            return _refused(doc_id, "Chưa chọn bộ sưu tập.")
        with ctx.session() as s:
            batch = s.get(Batch, batch_id)
            name = batch.name if batch else ""
            if batch_id not in assigned:
                before = batch.collection if batch else None
                assign_batch(s, name, collection)
                audit.record(
                    s,
                    who.username,
                    audit.BATCH_ASSIGNED,
                    object_type="batch",
                    object_id=batch_id,
                    address=address,
                    details={"from": before, "to": collection, "via": "bulk"},
                )
                assigned.add(batch_id)
        return Outcome(doc_id, True, f"Lô {name} (cả lô) đã thuộc bộ sưu tập {collection}.")
    return _refused(doc_id, "Thao tác không hợp lệ.")


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    """Return counts and the items, for the API."""
    done = sum(1 for o in outcomes if o.ok)
    return {
        "done": done,
        "refused": len(outcomes) - done,
        "items": [{"id": o.id, "ok": o.ok, "message": o.message} for o in outcomes],
    }
