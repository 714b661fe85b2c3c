"""Import an Excel (or CSV) scorecard as a draft form, seeing every row before anything
is stored.

The preview shows what became of each row (bad rows tinted, marked "Left out" and
their reasons beside them), a list of every problem by row, and what was assumed.
The good rows become the draft, which opens in the editor; the problems can be saved
as a text report to fix the sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.forms import Form
from qa_monitor.formfiles.scorecard_sheet import ScorecardImport, read_scorecard, sheets
from qa_monitor.ui.date_texts import wall_text
from qa_monitor.ui.dialogs.new_form_dialog import FormIdentityFields
from qa_monitor.ui.models.scorecard_rows_model import PROBLEMS_COLUMN, ScorecardRowsModel
from qa_monitor.ui.widgets.widget_style import em, muted_label
from qa_monitor.ui.workers import wait_for_worker

ChooseFile = Callable[[], Path | None]
ChooseReport = Callable[[Path], Path | None]


class ScorecardImportDialog(QDialog):
    def __init__(
        self,
        taken_ids: Collection[str],
        parent: QWidget | None = None,
        *,
        choose_file: ChooseFile | None = None,
        save_report: ChooseReport | None = None,
    ):
        super().__init__(parent)
        self._choose_file = choose_file or (lambda: None)
        self._save_report = save_report or (lambda _p: None)
        self.result_data: ScorecardImport | None = None
        self.setWindowTitle(self.tr("Import an Excel scorecard"))
        self.resize(em(self, 62), em(self, 38))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "One row per question, with column titles such as Section, Category, "
                "Question, Type, Points, N/A allowed, Critical, Guidance. Rows with problems "
                "are left out and listed; the good rows become a draft form you can finish "
                "in the editor."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        file_row = QHBoxLayout()
        self.path = QLineEdit(readOnly=True, placeholderText=self.tr("No file chosen"))
        self.path.setAccessibleName(self.tr("Scorecard file"))
        browse = QPushButton(self.tr("&Choose file…"))
        browse.setAccessibleName(self.tr("Choose file"))
        browse.clicked.connect(self.browse)
        self.sheet_label = QLabel(self.tr("S&heet:"))
        self.sheet = QComboBox()
        self.sheet.setAccessibleName(self.tr("Sheet"))
        self.sheet_label.setBuddy(self.sheet)
        self.sheet.currentIndexChanged.connect(lambda _i: self._sheet_changed())
        file_label = QLabel(self.tr("&File:"))
        file_label.setBuddy(browse)
        for widget in (file_label, self.path, browse, self.sheet_label, self.sheet):
            file_row.addWidget(widget, 1 if widget is self.path else 0)
        layout.addLayout(file_row)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Import summary"))
        layout.addWidget(self.summary)
        self.model = ScorecardRowsModel(self)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Rows of the scorecard"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.problems_model = QStringListModel(self)
        self.problems = QListView()
        self.problems.setAccessibleName(self.tr("Problems found"))
        self.problems.setModel(self.problems_model)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setWordWrap(True)
        self.problems.activated.connect(self._show_problem_row)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.problems_title = QLabel()
        lower_layout.addWidget(self.problems_title)
        lower_layout.addWidget(self.problems, 1)
        self.notes = muted_label("")
        self.notes.setWordWrap(True)
        lower_layout.addWidget(self.notes)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([em(self, 24), em(self, 8)])
        layout.addWidget(splitter, 1)
        self.identity = FormIdentityFields(taken_ids, self)
        self.identity.changed.connect(self._update_buttons)
        layout.addWidget(self.identity)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.report_button = self.buttons.addButton(
            self.tr("Save &report…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.report_button.setToolTip(self.tr("Save the list of problems as a text file"))
        self.report_button.clicked.connect(self.save_report)
        self.import_button = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self._show(None)

    # ---------------------------------------------------------------- reading
    def browse(self) -> None:
        path = self._choose_file()
        if path is not None:
            self.load(path)

    def load(self, path: Path) -> None:
        """Read ``path`` (the first sheet with a scorecard on it when it has several)."""
        self.path.setText(str(path))
        names, result = wait_for_worker(
            self,
            lambda: (sheets(path), read_scorecard(path)),
            self.tr("Reading {0}…").format(path.name),
        )
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItems(names)
        self.sheet.blockSignals(False)
        self._shown_read(result)

    def _sheet_changed(self) -> None:
        if self.path.text():
            self._read(self.sheet.currentText() or None)

    def _read(self, sheet: str | None) -> None:
        path = Path(self.path.text())
        result = wait_for_worker(
            self,
            lambda: read_scorecard(path, sheet=sheet),
            self.tr("Reading {0}…").format(path.name),
        )
        self._shown_read(result)

    def _shown_read(self, result: ScorecardImport) -> None:
        """Show what was read (off the GUI thread) from the chosen file and sheet."""
        if result.sheet and self.sheet.currentText() != result.sheet:
            self.sheet.blockSignals(True)
            self.sheet.setCurrentText(result.sheet)
            self.sheet.blockSignals(False)
        if result.form is not None:
            self.identity.set_identity(result.form.title, result.form.id)
        self._show(result)

    def _show(self, result: ScorecardImport | None) -> None:
        self.result_data = result
        several = self.sheet.count() > 1
        self.sheet.setVisible(several)
        self.sheet_label.setVisible(several)
        self.model.set_rows(result.rows if result else (), dict(result.columns) if result else {})
        self.table.resizeColumnsToContents()
        for column in range(PROBLEMS_COLUMN):
            width = min(self.table.columnWidth(column), em(self, 18))
            self.table.setColumnWidth(column, width + em(self, 0.8))
        problems = [self._line(p) for p in result.problems] if result else []
        self.problems_model.setStringList(problems)
        self.problems_title.setText(
            self.tr("Problems ({0}):").format(len(problems))
            if problems
            else self.tr("No problems found.")
        )
        self.notes.setText("\n".join(result.notes) if result else "")
        self.summary.setText(self._summary(result))
        self._update_buttons()

    @staticmethod
    def _line(problem: object) -> str:
        # The file is named once above; each line starts with its row.
        return str(replace(problem, file=""))  # type: ignore[type-var]

    def _summary(self, result: ScorecardImport | None) -> str:
        if result is None:
            return self.tr("Choose the scorecard file (.xlsx or .csv).")
        good = self.good_rows()
        bad = sum(1 for r in result.rows if r.problems and not r.included)
        if result.form is None:
            return self.tr(
                "Nothing can be imported from {0}: see the problems below, fix the sheet "
                "and choose it again."
            ).format(result.path.name)
        return self.tr(
            "{0} rows read from {1}: {2} questions will be imported in {3} sections; "
            "{4} rows are left out (highlighted, with the reason)."
        ).format(len(result.rows), result.path.name, good, len(result.form.sections), bad)

    # ---------------------------------------------------------------- results
    def good_rows(self) -> int:
        result = self.result_data
        return sum(1 for r in result.rows if r.included) if result else 0

    def _update_buttons(self) -> None:
        good = self.good_rows()
        usable = self.result_data is not None and self.result_data.form is not None
        problem = self.identity.problem() if usable else ""
        self.import_button.setText(self.tr("Import {0} good rows as a draft").format(good))
        self.import_button.setEnabled(usable and good > 0 and not problem)
        self.import_button.setToolTip(
            problem or ("" if usable else self.tr("No row can be imported yet"))
        )
        self.report_button.setEnabled(bool(self.result_data and self.result_data.problems))

    def result_form(self) -> Form | None:
        """The draft made of the good rows, with the chosen title and id."""
        result = self.result_data
        if result is None or result.form is None or self.identity.problem():
            return None
        title, form_id = self.identity.values()
        return replace(result.form, id=form_id, title=title)

    def accept(self) -> None:
        if self.result_form() is not None:
            super().accept()

    def report_text(self) -> str:
        result = self.result_data
        if result is None:
            return ""
        lines = [
            self.tr("Scorecard import report — {0}").format(result.path),
            self.tr("Sheet: {0}; made {1}").format(
                result.sheet or "—", wall_text(datetime.now())
            ),
            "",
            self.tr("%n problem(s):", "", len(result.problems)),
            *(str(p) for p in result.problems),
        ]
        if result.notes:
            lines += ["", self.tr("Notes:"), *result.notes]
        return "\n".join(lines) + "\n"

    def save_report(self) -> bool:
        result = self.result_data
        if result is None:
            return False
        target = self._save_report(Path.home() / f"{result.path.stem}-import-problems.txt")
        if target is None:
            return False
        try:
            target.write_text(self.report_text(), encoding="utf-8")
        except OSError as exc:
            self.status.setText(
                self.tr("Could not write {0}: {1}. Choose another folder.").format(
                    target, exc.strerror or exc
                )
            )
            return False
        self.status.setText(self.tr("Report saved to {0}.").format(target))
        return True

    def _show_problem_row(self, index) -> None:  # type: ignore[no-untyped-def]
        result = self.result_data
        if result is None:
            return
        row_number = result.problems[index.row()].row
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).row == row_number:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return
