"""The main window: navigation, remembered state, reviewer choice, database switching."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from qa_monitor.services import Changes, Services
from qa_monitor.ui.dialogs.export_jobs import ExportFormat
from qa_monitor.ui.dialogs.reviewer_dialog import ReviewerDialog
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.session import open_session, recent_databases, reviewer_key
from tests.factories import seed


def make_db(path: Path) -> int:
    with Services.open(path) as services:
        return seed(services).reviewer.id


def window_for(qtbot, path: Path, monkeypatch, reviewer_id: int | None = None) -> MainWindow:
    session = open_session(path, None)
    assert session is not None
    session.reviewer_id = reviewer_id
    window = MainWindow(session, ask_reviewer=False)
    qtbot.addWidget(window)
    return window


def test_every_screen_is_reachable(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "a.db"
    window = window_for(qtbot, path, monkeypatch, make_db(path))
    keys = (
        "evaluate",
        "queue",
        "evaluations",
        "disputes",
        "coaching",
        "dashboard",
        "outcomes",
        "reviewers",
        "calibration",
        "profile",
        "forms",
        "people",
        "settings",
    )
    assert [s.key for s in window._specs] == list(keys)  # the Ctrl+<n> order
    for key in keys:
        screen = window.show_screen(key)
        assert window.stack.currentWidget() is screen
    assert type(window.screens["forms"]).__name__ == "FormsScreen"
    assert type(window.screens["disputes"]).__name__ == "DisputesScreen"
    actions = window.findChildren(type(window.menuBar().actions()[0]))
    shortcuts = {a.shortcut().toString() for a in actions}
    assert {"Ctrl+1", "Ctrl+9", "Ctrl+0", "Ctrl+N", "Ctrl+O", "Ctrl+E"} <= shortcuts
    by_key = {a.shortcut().toString(): a.text() for a in actions}
    assert (by_key["Ctrl+2"], by_key["Ctrl+3"], by_key["Ctrl+4"], by_key["Ctrl+5"]) == (
        "My queue",
        "Evaluations",
        "Disputes",
        "Coaching",
    )
    assert by_key["Ctrl+0"] == "Settings"
    assert (by_key["Ctrl+6"], by_key["Ctrl+7"]) == ("Dashboard", "Agent profile")
    assert by_key["Ctrl+Shift+Q"] == "Reviewer quality"
    assert by_key["Ctrl+Shift+L"] == "Calibration"
    assert by_key["Ctrl+Shift+U"] == "Customer outcomes"


def test_last_screen_is_remembered(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "a.db"
    reviewer = make_db(path)
    window = window_for(qtbot, path, monkeypatch, reviewer)
    window.show_screen("people")
    window.close()
    again = window_for(qtbot, path, monkeypatch, reviewer)
    assert again.current_screen_key() == "people"


def test_reviewer_chosen_at_first_start_is_remembered_per_database(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "a.db"
    make_db(path)
    QSettings().remove(reviewer_key(path))

    chosen = []

    def choose_second(self) -> int:
        self.list.setCurrentRow(1)
        chosen.append(self.list.currentItem().data(Qt.ItemDataRole.UserRole))
        self._accept()
        return 1

    monkeypatch.setattr(ReviewerDialog, "exec", choose_second)
    session = open_session(path, None)
    assert session is not None and session.reviewer_id is None
    window = MainWindow(session)  # asks, because nobody was chosen for this database
    qtbot.addWidget(window)
    assert window.session.reviewer_id == chosen[0]
    assert "Reviewer:" in window.reviewer_label.text()
    reopened = open_session(path, None)
    assert reopened is not None and reopened.reviewer_id == window.session.reviewer_id


def test_switching_database_and_recent_list(qtbot, tmp_path, monkeypatch):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    reviewer = make_db(first)
    make_db(second)
    window = window_for(qtbot, first, monkeypatch, reviewer)
    monkeypatch.setattr(ReviewerDialog, "exec", lambda self: 0)
    assert window.switch_database(second)
    assert window.session.path == second
    assert recent_databases()[:2] == [str(second), str(first)]


def test_a_broken_database_is_refused_with_a_sentence(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "a.db"
    window = window_for(qtbot, path, monkeypatch, make_db(path))
    junk = tmp_path / "notes.db"
    junk.write_text("this is not a database", encoding="utf-8")
    shown = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda parent, title, text: shown.append(text))
    )
    assert not window.switch_database(junk)
    assert window.session.path == path  # the open database stays open
    assert shown and "notes.db" in shown[0] and "Traceback" not in shown[0]


def test_dashboard_drill_down_opens_the_evaluations_behind_a_bar(qtbot, tmp_path, monkeypatch):
    from tests.factories import passing_answers

    path = tmp_path / "a.db"
    with Services.open(path) as services:
        seeded = seed(services)
        ids = []
        for _ in range(3):
            draft = services.evaluations.start_evaluation(
                seeded.interaction.id, seeded.version.id, seeded.reviewer.id
            )
            services.evaluations.save_draft(draft.id, passing_answers())
            assert services.evaluations.submit(draft.id, seeded.reviewer.id).ok
            ids.append(draft.id)
    window = window_for(qtbot, path, monkeypatch, seeded.reviewer.id)
    evaluations = window.screens["evaluations"]
    with qtbot.waitSignal(evaluations.listed, timeout=10_000):
        window.screens["dashboard"].evaluationsRequested.emit((ids[0], ids[2]))
    assert window.current_screen_key() == "evaluations"
    listed = {evaluations.model.row_at(i).id for i in range(evaluations.model.rowCount())}
    assert listed == {ids[0], ids[2]}
    assert evaluations.drill_banner.isVisibleTo(window)
    with qtbot.waitSignal(evaluations.listed, timeout=10_000):
        evaluations.clear_filters()
    assert evaluations.model.total == 3


def test_data_menu_exports_what_the_evaluations_screen_shows(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "a.db"
    window = window_for(qtbot, path, monkeypatch, make_db(path))
    keys = set(window.data_menu.actions_by_key)
    assert {"export_xlsx", "export_csv", "import_roster", "import_surveys"} <= keys
    evaluations = window.screens["evaluations"]
    evaluations.search.setText("nobody-has-this-text")
    dialog = window.data_menu.make_export(ExportFormat.XLSX)
    qtbot.addWidget(dialog)
    assert dialog.filter == evaluations.current_filter()
    assert dialog.filter.search == "nobody-has-this-text"


def test_unsaved_form_edits_are_asked_about_before_closing(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "a.db"
    window = window_for(qtbot, path, monkeypatch, make_db(path))
    forms = window.show_screen("forms")
    asked = []
    monkeypatch.setattr(forms, "maybe_leave", lambda: asked.append(True) or False)
    assert not window.switch_database(tmp_path / "b.db")
    assert window.session.path == path
    assert not window.close()
    assert len(asked) == 2
    monkeypatch.setattr(forms, "maybe_leave", lambda: True)
    assert window.close()


def test_agent_profile_opens_from_people_and_dashboard(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "a.db"
    with Services.open(path) as services:
        seeded = seed(services)
    window = window_for(qtbot, path, monkeypatch, seeded.reviewer.id)
    people = window.show_screen("people")
    people.show_kind("agent")
    assert people.select("agent", seeded.agent.id)
    assert people.profile_action.isEnabled()
    profile = window.screens["profile"]
    with qtbot.waitSignal(profile.refreshed, timeout=10000):
        people.profile_action.trigger()
    assert window.current_screen_key() == "profile"
    assert profile.agent_id == seeded.agent.id
    shown = []
    monkeypatch.setattr(profile, "show_agent", lambda agent_id, f=None: shown.append(agent_id))
    window.show_screen("dashboard").agentProfileRequested.emit(seeded.agent.id)
    assert window.current_screen_key() == "profile" and shown == [seeded.agent.id]
    people.show_kind("team")
    assert not people.profile_action.isEnabled()


def test_disputes_open_their_evaluation_and_a_re_review_refreshes_the_list(
    qtbot, tmp_path, monkeypatch
):
    from qa_monitor.core.disputes import ReceivedVia
    from tests.factories import passing_answers

    path = tmp_path / "a.db"
    with Services.open(path) as services:
        seeded = seed(services)
        draft = services.evaluations.start_evaluation(
            seeded.interaction.id, seeded.version.id, seeded.reviewer.id
        )
        services.evaluations.save_draft(draft.id, passing_answers())
        assert services.evaluations.submit(draft.id, seeded.reviewer.id).ok
        today = services.clock().date()
        services.disputes.open_dispute(
            draft.id, {"empathy": "Kind"}, today, ReceivedVia.EMAIL, None
        )
    window = window_for(qtbot, path, monkeypatch, seeded.expert.id)
    window.show()
    qtbot.waitExposed(window)
    disputes = window.screens["disputes"]
    with qtbot.waitSignal(disputes.queueListed, timeout=10_000):  # read once it is shown
        window.show_screen("disputes")
    assert disputes.queue_model.rowCount() == 1
    # A dispute recorded on the Evaluations screen reaches the queue.
    with qtbot.waitSignal(disputes.queueListed, timeout=10_000):
        window.screens["evaluations"].changed.emit(Changes(evaluations=True))
    opened = []
    monkeypatch.setattr(window.screens["evaluate"], "open_evaluation", opened.append)
    disputes.open_selected()
    assert window.current_screen_key() == "evaluate" and opened == [draft.id]
    evaluations = window.screens["evaluations"]
    with qtbot.waitSignal(evaluations.listed, timeout=10_000):
        disputes.changed.emit(Changes(evaluations=True))


def test_a_screen_chosen_from_the_keyboard_has_the_focus(qtbot, tmp_path, monkeypatch):
    """Ctrl+<n> puts the keyboard in the screen (its first field or list, or where it
    was when left), never in the navigation list, where typing searched the list."""
    from PySide6.QtWidgets import QApplication

    path = tmp_path / "a.db"
    window = window_for(qtbot, path, monkeypatch, make_db(path))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.setFocus()
    for key, screen in (("7", "profile"), ("2", "queue"), ("5", "coaching")):
        qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.ControlModifier)
        focused = QApplication.focusWidget()
        assert focused is not None and window.screens[screen].isAncestorOf(focused), screen
    queue = window.screens["queue"]
    assert QApplication.focusWidget() is not queue  # sanity: a child has it
    # Back to My queue: the focus returns where it was.
    qtbot.keyClick(QApplication.focusWidget(), "2", Qt.KeyboardModifier.ControlModifier)
    assert queue.isAncestorOf(QApplication.focusWidget())


def test_every_screen_name_fits_the_navigation(qtbot, tmp_path, monkeypatch):
    # "Customer outcomes" was cut to "Customer outcome" on a desktop font and the list
    # scrolled sideways; a translated name may be longer still.
    import dataclasses

    real = MainWindow._screen_specs

    def longer(self):  # type: ignore[no-untyped-def]
        specs = real(self)
        return [
            dataclasses.replace(s, title="Customer outcomes and retention by period")
            if s.key == "outcomes"
            else s
            for s in specs
        ]

    monkeypatch.setattr(MainWindow, "_screen_specs", longer)
    path = tmp_path / "a.db"
    window = window_for(qtbot, path, monkeypatch, make_db(path))
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    nav = window.nav
    room = nav.viewport().width()
    assert nav.sizeHintForColumn(0) <= room, (nav.sizeHintForColumn(0), room)
    assert not nav.horizontalScrollBar().isVisible()


@pytest.mark.qt_log_ignore("This plugin does not support", "QMenu.*popup", "grabbing the keyboard")
def test_a_reviewers_login_is_not_offered_the_supervisors_imports(qtbot, tmp_path, monkeypatch):
    """On a team server, the roster and customer data are the supervisors' to import (the
    server refuses a reviewer's, and the refused change would wait on this computer):
    the Data menu offers a reviewer only the call log and surveys, and says why."""
    from qa_monitor.storage.settings_repo import TEAM_ROLE, SettingsRepo

    path = tmp_path / "a.db"
    reviewer = make_db(path)
    with Services.open(path) as services, services.db.conn:
        SettingsRepo(services.db).set(TEAM_ROLE, "reviewer")  # as the server said
    window = window_for(qtbot, path, monkeypatch, reviewer)
    window.show()
    qtbot.waitExposed(window)
    menu = window.data_menu
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(menu.isVisible)
    actions = menu.actions_by_key
    offered = {k for k in actions if k.startswith("import_") and actions[k].isEnabled()}
    assert offered == {"import_interactions", "import_surveys"}
    assert actions["import_churn"].toolTip() == (
        "On the team server only a supervisor's login imports customer data."
    )
    assert "imports the roster" in actions["import_roster"].toolTip()
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    # A supervisor's login is offered them all again.
    with window.session.services.db.conn:
        SettingsRepo(window.session.services.db).set(TEAM_ROLE, "supervisor")
    menu.update_imports()
    assert all(actions[k].isEnabled() for k in actions if k.startswith("import_"))
    assert actions["import_churn"].toolTip().startswith("Customers who left")
