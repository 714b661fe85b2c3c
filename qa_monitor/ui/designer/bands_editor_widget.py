"""The form's score bands ("Exceeds ≥ 95, Meets ≥ 80, Needs improvement ≥ 0") as a small table."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.forms import Band
from qa_monitor.ui.designer import designer_labels as labels
from qa_monitor.ui.designer.designer_labels import tr
from qa_monitor.ui.widgets.widget_style import em

NAME, MINIMUM = 0, 1
_Index = QModelIndex | QPersistentModelIndex


class MinimumDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        spin = QDoubleSpinBox(parent)
        spin.setRange(0.0, 100.0)
        spin.setDecimals(1)
        return spin

    def displayText(self, value: object, locale: QLocale) -> str:
        return f"≥ {value:g}" if isinstance(value, float) else super().displayText(value, locale)


class BandsEditorWidget(QWidget):
    bandsEdited = Signal(object)  # tuple[Band, ...]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bands: tuple[Band, ...] = ()
        self._loading = False
        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels([tr("Band"), tr("From score")])
        self.model.itemChanged.connect(self._item_changed)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Score bands"))
        self.table.setItemDelegateForColumn(MINIMUM, MinimumDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(em(self, 6))
        self.table.setMaximumHeight(em(self, 9))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MINIMUM, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        color = self.palette().color(QPalette.ColorRole.ButtonText)
        for icon, text, slot in (
            ("mdi6.plus", tr("Add band"), self.add),
            ("mdi6.minus", tr("Remove band"), self.remove_current),
        ):
            button = QToolButton(self)
            button.setIcon(labels.icon(icon, color))
            button.setToolTip(text)
            button.setAccessibleName(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)

    def set_bands(self, bands: tuple[Band, ...]) -> None:
        if bands == self._bands:
            return
        self._bands = bands
        self._loading = True
        if self.model.rowCount() != len(bands):
            self.model.setRowCount(0)
            for _band in bands:
                self.model.appendRow([QStandardItem(), QStandardItem()])
        for index, band in enumerate(bands):
            for column, value in ((NAME, band.name), (MINIMUM, band.minimum)):
                item = self.model.item(index, column)
                assert item is not None
                if item.data(Qt.ItemDataRole.EditRole) != value:
                    item.setData(value, Qt.ItemDataRole.EditRole)
        self._loading = False

    def bands(self) -> tuple[Band, ...]:
        return self._bands

    def _item_changed(self, item: QStandardItem) -> None:
        row = item.row()
        if self._loading or not 0 <= row < len(self._bands):
            return
        name_item, min_item = self.model.item(row, NAME), self.model.item(row, MINIMUM)
        assert name_item is not None and min_item is not None
        value = min_item.data(Qt.ItemDataRole.EditRole)
        band = Band(name_item.text(), float(value) if value is not None else 0.0)
        self._commit((*self._bands[:row], band, *self._bands[row + 1 :]))

    def _commit(self, bands: tuple[Band, ...]) -> None:
        if bands != self._bands:
            self.set_bands(bands)
            self.bandsEdited.emit(bands)

    def add(self) -> None:
        self._commit((*self._bands, Band(tr("New band"), 0.0)))
        self.table.edit(self.model.index(len(self._bands) - 1, NAME))

    def remove_current(self) -> None:
        row = self.table.currentIndex().row()
        if 0 <= row < len(self._bands):
            self._commit(self._bands[:row] + self._bands[row + 1 :])
