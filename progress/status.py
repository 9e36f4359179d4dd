"""Per-batch progress: counts per stage and every failure named with its reason."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts.scope import earlier_file
from core.access import Scope
from core.db import Batch, Page, PageStage, SourceFile
from core.states import FileStatus, StageStatus
from progress.counts import batch_progress
from progress.visibility import file_visible, page_visible


def batch_status(s: Session, batch: Batch, scope: Scope | None = None) -> dict[str, Any]:
    """Return a JSON-friendly summary of one batch, with every failure and its reason.

    The counts are :func:`batch_progress`'s: one set of aggregate queries for every screen.
    With a ``scope``, counts and the named files and pages are only those the caller may see
    (``progress.visibility``); None (the operator's CLI) names everything.

    With the caller's ``scope`` (web app), a duplicate's ``duplicate_of`` names the earlier
    file only when the caller may see it (else None); the CLI's operator sees every one.
    """
    bp = batch_progress(s, [batch.id], scope)[0]
    fv, pv = file_visible(scope), page_visible(scope)
    failed_files = [
        {"file": f.original_name, "code": f.error_code, "error": f.error}
        for f in s.scalars(
            select(SourceFile)
            .where(SourceFile.batch_id == batch.id, SourceFile.status == FileStatus.FAILED, fv)
            .order_by(SourceFile.id)
        )
    ]
    duplicates = [
        {
            "file": f.original_name,
            "duplicate_of": f.duplicate_of_id
            if scope is None or f.duplicate_of_id is None
            else (earlier_file(s, scope, f.duplicate_of_id) or {}).get("id"),
        }
        for f in s.scalars(
            select(SourceFile)
            .where(SourceFile.batch_id == batch.id, SourceFile.status == FileStatus.DUPLICATE, fv)
            .order_by(SourceFile.id)
        )
    ]
    skipped = [
        {"file": f.original_name, "code": f.error_code, "reason": f.error}
        for f in s.scalars(
            select(SourceFile)
            .where(SourceFile.batch_id == batch.id, SourceFile.status == FileStatus.SKIPPED, fv)
            .order_by(SourceFile.id)
        )
    ]
    failed_pages = [
        {
            "file": sf_name,
            "page": idx + 1,
            "stage": st.stage,
            "code": st.error_code,
            "error": st.error,
        }
        for st, idx, sf_name in s.execute(
            select(PageStage, Page.page_index, SourceFile.original_name)
            .join(Page, Page.id == PageStage.page_id)
            .join(SourceFile, SourceFile.id == Page.source_file_id)
            .where(Page.batch_id == batch.id, PageStage.status == StageStatus.FAILED, pv, fv)
            .order_by(Page.id)
        ).all()
    ]
    return {
        "batch": batch.name,
        "collection": batch.collection,
        "files": bp.files_by_status,
        "pages": bp.pages_received,
        "stages": bp.stages,
        "documents": bp.documents,
        "failed_files": failed_files,
        "failed_pages": failed_pages,
        "duplicates": duplicates,
        "skipped": skipped,
    }
