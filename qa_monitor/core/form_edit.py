"""Editing a form: pure functions that each return a new Form and leave the old one intact.

The form designer keeps the Form before and after every edit for undo, so nothing here
mutates. Ids are made from titles (``form_ids.slugify``) and stay unique within the form;
renaming a question's id (or an option's id in place) carries the conditions that refer to
it along, so a rename never silently breaks a "show if". Deleting a question reports the
questions whose condition referred to it (their condition is removed) so the editor can warn
first.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

# The id helpers moved to form_ids; they stay importable from here, where callers know them.
from qa_monitor.core.form_ids import ID_MAX as ID_MAX
from qa_monitor.core.form_ids import SLUG_MAX as SLUG_MAX
from qa_monitor.core.form_ids import follows_title as follows_title
from qa_monitor.core.form_ids import id_from_title, unique_id
from qa_monitor.core.form_ids import slugify as slugify
from qa_monitor.core.forms import (
    Category,
    CommentRule,
    Condition,
    CriticalLevel,
    Form,
    FormSettings,
    Option,
    Question,
    QuestionType,
    Section,
    default_options,
)

# Items are named by id, or by position where ids may be duplicated (an editor in the middle
# of a rename): a question as (section index, question index), a section as its index.
QuestionRef = str | tuple[int, int]
SectionRef = str | int

DEFAULT_POINTS = 5.0


def question_ids(form: Form) -> set[str]:
    return {q.id for _s, q in form.questions()}


def section_ids(form: Form) -> set[str]:
    return {s.id for s in form.sections}


def locate_question(form: Form, question_id: str) -> tuple[int, int] | None:
    """(section index, question index) of the first question with ``question_id``."""
    for s_index, section in enumerate(form.sections):
        for q_index, question in enumerate(section.questions):
            if question.id == question_id:
                return s_index, q_index
    return None


def locate_section(form: Form, section_id: str) -> int | None:
    return next((i for i, s in enumerate(form.sections) if s.id == section_id), None)


# ---------------------------------------------------------------------- new items
def starter_options(qtype: QuestionType) -> tuple[Option, ...]:
    """The options a new question of ``qtype`` starts with (a type's standard set, or an
    editable example for choice and tag questions, which have none)."""
    if qtype is QuestionType.CHOICE:
        return (Option("fully", "Fully", 1.0), Option("partly", "Partly", 0.5),
                Option("not_at_all", "Not at all", 0.0))  # fmt: skip
    if qtype in (QuestionType.TAG, QuestionType.TAGS):
        return (Option("option_1", "Option 1"), Option("option_2", "Option 2"))
    return default_options(qtype)


def new_section(form: Form, title: str, category: Category) -> Section:
    return Section(id_from_title(title, section_ids(form), "section"), title, category)


def new_question(form: Form, text: str, qtype: QuestionType) -> Question:
    """A question ready to score: standard options, and when scored the form's defaults
    (points, N/A, comment rule) or ``DEFAULT_POINTS``."""
    question = Question(
        id=id_from_title(text, question_ids(form), "question"),
        text=text,
        type=qtype,
        points=DEFAULT_POINTS if qtype.scored else 0.0,
        options=starter_options(qtype),
    )
    defaults = form.defaults
    if not qtype.scored or defaults.is_empty:
        return question
    return replace(
        question,
        points=question.points if defaults.points is None else defaults.points,
        allow_na=question.allow_na if defaults.allow_na is None else defaults.allow_na,
        comment=question.comment if defaults.comment is None else defaults.comment,
    )


def retype_question(question: Question, qtype: QuestionType) -> Question:
    """``question`` as a ``qtype`` question, with every property the new type does not
    allow cleared (so changing the type never creates a problem by itself)."""
    if qtype is question.type:
        return question
    old = question.type
    options: tuple[Option, ...]
    if not qtype.has_options:
        options = ()
    elif qtype in (QuestionType.TAG, QuestionType.TAGS):
        custom = question.options and question.options != default_options(old)
        options = (
            tuple(replace(o, fraction=None, fails=None) for o in question.options)
            if custom or old in (QuestionType.TAG, QuestionType.TAGS)
            else starter_options(qtype)
        )
    elif qtype is QuestionType.CHOICE and question.options:
        last = max(len(question.options) - 1, 1)
        options = tuple(
            o if o.fraction is not None else replace(o, fraction=1 - i / last)
            for i, o in enumerate(question.options)
        )
    else:
        options = starter_options(qtype)
    changes: dict[str, object] = {"type": qtype, "options": options}
    if qtype.scored:
        changes["required"] = False
        if question.points <= 0:
            changes["points"] = DEFAULT_POINTS
    else:
        changes.update(points=0.0, allow_na=False, critical=CriticalLevel.NONE, bonus=False)
        if question.comment is CommentRule.NOT_FULL:
            changes["comment"] = CommentRule.NEVER
    if qtype is not QuestionType.NUMBER:
        changes.update(minimum=None, maximum=None)
    return replace(question, **changes)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- adding, duplicating
def _with_sections(form: Form, sections: list[Section]) -> Form:
    return replace(form, sections=tuple(sections))


def _with_questions(form: Form, s_index: int, questions: list[Question]) -> Form:
    sections = list(form.sections)
    sections[s_index] = replace(sections[s_index], questions=tuple(questions))
    return _with_sections(form, sections)


def add_section(form: Form, section: Section, index: int | None = None) -> Form:
    """``section`` inserted at ``index`` (at the end when None)."""
    sections = list(form.sections)
    sections.insert(len(sections) if index is None else index, section)
    return _with_sections(form, sections)


def add_question(
    form: Form, section: SectionRef, question: Question, index: int | None = None
) -> Form:
    """``question`` inserted in ``section`` at ``index`` (at its end when None)."""
    s_index = _section_index(form, section)
    questions = list(form.sections[s_index].questions)
    questions.insert(len(questions) if index is None else index, question)
    return _with_questions(form, s_index, questions)


def duplicate_question(form: Form, question: QuestionRef) -> tuple[Form, str]:
    """A copy of the question right after it, with a new id; returns (form, new id)."""
    s_index, q_index = _question_position(form, question)
    original = form.sections[s_index].questions[q_index]
    copy = replace(original, id=unique_id(original.id, question_ids(form)), outcome_field=None)
    form = add_question(form, s_index, copy, q_index + 1)
    return form, copy.id


def duplicate_section(form: Form, section: SectionRef) -> tuple[Form, str]:
    """A copy of the section right after it, with new ids for it and its questions.

    Conditions between the copied questions point at the copies; outcome fields stay on
    the originals (each may appear once per form).
    """
    s_index = _section_index(form, section)
    original = form.sections[s_index]
    taken = question_ids(form)
    renamed: dict[str, str] = {}
    for question in original.questions:
        renamed[question.id] = unique_id(question.id, taken | set(renamed.values()))
    questions = []
    for question in original.questions:
        condition = question.condition
        if condition is not None and condition.question_id in renamed:
            condition = replace(condition, question_id=renamed[condition.question_id])
        questions.append(
            replace(question, id=renamed[question.id], condition=condition, outcome_field=None)
        )
    copy = replace(
        original, id=unique_id(original.id, section_ids(form)), questions=tuple(questions)
    )
    return add_section(form, copy, s_index + 1), copy.id


# ---------------------------------------------------------------------- deleting
@dataclass(frozen=True, slots=True)
class Deletion:
    form: Form
    # Questions whose condition referred to a deleted question; their condition was removed.
    cleared_conditions: tuple[str, ...]


def dependents(form: Form, question_ids: Collection[str]) -> tuple[Question, ...]:
    """Questions outside ``question_ids`` whose condition refers to one of them."""
    return tuple(
        q
        for _s, q in form.questions()
        if q.id not in question_ids and q.condition and q.condition.question_id in question_ids
    )


def _clear_conditions(form: Form, deleted: Collection[str]) -> Deletion:
    gone = set(deleted) - question_ids(form)  # a duplicated id may still be there
    affected = dependents(form, gone)
    ids = {q.id for q in affected}
    form = _map_questions(form, lambda q: replace(q, condition=None) if q.id in ids else q)
    return Deletion(form, tuple(q.id for q in affected))


def delete_question(form: Form, question: QuestionRef) -> Deletion:
    """The form without the question; conditions that referred to it are removed."""
    s_index, q_index = _question_position(form, question)
    questions = list(form.sections[s_index].questions)
    deleted = questions.pop(q_index)
    return _clear_conditions(_with_questions(form, s_index, questions), {deleted.id})


def delete_section(form: Form, section: SectionRef) -> Deletion:
    """The form without the section and its questions; conditions on them are removed."""
    s_index = _section_index(form, section)
    gone = {q.id for q in form.sections[s_index].questions}
    sections = list(form.sections)
    del sections[s_index]
    return _clear_conditions(_with_sections(form, sections), gone)


# ---------------------------------------------------------------------- moving
def move_section(form: Form, section: SectionRef, index: int) -> Form:
    """The section moved so that it ends up at ``index`` (clamped to the form)."""
    sections = list(form.sections)
    moved = sections.pop(_section_index(form, section))
    sections.insert(max(0, min(index, len(sections))), moved)
    return _with_sections(form, sections)


def move_question(form: Form, question: QuestionRef, section: SectionRef, index: int) -> Form:
    """The question moved into ``section`` so that it ends up at ``index`` there (clamped),
    within its own section or across sections."""
    s_index, q_index = _question_position(form, question)
    target = _section_index(form, section)
    remaining = list(form.sections[s_index].questions)
    moved = remaining.pop(q_index)
    form = _with_questions(form, s_index, remaining)
    size = len(form.sections[target].questions)
    return add_question(form, target, moved, max(0, min(index, size)))


def step_question(form: Form, question: QuestionRef, step: int) -> Form | None:
    """One place up (-1) or down (+1); past a section's edge into the neighbouring section.
    None when the question is already first (or last) in the form."""
    s_index, q_index = _question_position(form, question)
    target = q_index + step
    if 0 <= target < len(form.sections[s_index].questions):
        return move_question(form, (s_index, q_index), s_index, target)
    neighbour = s_index + step
    if not 0 <= neighbour < len(form.sections):
        return None
    end = len(form.sections[neighbour].questions) if step < 0 else 0
    return move_question(form, (s_index, q_index), neighbour, end)


def step_section(form: Form, section: SectionRef, step: int) -> Form | None:
    index = _section_index(form, section) + step
    if not 0 <= index < len(form.sections):
        return None
    return move_section(form, section, index)


# ---------------------------------------------------------------------- replacing
def replace_question(form: Form, where: QuestionRef, question: Question) -> Form:
    """The form with ``question`` in place of the question ``where`` names.

    A new id (not used by another question) and options renamed in place (same count, new
    ids) are carried into the conditions that refer to them.
    """
    s_index, q_index = _question_position(form, where)
    old = form.sections[s_index].questions[q_index]
    questions = list(form.sections[s_index].questions)
    questions[q_index] = question
    form = _with_questions(form, s_index, questions)
    option_map = {
        a.id: b.id
        for a, b in zip(old.options, question.options, strict=False)
        if len(old.options) == len(question.options) and a.id != b.id
    }
    id_free = sum(1 for _s, q in form.questions() if q.id == question.id) == 1
    new_id = question.id if id_free else old.id
    if new_id == old.id and not option_map:
        return form

    def follow(q: Question) -> Question:
        cond = q.condition
        if q is question or cond is None or cond.question_id != old.id:
            return q
        ids = tuple(option_map.get(o, o) for o in cond.option_ids)
        return replace(q, condition=Condition(new_id, ids))

    return _map_questions(form, follow)


def replace_section(form: Form, where: SectionRef, section: Section) -> Form:
    """The form with ``section`` (title, id, category, weight, ...) in place of ``where``."""
    sections = list(form.sections)
    sections[_section_index(form, where)] = section
    return _with_sections(form, sections)


def replace_settings(form: Form, settings: FormSettings) -> Form:
    return replace(form, settings=settings)


# ---------------------------------------------------------------------- helpers
def _map_questions(form: Form, change: Callable[[Question], Question]) -> Form:
    sections = [replace(s, questions=tuple(change(q) for q in s.questions)) for s in form.sections]
    return _with_sections(form, sections)


def _section_index(form: Form, section: SectionRef) -> int:
    if isinstance(section, int):
        if not 0 <= section < len(form.sections):
            raise KeyError(f"the form has no section number {section + 1}")
        return section
    index = locate_section(form, section)
    if index is None:
        raise KeyError(f"the form has no section '{section}'")
    return index


def _question_position(form: Form, question: QuestionRef) -> tuple[int, int]:
    if isinstance(question, tuple):
        s_index, q_index = question
        if not (
            0 <= s_index < len(form.sections)
            and 0 <= q_index < len(form.sections[s_index].questions)
        ):
            raise KeyError(f"the form has no question at {s_index + 1}.{q_index + 1}")
        return question
    position = locate_question(form, question)
    if position is None:
        raise KeyError(f"the form has no question '{question}'")
    return position
