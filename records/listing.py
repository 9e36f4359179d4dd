"""The documents list: every document a caller may open, sorted, filtered and paged.

Read from the database (not the search index), so documents not yet indexed are listed too.
It must stay fast at 280,000 documents, hence:

- sort and filter only on real indexed columns (``document.doc_date``, ``doc_type``,
  ``symbol``, ``issuer``, ``min_confidence``, ``status``, ``batch_id``, ``kind``: copies of the
  record kept by ``core.db.list_columns``), always ending in ``id`` so the order is total;
- keyset paging: the next page starts after the last row's (value, id), so page 5,000 costs
  what page 2 costs; a bookmarked ``page`` without a cursor falls back to an index-backed
  OFFSET;
- no COUNT(*) on a page request: one row more than the page tells whether a next page exists;
  the total comes with the facets (:func:`records.facets.list_facets`), asked for
  separately.

Clearance and scope are part of every query, so nothing above the caller is listed or counted.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, tuple_
from sqlalchemy.orm import Session

from accounts.scope import visible_batches
from core.access import Scope
from core.db import Batch, Document, Page
from core.levels import LEVELS, may_see
from progress.visibility import sees_every_batch

SORTS: dict[str, Any] = {
    "date": Document.doc_date,
    "symbol": Document.symbol,
    "type": Document.doc_type,
    "issuer": Document.issuer,
    "batch": Document.batch_id,
    "status": Document.status,
    "confidence": Document.min_confidence,
    "id": Document.id,
}
MAX_SIZE = 200


@dataclass(frozen=True, slots=True)
class ListQuery:
    """One request of the documents list: filters (exact values, as in facets) and paging."""

    sort: str = "date"
    desc: bool = True
    size: int = 50
    page: int = 1
    after: str | None = None  # cursor of the previous page's last row
    before: str | None = None  # cursor of the next page's first row (going back)
    types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()
    batches: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    ids: tuple[int, ...] = ()


@dataclass
class ListPage:
    """One page of the list and the cursors around it."""

    items: list[dict[str, Any]]
    page: int
    size: int
    has_next: bool
    next_cursor: str | None
    prev_cursor: str | None
    sort: str
    desc: bool
    filters: dict[str, Any] = field(default_factory=dict)


def encode_cursor(value: Any, doc_id: int) -> str:
    """Return an opaque, URL-safe cursor for a row's sort value and id."""
    raw = json.dumps([value, doc_id], ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, int] | None:
    """Return (sort value, id) of a cursor, or None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, doc_id = json.loads(raw)
    except (ValueError, TypeError):
        return None
    if not isinstance(doc_id, int) or not isinstance(value, str | int | float):
        return None
    return value, doc_id


def _visible(s: Session, scope: Scope) -> list[ColumnElement[bool]]:
    """Return the conditions that keep a query inside the caller's clearance and scope."""
    levels = [lv for lv in LEVELS if may_see(scope.clearance, lv)]
    # SQLite: coalesce() is a condition its planner cannot answer with the classification
    # index, so it walks the sort column's index (which carries classification) instead of
    # sorting every visible row. PostgreSQL: the bare column, whose statistics it can read;
    # behind coalesce() it guessed 0.5 % of the rows and sorted the archive on disk.
    level: Any = Document.classification
    if s.get_bind().dialect.name == "sqlite":
        level = func.coalesce(level, "")
    conds: list[ColumnElement[bool]] = [level.in_(levels)]
    if sees_every_batch(s, scope):
        return conds
    if not scope.restricted:
        # Only the clearance narrows: leave out the (few) batches declared above it, in the
        # same statement. Listing the ~200 allowed ids instead made PostgreSQL misjudge the
        # rows (894 for 240,000) and sort the whole archive on disk for page 1000 (418 ms).
        above = select(Batch.id).where(func.coalesce(Batch.classification, "").notin_(levels))
        conds.append(Document.batch_id.notin_(above))
        return conds
    ids = visible_batches(s, scope)
    if ids is not None:
        conds.append(Document.batch_id.in_(sorted(ids)))
    return conds


def filter_conditions(q: ListQuery) -> list[ColumnElement[bool]]:
    """Return the conditions of ``q``'s filters on a document's own columns."""
    pairs = (
        (Document.doc_type, q.types),
        (Document.kind, q.kinds),
        (Document.issuer, q.issuers),
        (Document.classification, q.classifications),
        (Document.status, q.statuses),
        (Document.id, q.ids),
    )
    conds: list[ColumnElement[bool]] = [col.in_(values) for col, values in pairs if values]
    if q.year_from is not None:
        conds.append(Document.doc_date >= f"{q.year_from:04d}-01-01")
    if q.year_to is not None:
        conds.append(and_(Document.doc_date != "", Document.doc_date <= f"{q.year_to:04d}-12-31"))
    return conds


def _filters(s: Session, q: ListQuery) -> list[ColumnElement[bool]]:
    conds = filter_conditions(q)
    if q.batches:
        conds.append(Document.batch_id.in_(select(Batch.id).where(Batch.name.in_(q.batches))))
    if q.collections:
        conds.append(
            Document.batch_id.in_(select(Batch.id).where(Batch.collection.in_(q.collections)))
        )
    return conds


def _page_rows(s: Session, scope: Scope, q: ListQuery) -> tuple[list[Document], bool, bool]:
    """Return the page's documents, whether more follow and whether the page went backwards."""
    col = SORTS.get(q.sort, Document.doc_date)
    size = max(1, min(q.size, MAX_SIZE))
    stmt = select(Document).where(*_visible(s, scope), *_filters(s, q))
    key = tuple_(col, Document.id)
    after = decode_cursor(q.after) if q.after else None
    before = decode_cursor(q.before) if q.before and not after else None
    backwards = before is not None
    if after is not None:
        stmt = stmt.where(key < tuple_(*after) if q.desc else key > tuple_(*after))
    elif before is not None:
        stmt = stmt.where(key > tuple_(*before) if q.desc else key < tuple_(*before))
    # Going back reads the rows before the cursor in reverse order, then flips them.
    descending = q.desc != backwards
    order = (col.desc(), Document.id.desc()) if descending else (col.asc(), Document.id.asc())
    stmt = stmt.order_by(*order).limit(size + 1)
    if after is None and before is None and q.page > 1:
        stmt = stmt.offset((q.page - 1) * size)
    rows = list(s.scalars(stmt))
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return rows, more, backwards


def _sort_value(doc: Document, sort: str) -> Any:
    name = {
        "date": "doc_date",
        "type": "doc_type",
        "batch": "batch_id",
        "confidence": "min_confidence",
    }
    return getattr(doc, name.get(sort, sort if sort in SORTS else "doc_date"))


def list_documents(s: Session, scope: Scope, q: ListQuery) -> ListPage:
    """Return one page of the documents the caller may open."""
    sort = q.sort if q.sort in SORTS else "date"
    q = ListQuery(**{**_asdict(q), "sort": sort})
    rows, more, backwards = _page_rows(s, scope, q)
    size = max(1, min(q.size, MAX_SIZE))
    items = summaries(s, rows)
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    # Forward: a next page exists when a row more came back; a previous one unless on page 1.
    # Backward: the row more means there is still a page before this one.
    has_next = (not backwards and more) or backwards
    has_prev = (backwards and more) or (not backwards and q.page > 1)
    return ListPage(
        items=items,
        page=max(1, q.page),
        size=size,
        has_next=has_next and last is not None,
        next_cursor=encode_cursor(_sort_value(last, sort), last.id) if last and has_next else None,
        prev_cursor=encode_cursor(_sort_value(first, sort), first.id)
        if first and has_prev
        else None,
        sort=sort,
        desc=q.desc,
    )


def _asdict(q: ListQuery) -> dict[str, Any]:
    return {name: getattr(q, name) for name in q.__dataclass_fields__}


def summaries(s: Session, docs: list[Document]) -> list[dict[str, Any]]:
    """Return the list rows of documents (already checked visible): fields, pages, thumbnail."""
    if not docs:
        return []
    ids = [d.id for d in docs]
    first: dict[int, int] = {}
    counts: dict[int, int] = {}
    page_rows = s.execute(
        select(Page.document_id, Page.id)
        .where(Page.document_id.in_(ids))
        .order_by(Page.document_id, Page.doc_order, Page.id)
    )
    for doc_id, page_id in page_rows:
        if doc_id is None:
            continue
        counts[doc_id] = counts.get(doc_id, 0) + 1
        first.setdefault(doc_id, page_id)
    batch_ids = {d.batch_id for d in docs}
    batches = {b.id: b for b in s.scalars(select(Batch).where(Batch.id.in_(batch_ids)))}
    out = []
    for d in docs:
        f = d.fields or {}
        profile = f.get("profile") if isinstance(f.get("profile"), dict) else {}
        subject = str(f.get("subject") or (profile or {}).get("ho_ten") or "")
        b = batches.get(d.batch_id)
        thumb = first.get(d.id)
        out.append(
            {
                "id": d.id,
                "title": subject or " ".join(x for x in (d.doc_type, d.symbol) if x) or "",
                "subject": subject,
                "doc_type": d.doc_type,
                "symbol": d.symbol,
                "date": d.doc_date,
                "issuer": d.issuer,
                "kind": d.kind,
                "classification": d.classification,
                "status": d.status,
                "batch": b.name if b else "",
                "collection": (b.collection or "") if b else "",
                "min_confidence": d.min_confidence,
                "pages": counts.get(d.id, 0),
                "thumbnail": f"/api/pages/{thumb}/thumbnail" if thumb else None,
            }
        )
    return out


def any_of(values: list[str] | None) -> tuple[str, ...]:
    """Return the non-empty values of a repeated query parameter."""
    return tuple(v for v in (values or ()) if v)
