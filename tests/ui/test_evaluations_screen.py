"""The evaluations list: filters reach the query, sorting, paging, opening and discarding."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.ui.models.evaluation_table_model import PAGE, EvaluationTableModel
from qa_monitor.ui.screens.evaluations_screen import EvaluationsScreen
from qa_monitor.ui.session import Session
from tests.factories import failing_answers, interaction_data, passing_answers, seed


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    with Services.open(tmp_path / "qa.db") as opened:
        yield opened


@pytest.fixture
def data(services):
    seeded = seed(services)
    ids = {}
    for n, answers in enumerate((passing_answers(), failing_answers(), None)):
        interaction = services.interactions.create_interaction(
            interaction_data(seeded.agent.id, external_id=f"call-{n + 10}")
        )
        draft = services.evaluations.start_evaluation(
            interaction.id, seeded.version.id, seeded.reviewer.id
        )
        if answers is not None:
            services.evaluations.save_draft(draft.id, answers)
            assert services.evaluations.submit(draft.id, seeded.reviewer.id).ok
        ids[("pass", "fail", "draft")[n]] = draft.id
    return seeded, ids


@pytest.fixture
def screen(qtbot, services, data, tmp_path) -> Iterator[EvaluationsScreen]:
    seeded, _ids = data
    widget = EvaluationsScreen(Session(services, tmp_path / "qa.db", seeded.reviewer.id))
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.close()  # before the database closes, as the main window does


def test_lists_everything_then_filters_by_status_and_critical(qtbot, screen, data):
    _seeded, ids = data
    assert screen.model.total == 3
    screen.status.setCurrentIndex(screen.status.findData(EvaluationStatus.DRAFT))
    screen.apply_filters()
    assert screen.model.total == 1 and screen.model.row_at(0).id == ids["draft"]
    screen.clear_filters()
    assert screen.model.total == 3
    screen.critical_only.setChecked(True)
    screen.apply_filters()
    assert [screen.model.row_at(i).id for i in range(screen.model.total)] == [ids["fail"]]
    screen.clear_filters()
    screen.search.setText("call-11")
    screen.apply_filters()
    assert screen.model.total == 1 and screen.model.row_at(0).id == ids["fail"]


def test_empty_state_says_what_to_do(qtbot, screen):
    screen.search.setText("nobody-matches-this")
    screen.apply_filters()
    assert screen.empty.isVisibleTo(screen) and not screen.table.isVisibleTo(screen)
    assert "Ctrl+N" in screen.empty.text()


def test_open_emits_the_selected_id_and_selection_survives_refresh(qtbot, screen, data):
    _seeded, ids = data
    row = screen.model.row_of(ids["fail"])
    screen.table.selectRow(row)
    screen.refresh()
    assert screen.selected_id() == ids["fail"]
    with qtbot.waitSignal(screen.openRequested) as signal:
        screen.open_selected()
    assert signal.args == [ids["fail"]]


def test_discard_draft(qtbot, screen, services, data, monkeypatch):
    _seeded, ids = data
    screen.table.selectRow(screen.model.row_of(ids["draft"]))
    assert screen.discard_button.isEnabled()
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    screen.discard_selected()
    assert screen.model.total == 2


def test_model_fetches_lazily_and_passes_modeltester(qtmodeltester, services, data):
    """Pages arrive as the view asks for more; the model obeys Qt's model contract."""
    seeded, _ids = data
    for n in range(PAGE + 30):
        interaction = services.interactions.create_interaction(
            interaction_data(seeded.agent.id, external_id=f"bulk-{n}")
        )
        services.evaluations.start_evaluation(interaction.id, seeded.version.id, seeded.reviewer.id)
    calls = []

    def fetch(flt, offset, limit):
        calls.append(offset)
        return services.evaluations.list_evaluations(flt, offset, limit)

    model = EvaluationTableModel(fetch, services.evaluations.count_evaluations)
    model.reload()
    assert model.total == PAGE + 33 and model.rowCount() == PAGE and calls == [0]
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE + 33 and not model.canFetchMore()
    assert len({model.row_at(i).id for i in range(model.rowCount())}) == PAGE + 33
    qtmodeltester.check(model)


def test_a_new_agent_appears_in_the_filter_after_a_people_change(screen, services, data):
    from qa_monitor.services import Changes

    seeded, _ids = data
    screen.agent.setCurrentIndex(screen.agent.findData(seeded.agent.id))
    before = screen.agent.count()
    agent = services.people.add_agent("Zed Newcomer", team_id=seeded.team.id)
    screen.refresh(Changes(people=True))
    assert screen.agent.count() == before + 1
    assert screen.agent.findData(agent.id) > 0
    assert screen.agent.currentData() == seeded.agent.id  # the choice is kept
