"""The designer's edits, each one undoable command: the same route for the UI and for callers.

A mixin of ``FormEditorWidget``: it reads ``_form`` and ``_selection`` and records every edit
with ``_push(text, form, selection, merge_key)``. Items are found by position (ids may be
duplicated mid-edit); the public methods take ids and resolve them to the first match.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from qa_monitor.core import form_edit as fe
from qa_monitor.core.forms import Category, Form, FormSettings, QuestionType
from qa_monitor.ui.designer.designer_labels import field_label, tr
from qa_monitor.ui.designer.undo_commands import Selection

_SETTINGS_FIELDS = {f.name for f in fields(FormSettings)}
# Fields typed a character at a time: a run of keystrokes in one of them is one undo step.
# A click (a check box, a combo, an option) is a step of its own.
_TYPED_FIELDS = frozenset(
    {"text", "id", "title", "guidance", "description", "points", "weight", "pass_mark",
     "minimum", "maximum"}
)  # fmt: skip


class EditOperationsMixin:
    _form: Form
    _selection: Selection
    _id_editable: bool
    _form_id_follows: bool
    _fresh: set[str]
    _merge_epoch: int

    def _push(
        self, text: str, form: Form, selection: Selection, merge_key: tuple | None = None
    ) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ public, by id
    def add_section(self, title: str | None = None, category: Category | None = None) -> str:
        """Add a section after the selected one (at the end when none); returns its id."""
        sel = self._selection
        if category is None:
            current = self._form.sections[sel.section] if sel.section is not None else None
            category = current.category if current else Category.SOFT_SKILLS
        section = fe.new_section(self._form, title or tr("New section"), category)
        index = len(self._form.sections) if sel.section is None else sel.section + 1
        self._fresh.add(section.id)
        self._push(tr("add section"), fe.add_section(self._form, section, index), Selection(index))
        return section.id

    def add_question(
        self,
        section_id: str | None = None,
        text: str | None = None,
        qtype: QuestionType = QuestionType.YES_NO,
    ) -> str:
        """Add a question after the selected one, or at the end of ``section_id`` (a new
        section when the form has none); returns its id."""
        form, sel = self._form, self._selection
        section_added = not form.sections
        if section_added:
            form = fe.add_section(form, fe.new_section(form, tr("New section"), Category.PROCESS))
            s_index, q_index = 0, 0
        elif section_id is not None:
            s_index = fe.locate_section(form, section_id) or 0
            q_index = len(form.sections[s_index].questions)
        elif sel.section is not None:
            s_index = sel.section
            q_index = (
                sel.question + 1
                if sel.question is not None
                else len(form.sections[s_index].questions)
            )
        else:
            s_index = len(form.sections) - 1
            q_index = len(form.sections[s_index].questions)
        question = fe.new_question(form, text or tr("New question"), qtype)
        self._fresh.add(question.id)
        form = fe.add_question(form, s_index, question, q_index)
        text_ = tr("add section and question") if section_added else tr("add question")
        self._push(text_, form, Selection(s_index, q_index))
        return question.id

    def set_question(self, question_id: str, **changes: Any) -> None:
        """Change properties of a question (``type`` clears what the new type does not use)."""
        position = self._question_at(question_id)
        self._change_question(position, changes, next(iter(changes), ""), merge=False)

    def set_section(self, section_id: str, **changes: Any) -> None:
        s_index = self._section_at(section_id)
        self._change_section(s_index, changes, next(iter(changes), ""), merge=False)

    def set_settings(self, **changes: Any) -> None:
        """Change the form's own fields (title, id, description, channels) and its settings
        (scoring_mode, pass_mark, bands, cap_bonus)."""
        self._change_form(changes, next(iter(changes), ""), merge=False)

    def delete_item(self, section_id: str, question_id: str | None = None) -> tuple[str, ...]:
        """Delete a question (or, without ``question_id``, a whole section). Returns the ids of
        questions whose condition referred to what was deleted (their condition is removed)."""
        if question_id is not None:
            s_index, q_index = self._question_at(question_id)
            return self._delete(Selection(s_index, q_index))
        return self._delete(Selection(self._section_at(section_id)))

    def move_question(self, question_id: str, section_id: str, index: int) -> None:
        """Move a question to ``index`` in ``section_id`` (within or across sections)."""
        self._move_to(
            Selection(*self._question_at(question_id)), self._section_at(section_id), index
        )

    def move_section(self, section_id: str, index: int) -> None:
        self._move_to(Selection(self._section_at(section_id)), None, index)

    def _question_at(self, question_id: str) -> tuple[int, int]:
        position = fe.locate_question(self._form, question_id)
        if position is None:
            raise KeyError(f"the form has no question '{question_id}'")
        return position

    def _section_at(self, section_id: str) -> int:
        index = fe.locate_section(self._form, section_id)
        if index is None:
            raise KeyError(f"the form has no section '{section_id}'")
        return index

    # ------------------------------------------------------------------ property edits
    def _merge_key(self, kind: str, field: str, merge: bool) -> tuple | None:
        return (kind, field, self._merge_epoch) if merge and field in _TYPED_FIELDS else None

    def _follows(self, item_id: str, title: str, fallback: str) -> bool:
        """Whether an id still tracks its title: only items added in this session, whose id
        was made from the title and not typed by hand (a published id must never move)."""
        return item_id in self._fresh and fe.follows_title(item_id, title, fallback)

    def _change_question(
        self, position: tuple[int, int], changes: dict[str, Any], field: str, *, merge: bool
    ) -> None:
        form = self._form
        old = form.sections[position[0]].questions[position[1]]
        changes = dict(changes)
        new = fe.retype_question(old, changes.pop("type")) if "type" in changes else old
        new = replace(new, **changes)
        if (
            "text" in changes
            and "id" not in changes
            and self._follows(old.id, old.text, "question")
        ):
            taken = fe.question_ids(form) - {old.id}
            new = replace(new, id=fe.id_from_title(new.text, taken, "question"))
            self._fresh.add(new.id)
        if "id" in changes:
            self._fresh.discard(old.id)  # typed by hand: stop following the text
        form = fe.replace_question(form, position, new)
        text = tr("change %1").replace("%1", field_label(field))
        self._push(text, form, Selection(*position), self._merge_key("question", field, merge))

    def _change_section(
        self, s_index: int, changes: dict[str, Any], field: str, *, merge: bool
    ) -> None:
        old = self._form.sections[s_index]
        new = replace(old, **changes)
        if (
            "title" in changes
            and "id" not in changes
            and self._follows(old.id, old.title, "section")
        ):
            taken = fe.section_ids(self._form) - {old.id}
            new = replace(new, id=fe.id_from_title(new.title, taken, "section"))
            self._fresh.add(new.id)
        if "id" in changes:
            self._fresh.discard(old.id)
        form = fe.replace_section(self._form, s_index, new)
        text = tr("change section %1").replace("%1", field_label(field))
        self._push(text, form, Selection(s_index), self._merge_key("section", field, merge))

    def _change_form(self, changes: dict[str, Any], field: str, *, merge: bool) -> None:
        settings = {k: v for k, v in changes.items() if k in _SETTINGS_FIELDS}
        own = {k: v for k, v in changes.items() if k not in _SETTINGS_FIELDS}
        old = self._form
        form = replace(old, **own)
        if settings:
            form = fe.replace_settings(form, replace(old.settings, **settings))
        if "title" in own and "id" not in own and self._form_id_follows:
            form = replace(form, id=fe.slugify(form.title, "form"))
        if "id" in own:
            self._form_id_follows = False
        text = tr("change form %1").replace("%1", field_label(field))
        self._push(text, form, Selection(), self._merge_key("form", field, merge))

    # ------------------------------------------------------------------ structure
    def _duplicate(self, sel: Selection) -> str | None:
        if sel.is_question:
            assert sel.section is not None and sel.question is not None
            form, new_id = fe.duplicate_question(self._form, (sel.section, sel.question))
            target = Selection(sel.section, sel.question + 1)
            text = tr("duplicate question")
        elif sel.is_section:
            assert sel.section is not None
            form, new_id = fe.duplicate_section(self._form, sel.section)
            target = Selection(sel.section + 1)
            text = tr("duplicate section")
        else:
            return None
        self._fresh.add(new_id)
        self._push(text, form, target)
        return new_id

    def _delete(self, sel: Selection) -> tuple[str, ...]:
        if sel.is_question:
            assert sel.section is not None and sel.question is not None
            deletion = fe.delete_question(self._form, (sel.section, sel.question))
            remaining = len(deletion.form.sections[sel.section].questions)
            after = (
                Selection(sel.section, min(sel.question, remaining - 1))
                if remaining
                else Selection(sel.section)
            )
            text = tr("delete question")
        elif sel.is_section:
            assert sel.section is not None
            deletion = fe.delete_section(self._form, sel.section)
            count = len(deletion.form.sections)
            after = Selection(min(sel.section, count - 1)) if count else Selection()
            text = tr("delete section")
        else:
            return ()
        self._push(text, deletion.form, after)
        return deletion.cleared_conditions

    def _step(self, sel: Selection, step: int) -> bool:
        """Move the selected item one place up or down (questions cross section edges)."""
        if sel.is_question:
            assert sel.section is not None and sel.question is not None
            form = fe.step_question(self._form, (sel.section, sel.question), step)
            if form is None:
                return False
            moved = self._form.sections[sel.section].questions[sel.question]
            after = _find_moved(form, moved, sel, step)
            self._push(tr("move question"), form, after)
            return True
        if sel.is_section:
            assert sel.section is not None
            form = fe.step_section(self._form, sel.section, step)
            if form is None:
                return False
            self._push(tr("move section"), form, Selection(sel.section + step))
            return True
        return False

    def _move_to(self, source: Selection, section: int | None, index: int) -> None:
        """Move ``source`` to ``index`` (of ``section`` for a question, of the form for a
        section); the moved item stays selected."""
        if source.is_section:
            assert source.section is not None
            form = fe.move_section(self._form, source.section, index)
            after = Selection(max(0, min(index, len(form.sections) - 1)))
            self._push(tr("move section"), form, after)
        elif source.is_question and section is not None:
            assert source.section is not None and source.question is not None
            form = fe.move_question(self._form, (source.section, source.question), section, index)
            size = len(form.sections[section].questions)
            self._push(tr("move question"), form, Selection(section, max(0, min(index, size - 1))))


def _find_moved(form: Form, moved: object, before: Selection, step: int) -> Selection:
    """Where a question stepped from ``before`` ended up (same section, or a neighbour)."""
    assert before.section is not None
    for s_index in (before.section, before.section + step):
        if 0 <= s_index < len(form.sections):
            for q_index, question in enumerate(form.sections[s_index].questions):
                if question is moved:
                    return Selection(s_index, q_index)
    return before
