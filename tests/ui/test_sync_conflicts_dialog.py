"""The Sync conflicts view on a real conflict: two databases edited one evaluation
offline and synced through a team folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from qa_monitor.services import Services
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.dialogs.sync_conflicts_dialog import EMPTY, LIST, SyncConflictsDialog
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.session import Session
from qa_monitor.ui.sync_texts import SyncState
from tests.sync.conflict_setup import conflicting_edits

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
TIMEOUT = 20_000


def plain(text: str) -> str:
    return text.replace("\u2066", "").replace("\u2069", "")


def cells(model, columns: int) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [plain(model.index(r, c).data()) for c in range(columns)] for r in range(model.rowCount())
    ]


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    pair = conflicting_edits(tmp_path)
    services = Services.open(pair.a)
    reviewer = services.people.list_reviewers()[0]
    w = MainWindow(
        Session(services, pair.a, reviewer.id), ask_reviewer=False, first_sync_delay_ms=600_000
    )
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def open_conflicts(qtbot, window: MainWindow) -> SyncConflictsDialog:
    window.team_sync.conflicts_action.trigger()  # File ▸ Sync conflicts…
    dialog = window.findChild(SyncConflictsDialog)
    assert isinstance(dialog, SyncConflictsDialog)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() in (LIST, EMPTY), timeout=TIMEOUT)
    return dialog


def test_conflict_is_shown_side_by_side_and_dismissed(qtbot, qtmodeltester, window) -> None:
    qtbot.waitUntil(
        lambda: window.team_sync.indicator.current.state is SyncState.CONFLICTS, timeout=TIMEOUT
    )
    assert window.team_sync.indicator.text() == "1 sync conflict"
    assert window.team_sync.conflicts_action.text() == "Sync &conflicts (1)…"
    dialog = open_conflicts(qtbot, window)
    assert dialog.pages.currentIndex() == LIST
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.lines)
    day = date_text(date(2026, 3, 1)).strip("\u2066\u2069")
    (row,) = cells(dialog.proxy, 4)
    assert row[0] == f"Evaluation of Sara Ahmadi's call on {day} by Omid Karimi"
    assert row[1] == "Scores, answers and comments"
    assert row[2].startswith("Made at site ") and row[3].startswith("Made on this computer, ")
    detail = dialog.model.conflict_at(0)
    assert detail.kept.short in row[2]  # the other site's short id, never the full uuid
    assert plain(dialog.detail_title.text()) == row[0]
    lines = {label: (kept, other) for label, kept, other in cells(dialog.lines, 3)}
    assert lines["Overall comment"] == ("Fine call.", "Missed the greeting.")
    assert lines["Greeted the customer"] == ("Yes", "No — comment: no greeting heard")
    assert lines["Notes"] == ("calibrated with the team", "polite call")
    assert "Score" in lines and lines["Score"][0] != lines["Score"][1]
    assert dialog.table.hasFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)  # Dismiss, from the keyboard
    assert dialog.pages.currentIndex() == EMPTY
    assert dialog.empty.text() == (
        "No sync conflicts — edits made offline at the same time would appear here."
    )
    assert window.session.services.team_sync.conflict_details() == []
    qtbot.waitUntil(
        lambda: window.team_sync.indicator.current.state is SyncState.SYNCED, timeout=TIMEOUT
    )
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    again = open_conflicts(qtbot, window)
    assert again.pages.currentIndex() == EMPTY  # dismissed stays dismissed
    again.reject()


def test_open_evaluation_goes_to_the_evaluation(qtbot, window: MainWindow) -> None:
    dialog = open_conflicts(qtbot, window)
    opened: list[int] = []
    dialog.openEvaluationRequested.disconnect()
    dialog.openEvaluationRequested.connect(opened.append)
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # &Open evaluation
    qtbot.waitUntil(lambda: opened != [], timeout=TIMEOUT)
    assert opened == [dialog.model.conflict_at(0).record.evaluation_id]


def test_first_conflict_is_selected_in_right_to_left(qtbot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        dialog = open_conflicts(qtbot, window)
        assert dialog.table.selectionModel().selectedRows()  # highlighted, not only current
        assert dialog.dismiss_button.isEnabled() and dialog.lines.rowCount() > 0
        dialog.reject()
    finally:
        QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
