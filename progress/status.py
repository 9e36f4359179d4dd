"""Per-batch progress: counts per stage and every failure named with its reason."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db import (
    FILE_DUPLICATE,
    FILE_FAILED,
    Batch,
    Document,
    Page,
    PageStage,
    SourceFile,
)


def batch_status(s: Session, batch: Batch) -> dict[str, Any]:
    """Return a JSON-friendly summary of one batch."""
    files = dict(s.execute(select(SourceFile.status, func.count()).where(
        SourceFile.batch_id == batch.id).group_by(SourceFile.status)).all())
    stages: dict[str, dict[str, int]] = {}
    for stage, status, n in s.execute(
            select(PageStage.stage, PageStage.status, func.count())
            .join(Page, Page.id == PageStage.page_id).where(Page.batch_id == batch.id)
            .group_by(PageStage.stage, PageStage.status)).all():
        stages.setdefault(stage, {})[status] = n
    pages = int(s.scalar(select(func.count(Page.id)).where(Page.batch_id == batch.id)) or 0)
    docs = int(s.scalar(select(func.count(Document.id)).where(Document.batch_id == batch.id))
               or 0)
    failed_files = [
        {"file": f.original_name, "code": f.error_code, "error": f.error}
        for f in s.scalars(select(SourceFile).where(
            SourceFile.batch_id == batch.id, SourceFile.status == FILE_FAILED)
            .order_by(SourceFile.id))]
    duplicates = [
        {"file": f.original_name, "duplicate_of": f.duplicate_of_id}
        for f in s.scalars(select(SourceFile).where(
            SourceFile.batch_id == batch.id, SourceFile.status == FILE_DUPLICATE)
            .order_by(SourceFile.id))]
    failed_pages = [
        {"file": sf_name, "page": idx + 1, "stage": st.stage, "code": st.error_code,
         "error": st.error}
        for st, idx, sf_name in s.execute(
            select(PageStage, Page.page_index, SourceFile.original_name)
            .join(Page, Page.id == PageStage.page_id)
            .join(SourceFile, SourceFile.id == Page.source_file_id)
            .where(Page.batch_id == batch.id, PageStage.status == "failed")
            .order_by(Page.id)).all()]
    return {"batch": batch.name, "collection": batch.collection, "files": files,
            "pages": pages, "stages": stages, "documents": docs,
            "failed_files": failed_files, "failed_pages": failed_pages,
            "duplicates": duplicates}
