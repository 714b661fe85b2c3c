"""Which item of the form each validation problem is about, by position.

``FormProblem`` names its item by id, but while an author types an id it can equal another
one, and then "question 'greet'" is two questions. The tree, the property panel and the
problems list all need the one item a problem belongs to, so it is worked out here once:

- a problem whose id is unique belongs to that item;
- the same problem listed once per duplicate (the "used 2 times" message) goes to each of
  them in order;
- any other problem of a duplicated question id goes to the duplicates that still have it
  when the others are given a temporary unique id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from qa_monitor.core.form_validation import FormProblem, validate_form
from qa_monitor.core.forms import Form
from qa_monitor.ui.designer.undo_commands import Selection

Placed = list[tuple[FormProblem, Selection]]


def _key(problem: FormProblem) -> tuple[str, str, str | None]:
    return problem.message, problem.hint, problem.field


def place_problems(form: Form, problems: Sequence[FormProblem]) -> Placed:
    """Every problem with the position of the item it is about (``Selection()``: the form)."""
    sections: dict[str, list[Selection]] = {}
    questions: dict[tuple[str, str], list[Selection]] = {}
    for s, section in enumerate(form.sections):
        sections.setdefault(section.id, []).append(Selection(s))
        for q, question in enumerate(section.questions):
            questions.setdefault((section.id, question.id), []).append(Selection(s, q))
    repeats = Counter((p.section_id, p.question_id, _key(p)) for p in problems)
    seen: Counter[tuple[object, ...]] = Counter()
    own_cache: dict[Selection, set[tuple[str, str, str | None]]] = {}
    placed: Placed = []
    for problem in problems:
        if problem.question_id is not None and problem.section_id is not None:
            candidates = questions.get((problem.section_id, problem.question_id), [])
        elif problem.section_id is not None:
            candidates = sections.get(problem.section_id, [])
        else:
            candidates = []
        whole = (problem.section_id, problem.question_id, _key(problem))
        if len(candidates) > 1 and repeats[whole] < len(candidates) and problem.question_id:
            candidates = [
                c for c in candidates if _key(problem) in _own_problems(form, c, own_cache)
            ] or candidates
        index = seen[whole]
        seen[whole] += 1
        at = candidates[min(index, len(candidates) - 1)] if candidates else Selection()
        placed.append((problem, at))
    return placed


def _own_problems(
    form: Form, at: Selection, cache: dict[Selection, set[tuple[str, str, str | None]]]
) -> set[tuple[str, str, str | None]]:
    """The problems of the question at ``at`` once its namesakes have other ids."""
    if at not in cache:
        assert at.section is not None and at.question is not None
        target = form.sections[at.section].questions[at.question]
        sections = []
        for s, section in enumerate(form.sections):
            renamed = tuple(
                replace(q, id=f"{q.id}__{s}_{i}")
                if q.id == target.id and (s, i) != (at.section, at.question)
                else q
                for i, q in enumerate(section.questions)
            )
            sections.append(replace(section, questions=renamed))
        found = validate_form(replace(form, sections=tuple(sections)))
        cache[at] = {_key(p) for p in found if p.question_id == target.id}
    return cache[at]


def problems_at(placed: Placed, selection: Selection) -> list[FormProblem]:
    """The problems of exactly that item."""
    return [p for p, at in placed if at == selection]
