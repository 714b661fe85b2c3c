"""The frame every property panel shares: labelled rows, each with its problem shown under it.

A panel shows one item; ``loading()`` wraps filling it in, so the editors' change signals
are ignored then and only the user's edits become ``edited(field, changes)``. Values are only
written into an editor when they differ, so refreshing the panel while the user types in it
never moves the cursor.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.form_validation import FormProblem
from qa_monitor.ui.designer.form_tree_model import problem_text
from qa_monitor.ui.widgets.widget_style import danger_color, em, muted_label, scaled_font
from qa_monitor.ui.widgets.widget_style import set_text_color as _set_color


def problem_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    _set_color(label, danger_color(label.palette()))
    label.hide()
    return label


class PropertyPanel(QScrollArea):
    # field, {property: new value}; "object", not "dict": a QVariantMap would turn enums into str
    edited = Signal(str, object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(em(self, 20))
        body = QWidget(self)
        self._column = QVBoxLayout(body)
        self._column.setContentsMargins(em(self, 0.6), em(self, 0.4), em(self, 0.6), em(self, 0.6))
        self.title_label = QLabel(title, body)
        self.title_label.setFont(scaled_font(self.font(), 1.2, bold=True))
        self.title_label.setWordWrap(True)
        self._column.addWidget(self.title_label)
        self._general = problem_label(body)  # problems of the item not tied to one field
        self._column.addWidget(self._general)
        self.rows = QFormLayout()
        self.rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.rows.setVerticalSpacing(em(self, 0.45))
        self._column.addLayout(self.rows)
        self._column.addStretch(1)
        self.setWidget(body)
        self._loading = False
        self._problem_labels: dict[str, QLabel] = {}
        self._editors: dict[str, QWidget] = {}
        self._row_of: dict[str, int] = {}

    # ------------------------------------------------------------------ building
    def add_row(self, label: str, editor: QWidget, field: str, *, note: str = "") -> QWidget:
        """A row: the label, then the editor with an optional note and the field's problem."""
        if isinstance(editor, QComboBox):
            # Long choices elide rather than widen the panel past its pane.
            editor.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            editor.setMinimumContentsLength(12)
        box = QWidget(self.widget())
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(em(self, 0.15))
        column.addWidget(editor)
        if note:
            hint = muted_label(note, box, 0.9)
            hint.setWordWrap(True)
            column.addWidget(hint)
        problem = problem_label(box)
        column.addWidget(problem)
        caption = QLabel(label, self.widget())
        caption.setBuddy(editor)
        if not editor.accessibleName():
            editor.setAccessibleName(label.replace("&", "").rstrip(":"))
        self._row_of[field] = self.rows.rowCount()
        self.rows.addRow(caption, box)
        self._problem_labels[field] = problem
        self._editors[field] = editor
        return box

    def set_row_visible(self, field: str, visible: bool) -> None:
        self.rows.setRowVisible(self._row_of[field], visible)

    def editor(self, field: str) -> QWidget:
        return self._editors[field]

    def focus_field(self, field: str | None) -> None:
        editor = self._editors.get(field or "")
        if editor is not None and editor.isVisibleTo(self):
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
            self.ensureWidgetVisible(editor)

    # ------------------------------------------------------------------ problems
    def set_problems(self, problems: Sequence[FormProblem]) -> None:
        """Each problem under its field; problems of no shown field at the top."""
        by_field: dict[str, list[FormProblem]] = {}
        general: list[FormProblem] = []
        for problem in problems:
            field = self.field_for(problem)
            if field in self._problem_labels and self.rows.isRowVisible(self._row_of[field]):
                by_field.setdefault(field, []).append(problem)
            else:
                general.append(problem)
        for field, label in self._problem_labels.items():
            text = problem_text(by_field.get(field, []))
            label.setText(text)
            label.setVisible(bool(text))
        self._general.setText(problem_text(general))
        self._general.setVisible(bool(general))

    def field_for(self, problem: FormProblem) -> str | None:
        """The panel row a problem belongs under (panels map fields they show differently)."""
        return problem.field

    def problem_shown(self, field: str) -> str:
        label = self._problem_labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    def general_problems(self) -> str:
        return self._general.text() if not self._general.isHidden() else ""

    # ------------------------------------------------------------------ values
    @contextmanager
    def loading(self) -> Iterator[None]:
        self._loading = True
        try:
            yield
        finally:
            self._loading = False

    def add_line(self, label: str, field: str, *, note: str = "") -> QLineEdit:
        """A one-line text row whose every keystroke edits ``field``."""
        edit = QLineEdit(self.widget())
        edit.textEdited.connect(lambda text: self.emit_edit(field, **{field: text}))
        self.add_row(label, edit, field, note=note)
        return edit

    def emit_edit(self, field: str, **changes: object) -> None:
        if not self._loading:
            self.edited.emit(field, changes)


def set_line(edit: QLineEdit, text: str) -> None:
    if edit.text() != text:
        edit.setText(text)


def set_plain(edit: QPlainTextEdit, text: str) -> None:
    if edit.toPlainText() != text:
        edit.setPlainText(text)


def set_number(spin: QDoubleSpinBox, value: float) -> None:
    if spin.value() != value:
        spin.setValue(value)


def set_check(box: QCheckBox, checked: bool) -> None:
    if box.isChecked() != checked:
        box.setChecked(checked)


E = TypeVar("E", bound=StrEnum)


def combo_value(combo: QComboBox, kind: type[E]) -> E | None:
    """The chosen enum member (Qt hands item data back as a plain str)."""
    data = combo.currentData()
    return None if data is None else kind(data)


def set_combo(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if combo.currentIndex() != index:
        combo.setCurrentIndex(index)


def text_box(parent: QWidget, lines: float = 3) -> QPlainTextEdit:
    """A plain-text editor about ``lines`` lines tall, where Tab moves on to the next field."""
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(round(edit.fontMetrics().lineSpacing() * lines + em(edit, 0.8)))
    return edit


class NumberBox(QDoubleSpinBox):
    """A number shown as typed: 5 rather than 5.00, 2.5 rather than 2.50."""

    def textFromValue(self, value: float) -> str:
        return self.locale().toString(float(value), "g", 12)


def number_box(parent: QWidget, maximum: float, decimals: int = 2) -> QDoubleSpinBox:
    spin = NumberBox(parent)
    spin.setRange(0, maximum)
    spin.setDecimals(decimals)
    spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
    spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    return spin
