"""The review queue reads the weakest documents first and stops when its page is full."""

from __future__ import annotations

from sqlalchemy import event, select

from bench.archive import fill
from core.access import Scope
from core.context import AppContext
from core.db import Document
from core.levels import may_see
from core.states import NOT_TO_REVIEW
from review.actions import review_queue


def test_first_page_is_the_weakest_visible_documents(ctx: AppContext) -> None:
    fill(ctx, 1500, n_batches=12)
    scope = Scope("mat")
    with ctx.session() as s:
        expected = sorted(
            (min(v for v in d.field_confidence.values()), d.id)
            for d in s.scalars(select(Document))
            if d.status not in NOT_TO_REVIEW and may_see("mat", d.classification) and d.pages
        )[:20]
        seen: list[str] = []
        event.listen(ctx.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
        got = review_queue(s, scope, limit=20)
    assert [(round(i.confidence, 4), i.id) for i in got] == [(round(c, 4), i) for c, i in expected]
    # One slice of 50 documents filled the page of 20, and one query counted their pages;
    # neither aggregates the whole queue.
    assert len(seen) == 2, seen
    assert "GROUP BY" not in seen[0] and "LIMIT" in seen[0]
    assert "GROUP BY page.document_id" in seen[1]
