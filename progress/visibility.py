"""What a caller may count: pages, documents and files at or below their clearance, in SQL.

Progress, status, dashboard and reports take a ``core.access.Scope`` (None: the operator's
CLI, everything) and add these filters to their aggregate queries, so nothing above the
caller's clearance is counted or named and no row is loaded into Python to decide.

What a thing "is":

- a page before documents are assembled has its batch's declared level (and hides with its
  file when the file holds pages of a hidden document); once in a document, that document's
  level;
- a document has its classification;
- a file is at least its batch's declared level, and is hidden when any page of it, of a ZIP
  entry inside it, or of the file it duplicates lies in a document above the clearance.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from core.access import Scope
from core.db import Batch, Document, Page, SourceFile
from core.levels import LEVELS, rank


def allowed_levels(scope: Scope) -> tuple[str, ...]:
    """Return the level codes a scope may see (unknown codes are never among them)."""
    return LEVELS[: rank(scope.clearance) + 1]


def page_visible(scope: Scope | None) -> Any:
    """Return a condition on ``Page`` (correlated): the page is at or below the clearance.

    A page not (yet) in a document also hides when another page of its file lies in a
    document above the clearance: a failed page of a MẬT file is MẬT material.
    """
    if scope is None:
        return sa.true()
    ok = allowed_levels(scope)
    doc, batch = aliased(Document), aliased(Batch)
    return sa.or_(
        sa.and_(
            Page.document_id.is_(None),
            sa.exists().where(batch.id == Page.batch_id, batch.classification.in_(ok)),
            ~_hidden_pages_of(Page.source_file_id, ok),
        ),
        sa.exists().where(doc.id == Page.document_id, doc.classification.in_(ok)),
    )


def document_visible(scope: Scope | None) -> Any:
    """Return a condition on ``Document``: its level is at or below the clearance."""
    return sa.true() if scope is None else Document.classification.in_(allowed_levels(scope))


def _hidden_pages_of(file_id: Any, ok: tuple[str, ...]) -> Any:
    page, doc = aliased(Page), aliased(Document)
    return sa.exists(
        sa.select(1)
        .select_from(page)
        .join(doc, doc.id == page.document_id)
        .where(page.source_file_id == file_id, doc.classification.notin_(ok))
    )


def file_visible(scope: Scope | None) -> Any:
    """Return a condition on ``SourceFile``: neither it nor what it holds is above clearance."""
    if scope is None:
        return sa.true()
    ok = allowed_levels(scope)
    batch, child = aliased(Batch), aliased(SourceFile)
    page, doc = aliased(Page), aliased(Document)
    hidden_child = sa.exists(
        sa.select(1)
        .select_from(child)
        .join(page, page.source_file_id == child.id)
        .join(doc, doc.id == page.document_id)
        .where(child.parent_id == SourceFile.id, doc.classification.notin_(ok))
    )
    return sa.and_(
        sa.exists().where(batch.id == SourceFile.batch_id, batch.classification.in_(ok)),
        ~_hidden_pages_of(SourceFile.id, ok),
        ~hidden_child,
        sa.or_(
            SourceFile.duplicate_of_id.is_(None),
            ~_hidden_pages_of(SourceFile.duplicate_of_id, ok),
        ),
    )
