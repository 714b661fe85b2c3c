"""Small lookups the dashboard needs beside its sums: names, question and section
titles, pass marks, the evaluations behind a chart bar and calibration rows.

Rules:
- A question or section is named by the latest form version (highest version id)
  of its form that has it, so a renamed question shows its current wording.
- The drill-down lists submitted-or-later evaluations in the scope, newest first
  (interaction date, then id), at most ``limit``.
- Filter choices list every team, agent, reviewer and form (retired and inactive ones
  too: history is filtered by them), by name.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import sqlite_utils

from qa_monitor.core.form_codec import form_from_data
from qa_monitor.storage.analytics_queries import Scope
from qa_monitor.storage.calibration_repo import not_hidden

Db = sqlite_utils.Database | sqlite3.Connection


def _conn(db: Db) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


def _marks(values: Iterable[Any]) -> tuple[str, list[Any]]:
    items = list(values)
    return ", ".join("?" * len(items)), items


def names(db: Db, table: str, ids: Iterable[int]) -> dict[int, str]:
    """Names of agents, teams or reviewers by id."""
    if table not in ("agents", "teams", "reviewers"):
        raise ValueError(f"no names in {table}")
    marks, params = _marks(set(ids))
    if not params:
        return {}
    rows = _conn(db).execute(f"SELECT id, name FROM {table} WHERE id IN ({marks})", params)
    return {int(i): str(n) for i, n in rows}


def agent_teams(db: Db, agent_ids: Iterable[int]) -> dict[int, int | None]:
    """Each agent's current team id."""
    marks, params = _marks(set(agent_ids))
    if not params:
        return {}
    rows = _conn(db).execute(f"SELECT id, team_id FROM agents WHERE id IN ({marks})", params)
    return {int(i): (None if t is None else int(t)) for i, t in rows}


def expert_reviewers(db: Db) -> set[int]:
    return {int(r[0]) for r in _conn(db).execute("SELECT id FROM reviewers WHERE is_expert = 1")}


@dataclass(frozen=True, slots=True)
class QuestionInfo:
    text: str
    section_id: str
    section_title: str
    category: str
    position: int


def question_info(db: Db, form_ids: Iterable[str]) -> dict[tuple[str, str], QuestionInfo]:
    """(form id, question id) → its wording and section in the form's latest version."""
    marks, params = _marks(set(form_ids))
    if not params:
        return {}
    rows = _conn(db).execute(
        "SELECT v.form_id, q.question_id, q.text, q.section_id, q.section_title, q.category,"
        " q.position FROM form_questions q JOIN form_versions v ON v.id = q.form_version_id"
        f" WHERE v.form_id IN ({marks}) ORDER BY v.id",
        params,
    )
    return {(f, q): QuestionInfo(t, s, st, c, int(p)) for f, q, t, s, st, c, p in rows}


def section_titles(db: Db, form_ids: Iterable[str]) -> dict[tuple[str, str], tuple[str, int]]:
    """(form id, section id) → (title, position of its first question) in the latest version."""
    info = question_info(db, form_ids)
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for (form_id, _q), item in sorted(info.items(), key=lambda kv: -kv[1].position):
        out[(form_id, item.section_id)] = (item.section_title, item.position)
    return out


def pass_marks(db: Db, version_ids: Iterable[int]) -> dict[int, float | None]:
    """Form version id → its pass mark (None when the form has none)."""
    marks, params = _marks(set(version_ids))
    if not params:
        return {}
    rows = _conn(db).execute(
        f"SELECT id, definition FROM form_versions WHERE id IN ({marks})", params
    )
    return {int(i): form_from_data(json.loads(d)).settings.pass_mark for i, d in rows}


def form_titles(db: Db, form_ids: Iterable[str]) -> dict[str, str]:
    marks, params = _marks(set(form_ids))
    if not params:
        return {}
    return {
        str(i): str(t)
        for i, t in _conn(db).execute(f"SELECT id, title FROM forms WHERE id IN ({marks})", params)
    }


def _scope_where(scope: Scope, params: list[Any]) -> list[str]:
    where = ["e.status <> 'draft'"]
    if scope.date_from is not None:
        where.append("e.interaction_date >= ?")
        params.append(scope.date_from.isoformat())
    if scope.date_to is not None:
        where.append("e.interaction_date <= ?")
        params.append(scope.date_to.isoformat())
    for dim, values in scope.filters().items():
        where.append(f"e.{dim} IN ({', '.join('?' * len(values))})")
        params.extend(values)
    return where


def evaluation_ids_for_question(
    db: Db,
    scope: Scope,
    question_id: str,
    *,
    form_id: str | None = None,
    missed_only: bool = True,
    limit: int = 500,
) -> list[int]:
    """Evaluations in ``scope`` that scored ``question_id`` (only those that missed it,
    i.e. earned less than its possible points, unless ``missed_only`` is False)."""
    params: list[Any] = [question_id]
    where = _scope_where(scope, params)
    if form_id is not None:
        where.append("e.form_id = ?")
        params.append(form_id)
    where.append("a.status = 'scored'")
    if missed_only:
        where.append("a.earned < a.possible")
    rows = _conn(db).execute(
        "SELECT e.id FROM evaluations e JOIN answers a"
        " ON a.evaluation_id = e.id AND a.question_id = ?"
        f" WHERE {' AND '.join(where)} ORDER BY e.interaction_date DESC, e.id DESC LIMIT ?",
        [*params, int(limit)],
    )
    return [int(r[0]) for r in rows]


def evaluation_ids_for_category(
    db: Db, scope: Scope, category: str, *, limit: int = 500
) -> list[int]:
    """Evaluations in ``scope`` that lost points in a section of ``category`` (earned
    less than possible, after critical failures)."""
    params: list[Any] = [category]
    where = _scope_where(scope, params)
    rows = _conn(db).execute(
        "SELECT e.id FROM evaluations e WHERE EXISTS (SELECT 1 FROM section_scores s"
        " WHERE s.evaluation_id = e.id AND s.category = ? AND s.earned < s.possible)"
        f" AND {' AND '.join(where)} ORDER BY e.interaction_date DESC, e.id DESC LIMIT ?",
        [*params, int(limit)],
    )
    return [int(r[0]) for r in rows]


@dataclass(frozen=True, slots=True)
class Choice:
    """One value a filter can take: ``group`` is an agent's team or a version's form."""

    id: Any
    name: str
    group: Any = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class FilterChoices:
    teams: tuple[Choice, ...] = ()
    agents: tuple[Choice, ...] = ()
    reviewers: tuple[Choice, ...] = ()
    forms: tuple[Choice, ...] = ()
    versions: tuple[Choice, ...] = ()  # published versions, name = version number


def filter_choices(db: Db) -> FilterChoices:
    """Every team, agent, reviewer, form and published form version, by name."""
    conn = _conn(db)

    def people(table: str, group: str = "NULL") -> tuple[Choice, ...]:
        rows = conn.execute(
            f"SELECT id, name, {group}, active FROM {table} ORDER BY name COLLATE NOCASE, id"
        )
        return tuple(Choice(int(i), str(n), g, bool(a)) for i, n, g, a in rows)

    forms = tuple(
        Choice(str(i), str(t), None, s != "retired")
        for i, t, s in conn.execute(
            "SELECT id, title, status FROM forms WHERE EXISTS (SELECT 1 FROM form_versions v"
            " WHERE v.form_id = forms.id AND v.status = 'published')"
            " ORDER BY title COLLATE NOCASE, id"
        )
    )
    versions = tuple(
        Choice(int(i), str(v), str(f))
        for i, f, v in conn.execute(
            "SELECT id, form_id, version FROM form_versions WHERE status = 'published'"
            " ORDER BY form_id, version"
        )
    )
    return FilterChoices(
        people("teams"), people("agents", "team_id"), people("reviewers"), forms, versions
    )


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    evaluation_id: int
    interaction_id: int
    external_id: str | None
    interaction_date: str
    form_id: str
    reviewer_id: int
    score: float | None


def calibration_rows(db: Db, scope: Scope) -> list[CalibrationRow]:
    """Submitted calibration evaluations in ``scope`` (its kinds and reviewers are
    ignored: every reviewer of a calibrated interaction is needed to compare)."""
    params: list[Any] = []
    bare = replace(scope, kinds=(), reviewer_ids=())
    where = [*_scope_where(bare, params), "e.kind = 'calibration'", not_hidden("e")]
    rows = _conn(db).execute(
        "SELECT e.id, e.interaction_id, i.external_id, e.interaction_date, e.form_id,"
        " e.reviewer_id, e.score FROM evaluations e JOIN interactions i ON i.id = e.interaction_id"
        f" WHERE {' AND '.join(where)} ORDER BY e.interaction_id, e.id",
        params,
    )
    return [CalibrationRow(*r) for r in rows]


def answer_choices(db: Db, evaluation_ids: Iterable[int]) -> dict[int, dict[str, str | None]]:
    """Evaluation id → question id → what the reviewer chose: the stored value (JSON
    text), 'N/A' for not applicable, None for a hidden or unanswered question.
    Unscored questions are left out."""
    out: dict[int, dict[str, str | None]] = {}
    ids = sorted(set(evaluation_ids))
    conn = _conn(db)
    for start in range(0, len(ids), 500):
        marks, params = _marks(ids[start : start + 500])
        for eid, qid, value, na, status in conn.execute(
            "SELECT evaluation_id, question_id, value, na, status FROM answers"
            f" WHERE evaluation_id IN ({marks}) AND status <> 'unscored'",
            params,
        ):
            choice = "N/A" if na or status == "na" else (value if status == "scored" else None)
            out.setdefault(int(eid), {})[str(qid)] = choice
    return out
