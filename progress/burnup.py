"""Geometry of the dashboard's burn-up chart (an SVG drawn by the template), with its ticks.

Pages digitized (reviewed) so far against the plan, the projection at the 7-day rate, the
required pace from today to the deadline, OCR progress beside them, and labelled axes: value
ticks on the left, date ticks along the bottom, the deadline as a vertical line.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 62, 40, 16, 36


def nice_step(top: float, ticks: int = 4) -> int:
    """Return a round step (1, 2, 2.5 or 5 × 10ⁿ) giving about ``ticks`` value ticks."""
    raw = max(top / ticks, 1)
    base = 10 ** math.floor(math.log10(raw))
    return int(next(m * base for m in (1, 2, 2.5, 5, 10) if m * base >= raw) or 1)


def _date_ticks(start: dt.date, end: dt.date, count: int = 5) -> list[dt.date]:
    span = max(1, (end - start).days)
    return [start + dt.timedelta(days=round(span * i / (count - 1))) for i in range(count)]


def burnup(
    digitized: list[tuple[dt.date, int]],
    ocr: list[tuple[dt.date, int]],
    planned: int,
    start: dt.date,
    deadline: dt.date,
    today: dt.date,
    rate_7d: float,
) -> dict[str, Any]:
    """Return polylines, ticks and labels of the chart, in SVG user units."""
    end = max(deadline, today)
    span = max(1, (end - start).days)
    done_now = digitized[-1][1] if digitized else 0
    ocr_now = ocr[-1][1] if ocr else 0
    at_deadline = done_now + rate_7d * max(0, (deadline - today).days)
    top_value = max(planned, done_now, ocr_now, 1)
    step = nice_step(top_value)
    top = step * math.ceil(top_value / step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return round(LEFT + plot_w * (day - start).days / span, 1)

    def y(n: float) -> float:
        return round(TOP + plot_h * (1 - min(n, top) / top), 1)

    def line(points: list[tuple[dt.date, float]]) -> str:
        return " ".join(f"{x(d)},{y(n)}" for d, n in points)

    remaining = max(0, planned - done_now)
    days_left = max(0, (deadline - today).days)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "done": line([(d, n) for d, n in digitized]),
        "ocr": line([(d, n) for d, n in ocr]),
        "projection": line([(today, done_now), (deadline, at_deadline)])
        if today < deadline
        else "",
        "required": line([(today, done_now), (deadline, planned)])
        if planned and remaining and today < deadline
        else "",
        "required_rate": remaining / days_left if remaining and days_left else None,
        "plan": line([(start, planned), (end, planned)]) if planned else "",
        "plan_y": y(planned) if planned else None,
        "deadline_x": x(deadline),
        "today_x": x(today),
        "deadline": deadline,
        "y_ticks": [{"y": y(v), "value": v} for v in range(0, top + 1, step)],
        "x_ticks": [{"x": x(d), "day": d} for d in _date_ticks(start, end)],
        "done_now": done_now,
    }
