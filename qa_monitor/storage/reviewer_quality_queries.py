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
- Strictness cells: whole months from the month roll-up keyed by reviewer, one month
  per statement (a seek on its key, the rows as stored: no sort, no grouping, no month
  or form name repeated on every row; a million evaluations over eight years are about
  80,000 such rows);
  the partial months at either end through the dashboard's planner
  (``analytics_plan``: day roll-ups or the raw rows). While the roll-ups wait for a
  rebuild, every month is read from the raw rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from qa_monitor.storage.analytics_plan import Scope, merged, plan
from qa_monitor.storage.calibration_repo import not_hidden
from qa_monitor.storage.rollup_specs import EVALUATION

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
class MonthCells:
    """One month's scored regular evaluations per reviewer, team and form: rows of
    (reviewer_id, team_id, form, scored evaluations, Σ scores in 1/10,000 points as
    ``rollup_specs`` sums them), the form as its index in ``StrictnessCells.forms``.
    Several rows may share a reviewer, team and form (the roll-up keeps form versions
    and channels apart): they add up. Rows without a scored evaluation are left out."""

    month: str  # first day of the month, ISO
    rows: list[tuple[int, int, int, int, int]]


@dataclass(frozen=True, slots=True)
class StrictnessCells:
    forms: tuple[str, ...]  # the form ids the rows' form indexes point to
    months: tuple[MonthCells, ...]  # first to last, only months with rows


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


_BY = ("reviewer_id", "team_id", "form_id")


def _whole_month_sql(forms: int) -> str:
    """A whole month from the reviewer roll-up: one seek on its primary key (d first),
    its rows as stored (no sort, no grouping: a third of the time at a million
    evaluations; the caller adds them up), only integers back: the form as its index
    among the ``forms`` parameters that precede the month."""
    index = " ".join(f"WHEN ? THEN {i}" for i in range(forms))
    return (
        f"SELECT reviewer_id, team_id, CASE form_id {index} END, n_scored, sum_q"
        " FROM rollup_eval_reviewer_month WHERE d = ? AND kind = 'regular' AND n_scored <> 0"
    )


def _planned_months(
    conn: sqlite3.Connection, statement: tuple[str, list[Any]], forms: dict[str, int]
) -> list[MonthCells]:
    """The rows of a planner statement (month, reviewer, team, form, then the evaluation
    measures) as months; a form not in ``forms`` yet is added to it."""
    months: dict[str, list[tuple[int, int, int, int, int]]] = {}
    for d, r, t, f, _n, n_scored, q, *_rest in conn.execute(*statement):
        if n_scored:
            form = forms.setdefault(str(f), len(forms))
            months.setdefault(str(d), []).append((int(r), int(t), form, int(n_scored), int(q)))
    return [MonthCells(month, rows) for month, rows in months.items()]


def strictness_cells(db: Db, start: date | None, end: date | None) -> StrictnessCells:
    """Per month, the scored regular evaluations of each reviewer in each (form, team)
    cell, for interactions dated ``start`` to ``end`` (None: open).

    Whole months are read one at a time from ``rollup_eval_reviewer_month``; the partial
    months at either end through the dashboard's planner (day roll-ups or raw rows);
    everything from the raw rows while the roll-ups wait for a rebuild."""
    conn = _conn(db)
    width = len(EVALUATION.measures)
    forms = {str(f): i for i, (f,) in enumerate(conn.execute("SELECT id FROM forms ORDER BY id"))}
    (stale,) = conn.execute("SELECT rollups_stale FROM sync_state").fetchone() or (1,)
    if stale:
        scope = Scope(date_from=start, date_to=end, kinds=("regular",))
        raw = plan(EVALUATION, scope, _BY, "month", use_rollups=False)
        months = _planned_months(conn, merged(raw, 4, width), forms)
        return StrictnessCells(tuple(forms), tuple(sorted(months, key=lambda m: m.month)))
    out: list[MonthCells] = []
    whole, parts = _segments(start, end)
    if whole is not None and forms:
        first, last = conn.execute(
            "SELECT min(d), max(d) FROM rollup_eval_reviewer_month WHERE d BETWEEN ? AND ?",
            whole,
        ).fetchone()
        sql, names = _whole_month_sql(len(forms)), list(forms)
        month = None if first is None else date.fromisoformat(first)
        while month is not None and month.isoformat() <= last:
            rows = conn.execute(sql, [*names, month.isoformat()]).fetchall()
            if rows:
                out.append(MonthCells(month.isoformat(), rows))
            month = _next_month(month)
    for first_day, last_day in parts:
        scope = Scope(date_from=first_day, date_to=last_day, kinds=("regular",))
        out += _planned_months(conn, merged(plan(EVALUATION, scope, _BY, "month"), 4, width), forms)
    return StrictnessCells(tuple(forms), tuple(sorted(out, key=lambda m: m.month)))
