"""The supervisor dashboard's numbers, without Qt: one import for the UI and the CLI.

Every function takes an open database (``open_readonly(path)`` gives a read-only one,
e.g. per worker thread) and a ``DashboardFilter`` and returns frozen dataclasses.
Only submitted-or-later evaluations count. The rules of each figure are in its module:

- ``analytics_trends``: score, pass-rate and critical-failure trends; category and
  section averages; the pass mark.
- ``analytics_questions``: the question miss-rate Pareto and its drill-down.
- ``analytics_agents``: the agent league table and reviewer strictness.
- ``analytics_groups``: teams and reviewers compared, the filter's headline figures.
- ``analytics_breakdown``: trends per section and per question.
- ``analytics_exceptions``: control-limit exceptions, declines, most improved.
- ``analytics_calibration``: reviewers against the expert, Krippendorff's alpha.

``build_dashboard`` computes everything a dashboard refresh shows; it can hand over the
charts' part (trends, areas, Pareto) before it computes the people tables (league,
exceptions, reviewers: the slower half), so a screen draws while it waits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import sqlite_utils

from qa_monitor.reports.analytics_agents import (
    AgentPeriods,
    LeagueRow,
    ReviewerStrictness,
    agent_league,
    agent_periods,
    reviewer_strictness,
)
from qa_monitor.reports.analytics_breakdown import TrendSeries, question_trends, section_trends
from qa_monitor.reports.analytics_calibration import CalibrationReport, calibration_report
from qa_monitor.reports.analytics_exceptions import (
    ControlException,
    Exceptions,
    PeriodChange,
    exceptions,
)
from qa_monitor.reports.analytics_filter import DashboardFilter, Granularity, period_start
from qa_monitor.reports.analytics_groups import GroupRow, GroupTables, group_tables
from qa_monitor.reports.analytics_questions import (
    QuestionMiss,
    evaluations_for_question,
    question_pareto,
)
from qa_monitor.reports.analytics_trends import (
    AreaAverage,
    CategoryAverage,
    RatePoint,
    RateTrend,
    ScorePoint,
    ScoreTrend,
    SectionAverage,
    category_averages,
    evaluations_for_category,
    rate_trends,
    score_trend,
    section_averages,
)
from qa_monitor.storage.analytics_queries import open_readonly

__all__ = [
    "AgentPeriods",
    "AreaAverage",
    "CalibrationReport",
    "CategoryAverage",
    "ControlException",
    "Dashboard",
    "DashboardFilter",
    "Exceptions",
    "Granularity",
    "GroupRow",
    "LeagueRow",
    "PeopleTables",
    "PeriodChange",
    "QuestionMiss",
    "RatePoint",
    "RateTrend",
    "ReviewerStrictness",
    "ScorePoint",
    "ScoreTrend",
    "SectionAverage",
    "TrendSeries",
    "agent_league",
    "agent_periods",
    "build_dashboard",
    "calibration_report",
    "category_averages",
    "dashboard_charts",
    "evaluations_for_category",
    "evaluations_for_question",
    "exceptions",
    "open_readonly",
    "people_tables",
    "period_start",
    "question_pareto",
    "rate_trends",
    "reviewer_strictness",
    "score_trend",
    "section_averages",
    "with_people",
]


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything one dashboard refresh shows, for one filter."""

    filter: DashboardFilter
    score: ScoreTrend
    rates: RateTrend
    categories: tuple[CategoryAverage, ...]
    sections: tuple[SectionAverage, ...]
    questions: tuple[QuestionMiss, ...]
    league: tuple[LeagueRow, ...]
    exceptions: Exceptions
    reviewers: tuple[ReviewerStrictness, ...]
    # Trends per section and per question (``analytics_breakdown``).
    section_trends: tuple[TrendSeries, ...] = ()
    question_trends: tuple[TrendSeries, ...] = ()
    # Teams and reviewers compared, and the whole filter's figures (``analytics_groups``).
    teams: tuple[GroupRow, ...] = ()
    reviewers_compared: tuple[GroupRow, ...] = ()
    headline: GroupRow | None = None


NO_EXCEPTIONS = Exceptions(0, None, None, (), (), (), ())


@dataclass(frozen=True, slots=True)
class PeopleTables:
    """The dashboard's people tables: the part of a refresh that follows the charts."""

    league: tuple[LeagueRow, ...]
    exceptions: Exceptions
    reviewers: tuple[ReviewerStrictness, ...]
    groups: GroupTables | None = None


def dashboard_charts(db: sqlite_utils.Database, f: DashboardFilter) -> Dashboard:
    """The dashboard for ``f`` with its charts' figures only (no people tables yet)."""
    score = score_trend(db, f)
    questions = question_pareto(db, f)
    return Dashboard(
        filter=f,
        score=score,
        rates=rate_trends(db, f),
        categories=category_averages(db, f),
        sections=section_averages(db, f),
        questions=questions,
        league=(),
        exceptions=NO_EXCEPTIONS,
        reviewers=(),
        section_trends=section_trends(db, f, score.points),
        question_trends=question_trends(db, f, score.points, questions),
    )


def people_tables(db: sqlite_utils.Database, f: DashboardFilter) -> PeopleTables:
    """The league, the exceptions, reviewer strictness, and the team and reviewer
    tables with the headline, for ``f``."""
    periods = agent_periods(db, f)  # the league and the exceptions share them
    return PeopleTables(
        league=agent_league(db, f, periods),
        exceptions=exceptions(db, f, periods=periods),
        reviewers=reviewer_strictness(db, f),
        groups=group_tables(db, f),
    )


def with_people(charts_part: Dashboard, people: PeopleTables) -> Dashboard:
    """``dashboard_charts``'s result completed with ``people_tables``'s."""
    groups = people.groups
    return replace(
        charts_part,
        league=people.league,
        exceptions=people.exceptions,
        reviewers=people.reviewers,
        teams=() if groups is None else groups.teams,
        reviewers_compared=() if groups is None else groups.reviewers,
        headline=None if groups is None else groups.headline,
    )


def build_dashboard(
    db: sqlite_utils.Database,
    f: DashboardFilter,
    on_charts: Callable[[Dashboard], None] | None = None,
) -> Dashboard:
    """Every dashboard figure for ``f`` (calibration has its own screen and call).
    ``on_charts`` first receives the dashboard with its charts' figures only (no
    league, exceptions or reviewers yet)."""
    charts_part = dashboard_charts(db, f)
    if on_charts is not None:
        on_charts(charts_part)
    return with_people(charts_part, people_tables(db, f))
