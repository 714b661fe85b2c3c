"""Chart themes and figure reuse: a dark theme gives a dark figure with light text; a
builder given its last figure redraws into the same axes; click targets are marked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb

from qa_monitor.reports import charts
from qa_monitor.reports.analytics import DashboardFilter, Granularity, build_dashboard
from qa_monitor.reports.charts_style import DARK, LIGHT, theme_for
from tests.reports.analytics_data import evaluate, misses_for, open_centre


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory):
    services, built = open_centre(tmp_path_factory.mktemp("c") / "qa.db")
    with services:
        for day in (2, 9, 16, 23):
            for index, agent in enumerate(built.agents):
                evaluate(built, agent, date(2026, 3, day), misses_for(100 - 10 * index))
        f = DashboardFilter(
            date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), granularity=Granularity.WEEK
        )
        yield build_dashboard(services.db, f)


def _light(colour) -> bool:
    return sum(to_rgb(colour)) > 2.2


def test_theme_for_follows_the_page() -> None:
    assert theme_for("#ffffff", "#000000") is LIGHT
    assert theme_for("#1e1e1e", "#e8e8e8") is DARK
    dark = theme_for("#202124", "#e8eaed")
    assert dark.dark and dark.background == "#202124" and dark.text == DARK.text
    assert not theme_for("#efefef", "#101010").dark


def test_dark_theme_gives_dark_figures_with_light_text(board) -> None:
    for build in (
        lambda: charts.score_trend_figure(board.score, theme=DARK),
        lambda: charts.rate_trend_figure(board.rates, theme=DARK),
        lambda: charts.category_figure(board.categories, (80.0,), theme=DARK),
        lambda: charts.pareto_figure(board.questions, theme=DARK),
        lambda: charts.league_figure(board.league, theme=DARK),
    ):
        fig = build()
        FigureCanvasAgg(fig).draw()  # ticks are made at draw time, outside the style
        assert not _light(fig.get_facecolor())
        for ax in fig.axes:
            assert not _light(ax.get_facecolor())
            labels = [t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
            assert labels and all(_light(t.get_color()) for t in labels)
            assert _light(ax.title.get_color()) or not ax.get_title(loc="left")


def test_a_builder_redraws_into_its_last_figure(board, tmp_path: Path) -> None:
    fig = charts.score_trend_figure(board.score)
    top, bottom = fig.axes
    FigureCanvasAgg(fig).draw()
    again = charts.score_trend_figure(board.score, fig=fig)
    assert again is fig and fig.axes == [top, bottom]
    assert len(top.lines) == 1 + len(board.score.pass_marks)  # no leftovers
    assert top.lines[0].get_gid() == "score" and top.lines[0].get_picker()
    (columns,) = bottom.collections  # one path per period, a click target
    assert columns.get_gid() == "count" and len(columns.get_paths()) == len(board.score.points)
    # Another theme or the empty state changes the layout: new axes in the same figure.
    dark = charts.score_trend_figure(board.score, theme=DARK, fig=fig)
    assert dark is fig and top not in fig.axes
    empty = charts.pareto_figure((), fig=fig)
    assert empty is fig and len(fig.axes) == 1
    FigureCanvasAgg(fig).draw()
    fig.savefig(tmp_path / "chart.png")


def test_category_chart_has_the_pass_mark_and_clickable_bars(board) -> None:
    fig = charts.category_figure(board.categories, (80.0,))
    ax = fig.axes[0]
    assert "pass 80%" in [t.get_text() for t in ax.texts]
    assert [p.get_gid() for p in ax.patches] == [f"category:{i}" for i in range(4)]
    assert next(t.get_text() for t in ax.get_xticklabels()) == "Soft skills"
