"""Copying the answers of outcome questions onto their interaction.

Rule: a question with an ``outcome_field`` that is visible and answered (not N/A,
not empty) sets that field of the interaction when the evaluation is submitted or
edited; hidden, N/A and empty answers leave the field as it was (it may come from
an import). yes/no become True/False; a date-time without a zone is read in the
centre's zone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from qa_monitor.core.answers import Answer, Answers
from qa_monitor.core.forms import Form, OutcomeField
from qa_monitor.core.records import Retention
from qa_monitor.core.scoring import QuestionStatus, ScoreResult

_FLAGS = {"yes": True, "no": False}


def outcome_values(
    form: Form, answers: Answers, result: ScoreResult, zone: str
) -> dict[str, object]:
    """Interaction field name -> value, for the outcome questions answered."""
    values: dict[str, object] = {}
    for _section, question in form.questions():
        field = question.outcome_field
        if field is None:
            continue
        score = result.question(question.id)
        if score is not None and score.status in (QuestionStatus.HIDDEN, QuestionStatus.NA):
            continue
        answer = answers.get(question.id)
        if answer is None or answer.na or answer.is_empty:
            continue
        value = _convert(field, answer, zone)
        if value is not None:
            values[field.value] = value
    return values


def _convert(field: OutcomeField, answer: Answer, zone: str) -> object:
    value = answer.value
    if field in (OutcomeField.RESOLVED_FIRST_CONTACT, OutcomeField.CALLBACK_KEPT):
        return _FLAGS.get(str(value))
    if field is OutcomeField.RETENTION:
        return Retention(value) if value in tuple(Retention) else None
    if field is OutcomeField.CHURN_REASON:
        return str(value)
    if field is OutcomeField.CHURN_RISK:
        return value if isinstance(value, str | int | float) else None
    if field is OutcomeField.CALLBACK_PROMISED_AT:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(zone))
        return moment
    return None
