"""Burn-up chart (pages done against the plan, to the deadline) as a PNG image.

Drawn with Pillow: matplotlib (and the numpy it pulls in) cost ~30 MiB of resident memory
for one picture per report, and 0.2 s to draw it. For the web app this runs in the report
renderer process (``progress.reports.apart``), which keeps the drawn pictures between
reports. The picture is drawn at twice its size and reduced, which smooths the lines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from core.errors import DependencyError
from progress import forecast as fc
from progress.reports.model import CollectionRow

# Sans-serif faces with every Vietnamese glyph, tried in order (never fonts-liberation 1.x).
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
)
SUPERSAMPLE = 2
BLUE, GREEN, RED, GREY = "#1f77b4", "#2ca02c", "#d62728", "#999999"

Font = ImageFont.FreeTypeFont
Point = tuple[float, float]


@lru_cache(maxsize=16)
def _font(px: int) -> Font:
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, px)
    raise DependencyError(
        "no Vietnamese-capable sans-serif TrueType font found",
        code="font_missing",
        message_vi="Thiếu phông chữ tiếng Việt (cài fonts-dejavu-core hoặc fonts-liberation2).",
    )


def _thousands(n: float) -> str:
    return f"{round(n):,}".replace(",", ".")


def nice_step(span: float, most: int = 7) -> float:
    """Return a 1/2/2.5/5 × 10^k tick step giving at most ``most`` intervals over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / most
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return max(1.0, m * mag)
    return 10 * mag


def date_ticks(start: dt.date, end: dt.date, fits: int) -> list[dt.date]:
    """Return at most ``fits`` readable day ticks over start..end (weekly, monthly, yearly)."""
    days = (end - start).days
    for step in (1, 2, 7, 14):
        if days // step + 1 <= fits:
            return [start + dt.timedelta(days=k) for k in range(0, days + 1, step)]
    for months in (1, 2, 3, 6, 12, 24, 60):
        first = dt.date(start.year, start.month, 1)
        if first < start:
            first = _add_months(first, 1)
        ticks = []
        d = dt.date(first.year, ((first.month - 1) // months) * months + 1, 1)
        while d <= end:
            if d >= start:
                ticks.append(d)
            d = _add_months(d, months)
        if len(ticks) <= fits:
            return ticks
    return [start, end]


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return dt.date(d.year + y, m + 1, 1)


def _dashed(
    draw: ImageDraw.ImageDraw,
    pts: Sequence[Point],
    color: str,
    width: int,
    dash: tuple[float, float] | None,
) -> None:
    if dash is None:
        draw.line(list(pts), fill=color, width=width, joint="curve")
        return
    on, off = dash
    phase, drawing = 0.0, True
    for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
        seg = math.hypot(x1 - x0, y1 - y0)
        pos = 0.0
        while pos < seg:
            left = (on if drawing else off) - phase
            step = min(left, seg - pos)
            if drawing and step > 0:
                a, b = pos / seg, (pos + step) / seg
                draw.line(
                    [
                        (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                        (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b),
                    ],
                    fill=color,
                    width=width,
                )
            pos += step
            phase += step
            if phase >= (on if drawing else off) - 1e-9:
                phase, drawing = 0.0, not drawing


@dataclass
class ChartLine:
    """One line of the chart with its legend entry."""

    points: list[tuple[dt.date, float]]
    color: str
    width: float  # points
    label: str
    dash: tuple[float, float] | None = None  # points on, points off


# Drawing costs a few ms; a report asked again with unchanged numbers reuses the image. The
# key holds every input the drawing reads, so an entry can only serve an identical chart.
_PNGS: OrderedDict[str, bytes] = OrderedDict()
_PNGS_LOCK = threading.Lock()
_PNGS_MAX = 32


def _chart_key(row: CollectionRow, as_of: dt.date, size: tuple[float, float, int]) -> str:
    ser = row.series
    f = row.digitized
    parts = (
        row.name,
        row.planned,
        f.deadline,
        f.remaining,
        f.rate_7d,
        f.done,
        sorted(ser.get("ocr_done", {}).items()),
        sorted(ser.get("reviewed", {}).items()),
        as_of,
        size,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def burnup_png(
    row: CollectionRow,
    as_of: dt.date,
    width_in: float = 9.0,
    height_in: float = 4.2,
    dpi: int = 150,
) -> bytes:
    """Return a PNG burn-up of ``row`` (drawn once per distinct set of numbers)."""
    key = _chart_key(row, as_of, (width_in, height_in, dpi))
    with _PNGS_LOCK:
        if key in _PNGS:
            _PNGS.move_to_end(key)
            return _PNGS[key]
    png = _draw_burnup(row, as_of, width_in, height_in, dpi)
    with _PNGS_LOCK:
        _PNGS[key] = png
        while len(_PNGS) > _PNGS_MAX:
            _PNGS.popitem(last=False)
    return png


def burnup_series(row: CollectionRow, as_of: dt.date) -> tuple[dt.date, dt.date, list[ChartLine]]:
    """Return the x range and the lines of the burn-up: OCR'd, reviewed, plan, ideal, projection.

    The x axis runs from the first day with output (or 30 days before ``as_of``) to the
    deadline; the plan is the horizontal scope line, the ideal line joins the start to the plan
    at the deadline, and the dashed line projects reviewed pages at the 7-day rate.
    """
    ser = row.series
    days = [d for m in ("ocr_done", "reviewed") for d in ser.get(m, {})]
    start = min([*days, as_of - dt.timedelta(days=30)])
    deadline = row.digitized.deadline
    end = max(deadline, as_of)
    ocr = fc.cumulative(ser.get("ocr_done", {}), start, as_of)
    rev = fc.cumulative(ser.get("reviewed", {}), start, as_of)
    lines = [
        ChartLine([(d, n) for d, n in ocr], BLUE, 2, "Trang đã nhận dạng (OCR), lũy kế"),
        ChartLine([(d, n) for d, n in rev], GREEN, 2, "Trang đã rà soát (hoàn thành), lũy kế"),
    ]
    if row.planned > 0:
        lines.append(
            ChartLine(
                [(start, row.planned), (end, row.planned)],
                RED,
                1.5,
                f"Kế hoạch: {_thousands(row.planned)} trang",
            )
        )
        lines.append(
            ChartLine(
                [(start, 0), (deadline, row.planned)], GREY, 1, "Tiến độ đều đến hạn", (1, 1.6)
            )
        )
        f = row.digitized
        if f.remaining and f.rate_7d > 0:
            reach = min(end, as_of + dt.timedelta(days=int(f.remaining / f.rate_7d) + 1))
            y = f.done + f.rate_7d * (reach - as_of).days
            lines.append(
                ChartLine(
                    [(as_of, f.done), (reach, min(y, row.planned))],
                    GREEN,
                    1,
                    "Dự báo theo tốc độ 7 ngày",
                    (3.7, 1.6),
                )
            )
    return start, end, lines


def _draw_burnup(
    row: CollectionRow, as_of: dt.date, width_in: float, height_in: float, dpi: int
) -> bytes:
    """Return a PNG burn-up of ``row`` (see :func:`burnup_series` for what it shows)."""
    start, end, lines = burnup_series(row, as_of)
    deadline = row.digitized.deadline
    scale = dpi / 72 * SUPERSAMPLE  # pixels per point on the drawing canvas
    W, H = round(width_in * dpi * SUPERSAMPLE), round(height_in * dpi * SUPERSAMPLE)
    img = Image.new("RGB", (W, H), "white")
    draw = ImageDraw.Draw(img)
    body, small, title = (
        _font(round(9 * scale)),
        _font(round(8 * scale)),
        _font(round(10.8 * scale)),
    )

    top = max(y for s in lines for _, y in s.points) if lines else 0
    step = nice_step(max(top, 1) * 1.05)
    ymax = step * math.ceil(max(top, 1) * 1.05 / step)
    yticks = [k * step for k in range(int(round(ymax / step)) + 1)]

    pad = 6 * scale
    label_w = max(draw.textlength(_thousands(t), font=body) for t in yticks)
    ylabel_h = body.size * 1.2
    left = pad + ylabel_h + 4 * scale + label_w + 4 * scale
    right = W - pad - 8 * scale
    title_box = draw.textbbox((0, 0), "Ag", font=title)
    plot_top = pad + (title_box[3] - title_box[1]) + 8 * scale
    bottom = H - pad - body.size * 1.3 - 6 * scale

    span = max((end - start).days, 1)

    def X(d: dt.date) -> float:
        return left + (right - left) * (d - start).days / span

    def Y(v: float) -> float:
        return bottom - (bottom - plot_top) * v / ymax

    grid = "#e6e6e6"
    for t in yticks:
        draw.line([(left, Y(t)), (right, Y(t))], fill=grid, width=max(1, round(0.6 * scale)))
        text = _thousands(t)
        draw.text((left - 4 * scale, Y(t)), text, font=body, fill="black", anchor="rm")
    one_label = draw.textlength("00/00/00", font=body) + 12 * scale
    for d in date_ticks(start, end, max(2, int((right - left) // one_label))):
        x = X(d)
        draw.line([(x, plot_top), (x, bottom)], fill=grid, width=max(1, round(0.6 * scale)))
        draw.line([(x, bottom), (x, bottom + 3 * scale)], fill="black", width=round(0.8 * scale))
        draw.text((x, bottom + 4 * scale), f"{d:%d/%m/%y}", font=body, fill="black", anchor="ma")
    draw.rectangle([left, plot_top, right, bottom], outline="black", width=round(0.8 * scale))

    ylabel = Image.new("RGBA", (round(draw.textlength("Số trang", font=body)) + 4, round(ylabel_h)))
    ImageDraw.Draw(ylabel).text((2, 0), "Số trang", font=body, fill="black")
    rotated = ylabel.rotate(90, expand=True)
    img.paste(rotated, (round(pad), round((plot_top + bottom - rotated.height) / 2)), rotated)

    dl = X(deadline)
    _dashed(draw, [(dl, plot_top), (dl, bottom)], RED, round(scale), (3.7 * scale, 1.6 * scale))
    draw.text(
        (dl - 4 * scale, bottom - 4 * scale),
        f"Hạn {deadline:%d/%m/%Y}",
        font=body,
        fill=RED,
        anchor="rd",
    )
    for s in lines:
        pts = [(X(d), Y(v)) for d, v in s.points]
        dash = (s.dash[0] * s.width * scale, s.dash[1] * s.width * scale) if s.dash else None
        _dashed(draw, pts, s.color, max(1, round(s.width * scale)), dash)
    # Totals at today's end of the two lines; the lower one goes under its line when the two
    # would overprint (reviewed pages are usually close behind the OCR'd ones).
    ends = [s.points[-1][1] if s.points else 0 for s in lines[:2]]
    close = abs(Y(ends[0]) - Y(ends[1])) < body.size * 1.2
    for k, (s, last) in enumerate(zip(lines[:2], ends, strict=True)):
        below = close and last == min(ends) and k == 1
        draw.text(
            (X(as_of) + 4 * scale, Y(last) + (4 if below else -4) * scale),
            _thousands(last),
            font=body,
            fill=s.color,
            anchor="la" if below else "ld",
        )
    draw.text(
        ((left + right) / 2, pad),
        f"Biểu đồ tiến độ tích lũy — {row.name}",
        font=title,
        fill="black",
        anchor="ma",
    )
    _legend(draw, lines, left + 6 * scale, plot_top + 6 * scale, small, scale)

    out = img.resize((round(width_in * dpi), round(height_in * dpi)), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    out.save(buf, format="PNG", optimize=False, dpi=(dpi, dpi))
    return buf.getvalue()


def _legend(
    draw: ImageDraw.ImageDraw, lines: list[ChartLine], x: float, y: float, font: Font, scale: float
) -> None:
    row_h = font.size * 1.45
    sample = 18 * scale
    width = max(draw.textlength(s.label, font=font) for s in lines) + sample + 14 * scale
    height = row_h * len(lines) + 6 * scale
    draw.rounded_rectangle(
        [x, y, x + width, y + height],
        radius=3 * scale,
        fill="white",
        outline="#cccccc",
        width=max(1, round(0.8 * scale)),
    )
    for k, s in enumerate(lines):
        cy = y + 3 * scale + row_h * (k + 0.5)
        dash = (s.dash[0] * s.width * scale, s.dash[1] * s.width * scale) if s.dash else None
        _dashed(
            draw,
            [(x + 4 * scale, cy), (x + 4 * scale + sample, cy)],
            s.color,
            max(1, round(s.width * scale)),
            dash,
        )
        draw.text((x + 8 * scale + sample, cy), s.label, font=font, fill="black", anchor="lm")
