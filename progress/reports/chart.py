"""Burn-up chart (pages done against the plan, to the deadline) as a PNG image."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from collections import OrderedDict
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from progress import forecast as fc  # noqa: E402
from progress.reports.model import CollectionRow  # noqa: E402

# DejaVu Sans ships with matplotlib and covers Vietnamese.
FONT_FAMILY = "DejaVu Sans"


def _x(days: list[dt.date]) -> Any:
    """Return matplotlib's float day numbers (what its typed API expects)."""
    return mdates.date2num([dt.datetime.combine(d, dt.time()) for d in days])


# Drawing costs ~0.2 s; a report asked again with unchanged numbers reuses the image. The key
# holds every input the drawing reads, so an entry can only serve an identical chart.
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


def _draw_burnup(
    row: CollectionRow,
    as_of: dt.date,
    width_in: float = 9.0,
    height_in: float = 4.2,
    dpi: int = 150,
) -> bytes:
    """Return a PNG burn-up of ``row``: OCR'd and reviewed pages, plan line, projection.

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
    with plt.rc_context({"font.family": FONT_FAMILY, "font.size": 9}):
        fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
        ax.plot(
            _x([d for d, _ in ocr]),
            [n for _, n in ocr],
            color="#1f77b4",
            lw=2,
            label="Trang đã nhận dạng (OCR), lũy kế",
        )
        ax.plot(
            _x([d for d, _ in rev]),
            [n for _, n in rev],
            color="#2ca02c",
            lw=2,
            label="Trang đã rà soát (hoàn thành), lũy kế",
        )
        if row.planned > 0:
            ax.plot(
                _x([start, end]),
                [row.planned, row.planned],
                color="#d62728",
                lw=1.5,
                label=f"Kế hoạch: {row.planned:,} trang".replace(",", "."),
            )
            ax.plot(
                _x([start, deadline]),
                [0, row.planned],
                color="#999999",
                lw=1,
                ls=":",
                label="Tiến độ đều đến hạn",
            )
            f = row.digitized
            if f.remaining and f.rate_7d > 0:
                reach = min(end, as_of + dt.timedelta(days=int(f.remaining / f.rate_7d) + 1))
                y = f.done + f.rate_7d * (reach - as_of).days
                ax.plot(
                    _x([as_of, reach]),
                    [f.done, min(y, row.planned)],
                    color="#2ca02c",
                    ls="--",
                    lw=1,
                    label="Dự báo theo tốc độ 7 ngày",
                )
        for points, color in ((ocr, "#1f77b4"), (rev, "#2ca02c")):
            last = points[-1][1] if points else 0
            ax.annotate(
                f"{last:,}".replace(",", "."),
                (float(_x([as_of])[0]), last),
                xytext=(4, 4),
                textcoords="offset points",
                color=color,
            )
        ax.axvline(float(_x([deadline])[0]), color="#d62728", ls="--", lw=1)
        ax.annotate(
            f"Hạn {deadline:%d/%m/%Y}",
            (float(_x([deadline])[0]), 0),
            xytext=(-4, 4),
            textcoords="offset points",
            ha="right",
            color="#d62728",
        )
        ax.set_title(f"Biểu đồ tiến độ tích lũy — {row.name}")
        ax.set_ylabel("Số trang")
        ax.set_ylim(bottom=0)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m/%y"))
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)
        fig.autofmt_xdate()
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
    return buf.getvalue()
