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

from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from core.access import Scope
from core.db import Batch, Document, Page, SourceFile
from core.levels import LEVELS, rank

# Core tables, not ORM aliases: building ``aliased()`` entities cost ~2 ms per condition, which
# made a dashboard of 100 batches spend seconds constructing SQL before running any.
_PAGE, _DOC, _BATCH, _FILE = (
    Page.__table__,
    Document.__table__,
    Batch.__table__,
    SourceFile.__table__,
)


def allowed_levels(scope: Scope) -> tuple[str, ...]:
    """Return the level codes a scope may see (unknown codes are never among them)."""
    return LEVELS[: rank(scope.clearance) + 1]


def page_visible(scope: Scope | None) -> Any:
    """Return a condition on ``Page`` (correlated): the page is at or below the clearance.

    A page not (yet) in a document also hides when another page of its file lies in a
    document above the clearance: a failed page of a MẬT file is MẬT material.
    """
    return sa.true() if scope is None else _page_visible(allowed_levels(scope))


def document_visible(scope: Scope | None) -> Any:
    """Return a condition on ``Document``: its level is at or below the clearance."""
    return sa.true() if scope is None else Document.classification.in_(allowed_levels(scope))


def file_visible(scope: Scope | None) -> Any:
    """Return a condition on ``SourceFile``: neither it nor what it holds is above clearance."""
    return sa.true() if scope is None else _file_visible(allowed_levels(scope))


def _hidden_files(ok: tuple[str, ...]) -> Any:
    """Return the ids of files holding a page of a document above ``ok`` (uncorrelated).

    Uncorrelated on purpose: the database computes the set once per query (a hash or an
    ephemeral index), where a per-row EXISTS over the same file's pages made a file of n
    pages cost n² reads.
    """
    page, doc = _PAGE.alias("hp"), _DOC.alias("hd")
    return (
        sa.select(page.c.source_file_id)
        .join(doc, doc.c.id == page.c.document_id)
        .where(doc.c.classification.notin_(ok))
    )


@lru_cache(maxsize=16)
def _page_visible(ok: tuple[str, ...]) -> Any:
    doc, batch = _DOC.alias("vd"), _BATCH.alias("vb")
    return sa.or_(
        sa.and_(
            _PAGE.c.document_id.is_(None),
            sa.exists().where(batch.c.id == _PAGE.c.batch_id, batch.c.classification.in_(ok)),
            _PAGE.c.source_file_id.notin_(_hidden_files(ok)),
        ),
        sa.exists().where(doc.c.id == _PAGE.c.document_id, doc.c.classification.in_(ok)),
    )


@lru_cache(maxsize=16)
def _file_visible(ok: tuple[str, ...]) -> Any:
    batch, child = _BATCH.alias("fb"), _FILE.alias("fc")
    page, doc = _PAGE.alias("fp"), _DOC.alias("fd")
    # Parents of files (ZIP entries) holding a page above the clearance; NULL parents are left
    # out, or NOT IN would be unknown for every row.
    hidden_parents = (
        sa.select(child.c.parent_id)
        .join(page, page.c.source_file_id == child.c.id)
        .join(doc, doc.c.id == page.c.document_id)
        .where(child.c.parent_id.is_not(None), doc.c.classification.notin_(ok))
    )
    return sa.and_(
        sa.exists().where(batch.c.id == _FILE.c.batch_id, batch.c.classification.in_(ok)),
        _FILE.c.id.notin_(_hidden_files(ok)),
        _FILE.c.id.notin_(hidden_parents),
        sa.or_(
            _FILE.c.duplicate_of_id.is_(None),
            _FILE.c.duplicate_of_id.notin_(_hidden_files(ok)),
        ),
    )
