"""Progress from the database truth: pages and documents per stage, per batch and collection.

Stages as the plan names them, and where each number comes from:

- received: every ``page`` row (failed files that yielded no page are counted as files);
- preprocessed, OCR done: ``page_stage`` ``ocr`` = ``done`` (orientation, deskew and cleaning
  run inside the OCR stage, so a page is preprocessed exactly when its OCR stage is done);
- extracted: pages grouped into a ``document`` (fields are extracted when it is made);
- needs review / reviewed: ``document.status`` other than ``reviewed`` (the review queue's
  rule: ``extracted`` and anything not yet accepted) / ``reviewed``; ``merged`` documents (emptied
  by a reviewer's merge) are not counted, nor are ``store_only`` ones (TUYỆT MẬT whose text
  the policy removed: nothing is left to review) beyond pages and documents extracted;
- failed: pages with any stage ``failed``.

Day boundaries are Vietnamese days (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access import Scope
from core.db import Batch, Document, Page, PageStage, SourceFile, stage_failed
from core.db_plan import Collection
from core.states import (
    LOW_QUALITY_FLAGS,
    NOT_TO_REVIEW,
    DocumentStatus,
    FileStatus,
    Stage,
    StageStatus,
)
from core.text import nfc
from progress import cache
from progress.visibility import (
    batches_hint,
    counting_scope,
    document_visible,
    file_visible,
    page_visible,
    visibility_key,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Review bookkeeping rows in field_correction that are not field corrections.
NOT_FIELDS = ("page_text", "status")
# A page counts as low quality below this mean OCR confidence or with a low-quality flag
# (core.states.LOW_QUALITY_FLAGS: the OCR quality gate, unsure orientation or skew).
LOW_CONFIDENCE = 70.0
UNASSIGNED = "(Chưa gán bộ sưu tập)"
CORRECTION_TABLE = "field_correction"


def local_day(ts: dt.datetime) -> dt.date:
    """Return the Vietnamese calendar day of an (aware or naive-UTC) timestamp."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=dt.UTC)
    return ts.astimezone(TZ).date()


def today_vn() -> dt.date:
    """Return today's date in Viet Nam."""
    return dt.datetime.now(TZ).date()


def collection_key(name: str | None) -> str:
    """Return the name a batch's free-text collection resolves by (NFC, trimmed)."""
    return nfc(name).strip() if name and name.strip() else UNASSIGNED


@dataclass
class BatchProgress:
    """Counts and indicators of one batch, all read from the database."""

    batch_id: int
    batch: str
    collection: str
    uploaded_by: str | None
    created_at: dt.datetime | None
    files: int = 0
    files_failed: int = 0
    pages_received: int = 0
    pages_preprocessed: int = 0
    pages_ocr_done: int = 0
    pages_pending: int = 0
    pages_running: int = 0
    pages_extracted: int = 0
    pages_needs_review: int = 0
    pages_reviewed: int = 0
    pages_failed: int = 0
    documents: int = 0
    documents_needs_review: int = 0
    documents_reviewed: int = 0
    records: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    files_by_status: dict[str, int] = field(default_factory=dict)
    stages: dict[str, dict[str, int]] = field(default_factory=dict)
    mean_confidence: float | None = None
    low_quality_pages: int = 0
    fields_in_reviewed: int = 0
    fields_corrected: int = 0
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None

    @property
    def low_quality_share(self) -> float:
        """Share of OCR-done pages that are low quality."""
        return self.low_quality_pages / self.pages_ocr_done if self.pages_ocr_done else 0.0

    @property
    def correction_rate(self) -> float:
        """Share of fields of reviewed documents that a reviewer corrected."""
        if not self.fields_in_reviewed:
            return 0.0
        return min(1.0, self.fields_corrected / self.fields_in_reviewed)

    @property
    def settled(self) -> bool:
        """True when no page is waiting or being processed."""
        return self.pages_pending == 0 and self.pages_running == 0

    @property
    def pages_per_hour(self) -> float:
        """OCR throughput over the batch's active span (first start to last finish)."""
        if not (self.started_at and self.finished_at and self.pages_ocr_done):
            return 0.0
        hours = (self.finished_at - self.started_at).total_seconds() / 3600
        return self.pages_ocr_done / hours if hours > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict with the derived indicators."""
        d = asdict(self)
        for k in ("created_at", "started_at", "finished_at"):
            d[k] = d[k].isoformat() if d[k] else None
        d.update(
            low_quality_share=self.low_quality_share,
            correction_rate=self.correction_rate,
            settled=self.settled,
            pages_per_hour=self.pages_per_hour,
        )
        return d


def has_corrections_table(s: Session) -> bool:
    """Return True when the review feature's ``field_correction`` table exists."""
    return sa.inspect(s.connection()).has_table(CORRECTION_TABLE)


def batch_progress(
    s: Session, batch_ids: list[int] | None = None, scope: Scope | None = None
) -> list[BatchProgress]:
    """Return the progress of the given batches (all when None), ordered by batch id.

    With a ``scope`` every number counts only the pages, documents and files the caller may
    see (``progress.visibility``, in SQL); None (the operator's CLI) counts everything, and so
    does a clearance that provably sees every level the database can hold (same numbers,
    kept once for both).
    """
    scope = counting_scope(s, scope)
    q = sa.select(Batch).order_by(Batch.id)
    if batch_ids is not None:
        q = q.where(Batch.id.in_(batch_ids))
    batches = {b.id: b for b in s.scalars(q)}
    if not batches:
        return []
    found = cache.per_batch(
        s,
        "progress",
        visibility_key(scope),
        list(batches),
        lambda ids: _compute_progress(s, [batches[i] for i in ids], scope),
    )
    return [found[i] for i in batches]


# What PostgreSQL should think a random page read costs while counting a few batches: the
# archive's pages and stage rows are in memory or on SSD, as for sequential reads.
PROBE_PAGE_COST = "1.1"


@contextmanager
def probe_costs(s: Session) -> Iterator[None]:
    """Count batches with index probes priced as cheap as they are (PostgreSQL; this block).

    A batch's stage rows are found through its pages (page_stage has no batch column). At the
    default random_page_cost (4) PostgreSQL preferred reading all of page_stage to probing it
    4,120 times for the batch in OCR at a million pages: 139 ms instead of 15 for one query.
    Once the clearance checks are skipped (``counting_scope``) nothing else steers it. Set for
    the block only (``set_config(..., true)`` and the previous value back after it), so other
    queries of the request plan as before; many batches at once still read the table whole.
    """
    if s.get_bind().dialect.name != "postgresql":
        yield
        return
    before = s.execute(
        sa.text(
            "SELECT current_setting('random_page_cost'), "
            "set_config('random_page_cost', :cost, true)"
        ),
        {"cost": PROBE_PAGE_COST},
    ).scalar_one()
    yield
    # Not in a finally: after an error the transaction is rolled back, which undoes it.
    s.execute(sa.text("SELECT set_config('random_page_cost', :cost, true)"), {"cost": before})


def _compute_progress(
    s: Session, batches: list[Batch], scope: Scope | None
) -> dict[int, BatchProgress]:
    with probe_costs(s):
        return _count_progress(s, batches, scope)


def _count_progress(
    s: Session, batches: list[Batch], scope: Scope | None
) -> dict[int, BatchProgress]:
    within = batches_hint(s, [b.id for b in batches])
    pv, dv, fv = page_visible(scope, within), document_visible(scope), file_visible(scope, within)
    out = {
        b.id: BatchProgress(b.id, b.name, collection_key(b.collection), b.created_by, b.created_at)
        for b in batches
    }
    ids = list(out)

    def rows(stmt: Any) -> list[Any]:
        return list(s.execute(stmt).all())

    for bid, status, n in rows(
        sa.select(SourceFile.batch_id, SourceFile.status, sa.func.count())
        .where(SourceFile.batch_id.in_(ids), fv)
        .group_by(SourceFile.batch_id, SourceFile.status)
    ):
        out[bid].files += n
        _add(out[bid].files_by_status, str(status), n)
        if status == FileStatus.FAILED:
            out[bid].files_failed += n
    for bid, code, n in rows(
        sa.select(SourceFile.batch_id, SourceFile.error_code, sa.func.count())
        .where(SourceFile.batch_id.in_(ids), SourceFile.status == FileStatus.FAILED, fv)
        .group_by(SourceFile.batch_id, SourceFile.error_code)
    ):
        _add(out[bid].failures, code or "unknown", n)
    for bid, n in rows(
        sa.select(Page.batch_id, sa.func.count())
        .where(Page.batch_id.in_(ids), pv)
        .group_by(Page.batch_id)
    ):
        out[bid].pages_received = n
    # One pass over the batch's stage rows gives the counts per stage and status, the first
    # start and last finish, and the OCR quality (read on the OCR-done group): a batch in
    # OCR is recomputed on every dashboard refresh, and each pass costs ~15k rows per 5k pages.
    ocr_done = sa.and_(PageStage.stage == Stage.OCR, PageStage.status == StageStatus.DONE)
    for bid, stage, status, n, t0, t1, conf_sum, conf_n, low in rows(
        sa.select(
            Page.batch_id,
            PageStage.stage,
            PageStage.status,
            sa.func.count(),
            sa.func.min(PageStage.started_at),
            sa.func.max(PageStage.finished_at),
            sa.func.sum(sa.case((ocr_done, Page.mean_confidence))),
            sa.func.count(sa.case((ocr_done, Page.mean_confidence))),
            sa.func.sum(sa.case((sa.and_(ocr_done, _low_quality()), 1), else_=0)),
        )
        .join(PageStage, PageStage.page_id == Page.id)
        .where(Page.batch_id.in_(ids), pv)
        .group_by(Page.batch_id, PageStage.stage, PageStage.status)
    ):
        bp = out[bid]
        _add(bp.stages.setdefault(str(stage), {}), str(status), n)
        if stage == Stage.OCR and status == StageStatus.DONE:
            bp.pages_ocr_done = bp.pages_preprocessed = n
            bp.low_quality_pages = int(low or 0)
            if conf_n:
                bp.mean_confidence = float(conf_sum) / conf_n
        if status == StageStatus.PENDING:
            bp.pages_pending += n
        elif status == StageStatus.RUNNING:
            bp.pages_running += n
        t0, t1 = aware(t0), aware(t1)
        if t0 is not None and (bp.started_at is None or t0 < bp.started_at):
            bp.started_at = t0
        if t1 is not None and (bp.finished_at is None or t1 > bp.finished_at):
            bp.finished_at = t1
    # Failed stage rows are few: read them once for the failed-page count and the reasons.
    failed_pages: dict[int, set[int]] = {}
    for bid, page_id, code in rows(
        sa.select(Page.batch_id, PageStage.page_id, PageStage.error_code)
        .join(PageStage, PageStage.page_id == Page.id)
        .where(Page.batch_id.in_(ids), stage_failed(), pv)
    ):
        failed_pages.setdefault(bid, set()).add(page_id)
        _add(out[bid].failures, code or "unknown", 1)
    for bid, pages in failed_pages.items():
        out[bid].pages_failed = len(pages)
    for bid, status, n in rows(
        sa.select(Page.batch_id, Document.status, sa.func.count())
        .join(Document, Document.id == Page.document_id)
        .where(Page.batch_id.in_(ids), dv)
        .group_by(Page.batch_id, Document.status)
    ):
        bp = out[bid]
        bp.pages_extracted += n
        if status == DocumentStatus.REVIEWED:
            bp.pages_reviewed += n
        elif status not in NOT_TO_REVIEW:
            bp.pages_needs_review += n
    has_fields = sa.cast(Document.fields, sa.Text).notin_(("{}", "null"))
    for bid, status, n, records, keys in rows(
        sa.select(
            Document.batch_id,
            Document.status,
            sa.func.count(),
            sa.func.sum(sa.case((has_fields, 1), else_=0)),
            sa.func.sum(_key_count(s)),
        )
        .where(Document.batch_id.in_(ids), Document.status != DocumentStatus.MERGED, dv)
        .group_by(Document.batch_id, Document.status)
    ):
        bp = out[bid]
        bp.documents += n
        bp.records += int(records or 0)
        if status == DocumentStatus.REVIEWED:
            bp.documents_reviewed += n
            bp.fields_in_reviewed += int(keys or 0)
        elif status not in NOT_TO_REVIEW:
            bp.documents_needs_review += n
    if has_corrections_table(s):
        _corrections(s, out, ids, dv)
    return out


def _add(d: dict[str, int], key: str, n: int) -> None:
    d[key] = d.get(key, 0) + n


def aware(ts: Any) -> dt.datetime | None:
    """Return a timestamp read from the database as aware UTC (None stays None)."""
    # min()/max() bypass the column type on SQLite and come back as naive UTC (or a string).
    if ts is None:
        return None
    if isinstance(ts, str):
        ts = dt.datetime.fromisoformat(ts)
    return ts.replace(tzinfo=dt.UTC) if ts.tzinfo is None else ts.astimezone(dt.UTC)


def _key_count(s: Session) -> Any:
    """Return, in SQL, how many fields a document's ``fields`` object holds."""
    if s.get_bind().dialect.name == "postgresql":
        keys = (
            sa.select(sa.func.count())
            .select_from(sa.func.json_object_keys(Document.fields).table_valued("key"))
            .scalar_subquery()
        )
        return sa.case((sa.func.json_typeof(Document.fields) == "object", keys), else_=0)
    return (
        sa.select(sa.func.count())
        .select_from(sa.func.json_each(Document.fields).table_valued("key"))
        .scalar_subquery()
    )


def _low_quality() -> Any:
    """Return, in SQL, :func:`core.states.is_low_quality` of a page or its low confidence."""
    flags = sa.cast(Page.flags, sa.Text)
    # A flag is stored bare ("low_quality") or with its detail ("low_confidence:62").
    marked = [
        flags.contains(f'"{name}{end}', autoescape=True)
        for name in sorted(LOW_QUALITY_FLAGS)
        for end in ('"', ":")
    ]
    return sa.or_(Page.mean_confidence < LOW_CONFIDENCE, *marked)


def _corrections(s: Session, out: dict[int, BatchProgress], ids: list[int], dv: Any) -> None:
    fc = sa.table(CORRECTION_TABLE, sa.column("document_id"), sa.column("field"))
    pairs = (
        sa.select(fc.c.document_id, fc.c.field)
        .distinct()
        .where(fc.c.field.notin_(NOT_FIELDS))
        .subquery()
    )
    for bid, n in s.execute(
        sa.select(Document.batch_id, sa.func.count())
        .join(pairs, pairs.c.document_id == Document.id)
        .where(Document.batch_id.in_(ids), Document.status == DocumentStatus.REVIEWED, dv)
        .group_by(Document.batch_id)
    ):
        out[bid].fields_corrected = n


def collections(s: Session) -> dict[str, Collection]:
    """Return the planned collections keyed by their resolved name."""
    return {
        collection_key(c.name): c
        for c in s.scalars(sa.select(Collection).order_by(Collection.name))
    }
