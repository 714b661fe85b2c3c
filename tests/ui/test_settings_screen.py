"""The Settings screen: centre settings go to the database, appearance to QSettings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication

from qa_monitor.services import Changes, Services
from qa_monitor.ui.screens import settings_screen
from qa_monitor.ui.screens.settings_screen import SettingsScreen, apply_saved_direction
from qa_monitor.ui.session import Session

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp):
    """Keep the data folder and QSettings out of the user's home; restore the direction."""
    monkeypatch.setenv("QA_MONITOR_DATA_DIR", str(tmp_path / "data"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    old = QCoreApplication.organizationName()
    QCoreApplication.setOrganizationName("QA Monitor tests")
    yield
    QCoreApplication.setOrganizationName(old)
    QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


@pytest.fixture
def services(db_path: Path):
    with Services.open(db_path) as opened:
        opened.settings.set_timezone("UTC")
        yield opened


@pytest.fixture
def screen(qtbot, services: Services, db_path: Path) -> SettingsScreen:
    reviewer = services.people.add_reviewer("Nasrin Tehrani")
    widget = SettingsScreen(Session(services, db_path, reviewer.id))
    qtbot.addWidget(widget)
    widget.resize(1000, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_shows_the_database_folder_and_reviewer(screen: SettingsScreen, db_path, tmp_path):
    assert screen.database_path.text() == str(db_path)
    assert screen.database_path.isReadOnly()
    assert screen.data_folder.text() == str(tmp_path / "data")
    assert screen.reviewer.text() == "Nasrin Tehrani"
    assert screen.zone.currentText() == "UTC"


def test_week_start_is_saved_in_the_database(qtbot, screen: SettingsScreen, db_path) -> None:
    days = [screen.week_start.itemText(i) for i in range(screen.week_start.count())]
    assert days[0] == "Saturday" and days[2] == "Monday"  # Iran's week first, then Russia's
    assert screen.week_start.currentText() == "Monday"
    screen.week_start.setFocus()
    with qtbot.waitSignal(screen.changed) as emitted:
        qtbot.keyClick(screen.week_start, Qt.Key.Key_Up)  # Monday -> Sunday
        qtbot.keyClick(screen.week_start, Qt.Key.Key_Up)  # Sunday -> Saturday
    assert emitted.args == [Changes(settings=True)]
    assert screen.week_start.currentText() == "Saturday"
    assert "Saturday" in screen.status.text()
    assert screen.session.services.settings.centre().week_start == 5
    with Services.open(db_path) as reopened:  # persisted, not just held in memory
        assert reopened.settings.centre().week_start == 5


def test_the_dispute_deadline_is_stored(qtbot, screen: SettingsScreen, db_path) -> None:
    spin = screen.dispute_days
    assert (spin.minimum(), spin.maximum(), spin.value()) == (1, 60, 5)  # the default
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "8")
    with qtbot.waitSignal(screen.changed) as emitted:
        qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert emitted.args == [Changes(settings=True)]
    assert screen.session.services.settings.dispute_deadline_days() == 8
    assert screen.status.text() == (
        "Saved: a dispute now waits at most 8 working days for its re-review."
    )
    # Arrow keys: stored once the steps pause, without leaving the field.
    with qtbot.waitSignal(screen.changed, timeout=5_000):
        qtbot.keyClick(spin, Qt.Key.Key_Up)
        qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert screen.session.services.settings.dispute_deadline_days() == 10
    spin.selectAll()
    qtbot.keyClicks(spin, "99")  # beyond the range: the box keeps at most 60
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() <= 60
    with Services.open(db_path) as reopened:  # persisted, not just held in memory
        assert reopened.settings.dispute_deadline_days() == spin.value()


# Typing opens the completer's popup, which the offscreen platform cannot raise or give the
# keyboard to; only these two messages are ignored, and only here.
@pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)
def test_time_zone_is_validated_then_saved(qtbot, screen: SettingsScreen, db_path) -> None:
    line = screen.zone.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, "Mars/Olympus")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert screen.zone_error.isVisible()
    assert "not a known time zone" in screen.zone_error.text.text()
    assert line.text() == "Mars/Olympus"  # what was typed stays, to correct
    assert screen.session.services.settings.centre().timezone == "UTC"

    line.selectAll()
    qtbot.keyClicks(line, "Asia/Tehran")
    assert not screen.zone_error.isVisible()
    with qtbot.waitSignal(screen.changed):
        qtbot.keyClick(line, Qt.Key.Key_Return)
    assert screen.session.services.settings.centre().timezone == "Asia/Tehran"
    assert "Asia/Tehran" in screen.status.text()
    assert "UTC+03:30" in screen.zone_hint.text().replace("\u2066", "").replace("\u2069", "")
    with Services.open(db_path) as reopened:
        assert reopened.settings.centre().timezone == "Asia/Tehran"


def test_direction_applies_at_once_and_is_remembered(qtbot, screen: SettingsScreen) -> None:
    index = screen.direction.findData("rtl")
    screen.direction.setCurrentIndex(index)
    screen.direction.activated.emit(index)
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert QSettings().value("ui/direction") == "rtl"
    QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    assert apply_saved_direction() == Qt.LayoutDirection.RightToLeft  # what app start does
    index = screen.direction.findData("auto")
    screen.direction.setCurrentIndex(index)
    screen.direction.activated.emit(index)
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight  # English


def test_language_is_remembered(screen: SettingsScreen) -> None:
    assert screen.language.currentText() == "English"
    screen.language.activated.emit(0)
    assert QSettings().value("ui/language") == "en"
    assert "next time" in screen.status.text()


def test_show_in_folder_opens_the_database_folder(
    qtbot, screen: SettingsScreen, db_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(settings_screen, "open_folder", lambda p: opened.append(p) or True)
    button = next(
        b for b in screen.findChildren(settings_screen.QPushButton) if b.text() == "Show in folder"
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened == [db_path.parent]


@pytest.mark.parametrize("role", ["reviewer", "agent"])
def test_a_reviewer_on_a_team_server_cannot_change_the_team_settings(
    qtbot, services: Services, db_path: Path, role: str
) -> None:
    """The server refuses a reviewer's or an agent's change to the team's settings, and
    a refused change holds up everything sent after it: the screen does not offer it."""
    from qa_monitor.services.common import NotAllowedError
    from qa_monitor.storage.settings_repo import TEAM_ROLE, SettingsRepo

    with services.db.conn:
        SettingsRepo(services.db).set(TEAM_ROLE, role)  # as the server said at sign-in
    widget = SettingsScreen(Session(services, db_path, None))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    assert not widget.zone.isEnabled() and not widget.week_start.isEnabled()
    assert widget.centre_locked.isVisible()
    assert "supervisors choose these" in widget.centre_locked.text()
    widget.week_start.setFocus()
    qtbot.keyClick(widget.week_start, Qt.Key.Key_Up)
    assert services.settings.centre().week_start == 0
    with pytest.raises(NotAllowedError, match="ask one of them"):
        services.settings.set_timezone("Asia/Tehran")
    assert services.settings.centre().timezone == "UTC"


def test_a_supervisor_on_a_team_server_changes_the_team_settings(
    screen: SettingsScreen, services: Services
) -> None:
    from qa_monitor.storage.settings_repo import TEAM_ROLE, SettingsRepo

    with services.db.conn:
        SettingsRepo(services.db).set(TEAM_ROLE, "supervisor")
    screen.refresh()
    assert screen.zone.isEnabled() and screen.week_start.isEnabled()
    assert not screen.centre_locked.isVisible()
    services.settings.set_week_start(5)
    assert services.settings.centre().week_start == 5
