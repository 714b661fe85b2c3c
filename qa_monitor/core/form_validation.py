"""Validating a form: every problem at once, each with where it is and how to fix it.

Here the form as a whole (id, title, settings and bands, weights in weighted mode), its
sections, and ids or outcome fields used twice; each question's own rules are in
``form_validation_questions``.
"""

from __future__ import annotations

import math
from collections import Counter

# Defined in the modules below; importable from here, where callers know them.
from qa_monitor.core.form_ids import ID_HINT as ID_HINT
from qa_monitor.core.form_ids import ID_PATTERN as ID_PATTERN
from qa_monitor.core.form_problems import Add as Add
from qa_monitor.core.form_problems import FormInvalidError as FormInvalidError
from qa_monitor.core.form_problems import FormProblem, question_problem
from qa_monitor.core.form_validation_questions import RETENTION_VALUES as RETENTION_VALUES
from qa_monitor.core.form_validation_questions import YES_NO_VALUES as YES_NO_VALUES
from qa_monitor.core.form_validation_questions import ProblemAt as ProblemAt
from qa_monitor.core.form_validation_questions import validate_question
from qa_monitor.core.forms import Form, Question, ScoringMode, Section


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
            validate_question(section, question, earlier, add)
            if question_counts[question.id] > 1:
                add(
                    question_problem(
                        section,
                        question,
                        f"question id '{question.id}' is used {question_counts[question.id]} times",
                        "every question needs its own id",
                        "id",
                    )
                )
            if question.outcome_field and outcome_counts[question.outcome_field] > 1:
                add(
                    question_problem(
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
    default_points = form.defaults.points
    if default_points is not None and (not math.isfinite(default_points) or default_points <= 0):
        add(
            FormProblem(
                f"default points must be more than 0 (got {default_points:g})",
                "give the points a scored question gets when it names none, e.g. 5",
                field="defaults",
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
    if section.max_points is not None and (
        not math.isfinite(section.max_points) or section.max_points <= 0
    ):
        add(
            FormProblem(
                f"max_points must be more than 0 (got {section.max_points:g})",
                "declare what the section's questions are worth together, or remove max_points",
                section.id,
                field="max_points",
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
