"""The Evaluations screen's actions on the agent's answer: Acknowledge…, Dispute…,
History… and Coach… for the selected evaluation, as buttons and shortcuts.

Rules:
- Acknowledge and Dispute are offered only for a submitted evaluation; History for any
  evaluation that is not a draft (a draft has no history worth reading); Coach… (a
  coaching session with the evaluation's agent, the evaluation ticked) too. The service
  checks again when OK is pressed, so a list that is out of date gets a sentence.
- The shortcuts work while the focus is anywhere on the screen and were chosen not to
  clash with the main window's: Ctrl+Shift+K (acknowledge), Ctrl+Shift+D (dispute),
  Ctrl+Shift+H (history), Ctrl+Shift+O (coach; Ctrl+Shift+C would be taken by
  copying in many text fields). Like every screen's own shortcuts they act only while the
  screen has the focus (Ctrl+Shift+D is Duplicate on Forms, Deactivate on People). They
  are Ctrl+Shift so that typing into the search field never triggers them, and the
  buttons have no Alt mnemonic (Alt+H is the Help menu's).
- Dialogs are opened with ``open()``, never ``exec()``, and the one showing is kept in
  ``dialog`` for tests. What a dialog changed is emitted as ``changed`` (``Changes``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from qa_monitor.core.records import EvaluationRow, EvaluationStatus
from qa_monitor.ui.dialogs.agent_response_dialogs import (
    AcknowledgeDialog,
    AgentResponseDialog,
    DisputeDialog,
)
from qa_monitor.ui.dialogs.coaching_session_dialog import CoachingSessionDialog
from qa_monitor.ui.dialogs.evaluation_history_dialog import EvaluationHistoryDialog
from qa_monitor.ui.session import Session

ACKNOWLEDGE_SHORTCUT = "Ctrl+Shift+K"
DISPUTE_SHORTCUT = "Ctrl+Shift+D"
HISTORY_SHORTCUT = "Ctrl+Shift+H"
COACH_SHORTCUT = "Ctrl+Shift+O"


class AgentResponseActions(QObject):
    changed = Signal(object)  # Changes

    def __init__(
        self,
        session: Session,
        screen: QWidget,
        selected: Callable[[], EvaluationRow | None],
    ):
        super().__init__(screen)
        self.session = session
        self._screen = screen
        self._selected = selected
        self.dialog: QDialog | None = None
        self.acknowledge_action = self._action(
            self.tr("Acknowledge…"),
            ACKNOWLEDGE_SHORTCUT,
            self.tr("Record that the agent read and accepted the selected evaluation"),
            self.acknowledge_selected,
        )
        self.dispute_action = self._action(
            self.tr("Dispute…"),
            DISPUTE_SHORTCUT,
            self.tr("Record the questions the agent disputes, with the agent's reasons"),
            self.dispute_selected,
        )
        self.history_action = self._action(
            self.tr("History…"),
            HISTORY_SHORTCUT,
            self.tr("Everything that happened to the selected evaluation, oldest first"),
            self.history_of_selected,
        )
        self.coach_action = self._action(
            self.tr("Coach…"),
            COACH_SHORTCUT,
            self.tr("Record a coaching session with the agent about the selected evaluation"),
            self.coach_selected,
        )
        self._actions = (
            self.acknowledge_action,
            self.dispute_action,
            self.history_action,
            self.coach_action,
        )
        self.buttons = [self._button(a) for a in self._actions]
        self.update(None)

    def _action(self, text: str, keys: str, tip: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self._screen)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(self.tr("{0} ({1})").format(tip, native))
        action.triggered.connect(lambda _checked=False: slot())
        self._screen.addAction(action)
        return action

    def _button(self, action: QAction) -> QPushButton:
        button = QPushButton(action.text())
        button.setToolTip(action.toolTip())
        button.setAccessibleName(action.text().rstrip("…"))
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        return button

    def update(self, row: EvaluationRow | None) -> None:
        """Offer what the selected evaluation's status allows."""
        answerable = row is not None and row.status is EvaluationStatus.SUBMITTED
        self.acknowledge_action.setEnabled(answerable)
        self.dispute_action.setEnabled(answerable)
        not_draft = row is not None and row.status is not EvaluationStatus.DRAFT
        self.history_action.setEnabled(not_draft)
        self.coach_action.setEnabled(not_draft)
        for button, action in zip(self.buttons, self._actions, strict=True):
            button.setEnabled(action.isEnabled())

    # ---------------------------------------------------------------- dialogs
    def acknowledge_selected(self) -> None:
        if (row := self._selected()) is not None:
            self._show_response(
                AcknowledgeDialog(
                    self.session.services, row, self.session.reviewer_id, self._screen
                )
            )

    def dispute_selected(self) -> None:
        if (row := self._selected()) is not None:
            self._show_response(
                DisputeDialog(self.session.services, row, self.session.reviewer_id, self._screen)
            )

    def history_of_selected(self) -> None:
        if (row := self._selected()) is not None:
            self._show(EvaluationHistoryDialog(self.session.services, row, self._screen))

    def coach_selected(self) -> None:
        if (row := self._selected()) is not None and self.dialog is None:
            dialog = CoachingSessionDialog(self.session, evaluation_id=row.id, parent=self._screen)
            self._show_response(dialog)

    def _show_response(self, dialog: AgentResponseDialog | CoachingSessionDialog) -> None:
        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and dialog.changes is not None:
                self.changed.emit(dialog.changes)

        dialog.finished.connect(done)
        self._show(dialog)

    def _show(self, dialog: QDialog) -> None:
        # open(), not exec(): no nested event loop, and tests can drive the dialog directly.
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()
