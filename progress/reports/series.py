"""Daily series from the database truth: pages per Vietnamese day for each collection.

These are the inputs of the forecast (pipeline/forecast.py), the burn-up chart and the
dashboard's time series.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access import Scope
from core.db import Batch, Document, Page, PageStage, SourceFile
from core.states import DocumentStatus, FileStatus, Stage, StageStatus
from progress import cache
from progress.counts import collection_key, probe_costs
from progress.visibility import (
    batches_hint,
    counting_scope,
    document_visible,
    file_visible,
    page_visible,
    visibility_key,
)

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
    ``scope`` only the pages, documents and files at or below its clearance (counted as for
    None when that is provably everything: ``progress.visibility.counting_scope``).
    """
    scope = counting_scope(s, scope)
    coll = {
        bid: collection_key(name)
        for bid, name in s.execute(sa.select(Batch.id, Batch.collection))
        if batch_ids is None or bid in batch_ids
    }

    def compute(ids: list[int]) -> dict[int, DailySeries]:
        with probe_costs(s):
            return _batch_series(s, ids, scope)

    # Only read below (summed into new maps): the kept series need no copy.
    per = cache.per_batch(s, "series", visibility_key(scope), list(coll), compute, copy=False)
    out: dict[str, DailySeries] = {}
    for bid, series in per.items():
        if not any(series.values()):
            continue  # a collection appears once something of it is counted
        mine = out.setdefault(coll[bid], {m: {} for m in SERIES_METRICS})
        for metric, days in series.items():
            acc = mine[metric]
            for day, n in days.items():
                acc[day] = acc.get(day, 0) + n
    return out


def _batch_series(s: Session, ids: list[int], scope: Scope | None) -> dict[int, DailySeries]:
    """Return the daily counts of each metric per batch (only ``ids``), grouped in SQL."""
    within = batches_hint(s, ids)
    pv, dv, fv = page_visible(scope, within), document_visible(scope), file_visible(scope, within)
    out: dict[int, DailySeries] = {b: {m: {} for m in SERIES_METRICS} for b in ids}
    day_of = _vn_day(s)

    def add(metric: str | Callable[..., Iterable[str]], stmt: Any, *keys: Any) -> None:
        # Counted per (batch, Vietnamese day) in the database: rows in the result grow with
        # batches x days, not with pages. With ``keys`` one query serves several metrics:
        # ``metric(*key values)`` names those a group counts in.
        ts = stmt.selected_columns[1]
        bid_col = stmt.selected_columns[0]
        grouped = (
            stmt.with_only_columns(bid_col, day_of(ts), *keys, sa.func.count())
            .where(ts.is_not(None), bid_col.in_(ids))
            .group_by(bid_col, day_of(ts), *keys)
        )
        for bid, day, *key, n in s.execute(grouped):
            if day is None:
                continue
            d = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
            for name in (metric,) if isinstance(metric, str) else metric(*key):
                acc = out[bid][name]
                acc[d] = acc.get(d, 0) + n

    def staged(stage: str, status: str) -> Iterable[str]:
        if stage == Stage.OCR and status == StageStatus.DONE:
            yield "ocr_done"
        if status == StageStatus.FAILED:
            yield "failed"

    def reviewed(status: str, by_policy: Any) -> Iterable[str]:
        if status == DocumentStatus.REVIEWED:
            yield "reviewed"
            if by_policy:
                yield "auto_accepted"

    paged = sa.select(Page.batch_id).join(Document, Document.id == Page.document_id).where(dv)
    add(
        "received",
        sa.select(Page.batch_id, SourceFile.created_at)
        .join(SourceFile, SourceFile.id == Page.source_file_id)
        .where(pv),
    )
    # One pass over the batch's stage rows for OCR done and failed (a batch in OCR is
    # recomputed on every refresh), and one over its documents' pages for reviewed.
    add(
        staged,
        sa.select(Page.batch_id, PageStage.finished_at)
        .join(PageStage, PageStage.page_id == Page.id)
        .where(
            pv,
            sa.or_(
                sa.and_(PageStage.stage == Stage.OCR, PageStage.status == StageStatus.DONE),
                PageStage.status == StageStatus.FAILED,
            ),
        ),
        PageStage.stage,
        PageStage.status,
    )
    add("extracted", paged.add_columns(Document.created_at))
    add(
        reviewed,
        paged.add_columns(Document.updated_at).where(Document.status == DocumentStatus.REVIEWED),
        Document.status,
        Document.accepted_by_policy,
    )
    docs = sa.select(Document.batch_id, Document.created_at).where(
        Document.status != DocumentStatus.MERGED, dv
    )
    add("documents", docs)
    add("records", docs.where(sa.cast(Document.fields, sa.Text).notin_(("{}", "null"))))
    add(
        "files_failed",
        sa.select(SourceFile.batch_id, SourceFile.created_at).where(
            SourceFile.status == FileStatus.FAILED, fv
        ),
    )
    return out


def _vn_day(s: Session) -> Any:
    """Return a function mapping a UTC timestamp column to its Vietnamese calendar day in SQL.

    Viet Nam keeps UTC+7 all year (no daylight saving), so SQLite's fixed offset is exact.
    """
    if s.get_bind().dialect.name == "postgresql":
        # A literal, not a bound parameter: GROUP BY must repeat the very same expression.
        zone: Any = sa.literal_column("'Asia/Ho_Chi_Minh'")
        return lambda col: sa.func.date(sa.func.timezone(zone, col))
    return lambda col: sa.func.date(col, sa.literal_column("'+7 hours'"))


def merge_series(parts: list[DailySeries]) -> DailySeries:
    """Return the day-by-day sum of several series (e.g. every collection: the overall one)."""
    total: DailySeries = {m: {} for m in SERIES_METRICS}
    for part in parts:
        for metric, days in part.items():
            acc = total.setdefault(metric, {})
            for day, n in days.items():
                acc[day] = acc.get(day, 0) + n
    return total
