"""Registering incoming files: store the bytes first, then sniff, validate and list pages.

Every file gets a ``source_file`` row whatever happens to it, so nothing a clerk sent is ever
silently dropped: stored, duplicate of a file processed before, expanded (archives), or
failed with a code and a Vietnamese reason. Bytes that failed before are tried again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

import ingest
from core.context import AppContext
from core.db import Batch, Page, PageStage, SourceFile
from core.errors import InputError, NotFoundError
from core.levels import keeps_text
from core.models import ZIP
from core.states import FileStatus, Stage, StageStatus
from ingest import errors as input_errors

log = logging.getLogger(__name__)
_CHUNK = 1 << 20
MAX_ZIP_DEPTH = 2
# A file whose bytes come again is a duplicate only when these bytes were processed: its
# pages registered (ready) or its entries unpacked (expanded). Bytes that failed, or whose
# intake was cut short (still stored), are taken again as a new attempt.
PROCESSED = (FileStatus.READY, FileStatus.EXPANDED)


@dataclass
class IntakeReport:
    """What happened to each file handed in."""

    files: int = 0
    pages: int = 0
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # name, earlier file id
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # Bytes that failed before and are processed again: name, the failed file's id and code.
    retried: list[tuple[str, int, str | None]] = field(default_factory=list)


def get_or_create_batch(ctx: AppContext, name: str, **attrs: object) -> int:
    """Return the id of the batch called ``name``, creating it with ``attrs`` if new."""
    with ctx.session() as s:
        batch = s.scalar(select(Batch).where(Batch.name == name))
        if batch is None:
            batch = Batch(name=name, **{k: v for k, v in attrs.items() if v is not None})
            s.add(batch)
            s.flush()
        return batch.id


def _read_file(path: Path) -> Iterator[bytes]:
    """Yield a file's bytes; a file that vanishes or shrinks meanwhile is an input error."""
    try:
        expected = path.stat().st_size
        got = 0
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                got += len(chunk)
                yield chunk
    except FileNotFoundError as e:
        raise input_errors.file_vanished(path.name) from e
    except OSError as e:
        raise input_errors.file_unreadable(path.name, str(e)) from e
    if got < expected:
        raise input_errors.file_vanished(path.name)


def register_paths(ctx: AppContext, batch_id: int, paths: Iterable[Path]) -> IntakeReport:
    """Store and register every file under ``paths`` (files, folders, ZIP archives)."""
    report = IntakeReport()
    files, skipped = ingest.expand_paths(paths)
    report.skipped = [str(p) for p in skipped]
    for path, display in files:
        register_stream(ctx, batch_id, ingest.safe_display_name(display), _read_file(path), report)
    return report


def register_stream(
    ctx: AppContext,
    batch_id: int,
    name: str,
    chunks: Iterable[bytes],
    report: IntakeReport,
    parent_id: int | None = None,
    depth: int = 0,
) -> int:
    """Store one file's bytes, then register it; returns the ``source_file`` id."""
    report.files += 1
    cfg = ctx.settings.ingest
    try:
        blob = ctx.storage.store_stream(chunks, max_bytes=cfg.max_file_mb << 20)
    except InputError as e:
        # Nothing usable was received (vanished mid-read, or over the size limit).
        return _record_failure(ctx, batch_id, name, parent_id, e, report)
    with ctx.session() as s:
        sf = SourceFile(
            batch_id=batch_id,
            parent_id=parent_id,
            original_name=name,
            order_key=name,
            sha256=blob.sha256,
            size=blob.size,
        )
        s.add(sf)
        earlier = _earlier(s, blob.sha256, PROCESSED) if blob.existed else None
        if earlier is not None:
            sf.status = FileStatus.DUPLICATE
            sf.duplicate_of_id = earlier.id
            sf.detected_type = earlier.detected_type
            s.flush()
            report.duplicates.append((name, earlier.id))
            log.info("file %s is a duplicate of source file %d", name, earlier.id)
            return sf.id
        # Bytes that failed before (or whose intake was cut short) are a new attempt on this
        # new row; the failed row stays as it was, so the earlier failure remains visible.
        failed_before = _earlier(s, blob.sha256, (FileStatus.FAILED,)) if blob.existed else None
        if failed_before is not None:
            report.retried.append((name, failed_before.id, failed_before.error_code))
            log.info(
                "file %s failed before as source file %d; trying again", name, failed_before.id
            )
        s.flush()
        sf_id = sf.id
    try:
        kind = ingest.sniff_file(blob.path)
        if kind == ZIP and depth >= MAX_ZIP_DEPTH:
            raise input_errors.zip_bomb("archives nested too deep")
        if kind == ZIP:
            _expand_zip(ctx, batch_id, sf_id, name, blob.path, report, depth)
            return sf_id
        info = ingest.inspect_source(blob.path, kind, blob.sha256, cfg)
    except InputError as e:
        with ctx.session() as s:
            sf2 = s.get(SourceFile, sf_id)
            assert sf2 is not None
            sf2.status, sf2.error_code, sf2.error = FileStatus.FAILED, e.code, e.message_vi
        report.failed.append((name, e.code, e.message_vi))
        return sf_id
    damaged = {int(w.split(":")[1]) for w in info.warnings if w.startswith("page_damaged:")}
    with ctx.session() as s:
        sf2 = s.get(SourceFile, sf_id)
        assert sf2 is not None
        sf2.detected_type, sf2.page_count, sf2.status = kind, info.page_count, FileStatus.READY
        sf2.warnings = [w for w in info.warnings if not w.startswith("page_damaged:")]
        if sf2.warnings:
            log.warning("file %s: %s", name, ", ".join(sf2.warnings))
        b = s.get(Batch, batch_id)
        store_only = b is not None and not keeps_text(
            b.classification, ctx.settings.security.top_secret_policy
        )
        for i in range(info.page_count):
            page = Page(
                batch_id=batch_id,
                source_file_id=sf_id,
                page_index=i,
                text_source="text_layer" if i in info.text_layer_pages else None,
            )
            s.add(page)
            s.flush()
            for stage in Stage:
                st = PageStage(page_id=page.id, stage=stage, status=StageStatus.PENDING)
                if i in damaged:
                    st.status, st.error_code = StageStatus.FAILED, "pdf_page_damaged"
                    st.error = (
                        f"Trang {i + 1} bị mất nội dung do tệp PDF hỏng/không đầy đủ; "
                        "các trang khác vẫn được xử lý."
                    )
                elif store_only:
                    st.status, st.error_code = StageStatus.SKIPPED, "top_secret_store_only"
                    st.error = (
                        "Tài liệu TUYỆT MẬT: chỉ lưu bản gốc, không nhận dạng chữ và "
                        "không đưa vào tra cứu (chính sách top_secret_policy="
                        "store_only)."
                    )
                s.add(st)
    report.pages += info.page_count
    return sf_id


def _earlier(s: Session, sha256: str, statuses: tuple[str, ...]) -> SourceFile | None:
    """Return the first file with these bytes in one of ``statuses`` (None if there is none)."""
    return s.scalar(
        select(SourceFile)
        .where(SourceFile.sha256 == sha256, SourceFile.status.in_(statuses))
        .order_by(SourceFile.id)
        .limit(1)
    )


def _record_failure(
    ctx: AppContext,
    batch_id: int,
    name: str,
    parent_id: int | None,
    err: InputError,
    report: IntakeReport,
) -> int:
    with ctx.session() as s:
        sf = SourceFile(
            batch_id=batch_id,
            parent_id=parent_id,
            original_name=name,
            order_key=name,
            status=FileStatus.FAILED,
            error_code=err.code,
            error=err.message_vi,
        )
        s.add(sf)
        s.flush()
        report.failed.append((name, err.code, err.message_vi))
        return sf.id


SKIP_REASONS_VI = {
    "hidden": "Tệp ẩn (tên bắt đầu bằng dấu chấm) trong tệp nén: không phải bản quét, bỏ qua.",
    "metadata": "Tệp siêu dữ liệu của hệ điều hành (__MACOSX, ._*) trong tệp nén: bỏ qua.",
}


def _record_skipped(
    ctx: AppContext,
    batch_id: int,
    name: str,
    parent_id: int,
    reason: str,
    report: IntakeReport,
) -> None:
    # Recorded, not dropped: the batch status and the export account for every entry.
    with ctx.session() as s:
        s.add(
            SourceFile(
                batch_id=batch_id,
                parent_id=parent_id,
                original_name=name,
                order_key=name,
                status=FileStatus.SKIPPED,
                error_code=f"skipped_{reason}",
                error=SKIP_REASONS_VI[reason],
            )
        )
    report.skipped.append(name)


def _expand_zip(
    ctx: AppContext,
    batch_id: int,
    sf_id: int,
    name: str,
    path: Path,
    report: IntakeReport,
    depth: int,
) -> None:
    cfg = ctx.settings.ingest
    members = ingest.list_members(path, cfg)  # raises for whole-archive problems
    with ctx.session() as s:
        sf = s.get(SourceFile, sf_id)
        assert sf is not None
        sf.detected_type, sf.status = ZIP, FileStatus.EXPANDED
    for member in members:
        child = f"{name}/{ingest.safe_display_name(member.name)}"
        if member.skipped is not None:
            _record_skipped(ctx, batch_id, child, sf_id, member.skipped, report)
            continue
        if member.error is not None:
            _record_failure(ctx, batch_id, child, sf_id, member.error, report)
            continue
        register_stream(
            ctx,
            batch_id,
            child,
            ingest.read_member(path, member, cfg),
            report,
            parent_id=sf_id,
            depth=depth + 1,
        )


def batch_by_name(s: Session, name: str) -> Batch:
    """Return the batch called ``name``.

    Raises:
        NotFoundError: ``batch_not_found``, with the Vietnamese message the CLI and UI show.
    """
    b = s.scalar(select(Batch).where(Batch.name == name))
    if b is None:
        raise NotFoundError(
            f"no batch named {name!r}",
            code="batch_not_found",
            message_vi=f"Không có lô nào tên '{name}'.",
        )
    return b
