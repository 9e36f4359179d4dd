"""Kept progress on PostgreSQL, where change ids commit out of order.

A transaction that took its change id first can commit after a reader has counted the batch
at a later id; the reader must still see it. Checking for that must not recount batches that
the late transaction never touched.
"""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, text, update
from sqlalchemy.engine import Connection

from bench.archive import fill
from core.access import Scope
from core.context import AppContext
from core.db import Document, Page, PageStage
from progress import cache, counts
from tests.progress._world import migrate, repeated_file


@pytest.fixture
def pg_ctx(ctx: AppContext) -> AppContext:
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("SQLite commits one writer at a time, in change id order")
    fill(ctx, 300, n_batches=3)
    return ctx


def _progress(ctx: AppContext, scope: Scope | None = None) -> dict[int, Any]:
    with ctx.session() as s:
        return {p.batch_id: p for p in counts.batch_progress(s, None, scope)}


def _done_pages(ctx: AppContext, batch_id: int, n: int) -> list[int]:
    with ctx.session() as s:
        return list(
            s.scalars(
                select(Page.id)
                .join(PageStage, PageStage.page_id == Page.id)
                .where(Page.batch_id == batch_id, PageStage.stage == "ocr")
                .where(PageStage.status == "done")
                .order_by(Page.id)
                .limit(n)
            )
        )


def _fail(c: Connection, page_id: int) -> int:
    """Fail a page's OCR in ``c``'s transaction; return that transaction's id."""
    c.execute(update(PageStage).where(PageStage.page_id == page_id).values(status="failed"))
    return int(c.scalar(text("SELECT pg_current_xact_id()::text::bigint")) or 0)


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    seen: list[list[int]] = []
    real = counts._compute_progress

    def spy(s: Any, batches: Any, scope: Any) -> Any:
        seen.append(sorted(b.id for b in batches))
        return real(s, batches, scope)

    monkeypatch.setattr(counts, "_compute_progress", spy)
    return seen


def test_a_change_committed_below_a_revision_already_read_is_seen(pg_ctx: AppContext) -> None:
    pages = {batch: _done_pages(pg_ctx, batch, 2) for batch in (1, 2)}
    before = {b: p.pages_failed for b, p in _progress(pg_ctx).items()}
    with pg_ctx.engine.connect() as a, pg_ctx.engine.connect() as b:
        for first, _second in pages.values():
            _fail(a, first)  # takes its change ids now, commits last
        for _first, second in pages.values():
            _fail(b, second)
        b.commit()
        seen = _progress(pg_ctx)
        assert [seen[batch].pages_failed - before[batch] for batch in pages] == [1, 1]
        a.commit()
    # Each batch's newest change is still b's: only the kept transactions tell.
    seen = _progress(pg_ctx)
    assert [seen[batch].pages_failed - before[batch] for batch in pages] == [2, 2]


def test_a_change_of_a_transaction_newer_than_every_finished_one_is_seen(
    pg_ctx: AppContext,
) -> None:
    """A snapshot leaves out of its in-progress list what began after the newest finished one.

    b takes its transaction id first, a after it; a's change id is below b's last one, and
    when b commits, a is newer than every finished transaction (not listed by the snapshot).
    """
    (elsewhere,) = _done_pages(pg_ctx, 2, 1)
    first, second = _done_pages(pg_ctx, 1, 2)
    before = _progress(pg_ctx)[1].pages_failed
    with pg_ctx.engine.connect() as a, pg_ctx.engine.connect() as b:
        _fail(b, elsewhere)
        _fail(a, first)
        _fail(b, second)
        b.commit()
        assert _progress(pg_ctx)[1].pages_failed == before + 1
        a.commit()
    assert _progress(pg_ctx)[1].pages_failed == before + 2


def test_a_late_commit_in_the_batch_a_duplicate_repeats_is_seen(pg_ctx: AppContext) -> None:
    doc_id = repeated_file(pg_ctx)
    (page,) = _done_pages(pg_ctx, 1, 1)
    reader = Scope("thuong")
    before = _progress(pg_ctx, reader)[3].files
    with pg_ctx.engine.connect() as a, pg_ctx.engine.connect() as b:
        a.execute(update(Document).where(Document.id == doc_id).values(classification="mat"))
        _fail(b, page)
        b.commit()
        assert _progress(pg_ctx, reader)[3].files == before
        a.commit()
    assert _progress(pg_ctx, reader)[3].files == before - 1


def test_a_settled_batch_is_not_recounted_when_another_batch_commits(
    pg_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    (busy_page,) = _done_pages(pg_ctx, 2, 1)
    counted = _counted(monkeypatch)
    with pg_ctx.engine.connect() as a, pg_ctx.engine.connect() as aborted:
        txid = _fail(a, busy_page)
        _fail(aborted, _done_pages(pg_ctx, 1, 1)[0])
        before = _progress(pg_ctx)  # counted while both are in progress
        aborted.rollback()
        a.commit()
    assert counted == [[1, 2, 3]]
    after = _progress(pg_ctx)
    assert counted[1:] == [[2]]  # batch 2 by its revision; 1 and 3 were never touched
    assert after[2].pages_failed == before[2].pages_failed + 1
    assert after[1].pages_failed == before[1].pages_failed
    # Once found finished, a transaction is not asked about again.
    with pg_ctx.session() as s:
        kept = cache._store(s, "progress")
    assert not [k for k, (_rev, busy, _v) in kept.items() if txid in busy]
    _progress(pg_ctx)
    assert counted[2:] == []


def test_without_the_writer_column_progress_is_counted_on_every_call(
    pg_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database downgraded below migration 0024 is never served from what was kept."""
    migrate(pg_ctx, command.downgrade, "0023_duplicate_index")
    cache.clear()
    counted = _counted(monkeypatch)
    _progress(pg_ctx)
    _progress(pg_ctx)
    assert counted == [[1, 2, 3], [1, 2, 3]]
    migrate(pg_ctx, command.upgrade, "heads")
    cache.clear()
    with pg_ctx.engine.connect() as c:
        txid = _fail(c, _done_pages(pg_ctx, 1, 1)[0])
        c.commit()
        assert c.scalar(text("SELECT max(txid) FROM batch_change")) == txid
    _progress(pg_ctx)
    _progress(pg_ctx)
    assert counted[2:] == [[1, 2, 3]]


def test_ids_from_the_lock_table_are_widened_across_a_wraparound() -> None:
    epoch = 2**32
    # xmax just past a wraparound; one id running from before it, one begun after xmax.
    running = cache._running(f"{epoch + 1}:{epoch + 5}:{epoch + 3}", f"{2**32 - 6},7")
    assert running == {epoch + 3, epoch - 6, epoch + 7}
