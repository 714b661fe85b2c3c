"""The evaluations list: filters reach the query, sorting, paging, opening and discarding;
pages are read off the GUI thread and a superseded read is dropped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.services.evaluation_list_service import EvaluationListService
from qa_monitor.ui.models.evaluation_pages import PageLoader
from qa_monitor.ui.models.evaluation_table_model import PAGE, EvaluationTableModel
from qa_monitor.ui.screens.evaluations_screen import EvaluationsScreen
from qa_monitor.ui.session import Session
from tests.factories import failing_answers, interaction_data, passing_answers, seed
from tests.ui.unicode_keys import type_unicode

TIMEOUT = 10_000


def listed(qtbot, screen: EvaluationsScreen, action) -> None:
    """Run ``action`` (which re-reads the list) and wait until its rows are shown."""
    with qtbot.waitSignal(screen.listed, timeout=TIMEOUT):
        action()


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
    qtbot.waitUntil(lambda: not widget.model.loading, timeout=TIMEOUT)
    yield widget
    widget.close()  # before the database closes, as the main window does


def test_lists_everything_then_filters_by_status_and_critical(qtbot, screen, data):
    _seeded, ids = data
    assert screen.model.total == 3
    screen.status.setCurrentIndex(screen.status.findData(EvaluationStatus.DRAFT))
    listed(qtbot, screen, screen.apply_filters)
    assert screen.model.total == 1 and screen.model.row_at(0).id == ids["draft"]
    listed(qtbot, screen, screen.clear_filters)
    assert screen.model.total == 3
    screen.critical_only.setChecked(True)
    listed(qtbot, screen, screen.apply_filters)
    assert [screen.model.row_at(i).id for i in range(screen.model.total)] == [ids["fail"]]
    listed(qtbot, screen, screen.clear_filters)
    screen.search.setText("call-11")
    listed(qtbot, screen, screen.apply_filters)
    assert screen.model.total == 1 and screen.model.row_at(0).id == ids["fail"]


def test_empty_state_says_what_to_do(qtbot, screen):
    screen.search.setText("nobody-matches-this")
    listed(qtbot, screen, screen.apply_filters)
    assert screen.empty.isVisibleTo(screen) and not screen.table.isVisibleTo(screen)
    assert "Ctrl+N" in screen.empty.text()


def test_open_emits_the_selected_id_and_selection_survives_refresh(qtbot, screen, data):
    _seeded, ids = data
    row = screen.model.row_of(ids["fail"])
    screen.table.selectRow(row)
    listed(qtbot, screen, screen.refresh)
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
    listed(qtbot, screen, screen.discard_selected)
    assert screen.model.total == 2


def test_model_fetches_lazily_and_passes_modeltester(
    qtbot, qtmodeltester, services, data, tmp_path
):
    """Pages arrive as the view asks for more; the model obeys Qt's model contract."""
    seeded, _ids = data
    for n in range(PAGE + 30):
        interaction = services.interactions.create_interaction(
            interaction_data(seeded.agent.id, external_id=f"bulk-{n}")
        )
        services.evaluations.start_evaluation(interaction.id, seeded.version.id, seeded.reviewer.id)
    service = EvaluationListService(tmp_path / "qa.db")
    calls = []
    page = service.page

    def counted_page(flt, offset, limit, cancel=None):
        calls.append(offset)
        return page(flt, offset, limit, cancel)

    service.page = counted_page  # type: ignore[method-assign]
    loader = PageLoader(service)
    model = EvaluationTableModel(loader)
    with qtbot.waitSignal(model.loaded, timeout=TIMEOUT):
        model.reload()
    assert model.total == PAGE + 33 and model.rowCount() == PAGE and calls == []
    assert model.canFetchMore()
    with qtbot.waitSignal(model.rowsInserted, timeout=TIMEOUT):
        model.fetchMore()
        assert not model.canFetchMore()  # one request per page, however often asked
        model.fetchMore()
    assert model.rowCount() == PAGE + 33 and not model.canFetchMore() and calls == [PAGE]
    assert len({model.row_at(i).id for i in range(model.rowCount())}) == PAGE + 33
    qtmodeltester.check(model)
    loader.wait()


def test_a_newer_filter_wins_over_a_slower_older_one(qtbot, screen, data, monkeypatch):
    """The rows shown are always the latest request's, whatever order answers come in;
    the older read is cancelled, and the count line says it is loading meanwhile."""
    import threading

    _seeded, ids = data
    service = screen.model.loader.service
    first_page = service.first_page
    release = threading.Event()

    def slow_for_drafts(flt, limit, cancel=None):
        if flt.statuses == (EvaluationStatus.DRAFT,):
            release.wait(5)
        return first_page(flt, limit, cancel)

    monkeypatch.setattr(service, "first_page", slow_for_drafts)
    screen.status.setCurrentIndex(screen.status.findData(EvaluationStatus.DRAFT))
    screen.apply_filters()
    qtbot.waitUntil(lambda: "Loading" in screen.count_label.text(), timeout=TIMEOUT)
    assert screen.model.total == 3  # the previous rows stay while loading
    screen.status.setCurrentIndex(0)
    screen.critical_only.setChecked(True)
    release.set()
    listed(qtbot, screen, screen.apply_filters)
    qtbot.wait(200)  # the drafts answer, had it not been dropped, would be shown by now
    assert [screen.model.row_at(i).id for i in range(screen.model.total)] == [ids["fail"]]
    assert screen.count_label.text() == "1 evaluation"


def test_a_failed_read_is_a_sentence_and_keeps_the_rows(qtbot, screen, monkeypatch):
    service = screen.model.loader.service

    def broken(flt, limit, cancel=None):
        raise OSError("disk I/O error")

    monkeypatch.setattr(service, "first_page", broken)
    with qtbot.waitSignal(screen.model.loadFailed, timeout=TIMEOUT):
        screen.apply_filters()
    assert "could not be read: disk I/O error." in screen.count_label.text()
    assert screen.model.total == 3 and screen.table.isVisibleTo(screen)


def test_a_new_agent_appears_in_the_filter_after_a_people_change(qtbot, screen, services, data):
    from qa_monitor.services import Changes

    seeded, _ids = data
    screen.agent.setCurrentIndex(screen.agent.findData(seeded.agent.id))
    before = screen.agent.count()
    agent = services.people.add_agent("Zed Newcomer", team_id=seeded.team.id)
    listed(qtbot, screen, lambda: screen.refresh(Changes(people=True)))
    assert screen.agent.count() == before + 1
    assert screen.agent.findData(agent.id) > 0
    assert screen.agent.currentData() == seeded.agent.id  # the choice is kept


def test_the_last_column_reaches_the_table_edge(qtbot, services, data, tmp_path):
    """Columns are fitted to their contents when rows arrive, but the last one stretches
    to the edge. Rows now arrive after the screen is shown (they are read off the GUI
    thread); fitting the last column then too left it narrow, with an empty band to its
    right."""
    from qa_monitor.ui.main_window import MainWindow

    seeded, _ids = data
    window = MainWindow(
        Session(services, tmp_path / "qa.db", seeded.reviewer.id), ask_reviewer=False
    )
    qtbot.addWidget(window)
    screen = window.screens["evaluations"]
    window.resize(1500, 900)
    window.show()
    with qtbot.waitSignal(screen.listed, timeout=TIMEOUT):
        window.show_screen("evaluations")  # before the first rows arrive
    qtbot.waitExposed(screen)
    header = screen.table.horizontalHeader()
    last = screen.model.columnCount() - 1
    right = header.sectionViewportPosition(last) + header.sectionSize(last)
    assert right >= screen.table.viewport().width() - 1
    assert header.sectionSize(0) < header.sectionSize(last)  # the others were fitted
    window.close()


def test_search_matches_arabic_letters_typed_on_a_persian_keyboard(
    qtbot, screen, services, data
):
    seeded, _ids = data
    agent = services.people.add_agent("علي رضايي")  # Arabic yeh
    interaction = services.interactions.create_interaction(
        interaction_data(agent.id, external_id="call-fa")
    )
    wanted = services.evaluations.start_evaluation(
        interaction.id, seeded.version.id, seeded.reviewer.id
    )
    screen.search.setFocus()
    listed(qtbot, screen, lambda: type_unicode(screen.search, "علی"))  # Persian yeh
    assert screen.model.total == 1 and screen.model.row_at(0).id == wanted.id
    assert screen.model.row_at(0).agent_name == "علي رضايي"
