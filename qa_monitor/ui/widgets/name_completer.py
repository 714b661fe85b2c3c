"""A completer for an editable combo of people's names that matches by name key
(``core.text_keys.name_key``): "علی" typed on a Persian keyboard finds "علي" stored
from an Arabic system, "sara" finds "SARA", and the popup and the combo still show
the names as stored.

The combo's items carry their key in ``KEY_ROLE`` (``set_item_keys``); the completer
matches the key of what was typed against it and puts the item's own text back.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QCompleter

from qa_monitor.core.text_keys import name_key

KEY_ROLE = Qt.ItemDataRole.UserRole + 7  # clear of the roles combos keep their data in


class NameKeyCompleter(QCompleter):
    def __init__(self, combo: QComboBox):
        super().__init__(combo.model(), combo)
        self.setCompletionRole(KEY_ROLE)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def splitPath(self, path: str) -> list[str]:
        return [name_key(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


def set_item_keys(combo: QComboBox) -> None:
    """Give every item of ``combo`` the key of its text (call after filling it)."""
    for row in range(combo.count()):
        combo.setItemData(row, name_key(combo.itemText(row)), KEY_ROLE)


def only_match(combo: QComboBox) -> int:
    """The row Enter should pick for what was typed in ``combo``: the item whose name is
    exactly that (by key), else the only item whose name contains it; -1 when there are
    none or several to choose from."""
    typed = name_key(combo.currentText())
    if not typed:
        return -1
    keys = [str(combo.itemData(row, KEY_ROLE) or "") for row in range(combo.count())]
    exact = [row for row, key in enumerate(keys) if key == typed]
    if len(exact) == 1:
        return exact[0]
    found = [row for row, key in enumerate(keys) if typed in key]
    return found[0] if len(found) == 1 else -1
