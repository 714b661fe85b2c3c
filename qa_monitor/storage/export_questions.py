"""Miss rates per question for exports: from the dashboard roll-ups when the filter
allows it, else from the raw answers.

The roll-ups (``storage.rollups``, read through ``analytics_queries.question_sums``)
hold, per day or month and per team, form, version, channel and kind, the scored
answers of every submitted evaluation; an export filtered only by those (and dates,
agents, reviewers) reads them in milliseconds instead of grouping every answer. A
filter on status, score, critical failure or a search text reads the raw answers.
Either way a question's text is its newest version's, and its critical failures are
the failing answers given while the question was critical (in the version answered):
a failing answer on a question that is not critical is a miss, not a critical failure.
"""

from __future__ import annotations

from typing import Any

from qa_monitor.core.records import EvaluationFilter, EvaluationStatus
from qa_monitor.storage.analytics_queries import Scope, question_sums_per_question
from qa_monitor.storage.database import Database
from qa_monitor.storage.evaluation_query import where_clause
from qa_monitor.storage.rollup_specs import SCALE

_SUBMITTED = frozenset(s for s in EvaluationStatus if s is not EvaluationStatus.DRAFT)

# (form id, question id) -> (answered, missed, critical failures, earned, possible)
Counts = dict[tuple[str, str], tuple[int, int, int, float, float]]


def rollup_scope(flt: EvaluationFilter) -> Scope | None:
    """The roll-up scope holding exactly the scored evaluations ``flt`` selects, or None
    when the roll-ups cannot tell (they keep every submitted evaluation, by date, team,
    agent, reviewer, form, version, channel and kind)."""
    if flt.statuses and not set(flt.statuses) >= _SUBMITTED:
        return None
    if flt.score_min is not None or flt.score_max is not None:
        return None
    if flt.critical_failed is not None or flt.search.strip():
        return None
    return Scope(
        date_from=flt.date_from,
        date_to=flt.date_to,
        team_ids=flt.team_ids,
        agent_ids=flt.agent_ids,
        reviewer_ids=flt.reviewer_ids,
        form_ids=flt.form_ids,
        form_version_ids=flt.form_version_ids,
        channels=tuple(c.value for c in flt.channels),
        kinds=tuple(k.value for k in flt.kinds),
    )


def _raw_counts(db: Database, flt: EvaluationFilter) -> Counts:
    where, params = where_clause(flt)
    sql = (
        "SELECT e.form_id, x.question_id, count(*), total(x.earned < x.possible),"
        " total(x.failing AND q.critical <> 'none'), total(x.earned), total(x.possible)"
        " FROM evaluations e JOIN answers x ON x.evaluation_id = e.id"
        " JOIN form_questions q ON q.form_version_id = e.form_version_id"
        " AND q.question_id = x.question_id"
        f" WHERE ({where}) AND e.score IS NOT NULL AND x.status = 'scored'"
        " GROUP BY e.form_id, x.question_id"
    )
    return {
        (f, q): (int(n), int(missed), int(failing), earned, possible)
        for f, q, n, missed, failing, earned, possible in db.execute(sql, params)
    }


def _rollup_counts(db: Database, scope: Scope) -> Counts:
    return {
        (str(key[0]), str(key[1])): (
            s.n,
            s.n_missed,
            s.n_failing,
            s.sum_earned_q / SCALE,
            s.sum_possible_q / SCALE,
        )
        for key, s in question_sums_per_question(db, scope).items()
        if s.n
    }


def _newest_texts(db: Database, form_ids: set[str]) -> dict[tuple[str, str], tuple[Any, ...]]:
    """(form id, question id) -> (form title, section, category, text, critical, position)
    from the newest version that has the question."""
    if not form_ids:
        return {}
    marks = ", ".join("?" * len(form_ids))
    rows = db.execute(
        "SELECT v.form_id, q.question_id, f.title, q.section_title, q.category, q.text,"
        " q.critical, q.position FROM form_questions q"
        " JOIN form_versions v ON v.id = q.form_version_id JOIN forms f ON f.id = v.form_id"
        f" WHERE v.form_id IN ({marks}) ORDER BY v.version",
        sorted(form_ids),
    ).fetchall()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}  # later versions overwrite earlier


def question_misses(db: Database, flt: EvaluationFilter) -> list[tuple[Any, ...]]:
    """Per question of scored evaluations: (form title, section, category, question text,
    answered, missed (less than full marks), critical failures (failing answers while
    the question was critical), earned, possible, critical level), most missed first."""
    scope = rollup_scope(flt)
    counts = _rollup_counts(db, scope) if scope is not None else _raw_counts(db, flt)
    texts = _newest_texts(db, {form for form, _q in counts})
    rows = []
    for key, (n, missed, failing, earned, possible) in counts.items():
        title, section, category, text, critical, position = texts.get(
            key, (key[0], "", "process", key[1], "none", 0)
        )
        rows.append(
            (
                (-missed / n, -n, str(title).casefold(), position),
                (title, section, category, text, n, missed, failing, earned, possible, critical),
            )
        )
    rows.sort(key=lambda r: r[0])
    return [row for _key, row in rows]
