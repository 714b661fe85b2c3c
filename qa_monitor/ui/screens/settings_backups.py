"""Settings ▸ Backups: how many automatic backups to keep, and in which folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.services.backup_service import MAX_KEEP
from qa_monitor.ui.database_menu import backup_service
from qa_monitor.ui.session import Session


class BackupSettingsGroup(QGroupBox):
    said = Signal(str)  # a sentence for the screen's status line

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(self.tr("Backups"), parent)
        self.session = session
        self.setObjectName("backupSettings")
        self.setAccessibleName(self.tr("Backups"))
        self.captions: list[QLabel] = []
        self.side_buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "A checked copy of the database is made when QA Monitor closes and once a "
                "day when it opens. A folder on another disk also survives a broken disk."
            )
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        layout.addWidget(hint)
        form = QFormLayout()
        layout.addLayout(form)
        self.keep = QSpinBox()
        self.keep.setRange(1, MAX_KEEP)
        self.keep.setAccessibleName(self.tr("Backups to keep"))
        self.keep.editingFinished.connect(self.apply_keep)
        self._caption(form, self.tr("&Keep the newest:"), self.keep, self.keep)
        self.folder = QLineEdit()
        self.folder.setReadOnly(True)
        self.folder.setAccessibleName(self.tr("Backup folder"))
        self.folder.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        choose = QPushButton(self.tr("Ch&oose…"))
        choose.clicked.connect(self.choose_folder)
        reset = QPushButton(self.tr("Defa&ult"))
        reset.clicked.connect(lambda: self.set_folder(None))
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.folder, 1)
        line.addWidget(choose)
        line.addWidget(reset)
        self.side_buttons.append(choose)
        self._caption(form, self.tr("Backu&p folder:"), self.folder, row)
        self.refresh()

    def _caption(self, form: QFormLayout, label: str, buddy: QWidget, field: QWidget) -> None:
        caption = QLabel(label)
        caption.setBuddy(buddy)
        self.captions.append(caption)
        form.addRow(caption, field)

    def refresh(self) -> None:
        service = backup_service(self.session)
        self.keep.setValue(service.keep())
        self.folder.setText(str(service.folder()))

    def apply_keep(self) -> None:
        service = backup_service(self.session)
        if self.keep.value() != service.keep():
            service.set_keep(self.keep.value())
            self.said.emit(self.tr("The newest %n backup(s) will be kept.", "", self.keep.value()))

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Backup folder"), self.folder.text()
        )
        if chosen:
            self.set_folder(Path(chosen))

    def set_folder(self, folder: Path | None) -> None:
        service = backup_service(self.session)
        service.set_folder(folder)
        self.refresh()
        self.said.emit(self.tr("Backups will be written to {0}.").format(service.folder()))
