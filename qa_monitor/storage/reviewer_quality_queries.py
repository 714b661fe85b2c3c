"""The reads of the reviewer quality report that the roll-ups do not answer: the
calibration evaluations of a period, and the type and wording of questions.

Rules:
- Calibration evaluations are few (a few in a thousand), but the evaluations have no
  index led by ``kind``: the days holding any are read first from the day roll-up
  (``rollup_eval_day``, keyed by kind), then only those days are searched through the
  analytics index (interaction date, kind), so the read stays in milliseconds at a
  million evaluations instead of scanning the period. While the roll-ups wait for a
  rebuild (``sync_state.rollups_stale``) the period's rows are read instead.
- Only submitted-or-later evaluations count (``status <> 'draft'``).
- A question is named and typed by the latest form version (highest id) that has it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlite_utils

Db = sqlite_utils.Database | sqlite3.Connection
_CHUNK = 500  # SQLite's parameter limit, with room


def _conn(db: Db) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


@dataclass(frozen=True, slots=True)
class CalibrationScore:
    evaluation_id: int
    interaction_id: int
    interaction_date: str
    form_id: str
    reviewer_id: int
    score: float | None


def calibration_scores(db: Db, start: date | None, end: date | None) -> list[CalibrationScore]:
    """Submitted calibration evaluations of interactions dated ``start`` to ``end``
    (None: open), by interaction then id."""
    conn = _conn(db)
    low = start.isoformat() if start else "0000-01-01"
    high = end.isoformat() if end else "9999-12-31"
    (stale,) = conn.execute("SELECT rollups_stale FROM sync_state").fetchone() or (1,)
    if stale:  # roll-ups waiting for a rebuild (after a sync): read the rows
        rows = conn.execute(
            "SELECT id, interaction_id, interaction_date, form_id, reviewer_id, score"
            " FROM evaluations WHERE interaction_date BETWEEN ? AND ?"
            " AND kind = 'calibration' AND status <> 'draft' ORDER BY interaction_id, id",
            (low, high),
        )
        return [CalibrationScore(*row) for row in rows]
    days = [
        str(d)
        for (d,) in conn.execute(
            "SELECT DISTINCT d FROM rollup_eval_day WHERE kind = 'calibration'"
            " AND d BETWEEN ? AND ? AND n > 0",
            (low, high),
        )
    ]
    out: list[CalibrationScore] = []
    for first in range(0, len(days), _CHUNK):
        chunk = days[first : first + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT id, interaction_id, interaction_date, form_id, reviewer_id, score"
            f" FROM evaluations WHERE interaction_date IN ({marks})"
            " AND kind = 'calibration' AND status <> 'draft'",
            chunk,
        )
        out.extend(CalibrationScore(*row) for row in rows)
    out.sort(key=lambda r: (r.interaction_id, r.evaluation_id))
    return out


@dataclass(frozen=True, slots=True)
class QuestionLabel:
    text: str
    type: str
    scored: bool


def question_labels(db: Db, form_ids: Iterable[str]) -> dict[tuple[str, str], QuestionLabel]:
    """(form id, question id) → its wording, type and whether it is scored, in the
    latest version of the form that has it."""
    ids = sorted(set(form_ids))
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    rows = _conn(db).execute(
        "SELECT v.form_id, q.question_id, q.text, q.type, q.scored FROM form_questions q"
        f" JOIN form_versions v ON v.id = q.form_version_id WHERE v.form_id IN ({marks})"
        " ORDER BY v.id",
        ids,
    )
    return {(f, q): QuestionLabel(t, ty, bool(s)) for f, q, t, ty, s in rows}
