"""GET /api/progress/report/preview: the report's tables, formatted, for the reports screen."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import CurrentUser, SessionDep
from api.routes.progress import SaneDate, report_for
from progress.reports import tables

router = APIRouter(prefix="/progress", tags=["progress"])


class PreviewTable(BaseModel):
    """One table of the report, every cell already formatted the Vietnamese way."""

    title: str
    headers: list[str]
    rows: list[list[str]]


class ReportPreview(BaseModel):
    """The report's tables as shown on screen before downloading."""

    title: str
    period: str
    start: str
    end: str
    tables: list[PreviewTable]
    rule: str


@router.get("/report/preview", response_model=ReportPreview)
def preview_report(
    s: SessionDep,
    who: CurrentUser,
    period: Literal["week", "month"] = "month",
    date: SaneDate = None,
) -> ReportPreview:
    """Return the report's tables (formatted) for the screen (the caller's collections only)."""
    rep = report_for(s, who, date, period)
    parts = [tables.products(rep), tables.collections(rep), tables.indicators(rep)]
    parts += [tables.risks(rep), tables.failures(rep), tables.daily(rep)]
    return ReportPreview(
        title=f"Báo cáo tiến độ số hóa {rep.period.label_vi.lower()}",
        period=rep.period.label_vi,
        start=rep.period.start.isoformat(),
        end=rep.period.end.isoformat(),
        tables=[
            PreviewTable(
                title=tb.title,
                headers=tb.headers,
                rows=[
                    [tables.fmt(v, tb.kind(i, j)) for j, v in enumerate(row)]
                    for i, row in enumerate(tb.rows)
                ],
            )
            for tb in parts
        ],
        rule=rep.rule,
    )
