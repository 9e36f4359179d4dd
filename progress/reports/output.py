"""The report in each format: the formats offered, rendering to bytes, the file name."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from core.heap import release_free_memory

if TYPE_CHECKING:
    from progress.reports.model import Report

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


def render(rep: Report, fmt: str) -> bytes:
    """Return the report rendered as ``xlsx``, ``pdf`` or ``csv`` bytes."""
    if fmt == "csv":
        from progress.reports.csv_ import csv_bytes

        return csv_bytes(rep)
    buf = io.BytesIO()
    if fmt == "xlsx":
        from progress.reports.xlsx import write_xlsx

        write_xlsx(rep, buf)
    elif fmt == "pdf":
        from progress.reports.pdf import write_pdf

        write_pdf(rep, buf)
    else:
        raise ValueError(f"unknown report format {fmt!r}")
    out = buf.getvalue()
    del buf
    # A report's layout (reportlab's flowables, openpyxl's cells) is freed now, but glibc
    # keeps the heap pages in the renderer's resident memory; a few ms to hand them back.
    release_free_memory()
    return out


def file_name(rep: Report, fmt: str) -> str:
    """Return e.g. ``bao-cao-thang-2026-11.xlsx`` or ``bao-cao-tuan-2026-W48.pdf``."""
    p = rep.period
    tag = (
        f"thang-{p.start:%Y-%m}"
        if p.kind == "month"
        else f"tuan-{p.start.isocalendar().year}-W{p.start.isocalendar().week:02d}"
    )
    return f"bao-cao-{tag}.{FORMATS[fmt][1]}"
