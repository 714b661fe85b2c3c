"""Checks an evaluation must pass before it can be submitted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from qa_monitor.core.answers import Answer, Answers
from qa_monitor.core.forms import CommentRule, Form, InteractionFacts, Question, QuestionType
from qa_monitor.core.scoring import QuestionStatus, ScoreResult, score_evaluation


class AnswerProblemKind(StrEnum):
    UNANSWERED = "unanswered"
    COMMENT_REQUIRED = "comment_required"
    INVALID_VALUE = "invalid_value"
    NA_NOT_ALLOWED = "na_not_allowed"
    NOTHING_APPLICABLE = "nothing_applicable"


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    question_id: str | None
    kind: AnswerProblemKind
    message: str

    def __str__(self) -> str:
        return f"{self.question_id}: {self.message}" if self.question_id else self.message


def check_answers(
    form: Form,
    answers: Answers,
    result: ScoreResult | None = None,
    interaction: InteractionFacts | None = None,
) -> list[AnswerProblem]:
    """Problems that block submitting, in form order.

    Rules: every visible required question has an answer; N/A only where allowed;
    values fit the question (known option, number within bounds, valid date-time);
    a comment is given where the question requires one (always, or when the answer
    earns less than full marks); at least one scored question applies.
    """
    result = result or score_evaluation(form, answers, interaction)
    problems: list[AnswerProblem] = []
    for (_section, question), qs in zip(form.questions(), result.questions, strict=True):
        if qs.status is QuestionStatus.HIDDEN:
            continue
        answer = answers.get(question.id)
        problems.extend(_check_one(question, answer, qs.status, qs.full_marks))
    if result.score is None and result.answerable == result.answered:
        problems.append(
            AnswerProblem(
                None,
                AnswerProblemKind.NOTHING_APPLICABLE,
                "every scored question is N/A, so there is nothing to score",
            )
        )
    return problems


def _check_one(
    question: Question, answer: Answer | None, status: QuestionStatus, full_marks: bool
) -> list[AnswerProblem]:
    qid = question.id

    def p(kind: AnswerProblemKind, message: str) -> list[AnswerProblem]:
        return [AnswerProblem(qid, kind, message)]

    if answer is not None and answer.na and not question.allow_na:
        return p(AnswerProblemKind.NA_NOT_ALLOWED, "N/A is not allowed here; choose an answer")
    if answer is None or answer.is_empty:
        if question.is_required:
            return p(AnswerProblemKind.UNANSWERED, "not answered yet")
        return []
    invalid = _invalid_value(question, answer)
    if invalid:
        return p(AnswerProblemKind.INVALID_VALUE, invalid)
    needs_comment = question.comment is CommentRule.ALWAYS or (
        question.comment is CommentRule.NOT_FULL
        and status is QuestionStatus.SCORED
        and not full_marks
    )
    if needs_comment and not answer.comment.strip():
        reason = "always" if question.comment is CommentRule.ALWAYS else "when not full marks"
        return p(AnswerProblemKind.COMMENT_REQUIRED, f"a comment is required ({reason})")
    return []


def _invalid_value(question: Question, answer: Answer) -> str | None:
    if answer.na:
        return None
    value = answer.value
    qtype = question.type
    if question.scored or qtype is QuestionType.TAG:
        if not isinstance(value, str) or question.option(value) is None:
            return f"'{value}' is not one of this question's options"
    elif qtype is QuestionType.TAGS:
        values = value if isinstance(value, tuple) else (value,)
        unknown = [v for v in values if not isinstance(v, str) or question.option(v) is None]
        if unknown:
            return f"{', '.join(map(str, unknown))} not among this question's options"
    elif qtype is QuestionType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"'{value}' is not a number"
        if question.minimum is not None and value < question.minimum:
            return f"{value:g} is below the minimum {question.minimum:g}"
        if question.maximum is not None and value > question.maximum:
            return f"{value:g} is above the maximum {question.maximum:g}"
    elif qtype is QuestionType.DATETIME:
        try:
            datetime.fromisoformat(str(value))
        except ValueError:
            return f"'{value}' is not a date and time (expected e.g. 2026-03-01T14:30)"
    elif qtype is QuestionType.TEXT and not isinstance(value, str):
        return "expected text"
    return None
