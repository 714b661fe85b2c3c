"""The dashboard's two tables (agent league, exceptions) as views with a context menu.

Rules:
- A row is about an agent or a team (``KEY_ROLE``: ("agent", id) or ("team", id)).
- The context menu offers "Show evaluations" (the row's evaluations in the current
  filters) and, on an agent's row, "Open agent profile".
- Double-click or Enter: the league opens the agent's profile; the exceptions list
  shows the row's evaluations.
- A refresh keeps the selected row selected when it is still there, and the column
  widths (fitted to the first rows when the table first fills).
- The table fits its width without scrolling sideways: when the fitted columns are
  wider than the view, the text columns (``elide_columns``: names) give up width and
  their texts are cut with an ellipsis (the full text is the cell's tooltip); numbers
  keep theirs.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from qa_monitor.ui.models.dashboard_table_models import KEY_ROLE, SORT_ROLE

FIT_ROWS = 40


class DashboardTable(QTableView):
    showEvaluations = Signal(str, int)  # level ("agent" or "team"), id
    openProfile = Signal(int)  # agent id

    def __init__(
        self,
        model: QAbstractTableModel,
        name: str,
        *,
        activate_opens_profile: bool,
        elide_columns: tuple[int, ...] = (0,),
        min_rows: int = 16,
        stretch_first: bool = False,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.activate_opens_profile = activate_opens_profile
        self.elide_columns = elide_columns
        self._natural: list[int] = []  # the columns' widths fitted to their contents
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        self.setAccessibleName(name)
        self.setModel(proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the analytics' order
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        em = self.fontMetrics().horizontalAdvance("M")
        # The stretched last column may be as narrow as its contents (default: 100 px).
        self.horizontalHeader().setDefaultSectionSize(em * 5)
        self.horizontalHeader().setMinimumSectionSize(em * 2)
        if stretch_first:  # a name, then numbers: the name takes the spare width
            self.horizontalHeader().setStretchLastSection(False)
            self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fit columns to the first rows only: measuring a thousand agents' rows on every
        # refresh took longer than all the queries together.
        self.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.setMinimumHeight(self.fontMetrics().height() * min_rows)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if activate_opens_profile:
            tip = self.tr(
                "Double-click a row (or press Enter) to open the agent's profile; right-click "
                "to list the agent's evaluations"
            )
        else:
            tip = self.tr(
                "Double-click a row (or press Enter) to list its evaluations; right-click for more"
            )
        self.setToolTip(tip)
        self.activated.connect(self._activated)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)

    def fit_columns(self) -> None:
        """Fit the columns into the view's width (see the module rules)."""
        natural = self._natural
        if not natural:
            return
        available = self.viewport().width()
        excess = sum(natural) - available + 1  # + 1: the stretched last section's edge
        widths = list(natural)
        if excess > 0:
            floor = self.fontMetrics().horizontalAdvance("M") * 4
            give = {c: max(0, natural[c] - floor) for c in self.elide_columns if c < len(natural)}
            room = sum(give.values())
            for c, spare in give.items():
                if room:
                    widths[c] = natural[c] - min(spare, math.ceil(excess * spare / room))
        header = self.horizontalHeader()
        # A stretched section takes what is left; a given size is its minimum.
        for c, width in enumerate(widths):
            if header.sectionResizeMode(c) != QHeaderView.ResizeMode.Stretch:
                header.resizeSection(c, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def key_at(self, index: QModelIndex) -> tuple[str, int] | None:
        key = index.data(KEY_ROLE) if index.isValid() else None
        return (str(key[0]), int(key[1])) if key else None

    def _activated(self, index: QModelIndex) -> None:
        key = self.key_at(index)
        if key is None:
            return
        if self.activate_opens_profile and key[0] == "agent":
            self.openProfile.emit(key[1])
        else:
            self.showEvaluations.emit(*key)

    def context_menu(self, index: QModelIndex) -> QMenu | None:
        """The menu for the row at ``index`` (None outside the rows)."""
        key = self.key_at(index)
        if key is None:
            return None
        menu = QMenu(self)
        show = menu.addAction(self.tr("Show evaluations"))
        show.triggered.connect(lambda _c=False: self.showEvaluations.emit(*key))
        if key[0] == "agent":
            profile = menu.addAction(self.tr("Open agent profile"))
            profile.triggered.connect(lambda _c=False: self.openProfile.emit(key[1]))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu(self.indexAt(pos))
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(pos))

    def reset_keeping_selection(self, reset: Callable[[], None]) -> None:
        """Run ``reset`` (a model reset) and select the same row again if it is there."""
        rows = self.selectionModel().selectedRows()
        key = rows[0].data(KEY_ROLE) if rows else None
        was_empty = self.model().rowCount() == 0
        reset()
        if was_empty:  # fit the columns once; later refreshes keep them (no jumping)
            self.resizeColumnsToContents()
            header = self.horizontalHeader()
            # What each column needs (not the stretched width of the last one).
            self._natural = [
                max(self.sizeHintForColumn(c), header.sectionSizeHint(c))
                for c in range(header.count())
            ]
            if self._natural:  # the last section never gets narrower than the default
                self._natural[-1] = max(self._natural[-1], header.defaultSectionSize())
            self.fit_columns()
        if key is None:
            return
        proxy = self.model()
        for row in range(proxy.rowCount()):
            if proxy.index(row, 0).data(KEY_ROLE) == key:
                self.selectRow(row)
                break
