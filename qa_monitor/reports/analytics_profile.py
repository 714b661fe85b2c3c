"""One agent's profile: what a supervisor opens before a coaching session.

Rules:
- The agent's figures cover their evaluations in the filter, whatever team they were
  in; the filter's own team and agent choices are replaced. The team is the agent's
  current team over the same filter (``analytics_profile_areas``). Only regular,
  submitted-or-later evaluations count unless the filter's ``kinds`` say otherwise.
- Key figures: evaluations; mean score with its 95% t interval; pass rate (of
  evaluations with a verdict) and critical-failure rate (of all evaluations), each
  with a 95% Wilson interval; the change of the mean against the previous period of
  equal length (None when the range is open or either period has no score), with
  Welch's test of it.
- The trend runs over the filter's range, or, where it is open, from the agent's
  first to last evaluation: by week (the centre's week start) for up to
  ``WEEKLY_UP_TO_DAYS`` days, else by month. Each period has the agent's mean with its
  95% t interval, the team's mean over the same days and the pass marks of the form
  versions the agent was scored with in it (usually one; two forms with different
  pass marks give both, as the dashboard shows them).
- Comments: the newest ``comments`` (20) overall and per-question comments; critical
  failures: the failing answers on critical questions, newest first
  (``storage.profile_queries``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import sqlite_utils

from qa_monitor.core.statistics import MeanInterval, Proportion, WelchTest, wilson_interval
from qa_monitor.reports.analytics_filter import (
    DashboardFilter,
    Granularity,
    next_period_start,
    period_starts,
)
from qa_monitor.reports.analytics_profile_areas import (
    AreaKind,
    Areas,
    Comparison,
    QuestionStat,
    compare_areas,
)
from qa_monitor.reports.analytics_stats import interval_of, mean_of, welch_of
from qa_monitor.reports.analytics_trends import pass_mark_forms_in
from qa_monitor.storage import analytics_lookups as lookups
from qa_monitor.storage import profile_queries
from qa_monitor.storage.analytics_queries import EvalSums, evaluation_sums, open_readonly, total
from qa_monitor.storage.profile_queries import CommentRow, CriticalRow
from qa_monitor.storage.rollup_specs import Grain

__all__ = [
    "AgentProfile",
    "AreaKind",
    "Areas",
    "CommentRow",
    "Comparison",
    "CriticalRow",
    "ProfileKpis",
    "ProfileTrend",
    "QuestionStat",
    "TrendPoint",
    "build_agent_profile",
    "trend_granularity",
]

WEEKLY_UP_TO_DAYS = 92
COMMENTS = 20


@dataclass(frozen=True, slots=True)
class ProfileKpis:
    n: int  # evaluations
    score: MeanInterval | None  # of scored evaluations, 95% t interval
    passed: Proportion | None
    critical: Proportion | None  # evaluations with a critical failure / evaluations
    previous_n: int  # scored evaluations in the previous period
    previous_mean: float | None
    change: float | None  # mean − previous mean
    change_test: WelchTest | None
    team_n: int
    team_mean: float | None
    team_passed: Proportion | None

    @property
    def mean(self) -> float | None:
        return None if self.score is None else self.score.mean

    @property
    def critical_failures(self) -> int:
        return 0 if self.critical is None else self.critical.successes


@dataclass(frozen=True, slots=True)
class TrendPoint:
    start: date
    end: date  # inclusive, clipped to the range
    n: int  # the agent's scored evaluations
    mean: float | None
    low: float | None  # 95% t interval; None for n < 2
    high: float | None
    team_n: int
    team_mean: float | None
    pass_marks: tuple[float, ...]  # distinct, lowest first


@dataclass(frozen=True, slots=True)
class ProfileTrend:
    granularity: Granularity
    week_start: int
    points: tuple[TrendPoint, ...]
    pass_marks: tuple[float, ...]  # distinct, lowest first
    # Each pass mark with the titles of the agent's forms that use it.
    pass_mark_forms: tuple[tuple[float, tuple[str, ...]], ...] = ()

    @property
    def n(self) -> int:
        return sum(p.n for p in self.points)


@dataclass(frozen=True, slots=True)
class AgentProfile:
    agent_id: int
    name: str
    team_id: int | None
    team_name: str | None
    filter: DashboardFilter  # as asked, with the trend's granularity
    first: date | None  # the range shown (open ends filled from the agent's data)
    last: date | None
    kpis: ProfileKpis
    trend: ProfileTrend
    areas: Areas
    comments: tuple[CommentRow, ...]
    critical_failures: tuple[CriticalRow, ...]

    @property
    def strengths(self) -> tuple[Comparison, ...]:
        return self.areas.strengths()

    @property
    def weaknesses(self) -> tuple[Comparison, ...]:
        return self.areas.weaknesses()

    @property
    def weakest_questions(self) -> tuple[QuestionStat, ...]:
        return self.areas.weakest()


def trend_granularity(first: date, last: date) -> Granularity:
    """Weeks for a range of up to ``WEEKLY_UP_TO_DAYS`` days, else months."""
    return Granularity.WEEK if (last - first).days + 1 <= WEEKLY_UP_TO_DAYS else Granularity.MONTH


Db = sqlite_utils.Database | sqlite3.Connection | str | Path


@contextmanager
def _opened(source: Db) -> Iterator[sqlite_utils.Database]:
    if isinstance(source, sqlite_utils.Database):
        yield source
    elif isinstance(source, sqlite3.Connection):
        yield sqlite_utils.Database(source, execute_plugins=False)
    else:
        db = open_readonly(source)
        try:
            yield db
        finally:
            db.conn.close()


def _grain(granularity: Granularity) -> Grain:
    return "day" if granularity in (Granularity.DAY, Granularity.WEEK) else "month"


def _marks_of(versions: set[int], marks: dict[int, float | None]) -> tuple[float, ...]:
    return tuple(sorted({m for v in versions if (m := marks.get(v)) is not None}))


def _trend(
    f: DashboardFilter,
    first: date | None,
    last: date | None,
    agent: dict[tuple[date, int], EvalSums],
    team: dict[date, EvalSums],
    marks: dict[int, float | None],
) -> tuple[TrendPoint, ...]:
    if first is None or last is None:
        return ()
    starts = period_starts(first, last, f.granularity, f.week_start)
    own = {s: EvalSums() for s in starts}
    theirs = {s: EvalSums() for s in starts}
    versions: dict[date, set[int]] = {s: set() for s in starts}
    for (day, version), sums in agent.items():
        start = f.period_of(day)
        if start in own:
            own[start] += sums
            versions[start].add(version)
    for day, sums in team.items():
        start = f.period_of(day)
        if start in theirs:
            theirs[start] += sums
    points = []
    for start in starts:
        end = next_period_start(start, f.granularity) - timedelta(days=1)
        ci = interval_of(own[start])
        points.append(
            TrendPoint(
                max(start, first),
                min(end, last),
                own[start].n_scored,
                None if ci is None else ci.mean,
                None if ci is None else ci.low,
                None if ci is None else ci.high,
                theirs[start].n_scored,
                mean_of(theirs[start]),
                _marks_of(versions[start], marks),
            )
        )
    return tuple(points)


def _kpis(
    db: sqlite_utils.Database, f: DashboardFilter, agent_id: int, mine: EvalSums, team: EvalSums
) -> ProfileKpis:
    before = EvalSums()
    previous = f.previous_period()
    if previous is not None:
        scope = replace(previous, agent_ids=(agent_id,), team_ids=()).scope()
        before = total(evaluation_sums(db, scope), EvalSums)
    mean, previous_mean = mean_of(mine), mean_of(before)
    return ProfileKpis(
        n=mine.n,
        score=interval_of(mine),
        passed=wilson_interval(mine.n_passed, mine.n_pass_known),
        critical=wilson_interval(mine.n_critical, mine.n),
        previous_n=before.n_scored,
        previous_mean=previous_mean,
        change=None if mean is None or previous_mean is None else mean - previous_mean,
        change_test=welch_of(mine, before) if previous_mean is not None else None,
        team_n=team.n_scored,
        team_mean=mean_of(team),
        team_passed=wilson_interval(team.n_passed, team.n_pass_known),
    )


def build_agent_profile(
    conn_or_db_path: Db, agent_id: int, f: DashboardFilter, *, comments: int = COMMENTS
) -> AgentProfile:
    """Agent ``agent_id``'s profile over ``f`` (see the module rules).

    Raises LookupError when there is no such agent.
    """
    with _opened(conn_or_db_path) as db:
        name = lookups.names(db, "agents", (agent_id,)).get(agent_id)
        if name is None:
            raise LookupError(f"Agent {agent_id} does not exist; choose another agent.")
        team_id = lookups.agent_teams(db, (agent_id,)).get(agent_id)
        team_name = lookups.names(db, "teams", (team_id,)).get(team_id) if team_id else None
        agent_scope = replace(f, agent_ids=(agent_id,), team_ids=()).scope()
        first, last = f.date_from, f.date_to
        if first is None or last is None:
            span = profile_queries.data_span(db, agent_scope)
            if span is not None:
                first, last = first or span[0], last or span[1]
            if first is not None and last is not None and first > last:
                first = last = f.date_from or f.date_to  # no data on the open side
        granularity = Granularity.MONTH
        if first is not None and last is not None and first <= last:
            granularity = trend_granularity(first, last)
        f = replace(f, granularity=granularity)
        grain = _grain(granularity)
        rows = evaluation_sums(db, agent_scope, ("form_version_id",), grain)
        agent = {(key[0], key[1]): sums for key, sums in rows.items()}
        team_scope = None
        team: dict[date, EvalSums] = {}
        if team_id is not None:
            # Over the days shown: an open range is the agent's own first to last day.
            bounded = replace(f, agent_ids=(), team_ids=(team_id,), date_from=first, date_to=last)
            team_scope = bounded.scope()
            team = {key[0]: s for key, s in evaluation_sums(db, team_scope, (), grain).items()}
        marks = lookups.pass_marks(db, {version for _day, version in agent})
        trend = ProfileTrend(
            granularity,
            f.week_start,
            _trend(f, first, last, agent, team, marks),
            tuple(sorted({m for m in marks.values() if m is not None})),
            pass_mark_forms_in(db, agent_scope),
        )
        return AgentProfile(
            agent_id=agent_id,
            name=name,
            team_id=team_id,
            team_name=team_name,
            filter=f,
            first=first,
            last=last,
            kpis=_kpis(db, f, agent_id, total(agent, EvalSums), total(team, EvalSums)),
            trend=trend,
            areas=compare_areas(db, agent_scope, team_scope),
            comments=tuple(profile_queries.recent_comments(db, agent_scope, comments)),
            critical_failures=tuple(profile_queries.critical_failures(db, agent_scope)),
        )
