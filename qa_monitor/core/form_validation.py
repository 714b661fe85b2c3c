"""Validating a form: every problem at once, each with where it is and how to fix it."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from qa_monitor.core.forms import (
    CommentRule,
    CriticalLevel,
    Form,
    OutcomeField,
    Question,
    QuestionType,
    ScoringMode,
    Section,
)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
Add = Callable[["FormProblem"], None]
ProblemAt = Callable[[str, str, str], None]
ID_HINT = "use lowercase letters, digits and _ (starting with a letter), e.g. 'greeting_used_name'"


@dataclass(frozen=True, slots=True)
class FormProblem:
    message: str
    hint: str = ""
    section_id: str | None = None
    question_id: str | None = None
    # The property at fault ("points", "options", "condition", ...), for editors to highlight.
    field: str | None = None

    @property
    def location(self) -> str:
        parts = []
        if self.section_id:
            parts.append(f"section '{self.section_id}'")
        if self.question_id:
            parts.append(f"question '{self.question_id}'")
        if self.field:
            parts.append(self.field)
        return " › ".join(parts) if parts else "form"

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class FormInvalidError(ValueError):
    def __init__(self, problems: list[FormProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def validate_form(form: Form) -> list[FormProblem]:
    """Every problem in the form, in form order; an empty list means the form can be published."""
    problems: list[FormProblem] = []
    add = problems.append
    if not ID_PATTERN.match(form.id):
        add(FormProblem(f"form id '{form.id}' is not a valid id", ID_HINT, field="id"))
    if not form.title.strip():
        add(
            FormProblem(
                "the form has no title", "give it a name reviewers recognise", field="title"
            )
        )
    _validate_settings(form, add)
    if not form.sections:
        add(FormProblem("the form has no sections", "add at least one section with a question"))

    section_counts = Counter(s.id for s in form.sections)
    question_counts = Counter(q.id for _s, q in form.questions())
    outcome_counts = Counter(q.outcome_field for _s, q in form.questions() if q.outcome_field)
    earlier: dict[str, Question] = {}
    for section in form.sections:
        _validate_section(form, section, section_counts, add)
        for question in section.questions:
            _validate_question(section, question, earlier, add)
            if question_counts[question.id] > 1:
                add(
                    _q(
                        section,
                        question,
                        f"question id '{question.id}' is used {question_counts[question.id]} times",
                        "every question needs its own id",
                        "id",
                    )
                )
            if question.outcome_field and outcome_counts[question.outcome_field] > 1:
                add(
                    _q(
                        section,
                        question,
                        f"outcome field '{question.outcome_field}' is on several questions",
                        "keep it on one question",
                        "outcome_field",
                    )
                )
            earlier.setdefault(question.id, question)
    scored_weight = sum(max(s.weight, 0) for s in form.sections if _has_scored(s))
    weighted = form.settings.scoring_mode is ScoringMode.WEIGHTED
    if weighted and form.sections and scored_weight <= 0:
        add(
            FormProblem(
                "in weighted mode the sections' weights add up to 0",
                "give at least one scored section a positive weight",
                field="weight",
            )
        )
    return problems


def _has_scored(section: Section) -> bool:
    return any(q.scored and not q.bonus for q in section.questions)


def _q(section: Section, question: Question, message: str, hint: str, field: str) -> FormProblem:
    return FormProblem(message, hint, section.id, question.id, field)


def _validate_settings(form: Form, add: Add) -> None:
    settings = form.settings
    if not 0 <= settings.pass_mark <= 100:
        add(
            FormProblem(
                f"pass mark {settings.pass_mark:g} is outside 0–100",
                "set a pass mark between 0 and 100",
                field="pass_mark",
            )
        )
    names = Counter(b.name for b in settings.bands)
    for band in settings.bands:
        if not band.name.strip():
            add(FormProblem("a band has no name", "name every band, e.g. 'Meets'", field="bands"))
        elif names[band.name] > 1:
            add(FormProblem(f"band '{band.name}' is listed twice", "keep one", field="bands"))
        if not 0 <= band.minimum <= 100:
            add(
                FormProblem(
                    f"band '{band.name}' starts at {band.minimum:g}, outside 0–100",
                    "use a minimum between 0 and 100",
                    field="bands",
                )
            )
    if settings.bands and min(b.minimum for b in settings.bands) > 0:
        add(
            FormProblem(
                "no band covers scores from 0",
                "give the lowest band a minimum of 0 so every score has a band",
                field="bands",
            )
        )


def _validate_section(form: Form, section: Section, counts: Counter[str], add: Add) -> None:
    if not ID_PATTERN.match(section.id):
        add(
            FormProblem(
                f"section id '{section.id}' is not a valid id", ID_HINT, section.id, field="id"
            )
        )
    if counts[section.id] > 1:
        add(
            FormProblem(
                f"section id '{section.id}' is used {counts[section.id]} times",
                "every section needs its own id",
                section.id,
                field="id",
            )
        )
    if not section.title.strip():
        add(FormProblem("the section has no title", "give it a title", section.id, field="title"))
    if not math.isfinite(section.weight) or section.weight < 0:
        add(
            FormProblem(
                f"weight {section.weight:g} is negative",
                "use a weight of 0 or more",
                section.id,
                field="weight",
            )
        )
    if not section.questions:
        add(
            FormProblem(
                "the section has no questions", "add a question or remove the section", section.id
            )
        )
    scored = [q for q in section.questions if q.scored]
    if scored and all(q.bonus for q in scored):
        add(
            FormProblem(
                "every scored question in this section is a bonus question",
                "a section needs at least one regular scored question to have a score",
                section.id,
                field="bonus",
            )
        )


def _validate_question(
    section: Section, question: Question, earlier: dict[str, Question], add: Add
) -> None:
    def problem(message: str, hint: str, field: str) -> None:
        add(_q(section, question, message, hint, field))

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
