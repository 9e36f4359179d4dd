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

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access import Scope
from core.db import Batch, Document, Page, SourceFile
from core.levels import LEVELS, rank

# Core tables, built once per clearance: ORM ``aliased()`` entities cost ~2 ms per condition,
# which made a dashboard of 100 batches spend seconds constructing SQL before running any.
_PAGE, _DOC, _BATCH, _FILE = (
    Page.__table__,
    Document.__table__,
    Batch.__table__,
    SourceFile.__table__,
)


def allowed_levels(scope: Scope) -> tuple[str, ...]:
    """Return the level codes a scope may see (unknown codes are never among them).

    An unknown clearance sees none, as :func:`core.levels.may_see` says (it ranks above every
    level, and slicing by that rank used to allow them all).
    """
    r = rank(scope.clearance)
    return LEVELS[: r + 1] if r < len(LEVELS) else ()


def visibility_key(scope: Scope | None) -> tuple[str, ...] | None:
    """Return what the conditions below depend on: the visible levels (None: everything)."""
    return None if scope is None else allowed_levels(scope)


# The level guard of migration 0022 as each database gives it back. Matched whole: a guard of
# any other shape (widened, negated, rewritten by hand) proves nothing and is not used.
_PG_GUARD = re.compile(
    r"CHECK \(\(\(classification\)::text = ANY \(\(ARRAY\["
    r"((?:'\w+'::character varying)(?:, '\w+'::character varying)*)"
    r"\]\)::text\[\]\)\)\)"
)
_SQLITE_GUARD = re.compile(
    r"CREATE TRIGGER tr_(\w+)_level_known_(insert|update) BEFORE (INSERT|UPDATE OF classification) "
    r"ON (\w+) FOR EACH ROW WHEN NEW\.classification IS NULL OR NEW\.classification NOT IN "
    r"\(('\w+'(?:, '\w+')*)\) BEGIN SELECT RAISE\(ABORT, '[\w ]+'\); END"
)
_GUARDED = ("batch", "document")  # where the levels that decide visibility are stored


def guarded_levels(s: Session) -> frozenset[str] | None:
    """Return every classification code the database can hold, or None if not provable.

    Read from the database's own guard (migration 0022) on each call: a validated CHECK
    constraint on PostgreSQL, the insert and update triggers on SQLite, on both ``batch`` and
    ``document``. None when any of them is missing, not validated or of another shape.
    """
    found: dict[str, set[str]] = {}
    if s.get_bind().dialect.name == "postgresql":
        rows = s.execute(
            sa.text(
                "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'c' AND convalidated AND conname = ANY(:names)"
            ),
            {"names": [f"ck_{t}_level_known" for t in _GUARDED]},
        )
        for table, definition in rows:
            m = _PG_GUARD.fullmatch(definition)
            if m is None or table in found:
                return None
            found[table] = set(re.findall(r"'(\w+)'", m.group(1)))
    else:
        events: dict[str, set[str]] = {}
        rows = s.execute(
            sa.text(
                "SELECT name, tbl_name, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'tr_%_level_known_%'"
            )
        )
        for name, table, sql in rows:
            m = _SQLITE_GUARD.fullmatch(sql or "")
            if m is None:
                return None
            named, short, event, on, literals = m.groups()
            if name != f"tr_{table}_level_known_{short}" or not named == on == table:
                return None
            if event.split()[0].lower() != short:
                return None
            events.setdefault(table, set()).add(short)
            found.setdefault(table, set()).update(re.findall(r"'(\w+)'", literals))
        if any(events.get(t) != {"insert", "update"} for t in _GUARDED):
            return None
    if set(found) != set(_GUARDED):
        return None
    return frozenset().union(*found.values())


def counting_scope(s: Session, scope: Scope | None) -> Scope | None:
    """Return the scope to count with: None when ``scope``'s clearance provably sees all.

    That is when every level the database can hold (:func:`guarded_levels`) is at or below
    the clearance: the conditions below then keep every row, and their correlated
    hidden-page searches are skipped. Collections and departments are not decided here
    (callers narrow the batches themselves), so a restricted scope may count as None too.
    An unknown level is never allowed to a clearance, so its possibility keeps the checks.
    """
    if scope is None:
        return None
    levels = guarded_levels(s)
    if levels is not None and levels <= set(allowed_levels(scope)):
        return None
    return scope


def sees_every_batch(s: Session, scope: Scope) -> bool:
    """Return whether no batch can be hidden from ``scope`` on this database.

    :attr:`Scope.sees_every_batch` (no lists, the top clearance) is not enough alone: a batch
    stored with an unknown level code ranks above every clearance and must stay unseen, so
    the database's guard must also prove that no such code can be stored.
    """
    return scope.sees_every_batch and counting_scope(s, scope) is None


def batches_hint(s: Session, ids: Sequence[int]) -> Sequence[int] | None:
    """Return the ``within`` to pass for rows of batches ``ids`` on this database, or None.

    PostgreSQL hashes the hidden-page search once per query, so it must be limited to the
    asked batches. SQLite probes it per row through the page.source_file_id index; given the
    batches too, it probed through page.batch_id instead and read the whole batch per row
    (a batch in OCR recounted in 187 ms instead of 74 at a million pages).
    """
    return ids if s.get_bind().dialect.name == "postgresql" else None


def page_visible(scope: Scope | None, within: Sequence[int] | None = None) -> Any:
    """Return a condition on ``Page`` (correlated): the page is at or below the clearance.

    A page not (yet) in a document also hides when another page of its file lies in a
    document above the clearance: a failed page of a MẬT file is MẬT material.

    ``within``: the batches the asked pages lie in. A file's pages share its batch, so the
    search for hidden pages is limited to them; PostgreSQL turns that search into one hashed
    set per query, which otherwise held every hidden page of the archive (155,914 rows and
    250 ms for one batch at a million pages).
    """
    if scope is None:
        return sa.true()
    ok = allowed_levels(scope)
    return _page_visible(ok) if within is None else _page_visible_in(ok, tuple(within))


def document_visible(scope: Scope | None) -> Any:
    """Return a condition on ``Document``: its level is at or below the clearance."""
    return sa.true() if scope is None else Document.classification.in_(allowed_levels(scope))


def file_visible(scope: Scope | None, within: Sequence[int] | None = None) -> Any:
    """Return a condition on ``SourceFile``: neither it nor what it holds is above clearance.

    ``within``: the batches of the asked files, as for :func:`page_visible`.
    """
    if scope is None:
        return sa.true()
    ok = allowed_levels(scope)
    return _file_visible(ok) if within is None else _file_visible_in(ok, tuple(within))


def _hidden_in(file_id: Any, ok: tuple[str, ...], within: tuple[int, ...] | None = None) -> Any:
    """Return whether the file ``file_id`` holds a page of a document above ``ok``.

    Correlated, through the page.source_file_id index: the cost follows the rows asked
    about (one batch's), not the archive's hidden pages; ``within`` keeps it so where the
    database hashes the search instead.
    """
    page, doc = _PAGE.alias("hp"), _DOC.alias("hd")
    where = [page.c.source_file_id == file_id, doc.c.classification.notin_(ok)]
    if within is not None:
        where.append(page.c.batch_id.in_(within))
    return sa.exists(
        sa.select(1).select_from(page.join(doc, doc.c.id == page.c.document_id)).where(*where)
    )


def _page_visible_in(ok: tuple[str, ...], within: tuple[int, ...] | None) -> Any:
    doc, batch = _DOC.alias("vd"), _BATCH.alias("vb")
    return sa.or_(
        sa.and_(
            _PAGE.c.document_id.is_(None),
            sa.exists().where(batch.c.id == _PAGE.c.batch_id, batch.c.classification.in_(ok)),
            ~_hidden_in(_PAGE.c.source_file_id, ok, within),
        ),
        sa.exists().where(doc.c.id == _PAGE.c.document_id, doc.c.classification.in_(ok)),
    )


def _file_visible_in(ok: tuple[str, ...], within: tuple[int, ...] | None) -> Any:
    batch, child = _BATCH.alias("fb"), _FILE.alias("fc")
    page, doc = _PAGE.alias("fp"), _DOC.alias("fd")
    child_where = [child.c.parent_id == _FILE.c.id, doc.c.classification.notin_(ok)]
    if within is not None:
        child_where.append(page.c.batch_id.in_(within))  # a ZIP's entries share its batch
    hidden_child = sa.exists(
        sa.select(1)
        .select_from(
            child.join(page, page.c.source_file_id == child.c.id).join(
                doc, doc.c.id == page.c.document_id
            )
        )
        .where(*child_where)
    )
    return sa.and_(
        sa.exists().where(batch.c.id == _FILE.c.batch_id, batch.c.classification.in_(ok)),
        ~_hidden_in(_FILE.c.id, ok, within),
        ~hidden_child,
        # The file a duplicate repeats may lie in any batch: searched without ``within``.
        sa.or_(_FILE.c.duplicate_of_id.is_(None), ~_hidden_in(_FILE.c.duplicate_of_id, ok)),
    )


@lru_cache(maxsize=16)
def _page_visible(ok: tuple[str, ...]) -> Any:
    return _page_visible_in(ok, None)


@lru_cache(maxsize=16)
def _file_visible(ok: tuple[str, ...]) -> Any:
    return _file_visible_in(ok, None)
