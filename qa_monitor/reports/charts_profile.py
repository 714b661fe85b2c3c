"""The agent profile's charts as matplotlib Figures (never pyplot): the agent's trend
against the team and the pass mark, and where the agent is above or below the team.

Rules (UX.md, Charts, as in ``charts``):
- Titles, labelled axes with units, a legend because there are several series, dates
  by ``ConciseDateFormatter``, the pass mark dashed, the confidence band a light fill
  (only where a period has ``BAND_MIN_N`` scores: below that the t interval spans most
  of the scale and would hide the lines).
- The agent takes the theme's score colour and the team orange (Okabe–Ito); above the
  team is blue and below vermillion, and every bar also carries its signed value, so
  colour is never the only cue.
- Every builder takes a ``theme`` (``charts_style.LIGHT`` by default) and may be given
  the figure it built last time (``fig``) to redraw into its axes.
- Click targets (``charts_style.clickable``): the agent's line ("agent": index =
  period) and the difference bars ("difference": index = bar, top first).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import timedelta

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from qa_monitor.reports.analytics_filter import Granularity
from qa_monitor.reports.analytics_profile import ProfileTrend, TrendPoint
from qa_monitor.reports.analytics_profile_areas import AreaKind, Comparison
from qa_monitor.reports.charts_marks import pass_mark_label
from qa_monitor.reports.charts_style import (
    BAND_ALPHA,
    CATEGORY_LABELS,
    LIGHT,
    OKABE_ITO,
    ChartTheme,
    chart_style,
    clickable,
    empty_figure,
    finish_axes,
    reuse_axes,
    set_margins,
    text_inches,
    wrap_label,
)

TEAM_COLOUR = OKABE_ITO["orange"]
ABOVE_COLOUR = OKABE_ITO["blue"]
BELOW_COLOUR = OKABE_ITO["vermillion"]
TREND_HEIGHT = 4.2
BAND_MIN_N = 3
NAN = math.nan
_PERIOD_WORD = {
    Granularity.DAY: "day",
    Granularity.WEEK: "week",
    Granularity.MONTH: "month",
    Granularity.QUARTER: "quarter",
    Granularity.YEAR: "year",
}


def prompt_figure(
    title: str, message: str, *, theme: ChartTheme = LIGHT, fig: Figure | None = None
) -> Figure:
    """A chart's place before there is anything to show: its title and what to do."""
    with chart_style(theme):
        fig, (ax,) = reuse_axes(
            fig, "prompt", theme, lambda f: [f.add_subplot()], height=TREND_HEIGHT
        )
        ax.set_axis_off()
        ax.set_title(title)
        ax.text(
            0.5,
            0.5,
            message,
            ha="center",
            va="center",
            fontsize=11,
            color=theme.muted,
            transform=ax.transAxes,
        )
        set_margins(fig)
    return fig


def _x_of(points: Sequence[TrendPoint]) -> list[float]:
    """Each period's middle as a matplotlib date number (floats keep reused axes typed)."""
    return [
        float(mdates.date2num(p.start + timedelta(days=(p.end - p.start).days / 2))) for p in points
    ]


def _value(v: float | None) -> float:
    return NAN if v is None else v


def _pass_mark_lines(
    ax: Axes,
    marks: Sequence[float],
    theme: ChartTheme,
    forms: Mapping[float, Sequence[str]] | None = None,
) -> None:
    for i, mark in enumerate(marks):
        ax.axhline(
            mark,
            color=theme.pass_mark,
            linestyle="--",
            linewidth=1.1,
            zorder=1,
            label="Pass mark" if i == 0 else None,
        )
        # Beside the axes: inside, the agent's and the team's lines ran through it.
        titles = (forms or {}).get(mark, ())
        above = mark == max(marks) and len(marks) > 1  # two labels never overlap
        ax.annotate(
            pass_mark_label(mark, titles, outside=True),
            (1.0, mark),
            xycoords=("axes fraction", "data"),
            xytext=(4, (3 if above else -3) if titles else 0),
            textcoords="offset points",
            ha="left",
            va=("bottom" if above else "top") if titles else "center",
            fontsize=8,
            color=theme.pass_mark,
            annotation_clip=False,
        )


def _legend_rank(label: str, agent: str) -> int:
    """The agent first, then the band, the team and the pass mark."""
    if label == agent:
        return 0
    if label.startswith("95%"):
        return 1
    return 3 if label == "Pass mark" else 2


def profile_trend_figure(
    trend: ProfileTrend,
    agent: str,
    team: str | None,
    *,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
) -> Figure:
    """The agent's mean score per period with its 95% band, the team's mean and the pass
    mark; below, the agent's scored evaluations per period."""
    title = f"Mean score per {_PERIOD_WORD[trend.granularity]}"
    if trend.n == 0:
        return empty_figure(
            title, "No scored evaluations for this agent in this period", theme=theme, fig=fig
        )
    with chart_style(theme):
        fig, (top, bottom) = reuse_axes(
            fig,
            "profile-trend",
            theme,
            lambda f: f.subplots(2, 1, sharex=True, height_ratios=(3, 1)),
            height=TREND_HEIGHT,
        )
        points = trend.points
        x = _x_of(points)
        mean = [_value(p.mean) for p in points]
        team_mean = [_value(p.team_mean) for p in points]
        banded = [p.n >= BAND_MIN_N for p in points]
        top.fill_between(
            x,
            [_value(p.low) if b else NAN for p, b in zip(points, banded, strict=True)],
            [_value(p.high) if b else NAN for p, b in zip(points, banded, strict=True)],
            color=theme.score,
            alpha=BAND_ALPHA,
            linewidth=0,
            label=f"95% interval (n ≥ {BAND_MIN_N})" if any(banded) else None,
        )
        if team is not None and any(not math.isnan(v) for v in team_mean):
            top.plot(x, team_mean, color=TEAM_COLOUR, linewidth=1.6, label=f"Team: {team}")
        line = top.plot(
            x, mean, color=theme.score, marker="o", markersize=4, linewidth=2.0, label=agent
        )
        clickable(line, "agent")
        forms = dict(trend.pass_mark_forms)
        _pass_mark_lines(top, trend.pass_marks, theme, forms)
        # The axis follows the means and the pass mark; a wider band runs off it.
        values = [v for v in (*mean, *team_mean, *trend.pass_marks) if not math.isnan(v)]
        top.set_ylim(max(0.0, min(values) - 6.0), min(105.0, max(values) + 4.0))
        top.set_title(title, pad=22)
        top.set_ylabel("Mean score (%)")
        handles, labels = top.get_legend_handles_labels()
        order = sorted(range(len(labels)), key=lambda i: _legend_rank(labels[i], agent))
        top.legend(
            [handles[i] for i in order],
            [labels[i] for i in order],
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=4,
            fontsize=8,
            borderaxespad=0.1,
            handlelength=1.6,
            columnspacing=1.2,
        )
        spans = [(p.end - p.start).days + 1 for p in points] or [1]
        width = max(0.6, 0.8 * sorted(spans)[len(spans) // 2])
        bottom.bar(x, [p.n for p in points], width=width, color=theme.count)
        bottom.set_ylabel("Evaluations\n(count)")
        bottom.set_xlabel("Interaction date")
        bottom.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        bottom.xaxis.set_major_locator(locator)
        bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        half = width / 2 + 1
        bottom.set_xlim(min(x) - half, max(x) + half)
        finish_axes(top)
        finish_axes(bottom)
        right = max(  # room for the pass-mark labels
            (
                text_inches(pass_mark_label(m, forms.get(m, ()), outside=True), 8) + 0.2
                for m in trend.pass_marks
            ),
            default=0.25,
        )
        set_margins(fig, left=0.9, bottom=0.75, top=0.75, hspace=0.12, right=right)
    return fig


def comparison_label(item: Comparison) -> str:
    """What a chart or table calls ``item``: the area's name, the section title or the
    question text."""
    if item.kind is AreaKind.CATEGORY and item.category is not None:
        return CATEGORY_LABELS[item.category]
    return item.label


def shown_differences(items: Sequence[Comparison], top: int = 10) -> list[Comparison]:
    """The bars ``differences_figure`` draws, top to bottom: furthest above the team
    first; with more than ``top``, the extremes of both ends."""
    shown = sorted(
        (c for c in items if c.difference is not None), key=lambda c: -(c.difference or 0.0)
    )
    if len(shown) > top:
        half = top // 2
        shown = shown[:half] + shown[len(shown) - (top - half) :]
    return shown


def differences_figure(
    items: Sequence[Comparison],
    title: str = "Above and below the team",
    top: int = 10,
    *,
    min_height: float = 2.8,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
) -> Figure:
    """The agent's points percent minus the team's, as horizontal bars around zero
    (``shown_differences`` picks and orders them), labelled with the difference and the
    agent's count."""
    shown = shown_differences(items, top)
    if not shown:
        return empty_figure(
            title, "Nothing with enough scores for the agent and the team", theme=theme, fig=fig
        )
    names = [comparison_label(c) for c in shown]
    labels = [
        wrap_label(n if names.count(n) == 1 else f"{n} ({c.form_title})", 40)
        for n, c in zip(names, shown, strict=True)
    ]
    lines = sum(label.count("\n") + 1 for label in labels)
    height = max(min_height, 1.1 + 0.18 * lines + 0.1 * len(shown))
    with chart_style(theme):
        fig, (ax,) = reuse_axes(
            fig, "profile-difference", theme, lambda f: [f.add_subplot()], height=height
        )
        values = [c.difference or 0.0 for c in shown]
        # Above the team takes the theme's score colour (blue; sky blue on a dark page,
        # where Okabe–Ito blue text would be too dim).
        above = ABOVE_COLOUR if not theme.dark else theme.score
        colours = [above if v >= 0 else BELOW_COLOUR for v in values]
        y = list(range(len(shown)))
        bars = ax.barh(y, values, color=colours, height=0.62)
        clickable(bars, "difference", indexed=True)
        ax.axvline(0.0, color=theme.edge, linewidth=0.9)
        ax.set_yticks(y, labels)
        # The first bar on top, and a row above it for the two directions' words.
        ax.set_ylim(len(shown) - 0.5, -1.3)
        reach = max(max(abs(v) for v in values), 1.0)
        for i, (v, c) in enumerate(zip(values, shown, strict=True)):
            text = f"{v:+.1f} (n={c.n})".replace("-", "\u2212")
            ax.annotate(
                text,
                (v, i),
                xytext=(4 if v >= 0 else -4, 0),
                textcoords="offset points",
                ha="left" if v >= 0 else "right",
                va="center",
                fontsize=8,
                color=theme.text,
            )
        ax.set_xlim(-reach * 1.6, reach * 1.6)
        ax.set_xlabel("Agent minus team (percentage points of the score)")
        ax.set_title(title)
        # Words, not a legend: the direction is what the colours mean.
        for x, text, ha, colour in (
            (0.01, "◀ below the team", "left", BELOW_COLOUR),
            (0.99, "above the team ▶", "right", above),
        ):
            ax.annotate(
                text,
                (x, -0.95),
                xycoords=("axes fraction", "data"),
                ha=ha,
                va="center",
                fontsize=8,
                color=colour,
                fontweight="bold",
            )
        finish_axes(ax, grid_axis="x")
        left = max(text_inches(label) for label in labels) + 0.3
        set_margins(fig, left=left, right=0.3)
    return fig
