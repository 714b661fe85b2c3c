"""Database ▸ Check: every check of ``qa-monitor check``, off the GUI thread, in words."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.services.check_service import (
    DEFAULT_CHECKS,
    CheckCancelled,
    CheckReport,
    run_checks,
)
from qa_monitor.ui.workers import Job, JobControl


class CheckDialog(QDialog):
    """Runs the checks on ``path`` when shown; Cancel stops them (nothing is changed)."""

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = path
        self.report: CheckReport | None = None
        self.setWindowTitle(self.tr("Check database"))
        self.status = QLabel(self.tr("Checking {0}…").format(path))
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setAccessibleName(self.tr("Progress of the check"))
        self.findings = QPlainTextEdit()
        self.findings.setReadOnly(True)
        self.findings.setAccessibleName(self.tr("What the check found"))
        self.findings.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self._cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.findings, 1)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().horizontalAdvance("M") * 48, self.sizeHint().height())
        self.job = Job(self._work, cancel_errors=(CheckCancelled,), parent=self)
        self.job.progressed.connect(self._progressed)
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self.reject)
        self.job.start()

    def _work(self, control: JobControl) -> CheckReport:
        texts = [c.running for c in DEFAULT_CHECKS]

        def progress(text: str) -> None:
            index = texts.index(text) if text in texts else 0
            control.progress(index, len(texts))

        return run_checks(self.path, progress=progress, cancelled=control.cancelled)

    def _progressed(self, done: int, total: int) -> None:
        if 0 <= done < len(DEFAULT_CHECKS):
            self.status.setText(DEFAULT_CHECKS[done].running)

    def _finish(self, text: str, lines: list[str]) -> None:
        self.bar.hide()
        self.status.setText(text)
        if lines:
            self.findings.setPlainText("\n\n".join(lines))
            self.findings.show()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus(
            Qt.FocusReason.OtherFocusReason
        )

    def _done(self, report: object) -> None:
        assert isinstance(report, CheckReport)
        self.report = report
        if report.ok:
            self._finish(
                self.tr("No problems were found in {0} ({1} checks, {2:.1f} s).").format(
                    self.path, len(report.checks), report.seconds
                ),
                [],
            )
        else:
            self._finish(
                self.tr("The check found problems in {0}; what to do is said below.").format(
                    self.path
                ),
                [f.message for f in report.findings],
            )

    def _failed(self, exc: object) -> None:
        self._finish(self.tr("The check could not run: {0}").format(exc), [])

    def _cancel_or_close(self) -> None:
        if self.job.is_running():
            self.status.setText(self.tr("Stopping the check…"))
            self.job.cancel()
        else:
            self.reject()

    def done(self, result: int) -> None:
        self.job.cancel()
        self.job.wait()
        super().done(result)
