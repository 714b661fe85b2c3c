"""What the Outcomes screen's tables share: a sortable, read-only view over a model,
columns fitted to their content, a height that shows every row (the page scrolls, not
the table), and a titled box with a caption the table is the buddy of."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.ui.models.table_base import SORT_ROLE
from qa_monitor.ui.widgets.widget_style import em

MAX_ROWS = 14  # more scroll inside the table


def outcome_table(name: str, model: QAbstractItemModel, parent: QWidget) -> QTableView:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    table = QTableView(parent)
    table.setAccessibleName(name)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    # The model's own order (periods in time, reasons largest first) until a header is
    # clicked.
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # Tab leaves the table
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)  # figures stay next to their row's name
    return table


def fit(table: QTableView, rows: int) -> None:
    """Columns as wide as their content; tall enough for ``rows`` (2..MAX_ROWS)."""
    table.resizeColumnsToContents()
    pad = em(table, 0.8)
    header = table.horizontalHeader()
    for column in range(table.model().columnCount()):
        table.setColumnWidth(column, table.columnWidth(column) + pad)
    shown = min(max(rows, 2), MAX_ROWS)
    row_height = table.verticalHeader().defaultSectionSize()
    height = header.sizeHint().height() + shown * row_height + 2 * table.frameWidth() + 2
    scroll = table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(height + scroll)


def titled(text: str, view: QWidget, hint: str = "") -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    caption = QLabel(text)
    caption.setProperty("role", "sectionTitle")
    caption.setBuddy(view)
    column.addWidget(caption)
    if hint:
        note = QLabel(hint)
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        column.addWidget(note)
    column.addWidget(view)
    return box
