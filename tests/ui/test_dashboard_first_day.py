"""A supervisor's first day on the dashboard (issue 17, items 11 and 12), on the demo
database with the screen shown at a real window size: teams and reviewers compared
beside the league with an overall headline, trends per section and per question; the
wheel scrolls the page over a chart; the Pareto sorts by what it shows, has its
cumulative line, keeps its legend off the bars and shows titles, never ids; pass-mark
lines name their form; side-by-side time charts share their dates; the league fits at
1600 px; the profile's labels do not collide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.services import Services
from qa_monitor.services.demo_data import DEMO_ANCHOR, build_demo_database
from qa_monitor.ui.screens.agent_profile_screen import AgentProfileScreen
from qa_monitor.ui.screens.dashboard_screen import DashboardScreen
from qa_monitor.ui.session import Session

TIMEOUT = 20_000


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("first-day") / "demo.db"
    build_demo_database(path)
    return path


@pytest.fixture
def services(demo_path: Path) -> Iterator[Services]:
    with Services.open(demo_path) as opened:
        yield opened


def all_time(qtbot, screen: DashboardScreen) -> None:
    period = screen.filters.period
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        period.setCurrentIndex(period.findData("all"))


@pytest.fixture
def screen(qtbot, services, demo_path) -> Iterator[DashboardScreen]:
    widget = DashboardScreen(Session(services, demo_path, None), today=DEMO_ANCHOR)
    qtbot.addWidget(widget)
    widget.resize(1600, 1000)
    widget.show()
    qtbot.waitUntil(lambda: widget.dashboard is not None, timeout=TIMEOUT)
    all_time(qtbot, widget)
    yield widget
    widget.close()


def wheel(widget: QWidget, steps: int = -3) -> None:
    """A real mouse wheel turned over the middle of ``widget`` (negative: down): through
    the window system, so Qt delivers a spontaneous ``QWheelEvent`` to the widget under
    the pointer and passes it on to the parents when the widget ignores it (an event
    given with ``sendEvent`` never travels up)."""
    window = widget.window()
    centre = widget.mapTo(window, QPoint(widget.width() // 2, widget.height() // 2))
    assert window.childAt(centre) is widget, "the pointer is not over the widget"
    QTest.wheelEvent(window.windowHandle(), QPointF(centre), QPoint(0, 120 * steps))
    QApplication.processEvents()


def texts_of(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


# --------------------------------------------------------------------------- item 12


def test_the_wheel_over_a_chart_scrolls_the_page(qtbot, screen: DashboardScreen) -> None:
    bar = screen.scroll.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    canvas = screen.score_chart.canvas
    qtbot.waitUntil(lambda: screen.score_chart.figure is not None)
    wheel(canvas)
    assert bar.value() > 0, "the chart swallowed the wheel: the page did not scroll"


def test_the_pareto_sorts_by_what_it_shows_with_a_cumulative_line(screen) -> None:
    fig = screen.pareto_chart.figure
    assert fig is not None
    bars_ax = fig.axes[0]
    widths = [p.get_width() for p in bars_ax.patches]
    assert widths and widths == sorted(widths, reverse=True)
    # The label beside each bar leads with the figure the bars are sorted by.
    labels = [t.get_text() for t in bars_ax.texts]
    counts = [int(text.split()[0].replace(",", "")) for text in labels]
    assert counts == [round(w) for w in widths]
    # A cumulative % line, read on a secondary axis, rising to at most 100%.
    assert len(fig.axes) == 2 and "Cumulative" in fig.axes[1].get_xlabel()
    assert bars_ax.get_lines(), "no cumulative line"
    xs = [float(v) for v in bars_ax.get_lines()[0].get_xdata()]
    to_share = fig.axes[1].get_xlim()[1] / bars_ax.get_xlim()[1]
    shares = [x * to_share for x in xs]
    assert shares == sorted(shares) and 0 < shares[-1] <= 100.0 + 1e-9
    expected = [q.cumulative_share * 100 for q in screen.dashboard.questions[: len(xs)]]
    assert shares == pytest.approx(expected)


def test_the_pareto_shows_titles_never_ids_and_keeps_legend_and_title_clear(screen) -> None:
    fig = screen.pareto_chart.figure
    assert fig is not None
    form_ids = {q.form_id for q in screen.dashboard.questions}
    for text in texts_of(fig):
        for form_id in form_ids:
            assert f"({form_id})" not in text, text
    canvas = screen.pareto_chart.canvas
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    legend = fig.legends[0] if fig.legends else ax.get_legend()
    assert legend is not None
    box = legend.get_window_extent(renderer)
    for bar in ax.patches:
        assert not box.overlaps(bar.get_window_extent(renderer)), "the legend covers a bar"
    label = ax.xaxis.label.get_window_extent(renderer)
    whole = fig.bbox
    assert label.x0 >= whole.x0 and label.x1 <= whole.x1, "the axis title is cut"


def test_one_pass_mark_line_per_form_named_by_its_title(screen) -> None:
    fig = screen.category_chart.figure
    assert fig is not None
    marks = [" ".join(t.split()) for t in texts_of(fig) if "pass" in t.lower()]
    assert marks
    forms = screen.dashboard.score.pass_mark_forms
    assert forms, "no form titles for the pass marks"
    for _mark, names in forms:
        for name in names:
            assert any(name in text for text in marks), (name, marks)


def test_side_by_side_time_charts_share_their_date_range(screen) -> None:
    score = screen.score_chart.figure
    rates = screen.rate_chart.figure
    assert score is not None and rates is not None
    assert score.axes[-1].get_xlim() == pytest.approx(rates.axes[-1].get_xlim())
    # ... and line up on the page: the same margins, so a date sits at the same x.
    for a, b in ((score.axes[-1], rates.axes[-1]),):
        assert (a.get_position().x0, a.get_position().x1) == pytest.approx(
            (b.get_position().x0, b.get_position().x1), abs=0.01
        )
    # The per-section and per-question trends, side by side below, span the same dates.
    for chart in (screen.section_trend_chart, screen.question_trend_chart):
        fig = chart.figure
        assert fig is not None
        assert fig.axes[0].get_xlim() == pytest.approx(score.axes[-1].get_xlim()), chart.name


@pytest.mark.parametrize("window", [1600, 1280])
def test_the_league_fits_without_horizontal_scrolling(qtbot, screen, window) -> None:
    # The dashboard's share of a window ``window`` px wide, beside the navigation list.
    screen.resize(window - screen.fontMetrics().horizontalAdvance("M") * 14 - 20, 1000)
    qtbot.wait(50)
    view = screen.league_view
    assert view.model().rowCount() > 0
    header = view.horizontalHeader()
    sizes = [header.sectionSize(c) for c in range(header.count())]
    assert view.horizontalScrollBar().maximum() == 0, (
        f"the league scrolls sideways: {sizes} in {view.viewport().width()}"
    )


def test_the_profile_legend_and_labels_do_not_collide(qtbot, services, demo_path) -> None:
    screen = AgentProfileScreen(Session(services, demo_path, None), today=DEMO_ANCHOR)
    qtbot.addWidget(screen)
    screen.resize(1600, 1000)
    screen.show()
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        screen.show_agent(1, DashboardFilter())
    chart = screen.panels.trend_chart
    fig = chart.figure
    assert fig is not None
    chart.canvas.draw()
    renderer = chart.canvas.get_renderer()
    top = fig.axes[0]
    legend = top.get_legend()
    boxes = [legend.get_window_extent(renderer)] if legend is not None else []
    boxes += [t.get_window_extent(renderer) for t in top.texts]
    inside = top.get_window_extent(renderer)
    # Pass-mark labels sit beside the plot, not on the lines they would cross.
    for text in top.texts:
        extent = text.get_window_extent(renderer)
        assert extent.x0 >= inside.x1 - 1, f"{text.get_text()!r} lies over the plot"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), "two labels collide"
    screen.close()


# --------------------------------------------------------------------------- item 11


def test_teams_and_reviewers_are_compared_beside_the_league(screen) -> None:
    d = screen.dashboard
    assert d is not None and d.teams and d.reviewers_compared
    for model in (screen.teams_model, screen.reviewers_model):
        assert model.rowCount() > 0
        headers = [
            model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            for c in range(model.columnCount())
        ]
        joined = " ".join(headers)
        for word in ("n", "Mean", "95% CI", "Pass", "Critical"):
            assert word in joined, (word, headers)
    team = d.teams[0]
    assert team.n > 0 and team.mean is not None and team.low is not None
    assert team.critical is not None and 0 <= team.critical.rate <= 1
    assert sum(t.n for t in d.teams) == d.headline.n
    headline = screen.headline.text()
    assert f"n = {screen.locale().toString(d.headline.n)}" in headline
    assert "95% CI" in headline and "critical failures" in headline


def test_trends_by_section_and_by_question(screen) -> None:
    d = screen.dashboard
    assert d is not None and d.section_trends and d.question_trends
    for chart in (screen.section_trend_chart, screen.question_trend_chart):
        fig = chart.figure
        assert fig is not None
        lines = [line for ax in fig.axes for line in ax.get_lines() if len(line.get_xdata()) > 1]
        assert len(lines) >= 2, chart.name
