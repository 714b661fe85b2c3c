"""Properties of one question: every field of ``core.forms.Question``.

Rows a type does not use are hidden (points on a text question, min/max off number
questions) unless they hold a value or a problem, so a file's mistake can still be seen and
undone here. Changing the type goes through ``form_edit.retype_question`` in the editor.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from qa_monitor.core.form_validation import FormProblem
from qa_monitor.core.forms import (
    CommentRule,
    CriticalLevel,
    Form,
    OutcomeField,
    Question,
    QuestionType,
)
from qa_monitor.ui.designer import designer_labels as labels
from qa_monitor.ui.designer.condition_builder_widget import ConditionBuilderWidget
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.designer.interaction_condition_widget import InteractionConditionWidget
from qa_monitor.ui.designer.options_editor_widget import OptionsEditorWidget
from qa_monitor.ui.designer.property_fields import (
    PropertyPanel,
    combo_value,
    number_box,
    set_check,
    set_combo,
    set_line,
    set_number,
    set_plain,
    text_box,
)
from qa_monitor.ui.widgets.widget_style import ltr, muted_color, set_text_color

_LABELS: dict[type[StrEnum], Callable[[Any], str]] = {
    CriticalLevel: labels.critical_label,
    CommentRule: labels.comment_label,
    OutcomeField: labels.outcome_label,
}


def bound_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def parse_bound(text: str) -> tuple[bool, float | None]:
    """(valid, value): empty means no limit; Persian/Arabic digits and a decimal comma work."""
    text = text.strip().replace(",", ".").replace("٫", ".")
    if not text:
        return True, None
    try:
        return True, float(text)
    except ValueError:
        return False, None


class QuestionPropertiesWidget(PropertyPanel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Question"), parent)
        body = self.widget()
        self._question: Question | None = None
        self.text_edit = text_box(body, 2.5)
        self.text_edit.textChanged.connect(
            lambda: self.emit_edit("text", text=self.text_edit.toPlainText())
        )
        self.add_row(tr("&Question:"), self.text_edit, "text")
        self.id_edit = self.add_line(
            tr("&Id:"), "id", note=tr("Keep it when rewording: reports follow it.")
        )
        self.type_combo = QComboBox(body)
        color = self.palette().color(self.foregroundRole())
        for qtype in QuestionType:
            icon = labels.icon(labels.TYPE_ICONS[qtype], color)
            self.type_combo.addItem(icon, labels.type_label(qtype), qtype)
        self.type_combo.activated.connect(
            lambda _i: self.emit_edit("type", type=combo_value(self.type_combo, QuestionType))
        )
        self.add_row(tr("&Type:"), self.type_combo, "type")
        self.points_spin = number_box(body, 1000)
        self.points_spin.valueChanged.connect(lambda v: self.emit_edit("points", points=v))
        self.share_label = QLabel(body)
        self.share_label.setWordWrap(True)
        set_text_color(self.share_label, muted_color(self.palette()))
        self.add_row(tr("&Points:"), self.points_spin, "points")
        self.rows.addRow("", self.share_label)
        self.options_editor = OptionsEditorWidget(body)
        self.options_editor.optionsEdited.connect(lambda o: self.emit_edit("options", options=o))
        self.add_row(tr("Answers:"), self.options_editor, "options")
        self.na_box = self._check(tr("Reviewers may answer N/A"), "allow_na", body)
        self.add_row(tr("N/A:"), self.na_box, "allow_na")
        self.critical_combo = self._combo(body, CriticalLevel, "critical")
        self.add_row(tr("&Critical:"), self.critical_combo, "critical")
        self.bonus_box = self._check(tr("Bonus: adds points, never possible points"), "bonus", body)
        self.add_row(tr("Bonus:"), self.bonus_box, "bonus")
        self.comment_combo = self._combo(body, CommentRule, "comment")
        self.add_row(tr("Co&mment:"), self.comment_combo, "comment")
        self.required_box = self._check(tr("Must be answered before submitting"), "required", body)
        self.add_row(tr("Required:"), self.required_box, "required")
        self.condition_builder = ConditionBuilderWidget(body)
        self.condition_builder.conditionEdited.connect(
            lambda c: self.emit_edit("condition", condition=c)
        )
        self.add_row(tr("Show if:"), self.condition_builder, "condition")
        self.interaction_condition = InteractionConditionWidget(body)
        self.interaction_condition.conditionEdited.connect(
            lambda c: self.emit_edit("interaction_condition", interaction_condition=c)
        )
        self.add_row(tr("Show on:"), self.interaction_condition, "interaction_condition")
        self.guidance_edit = text_box(body, 3)
        self.guidance_edit.setPlaceholderText(tr("What a good answer looks like, for reviewers"))
        self.guidance_edit.textChanged.connect(
            lambda: self.emit_edit("guidance", guidance=self.guidance_edit.toPlainText())
        )
        self.add_row(tr("&Guidance:"), self.guidance_edit, "guidance")
        self.outcome_combo = self._combo(body, OutcomeField, "outcome_field", none=True)
        self.add_row(
            tr("&Outcome field:"),
            self.outcome_combo,
            "outcome_field",
            note=tr("Copies the answer to the interaction's outcome when submitted."),
        )
        self.min_edit, self.max_edit = QLineEdit(body), QLineEdit(body)
        for edit, field in ((self.min_edit, "minimum"), (self.max_edit, "maximum")):
            edit.setPlaceholderText(tr("No limit"))
            edit.textEdited.connect(lambda t, f=field: self._bound_edited(f, t))
        self.add_row(tr("Mi&nimum:"), self.min_edit, "minimum")
        self.add_row(tr("Ma&ximum:"), self.max_edit, "maximum")

    def _check(self, text: str, field: str, body: QWidget) -> QCheckBox:
        box = QCheckBox(text, body)
        box.toggled.connect(lambda on: self.emit_edit(field, **{field: on}))
        return box

    def _combo(
        self, body: QWidget, kind: type[StrEnum], field: str, *, none: bool = False
    ) -> QComboBox:
        combo = QComboBox(body)
        if none:
            combo.addItem(labels.outcome_label(None), None)
        for value in kind:
            combo.addItem(_LABELS[kind](value), value)
        combo.activated.connect(
            lambda _i: self.emit_edit(field, **{field: combo_value(combo, kind)})
        )
        return combo

    def _bound_edited(self, field: str, text: str) -> None:
        valid, value = parse_bound(text)
        if valid:
            self.emit_edit(field, **{field: value})

    # ------------------------------------------------------------------ showing
    def show_question(
        self,
        form: Form,
        position: tuple[int, int],
        problems: list[FormProblem],
        share: float | None,
    ) -> None:
        """Show the question at ``position`` of ``form`` with its problems and score share."""
        q = form.sections[position[0]].questions[position[1]]
        self._question = q
        number = ltr(f"{position[0] + 1}.{position[1] + 1}")
        with self.loading():
            self.title_label.setText(tr("Question %1").replace("%1", number))
            set_plain(self.text_edit, q.text)
            set_line(self.id_edit, q.id)
            set_combo(self.type_combo, q.type)
            set_number(self.points_spin, q.points)
            self.options_editor.set_options(q.options, q.type, form.settings)
            set_check(self.na_box, q.allow_na)
            set_combo(self.critical_combo, q.critical)
            set_check(self.bonus_box, q.bonus)
            set_combo(self.comment_combo, q.comment)
            set_check(self.required_box, q.required)
            self.condition_builder.set_condition(form, position, q.condition)
            if self.interaction_condition.condition() != q.interaction_condition:
                self.interaction_condition.set_condition(q.interaction_condition)
            set_plain(self.guidance_edit, q.guidance)
            set_combo(self.outcome_combo, q.outcome_field)
            for edit, value in ((self.min_edit, q.minimum), (self.max_edit, q.maximum)):
                if parse_bound(edit.text()) != (True, value):
                    set_line(edit, bound_text(value))
        self._show_rows(q, {p.field for p in problems})
        self.share_label.setVisible(share is not None)
        if share is not None:
            self.share_label.setText(
                tr("Worth %1 of the overall score when every question is answered").replace(
                    "%1", ltr(f"{share * 100:.1f}%")
                )
            )
        self.set_problems(problems)

    def _show_rows(self, q: Question, problem_fields: set[str | None]) -> None:
        """Rows the type uses, plus any row holding a value or a problem to fix."""
        scored, number = q.scored, q.type is QuestionType.NUMBER

        def show(field: str, used: bool) -> None:
            self.set_row_visible(field, used or field in problem_fields)

        show("points", scored or q.points != 0)
        show("options", q.type.has_options or bool(q.options))
        show("allow_na", scored or q.allow_na)
        show("critical", scored or q.critical is not CriticalLevel.NONE)
        show("bonus", scored or q.bonus)
        show("required", not scored or q.required)
        show("minimum", number or q.minimum is not None)
        show("maximum", number or q.maximum is not None)
