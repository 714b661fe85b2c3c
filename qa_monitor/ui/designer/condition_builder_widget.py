"""'Show this question only if question X is answered with option Y' — built by choosing.

Only questions that come earlier in the form and have options can be chosen (the rule the
validator and the scorer follow). A condition read from a file that breaks the rule is still
shown, marked, so the user can see what to fix.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QLabel,
    QListView,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.forms import Condition, Form, Question
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.widgets.widget_style import em, ltr, muted_label


def earlier_questions_with_options(form: Form, question_index: tuple[int, int]) -> list[
    tuple[str, Question]
]:  # fmt: skip
    """(number, question) for every question before ``question_index`` that has options."""
    result: list[tuple[str, Question]] = []
    for s, section in enumerate(form.sections):
        for q, question in enumerate(section.questions):
            if (s, q) >= question_index:
                return result
            if question.type.has_options and question.options:
                result.append((f"{s + 1}.{q + 1}", question))
    return result


class ConditionBuilderWidget(QWidget):
    conditionEdited = Signal(object)  # Condition | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._condition: Condition | None = None
        self._choices: list[tuple[str, Question]] = []
        self._loading = False
        self._shown: object = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(em(self, 0.3))
        self.enabled_box = QCheckBox(tr("Show this question only when…"), self)
        self.enabled_box.toggled.connect(self._toggled)
        layout.addWidget(self.enabled_box)
        self.question_combo = QComboBox(self)
        self.question_combo.setAccessibleName(tr("Earlier question"))
        self.question_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.question_combo.setMinimumContentsLength(16)
        self.question_combo.setPlaceholderText(tr("Choose an earlier question…"))
        self.question_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.question_combo.activated.connect(self._question_chosen)
        layout.addWidget(self.question_combo)
        self.is_label = QLabel(tr("…is answered with any of:"), self)
        layout.addWidget(self.is_label)
        self.options_model = QStandardItemModel(self)
        self.options_model.itemChanged.connect(self._option_toggled)
        self.options_view = QListView(self)
        self.options_view.setModel(self.options_model)
        self.options_view.setAccessibleName(tr("Answers that show this question"))
        self.options_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.options_view)
        self.none_label = muted_label(
            tr("No earlier question has options to depend on. Move this question below one."),
            self,
            0.9,
        )
        self.none_label.setWordWrap(True)
        layout.addWidget(self.none_label)

    # ------------------------------------------------------------------ showing
    def set_condition(
        self, form: Form, position: tuple[int, int], condition: Condition | None
    ) -> None:
        choices = earlier_questions_with_options(form, position)
        key = (tuple((n, q.id, q.text, q.options) for n, q in choices), condition)
        if key == self._shown:
            return  # unchanged: keep the lists as they are (this runs on every keystroke)
        self._shown = key
        self._loading = True
        self._condition = condition
        self._choices = choices
        self.question_combo.clear()
        for number, question in self._choices:
            self.question_combo.addItem(f"{ltr(number)}  {question.text}", question.id)
        known = {q.id for _n, q in self._choices}
        if condition is not None and condition.question_id and condition.question_id not in known:
            # Not an earlier question with options: keep it visible, marked, to be fixed.
            self.question_combo.addItem(
                "⚠ "
                + tr("%1 (not an earlier question with options)").replace(
                    "%1", condition.question_id
                ),
                condition.question_id,
            )
        self.enabled_box.setChecked(condition is not None)
        self.enabled_box.setEnabled(bool(self._choices) or condition is not None)
        self.none_label.setVisible(not self._choices and condition is None)
        # A condition just switched on names no question yet: the combo shows its
        # placeholder, not a question nobody chose.
        at = self.question_combo.findData(condition.question_id) if condition else -1
        self.question_combo.setCurrentIndex(at)
        self._fill_options()
        self._loading = False
        self._update_visibility()

    def _target(self) -> Question | None:
        qid = self.question_combo.currentData()
        return next((q for _n, q in self._choices if q.id == qid), None)

    def _fill_options(self) -> None:
        self.options_model.clear()
        target = self._target()
        chosen = set(self._condition.option_ids) if self._condition else set()
        options = list(target.options) if target else []
        for option in options:
            item = QStandardItem(f"{option.label}  ({ltr(option.id)})")
            item.setData(option.id, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setCheckState(
                Qt.CheckState.Checked if option.id in chosen else Qt.CheckState.Unchecked
            )
            self.options_model.appendRow(item)
        for missing in sorted(chosen - {o.id for o in options}):
            item = QStandardItem("⚠ " + tr("%1 (no such option)").replace("%1", missing))
            item.setData(missing, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setCheckState(Qt.CheckState.Checked)
            self.options_model.appendRow(item)
        # As tall as its options (scrolling beyond six), no empty box under two of them.
        rows = min(max(self.options_model.rowCount(), 1), 6)
        height = self.options_view.sizeHintForRow(0) if self.options_model.rowCount() else em(self)
        self.options_view.setFixedHeight(rows * height + 2 * self.options_view.frameWidth() + 4)

    def _update_visibility(self) -> None:
        on = self.enabled_box.isChecked()
        for widget in (self.question_combo, self.is_label, self.options_view):
            widget.setVisible(on)

    # ------------------------------------------------------------------ editing
    def _toggled(self, on: bool) -> None:
        self._update_visibility()
        if self._loading:
            return
        if not on:
            self._emit(None)
            return
        # A new condition starts empty: no question and no answer chosen for the user,
        # and the form's problems say which of the two is still to fill.
        if not self._choices:
            return
        self.question_combo.setCurrentIndex(-1)
        self._emit(Condition("", ()))

    def _question_chosen(self, _index: int) -> None:
        target = self._target()
        if target is None or (self._condition and self._condition.question_id == target.id):
            return
        self._emit(Condition(target.id, ()))

    def _option_toggled(self, _item: QStandardItem) -> None:
        if self._loading or self._condition is None:
            return
        ids = []
        for row in range(self.options_model.rowCount()):
            item = self.options_model.item(row)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                ids.append(str(item.data(Qt.ItemDataRole.UserRole)))
        # The check boxes already show the new state: refilling the list here would delete
        # the item whose signal is being handled.
        self._emit(Condition(self._condition.question_id, tuple(ids)), refill=False)

    def _emit(self, condition: Condition | None, *, refill: bool = True) -> None:
        if condition == self._condition:
            return
        self._condition = condition
        if isinstance(self._shown, tuple):  # what the editor will show back: nothing to redo
            self._shown = (self._shown[0], condition)
        if refill:
            self._loading = True
            self._fill_options()
            self._loading = False
        self.conditionEdited.emit(condition)

    def condition(self) -> Condition | None:
        return self._condition
