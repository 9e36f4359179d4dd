"""Failed-page lists at scale: read through the failed rows, checked only on those pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bench.archive import fill
from core.access import Scope
from core.context import AppContext
from core.db import Batch, Document, Page, PageStage, stage_failed
from progress import cache
from progress.status import batch_statuses


def test_failed_rows_are_found_without_scanning_every_stage_row(ctx: AppContext) -> None:
    if ctx.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL picks by table statistics")
    fill(ctx, 300, n_batches=3)
    q = (
        select(PageStage.page_id)
        .join(Page, Page.id == PageStage.page_id)
        .where(stage_failed(), Page.batch_id.in_([1, 2]))
    )
    sql = str(q.compile(ctx.engine, compile_kwargs={"literal_binds": True}))
    with ctx.engine.connect() as c:
        plan = " | ".join(str(r[3]) for r in c.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "SCAN page_stage" not in plan and "SCAN page " not in plan + " ", plan


def test_failed_pages_listed_in_page_order_within_clearance(ctx: AppContext) -> None:
    fill(ctx, 400, n_batches=2)
    with ctx.session() as s:
        # Fail two pages of batch 1: one of a file made wholly open, one in a MẬT document of
        # another file (a file holding a MẬT page is MẬT material: none of it is named).
        first = s.scalars(select(Page).where(Page.batch_id == 1).order_by(Page.id)).first()
        assert first is not None
        s.execute(
            update(Document)
            .where(
                Document.id.in_(
                    select(Page.document_id).where(Page.source_file_id == first.source_file_id)
                )
            )
            .values(classification="thuong")
        )
        open_page = first.id
        in_first = select(Page.document_id).where(
            Page.source_file_id == first.source_file_id, Page.document_id.is_not(None)
        )
        other = s.scalars(
            select(Page)
            .where(
                Page.batch_id == 1,
                Page.source_file_id != first.source_file_id,
                Page.document_id.is_not(None),
                Page.document_id.notin_(in_first),  # a document may span two files
            )
            .order_by(Page.id)
            .limit(1)
        ).one()
        secret_page = other.id
        s.execute(
            update(Document).where(Document.id == other.document_id).values(classification="mat")
        )
        s.execute(
            update(PageStage)
            .where(PageStage.page_id.in_([open_page, secret_page]), PageStage.stage == "ocr")
            .values(status="failed", error_code="ocr_failed", error="x")
        )
        s.commit()
    cache.clear()
    with ctx.session() as s:
        batch = s.get(Batch, 1)
        assert batch is not None
        reader = batch_statuses(s, [batch], Scope("thuong"))[0][0]["failed_pages"]
        admin = batch_statuses(s, [batch], Scope("tuyet_mat"))[0][0]["failed_pages"]
        index = {p.id: p.page_index + 1 for p in s.scalars(select(Page).where(Page.batch_id == 1))}
    codes = {(f["page"], f["code"]) for f in reader}
    assert (index[open_page], "ocr_failed") in codes
    assert (index[secret_page], "ocr_failed") not in codes  # a MẬT page is not named
    assert {(index[secret_page], "ocr_failed"), (index[open_page], "ocr_failed")} <= {
        (f["page"], f["code"]) for f in admin
    }
    pages = [f["page"] for f in admin]
    assert len(admin) >= len(reader) and len(pages) == len(admin)
