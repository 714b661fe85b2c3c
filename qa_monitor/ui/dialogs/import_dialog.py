"""Import a roster, a call log or survey results: map the columns, see what will happen to
every row, then import off the GUI thread.

Rules:
- Nothing is written until Import: choosing a file (or a column, or an encoding) runs
  the service's preview in a worker, which shows the header it found, the encoding
  with a few lines as decoded, the delimiter or sheet, the first rows as mapped and
  EVERY refused row with its reason.
- A text file's encoding is detected unless the user chooses one in the Encoding combo
  (a short file can fool the detector); the choice is used by the import too, and a
  new file starts from "Detect automatically" again.
- The mapping starts from the one remembered for this kind (when the file has its
  columns) or a guess from the headers; the service remembers it after an import.
- With refused rows, Import stays off until the user chooses to import the other rows
  (the service's partial import); the refused rows can be saved as a report.
- Cancel stops the import before anything is written (the service checks before its
  one write transaction); a finished import emits ``imported(Changes)``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.services import Services
from qa_monitor.services.import_fields import ImportKind
from qa_monitor.services.import_mapping import ColumnMapping
from qa_monitor.services.import_service import (
    ImportCancelled,
    ImportPreview,
    ImportReport,
)
from qa_monitor.tabular_read import BOOK_SUFFIXES, ENCODING_CHOICES
from qa_monitor.ui.dialogs.import_texts import (
    describe_file,
    encoding_text,
    encoding_title,
    failure_text,
    kind_about,
    kind_title,
    status_text,
)
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.import_preview_widget import ImportPreviewWidget
from qa_monitor.ui.workers import Job, JobControl, with_services


class ImportDialog(QDialog):
    imported = Signal(object)  # Changes of a committed import

    def __init__(
        self,
        session: Session,
        kind: ImportKind = ImportKind.ROSTER,
        path: Path | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        self.preview_job: Job | None = None
        self.import_job: Job | None = None
        self._generation = 0
        self.setWindowTitle(self.tr("Import"))
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_row())
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setProperty("role", "muted")
        layout.addWidget(self.about)
        self.file_info = QLabel(self.tr("Choose a .csv or .xlsx file to see its columns."))
        self.file_info.setWordWrap(True)
        self.file_info.setAccessibleName(self.tr("File details"))
        layout.addWidget(self.file_info)
        layout.addLayout(self._encoding_row())
        self.panes = ImportPreviewWidget()
        self.mapping = self.panes.mapping
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Import status"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.panes.reportSaved.connect(
            lambda p: self.status.setText(self.tr("Saved the refused rows to {0}.").format(p))
        )
        self.panes.reportFailed.connect(self.status.setText)
        layout.addWidget(self.panes, 1)
        self.partial = QCheckBox()
        self.partial.toggled.connect(lambda _c: self._update_buttons())
        self.partial.hide()
        layout.addWidget(self.status)
        layout.addWidget(self.partial)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Import progress"))
        self.progress.hide()
        layout.addWidget(self.progress)
        layout.addLayout(self._buttons())
        self._debounce = QTimer(self, singleShot=True, interval=300)
        self._debounce.timeout.connect(lambda: self.refresh_preview(self.mapping.mapping()))
        self.mapping.mappingChanged.connect(lambda _m: self._debounce.start())
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed(preview=False)
        if path is not None:
            self.set_file(path)
        self._update_buttons()

    # ------------------------------------------------------------------ building
    def _top_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("What to import"))
        for kind in ImportKind:
            self.kind.addItem(kind_title(kind), kind)
        kind_caption = QLabel(self.tr("&What to import:"))
        kind_caption.setBuddy(self.kind)
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName(self.tr("File to import"))
        self.path_edit.setPlaceholderText(self.tr("A .csv or .xlsx file"))
        self.path_edit.returnPressed.connect(lambda: self.set_file(Path(self.path_edit.text())))
        file_caption = QLabel(self.tr("&File:"))
        file_caption.setBuddy(self.path_edit)
        self.browse = QPushButton(self.tr("&Choose…"))
        self.browse.clicked.connect(self.choose_file)
        self.recheck = QPushButton(self.tr("Check a&gain"))
        self.recheck.setToolTip(self.tr("Read the file again (after fixing it in Excel)"))
        self.recheck.clicked.connect(lambda: self.refresh_preview(self._current_mapping()))
        for widget, stretch in (
            (kind_caption, 0),
            (self.kind, 0),
            (file_caption, 0),
            (self.path_edit, 1),
            (self.browse, 0),
            (self.recheck, 0),
        ):
            row.addWidget(widget, stretch)
        return row

    def _encoding_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.encoding = QComboBox()
        self.encoding.setAccessibleName(self.tr("Encoding"))
        self.encoding.setToolTip(self.tr("How the text file's letters are stored"))
        self.encoding.addItem(self.tr("Detect automatically"), None)
        for name in ENCODING_CHOICES:
            self.encoding.addItem(encoding_title(name), name)
        self.encoding.currentIndexChanged.connect(
            lambda _i: self.refresh_preview(self._current_mapping())
        )
        caption = QLabel(self.tr("&Encoding:"))
        caption.setBuddy(self.encoding)
        self.encoding_sample = QLabel()
        self.encoding_sample.setTextFormat(Qt.TextFormat.PlainText)
        self.encoding_sample.setAccessibleName(self.tr("The file's first lines as read"))
        self.encoding_sample.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.encoding_sample.setWordWrap(True)
        row.addWidget(caption, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.encoding, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.encoding_sample, 1)
        return row

    def chosen_encoding(self) -> str | None:
        """The encoding the user chose (None: detect it)."""
        data = self.encoding.currentData()
        return None if data is None else str(data)

    def _text_file(self) -> bool:
        path = self.file_path()
        return path is None or path.suffix.lower() not in BOOK_SUFFIXES

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        self.import_button = QPushButton(self.tr("&Import"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        row.addWidget(self.import_button)
        row.addWidget(self.close_button)
        return row

    # ------------------------------------------------------------------ choosing
    def current_kind(self) -> ImportKind:
        return ImportKind(self.kind.currentData())

    def file_path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text).expanduser() if text else None

    def choose_file(self) -> None:
        start = self.file_path()
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the file to import"),
            str(start.parent if start else Path.home()),
            self.tr("Spreadsheets (*.xlsx *.xlsm *.csv *.txt *.tsv);;All files (*)"),
        )
        if path:
            self.set_file(Path(path))

    def set_file(self, path: Path) -> None:
        self.path_edit.setText(str(path))
        with QSignalBlocker(self.encoding):  # another file: detect its encoding afresh
            self.encoding.setCurrentIndex(0)
        self.panes.show_preview(None)
        self.refresh_preview(None)

    def _kind_changed(self, *, preview: bool = True) -> None:
        kind = self.current_kind()
        self.setWindowTitle(self.tr("Import: {0}").format(kind_title(kind)))
        self.about.setText(kind_about(kind))
        self.mapping.clear()
        if preview and self.file_path() is not None:
            self.refresh_preview(None)

    def _current_mapping(self) -> ColumnMapping | None:
        return self.mapping.mapping() if self.mapping.kind is self.current_kind() else None

    # ------------------------------------------------------------------ preview
    def refresh_preview(self, mapping: ColumnMapping | None) -> None:
        """Check the file in a worker with ``mapping`` (None: the remembered or guessed one)."""
        path, kind, encoding = self.file_path(), self.current_kind(), self.chosen_encoding()
        if path is None or self._importing():
            return
        self._debounce.stop()
        self._generation += 1
        generation = self._generation
        self.report = None

        def work(services: Services, _control: JobControl) -> ImportPreview:
            return services.imports.preview(path, kind, mapping, encoding=encoding)

        job = Job(with_services(self.session.path, work), parent=self)
        job.succeeded.connect(lambda p: self._on_preview(generation, p))
        job.failed.connect(lambda e: self._on_preview_failed(generation, e))
        job.finished.connect(self._update_buttons)
        self.preview_job = job
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(self.tr("Reading {0}…").format(path.name))
        job.start()
        self._update_buttons()

    def _on_preview(self, generation: int, preview: ImportPreview) -> None:
        if generation != self._generation:
            return  # a newer check is on its way
        self.preview = preview
        self.progress.hide()
        self.panes.show_preview(preview)
        self.file_info.setText(describe_file(preview))
        self.encoding_sample.setText(encoding_text(preview))
        refused = len({p.row for p in preview.problems})
        good = preview.total_rows - refused
        self.partial.setText(
            self.tr("Import the other {0} rows and skip the {1} refused").format(good, refused)
        )
        self.partial.setChecked(False)
        self.partial.setVisible(bool(preview.problems) and not preview.missing and good > 0)
        self.status.setText(status_text(preview))

    def _on_preview_failed(self, generation: int, exc: object) -> None:
        if generation != self._generation:
            return
        self.preview = None
        self.progress.hide()
        self.panes.show_preview(None)
        self.partial.hide()
        self.encoding_sample.clear()
        self.file_info.setText(self.tr("Choose a .csv or .xlsx file to see its columns."))
        self.status.setText(failure_text(exc, self.file_path()))

    # ------------------------------------------------------------------ importing
    def _importing(self) -> bool:
        return self.import_job is not None and self.import_job.is_running()

    def _previewing(self) -> bool:
        return self.preview_job is not None and self.preview_job.is_running()

    def busy(self) -> bool:
        """A check of the file or an import is pending or running."""
        return self._debounce.isActive() or self._previewing() or self._importing()

    def can_import(self) -> bool:
        p = self.preview
        if p is None or p.missing or self._previewing() or self._importing() or self.report:
            return False
        return not p.problems or self.partial.isChecked()

    def start_import(self) -> bool:
        if not self.can_import() or self.preview is None:
            return False
        path, kind = self.preview.path, self.preview.kind
        mapping, partial = self.preview.mapping, self.partial.isChecked()
        # The encoding the preview was read in, if the user chose it (else detected again,
        # with the same result).
        encoding = self.preview.encoding if self.preview.encoding_chosen else None

        def work(services: Services, control: JobControl) -> ImportReport:
            return services.imports.run_import(
                path,
                kind,
                mapping,
                allow_partial=partial,
                progress=control.progress,
                cancelled=control.cancelled,
                encoding=encoding,
            )

        job = Job(with_services(self.session.path, work), cancel_errors=(ImportCancelled,))
        job.setParent(self)
        job.progressed.connect(self._on_progress)
        job.succeeded.connect(self._on_imported)
        job.failed.connect(self._on_import_failed)
        job.cancelled.connect(self._on_import_cancelled)
        job.finished.connect(self._update_buttons)
        self.import_job = job
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(self.tr("Importing {0}…").format(path.name))
        job.start()
        self._update_buttons()
        return True

    def cancel_import(self) -> None:
        if self.import_job is not None and self._importing():
            self.import_job.cancel()
            self.status.setText(self.tr("Cancelling…"))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))

    def _on_imported(self, report: ImportReport) -> None:
        self.report = report
        self.progress.hide()
        self.partial.hide()
        self.status.setText(report.summary())
        self.panes.show_problems(report.refused)
        if report.committed and report.changes.any:
            self.imported.emit(report.changes)
        self.close_button.setFocus()

    def _on_import_failed(self, exc: object) -> None:
        self.progress.hide()
        self.status.setText(failure_text(exc, self.file_path(), importing=True))

    def _on_import_cancelled(self) -> None:
        self.progress.hide()
        self.status.setText(self.tr("Import cancelled; nothing was written."))

    def _update_buttons(self) -> None:
        importing = self._importing()
        self.import_button.setEnabled(self.can_import())
        self.close_button.setText(self.tr("Cancel") if importing else self.tr("Close"))
        for widget in (self.kind, self.path_edit, self.browse, self.recheck, self.mapping):
            widget.setEnabled(not importing)
        self.encoding.setEnabled(not importing and self._text_file())
        self.partial.setEnabled(not importing)

    # ------------------------------------------------------------------ closing
    def reject(self) -> None:
        # Esc or Cancel while importing stops the import; the dialog stays to say so.
        if self._importing():
            self.cancel_import()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._importing():
            self.cancel_import()
            event.ignore()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self._debounce.stop()
        # A check still running is dropped (it only reads, on its own connection); an
        # import is cancelled and waited for, so it never writes after the dialog is gone.
        self._generation += 1
        if self.import_job is not None and self._importing():
            self.import_job.cancel()
            self.import_job.wait()
        super().done(result)
