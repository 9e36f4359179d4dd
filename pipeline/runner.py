"""The in-process runner: the one place that states the stage order.

    pages:     ocr (render → orientation → deskew → clean → Tesseract)   in a process pool
    documents: assemble (split into documents) → extract fields          once pages settle

Work is taken from the database (``page_stage`` rows), so a killed run resumes where it
stopped and a page finished before the kill is not processed again.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass

from sqlalchemy import select

import ocr
from core.context import AppContext
from core.db import Document, Page, PageStage
from core.models import PageRef
from core.settings import Settings
from core.states import StageStatus
from pipeline.changes import documents_changed
from pipeline.claims import (
    batch_lock,
    claim,
    pending_stage_ids,
    reclaim_abandoned,
    unsettled_count,
)
from pipeline.documents import assemble_documents
from pipeline.pdfs import build_document_pdf
from pipeline.steps import PageJob, PageResult, process_page, save_page_result, worker_id
from pipeline.topsecret import purge_detected

log = logging.getLogger(__name__)
STAGE = "ocr"


@dataclass
class Progress:
    """Counts reported to the progress callback after every page."""

    done: int = 0
    failed: int = 0
    total: int = 0


ProgressFn = Callable[[Progress], None]


def _init_worker() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def job_for(ctx: AppContext, stage_id: int) -> PageJob | None:
    """Return the job of one page-stage row (None if it is gone)."""
    with ctx.session() as s:
        st = s.get(PageStage, stage_id)
        if st is None:
            return None
        page = st.page
        sf = page.source_file
        assert sf.sha256 is not None and sf.detected_type is not None
        ref = PageRef(
            path=str(ctx.storage.original_path(sf.sha256)),
            detected_type=sf.detected_type,
            page_index=page.page_index,
            text_layer=page.text_source == "text_layer",
        )
        return PageJob(page.id, ref, str(ctx.storage.page_dir(page.id)))


def save_result(ctx: AppContext, stage_id: int, result: PageResult) -> None:
    """Store a worker's result on its page and stage rows."""
    with ctx.session() as s:
        st = s.get(PageStage, stage_id)
        page = s.get(Page, result.page_id)
        assert st is not None and page is not None
        save_page_result(page, st, result)


def run_pages(
    ctx: AppContext,
    batch_id: int | None,
    on_progress: ProgressFn | None = None,
    workers: int | None = None,
) -> Progress:
    """Process every pending page (of one batch, or all) across a pool of processes."""
    settings: Settings = ctx.settings
    workers = workers or settings.worker_count
    owner = worker_id()
    with ctx.session() as s:
        reclaim_abandoned(s, STAGE)
    progress = Progress(total=_pending_count(ctx, batch_id))
    window = workers * 3  # bounded in-flight work: memory does not grow with batch size
    mp = multiprocessing.get_context("spawn")
    in_flight: dict[Future[PageResult], int] = {}
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=mp, initializer=_init_worker, max_tasks_per_child=200
    ) as pool:
        exhausted = False
        while True:
            if not exhausted and len(in_flight) < window:
                with ctx.session() as s:
                    ids = pending_stage_ids(s, STAGE, batch_id, window - len(in_flight))
                    claimed = [i for i in ids if claim(s, i, owner, settings.pipeline.lease_s)]
                exhausted = not ids
                for stage_id in claimed:
                    job = job_for(ctx, stage_id)
                    if job is not None:
                        in_flight[pool.submit(process_page, job, settings)] = stage_id
            if not in_flight:
                break
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for fut in finished:
                stage_id = in_flight.pop(fut)
                result = fut.result()
                save_result(ctx, stage_id, result)
                if result.ok:
                    progress.done += 1
                else:
                    progress.failed += 1
                if on_progress:
                    on_progress(progress)
    return progress


def _pending_count(ctx: AppContext, batch_id: int | None) -> int:
    from sqlalchemy import func

    with ctx.session() as s:
        q = (
            select(func.count(PageStage.id))
            .join(Page, Page.id == PageStage.page_id)
            .where(PageStage.stage == STAGE, PageStage.status == StageStatus.PENDING)
        )
        if batch_id is not None:
            q = q.where(Page.batch_id == batch_id)
        return int(s.scalar(q) or 0)


def finish_batch(ctx: AppContext, batch_id: int) -> int:
    """Assemble documents once no page of the batch is pending or running, then their PDFs.

    A per-batch lock keeps an in-process run and a Celery index worker from assembling the
    same pages twice. Documents whose TUYỆT MẬT mark was found by OCR lose their text in the
    assembling transaction under ``store_only`` (``pipeline.topsecret``) and get no PDF.
    """
    with batch_lock(ctx.engine, ctx.storage.locks, batch_id):
        with ctx.session() as s:
            if unsettled_count(s, batch_id):
                return 0
            engine = ocr.load_engine(ctx.settings.ocr)
            doc_ids = assemble_documents(s, batch_id, ctx.storage, engine)
            purged = purge_detected(s, ctx.storage, ctx.settings, doc_ids)
        with ctx.session() as s:
            for doc_id in doc_ids:
                doc = s.get(Document, doc_id)
                if doc is not None and doc_id not in purged:
                    build_document_pdf(ctx, doc)
        if doc_ids:
            # Only the new documents: finish_batch runs on every worker loop.
            documents_changed(ctx, doc_ids)
    return len(doc_ids)


def run_batch(
    ctx: AppContext,
    batch_id: int,
    on_progress: ProgressFn | None = None,
    workers: int | None = None,
) -> Progress:
    """Run every stage of one batch to completion, resuming whatever is left."""
    progress = run_pages(ctx, batch_id, on_progress, workers)
    finish_batch(ctx, batch_id)
    return progress
