"""Export revealed calibration sessions to the calibration workbook, for the Calibration
screen to call: ``start_calibration_export(parent, session, session_ids)``.

Rules:
- The user chooses the file first (a save dialog in the folder of the last export,
  named ``calibration-<today>.xlsx``); choosing none does nothing.
- The workbook is written by ``services.calibration_export`` in a worker on its own
  database connection; a progress dialog counts the sessions (after 200 ms) and its
  Cancel stops the export, leaving no file.
- The outcome is said in a message box that does not block: where the workbook went
  (with "Open file" and "Show in folder"), the failure's own sentence (file open in
  another program, folder missing, disk full, a session not revealed), or, for an
  unexpected error, that nothing was written and the details are in the log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from qa_monitor.core.calibration import CalibrationRefusal
from qa_monitor.reports.atomic_file import ExportCancelled, ExportError
from qa_monitor.reports.xlsx_calibration import CalibrationExportResult
from qa_monitor.services import NotAllowedError, NotFoundError, Services, StorageError
from qa_monitor.services.calibration_export import (
    CalibrationScope,
    export_calibration_workbook,
)
from qa_monitor.ui.dialogs.export_jobs import export_folder, generated_by, remember_folder
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.widget_style import ltr
from qa_monitor.ui.workers import Job, JobControl, with_services

__all__ = ["CalibrationExportRun", "start_calibration_export"]

# Failures whose message is a sentence for the user as it stands.
SAID_ERRORS = (ExportError, StorageError, NotAllowedError, NotFoundError, CalibrationRefusal)


def tr(text: str) -> str:
    return QCoreApplication.translate("CalibrationExport", text)


def default_name(today: date) -> str:
    return f"calibration-{today.isoformat()}.xlsx"


class CalibrationExportRun(QObject):
    """One export under way: its worker ``job``, the progress dialog, then the message."""

    done = Signal(object)  # the CalibrationExportResult, or None (failed or cancelled)

    def __init__(
        self, parent: QWidget | None, session: Session, target: Path, scope: CalibrationScope
    ):
        super().__init__(parent)
        self.parent_widget = parent
        self.target = target
        self.result: CalibrationExportResult | None = None
        self.message: QMessageBox | None = None
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        who = generated_by(session.services, session.reviewer_id)

        def run(services: Services, control: JobControl) -> CalibrationExportResult:
            return export_calibration_workbook(
                services,
                target,
                scope,
                generated_by=who,
                progress=control.progress,
                cancelled=control.cancelled,
            )

        self.job = Job(
            with_services(session.path, run), cancel_errors=(ExportCancelled,), parent=self
        )
        self.progress = QProgressDialog(
            tr("Writing {0}… Cancel stops it and leaves no file.").format(target.name),
            tr("Cancel"),
            0,
            0,
            parent,
        )
        self.progress.setWindowTitle(tr("Export calibration sessions"))
        self.progress.setAccessibleName(tr("Export progress"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(200)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.job.cancel)
        self.job.progressed.connect(self._on_progress)
        self.job.succeeded.connect(self._on_done)
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(self._on_cancelled)

    def start(self) -> None:
        self.progress.setValue(0)  # starts the 200 ms timer that shows the dialog
        self.job.start()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, total))
        self.progress.setLabelText(
            tr("Comparing session {0} of {1}…").format(
                ltr(f"{min(done + 1, total):,}"), ltr(f"{total:,}")
            )
        )

    def _finish(self) -> None:
        self.progress.reset()
        self.progress.hide()
        self.progress.deleteLater()

    def _box(self, icon: QMessageBox.Icon, text: str) -> QMessageBox:
        box = QMessageBox(icon, tr("Export calibration sessions"), text, parent=self.parent_widget)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = box
        return box

    def _on_done(self, result: CalibrationExportResult) -> None:
        self._finish()
        self.result = result
        remember_folder(result.path)
        box = self._box(
            QMessageBox.Icon.Information,
            tr("The calibration workbook is written to {0} in {1} s. Sessions in it: {2}.").format(
                result.path, ltr(f"{result.seconds:.1f}"), ltr(f"{result.sessions:,}")
            ),
        )
        open_file = box.addButton(tr("&Open file"), QMessageBox.ButtonRole.AcceptRole)
        folder = box.addButton(tr("Show in &folder"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(open_file)
        open_file.clicked.connect(lambda: self.open_url(QUrl.fromLocalFile(str(result.path))))
        folder.clicked.connect(lambda: self.open_url(QUrl.fromLocalFile(str(result.path.parent))))
        box.open()
        self.done.emit(result)

    def _on_failed(self, exc: object) -> None:
        self._finish()
        if isinstance(exc, SAID_ERRORS):
            text = str(exc)
        else:
            text = tr(
                "The export stopped unexpectedly ({0}). No file was written; the details are "
                "in the log file. Try again, or choose another file name."
            ).format(exc)
        self._box(QMessageBox.Icon.Warning, text).open()
        self.done.emit(None)

    def _on_cancelled(self) -> None:
        self._finish()
        self._box(QMessageBox.Icon.Information, tr("Export cancelled; no file was written.")).open()
        self.done.emit(None)


def start_calibration_export(
    parent: QWidget | None,
    session: Session,
    session_ids: Sequence[int] | None = None,
    *,
    form_id: str | None = None,
    revealed_from: date | None = None,
    revealed_to: date | None = None,
) -> CalibrationExportRun | None:
    """Ask for the file, then export the calibration workbook off the GUI thread (module
    rules): the sessions ``session_ids`` (revealed ones), or without them the revealed
    sessions of ``form_id`` (None: all forms) revealed between the dates (inclusive).
    Returns the run under way, or None when no file was chosen."""
    services = session.services
    zone = ZoneInfo(services.settings.centre().timezone)
    today = services.clock().astimezone(zone).date()
    start = export_folder() / default_name(today)
    path, _ = QFileDialog.getSaveFileName(
        parent, tr("Export calibration sessions"), str(start), tr("Excel workbook (*.xlsx)")
    )
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")
    ids = None if session_ids is None else tuple(session_ids)
    scope = CalibrationScope(form_id, revealed_from, revealed_to, ids)
    run = CalibrationExportRun(parent, session, target, scope)
    run.start()
    return run
