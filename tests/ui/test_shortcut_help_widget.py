"""The shortcut list: every scoring key is there, extra groups add to it, Esc closes it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from qa_monitor.ui.widgets.shortcut_help_widget import ShortcutHelpDialog, form_shortcuts

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_lists_scoring_keys_and_closes_on_escape(qtbot):
    player = ("Recording", [("Play / pause", "Ctrl+Space")])
    dialog = ShortcutHelpDialog(groups=[form_shortcuts(), player])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    rows = dict(dialog.shortcut_rows())
    assert rows["Yes / No"] == "Y / N"
    assert rows["Not applicable"] == "A"
    assert rows["Write a comment on the question"] == "C"
    assert rows["Play / pause"] == "Ctrl+Space"
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
