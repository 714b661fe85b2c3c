"""A compact drop-down of checkable choices, with a search field for long lists.

Rules:
- It looks and sits like a combo box; its text sums up the choice: "All teams" when
  nothing is ticked (no filter), the one name when one is, "3 teams" when several are.
  The tooltip lists the ticked names.
- The list opens below it (mouse, Space, F4 or Alt+Down); a click on a row or Space
  ticks or unticks it; typing in the search field narrows the rows (Down moves into
  the list); Enter or Esc closes it. "Clear" unticks everything.
- ``selectionChanged`` fires on every tick (a screen debounces), never when the choice
  is set from code with ``emit=False``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QGuiApplication,
    QHideEvent,
    QKeyEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.text_keys import name_key

VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # the text's name key, which the search matches
SEARCH_FROM = 8  # rows; a shorter list needs no search field
VISIBLE_ROWS = 12


class _Popup(QFrame):
    """The list that drops down: search, checkable rows, Clear and a count."""

    def __init__(self, owner: MultiSelectCombo):
        super().__init__(owner, Qt.WindowType.Popup)
        self.owner = owner
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        margin = self.fontMetrics().height() // 3
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(margin)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(
            lambda text: owner._proxy.setFilterFixedString(name_key(text))
        )
        self.search.installEventFilter(self)
        layout.addWidget(self.search)
        self.view = QListView()
        self.view.setModel(owner._proxy)
        self.view.setUniformItemSizes(True)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.view.clicked.connect(owner._toggle_proxy_index)
        self.view.installEventFilter(self)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        self.count = QLabel()
        self.count.setProperty("role", "muted")
        bottom.addWidget(self.count, 1)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Untick everything (no filter)"))
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(owner.clear_selection)
        bottom.addWidget(self.clear_button)
        layout.addLayout(bottom)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if watched is self.search and key == Qt.Key.Key_Down:
            self.view.setFocus()
            if not self.view.currentIndex().isValid():
                self.view.setCurrentIndex(self.owner._proxy.index(0, 0))
            return True
        if watched is self.view and key in (Qt.Key.Key_Space, Qt.Key.Key_Select):
            self.owner._toggle_proxy_index(self.view.currentIndex())
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.hide()
            return True
        return False

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.owner.setFocus()


class MultiSelectCombo(QComboBox):
    selectionChanged = Signal()

    def __init__(self, all_text: str, many_text: str, parent: QWidget | None = None):
        """``all_text`` shows when nothing is ticked ("All teams"); ``many_text`` when
        several are, with {0} for the count ("{0} teams")."""
        super().__init__(parent)
        self.all_text, self.many_text = all_text, many_text
        self._model = QStandardItemModel(self)
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self._model)
        self._proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # Searched by name key: "علی" typed on a Persian keyboard finds "علي".
        self._proxy.setFilterRole(KEY_ROLE)
        self.addItem(all_text)  # the one row the closed box shows: the summary
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self._popup = _Popup(self)
        self._update_text()

    # ------------------------------------------------------------------ choices
    def set_choices(self, items: Sequence[tuple[str, object]], *, emit: bool = False) -> None:
        """Offer ``items`` (text, value); values still offered stay ticked."""
        kept = set(self.selected())
        self._model.clear()
        for text, value in items:
            item = QStandardItem(text)
            item.setData(value, VALUE_ROLE)
            item.setData(name_key(text), KEY_ROLE)
            # Not user-checkable: the popup toggles a row on a click anywhere on it (the
            # delegate would toggle a click on the box a second time).
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            checked = value in kept
            item.setData(
                Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked,
                Qt.ItemDataRole.CheckStateRole,
            )
            self._model.appendRow(item)
        self._popup.search.setVisible(len(items) >= SEARCH_FROM)
        self._changed(emit and kept != set(self.selected()))

    def values(self) -> tuple[object, ...]:
        """Every value offered, in order."""
        return tuple(self._model.item(r).data(VALUE_ROLE) for r in range(self._model.rowCount()))

    def selected(self) -> tuple[object, ...]:
        """The ticked values, in list order (empty: no filter)."""
        return tuple(item.data(VALUE_ROLE) for item in self._checked_items())

    def selected_texts(self) -> tuple[str, ...]:
        return tuple(item.text().strip() for item in self._checked_items())

    def set_selected(self, values: Iterable[object], *, emit: bool = True) -> None:
        wanted = set(values)
        before = self.selected()
        for row in range(self._model.rowCount()):
            item = self._model.item(row)
            ticked = item.data(VALUE_ROLE) in wanted
            state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
            item.setData(state, Qt.ItemDataRole.CheckStateRole)
        self._changed(emit and before != self.selected())

    def clear_selection(self, *, emit: bool = True) -> None:
        self.set_selected((), emit=emit)

    def toggle(self, value: object) -> None:
        """Tick ``value`` if unticked, else untick it (as a click on its row does)."""
        for row in range(self._model.rowCount()):
            if self._model.item(row).data(VALUE_ROLE) == value:
                self._toggle_source_row(row)
                return
        raise KeyError(f"{value!r} is not offered")

    def _checked_items(self) -> list[QStandardItem]:
        items = (self._model.item(r) for r in range(self._model.rowCount()))
        return [i for i in items if i.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked]

    def _toggle_proxy_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self._toggle_source_row(self._proxy.mapToSource(index).row())

    def _toggle_source_row(self, row: int) -> None:
        item = self._model.item(row)
        checked = item.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        state = Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked
        item.setData(state, Qt.ItemDataRole.CheckStateRole)
        self._changed(True)

    def _changed(self, emit: bool) -> None:
        self._update_text()
        if emit:
            self.selectionChanged.emit()

    def _update_text(self) -> None:
        names = self.selected_texts()
        if not names:
            text = self.all_text
        elif len(names) == 1:
            text = names[0]
        else:
            text = self.many_text.format(len(names))
        self.setItemText(0, text)
        self.setToolTip("\n".join(names) if len(names) > 1 else "")
        count = self._model.rowCount()
        self._popup.count.setText(self.tr("{0} of {1} ticked").format(len(names), count))
        self._popup.clear_button.setEnabled(bool(names))

    # ------------------------------------------------------------------ popup
    @property
    def popup(self) -> _Popup:
        return self._popup

    def showPopup(self) -> None:
        popup = self._popup
        rows = min(max(self._model.rowCount(), 1), VISIBLE_ROWS)
        row_height = max(self._popup.view.sizeHintForRow(0), self.fontMetrics().height() + 4)
        list_height = rows * row_height + 2 * popup.view.frameWidth()
        popup.view.setFixedHeight(list_height)
        hint = popup.sizeHint()
        width = max(self.width(), hint.width(), popup.view.sizeHintForColumn(0) + 40)
        popup.resize(width, hint.height())
        right_to_left = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        anchor = self.rect().bottomRight() if right_to_left else self.rect().bottomLeft()
        pos = self.mapToGlobal(anchor + QPoint(0, 1))
        if right_to_left:
            pos.setX(pos.x() - width)
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            pos.setX(max(area.left(), min(pos.x(), area.right() - width)))
            if pos.y() + popup.height() > area.bottom():
                pos.setY(self.mapToGlobal(QPoint(0, 0)).y() - popup.height() - 1)
        popup.move(pos)
        name = self.accessibleName()
        popup.search.setAccessibleName(self.tr("Search {0}").format(name))
        popup.view.setAccessibleName(self.tr("{0}: choices").format(name))
        popup.search.clear()
        popup.show()
        (popup.search if popup.search.isVisible() else popup.view).setFocus()
        if not popup.view.currentIndex().isValid():
            popup.view.setCurrentIndex(self._proxy.index(0, 0))

    def hidePopup(self) -> None:
        self._popup.hide()
