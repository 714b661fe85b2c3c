"""The changes between two form versions as a table: kind (icon, word and colour),
the sentence saying what changed, and whether the score can change because of it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPalette

from qa_monitor.core.form_diff import ChangeKind, FormChange, FormDiff
from qa_monitor.core.word_diff import WordChange, word_diff
from qa_monitor.ui import icons
from qa_monitor.ui.widgets.widget_style import danger_color, is_dark, muted_color, success_color
from qa_monitor.ui.widgets.word_diff_delegate import WORDS_ROLE

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Kind", "Change", "Score")
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
AFFECTS_ROLE = Qt.ItemDataRole.UserRole + 2

_ICONS = {
    ChangeKind.ADDED: "mdi6.plus-circle-outline",
    ChangeKind.REMOVED: "mdi6.minus-circle-outline",
    ChangeKind.CHANGED: "mdi6.pencil-outline",
    ChangeKind.MOVED: "mdi6.swap-vertical",
}


def kind_color(kind: ChangeKind, palette: QPalette) -> QColor:
    """A readable tone per kind in either scheme; the kind's word is always shown too."""
    if kind is ChangeKind.ADDED:
        return success_color(palette)
    if kind is ChangeKind.REMOVED:
        return danger_color(palette)
    if kind is ChangeKind.CHANGED:
        return QColor("#ffcc66") if is_dark(palette) else QColor("#8a4b00")
    return muted_color(palette)


class FormDiffModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._changes: list[FormChange] = []
        self._icons: dict[str, QIcon] = {}

    def set_diff(self, diff: FormDiff | None) -> None:
        self.beginResetModel()
        self._changes = list(diff.changes) if diff is not None else []
        self.endResetModel()

    def change_at(self, row: int) -> FormChange:
        return self._changes[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._changes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section])
        return None

    def kind_word(self, kind: ChangeKind) -> str:
        return {
            ChangeKind.ADDED: self.tr("Added"),
            ChangeKind.REMOVED: self.tr("Removed"),
            ChangeKind.CHANGED: self.tr("Changed"),
            ChangeKind.MOVED: self.tr("Moved"),
        }[kind]

    def _icon(self, name: str, color: QColor) -> QIcon:
        key = f"{name}{color.name()}"
        if key not in self._icons:
            self._icons[key] = icons.icon(name, color=color)
        return self._icons[key]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._changes):
            return None
        change = self._changes[index.row()]
        col = index.column()
        palette = QGuiApplication.palette()
        if role == KIND_ROLE:
            return change.kind
        if role == AFFECTS_ROLE:
            return change.affects_score
        if col == 0:
            color = kind_color(change.kind, palette)
            if role == Qt.ItemDataRole.DisplayRole:
                return self.kind_word(change.kind)
            if role == Qt.ItemDataRole.DecorationRole:
                return self._icon(_ICONS[change.kind], color)
            if role == Qt.ItemDataRole.ForegroundRole:
                return color
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if col == 1 and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return change.text
        if col == 1 and role == WORDS_ROLE:
            if change.before is None or change.after is None:
                return None
            return word_diff(change.before, change.after)
        if col == 1 and role == Qt.ItemDataRole.AccessibleTextRole:
            return self._spoken(change)
        if col == 2:
            if role == Qt.ItemDataRole.DisplayRole:
                return (
                    self.tr("Affects score")
                    if change.affects_score
                    else self.tr("No effect on scores")
                )
            if role == Qt.ItemDataRole.DecorationRole and change.affects_score:
                return self._icon("mdi6.scale-balance", palette.text().color())
            if role == Qt.ItemDataRole.ForegroundRole and not change.affects_score:
                return muted_color(palette)
            if role == Qt.ItemDataRole.ToolTipRole:
                if change.affects_score:
                    return self.tr("The same answers could score differently on the new version")
                return self.tr("Scores stay the same: wording, guidance or order only")
        return None

    def _spoken(self, change: FormChange) -> str:
        """The sentence and, for a changed text, its removed and added words in words
        (a screen reader cannot see strike-through)."""
        if change.before is None or change.after is None:
            return change.text
        pieces = word_diff(change.before, change.after)
        removed = " … ".join(t.strip() for k, t in pieces if k is WordChange.REMOVED and t.strip())
        added = " … ".join(t.strip() for k, t in pieces if k is WordChange.ADDED and t.strip())
        return self.tr("{0}. Removed words: {1}. Added words: {2}.").format(
            change.text, removed or self.tr("none"), added or self.tr("none")
        )


class ScoreChangesProxy(QSortFilterProxyModel):
    """Hides the changes that cannot move a score, when asked."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.score_only = False

    def set_score_only(self, on: bool) -> None:
        self.beginFilterChange()
        self.score_only = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self.score_only:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        return bool(index.data(AFFECTS_ROLE))
