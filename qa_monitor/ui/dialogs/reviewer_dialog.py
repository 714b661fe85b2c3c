"""Who is reviewing: chosen at first start and remembered; every evaluation records it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.services import Services


class ReviewerDialog(QDialog):
    """Pick an active reviewer or add yourself; Enter confirms, Esc cancels."""

    def __init__(self, services: Services, current: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(self.tr("Who is reviewing?"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("Every evaluation records who scored it. Choose your name, or add it below.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Reviewers"))
        for reviewer in services.people.list_reviewers(active_only=True):
            label = reviewer.name + (self.tr(" (expert)") if reviewer.is_expert else "")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, reviewer.id)
            self.list.addItem(item)
            if reviewer.id == current:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(self.tr("New reviewer's full name"))
        self.new_name.setAccessibleName(self.tr("New reviewer name"))
        layout.addWidget(self.new_name)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self._accept())
        layout.addWidget(buttons)
        self.reviewer_id: int | None = None
        (self.new_name if not self.list.count() else self.list).setFocus()

    def _accept(self) -> None:
        name = self.new_name.text().strip()
        if name:
            try:
                self.reviewer_id = self._services.people.add_reviewer(name).id
            except ValueError as exc:
                self.error.setText(str(exc))
                self.error.show()
                return
        elif self.list.currentItem() is not None:
            self.reviewer_id = int(self.list.currentItem().data(Qt.ItemDataRole.UserRole))
        else:
            self.error.setText(self.tr("Type your name to add yourself as a reviewer."))
            self.error.show()
            return
        self.accept()
