"""Exceptions worth a supervisor's time, flagged by statistics rather than raw rankings.

Rules (DOMAIN.md: "small samples mislead"):
- Control limits: over the filter's period, the grand mean x̄ and standard deviation σ
  of all scored evaluations; an agent (or team) with n scores is outside its limits
  when its mean is below x̄ − k·σ/√n or above x̄ + k·σ/√n (k = 3). Groups with fewer
  than ``min_control_n`` scores are not judged.
- Significantly down: the agent's mean in this period is lower than in the previous
  period of equal length, Welch's t-test p < ``alpha`` (0.05), with at least ``min_n``
  scores in each period.
- Most improved: agents with at least ``min_n`` scores in both periods and a higher
  mean now, by the size of the rise (largest first, at most ``top``); ``significant``
  says whether Welch's test also gives p < ``alpha``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import sqlite_utils

from qa_monitor.core.statistics import control_limits
from qa_monitor.reports.analytics_agents import AgentPeriods, agent_periods
from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.reports.analytics_stats import mean_of, stdev_of, welch_of
from qa_monitor.storage import analytics_lookups as lookups
from qa_monitor.storage.analytics_queries import EvalSums, evaluation_sums, total


@dataclass(frozen=True, slots=True)
class ControlException:
    """A group whose mean is outside its control limits."""

    level: Literal["agent", "team"]
    id: int
    name: str
    n: int
    mean: float
    lower_limit: float
    upper_limit: float
    direction: Literal["below", "above"]


@dataclass(frozen=True, slots=True)
class PeriodChange:
    """An agent's mean now against the previous period of equal length."""

    agent_id: int
    name: str
    n: int
    mean: float
    previous_n: int
    previous_mean: float
    change: float
    t: float | None  # Welch; None when undefined (no spread in either period)
    p_value: float | None
    significant: bool


@dataclass(frozen=True, slots=True)
class Exceptions:
    n: int  # scored evaluations in the period
    grand_mean: float | None
    sigma: float | None
    agents_outside: tuple[ControlException, ...]
    teams_outside: tuple[ControlException, ...]
    agents_down: tuple[PeriodChange, ...]
    most_improved: tuple[PeriodChange, ...]


def _outside(
    level: Literal["agent", "team"],
    groups: dict[int, EvalSums],
    names: dict[int, str],
    grand: float,
    sigma: float,
    k: float,
    min_n: int,
) -> tuple[ControlException, ...]:
    out = []
    for group_id, sums in groups.items():
        mean = mean_of(sums)
        if mean is None or sums.n_scored < min_n:
            continue
        low, high = control_limits(grand, sigma, sums.n_scored, k)
        if low <= mean <= high:
            continue
        out.append(
            ControlException(
                level,
                group_id,
                names.get(group_id, f"#{group_id}"),
                sums.n_scored,
                mean,
                low,
                high,
                "below" if mean < low else "above",
            )
        )
    # The furthest outside (in standard errors) first.
    out.sort(key=lambda e: -abs(e.mean - grand) * e.n**0.5)
    return tuple(out)


def _change(
    agent_id: int,
    now: EvalSums,
    before: EvalSums,
    names: dict[int, str],
    alpha: float,
) -> PeriodChange:
    mean, previous_mean = mean_of(now), mean_of(before)
    assert mean is not None and previous_mean is not None
    test = welch_of(now, before)
    return PeriodChange(
        agent_id,
        names.get(agent_id, f"#{agent_id}"),
        now.n_scored,
        mean,
        before.n_scored,
        previous_mean,
        mean - previous_mean,
        None if test is None else test.t,
        None if test is None else test.p_value,
        test is not None and test.p_value < alpha,
    )


def _changes(
    current: dict[int, EvalSums],
    previous: dict[int, EvalSums],
    names: dict[int, str],
    min_n: int,
    alpha: float,
    top: int,
) -> tuple[tuple[PeriodChange, ...], tuple[PeriodChange, ...]]:
    """(agents significantly down, the ``top`` most improved). Welch's test (an
    incomplete beta function per agent) runs only for the agents that went down and the
    top risers, not for every agent with enough scores."""
    fallen, risen = [], []
    for agent_id, now in current.items():
        before = previous.get(agent_id)
        if before is None or now.n_scored < min_n or before.n_scored < min_n:
            continue
        mean, previous_mean = mean_of(now), mean_of(before)
        assert mean is not None and previous_mean is not None
        if mean < previous_mean:
            fallen.append(_change(agent_id, now, before, names, alpha))
        elif mean > previous_mean:
            name = names.get(agent_id, f"#{agent_id}")
            risen.append((-(mean - previous_mean), name, agent_id, now, before))
    down = sorted(
        (c for c in fallen if c.significant),
        key=lambda c: (c.p_value if c.p_value is not None else 1.0, c.change),
    )
    risen.sort(key=lambda r: (r[0], r[1]))
    improved = [_change(a, now, before, names, alpha) for _, _, a, now, before in risen[:top]]
    return tuple(down), tuple(improved)


def exceptions(
    db: sqlite_utils.Database,
    f: DashboardFilter,
    *,
    k: float = 3.0,
    min_control_n: int = 3,
    min_n: int = 5,
    alpha: float = 0.05,
    top: int = 5,
    periods: AgentPeriods | None = None,
) -> Exceptions:
    """Agents and teams outside control limits, agents significantly down versus their
    previous period and the most improved agents (see the module rules); ``periods``:
    ``agent_periods(db, f)`` when the caller has it already."""
    if periods is None:
        periods = agent_periods(db, f)
    agents, previous = periods.current, periods.previous
    teams = {key[0]: s for key, s in evaluation_sums(db, f.scope(), ("team_id",)).items()}
    overall = total(agents, EvalSums)
    grand, sigma = mean_of(overall), stdev_of(overall)
    agent_names = lookups.names(db, "agents", set(agents) | set(previous))
    team_names = lookups.names(db, "teams", teams)
    outside_agents: tuple[ControlException, ...] = ()
    outside_teams: tuple[ControlException, ...] = ()
    if grand is not None and sigma is not None:
        outside_agents = _outside("agent", agents, agent_names, grand, sigma, k, min_control_n)
        outside_teams = _outside("team", teams, team_names, grand, sigma, k, min_control_n)
    down, improved = _changes(agents, previous, agent_names, min_n, alpha, top)
    return Exceptions(
        n=overall.n_scored,
        grand_mean=grand,
        sigma=sigma,
        agents_outside=outside_agents,
        teams_outside=outside_teams,
        agents_down=down,
        most_improved=improved,
    )
