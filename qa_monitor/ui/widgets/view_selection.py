"""Selecting a table's row from code without QTableView.selectRow's two traps.

- Right to left, selectRow picks the column under the viewport's far edge; when the
  columns fill the viewport exactly (a stretched last section) there is none, and
  nothing is selected: a refreshed list lost its selected row.
- With extended selection, selectRow reads the modifier keys held at that moment: a
  dialog opened by Ctrl+Shift+H toggled its row instead of selecting it.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView


def select_row(view: QAbstractItemView, row: int) -> None:
    """Make ``row`` the current row and the only one selected."""
    model, selection = view.model(), view.selectionModel()
    if model is None or selection is None or not 0 <= row < model.rowCount():
        return
    flags = QItemSelectionModel.SelectionFlag
    selection.setCurrentIndex(model.index(row, 0), flags.ClearAndSelect | flags.Rows)
