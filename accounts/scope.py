"""A caller's scope applied to the database and the search index (core.access.Scope).

Everything a scoped user reads goes through here: which batches they may see, whether a
document is visible, and a search narrowed to their collections and batches. Refusals look
exactly like absence, so nothing outside the scope can be probed for.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.access import Scope
from core.db import Batch, Document
from core.db_users import User
from core.errors import NotFoundError
from core.search_types import FACET_FIELDS, SearchQuery, SearchResult


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
    if scope.sees_every_batch:
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
