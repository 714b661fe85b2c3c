"""Dashboard charts build and draw without warnings, with titles, labels and empty states."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from qa_monitor.core.forms import Category
from qa_monitor.reports import charts
from qa_monitor.reports.analytics import DashboardFilter, Granularity, build_dashboard
from qa_monitor.reports.charts_style import (
    CATEGORY_COLOURS,
    EMPTY_MESSAGE,
    font_families,
    team_colour,
    wrap_label,
)
from tests.reports.analytics_data import Centre, evaluate, misses_for, open_centre


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    services, built = open_centre(tmp_path / "qa.db")
    with services:
        for day in (2, 9, 16, 23):
            for index, agent in enumerate(built.agents):
                evaluate(built, agent, date(2026, 3, day), misses_for(100 - 10 * index))
        evaluate(built, built.agents[0], date(2026, 3, 24), ("q9",))
        yield built


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text"))]


def _draw(fig: Figure) -> None:
    FigureCanvasAgg(fig).draw()  # warnings are errors in this suite


def test_every_chart_has_a_title_and_labelled_axes(centre: Centre) -> None:
    f = DashboardFilter(
        date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), granularity=Granularity.WEEK
    )
    board = build_dashboard(centre.services.db, f)
    figures = {
        "score": charts.score_trend_figure(board.score),
        "rates": charts.rate_trend_figure(board.rates),
        "areas": charts.category_figure(board.categories),
        "pareto": charts.pareto_figure(board.questions),
        "league": charts.league_figure(board.league, board.score.pass_marks),
    }
    for name, fig in figures.items():
        _draw(fig)
        axes = [ax for ax in fig.axes if ax.get_visible()]
        assert axes, name
        assert axes[0].get_title("left"), f"{name} has no title"
        assert any(ax.get_ylabel() for ax in axes) or name in ("pareto", "league"), name
        assert any(ax.get_xlabel() for ax in axes) or name == "areas", name
    # The pass mark's label, beside the axes, names the form behind it.
    assert "pass 80%:\n• Ten behaviours" in _texts(figures["score"])
    assert "Mean score (%)" in [ax.get_ylabel() for ax in figures["score"].axes]


def test_empty_filter_gives_the_empty_state(centre: Centre) -> None:
    f = DashboardFilter(date_from=date(2020, 1, 1), date_to=date(2020, 1, 31))
    board = build_dashboard(centre.services.db, f)
    for fig in (
        charts.score_trend_figure(board.score),
        charts.rate_trend_figure(board.rates),
        charts.category_figure(board.categories),
        charts.pareto_figure(board.questions),
        charts.league_figure(board.league),
    ):
        _draw(fig)
        assert any(EMPTY_MESSAGE in text for text in _texts(fig))


def test_long_and_right_to_left_labels_are_wrapped_and_drawn(centre: Centre) -> None:
    long = "پیگیری تماس و ثبت دلیل نارضایتی مشتری " * 4
    assert wrap_label(long).count("\n") == 1 and wrap_label(long).endswith("…")
    assert wrap_label("Short") == "Short"
    board = build_dashboard(
        centre.services.db, DashboardFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    )
    renamed = [
        type(q)(**{**{s: getattr(q, s) for s in q.__slots__}, "text": long + "Качество"})
        for q in board.questions
    ]
    _draw(charts.pareto_figure(renamed))


def test_palette_is_consistent() -> None:
    assert team_colour(3) == team_colour(3) and team_colour(1) != team_colour(2)
    assert team_colour(None) == team_colour(0)
    assert len(set(CATEGORY_COLOURS.values())) == len(Category)
    assert font_families()[-1] == "DejaVu Sans"
