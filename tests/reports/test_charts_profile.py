"""The agent profile's charts build and draw without warnings, with titles, labelled
axes, the pass mark, a legend and an empty state; they redraw into their own figure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from qa_monitor.reports import charts_profile
from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.reports.analytics_profile import AgentProfile, build_agent_profile
from qa_monitor.reports.charts_style import DARK
from tests.reports.profile_data import MARCH, Data, build_profile_data


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Data]:
    built = build_profile_data(tmp_path_factory.mktemp("charts") / "qa.db")
    with built.services:
        yield built


@pytest.fixture(scope="module")
def profile(data: Data) -> AgentProfile:
    return build_agent_profile(data.path, data.agents[0].id, MARCH)


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text"))]


def test_trend_shows_agent_team_and_pass_mark(profile: AgentProfile) -> None:
    fig = charts_profile.profile_trend_figure(profile.trend, "A1", "Team 1")
    FigureCanvasAgg(fig).draw()  # warnings are errors in this suite
    top, bottom = fig.axes
    assert top.get_title(loc="left") == "Mean score per week"
    assert top.get_ylabel() == "Mean score (%)" and bottom.get_xlabel() == "Interaction date"
    labels = [t.get_text() for t in top.get_legend().get_texts()]
    assert labels == ["A1", "Team: Team 1", "Pass mark"]  # no period has 3 scores: no band
    assert "pass 80%:\n• Coaching form" in _texts(fig)  # beside the plot, with the form
    agent_line = next(line for line in top.get_lines() if line.get_label() == "A1")
    assert [y for y in agent_line.get_ydata() if y == y] == [90.0, 80.0, 0.0, 100.0]


def test_differences_in_order_with_counts_and_words(profile: AgentProfile) -> None:
    rows = profile.areas.ranked_sections()
    fig = charts_profile.differences_figure(rows, "Sections: agent minus team")
    FigureCanvasAgg(fig).draw()
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Process",
        "Outcome",
        "Soft skills",
        "Compliance",
    ]
    texts = _texts(fig)
    assert "−5.4 (n=4)" in texts and "◀ below the team" in texts
    assert ax.get_xlabel().startswith("Agent minus team")
    # Redrawn into the same figure in the dark theme, with other rows.
    again = charts_profile.differences_figure(rows[:2], "Two", theme=DARK, fig=fig)
    FigureCanvasAgg(again).draw()
    assert again is fig and len(again.axes[0].patches) == 2


def test_empty_states_say_why(data: Data) -> None:
    empty = build_agent_profile(
        data.path, data.agents[1].id, DashboardFilter(date(2025, 1, 1), date(2025, 1, 31))
    )
    trend = charts_profile.profile_trend_figure(empty.trend, "A2", "Team 1")
    assert any("No scored evaluations" in t for t in _texts(trend))
    bars = charts_profile.differences_figure(empty.areas.ranked_sections())
    assert any("Nothing with enough scores" in t for t in _texts(bars))
    prompt = charts_profile.prompt_figure("Score trend", "Choose an agent")
    FigureCanvasAgg(prompt).draw()
    assert "Choose an agent" in _texts(prompt)
