"""What changed between two versions of a form, in sentences a QA lead reads.

Ids stay stable across versions (forms.py), so sections and questions are matched by
id: a question whose id appears in both versions was changed or moved, never removed
and added again. The changes come in form order: the form's own settings first, then
the sections in the new version's order, each followed by its questions; a removed
section or question is listed where it was, after the item that preceded it.

A change *affects the score* when the same answers could now give a different score,
pass/fail or band (points, options, critical rules, N/A, conditions on scored
questions, weights in weighted mode, pass mark, bands...); wording, guidance and
order do not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from qa_monitor.core.form_diff_text import (
    mode_label,
    number,
    question_changes,
    question_label,
    quoted,
    section_label,
    type_label,
)
from qa_monitor.core.forms import Form, FormSettings, Question, ScoringMode, Section


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"


@dataclass(frozen=True, slots=True)
class FormChange:
    kind: ChangeKind
    section_id: str | None  # None for the form's own settings
    question_id: str | None  # None for a section or the form
    text: str
    affects_score: bool
    # The property that changed ("points", "options", "pass_mark", ...), for editors to
    # highlight; None when a whole item was added, removed or moved.
    field: str | None = None
    # A text that changed (a question's wording or guidance, a title, a description):
    # both versions whole, so a viewer can show the changed words (core.word_diff).
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True, slots=True)
class FormDiff:
    changes: tuple[FormChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.changes

    @property
    def affects_score(self) -> bool:
        """Whether the same answers could score differently on the new version."""
        return any(c.affects_score for c in self.changes)

    @property
    def added(self) -> int:
        """Questions added."""
        return self._count(ChangeKind.ADDED, questions=True)

    @property
    def removed(self) -> int:
        """Questions removed."""
        return self._count(ChangeKind.REMOVED, questions=True)

    @property
    def changed(self) -> int:
        """Questions changed or moved (each question counted once)."""
        return self._changed(questions=True)

    @property
    def sections_added(self) -> int:
        return self._count(ChangeKind.ADDED, questions=False)

    @property
    def sections_removed(self) -> int:
        return self._count(ChangeKind.REMOVED, questions=False)

    @property
    def sections_changed(self) -> int:
        return self._changed(questions=False)

    @property
    def settings_changed(self) -> int:
        """Changes to the form's title, description, channels and settings."""
        return sum(1 for c in self.changes if c.section_id is None)

    def summary(self) -> str:
        """E.g. "3 questions added, 1 removed, 5 changed; 1 section added"."""
        if self.is_empty:
            return "No changes"
        parts = [
            _counts("question", self.added, self.removed, self.changed),
            _counts("section", self.sections_added, self.sections_removed, self.sections_changed),
        ]
        if self.settings_changed:
            parts.append(_plural(self.settings_changed, "form setting") + " changed")
        return "; ".join(p for p in parts if p)

    def _count(self, kind: ChangeKind, *, questions: bool) -> int:
        return sum(
            1
            for c in self.changes
            if c.kind is kind
            and c.section_id is not None
            and (c.question_id is not None) == questions
        )

    def _changed(self, *, questions: bool) -> int:
        ids = {
            c.question_id if questions else c.section_id
            for c in self.changes
            if c.kind in (ChangeKind.CHANGED, ChangeKind.MOVED)
            and c.section_id is not None
            and (c.question_id is not None) == questions
        }
        return len(ids)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _counts(noun: str, added: int, removed: int, changed: int) -> str:
    words: list[str] = []
    for count, verb in ((added, "added"), (removed, "removed"), (changed, "changed")):
        if count:
            words.append(f"{_plural(count, noun) if not words else count} {verb}")
    return ", ".join(words)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


def _interleave(
    old: Sequence[T], new: Sequence[T], gone: Callable[[str], bool]
) -> list[tuple[T | None, T | None]]:
    """(removed old item, None) and (None, new item) pairs in the new order, each removed
    item placed after the surviving item that preceded it in the old order."""
    here = {item.id for item in new}
    after: dict[str | None, list[T]] = {}
    anchor: str | None = None
    for item in old:
        if item.id in here:
            anchor = item.id
        elif gone(item.id):
            after.setdefault(anchor, []).append(item)
    result: list[tuple[T | None, T | None]] = [(x, None) for x in after.get(None, [])]
    for item in new:
        result.append((None, item))
        result.extend((x, None) for x in after.get(item.id, []))
    return result


def _reordered(old_ids: Sequence[str], new_ids: Sequence[str]) -> set[str]:
    """Ids that moved: those outside a longest common subsequence of the two orders, so
    inserting one item at the top does not make every other item "moved"."""
    common = set(old_ids) & set(new_ids)
    a = [i for i in old_ids if i in common]
    b = [i for i in new_ids if i in common]
    lengths = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            lengths[i][j] = (
                lengths[i + 1][j + 1] + 1
                if a[i] == b[j]
                else max(lengths[i + 1][j], lengths[i][j + 1])
            )
    kept: set[str] = set()
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            kept.add(a[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return set(b) - kept


def diff_forms(old: Form, new: Form) -> FormDiff:
    """Every difference between ``old`` and ``new``, in form order (see the module doc)."""
    changes = _form_changes(old, new)
    old_sections = {s.id: s for s in old.sections}
    new_sections = {s.id: s for s in new.sections}
    old_where = {q.id: (s, q) for s, q in old.questions()}
    new_question_ids = {q.id for _s, q in new.questions()}
    moved_sections = _reordered(
        [s.id for s in old.sections], [s.id for s in new.sections if s.id in old_sections]
    )
    old_positions = {s.id: n for n, s in enumerate(old.sections, 1)}
    new_positions = {s.id: n for n, s in enumerate(new.sections, 1)}
    mode = new.settings.scoring_mode

    gone = lambda sid: sid not in new_sections  # noqa: E731
    for removed, section in _interleave(old.sections, new.sections, gone):
        if removed is not None:
            # Its questions that moved to another section are reported there.
            gone_questions = [q for q in removed.questions if q.id not in new_question_ids]
            changes.append(
                _section_added_or_removed(removed, ChangeKind.REMOVED, mode, len(gone_questions))
            )
            changes.extend(_question_removed(removed, q) for q in gone_questions)
            continue
        assert section is not None
        before = old_sections.get(section.id)
        if before is None:
            count = len(section.questions)
            changes.append(_section_added_or_removed(section, ChangeKind.ADDED, mode, count))
        else:
            if section.id in moved_sections:
                position = new_positions[section.id]
                changes.append(
                    FormChange(
                        ChangeKind.MOVED,
                        section.id,
                        None,
                        f"{section_label(section)} moved from position "
                        f"{old_positions[section.id]} to {position}",
                        False,
                    )
                )
            changes.extend(_section_changes(before, section, mode))
        changes.extend(_questions_of(before, section, old, new, old_where, new_question_ids))
    return FormDiff(tuple(changes))


def _questions_of(
    before: Section | None,
    section: Section,
    old: Form,
    new: Form,
    old_where: dict[str, tuple[Section, Question]],
    new_question_ids: set[str],
) -> list[FormChange]:
    old_questions = before.questions if before is not None else ()
    here = {q.id for q in section.questions}
    stayed = [q.id for q in old_questions if q.id in here]
    reordered = _reordered(stayed, [q.id for q in section.questions if q.id in set(stayed)])
    positions = {q.id: n for n, q in enumerate(old_questions, 1)}
    new_positions = {q.id: n for n, q in enumerate(section.questions, 1)}
    changes: list[FormChange] = []
    gone = lambda qid: qid not in new_question_ids  # noqa: E731
    for removed, question in _interleave(old_questions, section.questions, gone):
        if removed is not None:
            assert before is not None
            changes.append(_question_removed(before, removed))
            continue
        assert question is not None
        label = question_label(question)
        if question.id not in old_where:
            details = type_label(question.type)
            if question.scored:
                details += f", {number(question.points)} points"
            text = f"{label} added to {section_label(section, start=False)} ({details})"
            changes.append(
                FormChange(ChangeKind.ADDED, section.id, question.id, text, question.scored)
            )
            continue
        old_section, old_question = old_where[question.id]
        if old_section.id != section.id:
            text = (
                f"{label} moved from {section_label(old_section, start=False)} "
                f"to {section_label(section, start=False)}"
            )
            scored = question.scored or old_question.scored
            changes.append(FormChange(ChangeKind.MOVED, section.id, question.id, text, scored))
        elif question.id in reordered:
            text = (
                f"{label} moved within {section_label(section, start=False)} "
                f"(position {positions[question.id]} → {new_positions[question.id]})"
            )
            changes.append(FormChange(ChangeKind.MOVED, section.id, question.id, text, False))
        for text, affects, field in question_changes(old_question, question, old, new):
            texts = _texts(old_question, question, field)
            changes.append(
                FormChange(
                    ChangeKind.CHANGED, section.id, question.id, text, affects, field, *texts
                )
            )
    return changes


def _texts(old: Question, new: Question, field: str) -> tuple[str | None, str | None]:
    """Both versions of the question's wording or guidance when that is what changed."""
    if field == "text":
        return old.text, new.text
    if field == "guidance":
        return old.guidance, new.guidance
    return None, None


def _question_removed(section: Section, question: Question) -> FormChange:
    text = f"{question_label(question)} removed from {section_label(section, start=False)}"
    return FormChange(ChangeKind.REMOVED, section.id, question.id, text, question.scored)


def _section_added_or_removed(
    section: Section, kind: ChangeKind, mode: ScoringMode, questions: int
) -> FormChange:
    count = _plural(questions, "question")
    scored = any(q.scored for q in section.questions)
    if kind is ChangeKind.ADDED:
        details = section.category.label
        if mode is ScoringMode.WEIGHTED:
            details += f", weight {number(section.weight)}"
        text = f"{section_label(section)} added ({details}, {count})"
    else:
        text = f"{section_label(section)} removed" + (f" with its {count}" if questions else "")
    return FormChange(kind, section.id, None, text, scored)


def _section_changes(old: Section, new: Section, mode: ScoringMode) -> list[FormChange]:
    scored = any(q.scored for q in new.questions) or any(q.scored for q in old.questions)
    out: list[FormChange] = []

    def add(
        text: str, affects: bool, field: str, before: str | None = None, after: str | None = None
    ) -> None:
        out.append(
            FormChange(ChangeKind.CHANGED, new.id, None, text, affects, field, before, after)
        )

    if old.title != new.title:
        text = f"{section_label(old)} renamed to {quoted(new.title)}"
        add(text, False, "title", old.title, new.title)
    if old.category is not new.category:
        add(
            f"{section_label(new)} category {old.category.label} → {new.category.label}",
            scored,
            "category",
        )
    if old.weight != new.weight:
        text = f"{section_label(new)} weight {number(old.weight)} → {number(new.weight)}"
        weighted = mode is ScoringMode.WEIGHTED
        if not weighted:
            text += " (no effect while the form scores by points)"
        add(text, weighted and scored, "weight")
    if old.description != new.description:
        text = f"{section_label(new)} description changed"
        add(text, False, "description", old.description, new.description)
    if old.max_points != new.max_points:
        was = "none" if old.max_points is None else number(old.max_points)
        now = "none" if new.max_points is None else number(new.max_points)
        add(f"{section_label(new)} declared maximum {was} → {now} points", False, "max_points")
    return out


def _form_changes(old: Form, new: Form) -> list[FormChange]:
    out: list[FormChange] = []

    def add(
        text: str, affects: bool, field: str, before: str | None = None, after: str | None = None
    ) -> None:
        out.append(FormChange(ChangeKind.CHANGED, None, None, text, affects, field, before, after))

    if old.title != new.title:
        text = f"Form title {quoted(old.title)} → {quoted(new.title)}"
        add(text, False, "title", old.title, new.title)
    if old.description != new.description:
        add("Form description changed", False, "description", old.description, new.description)
    if old.channels != new.channels:
        was = ", ".join(c.value for c in old.channels) or "any"
        now = ", ".join(c.value for c in new.channels) or "any"
        add(f"Channels {was} → {now}", False, "channels")
    has_bonus = any(q.bonus for _s, q in old.questions()) or any(
        q.bonus for _s, q in new.questions()
    )
    if old.defaults != new.defaults:
        # The questions carry the values they inherit, so their own changes say what scores.
        add("Question defaults changed", False, "defaults")
    out.extend(_settings_changes(old.settings, new.settings, has_bonus))
    return out


def _settings_changes(old: FormSettings, new: FormSettings, has_bonus: bool) -> list[FormChange]:
    out: list[FormChange] = []

    def add(text: str, affects: bool, field: str) -> None:
        out.append(FormChange(ChangeKind.CHANGED, None, None, f"Settings: {text}", affects, field))

    if old.scoring_mode is not new.scoring_mode:
        text = f"scoring mode {mode_label(old.scoring_mode)} → {mode_label(new.scoring_mode)}"
        add(text, True, "scoring_mode")
    if old.pass_mark != new.pass_mark:
        add(f"pass mark {number(old.pass_mark)} → {number(new.pass_mark)}", True, "pass_mark")
    if old.cap_bonus != new.cap_bonus:
        text = (
            "scores with bonus points are capped at 100"
            if new.cap_bonus
            else "scores with bonus points may exceed 100 (no longer capped)"
        )
        add(text, has_bonus, "cap_bonus")
    if old.partial_fails != new.partial_fails:
        text = (
            "a Partial answer on a critical question is now a critical failure"
            if new.partial_fails
            else "a Partial answer on a critical question is no longer a critical failure"
        )
        add(text, True, "partial_fails")
    old_bands = {b.name: b.minimum for b in old.bands}
    new_bands = {b.name: b.minimum for b in new.bands}
    for name, minimum in new_bands.items():
        if name not in old_bands:
            add(f"band {quoted(name)} (from {number(minimum)}) added", True, "bands")
        elif old_bands[name] != minimum:
            text = f"band {quoted(name)} starts at {number(old_bands[name])} → {number(minimum)}"
            add(text, True, "bands")
    for name, minimum in old_bands.items():
        if name not in new_bands:
            add(f"band {quoted(name)} (from {number(minimum)}) removed", True, "bands")
    return out
