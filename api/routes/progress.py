"""Progress for the dashboard: summary, collections (the plan), batches, daily series, reports."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import AfterValidator, BaseModel, Field
from sqlalchemy import select

from accounts.scope import visible_batch, visible_batches
from api.auth import Principal, require
from api.deps import CurrentUser, SessionDep
from api.schemas import Open
from api.schemas_progress import (
    BatchCollectionOut,
    CollectionOut,
    CollectionProgress,
    ProgressSummary,
)
from api.security import PlainName
from core.db import Batch
from core.db_plan import Collection
from core.errors import InputError, NotFoundError
from progress import forecast as fc
from progress.counts import batch_progress, collection_key, today_vn
from progress.plan import assign_batch, find_collection, upsert_collection
from progress.reports.apart import render_for_server
from progress.reports.model import CollectionRow, Report, build_report
from progress.reports.output import FORMATS, file_name
from progress.reports.tables import daily

router = APIRouter(prefix="/progress", tags=["progress"])
_FIRST, _LAST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)


def _sane_date(value: dt.date | None) -> dt.date | None:
    # Dates near year 1 or 9999 overflow the period and chart arithmetic (found by fuzzing).
    if value is not None and not _FIRST <= value <= _LAST:
        raise ValueError("ngày phải trong khoảng 1900-01-01 đến 2200-12-31")
    return value


SaneDate = Annotated[dt.date | None, AfterValidator(_sane_date)]
# Editing the plan is for administrators (the "users" permission is admin-only).
PlanAdmin = Annotated[Principal, Depends(require("users"))]


class CollectionIn(BaseModel):
    """A collection of the plan; omitted values stay as they are."""

    name: PlainName | None = Field(None, max_length=200)
    estimated_pages: int | None = Field(None, ge=0, le=10**9)
    owner_department: PlainName | None = Field(None, max_length=200)
    deadline: SaneDate = None
    note: str | None = Field(None, max_length=5000)


class AssignIn(BaseModel):
    """The collection a batch belongs to."""

    collection: PlainName = Field(max_length=200)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    return obj


def _forecast(f: fc.Forecast) -> dict[str, Any]:
    d = dataclasses.asdict(f)
    d.update(share_done=f.share_done, status_vi=f.status_vi)
    return _jsonable(d)


def _row(r: CollectionRow) -> dict[str, Any]:
    b = r.backlog
    return {
        "name": r.name,
        "owner_department": r.owner,
        "planned_pages": r.planned,
        "ocr": _forecast(r.ocr),
        "digitized": _forecast(r.digitized),
        "period_ocr_pages": r.period_ocr,
        "period_reviewed_pages": r.period_reviewed,
        "review_backlog": {**dataclasses.asdict(b), "growing": b.growing},
    }


def report_for(
    s: SessionDep, who: Principal, date: dt.date | None, period: str = "month"
) -> Report:
    """Return the report of the caller's collections/departments only (numbers, no text)."""
    return build_report(s, period, date or today_vn(), scope=who.scope)


@router.get("/summary", response_model=ProgressSummary)
def summary(
    s: SessionDep,
    who: CurrentUser,
    date: SaneDate = None,
    period: Literal["week", "month"] = "month",
) -> dict[str, Any]:
    """Return the whole plan: products, forecast, indicators, risks and the stated rule."""
    rep = report_for(s, who, date, period)
    return {
        "as_of": rep.period.end.isoformat(),
        "period": {
            "kind": rep.period.kind,
            "label": rep.period.label_vi,
            "start": rep.period.start.isoformat(),
            "end": rep.period.end.isoformat(),
        },
        "products": [{"label": a, "period": b, "cumulative": c} for a, b, c in rep.products],
        "overall": _row(rep.overall),
        "indicators": [
            {"label": a, "value": b, "kind": k, "note": c} for a, b, k, c in rep.indicators
        ],
        "risks": rep.risks,
        "rule": rep.rule,
    }


@router.get("/collections", response_model=list[CollectionProgress])
def list_collections(
    s: SessionDep, who: CurrentUser, date: SaneDate = None
) -> list[dict[str, Any]]:
    """Return every collection against its plan, then batches outside the plan."""
    rep = report_for(s, who, date)
    return [{**_row(r), "planned": True} for r in rep.rows] + [
        {**_row(r), "planned": False} for r in rep.unplanned
    ]


@router.get("/collections/{name}", response_model=CollectionProgress)
def get_collection(
    name: str, s: SessionDep, who: CurrentUser, date: SaneDate = None
) -> dict[str, Any]:
    """Return one collection with its batches (404 outside the caller's collections)."""
    rep = report_for(s, who, date)
    key = collection_key(name)
    for r in [*rep.rows, *rep.unplanned]:
        if collection_key(r.name) == key:
            return {**_row(r), "batches": [b.to_dict() for b in rep.batches if b.collection == key]}
    raise _no_collection(name)


def _no_collection(name: str) -> NotFoundError:
    return NotFoundError(
        f"no collection named {name!r}",
        code="collection_not_found",
        message_vi=f"Không có bộ sưu tập nào tên '{name}'.",
    )


@router.post("/collections", response_model=CollectionOut)
def add_collection(body: CollectionIn, s: SessionDep, _who: PlanAdmin) -> dict[str, Any]:
    """Add a collection to the plan (or update the one with that name)."""
    if not body.name:
        raise InputError(
            "name required", code="bad_argument", message_vi="Cần nhập tên bộ sưu tập."
        )
    c = upsert_collection(
        s,
        body.name,
        pages=body.estimated_pages,
        owner=body.owner_department,
        deadline=body.deadline,
        note=body.note,
    )
    return {
        "name": c.name,
        "estimated_pages": c.estimated_pages,
        "owner_department": c.owner_department,
        "deadline": c.deadline.isoformat(),
    }


@router.put("/collections/{name}", response_model=CollectionOut)
def update_collection(
    name: str, body: CollectionIn, s: SessionDep, _who: PlanAdmin
) -> dict[str, Any]:
    """Change a collection of the plan (pages, owner, deadline, note, or its name)."""
    c = upsert_collection(
        s,
        name,
        pages=body.estimated_pages,
        owner=body.owner_department,
        deadline=body.deadline,
        note=body.note,
        create=False,
    )
    if body.name and collection_key(body.name) != collection_key(c.name):
        if any(
            collection_key(x) == collection_key(body.name)
            for x in s.scalars(select(Collection.name))
        ):
            raise InputError(
                "collection exists",
                code="collection_exists",
                message_vi=f"Đã có bộ sưu tập tên '{body.name}'.",
            )
        old = c.name
        c.name = collection_key(body.name)
        # Batches refer to collections by name: carry them over to the new name.
        for b in s.scalars(select(Batch)):
            if collection_key(b.collection) == collection_key(old):
                b.collection = c.name
    return {
        "name": c.name,
        "estimated_pages": c.estimated_pages,
        "owner_department": c.owner_department,
        "deadline": c.deadline.isoformat(),
    }


@router.put("/batches/{name}/collection", response_model=BatchCollectionOut)
def set_batch_collection(
    name: str, body: AssignIn, s: SessionDep, _who: PlanAdmin
) -> dict[str, Any]:
    """Put a batch into a collection of the plan."""
    b = assign_batch(s, name, body.collection)
    return {"batch": b.name, "collection": b.collection}


@router.get("/batches", response_model=list[Open])
def list_batches(s: SessionDep, who: CurrentUser) -> list[dict[str, Any]]:
    """Return every batch: pages and documents per stage, failures, quality, throughput."""
    ids = visible_batches(s, who.scope)
    batches = batch_progress(s, list(ids) if ids is not None else None, who.scope)
    return [b.to_dict() for b in batches]


@router.get("/batches/{name}", response_model=Open)
def get_batch(name: str, s: SessionDep, who: CurrentUser) -> dict[str, Any]:
    """Return one batch's progress (404 outside the caller's scope)."""
    return batch_progress(s, [visible_batch(s, name, who.scope).id], who.scope)[0].to_dict()


@router.get("/daily", response_model=Open)
def daily_series(
    s: SessionDep,
    who: CurrentUser,
    date: SaneDate = None,
    period: Literal["week", "month"] = "month",
    collection: str | None = None,
) -> dict[str, Any]:
    """Return pages per Vietnamese day (received, OCR, failed, extracted, reviewed, totals)."""
    rep = report_for(s, who, date, period)
    row = None
    if collection is not None:
        find_collection(s, collection)
        row = next(
            (r for r in rep.rows if collection_key(r.name) == collection_key(collection)), None
        )
        if row is None:  # planned, but outside the caller's collections
            raise _no_collection(collection)
    t = daily(rep, row)
    keys = [
        "date",
        "received",
        "ocr_done",
        "failed",
        "extracted",
        "reviewed",
        "ocr_cumulative",
        "reviewed_cumulative",
    ]
    return {
        "collection": collection,
        "timezone": "Asia/Ho_Chi_Minh",
        "days": [_jsonable(dict(zip(keys, r, strict=True))) for r in t.rows],
    }


@router.get("/report")
def download_report(
    s: SessionDep,
    who: CurrentUser,
    period: Literal["week", "month"] = "month",
    date: SaneDate = None,
    format: Literal["xlsx", "pdf", "csv"] = "xlsx",
) -> Response:
    """Return the weekly or monthly report as a file (the caller's collections only).

    The PDF and XLSX are drawn by a child process: the server never loads their writers.
    """
    rep = report_for(s, who, date, period)
    return Response(
        render_for_server(rep, format),
        media_type=FORMATS[format][0],
        headers={"Content-Disposition": f'attachment; filename="{file_name(rep, format)}"'},
    )
