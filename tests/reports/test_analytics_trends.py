"""Trends, rates and averages on hand-built data with known answers."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from qa_monitor.core.forms import Category
from qa_monitor.core.statistics import mean_confidence_interval, wilson_interval
from qa_monitor.reports.analytics import (
    DashboardFilter,
    Granularity,
    category_averages,
    rate_trends,
    score_trend,
    section_averages,
)
from qa_monitor.reports.analytics_filter import period_start
from tests.reports.analytics_data import Centre, evaluate, misses_for, open_centre


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    services, built = open_centre(tmp_path / "qa.db")
    with services:
        yield built


MARCH = DashboardFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))


def test_score_trend_mean_and_t_interval(centre: Centre) -> None:
    agent = centre.agents[0]
    for score in (80, 90, 100):
        evaluate(centre, agent, date(2026, 3, 2), misses_for(score))
    evaluate(centre, agent, date(2026, 4, 20), misses_for(70))
    # A draft never counts.
    evaluate(centre, agent, date(2026, 3, 3), misses_for(0), submit=False)

    trend = score_trend(centre.services.db, MARCH)

    assert [(p.start, p.end, p.n) for p in trend.points] == [
        (date(2026, 3, 1), date(2026, 3, 31), 3)
    ]
    point = trend.points[0]
    expected = mean_confidence_interval([80.0, 90.0, 100.0])
    assert expected is not None
    assert point.mean == pytest.approx(90.0)
    # s = 10, t(2, 0.975) = 4.302652730: 90 ± 24.8413
    assert point.low == pytest.approx(90 - 4.302652729911275 * 10 / math.sqrt(3))
    assert (point.low, point.high) == pytest.approx((expected.low, expected.high))
    assert trend.pass_marks == (80.0,) and trend.pass_mark == 80.0


def test_empty_periods_are_listed_without_a_mean(centre: Centre) -> None:
    evaluate(centre, centre.agents[0], date(2026, 1, 15), misses_for(90))
    evaluate(centre, centre.agents[0], date(2026, 3, 15), misses_for(70))
    f = DashboardFilter(date_from=date(2026, 1, 1), date_to=date(2026, 3, 31))

    trend = score_trend(centre.services.db, f)

    assert [(p.start, p.n, p.mean) for p in trend.points] == [
        (date(2026, 1, 1), 1, pytest.approx(90.0)),
        (date(2026, 2, 1), 0, None),
        (date(2026, 3, 1), 1, pytest.approx(70.0)),
    ]
    assert trend.n == 2 and trend.mean == pytest.approx(80.0)


def test_weeks_start_on_saturday_or_monday(centre: Centre) -> None:
    # Friday 6 March, Saturday 7 March and Monday 9 March 2026.
    for day, score in ((date(2026, 3, 6), 60), (date(2026, 3, 7), 80), (date(2026, 3, 9), 100)):
        evaluate(centre, centre.agents[0], day, misses_for(score))
    base = DashboardFilter(
        date_from=date(2026, 3, 2), date_to=date(2026, 3, 15), granularity=Granularity.WEEK
    )

    monday = score_trend(centre.services.db, base)  # week_start 0: Russia
    saturday = score_trend(
        centre.services.db, DashboardFilter(**{**_fields(base), "week_start": 5})
    )

    assert [(p.start, p.n, p.mean) for p in monday.points] == [
        (date(2026, 3, 2), 2, pytest.approx(70.0)),
        (date(2026, 3, 9), 1, pytest.approx(100.0)),
    ]
    # Iran: weeks run Saturday to Friday; the first one is clipped to the range's start.
    assert [(p.start, p.end, p.n, p.mean) for p in saturday.points] == [
        (date(2026, 3, 2), date(2026, 3, 6), 1, pytest.approx(60.0)),
        (date(2026, 3, 7), date(2026, 3, 13), 2, pytest.approx(90.0)),
        (date(2026, 3, 14), date(2026, 3, 15), 0, None),
    ]
    assert period_start(date(2026, 3, 9), Granularity.WEEK, 5) == date(2026, 3, 7)


def _fields(f: DashboardFilter) -> dict[str, object]:
    return {name: getattr(f, name) for name in f.__slots__}


def test_pass_and_critical_rates_with_wilson_intervals(centre: Centre) -> None:
    agent = centre.agents[0]
    for missed in (misses_for(100), misses_for(90), misses_for(80), misses_for(70), ("q9",)):
        evaluate(centre, agent, date(2026, 3, 10), missed)

    rates = rate_trends(centre.services.db, MARCH)

    # Passed: 100, 90, 80 (the pass mark is reached); 70 and the auto-fail do not.
    assert rates.passed == wilson_interval(3, 5)
    assert rates.critical == wilson_interval(1, 5)
    assert rates.points[0].passed == wilson_interval(3, 5)


def test_category_and_section_averages_are_points_weighted(centre: Centre) -> None:
    agent = centre.agents[0]
    evaluate(centre, agent, date(2026, 3, 10), ("q1", "q2"))  # soft 20/40
    evaluate(centre, agent, date(2026, 3, 11), ("q5",))  # soft 40/40, process 20/30
    evaluate(centre, agent, date(2026, 3, 12), ("q9",))  # compliance critical: section 10/20

    areas = {c.category: c.average for c in category_averages(centre.services.db, MARCH)}
    sections = section_averages(centre.services.db, MARCH)

    assert list(areas) == list(Category)
    assert areas[Category.SOFT_SKILLS].percent == pytest.approx(100 * 100 / 120)
    assert areas[Category.PROCESS].percent == pytest.approx(100 * 80 / 90)
    assert areas[Category.COMPLIANCE].percent == pytest.approx(100 * 50 / 60)
    assert areas[Category.COMPLIANCE].percent_before_critical == pytest.approx(100 * 50 / 60)
    assert areas[Category.OUTCOME].n == 3
    assert [s.section_id for s in sections] == ["soft", "proc", "comp", "out"]
    assert sections[0].title == "Soft skills"


def test_filters_narrow_every_figure(centre: Centre) -> None:
    first, second = centre.agents[0], centre.agents[2]  # teams 1 and 2
    evaluate(centre, first, date(2026, 3, 10), misses_for(100))
    evaluate(centre, second, date(2026, 3, 10), misses_for(50))
    team_two = DashboardFilter(
        date_from=MARCH.date_from, date_to=MARCH.date_to, team_ids=(centre.teams[1].id,)
    )

    trend = score_trend(centre.services.db, team_two)

    assert trend.n == 1 and trend.mean == pytest.approx(50.0)
