"""Database ▸ Restore backup: the backups with what each holds, and restoring one.

The previews are read off the GUI thread (counting a large backup takes a moment), and
so is the restore itself. Restoring keeps the open database as a backup first; the
main window then reopens the restored file (``restored`` carries its path).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.services.backup_service import (
    BackupError,
    BackupPreview,
    list_backups,
    preview,
    restore_backup,
)
from qa_monitor.ui.date_texts import wall_text
from qa_monitor.ui.workers import Job, JobControl

_Index = QModelIndex | QPersistentModelIndex


class BackupTableModel(QAbstractTableModel):
    """One row per backup: when it was made and what it holds."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[BackupPreview] = []
        self.headers = [
            self.tr("Made at"),
            self.tr("Evaluations"),
            self.tr("Newest evaluation"),
            self.tr("Forms"),
            self.tr("Agents"),
            self.tr("Reviewers"),
            self.tr("Schema"),
            self.tr("File"),
        ]

    def set_rows(self, rows: list[BackupPreview]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = 0) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and 1 <= index.column() <= 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        made = wall_text(row.made_at) if row.made_at else ""
        values = (
            made,
            f"{row.evaluations:,}",
            row.newest_evaluation or "",
            f"{row.forms:,}",
            f"{row.agents:,}",
            f"{row.reviewers:,}",
            str(row.schema_version),
            row.path.name,
        )
        return values[index.column()]


def _previews(db_path: Path, folder: Path) -> list[BackupPreview]:
    found = []
    for path, _made in list_backups(db_path, folder):
        try:
            found.append(preview(path))
        except BackupError:
            continue  # an unreadable file is not offered
    return found


class RestoreDialog(QDialog):
    restored = Signal(object)  # the database's path, restored

    def __init__(self, db_path: Path, folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path, self.folder = db_path, folder
        self.setWindowTitle(self.tr("Restore backup"))
        self.note = QLabel(
            self.tr(
                "Choose the backup to restore. The database as it is now is kept as a "
                "backup first, so this can be undone."
            )
        )
        self.note.setWordWrap(True)
        self.model = BackupTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Backups"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setAccessibleName(self.tr("Working"))
        self.status = QLabel(self.tr("Reading the backups in {0}…").format(folder))
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = QPushButton(self.tr("&Restore"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.other_button = QPushButton(self.tr("Choose another &file…"))
        self.other_button.clicked.connect(self.choose_file)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.note, self.table, self.status, self.bar, self.buttons):
            layout.addWidget(widget)
        self.resize(self.fontMetrics().horizontalAdvance("M") * 70, self.sizeHint().height())
        self.jobs: list[Job] = []
        self._run(lambda _c: _previews(db_path, folder), self._listed)

    def _run(self, work, done) -> None:  # type: ignore[no-untyped-def]
        job = Job(work, parent=self)
        job.succeeded.connect(done)
        job.failed.connect(self._failed)
        self.jobs.append(job)
        self.bar.show()
        job.start()

    def _listed(self, rows: object) -> None:
        assert isinstance(rows, list)
        self.bar.hide()
        self.model.set_rows(rows)
        if rows:
            self.status.setText(self.tr("%n backup(s) found.", "", len(rows)))
            self.table.selectRow(0)
            self.restore_button.setEnabled(True)
        else:
            self.status.setText(
                self.tr(
                    "There are no backups in {0} yet. Choose a backup file elsewhere, or "
                    "make one with Database ▸ Back up now."
                ).format(self.folder)
            )

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a backup"),
            str(self.folder),
            self.tr("QA Monitor database (*.db);;All files (*)"),
        )
        if path:
            self._run(lambda _c: [preview(Path(path))], self._listed)

    def selected(self) -> BackupPreview | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        made = wall_text(chosen.made_at) if chosen.made_at else chosen.path.name
        answer = QMessageBox.question(
            self,
            self.tr("Restore backup"),
            self.tr(
                "Replace the open database by the backup made at {0}, which holds {1} "
                "evaluations? The database as it is now is kept as a backup first."
            ).format(made, f"{chosen.evaluations:,}"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore_button.setEnabled(False)
        self.status.setText(self.tr("Restoring the backup made at {0}…").format(made))

        def work(_control: JobControl) -> object:
            return restore_backup(self.db_path, chosen.path, self.folder)

        self._run(work, self._restored)

    def _restored(self, _result: object) -> None:
        self.bar.hide()
        self.restored.emit(self.db_path)
        self.accept()

    def _failed(self, exc: object) -> None:
        self.bar.hide()
        self.restore_button.setEnabled(bool(self.model.rows))
        self.status.setText(str(exc))

    def done(self, result: int) -> None:
        for job in self.jobs:
            job.wait()
        super().done(result)
