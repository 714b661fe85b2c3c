"""The first start: an empty database opens on a welcome whose four choices each lead
somewhere, from the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from qa_monitor import paths
from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import Changes, Services
from qa_monitor.ui.dialogs import welcome_dialog
from qa_monitor.ui.dialogs.reviewer_dialog import ReviewerDialog
from qa_monitor.ui.dialogs.welcome_dialog import WelcomeDialog, offer_welcome
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.session import open_session
from tests.factories import seed


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch) -> MainWindow:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    # Switching to the demo asks who is reviewing: no one answers in a test.
    monkeypatch.setattr(ReviewerDialog, "exec", lambda self: 0)
    session = open_session(tmp_path / "empty.db", None)
    assert session is not None
    main = MainWindow(session, ask_reviewer=False)
    qtbot.addWidget(main)
    main.show()
    return main


@pytest.fixture
def welcome(window, qtbot) -> WelcomeDialog:
    dialog = offer_welcome(window)
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    return dialog


def test_no_welcome_on_a_database_in_use(qtbot, tmp_path):
    path = tmp_path / "used.db"
    with Services.open(path) as services:
        seed(services)
    session = open_session(path, None)
    assert session is not None
    main = MainWindow(session, ask_reviewer=False)
    qtbot.addWidget(main)
    main.show()
    assert offer_welcome(main) is None


def test_enter_loads_the_shipped_forms_and_tab_goes_on_to_the_roster(welcome, window, qtbot):
    assert welcome.focusWidget() is welcome.forms_button
    qtbot.keyClick(welcome.forms_button, Qt.Key.Key_Space)
    titles = [info.title for info in window.session.services.forms.list_forms()]
    assert len(titles) == 4
    assert welcome.status.isVisible() and "Published 4 forms" in welcome.status.text()
    assert not welcome.forms_button.isEnabled()
    assert welcome.focusWidget() is welcome.roster_button
    assert welcome.empty_button.text() == "&Continue"
    qtbot.keyClick(welcome, Qt.Key.Key_Escape)
    assert not welcome.isVisible()
    assert window.current_screen_key() == "evaluate"


def test_import_a_roster_opens_the_data_menus_import(welcome, window, qtbot, monkeypatch):
    asked = []

    class FakeImport:
        def exec(self) -> int:
            window.session.services.people.add_agent("Sara Ahmadi")
            window.apply_changes(Changes(people=True))
            return QDialog.DialogCode.Accepted.value

    def make_import(kind):
        asked.append(kind)
        return FakeImport()

    monkeypatch.setattr(window.data_menu, "make_import", make_import)
    qtbot.mouseClick(welcome.roster_button, Qt.MouseButton.LeftButton)
    assert [k.value for k in asked] == ["roster"]
    assert "1 agents" in welcome.status.text()
    assert welcome.focusWidget() is welcome.forms_button  # the other step is next


def test_a_cancelled_import_changes_nothing(welcome, window, qtbot, monkeypatch):
    class Cancelled:
        def exec(self) -> int:
            return 0

    monkeypatch.setattr(window.data_menu, "make_import", lambda kind: Cancelled())
    qtbot.mouseClick(welcome.roster_button, Qt.MouseButton.LeftButton)
    assert welcome.roster_button.isEnabled() and not welcome.status.isVisible()


def test_open_the_demo_builds_it_in_the_background_and_switches(
    welcome, window, qtbot, monkeypatch
):
    def small_demo(path: Path, _control) -> Path:
        with Services.open(path) as services:
            seed(services)
        return path

    monkeypatch.setattr(welcome_dialog, "_build_demo", small_demo)
    qtbot.mouseClick(welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.path == paths.demo_database_path(), timeout=10_000)
    assert not welcome.isVisible()
    assert window.session.services.people.list_agents()


def test_start_empty_closes_and_leaves_the_database_empty(welcome, window, qtbot):
    qtbot.mouseClick(welcome.empty_button, Qt.MouseButton.LeftButton)
    assert not welcome.isVisible()
    services = window.session.services
    assert not services.forms.list_forms()
    assert services.evaluations.count_evaluations(EvaluationFilter()) == 0
