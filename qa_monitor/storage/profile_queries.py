"""The rows an agent profile lists beside its sums: recent comments, critical failures,
the agent's data span and a few per-evaluation values.

Rules:
- Every query takes the dashboard's ``Scope`` and reads submitted-or-later
  evaluations only, through the same condition as the evaluation list
  (``evaluation_query.where_clause``), so a profile and the list it drills into agree.
- Comments are the coaching workbook's (``export_queries.recent_comments``): overall
  and per-question comments of scored evaluations, newest first; here each also gets
  its evaluation's score.
- A critical failure is a failing answer on a question marked critical (for its
  section or for the form) in an evaluation flagged as critically failed; newest
  first, then in form order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlite_utils

from qa_monitor.core.forms import Channel
from qa_monitor.core.records import EvaluationFilter, EvaluationKind, EvaluationStatus
from qa_monitor.storage import export_queries
from qa_monitor.storage.analytics_queries import Scope
from qa_monitor.storage.evaluation_query import where_clause

Db = sqlite_utils.Database | sqlite3.Connection
COUNTED = tuple(s for s in EvaluationStatus if s is not EvaluationStatus.DRAFT)
FIRST_WINDOW = 60  # newest evaluations searched first for comments (grows × 4)


def _db(db: Db) -> sqlite_utils.Database:
    if isinstance(db, sqlite_utils.Database):
        return db
    return sqlite_utils.Database(db, execute_plugins=False)


def scope_filter(scope: Scope) -> EvaluationFilter:
    """The evaluation-list filter selecting exactly the evaluations ``scope`` counts."""
    return EvaluationFilter(
        date_from=scope.date_from,
        date_to=scope.date_to,
        agent_ids=scope.agent_ids,
        team_ids=scope.team_ids,
        form_ids=scope.form_ids,
        form_version_ids=scope.form_version_ids,
        reviewer_ids=scope.reviewer_ids,
        statuses=COUNTED,
        kinds=tuple(EvaluationKind(k) for k in scope.kinds),
        channels=tuple(Channel(c) for c in scope.channels),
    )


def data_span(db: Db, scope: Scope) -> tuple[date, date] | None:
    """First and last interaction date of the evaluations in ``scope`` (None: none)."""
    where, params = where_clause(scope_filter(scope))
    ends = []
    # Two index walks that stop at the first match: min()/max() with these conditions
    # would visit every evaluation of the agent.
    for direction in ("ASC", "DESC"):
        row = (
            _db(db)
            .execute(
                f"SELECT e.interaction_date FROM evaluations e WHERE {where}"
                f" ORDER BY e.interaction_date {direction} LIMIT 1",
                params,
            )
            .fetchone()
        )
        if row is None:
            return None
        ends.append(date.fromisoformat(row[0]))
    return ends[0], ends[1]


def newest_evaluation_ids(db: Db, scope: Scope, limit: int) -> list[int]:
    """The ``limit`` newest evaluations in ``scope`` (interaction date, then id)."""
    where, params = where_clause(scope_filter(scope))
    rows = _db(db).execute(
        f"SELECT e.id FROM evaluations e WHERE {where}"
        " ORDER BY e.interaction_date DESC, e.id DESC LIMIT ?",
        [*params, int(limit)],
    )
    return [int(r[0]) for r in rows.fetchall()]


def evaluation_scores(db: Db, evaluation_ids: Iterable[int]) -> dict[int, float | None]:
    """Evaluation id → its final score."""
    ids = sorted(set(evaluation_ids))
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    rows = _db(db).execute(f"SELECT id, score FROM evaluations WHERE id IN ({marks})", ids)
    return {int(i): s for i, s in rows.fetchall()}


@dataclass(frozen=True, slots=True)
class CommentRow:
    day: date
    evaluation_id: int
    form_title: str
    question_text: str | None  # None: the evaluation's overall comment
    earned: float | None
    possible: float | None
    score: float | None  # the evaluation's final score
    comment: str


def recent_comments(db: Db, scope: Scope, limit: int = 20) -> list[CommentRow]:
    """The newest ``limit`` comments in ``scope`` (see the module rules)."""
    database = _db(db)
    flt = scope_filter(scope)
    # Comments sort by their evaluation's (date, id), so the newest ``limit`` lie in the
    # newest evaluations: look in a growing window of those instead of every answer of
    # the agent's history (one page read per evaluation on a cold disk).
    window = FIRST_WINDOW
    while True:
        ids = newest_evaluation_ids(database, scope, window)
        rows = export_queries.recent_comments(
            database, replace(flt, evaluation_ids=tuple(ids)), limit
        )
        if len(rows) >= limit or len(ids) < window:
            break
        window *= 4
    scores = evaluation_scores(database, (r[1] for r in rows))
    return [
        CommentRow(
            date.fromisoformat(day),
            int(eid),
            str(form),
            text,
            earned,
            possible,
            scores.get(int(eid)),
            str(comment),
        )
        for day, eid, form, text, earned, possible, comment in rows
    ]


@dataclass(frozen=True, slots=True)
class CriticalRow:
    day: date
    evaluation_id: int
    form_id: str
    form_title: str
    question_id: str
    question_text: str
    level: str  # 'form' or 'section'
    comment: str
    score_before_critical: float | None


_CRITICAL_SQL = """
SELECT e.interaction_date, e.id, e.form_id, f.title, x.question_id, q.text, q.critical,
    x.comment, e.score_before_critical
FROM evaluations e
JOIN forms f ON f.id = e.form_id
JOIN answers x ON x.evaluation_id = e.id
JOIN form_questions q ON q.form_version_id = e.form_version_id AND q.question_id = x.question_id
"""


def critical_failures(db: Db, scope: Scope, limit: int = 200) -> list[CriticalRow]:
    """The failing answers on critical questions in ``scope``, newest first."""
    where, params = where_clause(scope_filter(scope))
    sql = (
        f"{_CRITICAL_SQL} WHERE {where} AND e.critical_failed = 1 AND x.failing = 1"
        " AND q.critical <> 'none'"
        " ORDER BY e.interaction_date DESC, e.id DESC, q.position LIMIT ?"
    )
    rows: list[Any] = _db(db).execute(sql, [*params, int(limit)]).fetchall()
    return [
        CriticalRow(
            date.fromisoformat(day),
            int(eid),
            str(form_id),
            str(title),
            str(qid),
            str(text),
            str(level),
            str(comment or ""),
            before,
        )
        for day, eid, form_id, title, qid, text, level, comment, before in rows
    ]
