"""XLSX writer: real values with number formats, formatted tables, the burn-up chart image."""

from __future__ import annotations

import datetime as dt
import io
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.drawing.image import Image as XlImage
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from progress.counts import TZ
from progress.reports import tables as tb
from progress.reports import text as tx
from progress.reports.chart import burnup_png
from progress.reports.clean import clean_value
from progress.reports.model import Report

NUMBER_FORMATS = {
    "int": "#,##0",
    "float": "#,##0.0",
    "pct": "0.0%",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
}
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
FONT = "Times New Roman"


def _cell_value(value: Any, kind: str) -> Any:
    # Excel has no time zones: write Viet Nam wall-clock time, naive.
    if kind == "datetime" and isinstance(value, dt.datetime):
        return value.astimezone(TZ).replace(tzinfo=None)
    return value


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write one cell: control characters cleaned (openpyxl refuses them), text kept text.

    openpyxl stores a string starting with ``=`` as a formula; a batch named ``=HYPERLINK(…)``
    must stay a name, so text cells are forced to the string type.
    """
    value = clean_value(value)
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _title(ws: Worksheet, row: int, text: str, size: int = 12) -> int:
    _put(ws, row, 1, text).font = Font(name=FONT, bold=True, size=size)
    return row + 1


# Styling a cell through openpyxl's descriptors hashes the Font/Border/Alignment each time
# (~0.3 s for a report of 200 batches); cells of one kind share one style array instead,
# made once per workbook from the first cell of that kind.
HEAD_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
BODY_FONT = Font(name=FONT)
HEAD_FONT = Font(name=FONT, bold=True)


def _style_like(cell: Cell, key: str, protos: dict[str, Any]) -> bool:
    """Give ``cell`` the style of ``key`` when one was made; say whether it was."""
    if key in protos:
        cell._style = copy(protos[key])
        return True
    return False


def _table(ws: Worksheet, row: int, t: tb.Table, title: bool = True) -> int:
    """Write ``t`` from ``row``; returns the next free row (one blank row after)."""
    if title:
        row = _title(ws, row, t.title)
    protos: dict[str, Any] = {}
    for c, h in enumerate(t.headers, start=1):
        cell = _put(ws, row, c, h)
        if not _style_like(cell, "head", protos):
            cell.font = HEAD_FONT
            cell.fill = HEAD_FILL
            cell.border = BORDER
            cell.alignment = HEAD_ALIGN
            protos["head"] = copy(cell._style)
    for i, values in enumerate(t.rows):
        row += 1
        for c, v in enumerate(values, start=1):
            kind = t.kind(i, c - 1)
            cell = _put(ws, row, c, _cell_value(v, kind))
            if not _style_like(cell, kind, protos):
                cell.border = BORDER
                cell.font = BODY_FONT
                if kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[kind]
                cell.alignment = Alignment(wrap_text=kind == "text", vertical="top")
                protos[kind] = copy(cell._style)
    return row + 2


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _sheet_table(wb: Workbook, name: str, t: tb.Table, widths: list[int]) -> None:
    ws = wb.create_sheet(name)
    _table(ws, 1, t, title=False)
    ws.freeze_panes = "B2"
    ws.row_dimensions[1].height = 45
    _widths(ws, widths)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(t.headers))}{len(t.rows) + 1}"


def write_xlsx(rep: Report, out: Path | io.BytesIO) -> None:
    """Write the report as a workbook: summary sheet, then detail sheets and the chart."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Báo cáo"
    row = 1
    if rep.org:
        row = _title(ws, row, rep.org.upper(), 12)
    row = _title(ws, row, tx.TITLE, 14)
    _put(ws, row, 1, tx.subtitle(rep)).font = Font(name=FONT, italic=True)
    _put(ws, row + 1, 1, tx.made_on(rep)).font = Font(name=FONT, italic=True)
    row += 3
    row = _table(ws, row, tb.products(rep))
    row = _title(ws, row, tb.collections(rep).title)
    short = tb.Table("", *_summary_columns(tb.collections(rep)))
    row = _table(ws, row, short, title=False)
    row = _table(ws, row, tb.indicators(rep))
    row = _table(ws, row, tb.failures(rep))
    row = _table(ws, row, tb.risks(rep))
    row = _title(ws, row, tx.RECOMMENDATIONS)
    _put(ws, row, 1, tx.RECOMMENDATIONS_HINT).font = Font(name=FONT, italic=True)
    for r in range(row + 1, row + 6):
        for c in range(1, 4):
            ws.cell(r, c).border = BORDER
    row += 7
    row = _title(ws, row, tx.RULE_TITLE)
    for line in (rep.rule, tx.DEFINITIONS):
        cell = _put(ws, row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.row_dimensions[row].height = 90 if line is rep.rule else 35
        row += 1
    row += 1
    for col, (who, hint) in zip((1, 3), tx.SIGNATURES, strict=True):
        _put(ws, row, col, who).font = Font(name=FONT, bold=True)
        _put(ws, row + 1, col, hint).font = Font(name=FONT, italic=True)
    _widths(ws, [48, 22, 22, 16, 14, 16, 16])
    ws.sheet_view.showGridLines = False
    _sheet_table(wb, "Bộ sưu tập", tb.collections(rep), [30, 20] + [13] * 14)
    _sheet_table(wb, "Theo lô", tb.batches(rep), [18, 24, 14] + [11] * 16 + [17, 17, 30])
    _sheet_table(wb, "Theo ngày", tb.daily(rep), [13] + [12] * 7)
    chart = wb.create_sheet("Biểu đồ")
    _put(chart, 1, 1, "Biểu đồ tiến độ tích lũy so với kế hoạch").font = Font(name=FONT, bold=True)
    img = XlImage(io.BytesIO(burnup_png(rep.overall, rep.period.end)))
    img.width, img.height = 900, 420
    chart.add_image(img, "A3")
    wb.save(out)


def _summary_columns(t: tb.Table) -> tuple[list[str], list[str], list[list[Any]]]:
    """Keep the columns of the collection table that fit the summary sheet."""
    keep = [0, 2, 3, 5, 6, 12, 15]
    return (
        [t.headers[i] for i in keep],
        [t.kinds[i] for i in keep],
        [[r[i] for i in keep] for r in t.rows],
    )
