"""The import dialog's middle: the column mapping on the leading side; the first rows as
mapped and every refused row (with "Save report…") on the other.

It only shows a preview and lets the user change the mapping (``mapping.mappingChanged``);
checking and importing belong to the dialog and the service.
"""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.services.import_service import ImportPreview, RowProblem
from qa_monitor.ui.models.import_preview_models import ImportSampleModel, RowProblemsModel
from qa_monitor.ui.widgets.column_mapping_widget import ColumnMappingWidget


def write_problem_report(path: Path, problems: list[RowProblem]) -> None:
    """The refused rows as CSV (UTF-8 with BOM, so Excel shows every script) or as text
    lines ("calls.csv, row 5, column 'Start': ...") for any other suffix."""
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["File", "Row", "Column", "Reason"])
            writer.writerows([p.file, p.row, p.column or "", p.reason] for p in problems)
    else:
        path.write_text("".join(f"{p}\n" for p in problems), encoding="utf-8")


def _table(model: QAbstractItemModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    return view


class ImportPreviewWidget(QSplitter):
    reportSaved = Signal(object)  # Path
    reportFailed = Signal(str)  # a sentence

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.mapping = ColumnMappingWidget()
        self.mapping_scroll = QScrollArea()
        self.mapping_scroll.setWidget(self.mapping)
        self.mapping_scroll.setWidgetResizable(True)
        self.mapping_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.mapping_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        mapping_box = QGroupBox(self.tr("Columns: which column feeds each field"))
        QVBoxLayout(mapping_box).addWidget(self.mapping_scroll)
        self.sample_model = ImportSampleModel(self)
        self.sample_view = _table(self.sample_model, self.tr("First rows as mapped"))
        sample_box = QGroupBox(self.tr("First rows, as they will be imported"))
        QVBoxLayout(sample_box).addWidget(self.sample_view)
        self.problem_model = RowProblemsModel(self)
        self.problem_view = _table(self.problem_model, self.tr("Refused rows"))
        self.problem_view.verticalHeader().hide()
        self.problem_box = QGroupBox(self.tr("Refused rows"))
        problems = QVBoxLayout(self.problem_box)
        problems.addWidget(self.problem_view)
        self.save_report_button = QPushButton(self.tr("&Save report…"))
        self.save_report_button.setToolTip(self.tr("Save the refused rows to a .csv or .txt file"))
        self.save_report_button.clicked.connect(self.choose_report_file)
        self.save_report_button.setEnabled(False)
        problems.addWidget(self.save_report_button, 0, Qt.AlignmentFlag.AlignRight)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(sample_box)
        right.addWidget(self.problem_box)
        self.addWidget(mapping_box)
        self.addWidget(right)
        self.setStretchFactor(1, 1)
        self.setChildrenCollapsible(False)
        self.source: Path | None = None

    def show_preview(self, preview: ImportPreview | None) -> None:
        if preview is None:
            self.mapping.clear()
            self.sample_model.set_preview(None)
            self.show_problems(())
            return
        self.source = preview.path
        first = preview.sample[0][1] if preview.sample else ()
        self.mapping.set_columns(preview.kind, preview.headers, preview.mapping, first)
        bar = self.mapping_scroll.verticalScrollBar().sizeHint().width()
        self.mapping_scroll.setMinimumWidth(self.mapping.sizeHint().width() + bar)
        self.sample_model.set_preview(preview)
        self.sample_view.resizeColumnsToContents()
        self.show_problems(preview.problems)

    def show_problems(self, problems: tuple[RowProblem, ...] | list[RowProblem]) -> None:
        self.problem_model.set_problems(problems)
        self.problem_view.resizeColumnToContents(0)
        self.problem_view.resizeColumnToContents(1)
        self.problem_box.setTitle(
            self.tr("Refused rows ({0})").format(len(problems))
            if problems
            else self.tr("Refused rows: none")
        )
        self.save_report_button.setEnabled(bool(problems))

    # ------------------------------------------------------------------ report
    def choose_report_file(self) -> None:
        source = self.source or Path.home() / "import.csv"
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the refused rows"),
            str(source.with_name(f"{source.stem}-refused-rows.csv")),
            self.tr("CSV file (*.csv);;Text file (*.txt)"),
        )
        if path:
            self.save_report(Path(path))

    def save_report(self, path: Path) -> bool:
        """Write the refused rows to ``path``; says how it went by a signal."""
        try:
            write_problem_report(path, self.problem_model.problems())
        except OSError as exc:
            self.reportFailed.emit(
                self.tr("Cannot write {0}: {1}. Choose another folder or file name.").format(
                    path, exc.strerror or exc
                )
            )
            return False
        self.reportSaved.emit(path)
        return True
