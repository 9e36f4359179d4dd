"""The digitization plan: collections with their size, owner and deadline; batch assignment."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import Batch
from core.db_plan import DEFAULT_DEADLINE, Collection
from core.errors import InputError, NotFoundError
from core.text import nfc
from progress.counts import collection_key


def parse_date(value: str) -> dt.date:
    """Parse ``2026-12-31`` or ``31/12/2026``."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise InputError(
        f"bad date {value!r}",
        code="bad_argument",
        message_vi=f"Ngày '{value}' không hợp lệ (dạng 31/12/2026 hoặc 2026-12-31).",
    )


def find_collection(s: Session, name: str) -> Collection:
    """Return the collection named ``name`` (NFC, trimmed) or raise NotFoundError."""
    key = collection_key(name)
    for c in s.scalars(select(Collection)):
        if collection_key(c.name) == key:
            return c
    raise NotFoundError(
        f"no collection named {name!r}",
        code="collection_not_found",
        message_vi=f"Không có bộ sưu tập nào tên '{name}'.",
    )


def upsert_collection(
    s: Session,
    name: str,
    *,
    pages: int | None = None,
    owner: str | None = None,
    deadline: dt.date | None = None,
    note: str | None = None,
    create: bool = True,
) -> Collection:
    """Create or update a collection of the plan; only the given values change."""
    if pages is not None and pages < 0:
        raise InputError(
            "negative page estimate",
            code="bad_argument",
            message_vi="Số trang dự kiến phải lớn hơn hoặc bằng 0.",
        )
    try:
        c = find_collection(s, name)
    except NotFoundError:
        if not create:
            raise
        c = Collection(name=nfc(name).strip(), estimated_pages=0, deadline=DEFAULT_DEADLINE)
        s.add(c)
    if pages is not None:
        c.estimated_pages = pages
    if owner is not None:
        c.owner_department = nfc(owner).strip() or None
    if deadline is not None:
        c.deadline = deadline
    if note is not None:
        c.note = nfc(note)
    s.flush()
    return c


def assign_batch(s: Session, batch_name: str, collection: str) -> Batch:
    """Point a batch at a planned collection (sets its free-text ``collection`` to the name)."""
    b = s.scalar(select(Batch).where(Batch.name == batch_name))
    if b is None:
        raise NotFoundError(
            f"no batch named {batch_name!r}",
            code="batch_not_found",
            message_vi=f"Không có lô nào tên '{batch_name}'.",
        )
    b.collection = find_collection(s, collection).name
    return b
