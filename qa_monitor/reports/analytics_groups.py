"""Teams and reviewers side by side, and the headline of the whole filter.

Rules:
- A row sums the evaluations in the filter per team (the agent's team when the
  evaluation was made) or per reviewer, from the same roll-ups as the league.
- Headline figures, as in the league: n (scored evaluations), mean score with its 95% t
  interval, pass rate (of evaluations with a verdict) and critical-failure rate (of all
  evaluations), both with 95% Wilson intervals.
- ``headline``: the same figures for every evaluation in the filter (the sum of the
  team rows, evaluations without a team included).
- Rows are ordered by mean, highest first; rows without a score last, then by name.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from qa_monitor.core.statistics import Proportion, wilson_interval
from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.reports.analytics_stats import interval_of
from qa_monitor.storage import analytics_lookups as lookups
from qa_monitor.storage.analytics_queries import EvalSums, evaluation_sums, total


@dataclass(frozen=True, slots=True)
class GroupRow:
    """Headline figures of one team, one reviewer or the whole filter (``ident`` None)."""

    ident: int | None
    name: str
    n: int  # scored evaluations
    evaluations: int  # all evaluations (the critical-failure rate's base)
    mean: float | None
    low: float | None
    high: float | None
    passed: Proportion | None
    critical: Proportion | None


def group_row(ident: int | None, name: str, sums: EvalSums) -> GroupRow:
    ci = interval_of(sums)
    return GroupRow(
        ident=ident,
        name=name,
        n=sums.n_scored,
        evaluations=sums.n,
        mean=None if ci is None else ci.mean,
        low=None if ci is None else ci.low,
        high=None if ci is None else ci.high,
        passed=wilson_interval(sums.n_passed, sums.n_pass_known),
        critical=wilson_interval(sums.n_critical, sums.n),
    )


def _ordered(rows: list[GroupRow]) -> tuple[GroupRow, ...]:
    rows.sort(key=lambda r: (r.mean is None, -(r.mean or 0.0), r.name, r.ident or 0))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class GroupTables:
    teams: tuple[GroupRow, ...]
    reviewers: tuple[GroupRow, ...]
    headline: GroupRow


def group_tables(db: sqlite_utils.Database, f: DashboardFilter) -> GroupTables:
    """The team table, the reviewer table and the headline for ``f`` (module rules)."""
    by_team = {key[0]: sums for key, sums in evaluation_sums(db, f.scope(), ("team_id",)).items()}
    by_reviewer = {
        key[0]: sums for key, sums in evaluation_sums(db, f.scope(), ("reviewer_id",)).items()
    }
    team_names = lookups.names(db, "teams", (t for t in by_team if t is not None))
    reviewer_names = lookups.names(db, "reviewers", (r for r in by_reviewer if r is not None))
    teams = [
        group_row(t, team_names.get(t, f"#{t}"), sums)
        for t, sums in by_team.items()
        if t is not None
    ]
    reviewers = [
        group_row(r, reviewer_names.get(r, f"#{r}"), sums)
        for r, sums in by_reviewer.items()
        if r is not None
    ]
    return GroupTables(
        _ordered(teams), _ordered(reviewers), group_row(None, "", total(by_team, EvalSums))
    )
