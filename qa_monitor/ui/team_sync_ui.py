"""Team sync in the main window: its actions (File ▸ Sync now F5, Sync conflicts, Team
settings), the status bar indicator, the progress of a large sync and the sync on close.

Rules:
- Syncs run in ``TeamSyncRunner`` (a worker); this module only shows them.
- A sync bringing more than ``LARGE_SYNC`` changes (the first one into an empty
  installation) shows a progress window that does not block the app; Cancel stops after
  the current batch, and the rest follows at the next sync.
- On close, changes made here that were not sent yet are sent first, with a small
  progress window whose button closes at once: the journal keeps what was not sent,
  and the next start sends it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QProgressDialog

from qa_monitor.services import Changes
from qa_monitor.services.sync_transport import SyncReport
from qa_monitor.services.team_sync import SyncStatus
from qa_monitor.ui.dialogs.sync_conflicts_dialog import SyncConflictsDialog
from qa_monitor.ui.session import Session
from qa_monitor.ui.sync_texts import number
from qa_monitor.ui.team_sync_runner import FIRST_SYNC_DELAY_MS, TeamSyncRunner
from qa_monitor.ui.widgets.sync_indicator_widget import SyncIndicatorWidget

SYNC_SHORTCUT = "F5"
LARGE_SYNC = 2000
CLOSE_DIALOG_AFTER_MS = 300
CLOSE_CANCEL_WAIT_S = 5.0


def now_utc() -> datetime:
    return datetime.now(UTC)


class TeamSyncUi(QObject):
    def __init__(
        self,
        window: QMainWindow,
        *,
        apply_changes: Callable[[Changes], None],
        show_team_settings: Callable[[], None],
        open_evaluation: Callable[[int], None],
        first_delay_ms: int = FIRST_SYNC_DELAY_MS,
        now: Callable[[], datetime] = now_utc,
    ):
        super().__init__(window)
        self.window = window
        self._apply_changes = apply_changes
        self._open_evaluation = open_evaluation
        self._first_delay_ms = first_delay_ms
        self.session: Session | None = None
        self.runner: TeamSyncRunner | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.close_dialog: QProgressDialog | None = None
        self.sync_action = QAction(self.tr("S&ync now"), self)
        self.sync_action.setShortcut(QKeySequence(SYNC_SHORTCUT))
        self.sync_action.setToolTip(
            self.tr("Send your changes to the team and receive theirs ({0})").format(
                SYNC_SHORTCUT
            )
        )
        self.sync_action.triggered.connect(lambda _c=False: self.sync_now())
        self.conflicts_action = QAction(self.tr("Sync &conflicts…"), self)
        self.conflicts_action.setToolTip(
            self.tr("Changes two people made offline at the same time, side by side")
        )
        self.conflicts_action.triggered.connect(lambda _c=False: self.show_conflicts())
        self.settings_action = QAction(self.tr("&Team settings…"), self)
        self.settings_action.setToolTip(self.tr("Settings ▸ Team: folder or server, how often"))
        self.settings_action.triggered.connect(lambda _c=False: show_team_settings())
        self.actions = [self.sync_action, self.conflicts_action, self.settings_action]
        self.indicator = SyncIndicatorWidget(self.actions, now, window)

    # ---------------------------------------------------------------- session
    def attach(self, session: Session) -> None:
        """Follow ``session``'s database (at start and after switching databases)."""
        self.stop()
        self.session = session
        runner = TeamSyncRunner(
            session.services.team_sync, self, first_delay_ms=self._first_delay_ms
        )
        runner.statusChanged.connect(self._on_status)
        runner.started.connect(lambda: self.indicator.show_progress((0, 0)))
        runner.progressed.connect(self._on_progress)
        runner.finished.connect(self._on_finished)
        runner.failed.connect(self.indicator.show_problem)
        runner.changesArrived.connect(self._apply_changes)
        self.runner = runner
        self.indicator.zone = session.services.settings.centre().timezone
        self.indicator.show_problem("")

    def stop(self) -> None:
        if self.runner is not None:
            self.runner.stop()
            self.runner.deleteLater()
            self.runner = None
        self._close_progress()

    # ---------------------------------------------------------------- actions
    def sync_now(self) -> bool:
        if self.runner is None:
            return False
        if not self.runner.enabled():
            self.indicator.show_problem("")
            self.window.statusBar().showMessage(
                self.tr("Team sync is off. Choose a team folder or server in Settings ▸ Team."),
                8000,
            )
            return False
        return self.runner.sync_now()

    def show_conflicts(self) -> SyncConflictsDialog | None:
        if self.session is None:
            return None
        dialog = SyncConflictsDialog(self.session, self.window)
        if self.runner is not None:
            dialog.dismissed.connect(self.runner.refresh_status)
        dialog.openEvaluationRequested.connect(self._open_evaluation)
        dialog.open()  # window-modal; Esc or Close ends it
        dialog.finished.connect(dialog.deleteLater)
        return dialog

    def settings_saved(self, _changes: object = None) -> None:
        if self.runner is not None:
            self.runner.reload_settings()

    def set_password(self, password: str) -> None:
        if self.runner is not None:
            self.runner.password = password or None

    def local_change(self, _changes: object = None) -> None:
        """A screen changed something: the count of changes waiting moved (and the
        centre's time zone may have)."""
        if self.runner is not None:
            self.runner.refresh_status_soon()
        if self.session is not None:
            self.indicator.zone = self.session.services.settings.centre().timezone

    # ---------------------------------------------------------------- feedback
    def _on_status(self, status: SyncStatus) -> None:
        self.indicator.show_status(status)
        count = status.conflicts
        self.conflicts_action.setText(
            self.tr("Sync &conflicts (%n)…", "", count) if count else self.tr("Sync &conflicts…")
        )

    def _on_progress(self, done: int, total: int) -> None:
        self.indicator.show_progress((done, total))
        if self.close_dialog is not None:
            return
        if self.progress_dialog is None and max(done, total) >= LARGE_SYNC:
            self.progress_dialog = self._progress_window()
        if self.progress_dialog is not None:
            self.progress_dialog.setRange(0, total if total > 0 else 0)
            if total > 0:
                self.progress_dialog.setValue(min(done, total))
                text = self.tr("Sending your changes to the team: {0} of {1}.").format(
                    number(done), number(total)
                )
            else:
                text = self.tr("Receiving the team's changes: {0} so far.").format(number(done))
            self.progress_dialog.setLabelText(
                text + "\n" + self.tr("You can keep working while it runs.")
            )

    def _progress_window(self) -> QProgressDialog:
        dialog = QProgressDialog(self.window)
        dialog.setWindowTitle(self.tr("Team sync"))
        dialog.setObjectName("syncProgress")
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setCancelButtonText(self.tr("Stop for now"))
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self._cancel_from_dialog)
        dialog.show()
        return dialog

    def _cancel_from_dialog(self) -> None:
        if self.runner is not None:
            self.runner.cancel()
        self.window.statusBar().showMessage(
            self.tr("Sync stopped. What arrived is kept; the rest follows at the next sync."),
            8000,
        )

    def _on_finished(self, _report: SyncReport | None) -> None:
        self.indicator.show_progress(None)
        if self.runner is not None and not self.runner.problem:
            self.indicator.show_problem("")
        self._close_progress()

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect(self._cancel_from_dialog)
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    # ---------------------------------------------------------------- closing
    def sync_before_close(self, then: Callable[[], None]) -> bool:
        """Send what is waiting before the window closes. True: a sync runs and
        ``then()`` follows when it ends or the user closes at once; False: nothing to
        send, close now."""
        runner = self.runner
        if runner is None or not runner.enabled():
            return False
        if not runner.is_running():
            # Two key lookups on the GUI thread: fine once, at close.
            if self.session is None or self.session.services.team_sync.status().pending == 0:
                return False
            if not runner.sync_now(publish=False):  # closing waits for no snapshot
                return False
        dialog = QProgressDialog(
            self.tr("Sending your changes to the team before QA Monitor closes…"),
            self.tr("Close now"),
            0,
            0,
            self.window,
        )
        dialog.setObjectName("closeSync")
        dialog.setWindowTitle(self.tr("Team sync"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(CLOSE_DIALOG_AFTER_MS)
        self.close_dialog = dialog
        ended = False

        def finish() -> None:
            nonlocal ended
            if ended:
                return
            ended = True
            runner.finished.disconnect(on_finished)
            dialog.canceled.disconnect(close_now)
            dialog.close()
            dialog.deleteLater()
            self.close_dialog = None
            then()

        def on_finished(_report: object) -> None:
            finish()

        def close_now() -> None:
            # Stop after the current batch (its transaction rolls back or completes);
            # the journal keeps everything not sent for the next start.
            runner.cancel()
            runner.wait(CLOSE_CANCEL_WAIT_S)
            finish()

        runner.finished.connect(on_finished)
        dialog.canceled.connect(close_now)
        QTimer.singleShot(CLOSE_DIALOG_AFTER_MS, lambda: None if ended else dialog.show())
        return True
