"""Per-batch progress kept until the batch changes: reused when nothing moved, never stale.

The revision comes from database triggers, so the checks write the way other code does:
ORM updates, Core UPDATE statements and raw SQL, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, text, update

from bench.archive import fill
from core.access import Scope
from core.context import AppContext
from core.db import Batch, Document, Page, PageStage
from core.db_review import FieldCorrection
from progress import cache
from progress.counts import batch_progress
from progress.reports.series import daily_series
from progress.status import batch_statuses


def _statements(ctx: AppContext) -> list[str]:
    seen: list[str] = []
    event.listen(ctx.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def _progress(ctx: AppContext, scope: Scope | None) -> dict[int, Any]:
    with ctx.session() as s:
        return {p.batch_id: p for p in batch_progress(s, None, scope)}


def test_an_unchanged_archive_is_answered_from_the_revisions_alone(ctx: AppContext) -> None:
    fill(ctx, 600, n_batches=6)
    first = _progress(ctx, Scope("mat"))
    seen = _statements(ctx)
    again = _progress(ctx, Scope("mat"))
    assert {b: p.to_dict() for b, p in again.items()} == {b: p.to_dict() for b, p in first.items()}
    # The batch list, the revision probes and the duplicates' batches: no page is read.
    assert not [q for q in seen if "page_stage" in q or "FROM page" in q], seen


def test_every_kind_of_write_moves_only_its_batch(ctx: AppContext) -> None:
    fill(ctx, 600, n_batches=6)
    reader = Scope("thuong")
    before = _progress(ctx, reader)
    with ctx.session() as s:
        page_id, batch_id = s.execute(
            select(Page.id, Page.batch_id)
            .join(Document, Document.id == Page.document_id)
            .where(Document.classification == "thuong", Page.batch_id == 2)
            .limit(1)
        ).one()
        # A Core UPDATE (what claims and the runner do): a done page fails.
        s.execute(update(PageStage).where(PageStage.page_id == page_id).values(status="failed"))
        s.commit()
    after = _progress(ctx, reader)
    assert after[batch_id].pages_failed == before[batch_id].pages_failed + 1
    assert after[3].to_dict() == before[3].to_dict()

    with ctx.session() as s:  # an ORM change: a document is raised above the reader
        doc = s.scalars(
            select(Document).where(Document.batch_id == 3, Document.classification == "thuong")
        ).first()
        assert doc is not None
        pages = len(doc.pages)
        doc.classification = "mat"
        s.commit()
    raised = _progress(ctx, reader)
    assert raised[3].pages_received == before[3].pages_received - pages
    assert raised[3].documents == before[3].documents - 1

    with ctx.session() as s:  # raw SQL, as an operator's repair would
        s.execute(text("UPDATE document SET status = 'reviewed' WHERE batch_id = 4"))
        s.commit()
    reviewed = _progress(ctx, reader)
    assert reviewed[4].documents_reviewed == reviewed[4].documents

    with ctx.session() as s:  # a reviewer's correction counts in the correction rate
        doc_id = s.scalar(
            select(Document.id).where(Document.batch_id == 4, Document.classification == "thuong")
        )
        s.add(FieldCorrection(document_id=doc_id, field="issuer", new_value="x", user="r"))
        s.commit()
    assert _progress(ctx, reader)[4].fields_corrected == reviewed[4].fields_corrected + 1


def test_clearances_never_share_what_was_kept(ctx: AppContext) -> None:
    fill(ctx, 600, n_batches=6)
    with ctx.session() as s:
        batches = list(s.scalars(select(Batch).order_by(Batch.id)))
        top = batch_statuses(s, batches, Scope("tuyet_mat"))
        low = batch_statuses(s, batches, Scope("thuong"))
        top_series = daily_series(s, None, Scope("tuyet_mat"))
        low_series = daily_series(s, None, Scope("thuong"))
    assert sum(st["pages"] for st, _ in top) == 600
    assert sum(st["pages"] for st, _ in low) < 600

    def ocr_done(series: dict[str, Any]) -> int:
        return sum(sum(c["ocr_done"].values()) for c in series.values())

    assert ocr_done(low_series) < ocr_done(top_series)


def test_without_its_triggers_nothing_is_kept(ctx: AppContext) -> None:
    """A database whose triggers a migration dropped is counted afresh on every call."""
    fill(ctx, 600, n_batches=6)
    with ctx.session() as s:
        if ctx.engine.dialect.name == "postgresql":
            s.execute(text("DROP TRIGGER tr_page_stage_batch_change ON page_stage"))
        else:
            names = s.execute(
                text("SELECT name FROM sqlite_master WHERE name LIKE 'tr_page_stage_%'")
            ).scalars()
            for name in list(names):
                s.execute(text(f"DROP TRIGGER {name}"))
        s.commit()
    cache.clear()
    before = _progress(ctx, None)
    with ctx.session() as s:
        s.execute(
            update(PageStage)
            .where(PageStage.page_id.in_(select(Page.id).where(Page.batch_id == 2)))
            .values(status="pending")
        )
        s.commit()
    after = _progress(ctx, None)
    assert after[2].pages_pending == before[2].pages_received
