"""The people screen's widgets: the action toolbar, the search row and one tab per kind.

Every action's shortcut works wherever the focus is on the screen (not only in its
table), and its tooltip names the shortcut. Each tab stacks its table over an empty
state that says why nothing is shown and, for an empty list, offers the add button.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.ui import icons
from qa_monitor.ui.models.people_table_models import PeopleFilterProxy, PeopleTableModel

KINDS = ("team", "agent", "reviewer")


@dataclass
class PeopleTab:
    kind: str
    model: PeopleTableModel
    proxy: PeopleFilterProxy
    table: QTableView
    pages: QStackedWidget
    empty_text: QLabel
    empty_add: QPushButton


class PeopleLayout:
    """Mixed into ``PeopleScreen`` (a QWidget, which provides ``tr`` and the rest)."""

    tr: Callable[[str], str]
    palette: Callable[[], QPalette]
    addAction: Callable[[QAction], None]
    fontMetrics: Callable[[], QFontMetrics]
    add: Callable[[], None]
    edit_selected: Callable[[], None]
    deactivate_selected: Callable[[], None]
    reactivate_selected: Callable[[], None]
    delete_selected: Callable[[], None]
    open_profile: Callable[[], None]
    _filter_changed: Callable[[], None]
    _update_actions: Callable[[], None]

    def _shortcut(self, keys: str, slot: Callable[[], object], widget: QWidget) -> None:
        shortcut = QShortcut(QKeySequence(keys), widget)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    def _action(
        self, text: str, icon: str, keys: list[str], tip: str, slot: Callable[[], object]
    ) -> QAction:
        icon_ = icons.icon(icon, color=self.palette().text().color())
        action = QAction(icon_, text, self)  # type: ignore[call-overload]
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        native = QKeySequence.SequenceFormat.NativeText
        action.setToolTip(f"{tip} ({', '.join(s.toString(native) for s in action.shortcuts())})")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # the shortcuts work wherever the focus is on this screen
        self.toolbar.addAction(action)
        self.toolbar.widgetForAction(action).setAccessibleName(text.rstrip("…"))
        return action

    def _build_toolbar(self) -> QHBoxLayout:
        self.toolbar = QToolBar()
        self.toolbar.setAccessibleName(self.tr("People actions"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name, text, icon, keys, tip, slot in [
            ("add", self.tr("Add…"), "account-plus", "Ctrl+Shift+A Ins", self.tr(
                "Add a team, agent or reviewer to the open list"), self.add),
            ("edit", self.tr("Edit…"), "pencil", "F2", self.tr(
                "Edit the selected row; Enter and double-click work too"), self.edit_selected),
            ("deactivate", self.tr("Deactivate"), "account-off", "Ctrl+Shift+D", self.tr(
                "Take the selected row out of the pick-lists; its history stays in reports"),
                self.deactivate_selected),
            ("reactivate", self.tr("Reactivate"), "account-check", "Ctrl+Shift+R", self.tr(
                "Put the selected row back in the pick-lists"), self.reactivate_selected),
            ("delete", self.tr("Delete…"), "delete", "Del", self.tr(
                "Delete the selected row if nothing refers to it"), self.delete_selected),
            ("profile", self.tr("Profile"), "account-details", "Ctrl+Shift+P", self.tr(
                "Open the selected agent's profile: trend, strengths, weaknesses, comments"),
                self.open_profile),
        ]:  # fmt: skip
            action = self._action(text, f"mdi6.{icon}-outline", keys.split(), tip, slot)
            setattr(self, f"{name}_action", action)
        self.search = QLineEdit(
            placeholderText=self.tr("Search names, teams, ids, emails (Ctrl+F)")
        )
        self.search.setAccessibleName(self.tr("Search people"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        self.search.textChanged.connect(self._filter_changed)
        self._shortcut("Esc", self.search.clear, self.search)
        self.show_inactive = QCheckBox(self.tr("Show &inactive"))
        self.show_inactive.setAccessibleName(self.tr("Show inactive people"))
        self.show_inactive.toggled.connect(lambda _on: self._filter_changed())
        row = QHBoxLayout()
        row.addWidget(self.toolbar)
        row.addStretch(1)
        row.addWidget(self.search)
        row.addWidget(self.show_inactive)
        return row

    def _build_tab(self, kind: str, model: PeopleTableModel) -> PeopleTab:
        proxy = PeopleFilterProxy(self)  # type: ignore[arg-type]
        proxy.setSourceModel(model)
        table = QTableView()
        plural, add_label, _empty = model.texts()
        table.setAccessibleName(plural)
        table.setModel(proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.doubleClicked.connect(lambda _i: self.edit_selected())
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        for keys in ("Return", "Enter"):
            self._shortcut(keys, self.edit_selected, table)
        empty = QWidget()
        column = QVBoxLayout(empty)
        column.addStretch(1)
        text = QLabel()
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        add = QPushButton(add_label)
        add.setAccessibleName(add_label)
        add.clicked.connect(self.add)
        column.addWidget(text)
        column.addWidget(add, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        pages = QStackedWidget()
        pages.addWidget(table)
        pages.addWidget(empty)
        return PeopleTab(kind, model, proxy, table, pages, text, add)
