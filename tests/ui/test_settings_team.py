"""Settings ▸ Team, driven from the keyboard: choose how to sync, see what is missing in
place, test the connection on a worker, and keep the server password out of the file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from qa_monitor.services import Services
from qa_monitor.services.sync_conflicts import short_site
from qa_monitor.services.sync_transport import TransportError
from qa_monitor.services.team_sync import SyncMode, TeamSettings
from qa_monitor.ui.screens.settings_screen import SettingsScreen
from qa_monitor.ui.session import Session
from tests.ui.fake_team_server import FakeServer

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
TIMEOUT = 15_000


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def services(tmp_path: Path, server: FakeServer) -> Iterator[Services]:
    with Services.open(tmp_path / "t.db", transport_factory=server.factory) as opened:
        opened.settings.set_timezone("UTC")
        yield opened


@pytest.fixture
def screen(qtbot, services: Services, tmp_path: Path) -> SettingsScreen:
    reviewer = services.people.add_reviewer("Nasrin Tehrani")
    widget = SettingsScreen(Session(services, tmp_path / "t.db", reviewer.id))
    qtbot.addWidget(widget)
    widget.resize(1000, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_team()
    return widget


def no_popup() -> None:
    assert not isinstance(QApplication.activeModalWidget(), QMessageBox)


def choose_mode(qtbot, screen: SettingsScreen, mode: SyncMode) -> None:
    """Alt+S reaches the mode list (its label's mnemonic); arrows choose."""
    team = screen.team
    qtbot.keyClick(screen, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert team.mode.hasFocus()
    qtbot.keyClick(team.mode, Qt.Key.Key_Home)
    for _ in range(team.mode.findData(mode.value)):
        qtbot.keyClick(team.mode, Qt.Key.Key_Down)
    assert team.mode.currentData() == mode.value


def test_folder_settings_are_validated_in_place_then_saved(
    qtbot, screen: SettingsScreen, services: Services, tmp_path: Path
) -> None:
    team = screen.team
    assert team.mode.currentData() == "off"
    team.site.setFocus()  # away from the mode list, so Alt+S is what brings it back
    assert not team.mode.hasFocus()
    assert not team.folder.isVisible() and not team.host.isVisible()
    choose_mode(qtbot, screen, SyncMode.FOLDER)
    assert team.folder.isVisible() and not team.host.isVisible()
    qtbot.keyClick(screen, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # Team f&older
    assert team.folder.hasFocus()
    qtbot.keyClick(team.folder, Qt.Key.Key_Return)  # nothing typed yet
    no_popup()
    assert team.problems.isVisible()
    assert team.problems.text.text() == "Choose the team folder to sync through."
    assert services.team_sync.team_settings().mode is SyncMode.OFF  # nothing stored
    folder = tmp_path / "team"
    folder.mkdir()
    qtbot.keyClicks(team.folder, str(folder))
    assert not team.problems.isVisible()  # the problem went as the field was filled
    team.interval.setFocus()
    team.interval.selectAll()
    qtbot.keyClicks(team.interval, "15")
    with qtbot.waitSignal(screen.teamSaved):
        qtbot.keyClick(team.folder, Qt.Key.Key_Return)
    stored = services.team_sync.team_settings()
    assert (stored.mode, stored.folder, stored.interval_minutes) == (
        SyncMode.FOLDER,
        str(folder),
        15,
    )
    assert screen.status.text() == (
        "Saved: this database syncs through the team folder every 15 minutes."
    )
    assert "no sign-in and no roles" in team.identity.text()
    site = services.team_sync.identity()[0]
    assert team.site.text() == short_site(site) and team.site.isReadOnly()
    qtbot.mouseClick(team.copy_site, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == site


def test_test_connection_runs_on_a_worker_and_says_what_it_found(
    qtbot, screen: SettingsScreen, tmp_path: Path
) -> None:
    team = screen.team
    choose_mode(qtbot, screen, SyncMode.FOLDER)
    qtbot.keyClicks(team.folder, str(tmp_path / "missing"))
    qtbot.keyClick(screen, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # Test &connection
    qtbot.waitUntil(lambda: team_result(screen).startswith("Connection failed"), timeout=TIMEOUT)
    assert "does not exist or cannot be reached" in team.test_result.text()
    (tmp_path / "team").mkdir()
    team.folder.selectAll()
    qtbot.keyClicks(team.folder, str(tmp_path / "team"))
    assert not team.test_result.isVisible()  # an old result never stands for new settings
    qtbot.keyClick(screen, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: team_result(screen).startswith("Connection works"), timeout=TIMEOUT)
    assert team.test_result.text() == "Connection works: The team folder can be used."
    no_popup()


def test_server_settings_send_the_password_to_the_server_never_to_the_file(
    qtbot, screen: SettingsScreen, services: Services, server: FakeServer, tmp_path: Path
) -> None:
    team = screen.team
    choose_mode(qtbot, screen, SyncMode.SERVER)
    assert team.host.isVisible() and not team.folder.isVisible()
    assert team.password.echoMode() == team.password.EchoMode.Password
    assert "Not known yet" in team.identity.text()
    qtbot.keyClick(screen, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # Save settin&gs
    qtbot.waitUntil(team.problems.isVisible)  # a mnemonic "clicks" after a short animation
    assert team.problems.text.text() == (
        "Give the team server's host name. Give the name of the team's database on the "
        "server. Give your user name on the team server."
    )
    for key, text in ((Qt.Key.Key_A, "db.example.org"), (Qt.Key.Key_M, "qa_team"),
                      (Qt.Key.Key_U, "sara"), (Qt.Key.Key_W, "s3cret-Pa55")):  # fmt: skip
        qtbot.keyClick(screen, key, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClicks(QApplication.focusWidget(), text)
    assert not team.problems.isVisible()
    qtbot.keyClick(screen, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: team.test_result.text().startswith("Connection"), timeout=TIMEOUT)
    assert team.test_result.text() == (
        "Connection works: Connected to qa_team on db.example.org as sara (reviewer)."
    )
    assert server.passwords == ["s3cret-Pa55"]
    assert team.identity.text() == "Signed in to the team server as sara (reviewer)."
    with qtbot.waitSignal(screen.passwordGiven) as given, qtbot.waitSignal(screen.teamSaved):
        qtbot.keyClick(team.user, Qt.Key.Key_Return)
    assert given.args == ["s3cret-Pa55"]
    stored = services.team_sync.team_settings()
    assert (stored.host, stored.port, stored.database, stored.user) == (
        "db.example.org", 5432, "qa_team", "sara"
    )
    services.db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    raw = sqlite3.connect(tmp_path / "t.db")
    dump = "\n".join(raw.iterdump())
    raw.close()
    assert "s3cret-Pa55" not in dump
    assert b"s3cret-Pa55" not in (tmp_path / "t.db").read_bytes()


def test_a_wrong_password_is_a_sentence_in_place(
    qtbot, screen: SettingsScreen, server: FakeServer
) -> None:
    server.refuse = "The team server refused the user name or password. Check them and try again."
    services = screen.session.services
    services.team_sync.save_team_settings(
        TeamSettings(SyncMode.SERVER, host="db", database="qa", user="sara")
    )
    screen.refresh()
    qtbot.keyClick(screen, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: team_result(screen).startswith("Connection failed"), timeout=TIMEOUT)
    assert team_result(screen) == f"Connection failed: {server.refuse}"
    no_popup()
    assert isinstance(server.refused, TransportError)


def team_result(screen: SettingsScreen) -> str:
    return screen.team.test_result.text()


def test_team_rows_get_the_height_their_wrapped_notes_need(
    qtbot, screen: SettingsScreen, services: Services, tmp_path: Path
) -> None:
    """The groups were measured at the column's full width while drawn narrower, so
    the Team group's wrapped notes were squeezed over each other."""
    services.team_sync.save_team_settings(
        TeamSettings(SyncMode.FOLDER, folder=str(tmp_path / "team"))
    )
    screen.refresh()
    screen.resize(1400, 900)
    qtbot.wait(50)
    team = screen.team
    assert team.height() >= team.heightForWidth(team.width())
