"""Record the agent's answer to a submitted evaluation: an acknowledgement, or a dispute
of some of its questions with the agent's reason for each.

Rules:
- The day the agent answered can be any day from the one the evaluation was submitted
  to today, in the centre's time zone (``DisputeService.answer_days``); it starts on
  today. Whoever uses this computer (the session's reviewer) is recorded as entering it.
- OK calls the dispute service. A refusal (``NotAllowedError``, ``ValueError``, a
  storage error) is its sentence above the buttons; the dialog stays open with
  everything typed kept, and the cursor goes where the fix is needed.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.disputes import ReceivedVia
from qa_monitor.core.records import EvaluationRow
from qa_monitor.services import Changes, Services, StorageError
from qa_monitor.ui.audit_texts import evaluation_summary, via_labels
from qa_monitor.ui.dialogs.person_dialogs import FieldError, sentence
from qa_monitor.ui.widgets.date_field_widget import set_up_date_edit
from qa_monitor.ui.widgets.disputed_questions_widget import DisputedQuestionsWidget, ReasonEdit
from qa_monitor.ui.widgets.widget_style import em, muted_label

log = logging.getLogger(__name__)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class AgentResponseDialog(QDialog):
    """The shared frame: which evaluation, the day, the way, a note, the error line and
    OK/Cancel. Subclasses add their fields with ``_add_body`` and store with ``record``."""

    def __init__(
        self,
        services: Services,
        row: EvaluationRow,
        recorded_by: int | None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.services = services
        self.row = row
        self.recorded_by = recorded_by
        self.changes: Changes | None = None
        self.error = FieldError()  # shown above the buttons; any edit clears it
        self._outer = QVBoxLayout(self)
        summary = QLabel(evaluation_summary(row))
        summary.setTextFormat(Qt.TextFormat.PlainText)  # names and titles people typed
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._outer.addWidget(summary)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self._outer.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._outer.addLayout(self.form)
        self.on = self._date_field()
        self._add_row(self.tr("&Day the agent answered:"), self.on)
        self.via = QComboBox()
        self.via.setAccessibleName(self.tr("How the answer was received"))
        for via, label in via_labels().items():
            self.via.addItem(label, via.value)
        self._add_row(self.tr("&Received:"), self.via)
        self.note = ReasonEdit()
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setPlaceholderText(self.tr("Optional: anything worth keeping with it"))
        self._add_row(self.tr("&Note:"), self.note)
        self._add_body()
        recorded = muted_label(self._recorded_by_text())
        recorded.setTextFormat(Qt.TextFormat.PlainText)
        recorded.setWordWrap(True)
        self._outer.addWidget(recorded)
        self._outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._record_and_close)
        self.buttons.rejected.connect(self.reject)
        self._outer.addWidget(self.buttons)
        self.note.textChanged.connect(self.error.clear)

    # ---------------------------------------------------------------- building
    def _date_field(self) -> QDateEdit:
        first, today = self.services.disputes.answer_days(self.row.id)
        edit = QDateEdit()
        set_up_date_edit(edit)
        edit.setAccessibleName(self.tr("Day the agent answered"))
        edit.setDateRange(_qdate(first), _qdate(max(first, today)))
        edit.setDate(_qdate(today))
        week_start = self.services.settings.centre().week_start  # 0 = Monday
        edit.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek(week_start + 1))
        edit.dateChanged.connect(lambda _d: self.error.clear())
        return edit

    def _add_row(self, label: str, field: QWidget) -> None:
        caption = QLabel(label)
        caption.setBuddy(field)
        self.form.addRow(caption, field)

    def _add_body(self) -> None:
        """Fields between the common ones and the error line (none by default)."""

    def _recorded_by_text(self) -> str:
        if self.recorded_by is None:
            return self.tr(
                "No reviewer is chosen on this computer, so the record will not say who "
                "entered it. Choose one with Evaluation ▸ Change reviewer."
            )
        name = self.services.people.get_reviewer(self.recorded_by).name
        return self.tr("Recorded by {0}.").format(name)

    # ---------------------------------------------------------------- storing
    def received_via(self) -> ReceivedVia:
        return ReceivedVia(self.via.currentData())

    def answered_on(self) -> date:
        day = self.on.date().toPython()
        assert isinstance(day, date)
        return day

    def _record_and_close(self) -> None:
        self.error.clear()
        try:
            self.changes = self.record()
        except (ValueError, StorageError) as exc:
            # NotAllowedError is a ValueError: the evaluation's state forbids it.
            log.info("Refused to record the agent's answer to %s: %s", self.row.id, exc)
            self.error.show_message(sentence(str(exc)))
            self._focus_after_refusal()
            return
        self.accept()

    def record(self) -> Changes:
        """Store the entries through the dispute service."""
        raise NotImplementedError

    def _focus_after_refusal(self) -> None:
        """Where the cursor goes after a refusal (it stays put by default)."""


class AcknowledgeDialog(AgentResponseDialog):
    def __init__(
        self,
        services: Services,
        row: EvaluationRow,
        recorded_by: int | None,
        parent: QWidget | None = None,
    ):
        super().__init__(services, row, recorded_by, parent)
        title = self.tr("Record the agent's acknowledgement")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.intro.setText(
            self.tr(
                "The agent has read this evaluation and accepts it. Once acknowledged, "
                "it can no longer be disputed."
            )
        )
        self.ok_button.setText(self.tr("Record acknowledgement"))
        self.setMinimumWidth(em(self, 34))
        self.on.setFocus()

    def record(self) -> Changes:
        return self.services.disputes.acknowledge(
            self.row.id,
            self.answered_on(),
            self.received_via(),
            self.recorded_by,
            self.note.toPlainText(),
        )


class DisputeDialog(AgentResponseDialog):
    def __init__(
        self,
        services: Services,
        row: EvaluationRow,
        recorded_by: int | None,
        parent: QWidget | None = None,
    ):
        super().__init__(services, row, recorded_by, parent)
        title = self.tr("Record the agent's dispute")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.intro.setText(
            self.tr(
                "Check each question the agent disputes and write the agent's reason. "
                "Another reviewer re-reviews the dispute within %n working day(s) of the "
                "day the agent answered.",
                "",
                services.settings.dispute_deadline_days(),
            )
        )
        self.ok_button.setText(self.tr("Record dispute"))
        QWidget.setTabOrder(self.note, self.questions.first_box() or self.ok_button)
        self.resize(em(self, 48), em(self, 40))
        (self.questions.first_box() or self.on).setFocus()

    def _add_body(self) -> None:
        evaluation = self.services.evaluations.get_evaluation(self.row.id)
        form = self.services.form_cache.form(evaluation.form_version_id)
        self.questions = DisputedQuestionsWidget(form, evaluation.answers)
        self.questions.chosenChanged.connect(self._show_count)
        self._outer.addWidget(self.questions, 1)
        self.count = QLabel()
        self.count.setWordWrap(True)
        self._outer.addWidget(self.count)
        for row in self.questions.rows.values():
            row.reason.textChanged.connect(self.error.clear)
            row.box.toggled.connect(lambda _c: self.error.clear())
        self._show_count(0)

    def _show_count(self, chosen: int) -> None:
        if chosen:
            self.count.setText(self.tr("%n question(s) disputed.", "", chosen))
        else:
            self.count.setText(
                self.tr("No question is checked yet: check the ones the agent disputes (Space).")
            )

    def record(self) -> Changes:
        return self.services.disputes.open_dispute(
            self.row.id,
            self.questions.reasons(),
            self.answered_on(),
            self.received_via(),
            self.recorded_by,
            self.note.toPlainText(),
        )

    def _focus_after_refusal(self) -> None:
        if self.questions.focus_missing_reason():
            return
        if not self.questions.chosen_ids() and (box := self.questions.first_box()):
            box.setFocus(Qt.FocusReason.OtherFocusReason)
