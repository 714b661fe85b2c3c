"""Dashboard sums over any filter, read from the roll-ups where they can answer.

Rules:
- A query asks for one family's sums (evaluations, scored answers or section scores)
  over a ``Scope``, grouped by some dimensions and optionally by date bucket (day or
  month). Only submitted-or-later evaluations count.
- The date range is split into whole years and months in the middle (read from year
  and month roll-ups) and the days at either end (read from a day roll-up), using only
  roll-ups keyed by every dimension the query filters or groups by; what no roll-up
  answers is read from the raw tables (the evaluations' covering index, answers and
  section scores clustered by evaluation). Every route gives the same integers:
  roll-ups hold exact fixed-point sums (``rollup_specs``).
- Day and week trends read days; month and quarter trends months; year trends years.
"""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, Self, TypeVar

import sqlite_utils

from qa_monitor.storage.rollup_specs import (
    COUNTED,
    DATE_EXPR,
    EVAL_DIMS,
    EVALUATION,
    GRAINS,
    QUESTION,
    SECTION,
    Cube,
    Family,
    Grain,
    bucket_sql,
    cubes_of,
)

DIMENSIONS = tuple(EVAL_DIMS)
Key = tuple[Any, ...]


def open_readonly(
    path: str | Path, factory: type[sqlite3.Connection] = sqlite3.Connection
) -> sqlite_utils.Database:
    """A read-only connection for dashboard queries (e.g. one per worker thread);
    ``factory`` is the connection class (e.g. one that can be cancelled)."""
    uri = Path(path).expanduser().resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, factory=factory)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA query_only = ON")
    return sqlite_utils.Database(conn, execute_plugins=False)


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


# --------------------------------------------------------------------------- sums


class _Sums:
    """Integer sums of one family; adding or subtracting works field by field."""

    __slots__ = ()
    _values: Callable[[Any], tuple[int, ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names = tuple(getattr(cls, "__annotations__", {}))
        if names:
            cls._values = staticmethod(attrgetter(*names))

    @classmethod
    def from_row(cls, values: Sequence[int]) -> Self:
        return cls(*(int(v or 0) for v in values))

    def __add__(self, other: Self) -> Self:
        return type(self)(*map(operator.add, self._values(self), other._values(other)))

    def __sub__(self, other: Self) -> Self:
        return type(self)(*map(operator.sub, self._values(self), other._values(other)))


@dataclass(frozen=True, slots=True)
class EvalSums(_Sums):
    """Evaluations: count, scored count, Σq and Σq² (q = score × 10,000, an integer),
    evaluations with a pass/fail verdict, passed, with a critical failure."""

    n: int = 0
    n_scored: int = 0
    sum_q: int = 0
    sum_q2: int = 0
    n_pass_known: int = 0
    n_passed: int = 0
    n_critical: int = 0


@dataclass(frozen=True, slots=True)
class QuestionSums(_Sums):
    """Scored answers: count, missed (earned < possible), failing, Σ earned and Σ
    possible points × 10,000."""

    n: int = 0
    n_missed: int = 0
    n_failing: int = 0
    sum_earned_q: int = 0
    sum_possible_q: int = 0


@dataclass(frozen=True, slots=True)
class SectionSums(_Sums):
    """Section scores: count, critical failures, Σ earned, Σ earned before critical
    failures and Σ possible points × 10,000."""

    n: int = 0
    n_critical: int = 0
    sum_earned_q: int = 0
    sum_before_q: int = 0
    sum_possible_q: int = 0


S = TypeVar("S", bound=_Sums)


# --------------------------------------------------------------------------- planning


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


@lru_cache(maxsize=8192)
def _as_date(text: str) -> date:
    return date.fromisoformat(text)


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


def _sums(
    db: sqlite_utils.Database | sqlite3.Connection,
    family: Family,
    kind: type[S],
    scope: Scope,
    by: Iterable[str],
    grain: Grain | None,
    use_rollups: bool,
) -> dict[Key, S]:
    conn = db if isinstance(db, sqlite3.Connection) else db.conn
    by = tuple(by)
    allowed = set(DIMENSIONS) | {name for name, _sql in family.child_keys}
    unknown = set(by) - allowed
    if unknown:
        raise ValueError(f"cannot group {family.name} sums by {sorted(unknown)}")
    width = len(by) + (grain is not None)
    result: dict[Key, S] = {}
    statements = plan(family, scope, by, grain, use_rollups=use_rollups)
    sql, params = merged(statements, width, len(family.measures))
    for row in conn.execute(sql, params):
        if not row[width]:
            continue  # no rows (a roll-up row subtracted back to zero, or an empty total)
        key = tuple(row[:width])
        if grain is not None:
            key = (_as_date(key[0]), *key[1:])
        result[key] = kind.from_row(row[width:])  # one row per key: the SQL merged them
    return result


def evaluation_sums(
    db: sqlite_utils.Database | sqlite3.Connection,
    scope: Scope,
    by: Iterable[str] = (),
    grain: Grain | None = None,
    *,
    use_rollups: bool = True,
) -> dict[Key, EvalSums]:
    """Evaluation sums keyed by ([bucket date,] *by); ``by`` from ``DIMENSIONS``. Groups
    without evaluations are absent (nothing matching gives {})."""
    return _sums(db, EVALUATION, EvalSums, scope, by, grain, use_rollups)


def question_sums(
    db: sqlite_utils.Database | sqlite3.Connection,
    scope: Scope,
    by: Iterable[str] = ("form_id", "question_id"),
    grain: Grain | None = None,
    *,
    use_rollups: bool = True,
) -> dict[Key, QuestionSums]:
    """Scored-answer sums keyed by ([bucket date,] *by); ``by`` may add 'question_id'."""
    return _sums(db, QUESTION, QuestionSums, scope, by, grain, use_rollups)


def section_sums(
    db: sqlite_utils.Database | sqlite3.Connection,
    scope: Scope,
    by: Iterable[str] = ("category",),
    grain: Grain | None = None,
    *,
    use_rollups: bool = True,
) -> dict[Key, SectionSums]:
    """Section-score sums keyed by ([bucket date,] *by); ``by`` may add 'section_id'
    and 'category'."""
    return _sums(db, SECTION, SectionSums, scope, by, grain, use_rollups)


def total(sums: Mapping[Any, S], kind: type[S]) -> S:
    """All the sums of a result added together."""
    out = kind()
    for value in sums.values():
        out = out + value
    return out
