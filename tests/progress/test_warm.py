"""The server's start-up warming fills the progress cache for every clearance."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import event, select

from api.main import create_app
from bench.archive import fill
from core.access import Scope
from core.context import AppContext
from core.db import Batch
from core.levels import LEVELS
from progress import cache
from progress.status import batch_statuses
from progress.warm import start_warming, warm


def _page_reads(ctx: AppContext, scope: Scope) -> list[str]:
    seen: list[str] = []

    def note(*a: object) -> None:
        seen.append(str(a[2]))

    event.listen(ctx.engine, "before_cursor_execute", note)
    try:
        with ctx.session() as s:
            batch_statuses(s, list(s.scalars(select(Batch))), scope)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", note)
    return [q for q in seen if "page_stage" in q or "FROM page" in q]


def test_after_warming_no_clearance_reads_a_page_row(ctx: AppContext) -> None:
    fill(ctx, 400, n_batches=4)
    cache.clear()
    assert _page_reads(ctx, Scope("mat"))  # cold: the pages are counted
    cache.clear()
    assert warm(ctx) > 0
    for level in LEVELS:
        assert not _page_reads(ctx, Scope(level)), level


def test_health_says_when_progress_is_ready(ctx: AppContext, settings) -> None:
    fill(ctx, 200, n_batches=2)
    cache.clear()
    app = create_app(settings, ctx)
    with TestClient(app) as client:
        assert "progress_ready" not in client.get("/health").json()  # no warming started
        app.state.warmer = start_warming(ctx)
        assert app.state.warmer.done.wait(60)
        body = client.get("/health").json()
    assert body["progress_ready"] is True and app.state.warmer.error is None
    assert not _page_reads(ctx, Scope("tuyet_mat"))
