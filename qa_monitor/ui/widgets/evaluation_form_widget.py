"""The reviewer's scoring column: every section and question card of one form, keyboard-first.

Answers live in this widget's dict, not in the cards, so the score, ``answers()`` and the
navigation work on the whole form at once. Cards are built a screenful first and the rest
in small batches on the event loop, so even a very long form shows at once; anything that
needs a card not built yet (navigation, ``focus_question``) builds up to it on demand.
The keys are handled in ``form_keyboard.py``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.answer_checks import AnswerProblem
from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import CommentRule, Form, InteractionFacts, Question, Section
from qa_monitor.core.scoring import QuestionScore, QuestionStatus, ScoreResult, score_evaluation
from qa_monitor.ui.widgets.card_frame import CardKit, section_header
from qa_monitor.ui.widgets.form_keyboard import FormKeyboardMixin
from qa_monitor.ui.widgets.question_card_widget import QuestionCard
from qa_monitor.ui.widgets.widget_style import (
    danger_color,
    em,
    format_clock,
    muted_label,
    scaled_font,
    set_text_color,
)

_FIRST_BATCH = 14  # cards built before the form first shows: more than a screenful
_BATCH = 12  # then cards are built in chunks this size ...
_SLICE_S = 0.05  # ... for this long per event-loop turn, so keys and clicks still get through


def _tab_stop(widget: QWidget) -> bool:
    return bool(
        widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible() and widget.isEnabled()
    )


class _Canvas(QWidget):
    """The scrolled column; keys its children ignore arrive here before the scroll area."""

    def __init__(self, owner: EvaluationFormWidget) -> None:
        super().__init__()
        self._owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._owner.handle_key(event):
            event.ignore()


class EvaluationFormWidget(FormKeyboardMixin, QWidget):
    answersChanged = Signal()  # every user change (loading with set_form/set_answers is silent)
    currentQuestionChanged = Signal(str)
    # The reviewer went on past the last question (Tab, or answering with none left): the
    # screen moves on to what follows the form (the overall comment).
    leftForward = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form: Form | None = None
        # Channel and direction of the interaction scored: questions shown only on other
        # interactions stay hidden. None (the designer's preview) hides none of them.
        self._interaction: InteractionFacts | None = None
        self._answers: dict[str, Answer] = {}
        # (number, section, question) in form order
        self._questions: list[tuple[str, Section, Question]] = []
        self._index: dict[str, int] = {}
        self._cards: dict[str, QuestionCard] = {}
        self._headers: dict[str, QWidget] = {}  # section id -> header
        self._hidden_headers: set[str] = set()
        self._problems: dict[str, str] = {}
        self._result: ScoreResult | None = None
        self._visible: set[str] = set()
        self._current: str | None = None
        self._read_only = False
        self._column: QVBoxLayout | None = None
        self._kit: CardKit | None = None
        self._batch_timer = QTimer(self)
        self._batch_timer.setInterval(0)
        self._batch_timer.timeout.connect(self._build_batch)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAccessibleName(self.tr("Evaluation form"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._banner = QLabel(self)
        self._banner.setWordWrap(True)
        self._banner.setFont(scaled_font(self.font(), bold=True))
        set_text_color(self._banner, danger_color(self.palette()))
        self._banner.hide()
        layout.addWidget(self._banner)
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setAccessibleName(self.tr("Questions"))
        layout.addWidget(self._scroll, 1)
        empty = muted_label(self.tr("No form loaded — open an evaluation to start scoring."))
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._scroll.setWidget(empty)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    # ------------------------------------------------------------------ loading
    def set_form(
        self,
        form: Form,
        answers: Mapping[str, Answer] | None = None,
        interaction: InteractionFacts | None = None,
    ) -> None:
        self._batch_timer.stop()
        self._form = form
        self._interaction = interaction
        self._questions = [
            (f"{s}.{q}", section, question)
            for s, section in enumerate(form.sections, start=1)
            for q, question in enumerate(section.questions, start=1)
        ]
        self._index = {entry[2].id: i for i, entry in enumerate(self._questions)}
        self._cards, self._headers, self._problems = {}, {}, {}
        self._hidden_headers = set()
        self._answers = {k: v for k, v in (answers or {}).items() if k in self._index}
        self._current = None
        self._banner.hide()
        self._kit = CardKit.for_widget(self)
        canvas = _Canvas(self)
        canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._column = QVBoxLayout(canvas)
        margin = em(self, 0.6)
        self._column.setContentsMargins(margin, margin, margin, margin)
        self._column.setSpacing(em(self, 0.6))
        self._column.addStretch(1)
        self._score()
        self._build_until(_FIRST_BATCH)
        self._scroll.setWidget(canvas)  # deletes the previous column in one go
        if len(self._cards) < len(self._questions):
            self._batch_timer.start()
        visible = (entry[2].id for entry in self._questions if entry[2].id in self._visible)
        self._set_current(next(visible, None))

    def is_fully_built(self) -> bool:
        """Whether every card exists (a long form finishes building on the event loop)."""
        return len(self._cards) == len(self._questions)

    def _build_batch(self) -> None:
        """Build cards for about ``_SLICE_S`` of one event-loop turn, then let input through."""
        started = time.perf_counter()
        while not self.is_fully_built() and time.perf_counter() - started < _SLICE_S:
            self._build_until(len(self._cards) + _BATCH)
        if self.is_fully_built():
            self._batch_timer.stop()

    def _build_until(self, count: int) -> None:
        assert self._kit is not None and self._column is not None
        start = len(self._cards)
        if count <= start:
            return
        # Each batch goes into a hidden chunk shown once at the end: showing a subtree in one
        # go is far cheaper than letting the layout show each new widget on its own.
        chunk = QWidget(self._column.parentWidget())
        chunk.hide()
        layout = QVBoxLayout(chunk)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(self._column.spacing())
        for number, section, question in self._questions[start:count]:
            if section.id not in self._headers:
                header = section_header(section, self._kit, chunk)
                layout.addWidget(header)
                self._headers[section.id] = header
            card = QuestionCard(number, question, self._kit, chunk)
            card.edited.connect(self._card_edited)
            answer = self._answers.get(question.id)
            if answer is not None:
                card.set_answer(answer)
            card.set_read_only(self._read_only)
            card.set_problem(self._problems.get(question.id))
            self._cards[question.id] = card
            self._apply(card, self._status(question.id))
            layout.addWidget(card)
        self._update_headers()
        self._column.insertWidget(self._column.count() - 1, chunk)
        chunk.show()

    def set_answers(self, answers: Mapping[str, Answer]) -> None:
        """Show ``answers`` (answers to questions not on the form are dropped); no signal."""
        self._answers = {k: v for k, v in answers.items() if k in self._index}
        for qid, card in self._cards.items():
            answer = self._answers.get(qid) or Answer(qid)
            if answer != card.answer():
                card.set_answer(answer)
        self.set_problems([])
        self._refresh()

    def answers(self) -> dict[str, Answer]:
        """Answers worth keeping: visible questions with a value, N/A, comment or time-stamp."""
        return {
            qid: a
            for qid, a in self._answers.items()
            if qid in self._visible and (not a.is_empty or a.comment or a.timestamp_ms is not None)
        }

    def form(self) -> Form | None:
        return self._form

    def score_result(self) -> ScoreResult | None:
        """The score of the answers on screen, recomputed on every change."""
        return self._result

    # ------------------------------------------------------------------ state
    def _card_edited(self, question_id: str) -> None:
        card = self._cards[question_id]
        before = self._answers.get(question_id) or Answer(question_id)
        answer = card.answer()
        self._answers[question_id] = answer
        if self._problems.pop(question_id, None):
            card.set_problem(None)
        self._refresh()
        chose = (before.value, before.na) != (answer.value, answer.na)
        if chose and card.needs_comment() and card.question.type.has_options:
            # An answer that needs a comment (by key or by click): write it now, not at submit.
            card.open_comment(focus=True)
            self._ensure_visible(card)
        self.answersChanged.emit()

    def _score(self) -> None:
        assert self._form is not None
        self._result = score_evaluation(self._form, self._answers, self._interaction)
        self._visible = {
            qs.question_id
            for qs in self._result.questions
            if qs.status is not QuestionStatus.HIDDEN
        }

    def _status(self, question_id: str) -> QuestionScore:
        assert self._result is not None
        return self._result.questions[self._index[question_id]]

    def _apply(self, card: QuestionCard, qs: QuestionScore) -> None:
        hidden = qs.status is QuestionStatus.HIDDEN
        # Compare with our own flag: a fresh card reads as hidden until the layout shows it,
        # and showing 150 cards one by one would lay the column out 150 times.
        if card.condition_hidden != hidden:
            card.condition_hidden = hidden
            card.setHidden(hidden)
        rule = card.question.comment
        card.set_comment_required(
            not hidden
            and (
                rule is CommentRule.ALWAYS
                or (rule is CommentRule.NOT_FULL and qs.counts and not qs.full_marks)
            )
        )

    def _update_headers(self) -> None:
        assert self._form is not None
        for section in self._form.sections:
            header = self._headers.get(section.id)
            hidden = all(q.id not in self._visible for q in section.questions)
            if header is not None and (section.id in self._hidden_headers) != hidden:
                self._hidden_headers.symmetric_difference_update({section.id})
                header.setHidden(hidden)

    def _refresh(self) -> None:
        if self._form is None:
            return
        self._score()
        for qid, card in self._cards.items():
            self._apply(card, self._status(qid))
        self._update_headers()
        if self._current is not None and self._current not in self._visible:
            current = self._current
            self._set_current(self._neighbour(current, 1) or self._neighbour(current, -1))

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for card in self._cards.values():
            card.set_read_only(read_only)

    def is_read_only(self) -> bool:
        return self._read_only

    def set_problems(self, problems: list[AnswerProblem]) -> None:
        """Show each problem inline on its question; form-wide ones in a banner on top."""
        messages: dict[str | None, list[str]] = {}
        for problem in problems:
            text = problem.message[:1].upper() + problem.message[1:]
            messages.setdefault(problem.question_id, []).append(text)
        general = messages.pop(None, None)
        self._problems = {qid: "; ".join(texts) for qid, texts in messages.items() if qid}
        for qid, card in self._cards.items():
            card.set_problem(self._problems.get(qid))
        self._banner.setText("⚠ " + "; ".join(general) if general else "")
        self._banner.setVisible(bool(general))

    # ------------------------------------------------------------------ current question
    def current_question_id(self) -> str | None:
        return self._current

    def card(self, question_id: str) -> QuestionCard | None:
        """The card of ``question_id``, built on demand (None for an unknown id)."""
        if question_id not in self._index:
            return None
        self._build_until(self._index[question_id] + 1)
        return self._cards[question_id]

    def _set_current(self, question_id: str | None) -> None:
        if question_id == self._current:
            return
        if self._current is not None and self._current in self._cards:
            self._cards[self._current].set_current(False)
        self._current = question_id
        if question_id is not None:
            card = self.card(question_id)
            assert card is not None
            card.set_current(True)
            self.currentQuestionChanged.emit(question_id)

    def focus_question(self, question_id: str) -> bool:
        """Make ``question_id`` current, scroll to it and focus it (False if hidden/unknown)."""
        if question_id not in self._visible:
            return False
        self._go_to(question_id)
        return True

    def _go_to(self, question_id: str) -> None:
        self._set_current(question_id)
        card = self._cards[question_id]
        card.focus_primary()
        self._ensure_visible(card)

    def _ensure_visible(self, card: QuestionCard) -> None:
        if self._column is not None:
            self._column.activate()
        self._scroll.ensureWidgetVisible(card, 0, em(self, 1.5))
        # Cards built a moment ago may not have their final place yet: look again once the
        # pending layout has run.
        QTimer.singleShot(0, card, lambda: self._scroll.ensureWidgetVisible(card, 0, em(self, 1.5)))

    def _neighbour(self, question_id: str, step: int) -> str | None:
        index = self._index[question_id] + step
        while 0 <= index < len(self._questions):
            qid = self._questions[index][2].id
            if qid in self._visible:
                return qid
            index += step
        return None

    def _next_unanswered(self, question_id: str) -> str | None:
        start = self._index[question_id]
        order = self._questions[start + 1 :] + self._questions[:start]
        for _number, _section, question in order:
            answer = self._answers.get(question.id)
            if question.id in self._visible and (answer is None or answer.is_empty):
                return question.id
        return None

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        widget = new
        while widget is not None and not isinstance(widget, QuestionCard):
            widget = widget.parentWidget()
        if widget is not None and self._cards.get(widget.question.id) is widget:
            self._set_current(widget.question.id)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab past the last question leaves the form forward (``leftForward``)."""
        focus = QApplication.focusWidget()
        if next and focus is not None and self.isAncestorOf(focus) and self._current:
            target = focus.nextInFocusChain()
            while target is not None and target is not focus and not _tab_stop(target):
                target = target.nextInFocusChain()
            current = self._index[self._current]
            if (
                target is None
                or not self.isAncestorOf(target)
                or self._card_index(target) < current
            ):
                self.leftForward.emit()
                return True
        return super().focusNextPrevChild(next)

    def _card_index(self, widget: QWidget) -> int:
        found: QWidget | None = widget
        while found is not None and not isinstance(found, QuestionCard):
            found = found.parentWidget()
        return self._index[found.question.id] if isinstance(found, QuestionCard) else -1

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self._current is not None:
            self._go_to(self._current)
        super().focusInEvent(event)

    # ------------------------------------------------------------------ comments
    def insert_text_in_current_comment(self, text: str) -> bool:
        """Open the current question's comment and type ``text`` at its cursor."""
        if self._current is None or self._read_only:
            return False
        card = self._cards[self._current]
        card.open_comment(focus=True).insertPlainText(text)
        self._ensure_visible(card)
        return True

    def insert_timestamp_in_current_comment(self, ms: int) -> bool:
        """Insert "[mm:ss] " and, if the answer has none yet, keep ``ms`` as its time-stamp."""
        if self._current is None or self._read_only:
            return False
        card = self._cards[self._current]
        self.insert_text_in_current_comment(f"[{format_clock(ms)}] ")
        if card.answer().timestamp_ms is None:
            card.set_timestamp(int(ms))
            self._answers[card.question.id] = card.answer()
            self.answersChanged.emit()
        return True
