"""Export evaluations (Excel or CSV) or one agent's coaching workbook, off the GUI thread.

Rules:
- What goes out is said in words before anything is written: the filter (evaluations)
  or the agent and period (feedback), with how many evaluations that is.
- Which evaluations count is the dashboard's rule unless the user ticks more: regular
  evaluations that were submitted; boxes add drafts, calibration evaluations and
  self-reviews (``CountingRuleWidget``; they start ticked only when the screen's filter
  names them). The count follows the boxes.
- The writer runs in a worker on its own database connection; the dialog shows its
  progress and Cancel stops it. The writers put the file in place only when it is
  complete, so a cancel or an error leaves no partial file; their message (file open
  in another program, folder missing, disk full) is shown as it is.
- The default file name says what and when (``qa-evaluations-2026-03-01.xlsx``) in the
  folder of the last export; the user's own name is never overwritten by a default.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.reports.atomic_file import ExportCancelled, ExportError
from qa_monitor.reports.counting_rule import CountingRule
from qa_monitor.reports.xlsx_export import ExportResult
from qa_monitor.services import StorageError
from qa_monitor.ui import icons
from qa_monitor.ui.dialogs.export_choices import ExportFormat, ExportMode
from qa_monitor.ui.dialogs.export_jobs import (
    EvaluationsExport,
    ExportWork,
    FeedbackExport,
    evaluations_work,
    export_folder,
    feedback_work,
    generated_by,
    remember_folder,
    safe_file_part,
)
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.agent_period_widget import AgentPeriodWidget
from qa_monitor.ui.widgets.counting_rule_widget import CountingRuleWidget
from qa_monitor.ui.widgets.filter_summary_widget import FilterSummaryWidget
from qa_monitor.ui.widgets.widget_style import em, ltr
from qa_monitor.ui.widgets.wrapping_label import WrappingLabel
from qa_monitor.ui.workers import Job

__all__ = ["ExportDialog", "ExportFormat", "ExportMode"]
NON_BREAKING_HYPHEN, NON_BREAKING_SPACE = "\u2011", "\u00a0"


class ExportDialog(QDialog):
    """Choose the file, watch the progress, then open the file or its folder."""

    def __init__(
        self,
        session: Session,
        flt: EvaluationFilter | None = None,
        *,
        mode: ExportMode = ExportMode.EVALUATIONS,
        fmt: ExportFormat = ExportFormat.XLSX,
        today: date | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.mode = mode
        self.filter = flt or EvaluationFilter()
        services = session.services
        zone = ZoneInfo(services.settings.centre().timezone)
        self.today = today or services.clock().astimezone(zone).date()
        self.job: Job | None = None
        self.export_result: ExportResult | None = None
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self._default_text = ""  # the last file name the dialog chose by itself
        feedback = mode is ExportMode.AGENT_FEEDBACK
        self.setWindowTitle(
            self.tr("Export agent feedback") if feedback else self.tr("Export evaluations")
        )
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 44)
        layout = QVBoxLayout(self)
        self.format = QComboBox(self)
        self.format.setAccessibleName(self.tr("File format"))
        self.format.addItem(self.tr("Excel workbook (.xlsx)"), ExportFormat.XLSX)
        self.format.addItem(self.tr("CSV, one row per evaluation (.csv)"), ExportFormat.CSV)
        self.format.setCurrentIndex(self.format.findData(fmt))
        self.answers = QCheckBox(
            self.tr("Include the Answers sheet (one row per answer; larger)"), self
        )
        self.answers.setChecked(True)
        self.counting = CountingRuleWidget(CountingRule.asked_by(self.filter), self)
        self.counting.changed.connect(self._rule_changed)
        self.summary: FilterSummaryWidget | None = None
        self.agent_period: AgentPeriodWidget | None = None
        if feedback:
            self.format.setCurrentIndex(0)  # a coaching workbook is always Excel
            self.format.hide()
            self.answers.hide()
            intro = QLabel(
                self.tr(
                    "A workbook for one agent's coaching session: key figures beside the "
                    "team's, the score by month, the questions to work on and the latest "
                    "reviewer comments."
                )
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
            self.agent_period = AgentPeriodWidget(services, self.today, self.filter, self)
            self.agent_period.set_rule(self.counting.rule())
            self.agent_period.changed.connect(self._scope_changed)
            layout.addWidget(self.agent_period)
            layout.addWidget(self.counting)
        else:
            self.summary = FilterSummaryWidget(services, self.counted_filter(), self)
            self.count = self.summary.count
            layout.addWidget(self.summary)
            layout.addWidget(self.counting)
            formats = QFormLayout()
            formats.addRow(self.tr("&Format:"), self.format)
            formats.addRow("", self.answers)
            layout.addLayout(formats)
            self.format.currentIndexChanged.connect(self._format_changed)
        layout.addLayout(self._file_row())
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Export progress"))
        self.progress.hide()
        layout.addWidget(self.progress)
        status_row = QHBoxLayout()
        self.status_icon = QLabel()
        self.status_icon.hide()
        self.status = WrappingLabel()  # grows to its sentence: never clipped
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(self.tr("Export status"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status_row.addWidget(self.status_icon)
        status_row.addWidget(self.status, 1)
        layout.addLayout(status_row)
        layout.addStretch(1)
        layout.addLayout(self._buttons())
        self._format_changed()
        self._scope_changed()

    # ------------------------------------------------------------------ building
    def _file_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        caption = QLabel(self.tr("Save &as:"))
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName(self.tr("File to write"))
        caption.setBuddy(self.path_edit)
        self.path_edit.textChanged.connect(lambda _t: self._check_path())
        self.browse = QPushButton(self.tr("&Choose…"))
        self.browse.setToolTip(self.tr("Choose the folder and file name"))
        self.browse.clicked.connect(self.choose_file)
        row.addWidget(caption)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        return row

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.open_file = QPushButton(self.tr("&Open file"))
        self.open_file.clicked.connect(self.open_result)
        self.show_folder = QPushButton(self.tr("Show in &folder"))
        self.show_folder.clicked.connect(self.show_result_folder)
        self.export_button = QPushButton(self.tr("&Export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        for button in (self.open_file, self.show_folder):
            button.hide()
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(self.close_button)
        return row

    # ------------------------------------------------------------------ counting
    def rule(self) -> CountingRule:
        return self.counting.rule()

    def counted_filter(self) -> EvaluationFilter:
        """The screen's filter narrowed to the evaluations the export counts."""
        return self.rule().apply(self.filter)

    def _rule_changed(self) -> None:
        if self.agent_period is not None:
            self.agent_period.set_rule(self.rule())  # recounts and reports the change
        elif self.summary is not None:
            self.count = self.summary.recount(self.counted_filter())
            self._update_buttons()

    # ------------------------------------------------------------------ file name
    def current_format(self) -> ExportFormat:
        return ExportFormat(self.format.currentData())

    def default_name(self) -> str:
        day = self.today.isoformat()
        if self.agent_period is not None:
            agent = safe_file_part(self.agent_period.agent_name())
            return f"coaching-{agent}-{day}.xlsx"
        return f"qa-evaluations-{day}.{self.current_format().value}"

    def _format_changed(self) -> None:
        self.answers.setEnabled(self.current_format() is ExportFormat.XLSX)
        if not self._user_named():
            self._set_default_name()
        else:
            path = Path(self.path_edit.text().strip())
            self.path_edit.setText(str(path.with_suffix("." + self.current_format().value)))

    def _scope_changed(self) -> None:
        if self.agent_period is not None:
            self.count = self.agent_period.count()
            if not self._user_named():
                self._set_default_name()
        self._update_buttons()

    def _set_default_name(self) -> None:
        self._default_text = str(export_folder() / self.default_name())
        self.path_edit.setText(self._default_text)

    def _user_named(self) -> bool:
        """Whether the file name is the user's (typed or chosen), not the default."""
        text = self.path_edit.text().strip()
        return bool(text) and text != self._default_text

    def _check_path(self) -> None:
        if self.job is not None and self.job.is_running():
            return
        path = self.target()
        if path is not None and path.is_file():
            self._say(self.tr("{0} exists and will be replaced.").format(path.name))
        else:
            self._say("")

    def target(self) -> Path | None:
        """The file to write: relative names go to the export folder; no suffix gets one."""
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = export_folder() / path
        if not path.suffix:
            path = path.with_suffix("." + self.current_format().value)
        return path

    def choose_file(self) -> None:
        suffix = self.current_format().value
        filters = {
            ExportFormat.XLSX: self.tr("Excel workbook (*.xlsx)"),
            ExportFormat.CSV: self.tr("CSV file (*.csv)"),
        }
        start = self.target() or export_folder() / self.default_name()
        path, _ = QFileDialog.getSaveFileName(
            self, self.windowTitle(), str(start), filters[self.current_format()]
        )
        if path:
            chosen = Path(path)
            if chosen.suffix.lower() != "." + suffix:
                chosen = chosen.with_name(chosen.name + "." + suffix)
            self.path_edit.setText(str(chosen))

    # ------------------------------------------------------------------ running
    def _work(self, target: Path) -> ExportWork:
        session, period = self.session, self.agent_period
        who = generated_by(session.services, session.reviewer_id)
        if period is not None and (agent_id := period.agent_id()) is not None:
            first, last = period.date_from(), period.date_to()
            spec = FeedbackExport(session.path, target, agent_id, first, last, who, self.rule())
            return feedback_work(spec)
        fmt, answers = self.current_format(), self.answers.isChecked()
        export = EvaluationsExport(
            session.path, target, self.filter, fmt, answers, who, self.rule()
        )
        return evaluations_work(export)

    def start_export(self) -> bool:
        """Check the target and start the writer; False (with a message) if it cannot."""
        if self.job is not None and self.job.is_running():
            return False
        target = self.target()
        wanted = "." + self.current_format().value
        if target is None:
            self._say(self.tr("Choose a file to write (Choose… or type a name)."))
            return False
        if target.suffix.lower() != wanted:
            self._say(
                self.tr("{0} should end in {1}; change the name or the format.").format(
                    target.name, wanted
                )
            )
            return False
        self.path_edit.setText(str(target))
        self.export_result = None
        self.open_file.setDefault(False)
        self.export_button.setDefault(True)
        self.job = Job(self._work(target), cancel_errors=(ExportCancelled,), parent=self)
        self.job.progressed.connect(self._on_progress)
        self.job.succeeded.connect(self._on_done)
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(self._on_cancelled)
        self.job.finished.connect(self._update_buttons)
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.progress.show()
        self._say_about_file(
            self.tr("Writing {0}… Cancel stops it and leaves no file."), target, "{0}"
        )
        self.job.start()
        self._update_buttons()
        return True

    def cancel_export(self) -> None:
        if self.job is not None and self.job.is_running():
            self.job.cancel()
            self._say(self.tr("Cancelling…"))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        self.progress.setFormat(
            self.tr("{0} of {1} rows").format(ltr(f"{done:,}"), ltr(f"{total:,}"))
        )

    def _on_done(self, result: ExportResult) -> None:
        self.export_result = result
        remember_folder(result.path)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress.setFormat(self.tr("Done"))
        text = self.tr("Exported %Ln evaluation(s) to {0} in {1} s.", "", result.evaluations)
        self._say_about_file(
            text.replace("{1}", ltr(f"{result.seconds:.1f}")),
            result.path,
            "{0}",
            "mdi6.check-circle-outline",
        )
        self.export_button.setDefault(False)
        self.open_file.setDefault(True)
        self.open_file.setFocus()

    def _on_failed(self, exc: object) -> None:
        self.progress.hide()
        if isinstance(exc, ExportError | StorageError):
            self._say(str(exc), "mdi6.alert-circle-outline")
        else:
            self._say(
                self.tr(
                    "The export stopped unexpectedly ({0}). No file was written; the details "
                    "are in the log file. Try again, or choose another file name."
                ).format(exc),
                "mdi6.alert-circle-outline",
            )

    def _on_cancelled(self) -> None:
        self.progress.hide()
        self._say(self.tr("Export cancelled; no file was written."))

    def _say_about_file(
        self, sentence: str, path: Path, slot: str, icon: str | None = None
    ) -> None:
        """``sentence`` with the file's name at ``slot``, kept on one line (a name like
        qa-evaluations-2026-12-08.xlsx was broken at its hyphens, mid-phrase): its
        hyphens and spaces become non-breaking ones; a very long name is shortened in
        the middle, and the tooltip has the whole path."""
        name = self.fontMetrics().elidedText(path.name, Qt.TextElideMode.ElideMiddle, em(self, 30))
        unbroken = name.replace("-", NON_BREAKING_HYPHEN).replace(" ", NON_BREAKING_SPACE)
        self._say(sentence.replace(slot, ltr(unbroken)), icon)
        self.status.setToolTip(str(path))

    def _say(self, text: str, icon: str | None = None) -> None:
        """Show ``text``; ``icon`` (an icon name) marks success or failure, never alone."""
        self.status.setToolTip("")
        self.status.setText(text)
        self.status_icon.setVisible(icon is not None)
        if icon is not None:
            size = self.fontMetrics().height()
            color = self.palette().text().color()
            self.status_icon.setPixmap(icons.icon(icon, color=color).pixmap(size, size))

    def _update_buttons(self) -> None:
        running = self.job is not None and self.job.is_running()
        done = self.export_result is not None and not running
        self.export_button.setEnabled(not running and self.count > 0)
        self.close_button.setText(self.tr("Cancel") if running else self.tr("Close"))
        self.close_button.setToolTip(self.tr("Stop the export (Esc)") if running else "")
        for widget in (self.path_edit, self.browse, self.format, self.answers, self.counting):
            widget.setEnabled(not running and (widget is not self.answers or self._is_xlsx()))
        if self.agent_period is not None:
            self.agent_period.setEnabled(not running)
        self.open_file.setVisible(done)
        self.show_folder.setVisible(done)

    def _is_xlsx(self) -> bool:
        return self.current_format() is ExportFormat.XLSX

    # ------------------------------------------------------------------ after
    def open_result(self) -> None:
        if self.export_result is not None:
            self.open_url(QUrl.fromLocalFile(str(self.export_result.path)))

    def show_result_folder(self) -> None:
        if self.export_result is not None:
            self.open_url(QUrl.fromLocalFile(str(self.export_result.path.parent)))

    def reject(self) -> None:
        # Esc or Cancel while writing stops the export; the dialog stays to say so.
        if self.job is not None and self.job.is_running():
            self.cancel_export()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.job is not None and self.job.is_running():
            self.cancel_export()
            event.ignore()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        if self.job is not None and self.job.is_running():
            self.job.cancel()
            self.job.wait()
        super().done(result)
