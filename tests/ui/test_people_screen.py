"""The People screen on a real database: add through the dialogs, refusals shown in place,
history kept by deactivating, filters, undo, keyboard."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import Changes, Services
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.dialogs.person_dialogs import AgentDialog, TeamDialog
from qa_monitor.ui.models.people_table_models import (
    ACTIVE_ROLE,
    AgentTableModel,
    PeopleFilterProxy,
    ReviewerTableModel,
    TeamTableModel,
)
from qa_monitor.ui.screens.people_screen import PeopleScreen
from qa_monitor.ui.session import Session
from tests.factories import passing_answers, seed
from tests.ui.unicode_keys import type_unicode

# The offscreen platform warns whenever a top-level window's size limits change (the test
# screen and its dialogs are top-level here); only this exact message is ignored.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp):
    """Keep the data folder and QSettings out of the user's home."""
    monkeypatch.setenv("QA_MONITOR_DATA_DIR", str(tmp_path / "data"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    old = QCoreApplication.organizationName()
    QCoreApplication.setOrganizationName("QA Monitor tests")
    yield
    QCoreApplication.setOrganizationName(old)


@pytest.fixture
def services(tmp_path: Path):
    with Services.open(tmp_path / "t.db") as opened:
        yield opened


def make_screen(qtbot, services: Services) -> PeopleScreen:
    screen = PeopleScreen(Session(services, services.path, None))
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


@pytest.fixture
def screen(qtbot, services: Services) -> PeopleScreen:
    return make_screen(qtbot, services)


def names(screen: PeopleScreen, kind: str) -> list[str]:
    """What the table shows, top to bottom (through the proxy)."""
    proxy = screen.tab(kind).proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def cell(screen: PeopleScreen, kind: str, name: str, column: int) -> str:
    proxy = screen.tab(kind).proxy
    row = names(screen, kind).index(name)
    return str(proxy.index(row, column).data())


def evaluated(services: Services):
    """A seeded database where agent Sara Ahmadi has one submitted evaluation."""
    seeded = seed(services)
    evaluation = services.evaluations.start_evaluation(
        seeded.interaction.id, seeded.version.id, seeded.reviewer.id
    )
    services.evaluations.save_draft(evaluation.id, passing_answers())
    assert services.evaluations.submit(evaluation.id).ok
    return seeded


# ---------------------------------------------------------------- models
def test_models_pass_qtmodeltester(qtmodeltester, services: Services) -> None:
    evaluated(services)
    people = services.people
    people.add_team("Sales")
    retired = people.add_agent("Old Timer", hire_date=date(2019, 5, 2), email="old@x.example")
    people.deactivate_agent(retired.id)
    people.add_reviewer("Expert Two", is_expert=True)
    teams, agents = people.list_teams(), people.list_agents()
    team_model, agent_model, reviewer_model = (
        TeamTableModel(),
        AgentTableModel(),
        ReviewerTableModel(),
    )
    team_model.set_teams(teams, agents)
    agent_model.set_agents(agents, teams)
    reviewer_model.set_rows(people.list_reviewers())
    for model in (team_model, agent_model, reviewer_model):
        qtmodeltester.check(model)
        proxy = PeopleFilterProxy()
        proxy.setSourceModel(model)
        proxy.set_show_inactive(True)
        qtmodeltester.check(proxy)
    row = agent_model.row_of(retired.id)
    assert agent_model.index(row, 5).data() == "Inactive"  # a word, not only a colour
    assert agent_model.index(row, 0).data(Qt.ItemDataRole.FontRole).italic()
    assert agent_model.index(row, 0).data(ACTIVE_ROLE) is False
    # The user's locale format, kept left-to-right inside right-to-left layouts.
    assert agent_model.index(row, 4).data() == (
        date_text(date(2019, 5, 2))
    )
    billing = team_model.row_of(teams[0].id)
    assert team_model.index(billing, 2).data(Qt.ItemDataRole.TextAlignmentRole) & int(
        Qt.AlignmentFlag.AlignRight
    )


# ---------------------------------------------------------------- adding
def test_add_a_team_then_an_agent_through_the_dialogs(qtbot, screen: PeopleScreen) -> None:
    screen.show_kind("team")
    screen.add_action.trigger()
    dialog = screen.dialog
    assert isinstance(dialog, TeamDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.name, "Billing")
    with qtbot.waitSignal(screen.changed) as emitted:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert emitted.args == [Changes(people=True)]
    assert names(screen, "team") == ["Billing"]
    assert screen.selected().name == "Billing"  # type: ignore[union-attr]
    assert "Added “Billing”" in screen.status.text()

    screen.show_kind("agent")
    screen.add_action.trigger()
    dialog = screen.dialog
    assert isinstance(dialog, AgentDialog)
    qtbot.keyClicks(dialog.name, "Sara Ahmadi")
    dialog.team.setCurrentIndex(dialog.team.findText("Billing"))
    qtbot.keyClicks(dialog.external_id, "ext-17")
    qtbot.keyClicks(dialog.email, "sara@centre.example")
    dialog.hire_known.setChecked(True)
    dialog.hire_date.setDate(date(2024, 2, 1))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    (agent,) = screen.session.services.people.list_agents()
    assert (agent.name, agent.external_id, agent.email) == (
        "Sara Ahmadi",
        "ext-17",
        "sara@centre.example",
    )
    assert agent.hire_date == date(2024, 2, 1)
    assert names(screen, "agent") == ["Sara Ahmadi"]
    assert cell(screen, "agent", "Sara Ahmadi", 1) == "Billing"
    assert screen.selected_id() == agent.id
    assert cell(screen, "team", "Billing", 2) == "1"  # the team counts its agent


def test_a_duplicate_name_is_shown_beside_the_field_and_nothing_is_lost(
    qtbot, screen: PeopleScreen
) -> None:
    people = screen.session.services.people
    people.add_agent("Sara Ahmadi")
    screen.refresh()
    screen.show_kind("agent")
    screen.add_action.trigger()
    dialog = screen.dialog
    assert isinstance(dialog, AgentDialog)
    qtbot.keyClicks(dialog.name, "sara ahmadi")
    qtbot.keyClicks(dialog.email, "second@centre.example")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # Enter confirms, like OK

    assert dialog.isVisible()
    assert dialog.name_error.isVisible()
    assert "already exists" in dialog.name_error.text.text()
    assert dialog.name_error.text.text()[0].isupper()
    assert dialog.name.text() == "sara ahmadi"
    assert dialog.email.text() == "second@centre.example"
    assert len(people.list_agents()) == 1

    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "Sara Karimi")
    assert not dialog.name_error.isVisible()  # typing clears the message
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert sorted(names(screen, "agent")) == ["Sara Ahmadi", "Sara Karimi"]


def test_empty_name_bad_email_and_taken_external_id_are_refused_in_place(
    qtbot, services: Services
) -> None:
    services.people.add_agent("Omid", external_id="A-1")
    dialog = AgentDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.name_error.isVisible() and "Type a name" in dialog.name_error.text.text()
    qtbot.keyClicks(dialog.name, "Leila")
    qtbot.keyClicks(dialog.email, "not an email")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.email_error.isVisible() and not dialog.name_error.isVisible()
    dialog.email.clear()
    qtbot.keyClicks(dialog.external_id, "A-1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.external_id_error.isVisible()
    assert "already belongs to Omid" in dialog.external_id_error.text.text()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert [a.name for a in services.people.list_agents()] == ["Omid"]


def test_edit_keeps_the_row_selected_and_can_be_undone(qtbot, screen: PeopleScreen) -> None:
    people = screen.session.services.people
    reviewer = people.add_reviewer("Omid Karimi")
    screen.refresh()
    screen.show_kind("reviewer")
    assert screen.select("reviewer", reviewer.id)
    screen.edit_action.trigger()
    dialog = screen.dialog
    dialog.expert.setChecked(True)  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    assert people.get_reviewer(reviewer.id).is_expert
    assert cell(screen, "reviewer", "Omid Karimi", 1) == "Expert"
    assert screen.selected_id() == reviewer.id
    screen.undo()
    assert not people.get_reviewer(reviewer.id).is_expert


# ---------------------------------------------------------------- history
def test_an_agent_with_an_evaluation_is_deactivated_not_deleted(qtbot, services: Services) -> None:
    seeded = evaluated(services)
    screen = make_screen(qtbot, services)
    screen.show_kind("agent")
    assert screen.select("agent", seeded.agent.id)
    screen.delete_action.trigger()

    box = screen.dialog
    assert isinstance(box, QMessageBox)
    assert "1 evaluation" in box.text() and "history is kept" in box.text()
    deactivate = next(b for b in box.buttons() if b.text() == "Deactivate")
    with qtbot.waitSignal(screen.changed):
        deactivate.click()

    assert not services.people.get_agent(seeded.agent.id).active  # still there, inactive
    flt = EvaluationFilter(agent_ids=(seeded.agent.id,))
    assert services.evaluations.count_evaluations(flt) == 1
    assert "Sara Ahmadi" not in names(screen, "agent")  # inactive people are hidden…
    screen.show_inactive.setChecked(True)  # …until asked for
    assert cell(screen, "agent", "Sara Ahmadi", 5) == "Inactive"
    assert screen.select("agent", seeded.agent.id)
    assert screen.reactivate_action.isEnabled() and not screen.deactivate_action.isEnabled()

    screen.undo()
    assert services.people.get_agent(seeded.agent.id).active


def test_delete_without_history_asks_once_and_can_be_undone(qtbot, screen: PeopleScreen) -> None:
    people = screen.session.services.people
    team = people.add_team("Night shift")
    screen.refresh()
    screen.show_kind("team")
    assert screen.select("team", team.id)
    screen.delete_action.trigger()
    box = screen.dialog
    assert isinstance(box, QMessageBox) and "Night shift" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    next(b for b in box.buttons() if b.text() == "Delete").click()
    assert people.list_teams() == []
    assert screen.dialog is None  # asked once: nothing else pops up
    assert "No teams yet" in screen.tab("team").empty_text.text()

    screen.undo()
    assert [t.name for t in people.list_teams()] == ["Night shift"]
    assert names(screen, "team") == ["Night shift"]


def test_cancel_deletes_nothing(qtbot, screen: PeopleScreen) -> None:
    people = screen.session.services.people
    reviewer = people.add_reviewer("Leila")
    screen.refresh()
    screen.show_kind("reviewer")
    screen.select("reviewer", reviewer.id)
    screen.delete_selected()
    screen.dialog.button(QMessageBox.StandardButton.Cancel).click()  # type: ignore[union-attr]
    assert people.get_reviewer(reviewer.id).name == "Leila"


# ---------------------------------------------------------------- lists
def test_empty_state_says_what_to_do(screen: PeopleScreen) -> None:
    tab = screen.tab("agent")
    assert tab.pages.currentIndex() == 1
    text = tab.empty_text.text()
    assert text.startswith("No agents yet") and "Ctrl+Shift+A" in text and "Import" in text
    assert tab.empty_add.isVisible()


def test_selection_survives_a_refresh(screen: PeopleScreen) -> None:
    people = screen.session.services.people
    for name in ("Bita", "Cyrus", "Dara"):
        people.add_agent(name)
    screen.refresh()
    cyrus = next(a for a in people.list_agents() if a.name == "Cyrus")
    assert screen.select("agent", cyrus.id)
    people.add_agent("Arman")  # sorts above Cyrus: his row number changes
    screen.refresh(Changes(people=True))
    assert names(screen, "agent") == ["Arman", "Bita", "Cyrus", "Dara"]
    assert screen.selected_id() == cyrus.id
    screen.refresh(Changes(evaluations=True))  # not about people: nothing reloads
    assert screen.selected_id() == cyrus.id


def test_search_and_show_inactive_filter_the_list(qtbot, screen: PeopleScreen) -> None:
    people = screen.session.services.people
    team = people.add_team("Retention")
    people.add_agent("Bita Rahimi", team_id=team.id)
    people.add_agent("Cyrus Vance", email="cyrus@centre.example")
    gone = people.add_agent("Dara Ghasemi", external_id="AG-77")
    people.deactivate_agent(gone.id)
    screen.refresh()
    screen.show_kind("agent")
    qtbot.keyClicks(screen.search, "retention")  # a team name finds its agents
    assert names(screen, "agent") == ["Bita Rahimi"]
    screen.search.clear()
    qtbot.keyClicks(screen.search, "ag-77")
    assert names(screen, "agent") == []
    assert "matches" in screen.tab("agent").empty_text.text()
    screen.show_inactive.setChecked(True)
    assert names(screen, "agent") == ["Dara Ghasemi"]
    screen.search.clear()
    assert len(names(screen, "agent")) == 3
    assert screen.count_label.text() == "Agents: 3"


def test_sorting_uses_each_columns_own_order(screen: PeopleScreen) -> None:
    people = screen.session.services.people
    people.add_agent("Zed", hire_date=date(2020, 1, 5))
    people.add_agent("Amy", hire_date=date(2023, 11, 30))
    people.add_agent("Max")
    screen.refresh()
    table = screen.tab("agent").table
    table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    assert names(screen, "agent") == ["Max", "Zed", "Amy"]  # "not set" first, then by date


def test_keyboard_opens_the_editor(qtbot, screen: PeopleScreen) -> None:
    people = screen.session.services.people
    agent = people.add_agent("Bita")
    screen.refresh()
    screen.show_kind("agent")
    screen.select("agent", agent.id)
    screen.activateWindow()
    table = screen.tab("agent").table
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert isinstance(screen.dialog, AgentDialog)
    assert screen.dialog.name.text() == "Bita"
    qtbot.keyClick(screen.dialog, Qt.Key.Key_Escape)  # Esc closes without saving
    assert screen.dialog is None
    qtbot.keyClick(table, Qt.Key.Key_F2)
    assert isinstance(screen.dialog, AgentDialog)
    screen.dialog.reject()


def test_shortcuts_add_delete_and_undo(qtbot, screen: PeopleScreen) -> None:
    people = screen.session.services.people
    screen.show_kind("reviewer")
    screen.activateWindow()
    screen.search.setFocus()  # the list is empty: no table to focus yet
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.search)
    qtbot.keyClick(
        screen.search,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = screen.dialog
    assert dialog is not None and dialog.windowTitle() == "Add reviewer"
    qtbot.keyClicks(dialog.name, "Leila Navabi")  # type: ignore[attr-defined]
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    assert [r.name for r in people.list_reviewers()] == ["Leila Navabi"]
    table = screen.tab("reviewer").table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert isinstance(screen.dialog, QMessageBox)
    next(b for b in screen.dialog.buttons() if b.text() == "Delete").click()
    assert people.list_reviewers() == []
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r.name for r in people.list_reviewers()] == ["Leila Navabi"]
    qtbot.keyClick(table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is screen.search


def test_search_matches_arabic_letters_typed_on_a_persian_keyboard(
    qtbot, screen: PeopleScreen
) -> None:
    people = screen.session.services.people
    team = people.add_team("پشتيباني")  # Arabic yeh, as a Windows-1256 system writes it
    people.add_agent("علي رضايي", team_id=team.id)
    people.add_agent("Sara Ahmadi")
    screen.refresh()
    screen.show_kind("agent")
    type_unicode(screen.search, "علی")  # typed on a Persian keyboard
    assert names(screen, "agent") == ["علي رضايي"]  # shown as stored
    screen.search.clear()
    type_unicode(screen.search, "پشتیبانی")
    assert names(screen, "agent") == ["علي رضايي"]
    screen.show_kind("team")
    assert names(screen, "team") == ["پشتيباني"]
