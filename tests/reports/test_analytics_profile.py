"""The agent profile on small hand-built data with known answers (``profile_data``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from qa_monitor.core.forms import Category
from qa_monitor.core.statistics import mean_confidence_interval, wilson_interval
from qa_monitor.reports.analytics_filter import DashboardFilter, Granularity
from qa_monitor.reports.analytics_profile import build_agent_profile, trend_granularity
from qa_monitor.services.profile_service import ProfileService
from qa_monitor.storage import profile_queries
from tests.reports.profile_data import MARCH, Data, build_profile_data


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Data]:
    built = build_profile_data(tmp_path_factory.mktemp("profile") / "qa.db")
    with built.services:
        yield built


def test_key_figures_count_regular_submitted_evaluations_only(data: Data) -> None:
    p = build_agent_profile(data.path, data.agents[0].id, MARCH)

    assert (p.name, p.team_name) == ("A1", "Team 1")
    k = p.kpis
    assert k.n == 4
    expected = mean_confidence_interval([90.0, 80.0, 0.0, 100.0])
    assert expected is not None and k.score is not None
    assert k.mean == pytest.approx(67.5)
    assert (k.score.low, k.score.high) == pytest.approx((expected.low, expected.high))
    assert k.passed == wilson_interval(3, 4)  # the critical failure fails
    assert k.critical == wilson_interval(1, 4) and k.critical_failures == 1
    # The previous 31 days (Jan 29 – Feb 28): 80 and 90.
    assert (k.previous_n, k.previous_mean) == (2, pytest.approx(85.0))
    assert k.change == pytest.approx(-17.5)
    assert k.change_test is not None and k.change_test.mean_b == pytest.approx(85.0)
    # The team: A1 and A2 (A3 is in Team 2).
    assert k.team_n == 7
    assert k.team_mean == pytest.approx(550 / 7)
    assert k.team_passed == wilson_interval(6, 7)


def test_trend_by_week_with_team_and_pass_mark(data: Data) -> None:
    p = build_agent_profile(data.path, data.agents[0].id, MARCH)

    assert p.trend.granularity is Granularity.WEEK
    rows = [(pt.start, pt.end, pt.n, pt.mean, pt.team_mean, pt.pass_marks) for pt in p.trend.points]
    assert rows == [
        (date(2026, 3, 1), date(2026, 3, 1), 0, None, None, ()),
        (date(2026, 3, 2), date(2026, 3, 8), 1, pytest.approx(90.0), pytest.approx(95.0), (80.0,)),
        (date(2026, 3, 9), date(2026, 3, 15), 1, pytest.approx(80.0), pytest.approx(85.0), (80.0,)),
        (date(2026, 3, 16), date(2026, 3, 22), 1, pytest.approx(0.0), pytest.approx(45.0), (80.0,)),
        (
            date(2026, 3, 23),
            date(2026, 3, 29),
            1,
            pytest.approx(100.0),
            pytest.approx(100.0),
            (80.0,),
        ),
        (date(2026, 3, 30), date(2026, 3, 31), 0, None, None, ()),
    ]
    assert p.trend.pass_marks == (80.0,)


def test_an_open_range_runs_over_the_agents_own_data(data: Data) -> None:
    p = build_agent_profile(data.path, data.agents[0].id, DashboardFilter())

    assert (p.first, p.last) == (date(2026, 2, 10), date(2026, 3, 23))
    assert p.trend.granularity is Granularity.WEEK  # 42 days
    assert p.kpis.n == 6 and p.kpis.change is None  # no previous period to an open range
    assert trend_granularity(date(2026, 1, 1), date(2026, 4, 2)) is Granularity.WEEK  # 92 days
    assert trend_granularity(date(2026, 1, 1), date(2026, 4, 3)) is Granularity.MONTH


def test_sections_and_areas_against_the_team(data: Data) -> None:
    p = build_agent_profile(data.path, data.agents[0].id, MARCH)

    sections = {c.key: c for c in p.areas.sections}
    assert list(sections) == ["soft", "proc", "comp", "out"]  # form order
    # Points: soft 140/160, proc 110/120, comp 70/80 (the form-critical miss zeroes the
    # score, not the section), out 30/30 (N/A on Mar 23).
    assert sections["soft"].percent == pytest.approx(87.5)
    assert sections["soft"].team_percent == pytest.approx(250 / 280 * 100)
    assert sections["proc"].difference == pytest.approx(110 / 120 * 100 - 190 / 210 * 100)
    assert sections["comp"].difference == pytest.approx(87.5 - 130 / 140 * 100)
    assert sections["out"].percent == pytest.approx(100.0)
    assert sections["out"].difference == pytest.approx(0.0)
    assert [c.key for c in p.strengths] == ["proc"]
    assert [c.key for c in p.weaknesses] == ["comp", "soft"]  # furthest below first
    areas = {c.category: c for c in p.areas.categories}
    assert list(areas) == list(Category)
    assert areas[Category.COMPLIANCE].percent == pytest.approx(87.5)


def test_weakest_questions_ignore_na_and_rank_by_evidence(data: Data) -> None:
    p = build_agent_profile(data.path, data.agents[0].id, MARCH)

    weakest = [(q.question_id, q.answered, q.missed) for q in p.weakest_questions]
    # q1 2 of 4 first; q5 and q9 (1 of 4 each) tie and follow in id order.
    assert weakest == [("q1", 4, 2), ("q5", 4, 1), ("q9", 4, 1)]
    q1 = p.weakest_questions[0]
    assert q1.rate == wilson_interval(2, 4)
    assert (q1.team_answered, q1.team_missed) == (7, 2)
    assert q1.text == "Behaviour q1" and q1.section_title == "Soft skills"
    q10 = next(q for q in p.areas.questions if q.question_id == "q10")
    assert (q10.answered, q10.missed, q10.team_answered) == (3, 0, 6)  # the N/A left out
    assert p.weakest_questions[2].critical_failures == 1


def test_comments_newest_first_and_critical_failures(data: Data, monkeypatch) -> None:
    a1 = data.a1
    p = build_agent_profile(data.path, data.agents[0].id, MARCH)

    assert [(c.evaluation_id, c.question_text, c.comment) for c in p.comments] == [
        (a1["mar23"], None, "Perfect"),
        (a1["mar16"], "Behaviour q9", "No disclosure read"),
        (a1["mar2"], None, "Friendly call"),
        (a1["mar2"], "Behaviour q1", "Skipped the greeting"),
    ]
    first = p.comments[1]
    assert (first.day, first.form_title, first.earned, first.possible) == (
        date(2026, 3, 16),
        "Coaching form",
        0.0,
        10.0,
    )
    assert first.score == pytest.approx(0.0)
    assert [
        c.comment
        for c in build_agent_profile(data.path, data.agents[0].id, MARCH, comments=2).comments
    ] == [
        "Perfect",
        "No disclosure read",
    ]
    # A window of one evaluation grows until it holds enough comments.
    monkeypatch.setattr(profile_queries, "FIRST_WINDOW", 1)
    again = build_agent_profile(data.path, data.agents[0].id, MARCH)
    assert again.comments == p.comments

    (failure,) = p.critical_failures
    assert (failure.evaluation_id, failure.question_id, failure.level) == (
        a1["mar16"],
        "q9",
        "form",
    )
    assert (failure.question_text, failure.comment) == ("Behaviour q9", "No disclosure read")


def test_drill_down_lists_the_agents_evaluations_that_missed(data: Data) -> None:
    service = ProfileService(data.path)
    a1 = data.a1
    assert service.evaluations_missing(data.agents[0].id, MARCH, "coach", "q1") == (
        a1["mar9"],
        a1["mar2"],
    )
    assert service.build(data.agents[0].id, MARCH).kpis.n == 4


def test_agent_without_team_and_unknown_agent(data: Data) -> None:
    p = build_agent_profile(data.services.db, data.agents[3].id, MARCH)
    assert (p.team_id, p.team_name, p.kpis.team_n, p.kpis.team_mean) == (None, None, 0, None)
    assert p.kpis.n == 1
    assert all(c.team_percent is None and c.difference is None for c in p.areas.sections)
    assert p.strengths == () and p.weaknesses == ()
    assert all(pt.team_mean is None for pt in p.trend.points)
    with pytest.raises(LookupError, match="Agent 999 does not exist"):
        build_agent_profile(data.path, 999, MARCH)
