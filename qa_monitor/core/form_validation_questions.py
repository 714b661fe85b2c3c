"""Validating one question: every problem with its properties, options, condition and outcome.

A scored question needs positive points and at least two options worth a fraction 0–1, one
of them full marks; an unscored one has no points, critical, bonus or N/A. A condition may
refer only to an earlier question with options, and an outcome field (first-contact
resolution, retention, churn, callbacks) fits only the question types and option ids that
metrics read.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from qa_monitor.core.form_ids import ID_HINT, ID_PATTERN
from qa_monitor.core.form_problems import Add, question_problem
from qa_monitor.core.forms import (
    CommentRule,
    CriticalLevel,
    OutcomeField,
    Question,
    QuestionType,
    Section,
)

ProblemAt = Callable[[str, str, str], None]


def validate_question(
    section: Section, question: Question, earlier: dict[str, Question], add: Add
) -> None:
    """Add every problem of ``question`` on its own: its id, text, type, points,
    options, condition (which may refer only to ``earlier`` questions) and outcome field."""

    def problem(message: str, hint: str, field: str) -> None:
        add(question_problem(section, question, message, hint, field))

    if not ID_PATTERN.match(question.id):
        problem(f"question id '{question.id}' is not a valid id", ID_HINT, "id")
    if not question.text.strip():
        problem(
            "the question has no text", "write the question as the reviewer should read it", "text"
        )
    qtype = question.type
    if question.scored:
        if not math.isfinite(question.points) or question.points <= 0:
            problem(
                f"points must be more than 0 (got {question.points:g})",
                "give the question its maximum points, e.g. 5",
                "points",
            )
        _validate_scored_options(question, problem)
    else:
        if question.points:
            problem(
                "an unscored question cannot have points",
                "remove points or pick a scored type",
                "points",
            )
        if question.critical is not CriticalLevel.NONE:
            problem(
                "only scored questions can be critical",
                "set critical to none or use a scored type such as yes_no",
                "critical",
            )
        if question.bonus:
            problem("only scored questions can be bonus questions", "remove bonus", "bonus")
        if question.comment is CommentRule.NOT_FULL:
            problem(
                "'comment when not full marks' needs a scored question",
                "use comment: always or never",
                "comment",
            )
        if qtype in (QuestionType.TAG, QuestionType.TAGS):
            _validate_tag_options(question, problem)
        elif question.options:
            problem(f"a {qtype.value} question has no options", "remove the options", "options")
        if question.allow_na:
            problem(
                "N/A applies only to scored questions",
                "leave an unscored question empty instead",
                "allow_na",
            )
    if question.bonus and question.critical is not CriticalLevel.NONE:
        problem(
            "a bonus question cannot be critical", "choose one of bonus or critical", "critical"
        )
    if question.scored and question.required:
        problem(
            "'required' applies to unscored questions; scored questions are always required",
            "remove required",
            "required",
        )
    if qtype is not QuestionType.NUMBER and (
        question.minimum is not None or question.maximum is not None
    ):
        problem("min and max apply only to number questions", "remove min/max", "minimum")
    if (
        question.minimum is not None
        and question.maximum is not None
        and question.minimum > question.maximum
    ):
        problem(
            f"minimum {question.minimum:g} is above maximum {question.maximum:g}",
            "swap them",
            "minimum",
        )
    if question.condition is not None:
        _validate_condition(question, earlier, problem)
    on_interaction = question.interaction_condition
    if on_interaction is not None and not (on_interaction.channels or on_interaction.directions):
        problem(
            "the interaction condition names no channel or direction",
            "name one, e.g. direction outbound, or remove the condition",
            "interaction_condition",
        )
    if question.outcome_field is not None:
        _validate_outcome_field(question, problem)


def _validate_scored_options(question: Question, problem: ProblemAt) -> None:
    options = question.options
    if len(options) < 2:
        problem(
            "a scored question needs at least two options",
            "add options, e.g. yes (1) and no (0)",
            "options",
        )
        return
    ids = Counter(o.id for o in options)
    for opt in options:
        if ids[opt.id] > 1:
            problem(
                f"option id '{opt.id}' is listed twice", "give each option its own id", "options"
            )
        if not opt.label.strip():
            problem(
                f"option '{opt.id}' has no label", "label it as the reviewer will see it", "options"
            )
        if opt.fraction is None or not 0 <= opt.fraction <= 1:
            problem(
                f"option '{opt.id}' must be worth a fraction between 0 and 1",
                "e.g. 1 for full marks, 0.5 for half, 0 for none",
                "options",
            )
    fractions = [o.fraction for o in options if o.fraction is not None]
    if fractions and max(fractions) < 1:
        problem("no option earns full marks", "give the best option a fraction of 1", "options")
    if question.critical is not CriticalLevel.NONE and not any(o.is_failing for o in options):
        problem(
            "the question is critical but no option fails it",
            "give one option a fraction of 0 or mark it fails: true",
            "critical",
        )


def _validate_tag_options(question: Question, problem: ProblemAt) -> None:
    if not question.options:
        problem(
            f"a {question.type.value} question needs options to choose from",
            "list the labels, e.g. the churn reasons",
            "options",
        )
    ids = Counter(o.id for o in question.options)
    for opt in question.options:
        if ids[opt.id] > 1:
            problem(
                f"option id '{opt.id}' is listed twice", "give each option its own id", "options"
            )
        if opt.fraction is not None:
            problem(
                f"option '{opt.id}' has a fraction but tag questions are not scored",
                "remove the fraction or make the question a choice question",
                "options",
            )


def _validate_condition(
    question: Question, earlier: dict[str, Question], problem: ProblemAt
) -> None:
    cond = question.condition
    assert cond is not None
    target = earlier.get(cond.question_id)
    if not cond.question_id:
        problem(
            "the condition names no question",
            "choose the earlier question whose answer shows this one",
            "condition",
        )
        return
    if cond.question_id == question.id:
        problem(
            "the question's condition refers to itself", "refer to an earlier question", "condition"
        )
        return
    if target is None:
        problem(
            f"the condition refers to '{cond.question_id}', which is not an earlier question",
            "conditions may refer only to questions that come before this one",
            "condition",
        )
        return
    if not target.type.has_options:
        problem(
            f"the condition refers to '{cond.question_id}', which has no options",
            "refer to a question with options (yes/no, choice, tag)",
            "condition",
        )
        return
    if not cond.option_ids:
        problem("the condition names no option", f"name an option of '{target.id}'", "condition")
    known = {o.id for o in target.options}
    for opt in cond.option_ids:
        if opt not in known:
            problem(
                f"the condition names option '{opt}', which '{target.id}' does not have",
                f"use one of: {', '.join(sorted(known))}",
                "condition",
            )


_OUTCOME_TYPES: dict[OutcomeField, tuple[QuestionType, ...]] = {
    OutcomeField.RESOLVED_FIRST_CONTACT: (QuestionType.YES_NO, QuestionType.TAG),
    OutcomeField.CALLBACK_KEPT: (QuestionType.YES_NO, QuestionType.TAG),
    OutcomeField.RETENTION: (QuestionType.TAG,),
    OutcomeField.CHURN_REASON: (QuestionType.TAG,),
    OutcomeField.CHURN_RISK: (QuestionType.TAG, QuestionType.NUMBER),
    OutcomeField.CALLBACK_PROMISED_AT: (QuestionType.DATETIME,),
}
RETENTION_VALUES = ("retained", "lost", "undecided")
YES_NO_VALUES = ("yes", "no")


def _validate_outcome_field(question: Question, problem: ProblemAt) -> None:
    field = question.outcome_field
    assert field is not None
    allowed = _OUTCOME_TYPES[field]
    if question.type not in allowed:
        problem(
            f"outcome field '{field.value}' needs a question of type "
            f"{' or '.join(t.value for t in allowed)}",
            "change the type or remove the outcome field",
            "outcome_field",
        )
        return
    required: tuple[str, ...] = ()
    if field in (OutcomeField.RESOLVED_FIRST_CONTACT, OutcomeField.CALLBACK_KEPT):
        required = YES_NO_VALUES
    elif field is OutcomeField.RETENTION:
        required = RETENTION_VALUES
    ids = {o.id for o in question.options}
    if required and not ids <= set(required) | {"na"}:
        problem(
            f"outcome field '{field.value}' takes options {', '.join(required)}",
            f"use option ids from: {', '.join(required)}",
            "outcome_field",
        )
