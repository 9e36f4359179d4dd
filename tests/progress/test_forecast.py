"""Forecast arithmetic on fixed daily histories."""

from __future__ import annotations

import datetime as dt

import pytest

from progress import forecast as fc

D = dt.date
DEADLINE = D(2026, 12, 31)


def days_back(as_of: dt.date, counts: list[int]) -> dict[dt.date, int]:
    """Series whose last element falls on ``as_of``."""
    return {as_of - dt.timedelta(days=len(counts) - 1 - i): n for i, n in enumerate(counts)}


def test_zero_throughput_is_late_with_no_projection():
    f = fc.forecast(1000, {}, D(2026, 11, 27), DEADLINE)
    assert (f.done, f.remaining, f.rate_7d, f.rate_30d) == (0, 1000, 0.0, 0.0)
    assert f.days_left == 34
    assert f.required_rate == pytest.approx(1000 / 34)
    assert f.projected_7d is None and f.projected_30d is None
    assert f.status == fc.LATE and f.status_vi == "Chậm tiến độ"


def test_finished_collection_reports_the_day_it_reached_the_plan():
    series = {D(2026, 10, 1): 60, D(2026, 10, 5): 50, D(2026, 10, 9): 7}
    f = fc.forecast(100, series, D(2026, 11, 27), DEADLINE)
    assert f.status == fc.FINISHED and f.remaining == 0 and f.done == 117
    assert f.projected_7d == D(2026, 10, 5) and f.required_rate is None
    assert f.share_done == pytest.approx(1.17)


def test_deadline_passed_with_pages_left_is_late():
    as_of = D(2027, 1, 5)
    f = fc.forecast(1000, days_back(as_of, [100] * 9), as_of, DEADLINE)
    assert f.done == 900 and f.days_left == 0 and f.required_rate is None
    assert f.status == fc.LATE
    assert f.projected_7d == D(2027, 1, 6)  # 100 left at 100/day


def test_on_deadline_day_with_pages_left_is_late():
    f = fc.forecast(10, {D(2026, 12, 30): 5}, DEADLINE, DEADLINE)
    assert f.days_left == 0 and f.status == fc.LATE


@pytest.mark.parametrize(
    ("last7", "status"),
    [
        (140, fc.ON_TRACK),
        (70, fc.ON_TRACK),
        (63, fc.AT_RISK),
        (56, fc.AT_RISK),
        (55, fc.LATE),
        (0, fc.LATE),
    ],
)
def test_status_rule_thresholds(last7, status):
    # 10 days left, 100 pages left: 10 pages/day needed; at risk from 8/day.
    as_of = D(2026, 12, 21)
    series = {D(2026, 11, 1): 900 - last7, as_of: last7}
    f = fc.forecast(1000, series, as_of, DEADLINE)
    assert f.remaining == 100 and f.days_left == 10
    assert f.required_rate == pytest.approx(10.0)
    assert f.rate_7d == pytest.approx(last7 / 7)
    assert f.status == status


def test_projection_rounds_up_and_ignores_days_after_the_report():
    as_of = D(2026, 12, 1)
    series = days_back(as_of, [0, 0, 0, 0, 0, 0, 70]) | {D(2026, 12, 2): 10_000}
    f = fc.forecast(1000, series, as_of, DEADLINE)
    assert f.done == 70 and f.rate_7d == pytest.approx(10.0)
    assert f.rate_30d == pytest.approx(70 / 30)
    assert f.projected_7d == D(2026, 12, 1) + dt.timedelta(days=93)
    assert f.projected_30d == D(2026, 12, 1) + dt.timedelta(days=399)  # ceil(930 / 2.333)


def test_no_plan():
    f = fc.forecast(0, {D(2026, 11, 1): 5}, D(2026, 11, 27), DEADLINE)
    assert f.status == fc.NO_PLAN and f.share_done is None


def test_backlog_trend_and_time_to_clear():
    d = D(2026, 11, 1)
    extracted = {d: 100, d + dt.timedelta(days=8): 10}
    reviewed = {d + dt.timedelta(days=3): 30, d + dt.timedelta(days=7): 5}
    b = fc.backlog(extracted, reviewed, d + dt.timedelta(days=8))
    assert b.now == 75 and b.week_ago == 100 and not b.growing
    assert b.review_rate_7d == pytest.approx(35 / 7)
    assert b.days_to_clear == pytest.approx(75 / 5)
    stuck = fc.backlog({d: 10}, {}, d + dt.timedelta(days=3))
    assert stuck.growing and stuck.days_to_clear is None
    empty = fc.backlog({}, {}, d)
    assert empty.now == 0 and empty.days_to_clear == 0.0


def test_cumulative_counts_days_before_the_window():
    d = D(2026, 11, 10)
    series = {D(2026, 11, 1): 5, d: 2, D(2026, 11, 12): 3}
    assert fc.cumulative(series, d, D(2026, 11, 12)) == [
        (d, 7),
        (D(2026, 11, 11), 7),
        (D(2026, 11, 12), 10),
    ]
