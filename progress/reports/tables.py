"""The report's tables as typed rows, shared by the XLSX, PDF and CSV writers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from progress import forecast as fc
from progress.counts import TZ
from progress.reports.model import CollectionRow, Report
from progress.reports.series import merge_series

# Column kinds: text, int, float, pct (a 0..1 share), date, datetime (shown in Viet Nam time).


@dataclass(frozen=True)
class Table:
    """A titled table: headers, column kinds and rows of plain values (None = empty)."""

    title: str
    headers: list[str]
    kinds: list[str]
    rows: list[list[Any]]
    cell_kinds: list[list[str]] | None = None

    def kind(self, i: int, j: int) -> str:
        """Return the kind of cell (row ``i``, column ``j``): per cell when given, else column."""
        return self.cell_kinds[i][j] if self.cell_kinds else self.kinds[j]


def fmt(value: Any, kind: str) -> str:
    """Format a value the Vietnamese way (``1.234``, ``12,5%``, ``31/12/2026``)."""
    if value is None:
        return "—"
    if isinstance(value, str) and kind != "text":
        return value  # a date column's "chưa xác định" / "chưa có kế hoạch"
    if kind == "int":
        return f"{int(value):,}".replace(",", ".")
    if kind == "float":
        return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if kind == "pct":
        return f"{value * 100:.1f}%".replace(".", ",")
    if kind == "date":
        return f"{value:%d/%m/%Y}"
    if kind == "datetime":
        return f"{value.astimezone(TZ):%d/%m/%Y %H:%M}"
    return str(value)


def products(rep: Report) -> Table:
    """Section I: products in the period and cumulative."""
    return Table(
        "I. Sản phẩm",
        ["Chỉ tiêu", "Trong kỳ", "Lũy kế đến cuối kỳ"],
        ["text", "int", "int"],
        [list(p) for p in rep.products],
    )


def _collection_values(r: CollectionRow) -> list[Any]:
    d = r.digitized
    return [
        r.name,
        r.owner,
        r.planned,
        r.ocr.done,
        r.ocr.share_done,
        d.done,
        d.share_done,
        r.period_ocr,
        r.period_reviewed,
        d.rate_7d,
        d.rate_30d,
        d.required_rate,
        d.projected_7d if d.projected_7d is not None else d.projected_vi,
        d.deadline,
        r.ocr.status_vi,
        d.status_vi,
    ]


COLLECTION_HEADERS = [
    ("Bộ sưu tập", "text"),
    ("Đơn vị phụ trách", "text"),
    ("Kế hoạch (trang)", "int"),
    ("Đã OCR (trang)", "int"),
    ("Tỷ lệ OCR", "pct"),
    ("Đã rà soát (trang)", "int"),
    ("Tỷ lệ hoàn thành", "pct"),
    ("OCR trong kỳ", "int"),
    ("Rà soát trong kỳ", "int"),
    ("Tốc độ rà soát 7 ngày (trang/ngày)", "float"),
    ("Tốc độ rà soát 30 ngày (trang/ngày)", "float"),
    ("Tốc độ cần (trang/ngày)", "float"),
    ("Dự kiến hoàn thành", "date"),
    ("Hạn", "date"),
    ("Tình trạng OCR", "text"),
    ("Tình trạng số hóa", "text"),
]


def collections(rep: Report) -> Table:
    """Section II: every collection of the plan, the whole plan, then unplanned batches."""
    rows = [_collection_values(r) for r in [*rep.rows, rep.overall, *rep.unplanned]]
    return Table(
        "II. Tiến độ theo bộ sưu tập so với kế hoạch",
        [h for h, _ in COLLECTION_HEADERS],
        [k for _, k in COLLECTION_HEADERS],
        rows,
    )


def indicators(rep: Report) -> Table:
    """Section III: indicators, already formatted with their notes."""
    return Table(
        "III. Chỉ số",
        ["Chỉ số", "Giá trị", "Ghi chú"],
        ["text", "float", "text"],
        [[label, value, note] for label, value, _, note in rep.indicators],
        [["text", kind, "text"] for _, _, kind, _ in rep.indicators],
    )


def failures(rep: Report) -> Table:
    """Failures grouped by reason (cumulative)."""
    return Table(
        "Lỗi theo nguyên nhân (lũy kế)",
        ["Mã lỗi", "Nguyên nhân", "Số lượng"],
        ["text", "text", "int"],
        [list(f) for f in rep.failures],
    )


BATCH_HEADERS = [
    ("Lô", "text"),
    ("Bộ sưu tập", "text"),
    ("Người tải lên", "text"),
    ("Tệp", "int"),
    ("Tệp lỗi", "int"),
    ("Trang tiếp nhận", "int"),
    ("Đã tiền xử lý", "int"),
    ("Đã OCR", "int"),
    ("Đã trích xuất", "int"),
    ("Chờ rà soát", "int"),
    ("Đã rà soát", "int"),
    ("Trang lỗi", "int"),
    ("Tài liệu", "int"),
    ("Tài liệu đã rà soát", "int"),
    ("Độ tin cậy OCR TB", "float"),
    ("Tỷ lệ trang chất lượng thấp", "pct"),
    ("Tỷ lệ trường phải sửa", "pct"),
    ("Năng suất (trang/giờ)", "float"),
    ("Bắt đầu", "datetime"),
    ("Kết thúc", "datetime"),
    ("Lỗi chính", "text"),
]


def batches(rep: Report) -> Table:
    """Per batch: pages per stage, quality, throughput, times (state when the report is made)."""
    rows = []
    for b in rep.batches:
        top = ", ".join(f"{c}: {n}" for c, n in sorted(b.failures.items(), key=lambda x: -x[1]))
        rows.append(
            [
                b.batch,
                b.collection,
                b.uploaded_by,
                b.files,
                b.files_failed,
                b.pages_received,
                b.pages_preprocessed,
                b.pages_ocr_done,
                b.pages_extracted,
                b.pages_needs_review,
                b.pages_reviewed,
                b.pages_failed,
                b.documents,
                b.documents_reviewed,
                b.mean_confidence,
                b.low_quality_share,
                b.correction_rate,
                b.pages_per_hour,
                b.started_at,
                b.finished_at if b.settled else None,
                top or None,
            ]
        )
    return Table(
        "Chi tiết theo lô (tại thời điểm lập báo cáo)",
        [h for h, _ in BATCH_HEADERS],
        [k for _, k in BATCH_HEADERS],
        rows,
    )


def daily(rep: Report, collection: CollectionRow | None = None) -> Table:
    """Pages per Vietnamese day over the period, with cumulative totals (all batches default)."""
    ser = (
        collection.series
        if collection
        else merge_series([r.series for r in [*rep.rows, *rep.unplanned]])
    )
    p = rep.period
    ocr = dict(fc.cumulative(ser["ocr_done"], p.start, p.end))
    rev = dict(fc.cumulative(ser["reviewed"], p.start, p.end))
    rows = []
    day = p.start
    while day <= p.end:
        rows.append(
            [
                day,
                ser["received"].get(day, 0),
                ser["ocr_done"].get(day, 0),
                ser["failed"].get(day, 0),
                ser["extracted"].get(day, 0),
                ser["reviewed"].get(day, 0),
                ocr[day],
                rev[day],
            ]
        )
        day += dt.timedelta(days=1)
    return Table(
        "Số trang theo ngày (giờ Việt Nam)",
        [
            "Ngày",
            "Tiếp nhận",
            "Đã OCR",
            "Lỗi",
            "Đã trích xuất",
            "Đã rà soát",
            "OCR lũy kế",
            "Rà soát lũy kế",
        ],
        ["date"] + ["int"] * 7,
        rows,
    )


def risks(rep: Report) -> Table:
    """Section IV: risks, one per row."""
    return Table(
        "IV. Rủi ro",
        ["STT", "Nội dung"],
        ["int", "text"],
        [[i, r] for i, r in enumerate(rep.risks, start=1)],
    )
