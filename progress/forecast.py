"""Forecast arithmetic on daily series: rates, projected completion, required rate, status.

Pure functions on ``{Vietnamese day: count}`` maps; no database, no clock. The rule:

- current rate = pages completed per day averaged over the last 7 Vietnamese days ending on the
  report date (days without output count as 0); the 30-day rate is shown beside it;
- required rate = pages remaining ÷ days left, the days after the report date up to and
  including the deadline;
- on track: current rate ≥ required rate; at risk: current rate ≥ 80 % of the required rate;
  late: below 80 %, or the deadline has passed with pages remaining; done: nothing remains;
- projected completion = report date + ⌈remaining ÷ rate⌉ days; none ("chưa xác định") at
  zero rate or when it would fall more than 50 years ahead, none ("chưa có kế hoạch") for a
  collection without a plan.

The dashboard, the reports and ``sohoa plan list`` all apply this rule to pages digitized
(reviewed), with OCR progress shown beside it (README "Forecast rule").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

ON_TRACK, AT_RISK, LATE, FINISHED, NO_PLAN = "on_track", "at_risk", "late", "done", "no_plan"
STATUS_VI = {
    ON_TRACK: "Đúng tiến độ",
    AT_RISK: "Có nguy cơ chậm",
    LATE: "Chậm tiến độ",
    FINISHED: "Hoàn thành",
    NO_PLAN: "Chưa có kế hoạch",
}
AT_RISK_FLOOR = 0.8
# Beyond this a "date" only says the rate is nearly zero: say it is not known instead.
HORIZON_DAYS = 50 * 365
UNKNOWN_VI = "chưa xác định"
NO_PLAN_VI = "chưa có kế hoạch"
RULE_VI = (
    "Quy tắc đánh giá: tốc độ hiện tại là số trang hoàn thành bình quân mỗi ngày trong "
    "7 ngày gần nhất tính đến ngày báo cáo (kể cả ngày không có sản lượng; ngày tính theo "
    "giờ Việt Nam). Tốc độ cần = số trang còn lại ÷ số ngày còn lại đến hết ngày hạn. "
    "Đúng tiến độ: tốc độ hiện tại ≥ tốc độ cần; Có nguy cơ chậm: từ 80% đến dưới 100% "
    "tốc độ cần; Chậm tiến độ: dưới 80% tốc độ cần, hoặc đã quá hạn mà còn trang; "
    "Hoàn thành: không còn trang nào. Ngày dự kiến hoàn thành = ngày báo cáo + số trang "
    'còn lại ÷ tốc độ hiện tại (làm tròn lên); "chưa xác định" khi tốc độ bằng 0 (hoặc ngày đó '
    'xa quá 50 năm), "chưa có kế hoạch" khi bộ sưu tập chưa có số trang dự kiến. Một trang '
    "được tính là đã số hóa khi tài liệu chứa nó đã được rà soát; tiến độ OCR ghi bên cạnh."
)

Series = Mapping[dt.date, int]


def total_through(series: Series, as_of: dt.date) -> int:
    """Return the sum of the series up to and including ``as_of``."""
    return sum(n for day, n in series.items() if day <= as_of)


def total_between(series: Series, start: dt.date, end: dt.date) -> int:
    """Return the sum of the series over ``start``..``end`` inclusive."""
    return sum(n for day, n in series.items() if start <= day <= end)


def rate(series: Series, as_of: dt.date, days: int) -> float:
    """Return the mean per day over the ``days`` days ending on ``as_of`` (zeros included)."""
    return total_between(series, as_of - dt.timedelta(days=days - 1), as_of) / days


def days_left(as_of: dt.date, deadline: dt.date) -> int:
    """Return the days after ``as_of`` up to and including ``deadline`` (0 once it is reached)."""
    return max(0, (deadline - as_of).days)


def projected(as_of: dt.date, remaining: int, per_day: float) -> dt.date | None:
    """Return the day the remaining work ends at ``per_day``, or None at zero rate."""
    if remaining <= 0:
        return as_of
    if per_day <= 0 or remaining / per_day > HORIZON_DAYS:
        return None
    return as_of + dt.timedelta(days=math.ceil(remaining / per_day))


def completed_on(series: Series, planned: int) -> dt.date | None:
    """Return the first day the cumulative series reached ``planned``, if it did."""
    acc = 0
    for day in sorted(series):
        acc += series[day]
        if acc >= planned:
            return day
    return None


@dataclass(frozen=True)
class Forecast:
    """Where one collection (or the whole plan) stands against its deadline."""

    planned: int
    done: int
    remaining: int
    rate_7d: float
    rate_30d: float
    days_left: int
    required_rate: float | None
    projected_7d: dt.date | None
    projected_30d: dt.date | None
    deadline: dt.date
    status: str

    @property
    def share_done(self) -> float | None:
        """Done ÷ planned, None without a plan."""
        return self.done / self.planned if self.planned > 0 else None

    @property
    def status_vi(self) -> str:
        """The status in Vietnamese."""
        return STATUS_VI[self.status]

    @property
    def projected_vi(self) -> str:
        """The projected completion as people read it: a date, or why there is none."""
        if self.status == NO_PLAN:
            return NO_PLAN_VI
        if self.projected_7d is None:
            return UNKNOWN_VI
        return f"{self.projected_7d:%d/%m/%Y}"


def forecast(planned: int, series: Series, as_of: dt.date, deadline: dt.date) -> Forecast:
    """Return the forecast of a daily series of completed pages against a plan.

    Args:
        planned: Pages in scope (0 or less means no plan).
        series: Pages completed per Vietnamese day.
        as_of: Report date; days after it are ignored.
        deadline: Last day by which everything must be done.
    """
    done = total_through(series, as_of)
    remaining = max(0, planned - done)
    r7, r30 = rate(series, as_of, 7), rate(series, as_of, 30)
    left = days_left(as_of, deadline)
    need = remaining / left if remaining and left else None
    if planned <= 0:
        status = NO_PLAN
    elif remaining == 0:
        status = FINISHED
    elif need is None:
        status = LATE
    elif r7 >= need:
        status = ON_TRACK
    elif r7 >= AT_RISK_FLOOR * need:
        status = AT_RISK
    else:
        status = LATE
    if planned <= 0:
        p7 = p30 = None
    elif remaining == 0:
        end = completed_on({d: n for d, n in series.items() if d <= as_of}, planned)
        p7 = p30 = end
    else:
        p7, p30 = projected(as_of, remaining, r7), projected(as_of, remaining, r30)
    return Forecast(planned, done, remaining, r7, r30, left, need, p7, p30, deadline, status)


@dataclass(frozen=True)
class Backlog:
    """The review backlog: pages extracted but not yet reviewed."""

    now: int
    week_ago: int
    inflow_7d: float
    review_rate_7d: float
    days_to_clear: float | None

    @property
    def growing(self) -> bool:
        """True when the backlog is larger than 7 days before."""
        return self.now > self.week_ago


def backlog(extracted: Series, reviewed: Series, as_of: dt.date) -> Backlog:
    """Return the review backlog on ``as_of`` and its trend over the last 7 days."""
    week_ago = as_of - dt.timedelta(days=7)
    now = total_through(extracted, as_of) - total_through(reviewed, as_of)
    before = total_through(extracted, week_ago) - total_through(reviewed, week_ago)
    r = rate(reviewed, as_of, 7)
    clear = (now / r if r > 0 else None) if now > 0 else 0.0
    return Backlog(now, before, rate(extracted, as_of, 7), r, clear)


def cumulative(series: Series, start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    """Return (day, running total) for every day of ``start``..``end`` (earlier days included)."""
    acc = total_through(series, start - dt.timedelta(days=1))
    out = []
    day = start
    while day <= end:
        acc += series.get(day, 0)
        out.append((day, acc))
        day += dt.timedelta(days=1)
    return out
