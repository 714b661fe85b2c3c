"""Turning generated evaluations into the rows ``storage.bulk_load`` inserts.

The rows hold exactly what submitting through ``EvaluationService`` stores: for a
submitted evaluation, one answer row per question of the form with the earned /
possible points, status and failing flag of ``score_evaluation`` (full precision),
one row per section, and the evaluation's scores; for a draft, only the answers
given and no scores. Column orders are ``bulk_load``'s ``*_COLUMNS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Form
from qa_monitor.core.records import EvaluationKind, EvaluationStatus, Retention
from qa_monitor.core.scoring import ScoreResult
from qa_monitor.storage.score_rows import NO_SCORE_VALUES, score_values, section_score_rows
from qa_monitor.storage.values import utc_text, value_to_json

RowTuple = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class EvaluationMeta:
    """Who evaluated what, when, and where the evaluation stands."""

    evaluation_id: int
    interaction_id: int
    form_id: str
    form_version_id: int
    reviewer_id: int
    agent_id: int
    team_id: int | None
    channel: str
    interaction_date: str  # local date, ISO
    kind: EvaluationKind
    status: EvaluationStatus
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    overall_comment: str = ""


def evaluation_row(meta: EvaluationMeta, result: ScoreResult | None) -> RowTuple:
    """An ``EVALUATION_COLUMNS`` row; ``result`` is None for a draft."""
    scores = NO_SCORE_VALUES if result is None else score_values(result)
    return (
        meta.evaluation_id,
        meta.interaction_id,
        meta.form_id,
        meta.form_version_id,
        meta.reviewer_id,
        meta.agent_id,
        meta.team_id,
        meta.channel,
        meta.interaction_date,
        meta.kind.value,
        meta.status.value,
        utc_text(meta.created_at),
        utc_text(meta.updated_at),
        None if meta.submitted_at is None else utc_text(meta.submitted_at),
        *scores,
        meta.overall_comment,
        0,
    )


def scored_answer_rows(
    evaluation_id: int, form: Form, answers: Mapping[str, Answer], result: ScoreResult
) -> list[RowTuple]:
    """``ANSWER_COLUMNS`` rows of a submitted evaluation: one per question of the form."""
    rows = []
    for (section, question), qs in zip(form.questions(), result.questions, strict=True):
        a = answers.get(question.id)
        rows.append(
            (
                evaluation_id,
                question.id,
                section.id,
                None if a is None else value_to_json(a.value),
                int(a is not None and a.na),
                qs.earned,
                qs.possible,
                qs.status.value,
                int(qs.failing),
                "" if a is None else a.comment,
                None if a is None else a.timestamp_ms,
            )
        )
    return rows


def draft_answer_rows(
    evaluation_id: int, form: Form, answers: Mapping[str, Answer]
) -> list[RowTuple]:
    """``ANSWER_COLUMNS`` rows of a draft: the answers given, without scores."""
    rows = []
    for section, question in form.questions():
        a = answers.get(question.id)
        if a is None or (a.is_empty and not a.comment and a.timestamp_ms is None):
            continue
        value = value_to_json(a.value)
        no_scores = (None, None, None, None)
        extras = (a.comment, a.timestamp_ms)
        rows.append((evaluation_id, question.id, section.id, value, int(a.na), *no_scores, *extras))
    return rows


def section_rows(evaluation_id: int, result: ScoreResult) -> list[RowTuple]:
    """``SECTION_SCORE_COLUMNS`` rows, in form order."""
    return section_score_rows(evaluation_id, result)


def outcome_columns(values: Mapping[str, object]) -> dict[str, object]:
    """``outcomes.outcome_values`` output in database form (what the interaction stores)."""
    out: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, bool):
            out[name] = int(value)
        elif isinstance(value, Retention):
            out[name] = value.value
        elif isinstance(value, datetime):
            out[name] = utc_text(value)
        else:
            out[name] = value
    return out
