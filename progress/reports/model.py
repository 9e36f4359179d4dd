"""The content of the weekly/monthly report, computed once and rendered by each writer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from accounts.scope import visible_batches
from core.access import Scope, scope_key
from core.db_plan import DEFAULT_DEADLINE
from progress import cache
from progress import forecast as fc
from progress.counts import (
    LOW_CONFIDENCE,
    UNASSIGNED,
    BatchProgress,
    batch_progress,
    collections,
    has_corrections_table,
)
from progress.reports.series import DailySeries, daily_series, merge_series

STALL_DAYS = 3
SPIKE_FACTOR = 2.0
SPIKE_MIN_FAILURES = 5
FAILURE_SHARE_ALERT = 0.05
FAILURE_VI = {
    "empty_file": "Tệp rỗng (0 byte)",
    "pdf_corrupt": "PDF hỏng không sửa được",
    "pdf_page_damaged": "Trang PDF bị hỏng",
    "pdf_encrypted": "PDF có mật khẩu",
    "unsupported_type": "Định dạng không hỗ trợ",
    "image_too_large": "Ảnh quá lớn",
    "image_corrupt": "Ảnh hỏng",
    "zip_unsafe_path": "ZIP có đường dẫn không an toàn",
    "zip_bomb": "ZIP vượt giới hạn giải nén",
    "zip_corrupt": "ZIP hỏng hoặc có mật khẩu",
    "file_vanished": "Tệp biến mất khi đang đọc",
    "file_too_large": "Tệp quá lớn",
    "ocr_timeout": "Nhận dạng quá thời gian",
    "unknown": "Không rõ nguyên nhân",
}


# (label, value or None, kind: "float" | "pct" | "int", note)
Indicator = tuple[str, float | int | None, str, str]


@dataclass(frozen=True)
class Period:
    """The report period: a week (Monday–Sunday) or a calendar month, cut at the report date."""

    kind: str
    start: dt.date
    end: dt.date

    @property
    def label_vi(self) -> str:
        """E.g. ``Tháng 11/2026`` or ``Tuần 48/2026``."""
        if self.kind == "month":
            return f"Tháng {self.start.month:02d}/{self.start.year}"
        week = self.start.isocalendar()
        return f"Tuần {week.week}/{week.year}"

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1


def make_period(kind: str, day: dt.date) -> Period:
    """Return the week or month containing ``day``, ending on ``day``."""
    if kind == "week":
        return Period(kind, day - dt.timedelta(days=day.weekday()), day)
    if kind == "month":
        return Period(kind, day.replace(day=1), day)
    raise ValueError(f"unknown period {kind!r}")


@dataclass
class CollectionRow:
    """One line of the progress table: a collection (or the whole plan) against its plan."""

    name: str
    owner: str | None
    planned: int
    ocr: fc.Forecast
    digitized: fc.Forecast
    backlog: fc.Backlog
    period_ocr: int
    period_reviewed: int
    series: DailySeries


@dataclass
class Report:
    """Everything a writer needs; numbers only, no formatting."""

    period: Period
    generated_at: dt.datetime
    products: list[tuple[str, int, int]]
    rows: list[CollectionRow]
    overall: CollectionRow
    unplanned: list[CollectionRow]
    batches: list[BatchProgress]
    indicators: list[Indicator]
    failures: list[tuple[str, str, int]]
    risks: list[str]
    notes: list[str] = field(default_factory=list)
    rule: str = fc.RULE_VI
    org: str | None = None


def _row(
    name: str,
    owner: str | None,
    planned: int,
    deadline: dt.date,
    series: DailySeries,
    period: Period,
) -> CollectionRow:
    as_of = period.end
    return CollectionRow(
        name,
        owner,
        planned,
        fc.forecast(planned, series["ocr_done"], as_of, deadline),
        fc.forecast(planned, series["reviewed"], as_of, deadline),
        fc.backlog(series["extracted"], series["reviewed"], as_of),
        fc.total_between(series["ocr_done"], period.start, as_of),
        fc.total_between(series["reviewed"], period.start, as_of),
        series,
    )


def build_report(
    s: Session, kind: str, day: dt.date, org: str | None = None, scope: Scope | None = None
) -> Report:
    """Compute the report of the week or month containing ``day`` (data up to that day).

    With a ``scope``, every number counts only the batches inside it and the plan shows only
    its collections (a user limited to collections sees their part of the work).
    """
    with cache.one_reading(s):  # the series and the progress of the same batches' revisions
        return _build_report(s, kind, day, org, scope)


def _build_report(
    s: Session, kind: str, day: dt.date, org: str | None, scope: Scope | None
) -> Report:
    period = make_period(kind, day)
    ids = visible_batches(s, scope) if scope is not None else None
    plan = {
        k: c
        for k, c in collections(s).items()
        if scope is None or scope.collections is None or scope_key(k) in scope.collections
    }
    series = daily_series(s, ids, scope)
    empty = merge_series([])
    rows = [
        _row(
            c.name,
            c.owner_department,
            c.estimated_pages,
            c.deadline,
            series.get(key, empty),
            period,
        )
        for key, c in plan.items()
    ]
    unplanned = [
        _row(key, None, 0, DEFAULT_DEADLINE, ser, period)
        for key, ser in sorted(series.items())
        if key not in plan
    ]
    in_plan = merge_series([series[k] for k in plan if k in series])
    deadline = max((c.deadline for c in plan.values()), default=DEFAULT_DEADLINE)
    overall = _row(
        "Toàn bộ kế hoạch",
        None,
        sum(c.estimated_pages for c in plan.values()),
        deadline,
        in_plan,
        period,
    )
    everything = merge_series(list(series.values()))
    batches = batch_progress(s, list(ids) if ids is not None else None, scope)
    rep = Report(
        period,
        dt.datetime.now(dt.UTC),
        _products(everything, period),
        rows,
        overall,
        unplanned,
        batches,
        [],
        [],
        [],
        org=org,
    )
    rep.indicators = _indicators(rep, everything, has_corrections_table(s))
    rep.failures = _failures(batches)
    rep.risks = _risks(rep, everything)
    return rep


# Pages a collection's auto-accept policy spared reviewers (among the reviewed ones).
AUTO_ACCEPTED = "Trong đó: chấp nhận tự động theo chính sách"


def _products(ser: DailySeries, p: Period) -> list[tuple[str, int, int]]:
    labels = [
        ("received", "Trang đã tiếp nhận"),
        ("ocr_done", "Trang đã nhận dạng (OCR)"),
        ("documents", "Tài liệu đã tách"),
        ("records", "Bản ghi dữ liệu đã trích xuất"),
        ("reviewed", "Trang đã rà soát (hoàn thành số hóa)"),
        ("auto_accepted", AUTO_ACCEPTED),
        ("failed", "Trang lỗi"),
        ("files_failed", "Tệp lỗi"),
    ]
    return [
        (label, fc.total_between(ser[m], p.start, p.end), fc.total_through(ser[m], p.end))
        for m, label in labels
    ]


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%".replace(".", ",")


def _num(x: float, digits: int = 1) -> str:
    # Vietnamese convention: "." groups thousands, "," marks decimals.
    return f"{x:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _indicators(rep: Report, ser: DailySeries, corrections: bool) -> list[Indicator]:
    p, b = rep.period, rep.batches
    done = sum(x.pages_ocr_done for x in b)
    hours = sum(
        (x.finished_at - x.started_at).total_seconds() / 3600
        for x in b
        if x.started_at and x.finished_at
    )
    confs = [(x.mean_confidence, x.pages_ocr_done) for x in b if x.mean_confidence is not None]
    n_conf = sum(n for _, n in confs)
    mean_conf = sum(c * n for c, n in confs) / n_conf if n_conf else None
    low = sum(x.low_quality_pages for x in b)
    fields = sum(x.fields_in_reviewed for x in b)
    corrected = sum(x.fields_corrected for x in b)
    bl = fc.backlog(ser["extracted"], ser["reviewed"], p.end)
    period_done = fc.total_between(ser["ocr_done"], p.start, p.end)
    period_failed = fc.total_between(ser["failed"], p.start, p.end)
    tried = period_done + period_failed
    if not corrections:
        corr_note = "Chưa có bảng sửa trường (field_correction): báo cáo 0."
    elif not fields:
        corr_note = "Chưa có tài liệu nào được rà soát."
    else:
        corr_note = f"{corrected} / {fields} trường của tài liệu đã rà soát."
    return [
        (
            "Năng suất trong kỳ (trang/ngày)",
            period_done / p.days,
            "float",
            f"{period_done} trang trong {p.days} ngày",
        ),
        ("Năng suất 7 ngày gần nhất (trang/ngày)", fc.rate(ser["ocr_done"], p.end, 7), "float", ""),
        (
            "Năng suất 30 ngày gần nhất (trang/ngày)",
            fc.rate(ser["ocr_done"], p.end, 30),
            "float",
            "",
        ),
        (
            "Tốc độ xử lý máy (trang/giờ)",
            done / hours if hours else None,
            "float",
            "trên thời gian các lô đang chạy",
        ),
        ("Độ tin cậy OCR trung bình", mean_conf, "float", "thang 0–100"),
        (
            "Tỷ lệ trang chất lượng thấp",
            low / done if done else None,
            "pct",
            f"độ tin cậy < {LOW_CONFIDENCE:g} hoặc cảnh báo xoay/nghiêng; {low} trang",
        ),
        (
            "Tỷ lệ trường phải sửa khi rà soát",
            corrected / fields if fields else 0.0,
            "pct",
            corr_note,
        ),
        (
            "Tỷ lệ trang lỗi trong kỳ",
            period_failed / tried if tried else None,
            "pct",
            f"{period_failed} trang lỗi / {tried} trang đã xử lý",
        ),
        ("Tồn đọng chờ rà soát (trang)", bl.now, "int", f"7 ngày trước: {bl.week_ago}"),
    ]


def _failures(batches: list[BatchProgress]) -> list[tuple[str, str, int]]:
    totals: dict[str, int] = {}
    for b in batches:
        for code, n in b.failures.items():
            totals[code] = totals.get(code, 0) + n
    return [
        (code, FAILURE_VI.get(code, code), n)
        for code, n in sorted(totals.items(), key=lambda kv: -kv[1])
    ]


def _risks(rep: Report, ser: DailySeries) -> list[str]:
    out: list[str] = []
    for r in rep.rows:
        f = r.digitized
        if f.status in (fc.LATE, fc.AT_RISK):
            need = (
                "đã quá hạn"
                if f.required_rate is None
                else f"cần {_num(f.required_rate)} trang/ngày"
            )
            out.append(
                f"{r.name}: {f.status_vi.lower()} — đã hoàn thành rà soát "
                f"{_num(f.done, 0)}/{_num(f.planned, 0)} trang ({_pct(f.share_done)}), "
                f"đã OCR {_num(r.ocr.done, 0)} trang; tốc "
                f"độ rà soát 7 ngày {_num(f.rate_7d)} trang/ngày, {need} để kịp hạn "
                f"{f.deadline:%d/%m/%Y}."
            )
    cutoff = dt.datetime.combine(rep.period.end, dt.time(), dt.UTC) - dt.timedelta(days=STALL_DAYS)
    for b in rep.batches:
        if not b.settled and (b.finished_at is None or b.finished_at < cutoff):
            out.append(
                f"Lô {b.batch} bị đình trệ: còn {b.pages_pending + b.pages_running} trang "
                f"chờ xử lý, không có trang nào xong trong {STALL_DAYS} ngày."
            )
    bl = fc.backlog(ser["extracted"], ser["reviewed"], rep.period.end)
    if bl.growing:
        out.append(
            f"Tồn đọng chờ rà soát tăng từ {_num(bl.week_ago, 0)} lên {_num(bl.now, 0)} "
            "trang trong 7 ngày "
            f"(rà soát {_num(bl.review_rate_7d)} trang/ngày)."
        )
    end = rep.period.end
    last7 = fc.total_between(ser["failed"], end - dt.timedelta(days=6), end)
    before = fc.rate(ser["failed"], end - dt.timedelta(days=7), 30) * 7
    if last7 >= SPIKE_MIN_FAILURES and last7 > SPIKE_FACTOR * before:
        out.append(
            f"Lỗi tăng đột biến: {last7} trang lỗi trong 7 ngày, so với bình quân "
            f"{_num(before)} trang/7 ngày của 30 ngày trước đó."
        )
    p = rep.period
    failed = fc.total_between(ser["failed"], p.start, end)
    tried = failed + fc.total_between(ser["ocr_done"], p.start, end)
    if tried and failed / tried > FAILURE_SHARE_ALERT:
        out.append(
            f"Tỷ lệ trang lỗi trong kỳ cao: {_pct(failed / tried)} ({failed}/{tried} "
            f"trang), vượt ngưỡng {_pct(FAILURE_SHARE_ALERT)}."
        )
    for r in rep.unplanned:
        if r.ocr.done:
            label = "chưa gán bộ sưu tập" if r.name == UNASSIGNED else "không có trong kế hoạch"
            out.append(
                f"{r.name}: {_num(r.ocr.done, 0)} trang đã OCR thuộc lô {label}; "
                "không được tính vào tiến độ kế hoạch."
            )
    return out or ["Chưa phát hiện rủi ro trong kỳ."]
