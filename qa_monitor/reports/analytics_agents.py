"""People: the agent league table and reviewer strictness.

Rules:
- League: per agent in the filter, n (scored evaluations), mean score with its 95% t
  interval, pass rate with its 95% Wilson interval, critical failures, and the change
  of the mean versus the agent's previous period of equal length (None when either
  period has no score or the range is open). Ordered by mean, highest first; agents
  without a score last. The team shown is the agent's current team.
- Reviewer strictness compares like with like: work is comparable when it is on the
  same form for the same team in the period. For each (form, team) cell where the
  reviewer and at least one other reviewer scored, the reviewer's mean is compared
  with the others' mean; the cells are weighted by the reviewer's count in them.
  ``difference`` = reviewer's mean − others' mean on that mix (negative: stricter),
  with a normal-approximation 95% interval from the cells' variances. Reviewers with
  no comparable cell get no difference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sqlite_utils

from qa_monitor.core.statistics import Proportion, normal_quantile, wilson_interval
from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.reports.analytics_stats import interval_of, mean_of, variance_of
from qa_monitor.storage import analytics_lookups as lookups
from qa_monitor.storage.analytics_queries import EvalSums, evaluation_sums


@dataclass(frozen=True, slots=True)
class LeagueRow:
    agent_id: int
    name: str
    team_id: int | None
    team_name: str | None
    n: int
    mean: float | None
    low: float | None
    high: float | None
    passed: Proportion | None
    critical_failures: int
    previous_n: int
    previous_mean: float | None
    change: float | None


def per_agent(db: sqlite_utils.Database, f: DashboardFilter | None) -> dict[int, EvalSums]:
    """Evaluation sums per agent over the filter (empty for None)."""
    if f is None:
        return {}
    return {key[0]: sums for key, sums in evaluation_sums(db, f.scope(), ("agent_id",)).items()}


@dataclass(frozen=True, slots=True)
class AgentPeriods:
    """Evaluation sums per agent in the filter's period and in the previous period of
    equal length: what the league and the exceptions both start from."""

    current: dict[int, EvalSums]
    previous: dict[int, EvalSums]


def agent_periods(db: sqlite_utils.Database, f: DashboardFilter) -> AgentPeriods:
    return AgentPeriods(per_agent(db, f), per_agent(db, f.previous_period()))


def agent_league(
    db: sqlite_utils.Database, f: DashboardFilter, periods: AgentPeriods | None = None
) -> tuple[LeagueRow, ...]:
    """The league table (see the module rules); ``periods``: ``agent_periods(db, f)``
    when the caller has it already."""
    if periods is None:
        periods = agent_periods(db, f)
    current, previous = periods.current, periods.previous
    agent_names = lookups.names(db, "agents", current)
    teams = lookups.agent_teams(db, current)
    team_names = lookups.names(db, "teams", (t for t in teams.values() if t is not None))
    rows = []
    for agent_id, sums in current.items():
        ci = interval_of(sums)
        before = previous.get(agent_id, EvalSums())
        mean, previous_mean = mean_of(sums), mean_of(before)
        team_id = teams.get(agent_id)
        rows.append(
            LeagueRow(
                agent_id=agent_id,
                name=agent_names.get(agent_id, f"#{agent_id}"),
                team_id=team_id,
                team_name=None if team_id is None else team_names.get(team_id),
                n=sums.n_scored,
                mean=mean,
                low=None if ci is None else ci.low,
                high=None if ci is None else ci.high,
                passed=wilson_interval(sums.n_passed, sums.n_pass_known),
                critical_failures=sums.n_critical,
                previous_n=before.n_scored,
                previous_mean=previous_mean,
                change=None if mean is None or previous_mean is None else mean - previous_mean,
            )
        )
    rows.sort(key=lambda r: (r.mean is None, -(r.mean or 0.0), r.name, r.agent_id))
    return tuple(rows)


# --------------------------------------------------------------------------- reviewers


@dataclass(frozen=True, slots=True)
class ReviewerStrictness:
    reviewer_id: int
    name: str
    is_expert: bool
    n: int  # scored evaluations in the period
    mean: float | None  # over all of them
    comparable_n: int  # of them, in cells others also scored
    cells: int  # (form, team) cells compared
    comparable_mean: float | None  # the reviewer's mean on the comparable work
    others_mean: float | None  # the others' mean on the same mix of cells
    difference: float | None  # comparable_mean − others_mean; negative = stricter
    low: float | None
    high: float | None


def reviewer_strictness(
    db: sqlite_utils.Database, f: DashboardFilter, confidence: float = 0.95
) -> tuple[ReviewerStrictness, ...]:
    """Each reviewer against the others on comparable work (see the module rules);
    strictest (most negative difference) first, reviewers without one last."""
    cells = evaluation_sums(db, f.scope(), ("reviewer_id", "form_id", "team_id"))
    cell_totals: dict[tuple[str, int], EvalSums] = {}
    own_cells: dict[int, list[tuple[EvalSums, tuple[str, int]]]] = {}
    for (reviewer_id, form_id, team_id), sums in cells.items():
        cell = (form_id, team_id)
        cell_totals[cell] = cell_totals.get(cell, EvalSums()) + sums
        own_cells.setdefault(reviewer_id, []).append((sums, cell))
    z = normal_quantile(1.0 - (1.0 - confidence) / 2.0)
    reviewer_names = lookups.names(db, "reviewers", own_cells)
    experts = lookups.expert_reviewers(db)
    out = []
    for reviewer_id, mine in own_cells.items():
        everything = EvalSums()
        weight, own_sum, others_sum, variance_sum, used = 0, 0.0, 0.0, 0.0, 0
        for own, cell in mine:
            everything = everything + own
            others = cell_totals[cell] - own
            own_mean, others_mean = mean_of(own), mean_of(others)
            if own_mean is None or others_mean is None:
                continue
            n = own.n_scored
            used += 1
            weight += n
            own_sum += n * own_mean
            others_sum += n * others_mean
            # Var(mean) of each side, 0 when a side has a single score (unknown spread).
            var_own = (variance_of(own) or 0.0) / n
            var_others = (variance_of(others) or 0.0) / others.n_scored
            variance_sum += n * n * (var_own + var_others)
        difference = low = high = None
        comparable_mean = others_mean = None
        if weight:
            comparable_mean, others_mean = own_sum / weight, others_sum / weight
            difference = comparable_mean - others_mean
            half = z * math.sqrt(variance_sum) / weight
            low, high = difference - half, difference + half
        out.append(
            ReviewerStrictness(
                reviewer_id=reviewer_id,
                name=reviewer_names.get(reviewer_id, f"#{reviewer_id}"),
                is_expert=reviewer_id in experts,
                n=everything.n_scored,
                mean=mean_of(everything),
                comparable_n=weight,
                cells=used,
                comparable_mean=comparable_mean,
                others_mean=others_mean,
                difference=difference,
                low=low,
                high=high,
            )
        )
    out.sort(key=lambda r: (r.difference is None, r.difference or 0.0, r.name))
    return tuple(out)
