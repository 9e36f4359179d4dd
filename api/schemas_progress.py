"""Response models of batches, upload, the dashboard, progress and the plan, and /api/me."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from api.schemas import Open

# --- batches, upload and the dashboard ------------------------------------------------------


class BatchStatusOut(Open):
    """One batch's counts per file state and stage, and every failure with its reason."""

    batch: str
    collection: str | None
    files: dict[str, int]
    pages: int
    stages: dict[str, dict[str, int]]
    documents: int
    failed_files: list[dict[str, Any]]
    failed_pages: list[dict[str, Any]]
    duplicates: list[dict[str, Any]]


class Bar(BaseModel):
    """One progress bar of a batch on the dashboard."""

    label: str
    done: int
    total: int
    pct: int


class DashboardBatch(Open):
    """A batch on the dashboard: bars per stage, running state, failures."""

    name: str
    collection: str | None
    department: str | None
    created_at: str
    created_by: str | None
    pages: int
    documents: int
    files: dict[str, int]
    bars: list[Bar]
    busy: bool
    failed_pages: list[dict[str, Any]]
    failed_files: list[dict[str, Any]]
    duplicates: list[dict[str, Any]]


class DashboardOut(BaseModel):
    """The dashboard's batches (newest first) and whether the caller may retry failures."""

    batches: list[DashboardBatch]
    can_manage: bool


class BatchCreated(BaseModel):
    """A new batch."""

    id: int
    name: str


class FileError(BaseModel):
    """Why a received file (or a ZIP entry) failed."""

    file: str
    code: str
    message: str


class FileStored(BaseModel):
    """What became of one uploaded file."""

    source_file_id: int | None
    file: str
    size: int
    status: str
    pages: int
    files: int
    duplicate_of: int | None
    retried: bool = False  # these bytes failed before and were taken again
    # Vietnamese notice (duplicate, re-sent); names only what may be seen
    message: str | None = None
    errors: list[FileError]


class ProcessingOut(BaseModel):
    """Processing of a batch was started."""

    batch: str
    queued: bool
    mode: str


class RetryOut(BaseModel):
    """Failed pages reset to pending."""

    batch: str
    reset: int


# --- progress and the plan --------------------------------------------------------------------


class CollectionProgress(Open):
    """One collection (or the whole plan): plan, OCR and digitized forecasts, backlog."""

    name: str
    owner_department: str | None
    planned_pages: int
    ocr: dict[str, Any]
    digitized: dict[str, Any]
    period_ocr_pages: int
    period_reviewed_pages: int
    review_backlog: dict[str, Any]


class ProgressSummary(Open):
    """The whole plan as of a day: products, forecast, indicators, risks and the rule."""

    as_of: str
    period: dict[str, Any]
    products: list[dict[str, Any]]
    overall: CollectionProgress
    indicators: list[dict[str, Any]]
    risks: list[str]
    rule: str


class CollectionOut(Open):
    """A collection of the plan as stored."""

    name: str
    estimated_pages: int
    owner_department: str | None
    deadline: str


class BatchCollectionOut(BaseModel):
    """The collection a batch now belongs to."""

    batch: str
    collection: str | None


class MeOut(BaseModel):
    """The caller's account and what its role allows."""

    username: str
    full_name: str | None
    role: str
    clearance: str
    via: str
    can: list[str]
