"""One page through the page stages: the job a worker runs and how its result is saved.

``process_page`` runs in a worker process (pool or Celery) and touches only files under the
page's derived folder; ``save_page_result`` runs wherever the database session is. Both are
idempotent: running a page twice overwrites its own artifacts and nothing else.

Errors keep their meaning across the page boundary (``PageResult.outcome``):

- ``done``; ``failed`` for bad input and stage errors (the page fails alone, with its reason);
- ``retry`` for transient errors (a time-out): whichever executor runs the page tries it
  again, up to ``pipeline.max_attempts``, then fails it with the reason;
- ``stop`` for dependency and configuration errors (the engine or a model is missing): the
  page is given back untouched and the run stops with the error's exit code.

A Celery time limit is never turned into a page result here: it reaches the task, which
records it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import logging
import os
import signal
import socket
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Celery's time limit, as celery.exceptions re-exports it: importing Celery itself would cost
# every pool process a tenth of a second of CPU for nothing.
from billiard.exceptions import SoftTimeLimitExceeded

import ingest
import ocr
from core import faults
from core.errors import ConfigError, DependencyError, SohoaError, StorageError, TransientError
from core.heap import keep_freed_memory
from core.models import OcrPage, PageRef
from core.settings import Settings
from core.states import StageStatus
from core.storage import Storage, write_atomic
from core.text import nfc

if TYPE_CHECKING:  # the database side runs in the parent: pool workers never import it
    import numpy as np
    from PIL import Image
    from sqlalchemy.orm import Session

    from core.db import Page, PageStage

log = logging.getLogger(__name__)
WORKER_MARKER = ".worker-pid"
_PR_SET_PDEATHSIG = 1


def one_thread_each() -> None:
    """Keep this worker process's native libraries to one thread each (and its freed memory).

    The pool's processes are the parallelism (one per core): Tesseract's OpenMP threads and
    OpenCV's thread pool only fight them, and OpenCV's idle threads spin. On dev with two
    workers, page preparation took 60 ms of CPU a page in OpenCV's default threads and 41 ms
    in one; every result is the same.
    """
    import cv2  # here, not at import: the runner's parent never reads a page

    os.environ["OMP_THREAD_LIMIT"] = "1"
    cv2.setNumThreads(1)
    keep_freed_memory()  # beside it: a page's arrays are allocated again for the next page


def init_worker(parent: int, environ: dict[str, str] | None = None) -> None:
    """Set up a process of the runner's pool (its ``initializer``).

    It lives here, with the work a pool process does, so that starting one imports only that
    work: the OCR, extraction and PDF code, not the database, migrations or the runner.

    Args:
        parent: The runner's pid.
        environ: The runner's environment when it made the pool, which this process takes
            (a process forked from the fork server starts with the server's).
    """
    if environ is not None:
        os.environ.clear()
        os.environ.update(environ)
    one_thread_each()
    # Die with the parent: a killed `sohoa ingest` or `worker --once` must not leave its pool
    # children reading pages for minutes (Linux only; elsewhere they exit at the next task).
    # A child of the fork server dies with the server, which leaves when the runner is gone.
    _release_fork_server()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    # A parent that died before prctl took effect sends no signal: a child started while
    # `sohoa serve` was shutting down was left reading a page for an hour.
    if _orphaned(parent):
        os._exit(0)


def _release_fork_server() -> None:
    """Close this process's copy of the fork server's lifeline (forked children only).

    The server leaves once every holder of that pipe's write end has closed it: the runner
    and, as multiprocessing hands it down, every child. A killed runner left the server, and
    so the children dying with it, waiting on the children themselves.
    """
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if server is None or fd is None:
        return
    server._forkserver_alive_fd = None
    with contextlib.suppress(OSError):
        os.close(fd)


def _orphaned(parent: int) -> bool:
    """Whether this process has lost the runner: neither it nor its fork server is the parent."""
    ppid = os.getppid()
    if ppid == parent:
        return False
    try:  # forked by the fork server, the runner's own child: the server's parent must be it
        stat = Path(f"/proc/{ppid}/stat").read_text(encoding="ascii", errors="replace")
        return int(stat.rsplit(")", 1)[1].split()[1]) != parent
    except (OSError, ValueError, IndexError):
        return True


def started() -> None:
    """Nothing: a pool process that runs it has started and imported the stage code."""


def worker_id() -> str:
    """Return ``host:pid``, the owner recorded on claimed pages."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True, slots=True)
class PageJob:
    """Everything a worker needs to process one page, by value (no ORM objects)."""

    page_id: int
    ref: PageRef
    out_dir: str


class Outcome(StrEnum):
    """What became of one attempt at a page."""

    DONE = "done"
    FAILED = "failed"
    RETRY = "retry"
    STOP = "stop"


@dataclass
class PageResult:
    """What a worker sends back: measurements and text, or the error and what it means."""

    page_id: int
    outcome: Outcome = Outcome.DONE
    text: str = ""
    text_source: str = "ocr"
    rotation: int = 0
    skew_deg: float = 0.0
    mean_confidence: float = 0.0
    width: int = 0
    height: int = 0
    flags: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    error_code: str | None = None
    error: str | None = None
    exit_code: int = 0
    duration_ms: float = 0.0

    @property
    def ok(self) -> bool:
        """Return whether the page was read."""
        return self.outcome == Outcome.DONE

    @classmethod
    def of_error(cls, page_id: int, e: SohoaError) -> PageResult:
        """Return the result an error means for its page."""
        if isinstance(e, DependencyError | ConfigError | StorageError):
            # The engine is missing, the settings are wrong, or the data dir is read-only or
            # full: not the page's fault, and every page would fail the same way.
            outcome = Outcome.STOP
        elif isinstance(e, TransientError):
            outcome = Outcome.RETRY
        else:
            outcome = Outcome.FAILED
        return cls(page_id, outcome, error_code=e.code, error=e.message_vi, exit_code=e.exit_code)


def load_job(s: Session, storage: Storage, stage_id: int) -> tuple[PageJob, int] | None:
    """Return the job of one page-stage row and its batch id (None if the row is gone)."""
    from core.db import PageStage

    st = s.get(PageStage, stage_id)
    if st is None:
        return None
    page, sf = st.page, st.page.source_file
    assert sf.sha256 is not None and sf.detected_type is not None
    ref = PageRef(
        path=str(storage.original_path(sf.sha256)),
        detected_type=sf.detected_type,
        page_index=page.page_index,
        text_layer=page.text_source == "text_layer",
    )
    return PageJob(page.id, ref, str(storage.page_dir(page.id))), page.batch_id


def _time_limit(e: BaseException) -> SoftTimeLimitExceeded | None:
    """Return the Celery time limit behind an error a library wrapped, if there is one."""
    seen: set[int] = set()
    cur: BaseException | None = e
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, SoftTimeLimitExceeded):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


def process_page(job: PageJob, settings: Settings) -> PageResult:
    """Render, straighten and recognize one page; write its review image and word boxes.

    Never raises for a page (a Celery time limit excepted): what went wrong is returned with
    what it means (:class:`Outcome`), so the batch goes on or the run stops as it should.
    """
    t0 = time.perf_counter()
    out = Path(job.out_dir)
    # Which process holds the page: if it dies, the runner blames this page and no other.
    marker = out / WORKER_MARKER
    marker.write_text(str(os.getpid()), encoding="ascii")
    try:
        rendered = ingest.render_page(job.ref, settings.ingest)
        if job.ref.text_layer:
            result = _text_layer_page(job, rendered, out, settings)
        else:
            output = ocr.ocr_page(rendered.image, rendered.dpi, settings.ocr)
            p = output.page
            _write_review_files(
                out,
                output.image,
                p.words,
                settings.pipeline.display_max_px,
                p.to_source,
                p.rotation,
            )
            _write_colour_copy(out, rendered.image, p, settings.pipeline.display_max_px)
            result = PageResult(
                job.page_id,
                text=p.text,
                text_source=p.text_source,
                rotation=p.rotation,
                skew_deg=p.skew_deg,
                mean_confidence=p.mean_confidence,
                width=p.width,
                height=p.height,
                flags=[*rendered.notes, *p.flags],
                timings_ms={k: round(v, 1) for k, v in p.timings_ms.items()},
            )
    except SoftTimeLimitExceeded:
        raise  # the Celery task records the time-out as the page's failure
    except SohoaError as e:
        limit = _time_limit(e)
        if limit is not None:
            raise limit from e
        log.warning("page %d: %s (%s)", job.page_id, e, type(e).__name__)
        result = PageResult.of_error(job.page_id, e)
    except Exception as e:  # a bug or library crash must fail this page, not the batch
        limit = _time_limit(e)
        if limit is not None:
            raise limit from e
        log.exception("page %d crashed", job.page_id)
        result = PageResult(
            job.page_id,
            Outcome.FAILED,
            error_code="internal_error",
            error=f"Lỗi nội bộ khi xử lý trang ({type(e).__name__}: {e}).",
        )
    marker.unlink(missing_ok=True)
    result.duration_ms = round((time.perf_counter() - t0) * 1000, 1)
    return result


def worker_of(out_dir: str) -> int | None:
    """Return the pid of the process reading the page whose folder this is, if one is."""
    try:
        return int((Path(out_dir) / WORKER_MARKER).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None


def _text_layer_page(
    job: PageJob, rendered: ingest.RenderedPage, out: Path, settings: Settings
) -> PageResult:
    text = ingest.page_text(Path(job.ref.path), job.ref.page_index).strip()
    gray = ocr.to_gray(rendered.image)
    _write_review_files(
        out, gray, (), settings.pipeline.display_max_px, (1.0, 0.0, 0.0, 0.0, 1.0, 0.0), 0
    )
    h, w = gray.shape[:2]
    return PageResult(
        job.page_id,
        text=nfc(text),
        text_source="text_layer",
        mean_confidence=100.0,
        width=w,
        height=h,
        flags=list(rendered.notes),
    )


def _write_review_files(
    out: Path,
    image: np.ndarray,
    words: Any,
    max_px: int,
    to_source: tuple[float, ...],
    rotation: int,
) -> None:
    import cv2

    h, w = image.shape[:2]
    scale = min(1.0, max_px / max(h, w))
    small = (
        cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        if scale < 1
        else image
    )
    ok, jpg = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 82])
    if ok:
        write_atomic(out / Storage.PAGE_IMAGE, jpg.tobytes())
    payload = {
        "width": w,
        "height": h,
        "display_scale": scale,
        "rotation": rotation,
        "to_source": list(to_source),
        "words": [x.to_dict() for x in words],
    }
    write_atomic(out / Storage.PAGE_WORDS, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def _write_colour_copy(out: Path, image: Image.Image, page: OcrPage, max_px: int) -> None:
    """Keep a colour copy of the review image when the scan has seals or pen in colour.

    Re-readers read a signer's name under a red seal from it (``ocr.drop_colour``); grey
    pages and colour scans of black print get none (the copy would only take space).
    """
    import cv2
    import numpy as np

    colour = out / Storage.PAGE_COLOUR
    colour.unlink(missing_ok=True)  # a page read again must not keep a stale copy
    if image.mode != "RGB":
        return
    try:
        rgb = np.asarray(image)
        if not ocr.has_colour_ink(rgb):
            return
        scale = min(1.0, max_px / max(page.width, page.height))
        straight = ocr.straighten_colour(rgb, page.to_source, page.width, page.height, scale)
        ok, jpg = cv2.imencode(
            ".jpg", cv2.cvtColor(straight, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85]
        )
    except (cv2.error, ValueError, MemoryError) as e:
        # The copy only helps a re-reader: a page read well is not failed for want of it
        # (storage errors on writing it still stop the run, as for the review image).
        log.warning("page colour copy not kept (%s: %s)", type(e).__name__, e)
        return
    if ok:
        write_atomic(colour, jpg.tobytes())


def save_page_result(page: Page, stage: PageStage, result: PageResult) -> None:
    """Copy a worker's result onto the page and close its stage row.

    Raises:
        StorageError: the page's files could not be written (read-only or full disk). The
            page is not at fault, so it is not failed: the caller gives its claim back.
    """
    from core.db import utcnow

    if result.error_code in faults.CODES:
        raise StorageError(result.error or "", code=result.error_code, message_vi=result.error)
    now = utcnow()
    stage.finished_at = now
    stage.duration_ms = result.duration_ms
    stage.owner = None
    stage.lease_until = None
    if result.ok:
        page.text = result.text
        page.text_source = result.text_source
        page.rotation = result.rotation
        page.skew_deg = result.skew_deg
        page.mean_confidence = result.mean_confidence
        page.width, page.height = result.width, result.height
        page.flags = result.flags
        page.timings_ms = result.timings_ms
        stage.status, stage.error_code, stage.error = StageStatus.DONE, None, None
    else:
        stage.status, stage.error_code, stage.error = (
            StageStatus.FAILED,
            result.error_code,
            result.error,
        )


def settle_result(s: Session, stage_id: int, result: PageResult, max_attempts: int) -> Outcome:
    """Save an in-process attempt's result, or give the page back as its outcome says.

    ``retry`` puts the page back to pending until it has been tried ``max_attempts`` times,
    then fails it with the reason; ``stop`` gives it back without counting the attempt.
    Returns what became of the page: done, failed, or retry (pending again); stop stays stop.
    """
    from core.db import Page, PageStage

    st = s.get(PageStage, stage_id)
    page = s.get(Page, result.page_id)
    assert st is not None and page is not None
    if result.outcome == Outcome.RETRY and (st.attempts or 0) >= max_attempts:
        result.outcome = Outcome.FAILED
        result.error = f"{result.error} (đã thử {st.attempts} lần)"
    if result.outcome in (Outcome.RETRY, Outcome.STOP):
        st.status, st.owner, st.lease_until = StageStatus.PENDING, None, None
        if result.outcome == Outcome.STOP:
            st.attempts = max(0, (st.attempts or 1) - 1)
        return result.outcome
    save_page_result(page, st, result)
    return result.outcome
