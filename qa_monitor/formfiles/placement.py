"""Putting the core's ``validate_form`` problems (and ``form_warnings``) back on the lines of
the file they came from."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from qa_monitor.core.form_validation import FormProblem, validate_form
from qa_monitor.core.form_warnings import form_warnings
from qa_monitor.core.forms import Form
from qa_monitor.formfiles.errors import FormFileProblem
from qa_monitor.formfiles.fields import Pos, Scope, as_id, item_pos, key_pos, node_pos
from qa_monitor.formfiles.keys import FIELD_TO_KEY
from qa_monitor.formfiles.reader import NodeIndex, ReadResult

# What core validation says about these depends on the question's type; with an unknown
# type it would only be noise.
TYPE_DEPENDENT_KEYS = frozenset(
    {"points", "options", "critical", "bonus", "comment", "allow_na", "outcome_field"}
)
_SETTINGS_KEYS = ("pass_mark", "bands", "scoring_mode", "cap_bonus")
_NAMED = re.compile(r"(option|band) '([^']*)'")
Check = Callable[[Form], list[FormProblem]]


def file_key(problem: FormProblem) -> str | None:
    """The key in the file that a core problem is about."""
    if problem.field is None:
        if problem.question_id is not None:
            return None
        return "questions" if problem.section_id is not None else "sections"
    if problem.field == "weight" and problem.section_id is None:
        return "scoring_mode"  # the weights add up to 0: a form-wide weighted-mode problem
    return FIELD_TO_KEY.get(problem.field, problem.field)


def place_core_warnings(form: Form, result: ReadResult) -> list[FormFileProblem]:
    """The core ``form_warnings`` of ``form``, each on the line it concerns."""
    return place_core_problems(form, result, form_warnings)


def place_core_problems(
    form: Form, result: ReadResult, check: Check = validate_form
) -> list[FormFileProblem]:
    """The core ``validate_form`` problems of ``form``, each on the line it concerns.

    Problems that only repeat a reading problem are left out: a part read with a
    placeholder (unknown question type) gets no core messages, and a key already
    reported (``points: five``) is not reported again as "points must be more than 0".
    """
    index = result.index
    already = {(i.scope, i.key) for i in result.issues.items}
    seen: Counter[tuple[Scope, str]] = Counter()
    placed = []
    for p, occurrence in _attributed(form, check):
        scope: Scope = (p.section_id, p.question_id)
        key = file_key(p)
        if (scope in index.broken and key in TYPE_DEPENDENT_KEYS) or (scope, key) in already:
            continue
        if key == "show_if" and any(f"'{q}'" in p.message for _s, q in index.broken):
            continue  # a condition on a question whose type could not be read
        nth = seen[(scope, p.message)]
        seen[(scope, p.message)] += 1
        node = _node_for(p, index, occurrence)
        location = _location(p, key)
        if key == "defaults" and isinstance(node, CommentedMap):
            # The only core problem with the defaults is about their points.
            defaults = node.get("defaults")
            if isinstance(defaults, CommentedMap):
                node, key, location = defaults, "points", "defaults"
        pos, named = _pos_in(node, key, p.message, nth)
        if named:
            location += f" › {named}"
        placed.append(
            FormFileProblem(
                result.issues.source, pos[0], pos[1], location, p.message, p.hint, p.is_warning
            )
        )
    return placed


# How many parts with a repeated id are validated on their own (see ``_attributed``).
_RECHECKS = 40


def _is_duplicate_id(p: FormProblem) -> bool:
    return p.field == "id" and " is used " in p.message


def _attributed(form: Form, check: Check) -> list[tuple[FormProblem, int]]:
    """Core problems, each with which part of that id it is about (0 unless ids repeat).

    Where a section or question id is used more than once, the n-th "is used twice"
    message goes to the n-th part, and each part's other problems come from validating
    the form with the other parts of that id left out.
    """
    problems = check(form)
    places: dict[Scope, list[tuple[int, int | None]]] = {}
    for si, section in enumerate(form.sections):
        places.setdefault((section.id, None), []).append((si, None))
        for qi, question in enumerate(section.questions):
            places.setdefault((section.id, question.id), []).append((si, qi))
    repeated = {scope: where for scope, where in places.items() if len(where) > 1}
    if not repeated:
        return [(p, 0) for p in problems]
    seen: Counter[tuple[Scope, str]] = Counter()
    attributed = []
    for p in problems:
        scope: Scope = (p.section_id, p.question_id)
        if scope not in repeated:
            attributed.append((p, 0))
        elif _is_duplicate_id(p):
            attributed.append((p, seen[(scope, p.message)]))
            seen[(scope, p.message)] += 1
    # Each re-check validates the whole form again; aliases can repeat one question
    # thousands of times in a few bytes, so only the first parts get their own problems.
    budget = _RECHECKS
    for scope, where in repeated.items():
        for occurrence, keep in enumerate(where):
            budget -= 1
            if budget < 0:
                return attributed
            others = {w for w in where if w != keep}
            for p in check(_without(form, others)):
                if (p.section_id, p.question_id) == scope and not _is_duplicate_id(p):
                    attributed.append((p, occurrence))
    return attributed


def _without(form: Form, places: set[tuple[int, int | None]]) -> Form:
    """``form`` with the sections (si, None) and questions (si, qi) in ``places`` left out."""
    sections = []
    for si, section in enumerate(form.sections):
        if (si, None) in places:
            continue
        kept = tuple(q for qi, q in enumerate(section.questions) if (si, qi) not in places)
        sections.append(replace(section, questions=kept))
    return replace(form, sections=tuple(sections))


def _location(p: FormProblem, key: str | None) -> str:
    if p.section_id is not None:
        parts = [f"section '{p.section_id}'"]
        if p.question_id is not None:
            parts.append(f"question '{p.question_id}'")
        return " › ".join(parts)
    return "settings" if key in _SETTINGS_KEYS else "form"


def _pick(nodes: list[CommentedMap] | None, nth: int) -> CommentedMap | None:
    if not nodes:
        return None
    return nodes[min(nth, len(nodes) - 1)]


def _node_for(p: FormProblem, index: NodeIndex, occurrence: int) -> CommentedMap | None:
    if p.section_id is not None and p.question_id is not None:
        return _pick(index.questions.get((p.section_id, p.question_id)), occurrence)
    if p.section_id is not None:
        return _pick(index.sections.get(p.section_id), occurrence)
    if p.field in _SETTINGS_KEYS and index.settings is not None:
        return index.settings
    if p.field == "weight" and index.settings is not None and "scoring_mode" in index.settings:
        return index.settings
    return index.root


def _pos_in(node: CommentedMap | None, key: str | None, message: str, nth: int) -> tuple[Pos, str]:
    """The line of ``key`` in ``node`` (of the named option or band, if the message names one)."""
    if node is None:
        return (None, None), ""
    if key is None or key not in node:
        return node_pos(node), ""
    named = _NAMED.search(message)
    value: Any = node[key]
    if named and key in ("options", "bands") and isinstance(value, CommentedSeq):
        id_key = "id" if key == "options" else "name"
        matches = [
            i
            for i, item in enumerate(value)
            if isinstance(item, CommentedMap) and as_id(item.get(id_key)) == named.group(2)
        ]
        if matches:
            i = matches[min(nth, len(matches) - 1)]
            return item_pos(value, i), f"{named.group(1)} '{named.group(2)}'"
    return key_pos(node, key), ""
