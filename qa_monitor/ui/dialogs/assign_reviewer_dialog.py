"""Ask a reviewer to re-review an open dispute.

Rules:
- Only active reviewers other than the one who scored the evaluation are offered (the
  service refuses the scorer too, with a sentence). The one already asked is chosen
  first, else the session's reviewer when they may re-review it.
- Assign calls ``DisputeService.assign`` with the session's reviewer as who asked; a
  refusal or a storage error is shown above the buttons and the dialog stays open.
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

from qa_monitor.services import Changes, DatabaseBusyError, StorageError
from qa_monitor.services.dispute_list_service import QueueItem
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.dialogs.person_dialogs import FieldError, sentence
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.widget_style import em

log = logging.getLogger(__name__)
GUI_WRITE_WAIT_S = 0.05


class AssignReviewerDialog(QDialog):
    """Choose the re-reviewer of ``item``; ``changes`` is set once it is stored."""

    def __init__(self, session: Session, item: QueueItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.item = item
        self.changes: Changes | None = None
        title = self.tr("Assign a re-reviewer")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(em(self, 28))
        outer = QVBoxLayout(self)
        day = date_text(item.interaction_date)
        intro = QLabel(
            self.tr(
                "Who re-reviews {0}'s dispute of the evaluation of the interaction of {1}? "
                "{2} scored it, so another reviewer re-reviews it."
            ).format(item.agent_name, day, item.reviewer_name)
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.reviewer = QComboBox()
        self.reviewer.setAccessibleName(self.tr("Re-reviewer"))
        candidates = [
            r
            for r in session.services.people.list_reviewers(active_only=True)
            if r.id != item.reviewer_id
        ]
        for reviewer in candidates:
            self.reviewer.addItem(reviewer.name, reviewer.id)
        preferred = item.re_reviewer_id or session.reviewer_id
        self.reviewer.setCurrentIndex(max(0, self.reviewer.findData(preferred)))
        form = QFormLayout()
        caption = QLabel(self.tr("&Re-reviewer:"))
        caption.setBuddy(self.reviewer)
        form.addRow(caption, self.reviewer)
        outer.addLayout(form)
        self.error = FieldError()
        outer.addWidget(self.error)
        outer.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Assign"))
        self.ok_button.setAccessibleName(self.tr("Assign"))
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        if not candidates:
            self.reviewer.setEnabled(False)
            self.ok_button.setEnabled(False)
            self.error.show_message(
                self.tr(
                    "No other active reviewer can re-review it. Add a reviewer on the "
                    "People screen, or reactivate one."
                )
            )
        self.reviewer.setFocus()

    def save(self) -> None:
        reviewer_id = self.reviewer.currentData()
        if reviewer_id is None:
            return
        services = self.session.services
        try:
            with services.waiting_at_most(GUI_WRITE_WAIT_S):
                changes = services.disputes.assign(
                    self.item.evaluation_id, int(reviewer_id), self.session.reviewer_id
                )
        except DatabaseBusyError:
            self.error.show_message(
                self.tr(
                    "Another import or sync is writing to the database; nothing was "
                    "assigned. Press Assign again in a moment."
                )
            )
            return
        except (ValueError, StorageError) as exc:  # NotAllowedError is a ValueError
            if isinstance(exc, StorageError):
                log.warning("Assigning evaluation %s failed: %s", self.item.evaluation_id, exc)
            self.error.show_message(self.tr("{0} Nothing was assigned.").format(sentence(str(exc))))
            return
        self.changes = changes
        self.accept()
