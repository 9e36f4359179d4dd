"""A caller's scope applied to the database and the search index (core.access.Scope).

Everything a scoped user reads goes through here: which batches they may see, whether a
document is visible, and a search narrowed to their collections and batches. Refusals look
exactly like absence, so nothing outside the scope can be probed for.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.access import Scope
from core.db import Batch, Document, Page, SourceFile
from core.db_users import User
from core.errors import NotFoundError
from core.levels import highest, may_see
from core.search_types import FACET_FIELDS, SearchQuery, SearchResult
from progress.visibility import sees_every_batch

if TYPE_CHECKING:  # the intake (and the image/PDF stack under it) loads where files arrive
    from pipeline.intake import IntakeReport


def scope_of(user: User) -> Scope:
    """Return what an account may see (administrators are not limited to collections)."""
    return Scope.of(
        user.clearance,
        user.collections or (),
        user.departments or (),
        unrestricted=user.role == "admin",
    )


def visible_batches(s: Session, scope: Scope) -> dict[int, str] | None:
    """Return ``{id: name}`` of the batches inside the scope, or None when all are."""
    if sees_every_batch(s, scope):
        return None
    return {
        b.id: b.name for b in s.scalars(select(Batch).order_by(Batch.id)) if scope.allows_batch(b)
    }


def visible_batch(s: Session, name: str, scope: Scope) -> Batch:
    """Return the batch called ``name`` when it lies inside the scope.

    Raises:
        NotFoundError: ``batch_not_found``, also for a batch outside the scope or declared
            above the caller's clearance.
    """
    b = s.scalar(select(Batch).where(Batch.name == name))
    if b is None or not scope.allows_batch(b):
        raise NotFoundError(
            f"no batch named {name!r}",
            code="batch_not_found",
            message_vi=f"Không có lô nào tên '{name}'.",
        )
    return b


def document_allowed(s: Session, scope: Scope, doc: Document) -> bool:
    """Return whether the caller may see a document: its level and its batch's place."""
    batch = s.get(Batch, doc.batch_id)
    return batch is not None and scope.allows(
        doc.classification, batch.collection, batch.department
    )


def _nothing() -> SearchResult:
    return SearchResult(total=0, hits=(), facets={f: () for f in FACET_FIELDS})


def search_in_scope(backend: Any, s: Session, query: SearchQuery, scope: Scope) -> SearchResult:
    """Run a search as the caller: their clearance, their collections, their batches.

    Hits, the total, facets and snippets all come from the narrowed query, so nothing outside
    the scope is counted. The batch filter is read from the database: it also covers
    departments (not in the index) and an index whose collections are stale.
    """
    query = replace(query, clearance=scope.clearance)
    if scope.restricted:
        collections = scope.search_collections(query.collections)
        names = set((visible_batches(s, scope) or {}).values())
        batches = (
            tuple(sorted(names))
            if not query.batches
            else tuple(b for b in query.batches if b in names)
        )
        if collections is None or not batches:
            return _nothing()
        query = replace(query, collections=collections, batches=batches)
    result: SearchResult = backend.search(query)
    return result


def earlier_file(s: Session, scope: Scope, source_file_id: int) -> dict[str, Any] | None:
    """Return ``{id, file, batch}`` of an earlier file when the caller may see it, else None.

    Visible means: its batch lies in the scope, and the clearance covers the batch's declared
    level and every document made from its pages (for an archive, its entries' pages). A
    duplicate or re-send notice names the earlier file, its batch or its id only then.
    """
    sf = s.get(SourceFile, source_file_id)
    batch = s.get(Batch, sf.batch_id) if sf is not None else None
    if sf is None or batch is None or not scope.allows_batch(batch):
        return None
    files, frontier = {sf.id}, [sf.id]
    while frontier:  # an archive's entries, and archives inside it
        frontier = list(s.scalars(select(SourceFile.id).where(SourceFile.parent_id.in_(frontier))))
        files.update(frontier)
    levels = s.scalars(
        select(Document.classification)
        .join(Page, Page.document_id == Document.id)
        .where(Page.source_file_id.in_(files))
        .distinct()
    ).all()
    if not may_see(scope.clearance, highest(batch.classification, *levels)):
        return None
    return {"id": sf.id, "file": sf.original_name, "batch": batch.name}


def intake_notices(s: Session, scope: Scope, report: IntakeReport) -> list[tuple[str, str]]:
    """Return ``(file name, Vietnamese notice)`` for each duplicate and each re-sent failure.

    Whatever the sender may not see stays unnamed: the notice then says only that the same
    content was processed (or failed) before.
    """
    out = []
    for name, earlier_id in report.duplicates:
        seen = earlier_file(s, scope, earlier_id)
        where = (
            f"tệp #{seen['id']} '{seen['file']}' của lô '{seen['batch']}'"
            if seen
            else "một tệp đã xử lý trước đây"
        )
        out.append((name, f"Trùng lặp: {name} có cùng nội dung với {where} — không xử lý lại."))
    for name, earlier_id, code in report.retried:
        seen = earlier_file(s, scope, earlier_id)
        where = (
            f"(tệp #{seen['id']} '{seen['file']}' của lô '{seen['batch']}') "
            if seen
            else "của cùng nội dung "
        )
        out.append(
            (
                name,
                f"Gửi lại: {name} — lần gửi trước {where}bị lỗi [{code or 'lỗi'}]; "
                "tệp được xử lý lại như một lần gửi mới.",
            )
        )
    return out
