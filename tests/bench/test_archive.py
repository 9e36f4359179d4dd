"""The archive-scale benchmark at a small size, and the set-based progress it measures.

The counts the dashboard, batch list and reports now take in one set of grouped queries are
checked against a brute-force count of the same rows in Python, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import event, select

from bench.archive import fill, run
from core.access import Scope
from core.context import AppContext
from core.db import Batch, Document, Page, PageStage, SourceFile
from core.levels import may_see
from progress.reports.series import daily_series
from progress.status import batch_status, batch_statuses
from records.export import document_export, iter_records, stream_export
from tests.conftest import TEST_DATABASE


def _visible_pages(s: Any, clearance: str) -> list[tuple[Page, PageStage]]:
    """Return (page, stage) pairs a caller may count, decided row by row in Python."""
    docs = {d.id: d.classification for d in s.scalars(select(Document))}
    batches = {b.id: b.classification for b in s.scalars(select(Batch))}
    rows = s.execute(select(Page, PageStage).join(PageStage, PageStage.page_id == Page.id)).all()
    hidden_files = {
        p.source_file_id
        for p, _st in rows
        if p.document_id and not may_see(clearance, docs[p.document_id])
    }
    out = []
    for p, st in rows:
        if p.document_id:
            ok = may_see(clearance, docs[p.document_id])
        else:
            ok = may_see(clearance, batches[p.batch_id]) and p.source_file_id not in hidden_files
        if ok:
            out.append((p, st))
    return out


@pytest.mark.parametrize("clearance", ["thuong", "tuyet_mat"])
def test_batch_statuses_match_a_row_by_row_count(ctx: AppContext, clearance: str) -> None:
    filled = fill(ctx, 1500, n_batches=12)
    assert filled.pages == 1500 and filled.batches == 12
    scope = Scope(clearance)
    with ctx.session() as s:
        batches = list(s.scalars(select(Batch).order_by(Batch.id)))
        together = batch_statuses(s, batches, scope)
        visible = _visible_pages(s, clearance)
        per_batch = Counter(p.batch_id for p, _st in visible)
        done = Counter(p.batch_id for p, st in visible if st.status == "done")
        failed = Counter(p.batch_id for p, st in visible if st.status == "failed")
        docs = Counter(
            d.batch_id
            for d in s.scalars(select(Document))
            if may_see(clearance, d.classification) and d.status != "merged"
        )
        for b, (st, progress) in zip(batches, together, strict=True):
            assert st == batch_status(s, b, scope)  # one batch alone says the same
            assert st["pages"] == per_batch[b.id]
            assert st["stages"].get("ocr", {}).get("done", 0) == done[b.id]
            assert len(st["failed_pages"]) == failed[b.id]
            assert st["documents"] == docs[b.id] == progress.documents
        if clearance == "thuong":
            assert sum(per_batch.values()) < 1500  # MẬT and above are not counted
        series = daily_series(s, None, scope)
        counted = sum(sum(c["ocr_done"].values()) for c in series.values())
        assert counted == sum(done.values())
        failed_files = sum(len(st["failed_files"]) for st, _p in together)
        assert failed_files == s.query(SourceFile).filter(SourceFile.status == "failed").count()


def test_export_streams_in_chunks_with_few_queries(ctx: AppContext) -> None:
    filled = fill(ctx, 1500, n_batches=12)
    statements: list[str] = []
    event.listen(ctx.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with ctx.session() as s:
        bid = s.scalar(select(Batch.id).where(Batch.name == filled.big_batch))
        assert bid is not None
        records = list(iter_records(s, bid, filled.big_batch, chunk=20))
        queries = len(statements)
        assert not s.identity_map  # plain rows: no ORM object is built or kept
    documents = [r for r in records if r["id"] is not None]
    assert len(documents) == filled.big_batch_documents
    assert [r["id"] for r in documents] == sorted(r["id"] for r in documents)
    assert all(r["pages"] for r in documents)
    with ctx.session() as s:  # the same record as the one-document export builds
        for rec in documents[:: max(1, len(documents) // 10)]:
            doc = s.get(Document, rec["id"])
            assert doc is not None
            assert rec == document_export(doc, filled.big_batch)
    chunks = -(-len(documents) // 20)
    # Per chunk: the documents, their pages, their failures; never a query per document.
    assert queries <= 3 * chunks + 10, statements[:queries]
    with ctx.session() as s:
        text = "".join(stream_export(s, bid, filled.big_batch, "jsonl", every=7))
    assert [json.loads(x) for x in text.splitlines()] == records
    with ctx.session() as s:
        csv_text = "".join(stream_export(s, bid, filled.big_batch, "csv", every=7))
    assert len(csv_text.splitlines()) == len(records) + 1


@pytest.mark.slow
@pytest.mark.services
def test_archive_bench_runs_end_to_end_at_a_small_size() -> None:
    """bench/archive.py itself: fill, reindex, a real server, every call answered, export."""
    res = run(1500, TEST_DATABASE, runs=1)
    bad = [(t.name, t.who, t.status, t.note) for t in res["timings"] if t.status != 200]
    assert not bad
    assert res["reindex"].returncode == 0 and res["reconcile"].returncode == 0
    # Every document of batch 1, then its failed pages as records of their own.
    assert res["export"]["records"] >= res["filled"].big_batch_documents
