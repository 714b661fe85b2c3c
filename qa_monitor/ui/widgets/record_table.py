"""A sortable, single-selection table of records, as the list screens build it.

Rules (as disputes_screen's tables):
- The view shows a ``QSortFilterProxyModel`` sorting by ``SORT_ROLE``; rows are
  selected whole, one at a time; ``ID_ROLE`` names the record of a row, so the
  selection is kept across a reload (``select_id``, which uses ``select_row``: Qt's
  ``selectRow`` loses the row right-to-left).
- ``fit_columns`` makes each column as wide as its content and header; when they do
  not fit, the ``elastic`` columns (names, titles) give way first and elide (their
  tooltip has the whole text); numbers and dates never do.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QWidget,
)

from qa_monitor.ui.models.table_base import ID_ROLE, SORT_ROLE
from qa_monitor.ui.widgets.view_selection import select_row
from qa_monitor.ui.widgets.widget_style import em


def record_table(name: str, model: QAbstractItemModel, parent: QWidget | None = None) -> QTableView:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    table = QTableView(parent)
    table.setAccessibleName(name)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


def on_enter(table: QTableView, slot: Callable[[], None]) -> None:
    """Enter on a row (a shortcut: item views edit on Return on macOS) or a double click."""
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        shortcut = QShortcut(QKeySequence(key), table, slot)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    table.doubleClicked.connect(lambda _i: slot())


def selected_id(table: QTableView) -> int | None:
    selection = table.selectionModel()
    rows = selection.selectedRows() if selection is not None else []
    return int(rows[0].data(ID_ROLE)) if rows else None


def select_id(table: QTableView, record_id: int | None) -> bool:
    """Select the row of ``record_id`` if listed (True), else the first row."""
    proxy = table.model()
    if proxy is None or proxy.rowCount() == 0:
        return False
    row = 0
    found = False
    if record_id is not None:
        for r in range(proxy.rowCount()):
            if proxy.index(r, 0).data(ID_ROLE) == record_id:
                row, found = r, True
                break
    select_row(table, row)
    table.scrollTo(proxy.index(row, 0))
    return found


def fit_columns(table: QTableView, elastic: tuple[int, ...] = ()) -> None:
    header = table.horizontalHeader()
    count = table.model().columnCount()
    want = [max(table.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(count)]
    room = table.maximumViewportSize().width() - table.verticalScrollBar().sizeHint().width()
    last = count - 1 if header.stretchLastSection() else count
    elastic = tuple(c for c in elastic if c < last)
    pad = em(table, 0.6)
    if sum(want) + pad * count <= room:
        want = [w + pad for w in want]
    elif elastic:
        over, floor = sum(want) - room, em(table, 6)
        level = max(want[c] for c in elastic)
        while level > floor and sum(max(0, want[c] - level) for c in elastic) < over:
            level -= 1
        for c in elastic:
            want[c] = min(want[c], level)
    for column in range(last):
        table.setColumnWidth(column, want[column])


def shortcut(keys: str, widget: QWidget, slot: Callable[[], object]) -> QShortcut:
    """A key acting while the focus is in ``widget`` (or its children)."""
    sc = QShortcut(QKeySequence(keys), widget, slot)
    sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return sc


def action_button(text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    button.clicked.connect(lambda _c=False: slot())
    return button


def empty_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setProperty("role", "muted")
    return label


def table_pages(table: QTableView, empty: QLabel) -> QStackedWidget:
    """The table, and in its place when there is nothing to list, ``empty`` (styled as
    ``empty_label``): page 0 is the table, page 1 the sentence."""
    empty.setWordWrap(True)
    empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    empty.setProperty("role", "muted")
    pages = QStackedWidget()
    pages.addWidget(table)
    pages.addWidget(empty)
    return pages
