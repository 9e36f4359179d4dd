"""Documents assembled on the runner's pool: the fields and PDFs of a run in one process."""

from __future__ import annotations

import multiprocessing
import os

from sqlalchemy import select

from core.context import AppContext, open_context
from core.db import Document
from core.settings import Settings
from pipeline.intake import get_or_create_batch, register_paths
from pipeline.runner import Pool, _Mapper, run_batch
from tests.conftest import image_pdf, text_page
from tests.pipeline import pool_probe

ENGINE = "tests.ocr.fake_engines:fake_signed"


def _run(tmp_path, name: str, workers: int) -> tuple[AppContext, list[tuple]]:
    settings = Settings(data_dir=tmp_path / name / "data", database_url=None)
    settings.ocr.engine = ENGINE
    ctx = open_context(settings)
    src = tmp_path / "in"
    if not src.exists():
        src.mkdir()
        for n in range(4):  # one document a file
            pages = [text_page([f"Trang {i + 1}", "Kế hoạch công tác"]) for i in range(1 + n % 2)]
            (src / f"quyen_{n}.pdf").write_bytes(image_pdf(pages))
    batch = get_or_create_batch(ctx, "lo")
    register_paths(ctx, batch, [src])
    run_batch(ctx, batch, workers=workers)
    with ctx.session() as s:
        docs = list(s.scalars(select(Document).order_by(Document.seq)))
        return ctx, [
            (d.seq, d.kind, d.fields, d.field_confidence, d.provenance, d.status, len(d.pages))
            for d in docs
        ]


def test_documents_extracted_on_the_pool_are_those_extracted_in_one_process(tmp_path):
    alone, serial = _run(tmp_path, "alone", workers=1)
    pooled, spread = _run(tmp_path, "pool", workers=2)
    assert len(serial) > 1 and spread == serial
    assert all(f[2].get("number") for f in spread)  # the fields were really found
    for ctx in (alone, pooled):
        with ctx.session() as s:
            ids = s.scalars(select(Document.id)).all()
        assert all(ctx.storage.document_pdf(i).stat().st_size > 0 for i in ids)


def _twice_in_parent(x: int) -> int:
    if multiprocessing.parent_process() is not None:
        os._exit(1)  # a pool worker dies, as one killed for memory
    return 2 * x


def test_a_pool_worker_dying_while_documents_are_made_costs_a_pass_here_not_the_batch():
    pool = Pool(2)
    try:
        assert _Mapper(pool)(_twice_in_parent, [1, 2, 3]) == [2, 4, 6]
    finally:
        pool.close()


def test_documents_are_started_longest_first_and_come_back_in_order():
    jobs = [pool_probe.Pages(name, (0,) * n) for name, n in (("a", 1), ("b", 3), ("c", 2))]
    pool = Pool(1)  # one process: it starts them in the order they were handed over
    try:
        results = _Mapper(pool)(pool_probe.started_at, jobs)
    finally:
        pool.close()
    assert [name for name, _ in results] == ["a", "b", "c"]
    started = sorted(results, key=lambda r: r[1])
    assert [name for name, _ in started] == ["b", "c", "a"]


def test_a_weight_says_which_document_is_longer_than_its_pages():
    # A born-digital page's PDF renders it again: it outweighs a scan of several pages.
    jobs = [pool_probe.Pages("scans", (0, 0, 0), 3), pool_probe.Pages("rendered", (0,), 10)]
    pool = Pool(1)
    try:
        results = _Mapper(pool)(pool_probe.started_at, jobs)
    finally:
        pool.close()
    assert [name for name, _ in sorted(results, key=lambda r: r[1])] == ["rendered", "scans"]


def test_a_pdf_job_weighs_a_rendered_page_as_ten_scans(tmp_path):
    from core.settings import IngestSettings
    from core.storage import Storage
    from pipeline.pdfs import PdfJob, PdfPage

    def job(*text_layer: bool) -> PdfJob:
        pages = tuple(PdfPage(i, "0" * 64, "pdf", i, t) for i, t in enumerate(text_layer))
        return PdfJob(1, pages, "", False, Storage(tmp_path), IngestSettings())

    assert job(False, False, False).weight == 3
    assert job(True).weight == 10
    assert job(True, False).weight == 11
