"""An open calibration session as everyone may see it: the call, the form, the
benchmark, the bands, the due date, and who has submitted — never a score or an
answer (the blind rule: ``SessionView`` holds none).

Rules:
- "Score this call" shows for an invited reviewer who has not submitted ("Continue
  scoring" when their draft is on this computer); Edit, Delete and Reveal for whoever
  may manage the session. Reveal is enabled unless the service names a blocker, which
  is then said under the participants.
- The view only shows and asks: its buttons emit ``scoreRequested``, ``editRequested``,
  ``deleteRequested`` and ``revealRequested``; the screen acts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.calibration import Bands
from qa_monitor.core.forms import Channel
from qa_monitor.services.calibration_service import SessionView
from qa_monitor.ui.calibration_texts import bands_sentence
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.designer.designer_labels import channel_label
from qa_monitor.ui.models.calibration_models import ParticipantsModel
from qa_monitor.ui.widgets.record_table import action_button
from qa_monitor.ui.widgets.widget_style import em, ltr, muted_label, scaled_font
from qa_monitor.ui.widgets.widget_style import set_leading_text as put


def call_text(view: SessionView) -> str:
    """The call as a sentence part: its id, agent, day and channel."""
    day = date_text(view.interaction_date)
    # The service's call text starts with the external id when the call has one.
    external = view.call.split(" · ")[0]
    try:
        channel = channel_label(Channel(view.channel))
    except ValueError:
        channel = view.channel
    parts = [ltr(external)] if external and external != view.agent_name else []
    return " · ".join([*parts, view.agent_name, ltr(day), channel])


class OpenSessionView(QWidget):
    scoreRequested = Signal()
    editRequested = Signal()
    deleteRequested = Signal()
    revealRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.view: SessionView | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setFont(scaled_font(self.font(), 1.25, bold=True))
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.title)
        self.blind = muted_label("")
        self.blind.setWordWrap(True)
        column.addWidget(self.blind)
        facts = QFormLayout()
        facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.call, self.form, self.benchmark, self.bands, self.due, self.summary = (
            self._fact(facts, caption)
            for caption in (
                self.tr("Call:"),
                self.tr("Form:"),
                self.tr("Benchmark:"),
                self.tr("Bands:"),
                self.tr("Due:"),
                self.tr("Summary:"),
            )
        )
        column.addLayout(facts)
        self.participants_model = ParticipantsModel(self)
        self.participants = QTableView()
        self.participants.setAccessibleName(self.tr("Participants"))
        self.participants.setModel(self.participants_model)
        self.participants.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.participants.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.participants.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.participants.setTabKeyNavigation(False)
        self.participants.verticalHeader().hide()
        header = self.participants.horizontalHeader()
        header.setSectionResizeMode(ParticipantsModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ParticipantsModel.STATE, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.participants)
        self.mine = QLabel()
        self.mine.setWordWrap(True)
        self.mine.setAccessibleName(self.tr("Your part"))
        column.addWidget(self.mine)
        self.blocker = muted_label("")
        self.blocker.setWordWrap(True)
        self.blocker.setAccessibleName(self.tr("Why it cannot be revealed yet"))
        column.addWidget(self.blocker)
        column.addStretch(1)
        buttons = QHBoxLayout()
        self.score_button = action_button(
            self.tr("&Score this call"),
            self.tr("Open your calibration evaluation of this call on Evaluate (Alt+S)"),
            self.scoreRequested.emit,
        )
        self.edit_button = action_button(
            self.tr("Edi&t…"),
            self.tr("Change the title, reviewers, bands or due date (Alt+T)"),
            self.editRequested.emit,
        )
        self.delete_button = action_button(
            self.tr("De&lete…"),
            self.tr("Delete the session while nobody has scored in it (Alt+L)"),
            self.deleteRequested.emit,
        )
        self.reveal_button = action_button(
            self.tr("&Reveal…"),
            self.tr("Show everyone's answers and scores side by side (Alt+R)"),
            self.revealRequested.emit,
        )
        buttons.addWidget(self.score_button)
        buttons.addStretch(1)
        for button in (self.edit_button, self.delete_button, self.reveal_button):
            buttons.addWidget(button)
        column.addLayout(buttons)

    def _fact(self, form: QFormLayout, caption: str) -> QLabel:
        value = QLabel()
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setAccessibleName(caption.rstrip(":"))
        form.addRow(muted_label(caption), value)
        return value

    def show_view(self, view: SessionView) -> None:
        self.view = view
        record = view.record
        put(self.title, record.title)
        put(
            self.blind,
            self.tr(
                "Open: {0} of {1} have submitted. Answers and scores stay hidden from "
                "everyone until the session is revealed."
            ).format(view.submitted, len(view.participants)),
        )
        put(self.call, call_text(view))
        put(self.form, self.tr("{0}, version {1}").format(view.form_title, view.version))
        if view.expert_name is not None:
            put(self.benchmark, self.tr("The expert, {0}").format(view.expert_name))
        else:
            put(
                self.benchmark,
                self.tr("Consensus — no expert: the panel agrees the answers after the reveal"),
            )
        put(self.bands, bands_sentence(Bands(record.acceptable, record.discuss)))
        if record.due_date is not None:
            put(self.due, date_text(record.due_date))
        else:
            put(self.due, self.tr("No due date"))
        put(self.summary, record.summary or self.tr("No summary yet."))
        self.participants_model.set_rows(view.participants)
        rows = max(len(view.participants), 2)
        height = self.participants.horizontalHeader().sizeHint().height()
        height += rows * self.participants.verticalHeader().defaultSectionSize()
        self.participants.setMaximumHeight(height + 2 * self.participants.frameWidth())
        self.participants.setMinimumHeight(min(height, em(self, 8)))
        put(self.mine, self._my_part(view))
        can_score = view.my_state in ("waiting", "draft")
        self.score_button.setVisible(can_score)
        self.score_button.setText(
            self.tr("Continue &scoring")
            if view.my_state == "draft"
            else self.tr("&Score this call")
        )
        for button in (self.edit_button, self.delete_button, self.reveal_button):
            button.setVisible(view.can_manage)
        self.delete_button.setEnabled(view.submitted == 0)
        self.reveal_button.setEnabled(view.reveal_blocker is None)
        self.reveal_button.setToolTip(
            view.reveal_blocker
            or self.tr("Show everyone's answers and scores side by side (Alt+R)")
        )
        put(self.blocker, view.reveal_blocker or "")
        self.blocker.setVisible(view.can_manage and view.reveal_blocker is not None)

    def _my_part(self, view: SessionView) -> str:
        if view.my_state is None:
            if view.me is None:
                return self.tr(
                    "Choose who you are (Evaluation ▸ Change reviewer) to see your part."
                )
            return self.tr("You are not invited to score this session.")
        if view.my_state == "submitted":
            return self.tr(
                "You have submitted. Your evaluation stays hidden from the others until "
                "the session is revealed."
            )
        if view.my_state == "draft":
            return self.tr(
                "Your draft is on this computer; continue scoring and submit it (Ctrl+Enter "
                "on Evaluate)."
            )
        return self.tr("You are invited and have not scored this call yet.")

    def first_focus(self) -> QWidget:
        return self.score_button if self.score_button.isVisible() else self.participants
