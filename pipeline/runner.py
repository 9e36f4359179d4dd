"""The in-process runner: the one place that states the stage order.

    pages:     ocr (render → orientation → deskew → clean → Tesseract)   in a process pool
    documents: assemble (split into documents) → extract fields          once pages settle

Work is taken from the database (``page_stage`` rows), so a killed run resumes where it
stopped and a page finished before the kill is not processed again.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select

import ocr
from core.context import AppContext
from core.db import Document, Page, PageStage, shrink_wal
from core.errors import ConfigError, DependencyError, SohoaError, StorageError
from core.settings import Settings
from core.states import StageStatus
from pipeline.changes import documents_changed
from pipeline.claims import (
    WORKER_LOST_VI,
    batch_lock,
    claim,
    fail_running,
    pending_stage_ids,
    reclaim_abandoned,
    release,
    unsettled_count,
)
from pipeline.documents import assemble_documents
from pipeline.forking import pool_context
from pipeline.pdfs import pdf_job, write_pdf
from pipeline.steps import (
    Outcome,
    PageJob,
    PageResult,
    init_worker,
    load_job,
    process_page,
    settle_result,
    started,
    worker_id,
    worker_of,
)
from pipeline.topsecret import purge_detected

log = logging.getLogger(__name__)
STAGE = "ocr"
_In = TypeVar("_In")
_Out = TypeVar("_Out")


@dataclass
class Progress:
    """Counts reported to the progress callback after every page."""

    done: int = 0
    failed: int = 0
    total: int = 0


ProgressFn = Callable[[Progress], None]


def job_for(ctx: AppContext, stage_id: int) -> PageJob | None:
    """Return the job of one page-stage row (None if it is gone)."""
    with ctx.session() as s:
        loaded = load_job(s, ctx.storage, stage_id)
    return loaded[0] if loaded else None


def save_result(ctx: AppContext, stage_id: int, result: PageResult) -> Outcome:
    """Store a worker's result (or give the page back, as its outcome says)."""
    with ctx.session() as s:
        return settle_result(s, stage_id, result, ctx.settings.pipeline.max_attempts)


def stop_error(result: PageResult) -> SohoaError:
    """Return the error that stops a run, of the class the page's error had (its exit code)."""
    cls = {c.exit_code: c for c in (ConfigError, DependencyError, StorageError)}.get(
        result.exit_code, DependencyError
    )
    return cls(f"run stopped: {result.error_code}", code=result.error_code, message_vi=result.error)


def _worker_lost(ctx: AppContext, lost: dict[int, PageJob], killers: set[int]) -> None:
    """Give back the pages in flight when a pool child died.

    Only the page the dead child was reading (its marker names a pid in ``killers``) is
    charged the attempt, and failed with ``worker_lost`` once tried too often; pages that were
    waiting, or read by the children the pool then stopped, go back as if never started.
    """
    limit = ctx.settings.pipeline.max_attempts
    with ctx.session() as s:
        for stage_id, job in lost.items():
            st = s.get(PageStage, stage_id)
            if st is None or st.status != StageStatus.RUNNING:
                continue
            if worker_of(job.out_dir) in killers:
                if (st.attempts or 0) >= limit:
                    fail_running(s, stage_id, None, "worker_lost", WORKER_LOST_VI)
                    continue
            else:
                st.attempts = max(0, (st.attempts or 1) - 1)
            st.status, st.owner, st.lease_until = StageStatus.PENDING, None, None


class Pool:
    """The runner's process pool, replaced when one of its children dies."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        # No max_tasks_per_child: up to Python 3.13, a child that leaves at its limit while
        # tasks are queued is never replaced and the pool waits forever (CPython gh-115634).
        # A batch of 226 pages (their reads, then 117 documents and their PDFs: more than 200
        # tasks a child on two) hung so; Celery's workers recycle with their own pool.
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=pool_context(),
            initializer=init_worker,
            # The environment as it is now, as a spawned child would see it: a fork server's
            # children start from the server's, taken when it was started.
            initargs=(os.getpid(), dict(os.environ)),
        )

    def renew(self) -> set[int]:
        """Replace a broken pool; return the pids of children that died on their own."""
        children = dict(getattr(self.pool, "_processes", None) or {})
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new()
        # The pool stops the survivors with SIGTERM; the culprit died some other way.
        return {
            pid
            for pid, proc in children.items()
            if proc.exitcode is not None and proc.exitcode != -signal.SIGTERM
        }

    def close(self) -> None:
        """Stop the processes once the work given to them is done."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def open_pool(workers: int) -> Pool:
    """Return a pool whose processes are starting now, for ``run_batch``; close it after.

    A process takes a second or more to start and import the OCR code: started before the
    caller registers the files, the first pages find them ready.
    """
    pool = Pool(workers)
    for _ in range(workers):
        pool.pool.submit(started)
    return pool


def run_pages(
    ctx: AppContext,
    batch_id: int | None,
    on_progress: ProgressFn | None = None,
    workers: int | None = None,
    pool: Pool | None = None,
) -> Progress:
    """Process every pending page (of one batch, or all) across a pool of processes.

    A page that fails, fails alone; a time-out is tried again (``pipeline.max_attempts``);
    a pool child that dies costs only the pages it held (given back, or failed with
    ``worker_lost`` once tried too often); a missing engine stops the run; a run that stops
    early for any other reason (a full disk, Ctrl-C, a lost database) gives its claimed,
    unsaved pages back.

    ``pool``: the caller's pool of ``workers`` processes, left open (``run_batch`` goes on to
    assemble the documents with it); without one, a pool is made and closed here.

    Raises:
        DependencyError, ConfigError: the OCR engine cannot run (checked before any page,
            and again if it disappears mid-run); the pages are left pending.
    """
    settings: Settings = ctx.settings
    workers = pool.workers if pool is not None else workers or settings.worker_count
    owner = worker_id()
    with ctx.session() as s:
        reclaim_abandoned(s, STAGE, settings.pipeline.max_attempts)
    progress = Progress(total=_pending_count(ctx, batch_id))
    if not progress.total:
        return progress
    ocr.load_engine(settings.ocr).check()
    window = workers * 3  # bounded in-flight work: memory does not grow with batch size
    in_flight: dict[Future[PageResult], int] = {}
    jobs: dict[int, PageJob] = {}
    stop: PageResult | None = None
    own_pool = pool is None
    with _giving_back(ctx, owner) as held:
        pool = Pool(workers) if pool is None else pool
        try:
            exhausted = False
            while True:
                if stop is None and not exhausted and len(in_flight) < window:
                    with ctx.session() as s:
                        ids = pending_stage_ids(s, STAGE, batch_id, window - len(in_flight))
                        claimed = [i for i in ids if claim(s, i, owner, settings.pipeline.lease_s)]
                    held.update(claimed)
                    exhausted = not ids
                    for stage_id in claimed:
                        job = job_for(ctx, stage_id)
                        if job is not None:
                            in_flight[pool.pool.submit(process_page, job, settings)] = stage_id
                            jobs[stage_id] = job
                if not in_flight:
                    break
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for fut in finished:
                    stage_id = in_flight.pop(fut)
                    try:
                        result = fut.result()
                    except BrokenProcessPool:
                        # One child died (killed, out of memory): every page in flight lost
                        # its worker. Give them back and carry on with a fresh pool.
                        lost = {i: jobs.pop(i) for i in [stage_id, *in_flight.values()]}
                        in_flight.clear()
                        log.warning("a pool worker died; %d pages given back", len(lost))
                        _worker_lost(ctx, lost, pool.renew())
                        held.difference_update(lost)
                        exhausted = False
                        break
                    jobs.pop(stage_id, None)
                    outcome = save_result(ctx, stage_id, result)
                    held.discard(stage_id)
                    if outcome == Outcome.DONE:
                        progress.done += 1
                    elif outcome == Outcome.FAILED:
                        progress.failed += 1
                    elif outcome == Outcome.RETRY:
                        exhausted = False  # the page is pending again
                    elif stop is None:
                        stop = result
                    if on_progress:
                        on_progress(progress)
        finally:
            if own_pool:
                pool.close()
    if stop is not None:
        raise stop_error(stop)
    return progress


@contextmanager
def _giving_back(ctx: AppContext, owner: str) -> Iterator[set[int]]:
    """Yield the set of claimed, unsaved stage rows; give them back if the run stops early.

    A full disk (``StorageError`` from ``save_page_result``), Ctrl-C or a lost database: no
    page stays "running" behind us until someone notices that its owner is gone.
    """
    held: set[int] = set()
    try:
        yield held
    except BaseException:
        for retry in (True, False):
            try:
                with ctx.session() as s:
                    for stage_id in held:
                        release(s, stage_id, owner)
                break
            except StorageError:
                if retry:  # SQLite on a full disk: empty the WAL to make room for this write
                    shrink_wal(ctx.engine)
            except Exception:  # the database may be what failed; the owner check takes over
                break
        raise


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


def finish_batch(ctx: AppContext, batch_id: int, pool: Pool | None = None) -> int:
    """Assemble documents once no page of the batch is pending or running, then their PDFs.

    A per-batch lock keeps an in-process run and a Celery index worker from assembling the
    same pages twice. Documents whose TUYỆT MẬT mark was found by OCR lose their text in the
    assembling transaction under ``store_only`` (``pipeline.topsecret``) and get no PDF.

    With ``pool``, the documents' extraction (region re-reads included) and their PDFs are
    spread over its processes, document by document; the database work stays here.
    """
    mapper = _Mapper(pool) if pool is not None and pool.workers > 1 else None
    with batch_lock(ctx.engine, ctx.storage.locks, batch_id):
        with ctx.session() as s:
            if unsettled_count(s, batch_id):
                return 0
            engine = ocr.load_engine(ctx.settings.ocr)
            spread = None if mapper is None else (mapper, ctx.settings.ocr)
            doc_ids = assemble_documents(s, batch_id, ctx.storage, engine, spread=spread)
            purged = purge_detected(s, ctx.storage, ctx.settings, doc_ids)
        with ctx.session() as s:
            jobs = []
            for doc_id in doc_ids:
                doc = s.get(Document, doc_id)
                if doc is not None and doc_id not in purged:
                    jobs.append(pdf_job(ctx, doc))
        if mapper is None:
            for job in jobs:
                write_pdf(job)
        else:
            mapper(write_pdf, jobs)
        if doc_ids:
            # Only the new documents: finish_batch runs on every worker loop.
            documents_changed(ctx, doc_ids)
    return len(doc_ids)


class _Mapper:
    """``map`` over a runner pool's processes, results in order; in this process if it broke.

    Items with ``pages`` (documents to extract, PDFs to write) are started longest first.

    A worker that dies while extracting (killed, out of memory) costs a second pass here, not
    the batch's documents.
    """

    def __init__(self, pool: Pool) -> None:
        self.pool = pool

    def __call__(self, fn: Callable[[_In], _Out], items: Iterable[_In]) -> list[_Out]:
        todo = list(items)
        # Longest first (a PDF job's weight, else the most pages), as a scheduler packs jobs:
        # the last to finish is a short one, not a long document one process works through
        # while the others wait.
        order = sorted(range(len(todo)), key=lambda i: -_weight(todo[i]))
        try:
            futures: dict[int, Future[_Out]] = {}
            for i in order:
                futures[i] = self.pool.pool.submit(fn, todo[i])
            try:
                return [futures[i].result() for i in range(len(todo))]
            finally:
                for future in futures.values():
                    future.cancel()  # those not started yet, when one failed
        except BrokenProcessPool:
            log.warning("a pool worker died while assembling documents; finishing here")
            self.pool.renew()
            return [fn(item) for item in todo]


def _weight(item: object) -> int:
    """How long a document's job is expected to take: its ``weight``, else its page count."""
    weight = getattr(item, "weight", None)
    return int(weight) if weight is not None else len(getattr(item, "pages", ()))


def run_batch(
    ctx: AppContext,
    batch_id: int,
    on_progress: ProgressFn | None = None,
    workers: int | None = None,
    pool: Pool | None = None,
) -> Progress:
    """Run every stage of one batch to completion, resuming whatever is left.

    One pool of processes reads the pages, then extracts and writes the documents: the
    caller's (``open_pool``, left open) or one of ``workers`` processes made here.
    """
    own = pool is None
    pool = Pool(workers or ctx.settings.worker_count) if pool is None else pool
    try:
        progress = run_pages(ctx, batch_id, on_progress, pool=pool)
        finish_batch(ctx, batch_id, pool)
    finally:
        if own:
            pool.close()
    return progress
