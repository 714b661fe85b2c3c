"""The dashboard screen on the demo database: multi-select filters reach every chart and
table, stale results are dropped (and their queries cancelled), charts export, points,
bars and rows drill down, the league opens agent profiles, dark palettes give dark
charts, the empty state speaks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from matplotlib.colors import to_rgb
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette

from qa_monitor.core.forms import Category
from qa_monitor.core.records import EvaluationFilter, EvaluationKind
from qa_monitor.reports.analytics import DashboardFilter
from qa_monitor.services import Services
from qa_monitor.services.cancellation import readonly_connection
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
    # Not shown: charts then build when asked for (``figure``) and never draw, which
    # keeps these tests fast; the tests that click points show the screen.
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
                chart.revision,
                [ax.get_title(loc="left") for ax in axes],
                [tuple(map(tuple, line.get_xydata())) for ax in axes for line in ax.get_lines()],
                [(p.get_width(), p.get_height()) for ax in axes for p in ax.patches],
            )
        )
    return state


def choose(qtbot, screen: DashboardScreen, combo, text: str) -> None:
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        combo.setCurrentIndex(combo.findText(text))


def tick(qtbot, screen: DashboardScreen, combo, *values) -> None:
    """Tick ``values`` in a multi-select the way a click on each row does."""
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        for value in values:
            combo.toggle(value)


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
    assert not screen.busy.isVisibleTo(screen)


def test_charts_are_drawn_before_the_tables_arrive(qtbot, screen: DashboardScreen) -> None:
    order: list[str] = []
    screen.worker.charts.connect(lambda *_: order.append("charts"))
    screen.refreshed.connect(lambda: order.append("tables"))
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        screen.refresh()
    assert order == ["charts", "tables"]
    assert screen.league_model.rowCount() > 0


def test_team_filter_updates_every_chart_and_table(qtbot, screen: DashboardScreen) -> None:
    before = chart_state(screen)
    league_before = screen.league_model.rowCount()
    exceptions_before = screen.exceptions_model.rows
    team = screen.filters.team
    first, second = team.values()[:2]
    tick(qtbot, screen, team, first)
    assert team.currentText() == team.selected_texts()[0]
    after = chart_state(screen)
    for old, new in zip(before, after, strict=True):
        assert old[0] != new[0]  # redrawn
        assert old[2:] != new[2:]  # with other data
    assert screen.dashboard.filter.team_ids == (first,)
    one_team = screen.league_model.rowCount()
    assert 0 < one_team < league_before
    assert {r.team_id for r in screen.league_model.rows} == {first}
    assert screen.exceptions_model.rows != exceptions_before
    # A second team: both teams' agents, every chart redrawn again.
    tick(qtbot, screen, team, second)
    assert team.currentText() == "2 teams"
    assert set(screen.dashboard.filter.team_ids) == {first, second}
    assert {r.team_id for r in screen.league_model.rows} == {first, second}
    assert screen.league_model.rowCount() > one_team
    for old, new in zip(after, chart_state(screen), strict=True):
        assert old[0] != new[0] and old[2:] != new[2:]
    # The agent list follows the ticked teams.
    offered = set(screen.filters.agent.values())
    assert {r.agent_id for r in screen.league_model.rows} <= offered


def test_multi_select_agents_reviewers_channels_and_kinds(qtbot, screen: DashboardScreen) -> None:
    bar = screen.filters
    agents = bar.agent.values()[:3]
    tick(qtbot, screen, bar.agent, *agents)
    assert bar.agent.currentText() == "3 agents"
    assert set(screen.dashboard.filter.agent_ids) == set(agents)
    assert {r.agent_id for r in screen.league_model.rows} <= set(agents)
    tick(qtbot, screen, bar.channel, "phone", "chat")
    assert set(screen.dashboard.filter.channels) == {"phone", "chat"}
    tick(qtbot, screen, bar.kind, "calibration")
    assert set(screen.dashboard.filter.kinds) == {
        EvaluationKind.REGULAR,
        EvaluationKind.CALIBRATION,
    }
    tick(qtbot, screen, bar.kind, "regular", "calibration")  # none ticked: every kind
    assert bar.kind.currentText() == "All kinds" and screen.dashboard.filter.kinds == ()
    reviewer = bar.reviewer.values()[0]
    tick(qtbot, screen, bar.reviewer, reviewer)
    assert screen.dashboard.filter.reviewer_ids == (reviewer,)
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        screen.clear_filters()
    f = screen.dashboard.filter
    assert (f.agent_ids, f.reviewer_ids, f.channels) == ((), (), ())
    assert f.kinds == (EvaluationKind.REGULAR,)
    assert bar.agent.currentText() == "All agents"


def test_a_form_version_narrows_to_that_version(qtbot, screen: DashboardScreen) -> None:
    bar = screen.filters
    forms = [v for v in bar.form.values() if v[0] == "form"]
    tick(qtbot, screen, bar.form, forms[0])
    assert screen.dashboard.filter.form_ids == (forms[0][1],)
    versions = [v for v in bar.form.values() if v[0] == "version"]
    if versions:  # the demo publishes a second version of one form
        tick(qtbot, screen, bar.form, versions[0])
        f = screen.dashboard.filter
        assert f.form_ids == () and versions[0][1] in f.form_version_ids


def test_granularity_and_period_reach_the_charts(qtbot, screen: DashboardScreen) -> None:
    choose(qtbot, screen, screen.filters.granularity, "Month")
    assert "per month" in screen.score_chart.figure.get_axes()[0].get_title(loc="left")
    choose(qtbot, screen, screen.filters.period, "All time")
    assert screen.dashboard.filter.date_from is None
    assert screen.dashboard.score.n > 2000


def test_a_stale_result_is_ignored(qtbot, screen: DashboardScreen, demo_path: Path) -> None:
    shown = screen.dashboard
    old = screen.refresh()
    team = screen.filters.team
    team.set_selected([team.values()[1]], emit=False)
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        new = screen.refresh()
    assert new > old
    assert screen.dashboard.filter.team_ids == (team.values()[1],)
    # A late answer to the older request changes nothing.
    latest = screen.dashboard
    with qtbot.assertNotEmitted(screen.refreshed):
        screen._on_done(old, shown)
    assert screen.dashboard is latest
    qtbot.wait(50)  # the first request's own answer, if still queued, is dropped too
    assert screen.dashboard is latest


def test_quick_changes_show_only_the_last_filter(qtbot, screen: DashboardScreen) -> None:
    team = screen.filters.team
    values = team.values()
    for i in (1, 2, 0, 2):
        team.set_selected([values[i]], emit=False)
        screen.refresh()
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        pass
    qtbot.wait(100)
    assert screen.dashboard.filter.team_ids == (values[2],)
    qtbot.waitUntil(lambda: screen.worker.running == 0, timeout=TIMEOUT)


def test_superseded_queries_are_cancelled(qtbot, screen: DashboardScreen, monkeypatch) -> None:
    """A refresh that is overtaken stops its query: the slow one below would run for
    seconds; cancelled, its worker is free again at once."""
    real_build = screen.service.build
    slow_sql = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000)"
        " SELECT count(*) FROM n"
    )

    def build(f: DashboardFilter, cancel=None, on_charts=None):
        if f.team_ids:  # the first, slow request
            with readonly_connection(screen.service.db_path, cancel) as db:
                db.execute(slow_sql).fetchall()
        return real_build(f, cancel, on_charts)

    monkeypatch.setattr(screen.service, "build", build)
    team = screen.filters.team
    team.set_selected([team.values()[0]], emit=False)
    slow = screen.refresh()
    qtbot.wait(100)  # it is running its query now
    assert screen.busy.isVisibleTo(screen)
    team.clear_selection(emit=False)
    with (
        qtbot.waitSignal(screen.worker.cancelled, timeout=2000) as stopped,
        qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT),
    ):
        screen.refresh()
    assert stopped.args == [slow]
    assert screen.worker.cancelled_count >= 1
    assert screen.dashboard.filter.team_ids == ()
    assert not screen.busy.isVisibleTo(screen)


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


def test_league_row_opens_the_profile_and_its_menu_lists_evaluations(
    qtbot, screen: DashboardScreen
) -> None:
    view = screen.league_view
    index = view.model().index(0, 0)
    agent_id = screen.league_model.rows[0].agent_id
    with qtbot.waitSignal(screen.agentProfileRequested) as profile:
        view.activated.emit(index)  # double-click or Enter
    assert profile.args == [agent_id]
    menu = view.context_menu(index)
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Show evaluations", "Open agent profile"]
    with qtbot.waitSignal(screen.agentProfileRequested) as profile:
        menu.actions()[1].trigger()
    assert profile.args == [agent_id]
    with qtbot.waitSignal(screen.drillDown) as blocker:
        menu.actions()[0].trigger()
    flt = blocker.args[0]
    assert isinstance(flt, EvaluationFilter)
    assert flt.agent_ids == (agent_id,)
    assert (flt.date_from, flt.date_to) == (date(2026, 8, 18), DEMO_ANCHOR)
    rows = screen.session.services.evaluations.list_evaluations(flt, 0, 1000)
    assert rows and {r.agent_name for r in rows} == {screen.league_model.rows[0].name}


def test_exception_row_drills_down(qtbot, screen: DashboardScreen) -> None:
    view = screen.exceptions_view
    index = view.model().index(0, 0)
    level, ident = view.key_at(index)
    with qtbot.waitSignal(screen.drillDown) as blocker:
        view.activated.emit(index)
    flt = blocker.args[0]
    assert (flt.agent_ids if level == "agent" else flt.team_ids) == (ident,)
    has_profile = "Open agent profile" in [a.text() for a in view.context_menu(index).actions()]
    assert has_profile == (level == "agent")


def test_pareto_bar_drills_down_to_its_evaluations(qtbot, screen: DashboardScreen) -> None:
    with qtbot.waitSignal(screen.evaluationsRequested) as blocker:
        screen.pareto_chart.clicked.emit(50.0, 0.2)  # a click on the first bar
    ids = blocker.args[0]
    assert ids and len(ids) == screen.dashboard.questions[0].missed
    with qtbot.assertNotEmitted(screen.evaluationsRequested):
        screen.drill_into_question(99)


def shown(qtbot, screen: DashboardScreen) -> DashboardScreen:
    screen.show()
    qtbot.waitExposed(screen)
    # The charts in the first two rows (those further down wait until scrolled to).
    first = screen.charts[:4]
    qtbot.waitUntil(lambda: not any(c.pending for c in first), timeout=TIMEOUT)
    return screen


def click(qtbot, chart, key: str, index: int) -> QPoint:
    pos = chart.point_position(key, index)
    qtbot.mouseMove(chart.canvas, pos)
    qtbot.mouseClick(chart.canvas, Qt.MouseButton.LeftButton, pos=pos)
    return pos


def test_clicking_a_score_point_lists_that_period(qtbot, screen: DashboardScreen) -> None:
    shown(qtbot, screen)
    chart = screen.score_chart
    points = screen.dashboard.score.points
    i = max(range(len(points)), key=lambda k: points[k].n)
    pos = chart.point_position("score", i)
    assert chart.target_at(pos.x(), chart.canvas.height() - pos.y()) == ("score", i)
    text = screen._describe("score", i)
    assert f"n = {points[i].n} evaluations" in text and "Mean score" in text
    with qtbot.waitSignal(screen.drillDown) as blocker:
        click(qtbot, chart, "score", i)
    assert chart.canvas.cursor().shape() == Qt.CursorShape.PointingHandCursor
    assert chart.canvas.toolTip() == text  # shown by Qt after the usual pause
    flt = blocker.args[0]
    assert (flt.date_from, flt.date_to) == (points[i].start, points[i].end)
    rows = screen.session.services.evaluations.list_evaluations(flt, 0, 1000)
    assert len(rows) == points[i].n
    # The count bar under the point lists the same period.
    with qtbot.waitSignal(screen.drillDown) as blocker:
        click(qtbot, chart, "count", i)
    assert (blocker.args[0].date_from, blocker.args[0].date_to) == (points[i].start, points[i].end)


def test_rate_points_and_area_bars_drill_down(qtbot, screen: DashboardScreen) -> None:
    shown(qtbot, screen)
    rates = screen.dashboard.rates.points
    i = max(range(len(rates)), key=lambda k: rates[k].critical.rate if rates[k].critical else 0)
    with qtbot.waitSignal(screen.drillDown) as blocker:
        click(qtbot, screen.rate_chart, "critical", i)
    flt = blocker.args[0]
    assert flt.critical_failed is True and flt.date_from == rates[i].start
    rows = screen.session.services.evaluations.list_evaluations(flt, 0, 1000)
    assert len(rows) == rates[i].critical.successes
    with qtbot.waitSignal(screen.drillDown) as blocker:
        click(qtbot, screen.rate_chart, "passed", i)
    assert blocker.args[0].critical_failed is None
    compliance = list(Category).index(Category.COMPLIANCE)
    with qtbot.waitSignal(screen.evaluationsRequested) as blocker:
        click(qtbot, screen.category_chart, "category", compliance)
    ids = blocker.args[0]
    assert 0 < len(ids) <= 500
    assert "Compliance" in screen._describe("category", compliance)


def test_score_charts_have_a_pass_mark_line(screen: DashboardScreen) -> None:
    for chart in (screen.score_chart, screen.category_chart):
        texts = [t.get_text() for ax in chart.figure.axes for t in ax.texts]
        assert any(t.startswith("pass") and "80%" in t for t in texts), chart.name


@pytest.fixture
def dark_app(qapp):
    """The system switching to a dark scheme while the app runs: a new application
    palette, with the app's own style sheet set (as create_application does)."""
    from qa_monitor.app import create_application

    old_palette, old_sheet = QPalette(qapp.palette()), qapp.styleSheet()
    create_application()
    palette = QPalette(qapp.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    yield lambda: qapp.setPalette(palette)
    qapp.setPalette(old_palette)
    qapp.setStyleSheet(old_sheet)


def test_dark_palette_gives_dark_charts(qtbot, screen: DashboardScreen, dark_app) -> None:
    dark_app()
    qtbot.wait(10)
    for chart in screen.charts:
        fig = chart.figure
        assert sum(to_rgb(fig.get_facecolor())) < 0.6, chart.name  # dark
        ax = fig.axes[0]
        fig.canvas.draw()
        labels = [t for t in ax.get_yticklabels() + ax.get_xticklabels() if t.get_text()]
        assert labels and all(sum(to_rgb(t.get_color())) > 2.2 for t in labels), chart.name
        assert sum(to_rgb(ax.title.get_color())) > 2.2


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


def test_the_screen_says_which_evaluations_it_counts(qtbot, screen: DashboardScreen) -> None:
    regular = "Counted: evaluations of kind regular that were submitted; drafts are left out."
    assert screen.counting.text() == regular
    assert screen.counting.accessibleName() == "Evaluations counted"
    tick(qtbot, screen, screen.filters.kind, "calibration")
    assert screen.counting.text() == (
        "Counted: evaluations of kind regular, calibration that were submitted; drafts are "
        "left out."
    )
    tick(qtbot, screen, screen.filters.kind, "regular", "calibration")  # none ticked: every kind
    assert "of kind all kinds" not in screen.counting.text()
    assert screen.counting.text().startswith("Counted: evaluations of every kind")
