"""Re-review a disputed evaluation: uphold or overturn each disputed question, say why,
and write a summary the agent reads with the outcome.

Rules:
- One card per disputed question, in the form's order: the question, the original
  answer in words, the agent's reason, Upheld (the answer stands) or Overturned (the
  answer changes), the new answer (its editor is enabled only while Overturned) and the
  reason, which is required either way. A summary note is required at the bottom.
- The re-reviewer is the session's reviewer; the service refuses the reviewer who
  scored the evaluation, so the dialog says so as it opens and offers no Save.
- An overturned question's new answer carries the re-review's reason as its comment
  (the original comment stays in the evaluation's history): a comment the question
  requires is then never missing, and never contradicts the new answer.
- Save calls ``DisputeService.decide``; a refusal (``NotAllowedError``/``ValueError``,
  a finished sentence) or a storage error is shown above the buttons, the dialog stays
  open and everything typed is kept. A database busy with another writer is waited for
  only a moment on the GUI thread, then said, as the Evaluate screen does.
- The score line shows the evaluation's score now and with the decisions as chosen
  (``core.scoring``, computed here: a form's questions score in microseconds).
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.answers import Answer, AnswerValue
from qa_monitor.core.disputes import MAX_REASON_CHARS, Decision, DisputedQuestion
from qa_monitor.core.forms import Form, Question, QuestionType
from qa_monitor.core.records import Evaluation
from qa_monitor.core.scoring import score_evaluation
from qa_monitor.services import Changes, DatabaseBusyError, StorageError
from qa_monitor.services.dispute_list_service import QueueItem
from qa_monitor.services.dispute_service import DecisionInput
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.dialogs.person_dialogs import FieldError, sentence
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.answer_editors import (
    AnswerTextEdit,
    DateTimeEditor,
    NumberEditor,
    TagCheckBox,
)
from qa_monitor.ui.widgets.widget_style import em, format_score, ltr, scaled_font

log = logging.getLogger(__name__)
GUI_WRITE_WAIT_S = 0.05  # as the Evaluate screen: longer waits are said, not frozen through
_NA = "\x00na"  # the combo's data for "Not applicable" (never an option id: ids are slugs)


def answer_words(question: Question, answer: Answer | None, locale: QLocale) -> str:
    """An answer as a reader says it: option labels, N/A, the number or the text."""
    if answer is None or answer.is_empty:
        return _tr("Not answered")
    if answer.na:
        return _tr("Not applicable")
    value = answer.value
    if isinstance(value, tuple):
        return ", ".join(_label(question, v) for v in value)
    if isinstance(value, str) and question.type.has_options:
        return _label(question, value)
    if isinstance(value, int | float):
        return ltr(locale.toString(float(value), "g", 12))
    if question.type is QuestionType.DATETIME:
        return ltr(str(value).replace("T", " "))
    return str(value)


def _label(question: Question, option_id: str) -> str:
    option = question.option(option_id)
    return option.label if option is not None else _tr("(an option no longer on the form)")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReReviewDialog", text)


class NewAnswerEditor(QWidget):
    """The new answer to one question, in the control its type needs: a list of its
    options (and Not applicable where allowed), tick boxes for several tags, a number,
    a date and time, or text."""

    edited = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None):
        super().__init__(parent)
        self.question = question
        self.combo: QComboBox | None = None
        self.tags: list[TagCheckBox] = []
        self.number: NumberEditor | None = None
        self.when: DateTimeEditor | None = None
        self.text: AnswerTextEdit | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        name = self.tr("New answer to “{0}”").format(question.text)
        if question.type is QuestionType.TAGS:
            for option in question.options:
                box = TagCheckBox(option.label)
                box.setProperty("option_id", option.id)
                box.toggled.connect(lambda _c: self.edited.emit())
                self.tags.append(box)
                row.addWidget(box)
            if self.tags:
                self.setFocusProxy(self.tags[0])
        elif question.type.has_options:
            self.combo = QComboBox()
            self.combo.setAccessibleName(name)
            self.combo.setPlaceholderText(self.tr("Choose the new answer"))
            for option in question.options:
                self.combo.addItem(option.label, option.id)
            if question.allow_na:
                self.combo.addItem(self.tr("Not applicable"), _NA)
            self.combo.setCurrentIndex(-1)
            self.combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
            row.addWidget(self.combo)
            self.setFocusProxy(self.combo)
        elif question.type is QuestionType.NUMBER:
            self.number = NumberEditor(question.minimum, question.maximum)
            self.number.spin.setAccessibleName(name)
            self.number.edited.connect(self.edited)
            row.addWidget(self.number)
            self.setFocusProxy(self.number)
        elif question.type is QuestionType.DATETIME:
            self.when = DateTimeEditor()
            self.when.edit.setAccessibleName(name)
            self.when.edited.connect(self.edited)
            row.addWidget(self.when)
            self.setFocusProxy(self.when)
        else:
            self.text = AnswerTextEdit(lines=2.4)
            self.text.setAccessibleName(name)
            self.text.textChanged.connect(self.edited)
            row.addWidget(self.text, 1)
            self.setFocusProxy(self.text)
        row.addStretch(0 if self.text is not None else 1)

    def chosen(self) -> tuple[AnswerValue, bool] | None:
        """(value, N/A) as chosen, or None while nothing is."""
        if self.combo is not None:
            data = self.combo.currentData()
            if data is None:
                return None
            return (None, True) if data == _NA else (str(data), False)
        if self.tags:
            ids = tuple(str(b.property("option_id")) for b in self.tags if b.isChecked())
            return (ids, False) if ids else None
        if self.number is not None:
            number = self.number.value()
            return None if number is None else (number, False)
        if self.when is not None:
            moment = self.when.value()
            return None if moment is None else (moment, False)
        assert self.text is not None
        typed = self.text.toPlainText().strip()
        return (typed, False) if typed else None


class DecisionCard(QFrame):
    """One disputed question and the re-reviewer's decision on it."""

    changed = Signal()

    def __init__(
        self,
        question: Question,
        disputed: DisputedQuestion,
        original: Answer | None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.question = question
        self.original = original
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(question.text)
        column = QVBoxLayout(self)
        title = QLabel(question.text)
        title.setFont(scaled_font(title.font(), 1.1, bold=True))
        title.setWordWrap(True)
        column.addWidget(title)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.original_label = self._text(answer_words(question, original, self.locale()))
        form.addRow(self.tr("Original answer:"), self.original_label)
        self.agent_reason = self._text(disputed.reason)
        form.addRow(self.tr("The agent's reason:"), self.agent_reason)
        self.upheld = QRadioButton(self.tr("Upheld (the answer stands)"))
        self.overturned = QRadioButton(self.tr("Overturned (the answer changes)"))
        self.decision = QButtonGroup(self)
        choices = QHBoxLayout()
        for button, value in (
            (self.upheld, Decision.UPHELD),
            (self.overturned, Decision.OVERTURNED),
        ):
            button.setAccessibleName(self.tr("{0}: {1}").format(question.text, button.text()))
            button.setProperty("decision", value.value)
            self.decision.addButton(button)
            choices.addWidget(button)
        choices.addStretch(1)
        self.decision.buttonToggled.connect(lambda _b, _on: self._decision_changed())
        form.addRow(self.tr("Decision:"), choices)
        self.new_answer = NewAnswerEditor(question)
        self.new_answer.setEnabled(False)
        self.new_answer.edited.connect(self.changed)
        form.addRow(self.tr("New answer:"), self.new_answer)
        self.reason = QLineEdit()
        self.reason.setMaxLength(MAX_REASON_CHARS)
        self.reason.setAccessibleName(
            self.tr("Reason for the decision on “{0}”").format(question.text)
        )
        self.reason.setPlaceholderText(
            self.tr("Why the answer stands or changes; the agent reads it")
        )
        self.reason.textEdited.connect(lambda _t: self.changed.emit())
        form.addRow(self.tr("Reason:"), self.reason)
        column.addLayout(form)

    def _text(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _decision_changed(self) -> None:
        self.new_answer.setEnabled(self.overturned.isChecked())
        self.changed.emit()

    def chosen_decision(self) -> Decision | None:
        if self.upheld.isChecked():
            return Decision.UPHELD
        if self.overturned.isChecked():
            return Decision.OVERTURNED
        return None

    def new_answer_value(self) -> Answer | None:
        """The answer that replaces the original one, while Overturned with a choice."""
        if self.chosen_decision() is not Decision.OVERTURNED:
            return None
        chosen = self.new_answer.chosen()
        if chosen is None:
            return None
        value, na = chosen
        return Answer(
            self.question.id,
            value,
            na,
            self.reason.text().strip(),
            self.original.timestamp_ms if self.original is not None else None,
        )

    def decision_input(self) -> DecisionInput | None:
        decision = self.chosen_decision()
        if decision is None:
            return None
        return DecisionInput(decision, self.reason.text(), self.new_answer_value())

    def first_missing(self) -> QWidget | None:
        """The control still waiting for input, if any (to put the focus there)."""
        decision = self.chosen_decision()
        if decision is None:
            return self.upheld
        if decision is Decision.OVERTURNED and self.new_answer.chosen() is None:
            return self.new_answer
        if not self.reason.text().strip():
            return self.reason
        return None


class ReReviewDialog(QDialog):
    """The re-review of one open dispute; ``changes`` is set once it is stored."""

    def __init__(
        self,
        session: Session,
        item: QueueItem,
        evaluation: Evaluation,
        disputed: tuple[DisputedQuestion, ...],
        form: Form,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.item = item
        self.evaluation = evaluation
        self.form = form
        self.changes: Changes | None = None
        services = session.services
        self._facts = services.interactions.get_interaction(evaluation.interaction_id).facts
        title = self.tr("Re-review the dispute")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumSize(em(self, 34), em(self, 24))
        outer = QVBoxLayout(self)
        locale = QLocale()

        def day(value: date) -> str:
            return date_text(value, locale)

        intro = QLabel(
            self.tr(
                "{0} disputed the evaluation of the interaction of {1} on {2}, scored {3} "
                "by {4} with the form “{5}”. The re-review is due on {6}."
            ).format(
                item.agent_name,
                day(item.interaction_date),
                day(item.disputed_on),
                ltr(format_score(item.score)),
                item.reviewer_name,
                item.form_title,
                day(item.deadline),
            )
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.cards: list[DecisionCard] = []
        body = QWidget()
        cards = QVBoxLayout(body)
        cards.setContentsMargins(0, 0, 0, 0)
        order = {q.id: i for i, (_s, q) in enumerate(form.questions())}
        for disputed_question in sorted(disputed, key=lambda d: order.get(d.question_id, 0)):
            question = form.question(disputed_question.question_id)
            if question is None:
                continue  # a form version never loses a question; nothing to decide here
            card = DecisionCard(question, disputed_question, evaluation.answers.get(question.id))
            card.changed.connect(self._update_score)
            self.cards.append(card)
            cards.addWidget(card)
        cards.addStretch(1)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        summary_caption = QLabel(self.tr("&Summary for the agent (required):"))
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(em(self, 4))
        self.summary.setAccessibleName(self.tr("Summary for the agent"))
        self.summary.setPlaceholderText(self.tr("What was decided and why, in a sentence or two"))
        summary_caption.setBuddy(self.summary)
        outer.addWidget(summary_caption)
        outer.addWidget(self.summary)
        self.score_label = QLabel()
        self.score_label.setAccessibleName(self.tr("Score"))
        self.score_label.setWordWrap(True)
        outer.addWidget(self.score_label)
        self.error = FieldError()
        outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Save the re-review"))
        self.save_button.setAccessibleName(self.tr("Save the re-review"))
        self.save_button.setToolTip(self.tr("Save the re-review (Enter, or Ctrl+Enter)"))
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        self._check_reviewer()
        self._update_score()
        # As tall as the questions need (the scroll area's hint stops at a few cards).
        self.resize(em(self, 46), min(em(self, 44), self.sizeHint().height()))
        if self.cards:
            self.cards[0].upheld.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---------------------------------------------------------------- state
    def _check_reviewer(self) -> None:
        reviewer_id = self.session.reviewer_id
        if reviewer_id is None:
            self.error.show_message(
                self.tr(
                    "Choose who you are first (Evaluation ▸ Change reviewer…): the "
                    "re-review is recorded in your name."
                )
            )
            self.save_button.setEnabled(False)
        elif reviewer_id == self.evaluation.reviewer_id:
            self.error.show_message(
                self.tr(
                    "You scored this evaluation, so a different reviewer re-reviews the "
                    "dispute. Assign one with Assign re-reviewer…, or change the reviewer "
                    "with Evaluation ▸ Change reviewer…."
                )
            )
            self.save_button.setEnabled(False)

    def new_answers(self) -> dict[str, Answer]:
        answers = dict(self.evaluation.answers)
        for card in self.cards:
            new = card.new_answer_value()
            if new is not None:
                answers[new.question_id] = new
        return answers

    def _update_score(self) -> None:
        now = format_score(self.evaluation.score)
        changed = any(card.new_answer_value() is not None for card in self.cards)
        if not changed:
            self.score_label.setText(
                self.tr("Score: {0}. It changes only if a question is overturned.").format(ltr(now))
            )
            return
        after = score_evaluation(self.form, self.new_answers(), self._facts).score
        self.score_label.setText(
            self.tr("Score: {0} now, {1} with these decisions.").format(
                ltr(now), ltr(format_score(after))
            )
        )

    # ---------------------------------------------------------------- saving
    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        reviewer_id = self.session.reviewer_id
        assert reviewer_id is not None  # Save is disabled without one
        decisions = {
            card.question.id: given
            for card in self.cards
            if (given := card.decision_input()) is not None
        }
        services = self.session.services
        try:
            with services.waiting_at_most(GUI_WRITE_WAIT_S):
                changes = services.disputes.decide(
                    self.evaluation.id, decisions, reviewer_id, self.summary.toPlainText()
                )
        except DatabaseBusyError:
            self._refused(
                self.tr(
                    "Another import or sync is writing to the database. Nothing was saved; "
                    "what you wrote is kept. Save again in a moment."
                )
            )
            return
        except (ValueError, StorageError) as exc:  # NotAllowedError is a ValueError
            if isinstance(exc, StorageError):
                log.warning(
                    "The re-review of evaluation %s was not stored: %s", self.evaluation.id, exc
                )
            self._refused(
                self.tr("{0} Nothing was saved; what you wrote is kept.").format(sentence(str(exc)))
            )
            return
        self.changes = changes
        self.error.clear()
        self.accept()

    def _refused(self, message: str) -> None:
        self.error.show_message(message)
        target: QWidget | None = next(
            (w for card in self.cards if (w := card.first_missing()) is not None), None
        )
        if target is None and not self.summary.toPlainText().strip():
            target = self.summary
        if target is not None:
            if target is not self.summary:
                self.scroll.ensureWidgetVisible(target)  # a card further down, out of view
            target.setFocus(Qt.FocusReason.OtherFocusReason)
