"""The form as reviewers will see it, drawn by the evaluation screen's own widgets.

"Try it" lets the author answer sample questions and watch the live score. The preview
follows edits after a short pause (rebuilding on every keystroke would be wasted work), and
keeps the sample answers whose question still exists and still accepts them.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Form, Question
from qa_monitor.ui.designer import designer_labels as labels
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.widgets.evaluation_form_widget import EvaluationFormWidget
from qa_monitor.ui.widgets.score_panel_widget import ScorePanelWidget
from qa_monitor.ui.widgets.widget_style import danger_color, em, muted_label, set_text_color

DEBOUNCE_MS = 300


def answer_still_fits(answer: Answer, old: Question | None, new: Question | None) -> bool:
    """Whether a sample answer given to ``old`` is still a valid answer to ``new``."""
    if new is None or old is None or new.type is not old.type:
        return False
    if answer.na:
        return new.allow_na
    value = answer.value
    ids = {o.id for o in new.options}
    if isinstance(value, str) and new.type.has_options:
        return value in ids
    if isinstance(value, tuple):
        return set(value) <= ids
    return True


class FormPreviewWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form: Form | None = None  # what the preview shows
        self._pending: Form | None = None  # the newest edit, shown after the pause
        self._focus_id: str | None = None
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_now)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        color = self.palette().color(QPalette.ColorRole.ButtonText)
        self.try_button = QPushButton(labels.icon("mdi6.play-circle-outline", color), tr("Try it"))
        self.try_button.setCheckable(True)
        self.try_button.setToolTip(tr("Answer the questions as a reviewer and watch the score"))
        self.try_button.toggled.connect(self._try_toggled)
        self.clear_button = QPushButton(labels.icon("mdi6.eraser", color), tr("Clear answers"))
        self.clear_button.clicked.connect(self.clear_answers)
        self.hint = muted_label("", self, 0.9)
        self.hint.setWordWrap(True)
        bar.addWidget(self.try_button)
        bar.addWidget(self.clear_button)
        bar.addWidget(self.hint, 1)
        layout.addLayout(bar)
        self.paused = QLabel(self)
        self.paused.setWordWrap(True)
        set_text_color(self.paused, danger_color(self.palette()))
        self.paused.hide()
        layout.addWidget(self.paused)
        self.form_widget = EvaluationFormWidget(self)
        self.form_widget.answersChanged.connect(self._show_score)
        self.score_panel = ScorePanelWidget()
        score_scroll = QScrollArea(self)
        score_scroll.setWidgetResizable(True)
        score_scroll.setFrameShape(QFrame.Shape.NoFrame)
        score_scroll.setWidget(self.score_panel)
        self.score_area = score_scroll
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.form_widget)
        self.splitter.addWidget(score_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.empty = muted_label(
            tr("Nothing to preview yet — add a section (Shift+Insert) and a question (Insert)."),
            self,
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)
        self._try_toggled(False)

    # ------------------------------------------------------------------ following edits
    def schedule(self, form: Form) -> None:
        """Show ``form`` after the pause (a newer call restarts the pause)."""
        self._pending = form
        self._timer.start()

    def is_pending(self) -> bool:
        return self._timer.isActive()

    def refresh_now(self) -> None:
        """Show the newest form now (a hidden preview waits until it is shown)."""
        self._timer.stop()
        if self._pending is None or not self.isVisible():
            return
        new, old = self._pending, self._form
        self._pending = None
        if new == old:
            return
        twins = sorted(
            qid for qid, n in Counter(q.id for _s, q in new.questions()).items() if n > 1
        )
        self.paused.setVisible(bool(twins))
        if twins:
            # Answers are kept by question id: with two questions on one id the preview
            # would mix them up. Keep showing the last form it could show.
            self.paused.setText(
                tr("Preview paused: two questions share the id %1. Give each its own id.").replace(
                    "%1", ", ".join(f"'{t}'" for t in twins)
                )
            )
            return
        answers = {
            qid: a
            for qid, a in self.form_widget.answers().items()
            if old is not None and answer_still_fits(a, old.question(qid), new.question(qid))
        }
        self._form = new
        self.pages.setCurrentWidget(self.splitter if new.question_count else self.empty)
        self.form_widget.set_form(new, answers)
        self.form_widget.set_read_only(not self.try_button.isChecked())
        self._show_score()
        self.scroll_to(self._focus_id)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending is not None:
            QTimer.singleShot(0, self, self.refresh_now)

    def scroll_to(self, question_id: str | None) -> None:
        """Bring the question's card into view (without taking the keyboard focus)."""
        self._focus_id = question_id
        if question_id is None or self._form is None or self._pending is not None:
            return
        card = self._nearest_shown_card(question_id)
        scroll = self.form_widget.findChild(QScrollArea)
        if card is not None and scroll is not None:
            # The cards were just laid out again: look once the layout has run. Only scroll
            # down or up: a narrow pane must not jump sideways to the card's edge.
            def show() -> None:
                bar = scroll.horizontalScrollBar()
                left = bar.value()
                scroll.ensureWidgetVisible(card, 0, em(self, 1))
                bar.setValue(left)

            QTimer.singleShot(0, card, show)

    def _nearest_shown_card(self, question_id: str) -> QWidget | None:
        """The question's card, or (when its condition hides it) the nearest one above."""
        assert self._form is not None
        ids = [q.id for _s, q in self._form.questions()]
        if question_id not in ids:
            return None
        for qid in reversed(ids[: ids.index(question_id) + 1]):
            card = self.form_widget.card(qid)
            if card is not None and not card.condition_hidden:
                return card
        return None

    # ------------------------------------------------------------------ trying it
    def _try_toggled(self, on: bool) -> None:
        self.form_widget.set_read_only(not on)
        self.clear_button.setEnabled(on)
        self.score_area.setVisible(on)
        if on:  # the questions keep most of the room; the score panel scrolls
            height = max(self.splitter.height(), em(self, 20))
            self.splitter.setSizes([height * 3 // 5, height * 2 // 5])
        self.hint.setText(
            tr("Answer the questions to see the live score.")
            if on
            else tr("As reviewers will see it. Use Try it to answer and see the score.")
        )
        self._show_score()

    def clear_answers(self) -> None:
        if self._form is not None:
            self.form_widget.set_answers({})
            self._show_score()

    def _show_score(self) -> None:
        result = self.form_widget.score_result()
        if self._form is None or result is None:
            self.score_panel.clear()
        else:
            self.score_panel.update_result(self._form, result)
