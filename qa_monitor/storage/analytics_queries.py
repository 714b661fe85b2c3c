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
- The planning (segments, roll-up choice, SQL) is in ``analytics_plan``; this module
  runs the statements and adds up the sums.
"""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, Self, TypeVar

import sqlite_utils

from qa_monitor.storage.analytics_plan import (
    Scope,
    Segment,
    merged,
    plan,
    segments,
)
from qa_monitor.storage.rollup_specs import (
    EVAL_DIMS,
    EVALUATION,
    QUESTION,
    SECTION,
    Family,
    Grain,
)

__all__ = [  # Scope and the planning names are re-exported for the analytics modules
    "DIMENSIONS",
    "EvalSums",
    "QuestionSums",
    "Scope",
    "SectionSums",
    "Segment",
    "evaluation_sums",
    "open_readonly",
    "plan",
    "question_sums",
    "question_sums_per_question",
    "section_sums",
    "segments",
    "total",
]
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
    """Scored answers: count, missed (earned < possible), failing (a failing option,
    critical question or not: ``question_sums_per_question`` keeps the critical ones), Σ
    earned and Σ possible points × 10,000."""

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


@lru_cache(maxsize=8192)
def _as_date(text: str) -> date:
    return date.fromisoformat(text)


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


def critical_questions(
    db: sqlite_utils.Database | sqlite3.Connection, version_ids: Iterable[int]
) -> set[tuple[int, str]]:
    """(form version id, question id) of every question critical (for its section or
    for the form) in that version."""
    conn = db if isinstance(db, sqlite3.Connection) else db.conn
    ids = sorted(set(version_ids))
    out: set[tuple[int, str]] = set()
    for start in range(0, len(ids), 500):  # SQLite's parameter limit
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT form_version_id, question_id FROM form_questions"
            f" WHERE critical <> 'none' AND form_version_id IN ({marks})",
            chunk,
        )
        out.update((int(v), str(q)) for v, q in rows)
    return out


def question_sums_per_question(
    db: sqlite_utils.Database | sqlite3.Connection, scope: Scope
) -> dict[Key, QuestionSums]:
    """Scored-answer sums keyed by (form id, question id), all versions together, where
    ``n_failing`` counts critical failures only: failing answers on a question that is
    critical in the version answered. (A failing answer on a question that is not
    critical is a miss, never a critical failure; criticality can change between
    versions, so it is judged per version before the versions are added up.)"""
    by_version = question_sums(db, scope, ("form_id", "form_version_id", "question_id"))
    critical = critical_questions(db, (int(k[1]) for k in by_version))
    out: dict[Key, QuestionSums] = {}
    for (form_id, version_id, question_id), sums in by_version.items():
        if sums.n_failing and (int(version_id), str(question_id)) not in critical:
            sums = replace(sums, n_failing=0)
        key = (form_id, question_id)
        out[key] = out[key] + sums if key in out else sums
    return out


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
