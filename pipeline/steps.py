"""One page through the page stages: the job a worker runs and how its result is saved.

``process_page`` runs in a worker process (pool or Celery) and touches only files under the
page's derived folder; ``save_page_result`` runs wherever the database session is. Both are
idempotent: running a page twice overwrites its own artifacts and nothing else.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from celery.exceptions import SoftTimeLimitExceeded

import ingest
import ocr
from core.db import Page, PageStage, utcnow
from core.errors import SohoaError
from core.models import PageRef
from core.settings import Settings
from core.states import StageStatus
from core.storage import Storage, write_atomic
from core.text import nfc

log = logging.getLogger(__name__)


def worker_id() -> str:
    """Return ``host:pid``, the owner recorded on claimed pages."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True, slots=True)
class PageJob:
    """Everything a worker needs to process one page, by value (no ORM objects)."""

    page_id: int
    ref: PageRef
    out_dir: str


@dataclass
class PageResult:
    """What a worker sends back: measurements and text, or the error."""

    page_id: int
    ok: bool
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
    duration_ms: float = 0.0


def process_page(job: PageJob, settings: Settings) -> PageResult:
    """Render, straighten and recognize one page; write its review image and word boxes.

    Never raises for a bad page: the failure is returned so the batch goes on.
    """
    t0 = time.perf_counter()
    out = Path(job.out_dir)
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
            result = PageResult(
                job.page_id,
                True,
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
        log.warning("page %d failed: %s", job.page_id, e)
        result = PageResult(job.page_id, False, error_code=e.code, error=e.message_vi)
    except Exception as e:  # a bug or library crash must fail this page, not the batch
        log.exception("page %d crashed", job.page_id)
        result = PageResult(
            job.page_id,
            False,
            error_code="internal_error",
            error=f"Lỗi nội bộ khi xử lý trang ({type(e).__name__}: {e}).",
        )
    result.duration_ms = round((time.perf_counter() - t0) * 1000, 1)
    return result


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
        True,
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
        "words": [asdict(x) for x in words],
    }
    write_atomic(out / Storage.PAGE_WORDS, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def save_page_result(page: Page, stage: PageStage, result: PageResult) -> None:
    """Copy a worker's result onto the page and close its stage row."""
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
