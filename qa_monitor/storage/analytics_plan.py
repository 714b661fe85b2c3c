"""Planning a dashboard query: which roll-ups (or raw tables) answer which dates.

Rules:
- A ``Scope`` is what a query covers: inclusive interaction dates (None: open) and,
  per dimension, the allowed values.
- ``segments`` splits the date range into whole years and months in the middle and
  days at either end; ``choose_cube`` picks the smallest roll-up keyed by every
  dimension the query filters or groups by (or none: the raw rows); ``segment_sql``
  writes one segment's SELECT and ``merged`` adds the segments up in one statement.
- The statements return key columns ``k0..`` and measure columns ``m0..``, in the
  family's measure order; ``analytics_queries`` turns them into sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from qa_monitor.storage.rollup_specs import (
    COUNTED,
    DATE_EXPR,
    EVAL_DIMS,
    GRAINS,
    Cube,
    Family,
    Grain,
    bucket_sql,
    cubes_of,
)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which submitted evaluations a query covers: interaction dates inclusive (None:
    open), and for each dimension the allowed values (empty: any)."""

    date_from: date | None = None
    date_to: date | None = None
    team_ids: tuple[int, ...] = ()
    agent_ids: tuple[int, ...] = ()
    reviewer_ids: tuple[int, ...] = ()
    form_ids: tuple[str, ...] = ()
    form_version_ids: tuple[int, ...] = ()
    channels: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def filters(self) -> dict[str, tuple[Any, ...]]:
        """Dimension → allowed values, for the dimensions that are restricted."""
        pairs = {
            "team_id": self.team_ids,
            "agent_id": self.agent_ids,
            "reviewer_id": self.reviewer_ids,
            "form_id": self.form_ids,
            "form_version_id": self.form_version_ids,
            "channel": self.channels,
            "kind": self.kinds,
        }
        return {dim: tuple(values) for dim, values in pairs.items() if values}


def bucket_start(day: date, grain: Grain) -> date:
    """First day of the day, month or year holding ``day``."""
    if grain == "month":
        return day.replace(day=1)
    if grain == "year":
        return day.replace(month=1, day=1)
    return day


def _next_bucket(start: date, grain: Grain) -> date:
    if grain == "day":
        return start + timedelta(days=1)
    if grain == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


@dataclass(frozen=True, slots=True)
class Segment:
    """Part of the date range read at one grain; bounds are inclusive days (None: open)."""

    grain: Grain
    first: date | None
    last: date | None


def segments(lo: date | None, hi: date | None, grains: Sequence[Grain]) -> list[Segment]:
    """Split ``lo``..``hi`` into whole buckets of the coarsest grain in ``grains`` (coarsest
    first, ending with 'day') in the middle and finer pieces at either end."""
    grain, finer = grains[0], grains[1:]
    if grain == "day" or not finer:
        return [Segment("day", lo, hi)]
    first_full = (
        lo
        if lo is None or bucket_start(lo, grain) == lo
        else _next_bucket(bucket_start(lo, grain), grain)
    )
    if hi is None or _next_bucket(bucket_start(hi, grain), grain) - timedelta(days=1) == hi:
        last_full = hi
    else:
        last_full = bucket_start(hi, grain) - timedelta(days=1)
    if first_full is not None and last_full is not None and first_full > last_full:
        return segments(lo, hi, finer)
    parts = []
    if lo is not None and first_full is not None and lo < first_full:
        parts += segments(lo, first_full - timedelta(days=1), finer)
    parts.append(Segment(grain, first_full, last_full))
    if hi is not None and last_full is not None and last_full < hi:
        parts += segments(last_full + timedelta(days=1), hi, finer)
    return parts


SELECTIVE = frozenset({"agent_id", "reviewer_id"})


def choose_cube(
    family: Family, grain: Grain, needed: frozenset[str], filtered: frozenset[str] = frozenset()
) -> Cube | None:
    """The first (smallest) roll-up of ``family`` at ``grain`` keyed by all of ``needed``;
    a roll-up of about a row per evaluation is skipped when the query filters by agent
    or reviewer (the raw tables' indexes find those rows directly)."""
    for cube in cubes_of(family):
        if cube.grain != grain or not cube.covers(needed):
            continue
        if cube.fine and filtered & SELECTIVE:
            continue
        return cube
    return None


def _in(column: str, values: tuple[Any, ...], params: list[Any]) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join('?' * len(values))})"


def segment_sql(
    family: Family,
    scope: Scope,
    segment: Segment,
    by: tuple[str, ...],
    grain: Grain | None,
    *,
    raw: bool = False,
) -> tuple[str, list[Any]]:
    """SELECT [bucket,] *by, SUM(measures) for one segment, from a roll-up or the raw rows."""
    filters = scope.filters()
    needed = frozenset(filters) | frozenset(by)
    cube = None if raw else choose_cube(family, segment.grain, needed, frozenset(filters))
    params: list[Any] = []
    where: list[str] = []
    lo, hi = segment.first, segment.last
    if cube is not None:
        date_col = "d"
        bucket = bucket_sql("d", grain or cube.grain, cube.grain)
        if hi is not None:
            hi = bucket_start(hi, cube.grain)
        keys = list(by)
        measures = [f"SUM({m})" for m in family.measure_names]
        source = cube.table
        where += [_in(dim, values, params) for dim, values in filters.items()]
    else:
        date_col = "e.interaction_date"
        bucket = DATE_EXPR[grain or "day"].format(e="e")
        child = dict(family.child_keys)
        keys = [
            EVAL_DIMS[b].format(e="e") if b in EVAL_DIMS else child[b].format(c="c") for b in by
        ]
        measures = [f"SUM({sql.format(e='e', c='c')})" for _name, sql in family.measures]
        source = "evaluations e"
        where.append(COUNTED.format(e="e"))
        if family.child is not None:
            source += f" JOIN {family.child} c ON c.evaluation_id = e.id"
            where.append(family.child_where.format(c="c"))
        where += [_in(f"e.{dim}", values, params) for dim, values in filters.items()]
    bounds: list[str] = []
    if lo is not None:
        bounds.append(f"{date_col} >= ?")
    if hi is not None:
        bounds.append(f"{date_col} <= ?")
    params = [d.isoformat() for d in (lo, hi) if d is not None] + params
    if grain is not None:
        keys.insert(0, bucket)
    # Unary + keeps the planner from walking an index in group order (e.g. all of
    # evaluations_agent_date to group by agent) when the WHERE terms select few rows.
    columns = [f"+{k} AS k{i}" for i, k in enumerate(keys)]
    columns += [f"{m} AS m{i}" for i, m in enumerate(measures)]
    sql = f"SELECT {', '.join(columns)} FROM {source}"
    if bounds or where:
        sql += " WHERE " + " AND ".join(bounds + where)
    if keys:
        sql += " GROUP BY " + ", ".join(str(i + 1) for i in range(len(keys)))
    return sql, params


def plan(
    family: Family,
    scope: Scope,
    by: tuple[str, ...],
    grain: Grain | None,
    *,
    use_rollups: bool = True,
) -> list[tuple[str, list[Any]]]:
    """The SQL statements whose rows, added up, answer the query (``use_rollups=False``:
    one statement over the raw rows, for checks and benchmarks)."""
    if not use_rollups:
        whole = Segment("day", scope.date_from, scope.date_to)
        return [segment_sql(family, scope, whole, by, grain, raw=True)]
    filtered = frozenset(scope.filters())
    needed = filtered | frozenset(by)
    finest = GRAINS.index(grain) if grain is not None else len(GRAINS)
    tiers: list[Grain] = [
        g
        for g in reversed(GRAINS[1 : finest + 1])
        if choose_cube(family, g, needed, filtered) is not None
    ]
    parts = segments(scope.date_from, scope.date_to, [*tiers, "day"])
    return [segment_sql(family, scope, seg, by, grain) for seg in parts]


def merged(
    statements: Sequence[tuple[str, list[Any]]], width: int, measures: int
) -> tuple[str, list[Any]]:
    """One statement adding up the rows of ``statements`` (``segment_sql`` statements
    with ``width`` key and ``measures`` measure columns) by key: SQLite merges the
    segments' groups, so Python reads each group once instead of once per segment."""
    if len(statements) == 1:
        return statements[0]
    keys = [f"k{i}" for i in range(width)]
    sums = [f"SUM(m{i})" for i in range(measures)]
    union = " UNION ALL ".join(sql for sql, _params in statements)
    sql = f"SELECT {', '.join(keys + sums)} FROM ({union})"
    if keys:
        sql += " GROUP BY " + ", ".join(keys)
    return sql, [p for _sql, params in statements for p in params]
