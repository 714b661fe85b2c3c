"""The Outcomes screen's chart builders, without Qt: what each draws, in which order,
with which colours, and the empty states (texts come in already translated)."""

from __future__ import annotations

from datetime import date

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex

from qa_monitor.reports.charts_outcomes import (
    DriverBar,
    DriversTexts,
    ParetoBar,
    ParetoTexts,
    TrendSeries,
    TrendTexts,
    churn_pareto_figure,
    drivers_figure,
    outcome_trend_figure,
    team_colour,
)
from qa_monitor.reports.charts_style import DARK, NEUTRAL_COLOUR

PARETO_TEXTS = ParetoTexts(
    "Churn reasons", "Customers who left", "Cumulative (%)", "None", "No data"
)
TEAMS = ("Marketing and sales", "Product")


def _draw(fig) -> None:  # type: ignore[no-untyped-def]
    FigureCanvasAgg(fig).draw()


def test_pareto_bars_largest_first_coloured_by_team_with_the_cumulative_line() -> None:
    bars = [
        ParetoBar("Low usage", "Product", 1, 90.0),
        ParetoBar("Competitor or price", "Marketing and sales", 5, 50.0),
        ParetoBar("ROI", "Product", 3, 80.0),
        ParetoBar("Other", "", 1, 100.0),
    ]
    fig = churn_pareto_figure(bars, TEAMS, PARETO_TEXTS)
    _draw(fig)
    ax, line_ax = fig.axes
    assert [round(p.get_height()) for p in ax.patches] == [5, 3, 1, 1]
    colours = [to_hex(p.get_facecolor()) for p in ax.patches]
    assert colours[0] == to_hex(team_colour("Marketing and sales", TEAMS))
    assert colours[1] == colours[2] == to_hex(team_colour("Product", TEAMS))
    assert colours[3] == to_hex(NEUTRAL_COLOUR)
    assert next(t.get_text() for t in ax.get_xticklabels()) == "Competitor or\nprice"  # wrapped
    # The cumulative share on its own 0–100 % axis.
    assert list(line_ax.lines[0].get_ydata()) == pytest.approx([50.0, 80.0, 90.0, 100.0])
    assert line_ax.get_ylim()[1] >= 100
    # The legend names both teams, the "no team" entry and the line, under the axes.
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "Marketing and sales",
        "Product",
        "None",
        "Cumulative (%)",
    ]
    box = legend.get_window_extent()
    assert box.y1 <= ax.get_window_extent().y0  # never over a bar


def test_a_team_keeps_its_colour_whatever_the_order_of_bars() -> None:
    one = churn_pareto_figure([ParetoBar("A", "Product", 2, 100.0)], TEAMS, PARETO_TEXTS)
    assert to_hex(one.axes[0].patches[0].get_facecolor()) == to_hex(team_colour("Product", TEAMS))


def test_empty_pareto_says_so() -> None:
    fig = churn_pareto_figure([], TEAMS, PARETO_TEXTS, theme=DARK)
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.texts] == ["No data"]


def test_trend_draws_each_series_with_gaps_and_bands() -> None:
    spans = [(date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28))]
    series = [
        TrendSeries("CRR", [(95.0, 76.4, 99.1), None]),
        TrendSeries("FCR", [(70.0, 60.0, 80.0), (72.0, 62.0, 81.0)]),
        TrendSeries("Nothing", [None, None]),
    ]
    fig = outcome_trend_figure(spans, series, TrendTexts("Rates", "Rate (%)", "Period", "Empty"))
    _draw(fig)
    (ax,) = fig.axes
    assert len(ax.lines) == 2  # the empty series is left out
    y = ax.lines[0].get_ydata()
    assert y[0] == 95.0 and y[1] != y[1]  # NaN: a gap
    assert len(ax.collections) == 2  # an interval band per series
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["CRR", "FCR"]
    assert ax.get_ylim() == (0.0, 100.0)


def test_trend_without_figures_says_what_to_do() -> None:
    spans = [(date(2026, 1, 1), date(2026, 1, 31))]
    fig = outcome_trend_figure(
        spans, [TrendSeries("CRR", [None])], TrendTexts("Rates", "%", "Period", "Import counts")
    )
    assert fig.axes[0].texts[0].get_text() == "Import counts"


def test_drivers_ranked_by_size_flagged_filled_others_hatched() -> None:
    bars = [
        DriverBar("Plain words", 0.2, 0.05, 0.35, False),
        DriverBar("Showed empathy", 0.8, 0.6, 1.0, True),
        DriverBar("Held too long", -0.4, -0.6, -0.2, True),
    ]
    texts = DriversTexts("Drivers", "Effect size", "Significant", "Not significant", "Empty")
    fig = drivers_figure(bars, texts)
    _draw(fig)
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Showed empathy",
        "Held too long",
        "Plain words",
    ]
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([0.8, -0.4, 0.2])
    assert [p.get_hatch() or "" for p in ax.patches] == ["", "", "///"]
    assert ax.get_xlim()[0] < -0.6  # the negative whisker fits
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["Significant", "Not significant"]
