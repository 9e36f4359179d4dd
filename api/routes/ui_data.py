"""Numbers behind the dashboard: per-batch stage progress, failures and the plan's burn-up."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import Principal
from core.access import Scope
from core.db import Batch
from core.mission import DEADLINE
from progress import forecast as fc
from progress.burnup import burnup
from progress.counts import today_vn
from progress.reports.model import AUTO_ACCEPTED, build_report
from progress.status import batch_statuses

log = logging.getLogger(__name__)


def _bar(label: str, done: int, total: int) -> dict[str, Any]:
    pct = round(100 * done / total) if total else 0
    return {"label": label, "done": done, "total": total, "pct": min(100, pct)}


def dashboard_data(s: Session, request: Request, who: Principal) -> dict[str, Any]:
    """Return batches (newest first) with per-stage bars, running state and failures.

    Only batches inside the caller's collections/departments are shown.
    """
    batches = [
        b for b in s.scalars(select(Batch).order_by(Batch.id.desc())) if who.scope.allows_batch(b)
    ][:100]
    proc = getattr(request.app.state, "processor", None)
    queued = set(proc.queue) if proc is not None else set()
    out = []
    # Counts and names within the caller's clearance, one set of queries for every batch.
    for b, (st, p) in zip(batches, batch_statuses(s, batches, who.scope), strict=True):
        ocr = st["stages"].get("ocr", {})
        pages = st["pages"]
        files_total = sum(st["files"].values())
        files_ok = files_total - st["files"].get("failed", 0)
        bars = [
            _bar("Tiếp nhận tệp", files_ok, files_total),
            _bar("Nhận dạng (OCR)", ocr.get("done", 0), pages),
        ]
        bars += [
            _bar("Tách tài liệu, trích xuất", p.pages_extracted, pages),
            _bar("Rà soát (tài liệu)", p.documents_reviewed, p.documents),
        ]
        running = ocr.get("pending", 0) + ocr.get("running", 0)
        out.append(
            {
                "name": b.name,
                "collection": b.collection,
                "department": b.department,
                "created_at": b.created_at.isoformat(),
                "created_by": b.created_by,
                "pages": pages,
                "documents": st["documents"],
                "files": st["files"],
                "bars": bars,
                "busy": bool(running) or b.id in queued,
                "failed_pages": st["failed_pages"],
                "failed_files": st["failed_files"],
                "duplicates": st["duplicates"],
            }
        )
    return {
        "batches": out,
        "can_manage": who.can("manage"),
    }


def plan_summary(s: Session, scope: Scope, today: dt.date | None = None) -> dict[str, Any]:
    """Return the plan per collection with forecasts and the burn-up chart.

    One forecast rule (progress.forecast): rates, required pace, projection and status count
    pages digitized (reviewed); OCR progress is shown beside them. Numbers count only the
    batches inside ``scope``.
    """
    today = today or today_vn()
    rep = build_report(s, "month", today, scope=scope)
    rows = [_row(r) for r in [*rep.rows, *rep.unplanned]]
    overall = rep.overall
    parts = [overall] if overall.planned > 0 else rep.unplanned  # no plan: chart everything
    reviewed: dict[dt.date, int] = {}
    ocr: dict[dt.date, int] = {}
    for r in parts:
        for target, name in ((reviewed, "reviewed"), (ocr, "ocr_done")):
            for day, n in (r.series or {}).get(name, {}).items():
                target[day] = target.get(day, 0) + n
    start = min([*reviewed, *ocr], default=today - dt.timedelta(days=30))
    start = min(start, today - dt.timedelta(days=14))
    deadline = overall.digitized.deadline or DEADLINE
    chart = burnup(
        fc.cumulative(reviewed, start, today),
        fc.cumulative(ocr, start, today),
        overall.planned,
        start,
        deadline,
        today,
        overall.digitized.rate_7d,
    )
    auto = next((c for label, _p, c in rep.products if label == AUTO_ACCEPTED), 0)
    return {
        "rows": rows,
        "overall": _row(overall),
        "rule": rep.rule,
        "chart": chart,
        "auto_accepted": auto,
    }


def _row(r: Any) -> dict[str, Any]:
    f = r.digitized
    return {
        "name": r.name,
        "planned": r.planned,
        "done": f.done,
        "ocr_done": r.ocr.done,
        "remaining": f.remaining,
        "share": round(100 * f.share_done) if f.share_done is not None else None,
        "rate_7d": f.rate_7d,
        "required": f.required_rate,
        "projected": f.projected_vi,
        "deadline": f.deadline,
        "status": f.status,
        "status_vi": f.status_vi,
    }
