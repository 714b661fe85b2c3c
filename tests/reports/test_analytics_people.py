"""Pareto, league, exceptions, reviewer strictness and calibration on known data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from qa_monitor.core.agreement import krippendorff_alpha
from qa_monitor.core.records import EvaluationKind
from qa_monitor.core.statistics import mean_confidence_interval, welch_t_test, wilson_interval
from qa_monitor.reports.analytics import (
    DashboardFilter,
    agent_league,
    calibration_report,
    evaluations_for_question,
    exceptions,
    question_pareto,
    reviewer_strictness,
)
from tests.reports.analytics_data import Centre, evaluate, misses_for, open_centre


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    services, built = open_centre(tmp_path / "qa.db")
    with services:
        yield built


MARCH = DashboardFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
FEBRUARY_END = date(2026, 2, 28)  # March's previous period: 31 days ending here


def test_pareto_orders_by_misses_and_drills_down(centre: Centre) -> None:
    agent = centre.agents[0]
    ids = [
        evaluate(centre, agent, date(2026, 3, day), missed)
        for day, missed in (
            (2, ("q1", "q5")),
            (3, ("q1", "q5", "q10")),
            (4, ("q1",)),
            (5, ()),
        )
    ]

    pareto = question_pareto(centre.services.db, MARCH)

    assert [(q.question_id, q.missed, q.answered) for q in pareto[:3]] == [
        ("q1", 3, 4),
        ("q5", 2, 4),
        ("q10", 1, 4),
    ]
    assert pareto[0].rate == wilson_interval(3, 4)
    assert pareto[0].text == "Behaviour q1" and pareto[0].section_title == "Soft skills"
    assert pareto[2].cumulative_share == pytest.approx(1.0)
    assert all(q.missed == 0 for q in pareto[3:])
    # Newest first; only the evaluations that missed it.
    assert evaluations_for_question(centre.services.db, MARCH, "q1") == (ids[2], ids[1], ids[0])
    assert evaluations_for_question(centre.services.db, MARCH, "q10", form_id="ten") == (ids[1],)


def test_league_table_with_intervals_and_change(centre: Centre) -> None:
    first, second = centre.agents[0], centre.agents[1]
    for score in (70, 80, 90):
        evaluate(centre, first, date(2026, 3, 10), misses_for(score))
    evaluate(centre, first, FEBRUARY_END, misses_for(60))
    evaluate(centre, first, FEBRUARY_END - timedelta(days=31), misses_for(0))  # before both
    evaluate(centre, second, date(2026, 3, 11), misses_for(100))

    league = agent_league(centre.services.db, MARCH)

    assert [r.name for r in league] == ["A2", "A1"]
    top, row = league
    expected = mean_confidence_interval([70.0, 80.0, 90.0])
    assert expected is not None
    assert (row.n, row.mean) == (3, pytest.approx(80.0))
    assert (row.low, row.high) == pytest.approx((expected.low, expected.high))
    assert row.passed == wilson_interval(2, 3)
    assert (row.previous_n, row.previous_mean, row.change) == (1, 60.0, pytest.approx(20.0))
    assert row.team_name == "Team 1"
    assert top.low is None and top.change is None  # one evaluation, nothing before


def _scores(centre: Centre, agent_index: int, day: date, scores: list[int]) -> None:
    for score in scores:
        evaluate(centre, centre.agents[agent_index], day, misses_for(score))


def test_exceptions_flag_the_outlier_and_the_decline_but_not_the_steady(tmp_path: Path) -> None:
    services, centre = open_centre(tmp_path / "qa.db")
    with services:
        steady = [80, 90, 80, 90, 80, 90]
        for index in (0, 1, 2):
            _scores(centre, index, date(2026, 3, 10), steady)
        _scores(centre, 3, date(2026, 3, 10), [20, 30, 20, 30, 20, 30])  # far below the rest
        # Agent 0 was far better last period; agent 1 about the same as now.
        _scores(centre, 0, date(2026, 2, 10), [100, 100, 90, 100, 100, 90])
        _scores(centre, 1, date(2026, 2, 10), [90, 80, 90, 80, 90, 80])

        found = exceptions(services.db, MARCH)

        grand = (3 * 85 + 25) / 4
        assert found.grand_mean == pytest.approx(grand)
        assert [(e.name, e.direction) for e in found.agents_outside] == [("A4", "below")]
        assert found.agents_outside[0].upper_limit == pytest.approx(
            grand + 3 * (found.sigma or 0) / 6**0.5
        )
        steady_row = next(r for r in agent_league(services.db, MARCH) if r.name == "A2")
        assert steady_row.n == 6
        down = {c.name: c for c in found.agents_down}
        assert set(down) == {"A1"}
        test = welch_t_test([80.0, 90.0] * 3, [100.0, 100.0, 90.0, 100.0, 100.0, 90.0])
        assert test is not None and down["A1"].p_value == pytest.approx(test.p_value)
        assert [c.name for c in found.most_improved] == []  # A2 did not rise
        assert {e.name for e in found.teams_outside} <= {"Team 1", "Team 2"}


def test_most_improved_ranks_by_rise(centre: Centre) -> None:
    _scores(centre, 0, date(2026, 2, 10), [50, 60, 50, 60, 50])
    _scores(centre, 0, date(2026, 3, 10), [90, 80, 90, 80, 90])
    _scores(centre, 1, date(2026, 2, 10), [70, 80, 70, 80, 70])
    _scores(centre, 1, date(2026, 3, 10), [80, 80, 70, 80, 80])

    found = exceptions(centre.services.db, MARCH)

    assert [(c.name, c.significant) for c in found.most_improved] == [("A1", True), ("A2", False)]
    assert found.most_improved[0].change == pytest.approx(86.0 - 54.0)
    assert found.agents_down == ()


def test_reviewer_strictness_compares_like_with_like(centre: Centre) -> None:
    strict, lenient = centre.reviewers
    team_one, team_two = centre.agents[0], centre.agents[2]
    for score in (70, 80):
        evaluate(centre, team_one, date(2026, 3, 5), misses_for(score), reviewer=strict)
    for score in (80, 90):
        evaluate(centre, team_one, date(2026, 3, 6), misses_for(score), reviewer=lenient)
    # Only the lenient reviewer scored team two: nothing to compare there.
    evaluate(centre, team_two, date(2026, 3, 7), misses_for(40), reviewer=lenient)

    rows = {r.name: r for r in reviewer_strictness(centre.services.db, MARCH)}

    assert rows["R1"].difference == pytest.approx(-10.0)
    assert rows["R2"].difference == pytest.approx(10.0)
    assert (rows["R2"].n, rows["R2"].comparable_n, rows["R2"].cells) == (3, 2, 1)
    assert rows["R2"].mean == pytest.approx(70.0)
    low, high = rows["R1"].low, rows["R1"].high
    assert low is not None and high is not None and low < -10.0 < high


def test_calibration_against_the_expert(centre: Centre) -> None:
    r1, r2 = centre.reviewers
    agent = centre.agents[0]
    calibration = EvaluationKind.CALIBRATION
    first = evaluate(
        centre, agent, date(2026, 3, 5), misses_for(80), reviewer=centre.expert, kind=calibration
    )
    interaction = centre.services.evaluations.get_evaluation(first).interaction_id
    for reviewer, score in ((r1, 70), (r2, 100)):
        evaluate(
            centre,
            agent,
            date(2026, 3, 5),
            misses_for(score),
            reviewer=reviewer,
            kind=calibration,
            interaction_id=interaction,
        )

    report = calibration_report(centre.services.db, MARCH)

    assert [i.interaction_id for i in report.interactions] == [interaction]
    assert report.interactions[0].expert_score == pytest.approx(80.0)
    assert [(s.name, s.deviation) for s in report.interactions[0].scores] == [
        ("R1", pytest.approx(-10.0)),
        ("R2", pytest.approx(20.0)),
    ]
    by_name = {r.name: r for r in report.reviewers}
    assert by_name["R1"].summary is not None and by_name["R1"].well_calibrated
    assert by_name["R2"].summary is not None and not by_name["R2"].well_calibrated
    assert by_name["R2"].summary.mean_absolute_deviation == pytest.approx(20.0)
    expected = krippendorff_alpha([{centre.expert.id: 80.0, r1.id: 70.0, r2.id: 100.0}], "interval")
    assert expected is not None and report.score_alpha == pytest.approx(expected)
    q1 = next(q for q in report.questions if q.question_id == "q1")
    assert q1.interactions == 1
    # Calibration evaluations stay out of the regular dashboard.
    assert agent_league(centre.services.db, MARCH) == ()
