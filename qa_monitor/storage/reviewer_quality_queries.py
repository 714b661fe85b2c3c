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
- Strictness cells: whole months from the month roll-up keyed by reviewer, grouped in
  its key's order so SQLite needs no sort (a million evaluations over eight years are
  about 100,000 such rows); the partial months at either end through the dashboard's
  planner (``analytics_plan``: day roll-ups or the raw rows). Cell totals are added up
  in Python from the same rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from qa_monitor.storage.analytics_plan import Scope, merged, plan
from qa_monitor.storage.calibration_repo import not_hidden
from qa_monitor.storage.rollup_specs import EVALUATION, SCALE

Db = sqlite_utils.Database | sqlite3.Connection
_CHUNK = 500  # SQLite's parameter limit, with room
_VISIBLE = not_hidden("evaluations")  # blind calibration: open sessions stay hidden


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
            " AND kind = 'calibration' AND status <> 'draft' AND "
            + not_hidden("evaluations")
            + " ORDER BY interaction_id, id",
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
            f" AND kind = 'calibration' AND status <> 'draft' AND {_VISIBLE}",
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


@dataclass(frozen=True, slots=True)
class CellSums:
    """A reviewer's scored evaluations in one (month, form, team) cell, and everyone's."""

    month: str  # first day of the month, ISO
    reviewer_id: int
    form_id: str
    team_id: int
    n: int
    mean: float
    cell_n: int
    cell_sum: float  # Σ scores of everyone in the cell

    @property
    def others_mean(self) -> float | None:
        """The other reviewers' mean score in the cell (None: nobody else scored)."""
        others = self.cell_n - self.n
        return None if others <= 0 else (self.cell_sum - self.mean * self.n) / others


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _segments(
    start: date | None, end: date | None
) -> tuple[tuple[str, str] | None, list[tuple[date, date]]]:
    """The whole months of ``start``..``end`` (first days, inclusive, ISO) and the
    partial months at either end (day ranges)."""
    if start is not None and end is not None and _month_start(start) == _month_start(end):
        whole_month = start.day == 1 and _next_month(end) - timedelta(days=1) == end
        if not whole_month:
            return None, [(start, end)]
    parts: list[tuple[date, date]] = []
    low, high = "0000-01-01", "9999-12-31"
    if start is not None:
        low = start.isoformat()
        if start.day != 1:
            parts.append((start, _next_month(start) - timedelta(days=1)))
            low = _next_month(start).isoformat()
    if end is not None:
        high = _month_start(end).isoformat()
        if _next_month(end) - timedelta(days=1) != end:
            parts.append((_month_start(end), end))
            high = (_month_start(end) - timedelta(days=1)).isoformat()
    return ((low, high) if low <= high else None), parts


def strictness_cells(db: Db, start: date | None, end: date | None) -> list[CellSums]:
    """Per reviewer and (month, form, team): their scored regular evaluations and mean,
    and the cell's totals, for interactions dated ``start`` to ``end`` (None: open).

    Whole months are read from ``rollup_eval_reviewer_month`` grouped in its primary
    key's order (no sort); the partial months at either end through the dashboard's
    planner (day roll-ups or raw rows)."""
    conn = _conn(db)
    sums: dict[tuple[str, int, int, str], list[int]] = {}
    whole, parts = _segments(start, end)
    if whole is not None:
        rows = conn.execute(
            "SELECT d, reviewer_id, team_id, form_id, SUM(n_scored), SUM(sum_q)"
            " FROM rollup_eval_reviewer_month WHERE kind = 'regular' AND d BETWEEN ? AND ?"
            " GROUP BY d, reviewer_id, team_id, form_id",
            whole,
        )
        for d, r, t, f, n, q in rows:
            if n:
                sums[(str(d), int(r), int(t), str(f))] = [int(n), int(q)]
    by = ("reviewer_id", "team_id", "form_id")
    for first, last in parts:
        scope = Scope(date_from=first, date_to=last, kinds=("regular",))
        sql, params = merged(plan(EVALUATION, scope, by, "month"), 4, len(EVALUATION.measures))
        for d, r, t, f, _n, n_scored, q, *_rest in conn.execute(sql, params):
            if n_scored:
                key = (str(d), int(r), int(t), str(f))
                own = sums.setdefault(key, [0, 0])
                own[0] += int(n_scored)
                own[1] += int(q)
    totals: dict[tuple[str, int, str], list[int]] = {}
    for (d, _r, t, f), (n, q) in sums.items():
        total = totals.setdefault((d, t, f), [0, 0])
        total[0] += n
        total[1] += q
    out = []
    for (d, r, t, f), (n, q) in sums.items():
        cell_n, cell_q = totals[(d, t, f)]
        out.append(CellSums(d, r, f, t, n, q / (n * SCALE), cell_n, cell_q / SCALE))
    return out
