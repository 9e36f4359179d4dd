"""The level guard (migration 0022) and what progress skips because of it.

A clearance that allows every level the database can hold counts without its per-row
clearance checks. The guard must make unknown level codes impossible, the shortcut must give
the numbers the checks give for every clearance, before and after changes, and without a
provable guard (missing, widened, or rows already unknown) nothing is skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from alembic import command
from sqlalchemy import event, select, text, update
from sqlalchemy.exc import IntegrityError

from bench.archive import fill
from core.access import Scope
from core.context import AppContext
from core.db import Batch, Document, Page, PageStage
from core.levels import LEVELS
from progress.counts import batch_progress
from progress.reports.model import build_report
from progress.reports.series import daily_series
from progress.status import batch_statuses
from progress.visibility import allowed_levels, counting_scope, guarded_levels
from tests.progress._world import migrate

UNKNOWN = "bi_mat_la"  # a level code this code has never heard of
ADMIN = Scope("tuyet_mat")


def _drop_guard(ctx: AppContext, table: str = "document") -> None:
    with ctx.engine.begin() as c:
        if ctx.engine.dialect.name == "postgresql":
            c.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT ck_{table}_level_known"))
        else:
            for event_ in ("insert", "update"):
                c.execute(text(f"DROP TRIGGER tr_{table}_level_known_{event_}"))


def _guard(ctx: AppContext) -> frozenset[str] | None:
    with ctx.session() as s:
        return guarded_levels(s)


def _counted(ctx: AppContext, scope: Scope | None) -> dict[int, Any]:
    with ctx.session() as s:
        return {p.batch_id: p.to_dict() for p in batch_progress(s, None, scope)}


def _series(ctx: AppContext, scope: Scope | None) -> dict[str, Any]:
    with ctx.session() as s:
        return daily_series(s, None, scope)


def _pages_of(ctx: AppContext, batch_id: int) -> int:
    with ctx.session() as s:
        return len(s.scalars(select(Page.id).where(Page.batch_id == batch_id)).all())


def test_unknown_levels_cannot_be_written(ctx: AppContext) -> None:
    assert _guard(ctx) == frozenset(LEVELS)
    fill(ctx, 100, n_batches=2)
    writes = [
        f"UPDATE document SET classification = '{UNKNOWN}' WHERE id = 1",
        "UPDATE document SET classification = NULL WHERE id = 1",
        f"UPDATE batch SET classification = '{UNKNOWN}' WHERE id = 1",
        f"INSERT INTO batch (name, classification, grouping) VALUES ('x', '{UNKNOWN}', 'auto')",
    ]
    for sql in writes:
        with pytest.raises(IntegrityError), ctx.engine.begin() as c:
            c.execute(text(sql))
    with ctx.session() as s:  # through the ORM too, and known codes still pass
        s.add(Batch(name="lo-x", classification="toi_mat"))
    with pytest.raises(IntegrityError), ctx.session() as s:
        doc = s.get(Document, 1)
        assert doc is not None
        doc.classification = UNKNOWN


def test_the_top_clearance_counts_as_everything_only_while_the_guard_holds(
    ctx: AppContext,
) -> None:
    fill(ctx, 600, n_batches=6)
    with ctx.session() as s:
        assert counting_scope(s, ADMIN) is None
        assert counting_scope(s, Scope("toi_mat")) == Scope("toi_mat")
        assert counting_scope(s, Scope.of("tuyet_mat", ["Phông Tỉnh ủy"])) is None
    everything = _counted(ctx, None)
    assert _counted(ctx, ADMIN) == everything
    # Without the guard a code nobody may see can be written, and stays unseen but by the CLI.
    _drop_guard(ctx)
    assert _guard(ctx) is None
    with ctx.engine.begin() as c:
        c.execute(update(Document).where(Document.batch_id == 3).values(classification=UNKNOWN))
    with ctx.session() as s:
        assert counting_scope(s, ADMIN) == ADMIN
    admin = _counted(ctx, ADMIN)
    assert _counted(ctx, None)[3]["pages_received"] == _pages_of(ctx, 3)
    assert admin[3]["documents"] == 0 and admin[3]["pages_extracted"] == 0
    assert admin[3]["pages_received"] < _pages_of(ctx, 3)
    assert admin[2] == everything[2]
    ocr = sum(sum(c["ocr_done"].values()) for c in _series(ctx, ADMIN).values())
    assert ocr < sum(sum(c["ocr_done"].values()) for c in _series(ctx, None).values())


def test_a_widened_guard_proves_nothing(ctx: AppContext) -> None:
    """A guard that lets another code in (a level added by hand) keeps the checks."""
    fill(ctx, 200, n_batches=2)
    _drop_guard(ctx)
    allowed = ", ".join(f"'{lv}'" for lv in (*LEVELS, UNKNOWN))
    with ctx.engine.begin() as c:
        if ctx.engine.dialect.name == "postgresql":
            c.execute(
                text(
                    "ALTER TABLE document ADD CONSTRAINT ck_document_level_known "
                    f"CHECK (classification IN ({allowed}))"
                )
            )
        else:
            for ev, name in (("INSERT", "insert"), ("UPDATE OF classification", "update")):
                c.execute(
                    text(
                        f"CREATE TRIGGER tr_document_level_known_{name} BEFORE {ev} ON document "
                        "FOR EACH ROW WHEN NEW.classification IS NULL OR NEW.classification "
                        f"NOT IN ({allowed}) BEGIN SELECT RAISE(ABORT, 'no'); END"
                    )
                )
        c.execute(update(Document).where(Document.id == 1).values(classification=UNKNOWN))
    assert _guard(ctx) == frozenset((*LEVELS, UNKNOWN))
    with ctx.session() as s:
        assert counting_scope(s, ADMIN) == ADMIN
    assert _counted(ctx, ADMIN)[1]["documents"] == _counted(ctx, None)[1]["documents"] - 1


def test_rows_already_unknown_leave_the_guard_unproven(ctx: AppContext) -> None:
    """Migrating a database that holds an unknown code: no guard is claimed, counts stay right."""
    fill(ctx, 200, n_batches=2)
    migrate(ctx, command.downgrade, "0021_document_seq_index")
    assert _guard(ctx) is None
    with ctx.engine.begin() as c:
        c.execute(update(Document).where(Document.id == 1).values(classification=UNKNOWN))
    migrate(ctx, command.upgrade, "heads")
    assert _guard(ctx) is None
    assert _counted(ctx, ADMIN)[1]["documents"] == _counted(ctx, None)[1]["documents"] - 1
    # Once the row is fixed, the guard can be proven again (PostgreSQL: validated by hand).
    with ctx.engine.begin() as c:
        c.execute(update(Document).where(Document.id == 1).values(classification="tuyet_mat"))
        if ctx.engine.dialect.name == "postgresql":
            c.execute(text("ALTER TABLE document VALIDATE CONSTRAINT ck_document_level_known"))
    if ctx.engine.dialect.name == "postgresql":
        assert _guard(ctx) == frozenset(LEVELS)


def test_an_unknown_clearance_sees_no_level() -> None:
    assert allowed_levels(Scope(UNKNOWN)) == ()
    assert allowed_levels(Scope("mat")) == ("thuong", "mat")


def _full_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Count every clearance with its per-row checks, as before the shortcut."""
    for module in ("progress.counts", "progress.reports.series", "progress.status"):
        monkeypatch.setattr(f"{module}.counting_scope", lambda _s, scope: scope)


def _everything(ctx: AppContext) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with ctx.session() as s:
        batches = list(s.scalars(select(Batch).order_by(Batch.id)))
        for level in LEVELS:
            scope = Scope(level)
            out[level] = (
                [st for st, _ in batch_statuses(s, batches, scope)],
                _counted(ctx, scope),
                _series(ctx, scope),
            )
    return out


def test_counts_per_clearance_match_the_full_checks_after_changes(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(ctx, 600, n_batches=6)

    def both() -> tuple[dict[str, Any], dict[str, Any]]:
        fast = _everything(ctx)
        with monkeypatch.context() as m:
            _full_checks(m)
            slow = _everything(ctx)
        return fast, slow

    fast, slow = both()
    assert fast == slow
    assert fast["thuong"][1][2]["pages_received"] < fast["tuyet_mat"][1][2]["pages_received"]
    with ctx.engine.begin() as c:  # a document raised to TUYỆT MẬT, a page failed, OCR goes on
        doc = c.scalar(
            select(Document.id).where(Document.batch_id == 2, Document.classification == "thuong")
        )
        c.execute(update(Document).where(Document.id == doc).values(classification="tuyet_mat"))
        page = c.scalar(select(Page.id).where(Page.batch_id == 4, Page.document_id.is_not(None)))
        c.execute(update(PageStage).where(PageStage.page_id == page).values(status="failed"))
        c.execute(
            update(PageStage)
            .where(
                PageStage.status == "pending",
                PageStage.page_id.in_(select(Page.id).where(Page.batch_id == 6)),
            )
            .values(status="done")
        )
    after, slow_after = both()
    assert after == slow_after
    assert after != fast
    assert after["thuong"][1][2]["documents"] == fast["thuong"][1][2]["documents"] - 1
    assert after["tuyet_mat"][1][2]["documents"] == fast["tuyet_mat"][1][2]["documents"]
    assert after["tuyet_mat"][1][6]["pages_pending"] == 0 < fast["tuyet_mat"][1][6]["pages_pending"]


def test_a_report_reads_the_revisions_once(ctx: AppContext) -> None:
    fill(ctx, 300, n_batches=3)
    seen: list[str] = []
    event.listen(ctx.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    with ctx.session() as s:
        build_report(s, "month", dt.date(2026, 11, 30), scope=ADMIN)
    assert len([q for q in seen if "max(batch_change.id)" in q]) == 1, seen


def test_a_batch_of_unknown_level_stays_hidden_from_the_top_clearance_without_a_guard(
    ctx: AppContext,
) -> None:
    from accounts.scope import visible_batches
    from records.listing import ListQuery, list_documents

    fill(ctx, 200, n_batches=2)
    admin = Scope.of("tuyet_mat", unrestricted=True)
    query = ListQuery(size=500)
    with ctx.session() as s:
        assert visible_batches(s, admin) is None  # guarded: every batch, no per-batch checks
        everything = {d["id"] for d in list_documents(s, admin, query).items}
        in_first = set(s.scalars(select(Document.id).where(Document.batch_id == 1)))
    assert in_first and in_first <= everything
    _drop_guard(ctx, "batch")
    with ctx.engine.begin() as c:
        c.execute(text(f"UPDATE batch SET classification = '{UNKNOWN}' WHERE id = 1"))
    with ctx.session() as s:
        seen = visible_batches(s, admin)
        assert seen is not None and 1 not in seen and 2 in seen
        listed = {d["id"] for d in list_documents(s, admin, query).items}
    assert listed == everything - in_first
