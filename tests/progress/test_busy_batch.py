"""A batch in OCR is recounted on every refresh: what keeps that cheap must keep it right.

Its revision follows the batches its duplicates depend on (read from the partial index of
duplicates), PostgreSQL's probe pricing holds only while counting, and the merged series
queries give what one query per metric gave.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, text, update

from bench.archive import fill
from core.access import Scope
from core.context import AppContext
from core.db import Document, Page, PageStage
from progress.counts import batch_progress, local_day, probe_costs
from progress.reports.series import daily_series
from tests.progress._world import repeated_file

READER = Scope("thuong")


def _files(ctx: AppContext, batch_id: int, scope: Scope) -> int:
    with ctx.session() as s:
        return batch_progress(s, [batch_id], scope)[0].files


def test_a_duplicate_follows_the_file_it_repeats_into_another_batch(ctx: AppContext) -> None:
    fill(ctx, 400, n_batches=4)
    doc_id = repeated_file(ctx)
    before, reviewer = _files(ctx, 3, READER), _files(ctx, 3, Scope("mat"))
    with ctx.engine.begin() as c:  # batch 1 changes: the file repeated now holds a MẬT page
        c.execute(update(Document).where(Document.id == doc_id).values(classification="mat"))
    assert _files(ctx, 3, READER) == before - 1
    assert _files(ctx, 3, Scope("mat")) == reviewer


def test_probe_pricing_lasts_only_while_counting(ctx: AppContext) -> None:
    fill(ctx, 200, n_batches=2)
    postgres = ctx.engine.dialect.name == "postgresql"

    def cost(s: Any) -> str | None:
        return s.scalar(text("SELECT current_setting('random_page_cost')")) if postgres else None

    with ctx.session() as s:
        if postgres:
            s.execute(text("SET LOCAL random_page_cost = 3"))
        with probe_costs(s):
            inside = cost(s)
            batch_progress(s, None, READER)
        assert cost(s) == ("3" if postgres else None)
        daily_series(s, None, READER)
        assert cost(s) == ("3" if postgres else None)
    assert inside == ("1.1" if postgres else None)


def test_ocr_done_and_failed_from_one_pass(ctx: AppContext) -> None:
    fill(ctx, 300, n_batches=3)
    at = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC)  # 2 December in Viet Nam
    with ctx.session() as s:
        pages = s.scalars(select(Page.id).where(Page.batch_id == 3).order_by(Page.id)).all()
        failed = update(PageStage).values(status="failed", finished_at=at)
        s.execute(failed.where(PageStage.page_id.in_(pages[:5])))
        s.execute(
            update(PageStage)
            .where(PageStage.page_id.in_(pages[5:9]))
            .values(status="done", finished_at=at)
        )
        s.add_all(
            [  # another stage: failed counts, done is not OCR done
                PageStage(page_id=pages[10], stage="pdf", status="failed", finished_at=at),
                PageStage(page_id=pages[11], stage="pdf", status="done", finished_at=at),
                PageStage(page_id=pages[12], stage="pdf", status="failed"),  # no finish
            ]
        )
        s.flush()
        (series,) = daily_series(s, [3], None).values()
        rows = s.execute(
            select(PageStage.stage, PageStage.status, PageStage.finished_at).where(
                PageStage.page_id.in_(pages)
            )
        ).all()
    want: dict[str, dict[dt.date, int]] = {"ocr_done": {}, "failed": {}}
    for stage, status, finished in rows:
        if finished is None:
            continue
        day = local_day(finished)
        if stage == "ocr" and status == "done":
            want["ocr_done"][day] = want["ocr_done"].get(day, 0) + 1
        if status == "failed":
            want["failed"][day] = want["failed"].get(day, 0) + 1
    assert series["ocr_done"] == want["ocr_done"] and series["failed"] == want["failed"]
    assert want["failed"][dt.date(2026, 12, 2)] == 6
