"""Daily series from the database truth: pages per Vietnamese day for each collection.

These are the inputs of the forecast (pipeline/forecast.py), the burn-up chart and the
dashboard's time series.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access import Scope
from core.db import Batch, Document, Page, PageStage, SourceFile
from core.states import DocumentStatus, FileStatus, StageStatus
from progress.counts import aware, collection_key, local_day
from progress.visibility import document_visible, file_visible, page_visible

# Daily series: metric -> {Vietnamese day: pages (or documents/files)}.
DailySeries = dict[str, dict[dt.date, int]]
SERIES_METRICS = (
    "received",
    "ocr_done",
    "failed",
    "extracted",
    "reviewed",
    "auto_accepted",
    "documents",
    "records",
    "files_failed",
)


def daily_series(
    s: Session, batch_ids: Collection[int] | None = None, scope: Scope | None = None
) -> dict[str, DailySeries]:
    """Return per-collection daily counts of each metric in :data:`SERIES_METRICS`.

    ``received`` dates a page by its file's arrival, ``ocr_done``/``failed`` by the stage's
    finish, ``extracted`` by its document's creation, ``reviewed`` by the reviewed document's
    last update (``auto_accepted``: those accepted by a collection's policy, not a person);
    ``documents``/``records``/``files_failed`` count documents and files.
    Only the batches in ``batch_ids`` count when it is given (a user's scope), and with a
    ``scope`` only the pages, documents and files at or below its clearance.
    """
    pv, dv, fv = page_visible(scope), document_visible(scope), file_visible(scope)
    coll = {
        bid: collection_key(name)
        for bid, name in s.execute(sa.select(Batch.id, Batch.collection))
        if batch_ids is None or bid in batch_ids
    }
    out: dict[str, DailySeries] = {}

    def add(metric: str, stmt: Any) -> None:
        for bid, ts, *keep in s.execute(stmt):
            if ts is None or (keep and not keep[0]) or bid not in coll:
                continue
            per = out.setdefault(coll[bid], {m: {} for m in SERIES_METRICS})[metric]
            day = local_day(aware(ts) or ts)
            per[day] = per.get(day, 0) + 1

    stage = (
        sa.select(Page.batch_id, PageStage.finished_at)
        .join(PageStage, PageStage.page_id == Page.id)
        .where(pv)
    )
    paged = sa.select(Page.batch_id).join(Document, Document.id == Page.document_id).where(dv)
    add(
        "received",
        sa.select(Page.batch_id, SourceFile.created_at)
        .join(SourceFile, SourceFile.id == Page.source_file_id)
        .where(pv),
    )
    add("ocr_done", stage.where(PageStage.stage == "ocr", PageStage.status == StageStatus.DONE))
    add("failed", stage.where(PageStage.status == StageStatus.FAILED))
    add("extracted", paged.add_columns(Document.created_at))
    add(
        "reviewed",
        paged.add_columns(Document.updated_at).where(Document.status == DocumentStatus.REVIEWED),
    )
    add(
        "auto_accepted",
        paged.add_columns(Document.updated_at).where(
            Document.status == DocumentStatus.REVIEWED, Document.accepted_by_policy.is_(True)
        ),
    )
    docs = sa.select(Document.batch_id, Document.created_at).where(
        Document.status != DocumentStatus.MERGED, dv
    )
    add("documents", docs)
    add("records", docs.add_columns(Document.fields))
    add(
        "files_failed",
        sa.select(SourceFile.batch_id, SourceFile.created_at).where(
            SourceFile.status == FileStatus.FAILED, fv
        ),
    )
    return out


def merge_series(parts: list[DailySeries]) -> DailySeries:
    """Return the day-by-day sum of several series (e.g. every collection: the overall one)."""
    total: DailySeries = {m: {} for m in SERIES_METRICS}
    for part in parts:
        for metric, days in part.items():
            acc = total.setdefault(metric, {})
            for day, n in days.items():
                acc[day] = acc.get(day, 0) + n
    return total
