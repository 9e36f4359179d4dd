"""The audit trail: append keyed, hash-chained entries, verify the chain, read it back.

Every entry stores ``prev_hash`` and ``hash = HMAC-SHA256(key, prev_hash + canonical JSON of
the row)``, the key kept outside the database (:mod:`audit.anchor`); rows written before keys
existed keep ``sha256(prev_hash + canonical JSON)`` up to the row the anchor file names.
Appends first update the single ``audit_head`` row: on PostgreSQL that takes a row lock, on
SQLite the database write lock, so concurrent writers queue up and the chain never forks.
After each commit that wrote entries, the last (id, hash) is appended to the anchor file, so
removing the newest rows, the head row or everything is detected by :func:`verify`.
The application has no update or delete path; database triggers refuse both as well.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, event, select, update
from sqlalchemy.orm import Session

from audit.anchor import Anchor, anchor_for
from core.context import AppContext
from core.db import utcnow
from core.db_audit import GENESIS, AuditEntry, AuditHead
from core.errors import ConfigError
from core.text import single_line

# Action codes (stable: stored in the database and exported).
LOGIN_OK = "login_ok"
LOGIN_FAILED = "login_failed"
LOGOUT = "logout"
ACCESS_DENIED = "access_denied"  # a user asked for something above their clearance
DOC_VIEW = "doc_view"  # a classified or personal document (or its page image) was shown
DOC_DOWNLOAD = "doc_download"  # its original or searchable PDF was downloaded
FIELD_CORRECTED = "field_corrected"
BOUNDARY_CHANGED = "boundary_changed"  # split or merge of documents
ROLE_CHANGED = "role_changed"
CLEARANCE_CHANGED = "clearance_changed"
CLASSIFICATION_CHANGED = "classification_changed"
USER_CREATED = "user_created"
USER_DISABLED = "user_disabled"
USER_ENABLED = "user_enabled"  # a deactivated account made active again
USER_LOCKED = "user_locked"  # an administrator locked the account (reversible)
USER_UNLOCKED = "user_unlocked"  # …unlocked it; also clears its failed-login count
SCOPE_CHANGED = "scope_changed"  # collections / departments the user works on
PASSWORD_CHANGED = "password_changed"
TOKEN_CREATED = "token_created"
TOKEN_REVOKED = "token_revoked"
EXPORT = "export"  # any export of records (CLI, API) or of the audit log itself
BACKUP = "backup"
RESTORE = "restore"
# A document found TUYỆT MẬT after OCR lost its text under top_secret_policy = store_only.
TOP_SECRET_PURGED = "top_secret_purged"
DOC_ACCEPTED = "doc_accepted"  # a reviewer accepted a document's fields
DOC_AUTO_ACCEPTED = "doc_auto_accepted"  # its collection's policy accepted it unreviewed
DOC_REOPENED = "doc_reopened"  # a reviewer took an accepted document back into review
POLICY_CHANGED = "policy_changed"  # an administrator set or removed an auto-accept policy
DOC_REOCR = "doc_reocr"  # a document's pages were recognised again (sohoa reocr)
# The chain became keyed here: earlier rows keep their plain SHA-256 (details say how many).
AUDIT_REKEYED = "audit_rekeyed"
NOTE_ADDED = "note_added"  # a user wrote a note on a document
NOTE_DELETED = "note_deleted"
BATCH_ASSIGNED = "batch_assigned"  # a batch was put into a collection of the plan
ACTIONS = (
    LOGIN_OK,
    LOGIN_FAILED,
    LOGOUT,
    ACCESS_DENIED,
    DOC_VIEW,
    DOC_DOWNLOAD,
    FIELD_CORRECTED,
    BOUNDARY_CHANGED,
    ROLE_CHANGED,
    CLEARANCE_CHANGED,
    CLASSIFICATION_CHANGED,
    USER_CREATED,
    USER_DISABLED,
    PASSWORD_CHANGED,
    TOKEN_CREATED,
    TOKEN_REVOKED,
    EXPORT,
    BACKUP,
    RESTORE,
    TOP_SECRET_PURGED,
    USER_ENABLED,
    USER_LOCKED,
    USER_UNLOCKED,
    SCOPE_CHANGED,
    DOC_ACCEPTED,
    DOC_AUTO_ACCEPTED,
    DOC_REOPENED,
    POLICY_CHANGED,
    DOC_REOCR,
    AUDIT_REKEYED,
    NOTE_ADDED,
    NOTE_DELETED,
    BATCH_ASSIGNED,
)
# Actor for things done by the system itself (CLI without --user, scheduled jobs).
SYSTEM = "system"
_HEAD = cast(Table, AuditHead.__table__)


def cli_actor(user: str | None = None) -> str:
    """Return the actor for a command-line action: ``--user`` if given, else ``os:<login>``."""
    if user:
        return user
    try:
        return f"os:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name in a bare container
        return SYSTEM


def canonical(entry: AuditEntry) -> bytes:
    """Return the canonical JSON bytes of an entry (everything but its own hash)."""
    at = entry.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = {
        "id": entry.id,
        "at": at,
        "actor": entry.actor,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "details": entry.details,
        "address": entry.address,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(
        body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def entry_hash(entry: AuditEntry, anchor: Anchor | None = None) -> str:
    """Return an entry's hash, hex: keyed under ``anchor``'s key, else the legacy SHA-256.

    Keyed: ``HMAC-SHA256(key, prev_hash + canonical JSON)``; legacy (rows from before the
    chain was keyed): ``sha256(prev_hash + canonical JSON)``.
    """
    payload = entry.prev_hash.encode("ascii") + canonical(entry)
    if anchor is not None:
        return anchor.row_hash(payload)
    return hashlib.sha256(payload).hexdigest()


_PENDING = "sohoa_audit_anchor"


def anchor_of(s: Session) -> Anchor:
    """Return the anchor (key, anchor file) of the installation a session belongs to.

    Raises:
        ConfigError: ``audit_unconfigured`` for a session not made by an ``AppContext``.
    """
    settings = s.info.get("settings")
    if settings is None:
        raise ConfigError(
            "session without settings: the audit key cannot be found",
            code="audit_unconfigured",
            message_vi="Không tìm thấy khóa của nhật ký kiểm toán (phiên làm việc không "
            "được tạo từ cấu hình của hệ thống).",
        )
    return anchor_for(settings)


@event.listens_for(Session, "after_commit")
def _anchor_after_commit(session: Session) -> None:
    # Written only once the rows are committed: a rolled-back append never reaches the
    # anchor, so the anchor can lag the table (after a crash) but never lead it.
    pending = session.info.pop(_PENDING, None)
    if pending is not None:
        anchor, last_id, last_hash = pending
        anchor.append(last_id, last_hash)


@event.listens_for(Session, "after_rollback")
def _anchor_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def record(
    target: Session | AppContext,
    actor: str,
    action: str,
    *,
    object_type: str | None = None,
    object_id: object = None,
    details: dict[str, Any] | None = None,
    address: str | None = None,
) -> int:
    """Append one entry to the audit log and return its id (its position in the chain).

    Given a session, the entry joins that transaction: it is committed (or rolled back)
    together with the change it records, and the chain stays locked until then, so keep
    such transactions short. Given an :class:`AppContext`, it is committed on its own.

    Args:
        target: the caller's session, or the context to open one from.
        actor: user name (or :data:`SYSTEM`); for a failed login, the name that was tried.
        action: one of the action codes of this module.
        object_type: ``document``, ``page``, ``batch``, ``user``, ``audit_log``…
        object_id: the object's id (stored as text).
        details: JSON-friendly facts (old and new values, reason, format, count…).
        address: client IP address (or ``cli``).
    """
    if isinstance(target, AppContext):
        with target.session() as s:
            return _append(s, actor, action, object_type, object_id, details, address)
    return _append(target, actor, action, object_type, object_id, details, address)


def _append(
    s: Session,
    actor: str,
    action: str,
    object_type: str | None,
    object_id: object,
    details: dict[str, Any] | None,
    address: str | None,
) -> int:
    anchor = anchor_of(s)
    head = _lock_head(s)
    if anchor.start(head[0] + 1, head[1]) and head[0] > 0:
        # First keyed append of an existing chain: say so in the chain itself.
        head = _insert(
            s,
            anchor,
            head,
            SYSTEM,
            AUDIT_REKEYED,
            "audit_log",
            None,
            {"scheme": "hmac-sha256", "legacy_rows": head[0], "legacy_head": head[1]},
            None,
        )
    return _insert(s, anchor, head, actor, action, object_type, object_id, details, address)[0]


def _insert(
    s: Session,
    anchor: Anchor,
    head: tuple[int, str],
    actor: str,
    action: str,
    object_type: str | None,
    object_id: object,
    details: dict[str, Any] | None,
    address: str | None,
) -> tuple[int, str]:
    # Round-trip through JSON so what is hashed now is exactly what is read back later.
    clean = json.loads(
        json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str, allow_nan=False)
    )
    entry = AuditEntry(
        id=head[0] + 1,
        at=utcnow(),
        actor=single_line(actor, 100) or SYSTEM,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id)[:100],
        details=clean,
        address=single_line(address, 100) if address else None,
        prev_hash=head[1],
    )
    entry.hash = entry_hash(entry, anchor)
    s.add(entry)
    s.flush()
    s.execute(update(_HEAD).where(_HEAD.c.id == 1).values(last_id=entry.id, last_hash=entry.hash))
    s.info[_PENDING] = (anchor, entry.id, entry.hash)
    return entry.id, entry.hash


def _lock_head(s: Session) -> tuple[int, str]:
    # A write to the head row comes first: it waits for any other appender to commit, then
    # RETURNING hands back the head as that writer left it.
    stmt = (
        update(_HEAD)
        .where(_HEAD.c.id == 1)
        .values(last_id=_HEAD.c.last_id)
        .returning(_HEAD.c.last_id, _HEAD.c.last_hash)
    )
    row = s.execute(stmt).one_or_none()
    if row is None:  # a database made by create_all rather than the migration
        s.add(AuditHead(id=1, last_id=0, last_hash=GENESIS))
        s.flush()
        row = s.execute(stmt).one()
    return int(row[0]), str(row[1])


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Outcome of recomputing the chain."""

    ok: bool
    rows: int
    first_bad_id: int | None = None
    # gap | prev_mismatch | hash_mismatch | head_mismatch | anchor_mismatch | anchor_truncated
    # | anchor_forged
    problem: str | None = None
    message_vi: str = "Nhật ký kiểm toán nguyên vẹn."


def verify(target: Session | AppContext) -> VerifyReport:
    """Recompute every hash in order and name the first row that does not fit."""
    if isinstance(target, AppContext):
        with target.session() as s:
            return _verify(s)
    return _verify(target)


def _verify(s: Session) -> VerifyReport:
    anchor = anchor_of(s)
    state = anchor.read()
    if state is not None and state.bad_lines:
        line = state.bad_lines[0]
        return _broken(0, 0, "anchor_forged", f"dòng {line} của tệp neo {anchor.path} bị sửa")
    first_keyed = state.first_keyed if state is not None and state.first_keyed else 2**62
    points = state.points if state is not None else {}
    prev, n = GENESIS, 0
    # Closed explicitly: an early return must not leave PostgreSQL's server cursor open.
    with contextlib.closing(
        s.scalars(select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000))
    ) as rows:
        for entry in rows:
            n += 1
            if entry.id != n:
                return _broken(
                    n - 1, entry.id, "gap", f"thiếu bản ghi trước bản ghi #{entry.id} (đã bị xóa?)"
                )
            if entry.prev_hash != prev:
                return _broken(
                    n - 1,
                    entry.id,
                    "prev_mismatch",
                    f"bản ghi #{entry.id} không nối tiếp bản ghi trước (bị chèn/xóa?)",
                )
            keyed = anchor if entry.id >= first_keyed else None
            if entry_hash(entry, keyed) != entry.hash:
                return _broken(
                    n - 1, entry.id, "hash_mismatch", f"nội dung bản ghi #{entry.id} đã bị sửa"
                )
            if points.get(entry.id, entry.hash) != entry.hash:
                return _broken(
                    n - 1,
                    entry.id,
                    "anchor_mismatch",
                    f"bản ghi #{entry.id} khác với dấu đã neo ngoài cơ sở dữ liệu "
                    "(nhật ký đã bị viết lại?)",
                )
            prev = entry.hash
    anchored = max([*points, first_keyed - 1 if state is not None else 0])
    if anchored > n:
        return _broken(
            n,
            n + 1,
            "anchor_truncated",
            f"nhật ký chỉ còn {n} bản ghi nhưng tệp neo ngoài cơ sở dữ liệu ghi đã có "
            f"#{anchored} (các bản ghi cuối hoặc toàn bộ đã bị xóa)",
        )
    head = s.get(AuditHead, 1)
    if head is not None and (head.last_id, head.last_hash) != (n, prev):
        return _broken(
            n,
            n + 1,
            "head_mismatch",
            f"nhật ký kết thúc ở #{n} nhưng đã ghi tới #{head.last_id} "
            "(các bản ghi cuối đã bị xóa?)",
        )
    return VerifyReport(True, n)


def _broken(rows: int, bad: int, problem: str, why: str) -> VerifyReport:
    return VerifyReport(False, rows, bad, problem, f"Nhật ký kiểm toán đã bị can thiệp: {why}.")


def iter_entries(s: Session, since: dt.datetime | None = None) -> Iterator[dict[str, Any]]:
    """Yield entries in chain order as JSON-friendly dicts (optionally from ``since`` on)."""
    q = select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000)
    if since is not None:
        q = q.where(AuditEntry.at >= since)
    with contextlib.closing(s.scalars(q)) as rows:
        for e in rows:
            yield {
                "id": e.id,
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "details": e.details,
                "address": e.address,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }


def is_sensitive(classification: str, kind: str) -> bool:
    """Return whether viewing a document must be audited: classified, or personal records."""
    return classification != "thuong" or kind == "profile"


def record_document_access(
    s: Session,
    actor: str,
    action: str,
    doc_id: int,
    classification: str,
    kind: str,
    *,
    address: str | None = None,
    details: dict[str, Any] | None = None,
) -> int | None:
    """Audit a view or download (:data:`DOC_VIEW`/:data:`DOC_DOWNLOAD`) when it matters.

    Returns:
        The entry id, or None when the document is ordinary and not personal.
    """
    if not is_sensitive(classification, kind):
        return None
    facts = {"classification": classification, "kind": kind, **(details or {})}
    return record(
        s, actor, action, object_type="document", object_id=doc_id, details=facts, address=address
    )
