"""Skip a queued call, with the reason asked for (a missing recording, a wrong call).

Rules:
- The reason is required: the service refuses an empty one, and its sentence is shown
  under the field with whatever was typed kept; the dialog stays open.
- Skip calls ``QueueService.skip`` on the GUI thread (one row); ``changes`` is set once
  it is stored.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.services import Changes, DatabaseBusyError, Services, StorageError
from qa_monitor.services.queue_service import QueueRow
from qa_monitor.ui.dialogs.person_dialogs import FieldError, sentence
from qa_monitor.ui.widgets.widget_style import em

log = logging.getLogger(__name__)
GUI_WRITE_WAIT_S = 0.05


class SkipCallDialog(QDialog):
    def __init__(self, services: Services, item: QueueRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.item = services, item
        self.changes: Changes | None = None
        title = self.tr("Skip a queued call")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(em(self, 30))
        outer = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Why is the call {0} of {1} skipped? The reason shows on the Coverage tab; "
                "the call can be reopened later."
            ).format(f"\u2066{item.external_id or '—'}\u2069", item.agent_name)
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("For example: recording missing"))
        caption = QLabel(self.tr("&Reason:"))
        caption.setBuddy(self.reason)
        form.addRow(caption, self.reason)
        outer.addLayout(form)
        self.error = FieldError()
        outer.addWidget(self.error)
        self.reason.textEdited.connect(lambda _t: self.error.clear())
        outer.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Skip"))
        self.ok_button.setAccessibleName(self.tr("Skip"))
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.reason.setFocus()

    def save(self) -> None:
        try:
            with self.services.waiting_at_most(GUI_WRITE_WAIT_S):
                changes = self.services.queue.skip(self.item.id, self.reason.text())
        except DatabaseBusyError:
            self.error.show_message(
                self.tr(
                    "Another import or sync is writing to the database; the call was not "
                    "skipped. Press Skip again in a moment."
                )
            )
            return
        except (ValueError, StorageError) as exc:  # NotAllowedError is a ValueError
            if isinstance(exc, StorageError):
                log.warning("Skipping queue item %s failed: %s", self.item.id, exc)
            self.error.show_message(sentence(str(exc)))
            self.reason.setFocus()
            return
        self.changes = changes
        self.accept()
