"""Give a queued call (overdue or unassigned) to a reviewer, from the Coverage tab.

Rules (as assign_reviewer_dialog):
- Only active reviewers are offered, and never the one who takes calls as the call's
  own agent (the service refuses that too; its sentence is shown above the buttons and
  the dialog stays open). The reviewer holding the call now is chosen first.
- Assign calls ``QueueService.reassign``; ``changes`` is set once it is stored.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.services import Changes, DatabaseBusyError, Services, StorageError
from qa_monitor.services.queue_service import QueueRow
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.dialogs.person_dialogs import FieldError, sentence
from qa_monitor.ui.widgets.widget_style import em

log = logging.getLogger(__name__)
GUI_WRITE_WAIT_S = 0.05


class QueueAssignDialog(QDialog):
    def __init__(self, services: Services, item: QueueRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.item = services, item
        self.changes: Changes | None = None
        title = self.tr("Assign a queued call")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(em(self, 30))
        outer = QVBoxLayout(self)
        day = date_text(item.local_date)
        intro = QLabel(
            self.tr("Who reviews the call {0} of {1} on {2}?").format(
                f"\u2066{item.external_id or '—'}\u2069", item.agent_name, f"\u2066{day}\u2069"
            )
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.reviewer = QComboBox()
        self.reviewer.setAccessibleName(self.tr("Reviewer"))
        candidates = [
            r
            for r in services.people.list_reviewers(active_only=True)
            if r.agent_id != item.agent_id
        ]
        for reviewer in candidates:
            self.reviewer.addItem(reviewer.name, reviewer.id)
        self.reviewer.setCurrentIndex(max(0, self.reviewer.findData(item.reviewer_id)))
        form = QFormLayout()
        caption = QLabel(self.tr("&Reviewer:"))
        caption.setBuddy(self.reviewer)
        form.addRow(caption, self.reviewer)
        outer.addLayout(form)
        self.error = FieldError()
        outer.addWidget(self.error)
        outer.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Assign"))
        self.ok_button.setAccessibleName(self.tr("Assign"))
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        if not candidates:
            self.reviewer.setEnabled(False)
            self.ok_button.setEnabled(False)
            self.error.show_message(
                self.tr(
                    "No active reviewer may take this call. Add a reviewer on the People "
                    "screen, or reactivate one."
                )
            )
        self.reviewer.setFocus()

    def save(self) -> None:
        reviewer_id = self.reviewer.currentData()
        if reviewer_id is None:
            return
        try:
            with self.services.waiting_at_most(GUI_WRITE_WAIT_S):
                changes = self.services.queue.reassign(self.item.id, int(reviewer_id))
        except DatabaseBusyError:
            self.error.show_message(
                self.tr(
                    "Another import or sync is writing to the database; nothing was "
                    "assigned. Press Assign again in a moment."
                )
            )
            return
        except (ValueError, StorageError) as exc:
            if isinstance(exc, StorageError):
                log.warning("Assigning queue item %s failed: %s", self.item.id, exc)
            self.error.show_message(self.tr("{0} Nothing was assigned.").format(sentence(str(exc))))
            return
        self.changes = changes
        self.accept()
