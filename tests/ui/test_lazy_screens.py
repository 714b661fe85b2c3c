"""The main window builds a screen when it is first needed: at start only the screen it
opens on; then each one the first time it is shown, asked for by another screen or read
by code. Requests and changes between screens work whatever order the screens were
built in, and closing or refreshing never builds one.

Every built screen is a page of the window's stack, so the stack's pages are what exists
(building all thirteen at start took 12 of the 15.7 s the window needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import Changes, Services
from qa_monitor.ui.dialogs.reviewer_dialog import ReviewerDialog
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.session import open_session
from tests.factories import passing_answers, seed

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 10_000
CTRL = Qt.KeyboardModifier.ControlModifier


def make_db(path: Path, evaluations: int = 0) -> tuple[int, int, list[int]]:
    """A seeded database: (expert reviewer id, agent id, submitted evaluation ids)."""
    with Services.open(path) as services:
        seeded = seed(services)
        ids = []
        for _ in range(evaluations):
            draft = services.evaluations.start_evaluation(
                seeded.interaction.id, seeded.version.id, seeded.reviewer.id
            )
            services.evaluations.save_draft(draft.id, passing_answers())
            assert services.evaluations.submit(draft.id, seeded.reviewer.id).ok
            ids.append(draft.id)
        return seeded.expert.id, seeded.agent.id, ids


def open_window(qtbot, path: Path, reviewer_id: int, first: str) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window as a user left it last time on screen ``first``."""
    QSettings().setValue("window/screen", first)
    session = open_session(path, None)
    assert session is not None
    session.reviewer_id = reviewer_id
    window = MainWindow(session, ask_reviewer=False)
    qtbot.addWidget(window)
    return window


def pages(window: MainWindow) -> list[str]:
    """The screens that exist (each built screen is a page of the stack)."""
    return [type(window.stack.widget(i)).__name__ for i in range(window.stack.count())]


def test_at_start_only_the_screen_shown_exists_and_every_name_is_listed(qtbot, tmp_path):
    path = tmp_path / "a.db"
    reviewer, _agent, _ids = make_db(path)
    window = open_window(qtbot, path, reviewer, "evaluate")
    assert pages(window) == ["EvaluateScreen"]
    assert window.stack.currentWidget() is window.screens["evaluate"]
    names = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert len(names) == 13 and names[0] == "Evaluate" and names[-1] == "Settings"
    assert "Customer outcomes" in names and "Agent profile" in names
    assert len(window.screens) == 13 and "dashboard" in window.screens
    window.close()

    # Opened where it was left: that screen, and no other.
    again = open_window(qtbot, path, reviewer, "people")
    assert pages(again) == ["PeopleScreen"]
    assert again.current_screen_key() == "people"
    assert again.stack.currentWidget() is again.screens["people"]


def test_a_screen_is_built_the_first_time_it_is_shown_and_only_once(qtbot, tmp_path):
    path = tmp_path / "a.db"
    reviewer, _agent, _ids = make_db(path)
    window = open_window(qtbot, path, reviewer, "evaluate")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    # A click on its name in the navigation.
    row = [s.key for s in window._specs].index("dashboard")
    rect = window.nav.visualItemRect(window.nav.item(row))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pages(window) == ["EvaluateScreen", "DashboardScreen"]
    dashboard = window.stack.currentWidget()
    assert dashboard.isVisible()
    # Back and forth by the keyboard: Ctrl+1 is Evaluate, Ctrl+6 the Dashboard.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, CTRL)
    assert window.current_screen_key() == "evaluate"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_6, CTRL)
    assert window.stack.currentWidget() is dashboard
    assert window.show_screen("dashboard") is dashboard is window.screens["dashboard"]
    assert pages(window) == ["EvaluateScreen", "DashboardScreen"]
    # Code reading a screen builds it without showing it.
    forms = window.screens["forms"]
    assert pages(window) == ["EvaluateScreen", "DashboardScreen", "FormsScreen"]
    assert window.stack.currentWidget() is dashboard and not forms.isVisible()


def test_a_drill_down_builds_the_evaluations_screen_and_shows_what_it_picked(qtbot, tmp_path):
    path = tmp_path / "a.db"
    reviewer, _agent, ids = make_db(path, evaluations=3)
    window = open_window(qtbot, path, reviewer, "dashboard")
    assert pages(window) == ["DashboardScreen"]
    window.screens["dashboard"].evaluationsRequested.emit((ids[0], ids[2]))
    assert window.current_screen_key() == "evaluations"
    evaluations = window.stack.currentWidget()
    assert type(evaluations).__name__ == "EvaluationsScreen"

    def listed() -> set[int]:
        model = evaluations.model
        return {model.row_at(i).id for i in range(model.rowCount())}

    qtbot.waitUntil(lambda: listed() == {ids[0], ids[2]}, timeout=TIMEOUT)
    assert evaluations.drill_banner.isVisibleTo(window)
    assert pages(window) == ["DashboardScreen", "EvaluationsScreen"]


def test_customer_outcomes_drill_down_into_evaluations_not_built_yet(qtbot, tmp_path):
    path = tmp_path / "a.db"
    reviewer, agent, ids = make_db(path, evaluations=2)
    window = open_window(qtbot, path, reviewer, "outcomes")
    assert pages(window) == ["OutcomesScreen"]
    window.screens["outcomes"].drillDown.emit(EvaluationFilter(agent_ids=(agent,)))
    evaluations = window.stack.currentWidget()
    assert type(evaluations).__name__ == "EvaluationsScreen"
    assert evaluations.current_filter().agent_ids == (agent,)
    qtbot.waitUntil(lambda: evaluations.model.total == len(ids), timeout=TIMEOUT)
    assert evaluations.drill_banner.isVisibleTo(window)


def test_people_open_an_agent_profile_not_built_yet(qtbot, tmp_path):
    path = tmp_path / "a.db"
    reviewer, agent, _ids = make_db(path, evaluations=1)
    window = open_window(qtbot, path, reviewer, "people")
    window.screens["people"].agentProfileRequested.emit(agent)
    assert window.current_screen_key() == "profile"
    profile = window.screens["profile"]
    assert profile.agent_id == agent
    assert profile.header.agent.currentData() == agent
    assert pages(window) == ["PeopleScreen", "AgentProfileScreen"]


def test_a_profile_starts_coaching_on_a_coaching_screen_not_built_yet(qtbot, tmp_path):
    path = tmp_path / "a.db"
    reviewer, agent, _ids = make_db(path)
    window = open_window(qtbot, path, reviewer, "profile")
    assert pages(window) == ["AgentProfileScreen"]
    window.screens["profile"].coachingRequested.emit(agent)
    assert window.current_screen_key() == "coaching"
    coaching = window.screens["coaching"]
    dialog = coaching.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.agent.currentData() == agent  # the profile's agent, preselected
    dialog.reject()


def test_disputes_open_an_evaluation_on_an_evaluate_screen_not_built_yet(qtbot, tmp_path):
    path = tmp_path / "a.db"
    reviewer, _agent, ids = make_db(path, evaluations=1)
    window = open_window(qtbot, path, reviewer, "disputes")
    assert pages(window) == ["DisputesScreen"]
    window.screens["disputes"].openEvaluationRequested.emit(ids[0])
    assert window.current_screen_key() == "evaluate"
    evaluate = window.screens["evaluate"]
    assert evaluate.evaluation is not None and evaluate.evaluation.id == ids[0]


def test_calibration_opens_a_form_draft_on_a_forms_screen_not_built_yet(qtbot, tmp_path):
    path = tmp_path / "a.db"
    reviewer, _agent, _ids = make_db(path)
    window = open_window(qtbot, path, reviewer, "calibration")
    assert pages(window) == ["CalibrationScreen"]
    form_id = window.session.services.forms.list_forms()[0].form_id
    window.screens["calibration"].formDraftRequested.emit(form_id, "empathy")
    assert window.current_screen_key() == "forms"
    forms = window.screens["forms"]
    assert forms.is_editing() and forms.editing.form_id == form_id


def test_changes_reach_screens_built_before_and_after_and_build_none(qtbot, tmp_path):
    path = tmp_path / "a.db"
    reviewer, _agent, _ids = make_db(path, evaluations=1)
    window = open_window(qtbot, path, reviewer, "people")
    window.show()
    qtbot.waitExposed(window)
    people = window.screens["people"]
    # People was built first; Evaluations, built after it, still hears of its changes.
    evaluations = window.show_screen("evaluations")
    qtbot.waitUntil(lambda: evaluations.model.total == 1, timeout=TIMEOUT)
    with qtbot.waitSignal(evaluations.listed, timeout=TIMEOUT):
        people.changed.emit(Changes(people=True))
    # Disputes, built after Evaluations, tells it of a re-review.
    disputes = window.screens["disputes"]
    with qtbot.waitSignal(evaluations.listed, timeout=TIMEOUT):
        disputes.changed.emit(Changes(evaluations=True))
    before = pages(window)
    assert before == ["PeopleScreen", "EvaluationsScreen", "DisputesScreen"]
    # A change does not build the screens that would show it: they read it when built.
    window.screens["evaluations"].changed.emit(Changes(evaluations=True))
    window.apply_changes(Changes(evaluations=True, people=True, forms=True, settings=True))
    window.switch_reviewer(reviewer)
    assert pages(window) == before


def test_closing_or_switching_the_database_builds_no_screen(qtbot, tmp_path, monkeypatch):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    reviewer, _agent, _ids = make_db(first)
    make_db(second)
    window = open_window(qtbot, first, reviewer, "forms")
    flushed = []
    forms = window.screens["forms"]
    monkeypatch.setattr(forms, "flush", lambda: flushed.append("forms"), raising=False)
    monkeypatch.setattr(ReviewerDialog, "exec", lambda self: 0)  # nobody chosen for b.db
    assert window.switch_database(second)
    # The new database opens on the first screen, built for it; Forms was closed first.
    assert flushed == ["forms"]
    assert pages(window) == ["EvaluateScreen"]
    assert window.screens["evaluate"].session is window.session
    assert window.close()
    assert pages(window) == ["EvaluateScreen"]


def test_charts_and_excel_are_not_imported_until_a_screen_needs_them(tmp_path):
    """matplotlib, openpyxl and charset_normalizer took ~2 s of every start; they are
    imported when the first screen that draws a chart (or a file dialog) opens. The
    icons never import qtawesome (and its qtpy). A fresh interpreter is needed to see
    what a start imports."""
    path = tmp_path / "a.db"
    reviewer, _agent, _ids = make_db(path)
    script = f"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from qa_monitor import paths
paths.use_data_dir_for_matplotlib()
from qa_monitor.app import create_application, use_data_dir_for_settings
use_data_dir_for_settings()  # in QA_MONITOR_DATA_DIR, never the user's own
from qa_monitor.ui.dialogs.reviewer_dialog import ReviewerDialog
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.session import open_session
heavy = ("matplotlib", "openpyxl", "charset_normalizer", "qtawesome", "qtpy")
app = create_application([])
QSettings().setValue("window/screen", "evaluate")
session = open_session(Path({str(path)!r}), None)
session.reviewer_id = {reviewer}
window = MainWindow(session, ask_reviewer=False)
window.show()
app.processEvents()
at_start = [m for m in heavy if m in sys.modules]
window.show_screen("dashboard")
after = [m for m in heavy if m in sys.modules]
window.close()
print(json.dumps([at_start, after]))
"""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "QA_MONITOR_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    at_start, after_dashboard = json.loads(done.stdout.strip().splitlines()[-1])
    assert at_start == []
    assert "matplotlib" in after_dashboard
