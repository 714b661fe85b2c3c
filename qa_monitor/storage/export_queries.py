"""The SQL behind exports: rows streamed in batches, never a whole table in memory.

Every query takes the ``EvaluationFilter`` the evaluation list uses (same
``where_clause``), so an export holds exactly the evaluations the user sees.
Evaluations come in interaction-date order (ties by id), which the
``evaluations_date`` index (and the team/agent/form indexes) give without sorting;
section scores and answers are read in the same order and merged in Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from qa_monitor.core.forms import Category, Form, ScoringMode
from qa_monitor.core.records import EvaluationFilter
from qa_monitor.core.scoring import SectionScore
from qa_monitor.storage.database import Database
from qa_monitor.storage.evaluation_query import where_clause
from qa_monitor.storage.form_repo import FormRepo
from qa_monitor.storage.settings_repo import SettingsRepo

BATCH = 2000
_ORDER = "ORDER BY e.interaction_date, e.id"

EVALUATION_SQL = """
SELECT e.id, e.interaction_id, i.external_id, i.started_at, i.timezone, e.channel,
    i.direction, i.duration_s, a.name, t.name, r.name, f.title, v.version, e.kind,
    e.status, e.submitted_at, e.score, e.score_before_critical, e.passed, e.band,
    e.critical_failed,
    CASE WHEN e.critical_failed THEN (
        SELECT group_concat(q.text, '; ') FROM answers x
        JOIN form_questions q ON q.form_version_id = e.form_version_id
            AND q.question_id = x.question_id
        WHERE x.evaluation_id = e.id AND x.failing = 1 AND q.critical <> 'none'
    ) END,
    e.overall_comment, e.form_version_id, i.customer_ref, i.contact_reason
FROM evaluations e
JOIN interactions i ON i.id = e.interaction_id
JOIN agents a ON a.id = e.agent_id
LEFT JOIN teams t ON t.id = e.team_id
JOIN reviewers r ON r.id = e.reviewer_id
JOIN forms f ON f.id = e.form_id
JOIN form_versions v ON v.id = e.form_version_id
"""
# Positions in an EVALUATION_SQL row.
E_ID, E_VERSION_ID = 0, 23

_SECTION_SQL = """
SELECT s.evaluation_id, s.section_id, s.category, s.weight, s.earned,
    s.earned_before_critical, s.possible, s.critical_failed
FROM evaluations e JOIN section_scores s ON s.evaluation_id = e.id
"""

ANSWER_SQL = """
SELECT e.id, i.external_id, e.interaction_date, a.name, f.title, q.position, q.section_title,
    q.category, q.text, x.value, x.na, x.status, x.earned, x.possible, x.failing, x.comment,
    e.form_version_id, x.question_id, q.critical
FROM evaluations e
JOIN interactions i ON i.id = e.interaction_id
JOIN agents a ON a.id = e.agent_id
JOIN forms f ON f.id = e.form_id
JOIN answers x ON x.evaluation_id = e.id
JOIN form_questions q ON q.form_version_id = e.form_version_id AND q.question_id = x.question_id
"""
A_EVALUATION, A_POSITION = 0, 5


@dataclass(frozen=True, slots=True)
class SectionColumn:
    """One section-score column of the Evaluations sheet; same-titled sections share it."""

    title: str
    category: Category


@dataclass(frozen=True, slots=True)
class VersionLayout:
    """What the export needs to know about one form version in scope."""

    version_id: int
    form: Form
    mode: ScoringMode
    # section id -> index into ``ExportLayout.sections``
    section_columns: dict[str, int]


@dataclass(frozen=True, slots=True)
class ExportLayout:
    sections: tuple[SectionColumn, ...]
    categories: tuple[Category, ...]
    versions: dict[int, VersionLayout]


def _where(flt: EvaluationFilter, extra: str = "") -> tuple[str, list[Any]]:
    where, params = where_clause(flt)
    if extra:
        where = f"({where}) AND {extra}"
    return f" WHERE {where} ", params


def stream(db: Database, sql: str, params: list[Any], batch: int = BATCH) -> Iterator[tuple]:
    """Rows of ``sql`` fetched ``batch`` at a time."""
    cursor = db.conn.execute(sql, params)
    try:
        while rows := cursor.fetchmany(batch):
            yield from rows
    finally:
        cursor.close()


def count_evaluations(db: Database, flt: EvaluationFilter) -> int:
    where, params = _where(flt)
    return int(db.execute(f"SELECT count(*) FROM evaluations e{where}", params).fetchone()[0])


def count_answers(db: Database, flt: EvaluationFilter) -> int:
    where, params = _where(flt)
    sql = f"SELECT count(*) FROM evaluations e JOIN answers x ON x.evaluation_id = e.id{where}"
    return int(db.execute(sql, params).fetchone()[0])


def export_layout(db: Database, flt: EvaluationFilter) -> ExportLayout:
    """The section and category columns for the form versions the filter reaches."""
    where, params = _where(flt)
    ids = [
        r[0]
        for r in db.execute(
            f"SELECT DISTINCT e.form_version_id FROM evaluations e{where}"
            " ORDER BY e.form_version_id",
            params,
        ).fetchall()
    ]
    forms = FormRepo(db)
    titles: dict[str, int] = {}
    sections: list[SectionColumn] = []
    categories: set[Category] = set()
    versions: dict[int, VersionLayout] = {}
    for version_id in ids:
        form = forms.definition_of(version_id)
        columns: dict[str, int] = {}
        for section in form.sections:
            if not any(q.scored for q in section.questions):
                continue
            key = section.title.strip().casefold()
            if key not in titles:
                titles[key] = len(sections)
                sections.append(SectionColumn(section.title.strip(), section.category))
            columns[section.id] = titles[key]
            categories.add(section.category)
        versions[version_id] = VersionLayout(version_id, form, form.settings.scoring_mode, columns)
    ordered = tuple(c for c in Category if c in categories)
    return ExportLayout(tuple(sections), ordered, versions)


def evaluation_records(
    db: Database, flt: EvaluationFilter, batch: int = BATCH
) -> Iterator[tuple[tuple, list[SectionScore]]]:
    """Each evaluation row (``EVALUATION_SQL`` columns) with its section scores in form order."""
    where, params = _where(flt)
    rows = stream(db, f"{EVALUATION_SQL}{where}{_ORDER}", params, batch)
    sections = stream(db, f"{_SECTION_SQL}{where}{_ORDER}, s.position", params, batch * 4)
    pending = next(sections, None)
    for row in rows:
        eid = row[E_ID]
        scores: list[SectionScore] = []
        while pending is not None and pending[0] == eid:
            _, sid, category, weight, earned, before, possible, failed = pending
            scores.append(
                SectionScore(
                    sid, Category(category), weight, earned, before, possible, bool(failed)
                )
            )
            pending = next(sections, None)
        yield row, scores


def answer_groups(
    db: Database, flt: EvaluationFilter, batch: int = BATCH * 10
) -> Iterator[list[tuple]]:
    """The answers of each evaluation (``ANSWER_SQL`` columns), in form order."""
    where, params = _where(flt)
    group: list[tuple] = []
    for row in stream(db, f"{ANSWER_SQL}{where}{_ORDER}", params, batch):
        if group and group[0][A_EVALUATION] != row[A_EVALUATION]:
            group.sort(key=lambda r: r[A_POSITION])
            yield group
            group = []
        group.append(row)
    if group:
        group.sort(key=lambda r: r[A_POSITION])
        yield group


def agent_month_scores(db: Database, flt: EvaluationFilter) -> Iterator[tuple]:
    """(agent id, agent, team, 'YYYY-MM', score, passed) of scored evaluations, grouped by
    agent then month."""
    where, params = _where(flt, "e.score IS NOT NULL")
    sql = (
        "SELECT e.agent_id, a.name, t.name, substr(e.interaction_date, 1, 7) AS month,"
        " e.score, e.passed FROM evaluations e JOIN agents a ON a.id = e.agent_id"
        f" LEFT JOIN teams t ON t.id = a.team_id{where}"
        " ORDER BY a.name COLLATE NOCASE, e.agent_id, month"
    )
    return stream(db, sql, params)


def monthly_trend(db: Database, flt: EvaluationFilter) -> list[tuple]:
    """Per month of scored evaluations: ('YYYY-MM', n, mean score, passed, with a pass
    decision, critical failures)."""
    where, params = _where(flt, "e.score IS NOT NULL")
    sql = (
        "SELECT substr(e.interaction_date, 1, 7) AS month, count(*), avg(e.score),"
        " total(e.passed), count(e.passed), total(e.critical_failed)"
        f" FROM evaluations e{where} GROUP BY month ORDER BY month"
    )
    return db.execute(sql, params).fetchall()


@dataclass(frozen=True, slots=True)
class Totals:
    n: int  # evaluations in the filter
    scored: int
    mean: float | None
    passed: int
    with_pass: int
    critical: int
    csat: tuple[tuple[int, int], ...]  # (answer, count) over distinct interactions
    nps: tuple[tuple[int, int], ...]
    ces: tuple[tuple[int, int], ...]
    resolved: int
    with_resolved: int


def totals(db: Database, flt: EvaluationFilter) -> Totals:
    """Headline counts for the Summary sheet."""
    where, params = _where(flt)
    n, scored, mean, passed, with_pass, critical = db.execute(
        "SELECT count(*), count(e.score), avg(e.score), total(e.passed), count(e.passed),"
        f" total(e.critical_failed * (e.score IS NOT NULL)) FROM evaluations e{where}",
        params,
    ).fetchone()
    inner = f"SELECT e.interaction_id FROM evaluations e{where}"

    def tally(column: str) -> tuple[tuple[int, int], ...]:
        sql = (
            f"SELECT {column}, count(*) FROM interactions WHERE id IN ({inner})"
            f" AND {column} IS NOT NULL GROUP BY {column} ORDER BY {column}"
        )
        return tuple((int(v), int(c)) for v, c in db.execute(sql, params).fetchall())

    resolved = dict(tally("resolved_first_contact"))
    return Totals(
        n=int(n),
        scored=int(scored),
        mean=mean,
        passed=int(passed),
        with_pass=int(with_pass),
        critical=int(critical),
        csat=tally("csat"),
        nps=tally("nps"),
        ces=tally("ces"),
        resolved=resolved.get(1, 0),
        with_resolved=sum(resolved.values()),
    )


def centre_timezone(db: Database) -> str:
    return SettingsRepo(db).centre_timezone()


def recent_comments(
    db: sqlite_utils.Database, flt: EvaluationFilter, limit: int = 30
) -> list[tuple]:
    """The newest reviewer comments: (interaction date, evaluation id, form title, question
    text or None for the overall comment, earned, possible, comment), newest first."""
    where, params = _where(flt, "e.score IS NOT NULL")
    sql = f"""
    SELECT * FROM (
        SELECT e.interaction_date, e.id, f.title, q.text, x.earned, x.possible, x.comment,
            q.position
        FROM evaluations e JOIN forms f ON f.id = e.form_id
        JOIN answers x ON x.evaluation_id = e.id
        JOIN form_questions q ON q.form_version_id = e.form_version_id
            AND q.question_id = x.question_id
        {where} AND x.comment <> ''
        UNION ALL
        SELECT e.interaction_date, e.id, f.title, NULL, NULL, NULL, e.overall_comment, -1
        FROM evaluations e JOIN forms f ON f.id = e.form_id
        {where} AND e.overall_comment <> ''
    ) ORDER BY 1 DESC, 2 DESC, 8 LIMIT ?
    """
    rows = db.execute(sql, [*params, *params, limit]).fetchall()
    return [r[:7] for r in rows]


def form_titles(db: Database) -> dict[str, str]:
    """Every form's title by its id (retired ones included)."""
    return dict(db.execute("SELECT id, title FROM forms").fetchall())
