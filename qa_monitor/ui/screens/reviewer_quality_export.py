"""The Reviewer quality screen's "Export to Excel…": the report on screen, written to a
workbook the user names, off the GUI thread.

Rules:
- The workbook holds the report the screen shows (immutable, already read): what the
  user sees is what the file holds, and nothing is read again.
- The file dialog opens in the folder of the last export with a name that says what
  and when (``reviewer-quality-2026-11-14.xlsx``); a name without .xlsx gets it.
- The writer (``reports.xlsx_reviewer_quality``) runs in a ``workers.Job``; its texts
  are translated before, on the GUI thread. The outcome is one sentence, as the export
  dialog words it, with a mark that is also a word (never colour alone): where the file
  went, or why there is none (an ``ExportError``'s own sentence; "stopped unexpectedly"
  for a bug, whose details go to the log). The writer never leaves a partial file.
- Whoever owns the exporter calls ``stop()`` before going away (a running export is
  cancelled and waited for).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from qa_monitor.reports.atomic_file import ExportCancelled, ExportError
from qa_monitor.reports.xlsx_export import ExportResult
from qa_monitor.reports.xlsx_reviewer_quality import (
    CONTEXT,
    ENGLISH,
    WorkbookTexts,
    export_reviewer_quality,
)
from qa_monitor.services import StorageError
from qa_monitor.services.reviewer_quality_service import ReviewerQualityReport
from qa_monitor.ui.dialogs.export_jobs import export_folder, generated_by, remember_folder
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.widget_style import ltr
from qa_monitor.ui.workers import Job, JobControl

log = logging.getLogger(__name__)
SUFFIX = ".xlsx"


def workbook_texts() -> WorkbookTexts:
    """The workbook's texts in the user's language (they are marked in the writer)."""
    return ENGLISH.translated(lambda text: QCoreApplication.translate(CONTEXT, text))


class ReviewerQualityExporter(QObject):
    """Asks for the file, runs the writer, says how it went (``said``)."""

    said = Signal(str, str)  # the sentence; "done", "failed" or "" (under way)
    running_changed = Signal(bool)

    def __init__(self, session: Session, parent: QWidget):
        super().__init__(parent)
        self.session = session
        self.window = parent
        self.job: Job | None = None
        self.result: ExportResult | None = None

    def is_running(self) -> bool:
        return self.job is not None and self.job.is_running()

    def default_path(self, today: date) -> Path:
        return export_folder() / f"reviewer-quality-{today.isoformat()}{SUFFIX}"

    def ask_path(self, today: date) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            self.window,
            self.tr("Export reviewer quality to Excel"),
            str(self.default_path(today)),
            self.tr("Excel workbook (*.xlsx)"),
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == SUFFIX else path.with_name(path.name + SUFFIX)

    def export(self, report: ReviewerQualityReport, today: date) -> bool:
        """Ask where, then write ``report`` there in the background; False if nothing
        was started (already running, or the dialog was cancelled)."""
        if self.is_running():
            return False
        target = self.ask_path(today)
        if target is None:
            return False
        services = self.session.services
        zone = services.settings.centre().timezone
        moment = services.clock().astimezone(ZoneInfo(zone))
        who = generated_by(services, self.session.reviewer_id)
        texts = workbook_texts()

        def work(control: JobControl) -> ExportResult:
            return export_reviewer_quality(
                report,
                target,
                exported_at=moment,
                timezone=zone,
                generated_by=who,
                texts=texts,
                cancelled=control.cancelled,
            )

        self.result = None
        self.job = Job(work, cancel_errors=(ExportCancelled,), parent=self)
        self.job.succeeded.connect(self._on_done)
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(self._on_cancelled)
        self.job.finished.connect(lambda: self.running_changed.emit(False))
        self.job.start()
        self.said.emit(self.tr("Writing {0}…").format(target.name), "")
        self.running_changed.emit(True)
        return True

    def _on_done(self, result: ExportResult) -> None:
        self.result = result
        remember_folder(result.path)
        self.said.emit(
            self.tr("Exported the reviewer quality report to {0} in {1} s.").format(
                result.path.name, ltr(f"{result.seconds:.1f}")
            ),
            "done",
        )

    def _on_failed(self, exc: object) -> None:
        if isinstance(exc, ExportError | StorageError):
            self.said.emit(str(exc), "failed")
            return
        self.said.emit(
            self.tr(
                "The export stopped unexpectedly ({0}). No file was written; the details "
                "are in the log file. Try again, or choose another file name."
            ).format(exc),
            "failed",
        )

    def _on_cancelled(self) -> None:
        self.said.emit(self.tr("Export cancelled; no file was written."), "failed")

    def stop(self) -> None:
        """Cancel a running export and wait until its worker has let go."""
        if self.job is not None and self.job.is_running():
            self.job.cancel()
            self.job.wait()
