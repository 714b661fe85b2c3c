"""The notes around a question card's answer: its comment, its guidance and its problem.

A mixin of :class:`QuestionCard`: each part is built only when first shown, because most
questions of a long form never open a comment or guidance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from qa_monitor.ui.widgets.answer_editors import AnswerTextEdit
from qa_monitor.ui.widgets.widget_style import scaled_font

if TYPE_CHECKING:
    from qa_monitor.ui.widgets.question_card_widget import QuestionCard

    _Base = QuestionCard
else:
    _Base = object


class CardNotesMixin(_Base):
    def _ensure_comment(self) -> None:
        if self._comment_box is not None:
            return
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(self._kit.px(0.2))
        self._comment_label = QLabel(self._kit.strings["comment"], box)
        self._comment_edit = AnswerTextEdit(box)
        self._comment_edit.setAccessibleName(self._kit.strings["comment"])
        self._comment_edit.setReadOnly(self._read_only)
        self._comment_edit.textChanged.connect(self._comment_edited)
        layout.addWidget(self._comment_label)
        layout.addWidget(self._comment_edit)
        box.hide()
        self._grid.addWidget(box, 3, 1, 1, 2)
        # Built on demand, the comment would sit last in the window's Tab chain: put it
        # right after this question's answer, so Tab never carries it to another question.
        QWidget.setTabOrder(self.last_answer_control(), self._comment_edit)
        self._comment_box = box
        self._update_comment_label()

    def _comment_edited(self) -> None:
        assert self._comment_edit is not None
        self._commit(self._answer.with_comment(self._comment_edit.toPlainText()))

    def _comment_toggled(self, shown: bool) -> None:
        if shown:
            self._ensure_comment()
        if self._comment_box is not None:
            self._comment_box.setVisible(shown or self._comment_required)

    def open_comment(self, focus: bool = True) -> AnswerTextEdit:
        self._ensure_comment()
        self._comment_toggle.setChecked(True)
        assert self._comment_box is not None and self._comment_edit is not None
        self._comment_box.show()
        if focus:
            self._comment_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return self._comment_edit

    def comment_shown(self) -> bool:
        return self._comment_box is not None and self._comment_box.isVisibleTo(self)

    def needs_comment(self) -> bool:
        """A comment is required for the answer given and none is written yet."""
        return self._comment_required and not self._answer.comment.strip()

    def comment_required(self) -> bool:
        return self._comment_required

    def set_comment_required(self, required: bool) -> None:
        if required == self._comment_required:
            return
        self._comment_required = required
        if required:
            self.open_comment(focus=False)
        self._comment_toggle.setEnabled(not required)
        self._update_comment_label()

    def _update_comment_label(self) -> None:
        if self._comment_label is None:
            return
        required = self._comment_required
        key = "comment_required" if required else "comment"
        self._comment_label.setText(self._kit.strings[key])
        self._comment_label.setFont(scaled_font(self.font(), bold=required))

    def toggle_guidance(self) -> bool:
        if self._guidance_toggle is None:
            return False
        self._guidance_toggle.toggle()
        return True

    def _show_guidance(self, shown: bool) -> None:
        if self._guidance is None:
            self._guidance = self._kit.label(self.question.guidance, self, palette=self._kit.muted)
            self._guidance.setWordWrap(True)
            self._grid.addWidget(self._guidance, 2, 1, 1, 2)
        self._guidance.setVisible(shown)

    def guidance_shown(self) -> bool:
        return self._guidance is not None and self._guidance.isVisibleTo(self)

    def set_problem(self, message: str | None) -> None:
        if not message and not self._has_problem:
            return
        self._has_problem = bool(message)
        if message and self._problem is None:
            self._problem = self._kit.label("", self, palette=self._kit.danger)
            self._problem.setWordWrap(True)
            self._problem.setFont(scaled_font(self.font(), bold=True))
            self._grid.addWidget(self._problem, 4, 1, 1, 2)
        if self._problem is not None:
            self._problem.setText(f"⚠ {message}" if message else "")
            self._problem.setVisible(bool(message))
        self.update()

    def problem_text(self) -> str:
        return self._problem.text() if self._problem and self._problem.isVisibleTo(self) else ""
