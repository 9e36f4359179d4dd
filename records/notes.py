"""Notes users write on documents: listed with the document, added and deleted audited.

The caller has already been checked against the document (``records.documents``); a note
is deleted only by its author or an administrator.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit import trail as audit
from core.db_notes import DocumentNote
from core.errors import InputError, NotFoundError, PermissionDenied
from core.text import nfc

MAX_NOTE = 4000


def note_dict(n: DocumentNote) -> dict[str, Any]:
    """Return a note as the API shows it."""
    return {
        "id": n.id,
        "document": n.document_id,
        "user": n.username,
        "text": n.text,
        "at": n.created_at.isoformat(),
    }


def list_notes(s: Session, doc_id: int) -> list[dict[str, Any]]:
    """Return a document's notes, oldest first."""
    rows = s.scalars(
        select(DocumentNote).where(DocumentNote.document_id == doc_id).order_by(DocumentNote.id)
    )
    return [note_dict(n) for n in rows]


def add_note(
    s: Session, doc_id: int, user_id: int, username: str, text: str, address: str | None = None
) -> dict[str, Any]:
    """Add a note (trimmed, NFC) and audit it.

    Raises:
        InputError: ``empty_note`` or ``note_too_long``.
    """
    text = nfc(text or "").strip()
    if not text:
        raise InputError("empty note", code="empty_note", message_vi="Ghi chú đang để trống.")
    if len(text) > MAX_NOTE:
        raise InputError(
            "note too long",
            code="note_too_long",
            message_vi=f"Ghi chú dài quá {MAX_NOTE} ký tự.",
        )
    note = DocumentNote(document_id=doc_id, user_id=user_id, username=username, text=text)
    s.add(note)
    s.flush()
    audit.record(
        s,
        username,
        audit.NOTE_ADDED,
        object_type="document",
        object_id=doc_id,
        address=address,
        details={"note": note.id, "length": len(text)},
    )
    return note_dict(note)


def delete_note(
    s: Session,
    doc_id: int,
    note_id: int,
    user_id: int,
    username: str,
    *,
    is_admin: bool = False,
    address: str | None = None,
) -> None:
    """Delete a note of this document written by the caller (administrators: any), audited.

    Raises:
        NotFoundError: ``note_not_found``.
        PermissionDenied: ``not_your_note``.
    """
    note = s.get(DocumentNote, note_id)
    if note is None or note.document_id != doc_id:
        raise NotFoundError(
            f"no note {note_id}", code="note_not_found", message_vi="Không tìm thấy ghi chú."
        )
    if note.user_id != user_id and not is_admin:
        raise PermissionDenied(
            "not the author",
            code="not_your_note",
            message_vi="Chỉ người viết (hoặc quản trị viên) được xóa ghi chú này.",
        )
    audit.record(
        s,
        username,
        audit.NOTE_DELETED,
        object_type="document",
        object_id=doc_id,
        address=address,
        details={"note": note_id, "author": note.username},
    )
    s.delete(note)
