"""Batches from the browser: create, upload files (streamed, retry-safe), process, retry."""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import AfterValidator, BaseModel, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from accounts.scope import earlier_file, intake_notices, visible_batch
from api.deps import CtxDep, Manager, SessionDep, Uploader
from api.schemas_progress import BatchCreated, FileStored, ProcessingOut, RetryOut
from api.security import PlainName, no_control_chars
from core.db import Batch
from core.errors import InputError, PermissionDenied
from core.faults import storage_faults
from core.levels import LABELS, LEVELS, may_see
from core.text import nfc
from core.validation import batch_name
from pipeline.background import BatchProcessor
from pipeline.claims import retry_failed_pages

# ingest and the intake (pikepdf, pdf2image and Pillow's image stack under them, ~9 MiB) are
# imported in the handlers that receive files: a web process that only lists, searches and
# exports never loads them (issue 18: the export's peak RSS).
log = logging.getLogger(__name__)
router = APIRouter(tags=["upload"])
_CHUNK = 1 << 20
MAX_NAME = 300


def _batch_name(value: str) -> str:
    try:
        return batch_name(value)
    except InputError as e:
        raise ValueError(e.message_vi) from None  # FastAPI answers 422 beside the field


BatchName = Annotated[str, AfterValidator(no_control_chars), AfterValidator(_batch_name)]


class BatchIn(BaseModel):
    """A new batch as archive staff declare it."""

    name: BatchName = Field(min_length=1, max_length=200)
    collection: PlainName | None = Field(None, max_length=200)
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)
    department: PlainName | None = Field(None, max_length=200)
    classification: str = "thuong"
    grouping: Literal["auto", "file", "dossier"] = Field(
        "auto",
        description="auto: mỗi tệp mới là tài liệu mới trừ khi trang cho thấy là trang tiếp; "
        "file: mỗi tệp một tài liệu; dossier: cả lô là một hồ sơ",
    )


def start_processing(request: Request, batch_id: int) -> str:
    """Process in this web process (embedded mode), or leave pending pages to the workers.

    With a broker configured, ``sohoa worker`` processes feed the queue from the pending rows
    themselves; running here too would only compete for the same cores.
    """
    if request.app.state.ctx.settings.broker_url:
        return "workers"
    processor(request).submit(batch_id)
    return "embedded"


def processor(request: Request) -> BatchProcessor:
    """Return the app's processor, creating it on first use."""
    proc: BatchProcessor | None = getattr(request.app.state, "processor", None)
    if proc is None:
        proc = request.app.state.processor = BatchProcessor(request.app.state.ctx)
    return proc


@router.post("/batches", status_code=201, response_model=BatchCreated)
def create_batch(body: BatchIn, s: SessionDep, ctx: CtxDep, who: Uploader) -> dict[str, Any]:
    """Create a batch (collection, name, years, department, declared classification)."""
    from pipeline.intake import get_or_create_batch

    if body.classification not in LEVELS:
        raise InputError(
            "bad classification",
            code="bad_classification",
            message_vi="Độ mật khai báo không hợp lệ.",
        )
    if body.year_from and body.year_to and body.year_from > body.year_to:
        raise InputError(
            "years reversed",
            code="bad_years",
            message_vi="Năm bắt đầu phải nhỏ hơn hoặc bằng năm kết thúc.",
        )
    if not may_see(who.clearance, body.classification):
        # Nobody declares (and so fills) a batch they could not open themselves.
        raise PermissionDenied(
            "batch above the user's clearance",
            code="above_clearance",
            message_vi="Bạn không được tạo lô có độ mật "
            f"{LABELS[body.classification]}, cao hơn mức bạn được xem.",
        )
    if not who.scope.allows_place(body.collection, body.department):
        raise PermissionDenied(
            "batch outside the user's collections",
            code="outside_scope",
            message_vi="Bạn chỉ được tạo lô trong bộ sưu tập và đơn vị mình phụ trách.",
        )
    name = body.name
    if s.scalar(select(Batch.id).where(Batch.name == name)) is not None:
        raise InputError(
            "batch exists",
            code="batch_exists",
            message_vi=f"Đã có lô tên '{name}'. Hãy chọn tên khác.",
        )
    bid = get_or_create_batch(
        ctx,
        name,
        collection=body.collection,
        year_from=body.year_from,
        year_to=body.year_to,
        department=body.department,
        classification=body.classification,
        grouping=body.grouping,
        created_by=who.username,
    )
    return {"id": bid, "name": name}


def _spooled(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            yield chunk


RAW_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.put(
    "/batches/{name}/files", status_code=201, openapi_extra=RAW_BODY, response_model=FileStored
)
async def upload_file(
    name: str, filename: str, request: Request, ctx: CtxDep, who: Uploader
) -> dict[str, Any]:
    """Receive one file as the raw request body (PDF, TIFF, JPEG, PNG or ZIP).

    The body is spooled to a temporary file first: a dropped connection leaves no record at
    all, and a re-sent file is recognised by its SHA-256 as a duplicate when those bytes were
    processed before (bytes that failed before are taken again, ``retried``). ``message``
    says so in Vietnamese, naming the earlier file only if the sender may see it.
    """
    from ingest import safe_display_name
    from pipeline.intake import IntakeReport, register_stream

    limit = ctx.settings.ingest.max_file_mb << 20
    declared = int(request.headers.get("content-length") or 0)
    if declared > limit:
        raise InputError(
            "file too large",
            code="file_too_large",
            message_vi=f"Tệp '{filename}' quá lớn (tối đa "
            f"{ctx.settings.ingest.max_file_mb:,} MB).".replace(",", "."),
        )
    # The shown name only: control and bidi characters go (no spoofed extension, no log lines).
    clean = safe_display_name(nfc(Path(filename.replace("\\", "/")).name))[:MAX_NAME]
    if not clean:
        raise InputError("no file name", code="bad_filename", message_vi="Thiếu tên tệp.")
    with ctx.session() as s:
        batch_id = visible_batch(s, name, who.scope).id
    with storage_faults():  # a read-only or full disk: 507 with its reason, nothing recorded
        fd, tmp_name = tempfile.mkstemp(dir=ctx.storage.tmp, prefix="up-")
    tmp = Path(tmp_name)
    try:
        size = 0
        with storage_faults(), open(fd, "wb") as out:  # noqa: PTH123  (an fd, not a path)
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise InputError(
                        "file too large",
                        code="file_too_large",
                        message_vi=f"Tệp '{clean}' vượt giới hạn "
                        f"{ctx.settings.ingest.max_file_mb} MB.",
                    )
                out.write(chunk)
        report = IntakeReport()
        sf_id = await run_in_threadpool(
            register_stream, ctx, batch_id, clean, _spooled(tmp), report
        )
    except ClientDisconnect as e:
        log.info("upload of %s to batch %s interrupted; nothing recorded", clean, name)
        raise InputError(
            "client disconnected",
            code="upload_interrupted",
            message_vi=f"Mất kết nối khi đang gửi '{clean}'; chưa ghi nhận gì. Hãy gửi lại tệp.",
        ) from e
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    status = "duplicate" if report.duplicates else "failed" if report.failed else "stored"
    with ctx.session() as s:
        # The earlier file is named (and its id given) only if this user may see it.
        earlier = earlier_file(s, who.scope, report.duplicates[0][1]) if report.duplicates else None
        notices = [notice for _name, notice in intake_notices(s, who.scope, report)]
    return {
        "source_file_id": sf_id,
        "file": clean,
        "size": size,
        "status": status,
        "pages": report.pages,
        "files": report.files,
        "duplicate_of": earlier["id"] if earlier else None,
        "retried": bool(report.retried),  # these bytes failed before and were taken again
        "message": " ".join(notices) or None,
        "errors": [{"file": f, "code": c, "message": m} for f, c, m in report.failed],
    }


@router.post("/batches/{name}/process", status_code=202, response_model=ProcessingOut)
def process_batch(name: str, s: SessionDep, request: Request, who: Uploader) -> dict[str, Any]:
    """Start processing the batch's pending pages in the background."""
    b = visible_batch(s, name, who.scope)
    return {"batch": b.name, "queued": True, "mode": start_processing(request, b.id)}


@router.post("/batches/{name}/retry-failed", response_model=RetryOut)
def retry_failed(name: str, ctx: CtxDep, request: Request, who: Manager) -> dict[str, Any]:
    """Reset the batch's failed pages to pending and process them again."""
    with ctx.session() as s:
        b = visible_batch(s, name, who.scope)
        reset = retry_failed_pages(s, b.id)
        batch_id, batch_name = b.id, b.name
    if reset:  # committed above, so the processor sees the pending rows
        start_processing(request, batch_id)
    return {"batch": batch_name, "reset": reset}
