"""The dashboard screen on the demo database: filters reach every chart and table, stale
results are dropped, charts export, rows and bars drill down, the empty state speaks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.reports.analytics import DashboardFilter
from qa_monitor.services import Services
from qa_monitor.services.dashboard_service import DashboardService
from qa_monitor.services.demo_data import DEMO_ANCHOR, build_demo_database
from qa_monitor.ui.screens.dashboard_screen import DashboardScreen
from qa_monitor.ui.session import Session

TIMEOUT = 15_000


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("d") / "demo.db"
    build_demo_database(path)
    return path


@pytest.fixture
def services(demo_path: Path) -> Iterator[Services]:
    with Services.open(demo_path) as opened:
        yield opened


@pytest.fixture
def screen(qtbot, services, demo_path) -> Iterator[DashboardScreen]:
    widget = DashboardScreen(Session(services, demo_path, None), today=DEMO_ANCHOR)
    qtbot.addWidget(widget)
    widget.resize(1500, 950)
    widget.show()
    qtbot.waitUntil(lambda: widget.dashboard is not None, timeout=TIMEOUT)
    yield widget
    widget.close()  # waits for running queries before the database closes


def chart_state(screen: DashboardScreen) -> list[object]:
    """What each chart draws: its figure, its axes' titles and its plotted data."""
    state: list[object] = []
    for chart in screen.charts:
        fig = chart.figure
        assert fig is not None
        axes = fig.get_axes()
        state.append(
            (
                id(fig),
                [ax.get_title(loc="left") for ax in axes],
                [tuple(map(tuple, line.get_xydata())) for ax in axes for line in ax.get_lines()],
                [(p.get_width(), p.get_height()) for ax in axes for p in ax.patches],
            )
        )
    return state


def choose(qtbot, screen: DashboardScreen, combo, text: str) -> None:
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        combo.setCurrentIndex(combo.findText(text))


def test_service_builds_in_its_own_connection(demo_path: Path) -> None:
    service = DashboardService(demo_path)
    board = service.build(DashboardFilter())
    assert board.score.n > 0 and board.league
    top = board.questions[0]
    ids = service.evaluations_for_question(DashboardFilter(), top.question_id, form_id=top.form_id)
    assert ids and all(isinstance(i, int) for i in ids)


def test_first_refresh_fills_every_chart_and_table(screen: DashboardScreen) -> None:
    assert all(chart.figure is not None for chart in screen.charts)
    assert screen.league_model.rowCount() > 0
    assert screen.exceptions_model.rowCount() > 0
    f = screen.dashboard.filter
    assert (f.date_from, f.date_to) == (date(2026, 8, 18), DEMO_ANCHOR)  # last 90 days
    assert f.week_start == 5  # the demo centre's weeks start on Saturday
    assert not screen.busy.isVisible()


def test_team_filter_updates_every_chart_and_table(qtbot, screen: DashboardScreen) -> None:
    before = chart_state(screen)
    league_before = screen.league_model.rowCount()
    exceptions_before = screen.exceptions_model.rows
    team = screen.team.itemText(1)
    choose(qtbot, screen, screen.team, team)
    after = chart_state(screen)
    for old, new in zip(before, after, strict=True):
        assert old[0] != new[0]  # a new figure
        assert old[2:] != new[2:]  # with other data
    team_id = screen.team.currentData()
    assert screen.dashboard.filter.team_ids == (team_id,)
    assert 0 < screen.league_model.rowCount() < league_before
    assert {r.team_id for r in screen.league_model.rows} == {team_id}
    assert screen.exceptions_model.rows != exceptions_before


def test_granularity_and_period_reach_the_charts(qtbot, screen: DashboardScreen) -> None:
    choose(qtbot, screen, screen.granularity, "Month")
    assert "per month" in screen.score_chart.figure.get_axes()[0].get_title(loc="left")
    choose(qtbot, screen, screen.period, "All time")
    assert screen.dashboard.filter.date_from is None
    assert screen.dashboard.score.n > 2000


def test_a_stale_result_is_ignored(qtbot, screen: DashboardScreen, demo_path: Path) -> None:
    shown = screen.dashboard
    old = screen.refresh()
    screen.team.blockSignals(True)
    screen.team.setCurrentIndex(1)
    screen.team.blockSignals(False)
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        new = screen.refresh()
    assert new > old
    assert screen.dashboard.filter.team_ids == (screen.team.currentData(),)
    # A late answer to the older request changes nothing.
    latest = screen.dashboard
    with qtbot.assertNotEmitted(screen.refreshed):
        screen._on_done(old, shown)
    assert screen.dashboard is latest
    qtbot.wait(50)  # the first request's own answer, if still queued, is dropped too
    assert screen.dashboard is latest


def test_quick_changes_show_only_the_last_filter(qtbot, screen: DashboardScreen) -> None:
    for i in (1, 2, 0, 2):
        screen.team.setCurrentIndex(i)
        screen.refresh()
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        pass
    qtbot.wait(100)
    assert screen.dashboard.filter.team_ids == (screen.team.itemData(2),)


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_export_writes_the_shown_figure(screen: DashboardScreen, tmp_path: Path, suffix) -> None:
    for chart in screen.charts:
        path = chart.export_to(tmp_path / f"{chart.name}.{suffix}")
        assert path.exists() and path.stat().st_size > 1000
    head = (tmp_path / f"{screen.score_chart.name}.{suffix}").read_bytes()[:8]
    assert head.startswith({"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[suffix])


def test_export_refuses_an_unknown_format(screen: DashboardScreen, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown chart format"):
        screen.score_chart.export_to(tmp_path / "chart.bmp")


def test_league_row_drills_down_to_that_agent(qtbot, screen: DashboardScreen) -> None:
    view = screen.league_view
    index = view.model().index(0, 0)
    agent_id = screen.league_model.rows[0].agent_id
    with qtbot.waitSignal(screen.drillDown) as blocker:
        view.activated.emit(index)
    flt = blocker.args[0]
    assert isinstance(flt, EvaluationFilter)
    assert flt.agent_ids == (agent_id,)
    assert (flt.date_from, flt.date_to) == (date(2026, 8, 18), DEMO_ANCHOR)
    rows = screen.session.services.evaluations.list_evaluations(flt, 0, 1000)
    assert rows and {r.agent_name for r in rows} == {screen.league_model.rows[0].name}


def test_pareto_bar_drills_down_to_its_evaluations(qtbot, screen: DashboardScreen) -> None:
    with qtbot.waitSignal(screen.evaluationsRequested) as blocker:
        screen.pareto_chart.clicked.emit(50.0, 0.2)  # a click on the first bar
    ids = blocker.args[0]
    assert ids and len(ids) == screen.dashboard.questions[0].missed
    with qtbot.assertNotEmitted(screen.evaluationsRequested):
        screen.drill_into_question(99)


def test_empty_filters_show_empty_charts_and_say_what_to_do(qtbot, services, demo_path) -> None:
    widget = DashboardScreen(Session(services, demo_path, None), today=date(2001, 1, 1))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.dashboard is not None, timeout=TIMEOUT)
    try:
        assert widget.message.isVisible()
        assert "No evaluations match" in widget.message.text()
        for chart in widget.charts:
            texts = [t.get_text() for ax in chart.figure.get_axes() for t in ax.texts]
            assert any("No evaluations match" in t for t in texts)
        assert widget.league_model.rowCount() == 0
    finally:
        widget.close()
