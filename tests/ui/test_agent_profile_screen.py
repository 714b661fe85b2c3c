"""The agent profile screen on small known data (``tests.reports.profile_data``): the
worker fills the header, charts and tables; another agent replaces everything; stale
results are dropped and a superseded query is interrupted; double-clicks and the export
button emit their signals."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from qa_monitor.core.records import Agent
from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.services import Services
from qa_monitor.ui.screens.agent_profile_header import ProfileHeader
from qa_monitor.ui.screens.agent_profile_screen import AgentProfileScreen
from qa_monitor.ui.session import Session
from tests.reports.profile_data import MARCH, Data, build_profile_data
from tests.ui.unicode_keys import type_unicode

TIMEOUT = 10_000
TODAY = date(2026, 3, 31)
SLOW_SQL = (  # about ten seconds of SQLite work
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000)"
    " SELECT count(*) FROM n"
)


@pytest.fixture(scope="module")
def data_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Data]]:
    path = tmp_path_factory.mktemp("profile-ui") / "qa.db"
    data = build_profile_data(path)
    data.services.close()
    yield path, data


@pytest.fixture
def services(data_path: tuple[Path, Data]) -> Iterator[Services]:
    with Services.open(data_path[0]) as opened:
        yield opened


@pytest.fixture
def screen(qtbot, services, data_path) -> Iterator[AgentProfileScreen]:
    widget = AgentProfileScreen(Session(services, data_path[0], None), today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    yield widget
    widget.close()  # waits for a running query before the database closes


def show(qtbot, screen: AgentProfileScreen, agent_id: int, f: DashboardFilter | None = MARCH):
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        screen.show_agent(agent_id, f)
    return screen.profile


def tiles(screen: AgentProfileScreen) -> dict[str, tuple[str, str]]:
    return {t.caption: (t.value(), t.detail()) for t in screen.header.tiles}


def double_click(qtbot, view: QTableView, row: int, column: int = 0) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_before_any_agent_the_screen_says_what_to_do(screen: AgentProfileScreen) -> None:
    assert screen.profile is None
    assert "Choose an agent" in screen.message.text()
    assert not screen.header.export_button.isEnabled()
    assert screen.header.agent.count() == 4
    assert all(chart.figure is not None for chart in screen.panels.charts)


def test_showing_an_agent_fills_header_tables_and_charts(
    qtbot, qtmodeltester, screen, data_path
) -> None:
    _path, data = data_path
    profile = show(qtbot, screen, data.agents[0].id)

    assert profile.kpis.n == 4
    assert screen.header.name_label.text() == "A1"
    assert screen.header.team_label.text() == "Team: Team 1"
    assert screen.header.period_key() == "month"  # March 1–31 is "This month" on Mar 31
    t = tiles(screen)
    assert t["Evaluations"][0] == "4" and "7" in t["Evaluations"][1]
    assert t["Mean score"][0] == "67.5" and "team 78.6" in t["Mean score"][1]
    assert t["Pass rate"][0] == "75.0%" and t["Pass rate"][1].startswith("3 of 4")
    assert t["Critical failures"] == ("1", "25.0% of evaluations")
    assert t["Change vs previous period"][0] == "▼ -17.5"
    assert "85.0" in t["Change vs previous period"][1]
    assert not screen.header.busy.isVisible()
    assert screen.header.export_button.isEnabled()

    panels = screen.panels
    assert [r.question_id for r in panels.weakest_model.rows] == ["q1", "q5", "q9"]
    assert [c.comment for c in panels.comments_model.rows][:2] == ["Perfect", "No disclosure read"]
    assert panels.critical_model.rowCount() == 1
    assert [c.key for c in panels.areas_model.rows] == ["proc", "out", "soft", "comp"]
    assert not any(label.isVisible() for label in panels.empty_labels.values())
    trend = panels.trend_chart.figure
    assert trend is not None and trend.axes[0].get_title(loc="left") == "Mean score per week"
    difference = panels.difference_chart.figure
    assert difference is not None and len(difference.axes[0].patches) == 4
    for model in (
        panels.areas_model,
        panels.weakest_model,
        panels.comments_model,
        panels.critical_model,
    ):
        qtmodeltester.check(model)

    # One switch drives the comparison chart and its table.
    panels.scope_group.button(2).click()
    assert {c.kind.value for c in panels.areas_model.rows} == {"question"}
    assert "Questions" in panels.difference_chart.figure.axes[0].get_title(loc="left")
    panels.scope_group.button(0).click()
    assert [c.key for c in panels.areas_model.rows][-1] == "compliance"

    # Double-clicks drill down; the export button asks for the coaching workbook.
    with qtbot.waitSignal(screen.evaluationsRequested, timeout=TIMEOUT) as asked:
        double_click(qtbot, panels.weakest_view, 0)
    assert asked.args == [(data.a1["mar9"], data.a1["mar2"])]
    with qtbot.waitSignal(screen.openEvaluationRequested, timeout=TIMEOUT) as opened:
        double_click(qtbot, panels.comments_view, 1)
    assert opened.args == [data.a1["mar16"]]
    with qtbot.waitSignal(screen.openEvaluationRequested, timeout=TIMEOUT) as opened:
        double_click(qtbot, panels.critical_view, 0)
    assert opened.args == [data.a1["mar16"]]
    with qtbot.waitSignal(screen.exportFeedbackRequested, timeout=TIMEOUT) as export:
        qtbot.mouseClick(screen.header.export_button, Qt.MouseButton.LeftButton)
    assert export.args == [data.agents[0].id]


def test_choosing_another_agent_updates_everything(qtbot, screen, data_path) -> None:
    _path, data = data_path
    show(qtbot, screen, data.agents[0].id)
    revisions = [chart.revision for chart in screen.panels.charts]
    combo = screen.header.agent
    # A1 asked again, then A2 chosen in the picker before the first result came back:
    # only A2 is ever shown.
    screen.show_agent(data.agents[0].id)
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        combo.setCurrentIndex(combo.findText("A2"))
        combo.activated.emit(combo.currentIndex())
    p = screen.profile
    assert (p.name, p.kpis.n) == ("A2", 3)
    assert screen.header.name_label.text() == "A2"
    assert tiles(screen)["Mean score"][0] == "93.3"
    assert screen.panels.critical_model.rowCount() == 0
    assert screen.panels.empty_labels[screen.panels.critical_view].isVisible()
    assert [r.question_id for r in screen.panels.weakest_model.rows] == ["q2", "q5"]
    assert [c.comment for c in screen.panels.comments_model.rows] == ["A2 note"]
    # Asking for a figure builds a chart that waited to be seen.
    assert all(chart.figure is not None for chart in screen.panels.charts)
    assert all(
        chart.revision > before
        for chart, before in zip(screen.panels.charts, revisions, strict=True)
    )
    qtbot.wait(100)  # A1's dropped result would have arrived by now
    assert screen.profile.name == "A2" and screen.header.name_label.text() == "A2"


def test_period_presets_and_an_agent_without_evaluations(qtbot, screen, data_path) -> None:
    _path, data = data_path
    show(qtbot, screen, data.agents[0].id)
    period = screen.header.period
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        period.setCurrentIndex(period.findData("all"))
    assert screen.profile.filter.date_from is None and screen.profile.kpis.n == 6
    assert tiles(screen)["Change vs previous period"][0] == "—"

    feb = DashboardFilter(date_from=date(2026, 2, 1), date_to=date(2026, 2, 20))
    profile = show(qtbot, screen, data.agents[1].id, feb)  # A2 has none in February
    assert profile.kpis.n == 0
    assert screen.header.period_key() == "custom"
    assert "No submitted evaluations of A2" in screen.message.text()
    assert all(label.isVisible() for label in screen.panels.empty_labels.values())


def test_a_newer_request_interrupts_a_slow_one(qtbot, screen, data_path, monkeypatch) -> None:
    """A cold all-time profile can read for seconds: choosing another agent must not
    wait for it (its query is interrupted), and closing the screen neither."""
    from qa_monitor.reports import analytics_profile
    from qa_monitor.services import profile_service

    _path, data = data_path
    slow_agent, quick_agent = data.agents[0].id, data.agents[1].id
    real_build = analytics_profile.build_agent_profile
    started = threading.Event()

    def build(db, agent_id, f):
        if agent_id == slow_agent:
            started.set()
            db.execute(SLOW_SQL).fetchall()  # seconds, unless interrupted
        return real_build(db, agent_id, f)

    monkeypatch.setattr(profile_service, "build_agent_profile", build)
    screen.show_agent(slow_agent, MARCH)
    assert started.wait(5)
    began = time.perf_counter()
    p = show(qtbot, screen, quick_agent)
    assert p.agent_id == quick_agent
    assert time.perf_counter() - began < 1.5  # the slow query took far longer alone
    started.clear()
    screen.show_agent(slow_agent, MARCH)
    assert started.wait(5)
    began = time.perf_counter()
    screen.close()  # cancels, then waits for the worker
    assert time.perf_counter() - began < 1.5


@pytest.mark.qt_log_ignore("This plugin does not support raise", "grabbing the keyboard")
def test_the_agent_picker_finds_arabic_letters_typed_on_a_persian_keyboard(qtbot) -> None:
    header = ProfileHeader(TODAY)
    qtbot.addWidget(header)
    header.set_agents([Agent(1, "Sara Ahmadi"), Agent(2, "علي رضايي"), Agent(3, "كاظم")])
    header.show()
    combo = header.agent
    combo.lineEdit().setFocus()
    combo.lineEdit().clear()
    type_unicode(combo.lineEdit(), "علی")  # Persian yeh
    completer = combo.completer()
    model = completer.completionModel()
    qtbot.waitUntil(lambda: completer.popup().isVisible())
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["علي رضايي"]
    with qtbot.waitSignal(header.agentChosen) as chosen:
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert chosen.args == [2]
    assert combo.currentText() == "علي رضايي"  # the name as stored, not its key


@pytest.mark.qt_log_ignore("This plugin does not support raise", "grabbing the keyboard")
def test_enter_in_the_agent_search_picks_the_only_match(qtbot) -> None:
    """Issue 17, item 10: typing part of a name and pressing Enter chooses the agent when
    only one matches, without going down the list first; with several, nothing is
    chosen until one is picked."""
    header = ProfileHeader(TODAY)
    qtbot.addWidget(header)
    header.set_agents([Agent(1, "Sara Ahmadi"), Agent(2, "Sarah Kim"), Agent(3, "كاظم")])
    header.show()
    combo = header.agent
    line = combo.lineEdit()
    line.setFocus()
    chosen: list[int] = []
    header.agentChosen.connect(chosen.append)
    qtbot.keyClicks(line, "sara")  # two names contain it
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert chosen == []
    qtbot.keyClicks(line, "h")  # "sarah": only Sarah Kim
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert chosen == [2]
    assert combo.currentText() == "Sarah Kim"
    line.selectAll()
    type_unicode(line, "کاظ")  # Persian kaf: still the one Arabic-spelt name
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert chosen == [2, 3]
    assert combo.currentText() == "كاظم"
