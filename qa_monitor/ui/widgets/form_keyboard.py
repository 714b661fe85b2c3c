"""The scoring keys of the evaluation form.

Ignored while typing in a text field; the answering keys are ignored when read-only.
Up/Down move the current question (Tab/Shift+Tab move between questions' controls);
1..9/0, Y/N, Y/P/N, P/F answer and advance to the next unanswered visible question; A is N/A;
Delete/Backspace clear; C opens the comment (Esc returns to the question); G shows
guidance; Enter moves into a text, number or date field. ``shortcut_help_widget`` lists
the same keys for the reviewer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)

from qa_monitor.ui.widgets.answer_keys import COMMENT_KEY, GUIDANCE_KEY, key_token

if TYPE_CHECKING:
    from qa_monitor.ui.widgets.evaluation_form_widget import EvaluationFormWidget

    _Base = EvaluationFormWidget
else:
    _Base = object

_TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)
_ANSWER_MODIFIERS = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


class FormKeyboardMixin(_Base):
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.handle_key(event):
            super().keyPressEvent(event)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Act on a key the focused control did not use; True when it was used here."""
        if self._current is None:
            return False
        card = self._cards[self._current]
        focus = QApplication.focusWidget()
        key = event.key()
        typing = isinstance(focus, _TEXT_INPUTS) or (
            focus is not None and isinstance(focus.parentWidget(), QAbstractSpinBox)
        )
        if typing:
            if key == Qt.Key.Key_Escape:
                card.focus_primary()
                return True
            return False
        if event.modifiers() not in _ANSWER_MODIFIERS:
            return False
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            target = self._neighbour(self._current, -1 if key == Qt.Key.Key_Up else 1)
            if target is not None:
                self._go_to(target)
            elif key == Qt.Key.Key_Down:
                self.leftForward.emit()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return card.focus_editor()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            return card.clear()
        token = key_token(event)
        if token == COMMENT_KEY:
            card.open_comment(focus=True)
            self._ensure_visible(card)
            return True
        if token == GUIDANCE_KEY:
            return card.toggle_guidance()
        if token is None:
            return False
        handled, advance = card.apply_key(token)
        if advance and card.needs_comment():
            # The answer asks for a comment: that is the next stop (``_card_edited``).
            return handled
        if advance:
            target = self._next_unanswered(card.question.id)
            if target is not None:
                self._go_to(target)
            else:  # every question answered: on to what follows the form
                self.leftForward.emit()
        return handled
