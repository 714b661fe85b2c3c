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
    screen.status.set_selected([EvaluationStatus.DRAFT.value])
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
    assert screen.body.currentWidget() is screen.empty
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
    screen.status.set_selected([EvaluationStatus.DRAFT.value])
    screen.apply_filters()
    qtbot.waitUntil(lambda: "Loading" in screen.count_label.text(), timeout=TIMEOUT)
    assert screen.model.total == 3  # the previous rows stay while loading
    screen.status.clear_selection()
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
    screen.agent.set_selected([seeded.agent.id])
    before = len(screen.agent.values())
    agent = services.people.add_agent("Zed Newcomer", team_id=seeded.team.id)
    listed(qtbot, screen, lambda: screen.refresh(Changes(people=True)))
    assert len(screen.agent.values()) == before + 1
    assert agent.id in screen.agent.values()
    assert screen.agent.selected() == (seeded.agent.id,)  # the choice is kept


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


# ---------------------------------------------------------------------- issue 17, item 9
def test_search_finds_part_of_a_call_id(qtbot, screen, services, data):
    seeded, _ids = data
    interaction = services.interactions.create_interaction(
        interaction_data(seeded.agent.id, external_id="CALL-0029625")
    )
    wanted = services.evaluations.start_evaluation(
        interaction.id, seeded.version.id, seeded.reviewer.id
    )
    screen.search.setFocus()
    listed(qtbot, screen, lambda: qtbot.keyClicks(screen.search, "02962"))
    assert [screen.model.row_at(i).id for i in range(screen.model.total)] == [wanted.id]


def test_an_empty_result_keeps_the_filter_bar_compact(qtbot, screen):
    """Nothing found: the message takes the list's place; the filter bar above keeps
    its height and place (it was stretched down the window)."""
    screen.resize(1280, 800)
    qtbot.waitUntil(lambda: screen.table.isVisible())
    bar = screen.filters.geometry()
    search = screen.search.geometry()
    listed(qtbot, screen, lambda: screen.search.setText("nobody-matches-this"))
    qtbot.waitUntil(lambda: screen.empty.isVisible())
    assert screen.filters.geometry() == bar and screen.search.geometry() == search
    assert screen.filters.height() <= screen.filters.sizeHint().height()


def test_a_drill_down_shows_its_filter_and_lets_you_change_it(qtbot, screen, services, data):
    from datetime import date

    from qa_monitor.core.records import EvaluationFilter, EvaluationKind
    from qa_monitor.ui.drill_down import EvaluationIds

    seeded, ids = data
    counted = tuple(s for s in EvaluationStatus if s is not EvaluationStatus.DRAFT)
    flt = EvaluationFilter(
        date_from=date(2026, 1, 1),
        date_to=date(2030, 12, 31),
        team_ids=(seeded.team.id,),
        statuses=counted,
        kinds=(EvaluationKind.REGULAR,),
    )
    listed(qtbot, screen, lambda: screen.show_filter(flt, drill_down=True))
    assert {screen.model.row_at(i).id for i in range(screen.model.total)} == {
        ids["pass"], ids["fail"]
    }  # drafts are not counted on the Dashboard, and not listed here (they were)
    # Every part of the filter is in its control...
    assert screen.team.selected() == (seeded.team.id,)
    assert set(screen.status.selected()) == {s.value for s in counted}
    assert screen.kind.selected() == (EvaluationKind.REGULAR.value,)
    assert screen.date_from.date() == date(2026, 1, 1)
    # ... and the line above the list says what it shows.
    assert screen.drill_banner.isVisibleTo(screen)
    said = screen.drill_label.text()
    assert seeded.team.name in said and "Regular" in said and "2030" in said
    # Changing a control changes the list; the line goes (the bar speaks for itself).
    listed(qtbot, screen, lambda: screen.critical_only.setChecked(True))
    assert [screen.model.row_at(i).id for i in range(screen.model.total)] == [ids["fail"]]
    assert not screen.drill_banner.isVisibleTo(screen)

    # Evaluations picked from a chart: named by what they are, within the filter.
    picked = EvaluationIds((ids["fail"],), "missed “Greets the customer”", flt)
    listed(qtbot, screen, lambda: screen.show_filter(picked.as_filter(), drill_down=True,
                                                     reason=picked.reason))  # fmt: skip
    said = screen.drill_label.text()
    assert "the 1 evaluation that missed “Greets the customer”" in said
    assert seeded.team.name in said
    listed(qtbot, screen, screen.drill_clear.click)
    assert screen.model.total == 3 and not screen.drill_banner.isVisibleTo(screen)
    assert screen.team.selected() == () and screen.date_from.date() is None


def test_team_filters_behave_the_same_on_both_screens(qtbot, screen, services, data, tmp_path):
    """The Dashboard's team filter: several teams may be ticked, none means all teams,
    and the agents offered follow the ticked teams; the Evaluations list's is the same."""
    from qa_monitor.services import Changes
    from qa_monitor.services.dashboard_service import DashboardService
    from qa_monitor.ui.screens.dashboard_filter_bar import DashboardFilterBar

    seeded, _ids = data
    other = services.people.add_team("Retention")
    newcomer = services.people.add_agent("Mina Rostami", team_id=other.id)
    listed(qtbot, screen, lambda: screen.refresh(Changes(people=True)))
    dashboard = DashboardFilterBar(DashboardService(tmp_path / "qa.db").choices())
    qtbot.addWidget(dashboard)
    assert type(screen.team) is type(dashboard.team)
    for bar in (screen.filters, dashboard):
        assert bar.team.currentText() == "All teams"
        bar.team.set_selected([other.id])
        assert bar.agent.values() == (newcomer.id,)
        bar.team.set_selected([other.id, seeded.team.id])
        assert bar.team.currentText() == "2 teams"
        assert set(bar.agent.values()) == {newcomer.id, seeded.agent.id}
    listed(qtbot, screen, screen.apply_filters)
    assert set(screen.current_filter().team_ids) == {other.id, seeded.team.id}
    assert screen.model.total == 3
