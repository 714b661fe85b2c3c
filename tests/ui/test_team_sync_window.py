"""Team sync in the main window, against a real team folder between two real databases:
the status bar indicator through its states, Sync now (F5) on a worker with the screens
refreshed, the progress of a large sync, and the sync on close."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from qa_monitor.services import Services
from qa_monitor.services.team_sync import SyncMode, TeamSettings, default_transport
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.session import Session
from qa_monitor.ui.sync_texts import SyncState
from tests.factories import passing_answers, seed
from tests.sync.conflict_setup import join_folder
from tests.ui.fake_team_server import FakeServer

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
TIMEOUT = 20_000


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """Site a has scored a call and sent it to the team folder."""
    folder = tmp_path / "team"
    folder.mkdir()
    with Services.open(tmp_path / "a.db") as a:
        first = seed(a)
        ev = a.evaluations.start_evaluation(
            first.interaction.id, first.version.id, first.reviewer.id
        )
        a.evaluations.save_draft(ev.id, passing_answers())
        assert a.evaluations.submit(ev.id).ok
        join_folder(a, folder)
        assert a.team_sync.sync_now().problems == []
    return folder


class Threads:
    """A transport factory that notes which thread each sync ran on."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def __call__(self, db, settings, password):  # type: ignore[no-untyped-def]
        self.names.append(threading.current_thread().name)
        return default_transport(db, settings, password)


@pytest.fixture
def threads() -> Threads:
    return Threads()


def open_window(qtbot, path: Path, factory) -> MainWindow:  # type: ignore[no-untyped-def]
    services = Services.open(path, transport_factory=factory)
    services.settings.set_timezone("UTC")
    reviewer = services.people.add_reviewer("Nasrin Tehrani")
    window = MainWindow(
        Session(services, path, reviewer.id), ask_reviewer=False, first_sync_delay_ms=600_000
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, tmp_path: Path, threads: Threads) -> Iterator[MainWindow]:
    w = open_window(qtbot, tmp_path / "b.db", threads)
    yield w
    w.team_sync.stop()


def plain(text: str) -> str:
    """``text`` without the isolates that keep numbers left-to-right in RTL layouts."""
    return text.replace("\u2066", "").replace("\u2069", "")


def state(window: MainWindow) -> SyncState:
    return window.team_sync.indicator.current.state


def wait_state(qtbot, window: MainWindow, wanted: SyncState) -> None:
    qtbot.waitUntil(lambda: state(window) is wanted, timeout=TIMEOUT)


def press_f5(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F5)


def test_indicator_states_and_sync_now_bring_the_team_evaluation(
    qtbot, window: MainWindow, team: Path, threads: Threads
) -> None:
    indicator = window.team_sync.indicator
    wait_state(qtbot, window, SyncState.OFF)
    assert indicator.text() == "Team sync off"
    actions = {a.text(): a for a in window.menuBar().actions()[0].menu().actions()}
    assert actions["S&ync now"].shortcut().toString() == "F5"
    assert {"Sync &conflicts…", "&Team settings…"} <= set(actions)
    # The indicator's own menu offers the same three actions.
    assert [a.text() for a in indicator.menu().actions()] == [
        "S&ync now", "Sync &conflicts…", "&Team settings…"
    ]

    services = window.session.services
    join_folder(services, team)
    window.team_sync.settings_saved()
    wait_state(qtbot, window, SyncState.WAITING)
    # The reviewer added here and the centre's time zone (a team-wide setting).
    assert indicator.text() == "2 changes waiting"

    evaluations = window.show_screen("evaluations")
    qtbot.waitUntil(lambda: not evaluations.model.loading, timeout=TIMEOUT)  # type: ignore[attr-defined]
    assert evaluations.model.total == 0  # type: ignore[attr-defined]
    seen: list[str] = []
    runner = window.team_sync.runner
    assert runner is not None
    runner.started.connect(lambda: seen.append(indicator.text()))
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        press_f5(qtbot, window)
    assert seen == ["Syncing…"]
    assert threads.names and all(n != threading.main_thread().name for n in threads.names)
    wait_state(qtbot, window, SyncState.SYNCED)
    assert indicator.text() == "Synced just now"
    assert "Synced just now: sent 2, received " in plain(indicator.toolTip())
    # The screens refreshed through the usual route: the call scored at site a is listed.
    qtbot.waitUntil(lambda: evaluations.model.total == 1, timeout=TIMEOUT)  # type: ignore[attr-defined]
    assert evaluations.model.row_at(0).agent_name == "Sara Ahmadi"  # type: ignore[attr-defined]

    services.people.add_team("Retention")
    window.team_sync.local_change()
    wait_state(qtbot, window, SyncState.WAITING)
    assert indicator.text() == "1 change waiting"

    shutil.move(team, team.with_name("team-away"))  # the share went away
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        press_f5(qtbot, window)
    wait_state(qtbot, window, SyncState.PROBLEM)
    assert indicator.text().startswith("Sync problem: The team folder")
    assert "does not exist or cannot be reached" in indicator.toolTip()
    # The status read after the failure says what was kept.
    qtbot.waitUntil(lambda: "Nothing was lost" in indicator.toolTip(), timeout=TIMEOUT)
    assert "Last attempt " in indicator.toolTip()
    assert indicator.accessibleName().startswith("Team sync: Sync problem:")

    shutil.move(team.with_name("team-away"), team)  # back: the next sync catches up
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        press_f5(qtbot, window)
    wait_state(qtbot, window, SyncState.SYNCED)
    assert indicator.text() == "Synced just now"


def test_a_large_sync_shows_progress_that_can_be_stopped(
    qtbot, window: MainWindow, team: Path
) -> None:
    services = window.session.services
    with services.db.conn:  # 2,500 changes waiting (the triggers journal each row)
        services.db.conn.executemany(
            "INSERT INTO teams (name, created_at) VALUES (?, '2026-03-01T09:00:00.000Z')",
            [(f"Team {i:04d}",) for i in range(2500)],
        )
    join_folder(services, team)
    window.team_sync.settings_saved()
    wait_state(qtbot, window, SyncState.WAITING)
    waiting = QLocale().toString(2502)  # and the reviewer and time zone set here
    assert window.team_sync.indicator.text() == f"{waiting} changes waiting"
    shown: list[tuple[str, bool]] = []
    runner = window.team_sync.runner
    assert runner is not None

    def progressed(_done: int, _total: int) -> None:
        dialog = window.team_sync.progress_dialog
        if dialog is not None:
            shown.append((dialog.labelText(), dialog.isModal()))

    runner.progressed.connect(progressed)
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        press_f5(qtbot, window)
    assert shown and plain(shown[0][0]).startswith(
        f"Sending your changes to the team: {waiting} of {waiting}."
    )
    assert shown[0][1] is False  # the app stays usable while it runs
    assert window.team_sync.progress_dialog is None  # closed when the sync ended
    wait_state(qtbot, window, SyncState.SYNCED)


def test_changes_waiting_are_sent_on_close(qtbot, tmp_path: Path, team: Path, threads) -> None:
    window = open_window(qtbot, tmp_path / "b.db", threads)
    services = window.session.services
    join_folder(services, team)
    window.team_sync.settings_saved()
    services.people.add_team("Retention")
    window.close()
    assert window.isVisible()  # not yet: sending first
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT)
    with Services.open(tmp_path / "a.db") as a:
        a.team_sync.sync_now()
        assert "Retention" in [t.name for t in a.people.list_teams()]


def test_close_now_does_not_wait_for_a_slow_server(qtbot, tmp_path: Path) -> None:
    server = FakeServer(hold=threading.Event())
    window = open_window(qtbot, tmp_path / "b.db", server.factory)
    services = window.session.services
    services.team_sync.save_team_settings(
        TeamSettings(SyncMode.SERVER, host="db", database="qa", user="sara")
    )
    window.team_sync.settings_saved()
    try:
        window.close()
        qtbot.waitUntil(lambda: isinstance(active_progress(), QProgressDialog), timeout=TIMEOUT)
        dialog = active_progress()
        assert dialog is not None and dialog.objectName() == "closeSync"
        assert dialog.labelText() == "Sending your changes to the team before QA Monitor closes…"
        close_now = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Close now")
        qtbot.mouseClick(close_now, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    finally:
        server.hold.set()  # type: ignore[union-attr]
    assert server.passwords == [None]  # no password typed: the server's file has it


def active_progress() -> QProgressDialog | None:
    widget = QApplication.activeModalWidget()
    return widget if isinstance(widget, QProgressDialog) else None
