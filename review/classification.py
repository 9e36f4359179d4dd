"""Changing a document's classification: lowering needs an administrator and a reason."""

from __future__ import annotations

from sqlalchemy.orm import Session

from audit import trail as audit
from core.context import AppContext
from core.db import Document
from core.errors import InputError, NotFoundError, PermissionDenied
from core.levels import LABELS, LEVELS, rank


def set_classification(
    target: Session | AppContext,
    doc_id: int,
    level: str,
    actor: str,
    reason: str | None = None,
    *,
    is_admin: bool = False,
    address: str | None = None,
) -> str:
    """Set a document's classification level and audit it.

    The caller has already checked that ``actor`` may edit the document; this enforces the
    extra rule for lowering. Setting the same level again changes nothing and is not audited.

    Args:
        target: the caller's session (the change joins its transaction) or a context.
        doc_id: the document.
        level: new level code (``thuong``, ``mat``, ``toi_mat``, ``tuyet_mat``).
        actor: who makes the change.
        reason: why; required (non-blank) when lowering.
        is_admin: whether ``actor`` is an administrator; required when lowering.
        address: client address for the audit entry.

    Returns:
        The previous level.

    Raises:
        InputError: unknown level, or lowering without a reason.
        PermissionDenied: lowering by a non-administrator.
        NotFoundError: no such document.
    """
    if isinstance(target, AppContext):
        with target.session() as s:
            return _set(s, doc_id, level, actor, reason, is_admin, address)
    return _set(target, doc_id, level, actor, reason, is_admin, address)


def _set(
    s: Session,
    doc_id: int,
    level: str,
    actor: str,
    reason: str | None,
    is_admin: bool,
    address: str | None,
) -> str:
    if level not in LEVELS:
        raise InputError(
            f"unknown level {level!r}",
            code="bad_classification",
            message_vi="Độ mật phải là một trong: " + ", ".join(LEVELS) + ".",
        )
    doc = s.get(Document, doc_id, with_for_update=True)
    if doc is None:
        raise NotFoundError(
            f"no document {doc_id}",
            code="document_not_found",
            message_vi=f"Không có tài liệu #{doc_id}.",
        )
    old = doc.classification
    if old == level:
        return old
    lowering = rank(level) < rank(old)
    why = (reason or "").strip()
    if lowering and not is_admin:
        raise PermissionDenied(
            "only an administrator may lower a classification",
            code="lower_classification_denied",
            message_vi="Chỉ quản trị viên mới được hạ độ mật của tài liệu "
            f"(từ {LABELS.get(old, old)} xuống "
            f"{LABELS[level]}).",
        )
    if lowering and not why:
        raise InputError(
            "lowering a classification needs a reason",
            code="reason_required",
            message_vi="Hạ độ mật phải ghi rõ lý do (căn cứ, quyết định giải mật…).",
        )
    doc.classification = level
    audit.record(
        s,
        actor,
        audit.CLASSIFICATION_CHANGED,
        object_type="document",
        object_id=doc_id,
        address=address,
        details={
            "from": old,
            "to": level,
            "direction": "lower" if lowering else "raise",
            "reason": why or None,
        },
    )
    return old
