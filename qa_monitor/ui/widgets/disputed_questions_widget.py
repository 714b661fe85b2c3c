"""The questions of an evaluation, each with the answer given, a "disputed" check box and
the agent's reason.

Rules:
- A reason field is enabled only while its question is checked; checking a question
  puts the cursor in its reason, so the keyboard goes check (Space) → type → Tab → the
  next question. Unchecking keeps the text typed (it is not sent), so checking again
  brings it back.
- Reasons wrap over two lines and scroll beyond (``ReasonEdit``), so a long one is read
  whole; an unchecked question's empty reason is one line high, so more questions fit.
  Enter confirms the dialog, Shift+Enter starts a new line.
- Questions are listed in the form's order under their section titles; the text wraps
  rather than widening the dialog or being cut off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Form, Question
from qa_monitor.ui.audit_texts import answer_words
from qa_monitor.ui.widgets.answer_editors import AnswerTextEdit
from qa_monitor.ui.widgets.widget_style import em, muted_label, scaled_font


class ReasonEdit(AnswerTextEdit):
    """A reason or a note: one paragraph that wraps over two lines (and scrolls beyond),
    so a long one is read whole rather than cut off at the field's edge. Enter confirms
    the dialog, as in a one-line field; Shift+Enter starts a new line."""

    OPEN_LINES = 3.0  # two lines of text and the frame
    SHUT_LINES = 1.8  # one line: an unchecked question's empty reason takes little room

    def __init__(self, parent: QWidget | None = None, lines: float = OPEN_LINES) -> None:
        super().__init__(parent, lines=lines)

    def set_open(self, opened: bool) -> None:
        """Full height while in use or holding text; one line otherwise."""
        keep = opened or bool(self.toPlainText())
        self.setFixedHeight(em(self, self.OPEN_LINES if keep else self.SHUT_LINES))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            event.ignore()  # up to the dialog, which presses its default button
            return
        super().keyPressEvent(event)


class _ToggleLabel(QLabel):
    """A wrapped question text that checks its box when clicked, like a check box's own."""

    def __init__(self, text: str, box: QCheckBox):
        super().__init__(text)
        self._box = box
        # Written by whoever made the form: "&" and "<" are text, not a mnemonic or markup.
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._box.isEnabled():
            self._box.setFocus(Qt.FocusReason.MouseFocusReason)
            self._box.toggle()
        super().mouseReleaseEvent(event)


@dataclass(frozen=True)
class QuestionRow:
    question: Question
    box: QCheckBox
    reason: ReasonEdit


class DisputedQuestionsWidget(QScrollArea):
    chosenChanged = Signal(int)  # how many questions are checked

    def __init__(
        self, form: Form, answers: Mapping[str, Answer], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the questions
        self.setAccessibleName(self.tr("Questions of the evaluation"))
        body = QWidget()
        outer = QVBoxLayout(body)
        self.rows: dict[str, QuestionRow] = {}
        section_font = scaled_font(self.font(), 1.0, bold=True)
        for section in form.sections:
            if not section.questions:
                continue
            title = QLabel(section.title)
            title.setTextFormat(Qt.TextFormat.PlainText)
            title.setFont(section_font)
            title.setWordWrap(True)
            outer.addWidget(title)
            grid = QGridLayout()
            grid.setColumnStretch(1, 3)
            grid.setColumnStretch(2, 2)
            grid.setHorizontalSpacing(em(self, 0.6))
            for question in section.questions:
                self._add_row(grid, question, answers.get(question.id))
            outer.addLayout(grid)
        if not self.rows:
            empty = QLabel(self.tr("This evaluation's form has no questions to dispute."))
            empty.setWordWrap(True)
            outer.addWidget(empty)
        outer.addStretch(1)
        self.setWidget(body)
        # Check box, then its reason (skipped while disabled), then the next question.
        chain = [w for row in self.rows.values() for w in (row.box, row.reason)]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        self.setMinimumHeight(em(self, 12))

    def _add_row(self, grid: QGridLayout, question: Question, answer: Answer | None) -> None:
        row = grid.rowCount()
        box = QCheckBox()
        box.setAccessibleName(self.tr("Disputed: {0}").format(question.text))
        label = _ToggleLabel(question.text, box)
        given = muted_label(self.tr("Answer given: {0}").format(answer_words(answer, question)))
        given.setTextFormat(Qt.TextFormat.PlainText)
        given.setWordWrap(True)
        reason = ReasonEdit(lines=ReasonEdit.SHUT_LINES)
        reason.setPlaceholderText(self.tr("Why the agent disputes this answer"))
        reason.setAccessibleName(self.tr("Reason for disputing: {0}").format(question.text))
        reason.setEnabled(False)
        grid.addWidget(box, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(label, row, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(given, row, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(reason, row + 1, 1, 1, 2)
        entry = QuestionRow(question, box, reason)
        box.toggled.connect(lambda checked, e=entry: self._toggled(e, checked))
        self.rows[question.id] = entry

    def _toggled(self, entry: QuestionRow, checked: bool) -> None:
        entry.reason.setEnabled(checked)
        entry.reason.set_open(checked)
        if checked:
            entry.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            self.ensureWidgetVisible(entry.reason)
        self.chosenChanged.emit(len(self.chosen_ids()))

    # ---------------------------------------------------------------- reading
    def first_box(self) -> QCheckBox | None:
        return next(iter(self.rows.values())).box if self.rows else None

    def chosen_ids(self) -> list[str]:
        return [qid for qid, row in self.rows.items() if row.box.isChecked()]

    def reasons(self) -> dict[str, str]:
        """Question id -> reason typed, for every checked question (empty reasons
        included: the service says which one needs a reason)."""
        return {qid: self.rows[qid].reason.toPlainText() for qid in self.chosen_ids()}

    def focus_missing_reason(self) -> bool:
        """Put the cursor in the first checked question's empty reason, if any."""
        for qid in self.chosen_ids():
            reason = self.rows[qid].reason
            if not reason.toPlainText().strip():
                reason.setFocus(Qt.FocusReason.OtherFocusReason)
                self.ensureWidgetVisible(reason)
                return True
        return False
