"""The Outcomes screen's charts: outcome rates per period, the churn-reason Pareto, the
drivers ranking and QA score against CSAT (issue 16).

Rules (UX.md, Charts):
- Pure functions of plain values: each returns a matplotlib Figure (never pyplot), may
  be given the figure it built last time (``fig``) and takes a ``theme``.
- Texts come in already translated (the ``*Texts`` dataclasses): this module builds
  no sentence; numbers on the charts are plain figures.
- Rates per period: one line per outcome on a 0–100 % axis, its 95 % interval as a
  light band; a period without a figure leaves a gap.
- Pareto: bars largest first, coloured by the team that can act on the reason (the
  same team keeps its colour: colours follow ``teams``' order), the cumulative share
  as a line on a secondary 0–100 % axis, the legend outside the axes (under them).
- Drivers: horizontal bars of the effect size (the chart is sorted by it and shows
  it), largest |size| on top; whiskers the effect size's 95 % interval
  (core/drivers.py ``size_interval``); flagged results (significant at
  the 5 % false-discovery rate) filled, the others hatched and pale — the legend says
  which is which, so colour is not the only carrier.
- Scatter: QA score (x) against the CSAT answer (y, 1–5) with a small, fixed jitter
  so equal answers do not hide each other; the correlation sentence comes in texts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from matplotlib import dates as mdates
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from qa_monitor.reports.charts_style import (
    BAND_ALPHA,
    LIGHT,
    NEUTRAL_COLOUR,
    OKABE_ITO,
    ChartTheme,
    chart_style,
    clickable,
    finish_axes,
    pin_labels,
    reuse_axes,
    set_margins,
    text_inches,
    wrap_label,
)

TREND_HEIGHT = 3.0
PARETO_HEIGHT = 3.6
SCATTER_HEIGHT = 3.4
# Series and teams cycle through Okabe–Ito (yellow last: least readable as a line).
_SERIES = ("blue", "vermillion", "bluish_green", "reddish_purple", "orange", "sky_blue")


def series_colour(index: int) -> str:
    return OKABE_ITO[_SERIES[index % len(_SERIES)]]


def team_colour(team: str, teams: Sequence[str]) -> str:
    """The colour of an acting team: by its place in ``teams`` (grey for none)."""
    if not team or team not in teams:
        return NEUTRAL_COLOUR
    return series_colour(list(teams).index(team))


def _empty(
    fig: Figure | None, theme: ChartTheme, title: str, message: str, height: float
) -> Figure:
    with chart_style(theme):
        fig, (ax,) = reuse_axes(
            fig, "outcomes-empty", theme, lambda f: [f.add_subplot()], height=height
        )
        ax.set_axis_off()
        ax.set_title(title)
        ax.text(
            0.5, 0.5, message, ha="center", va="center", wrap=True, color=theme.muted,
            transform=ax.transAxes,
        )  # fmt: skip
        set_margins(fig, left=0.3, bottom=0.3)
    return fig


# ---------------------------------------------------------------------- trend
@dataclass(frozen=True, slots=True)
class TrendSeries:
    label: str
    # Per period: (value, low, high) in %, or None where the period has no figure.
    values: Sequence[tuple[float, float | None, float | None] | None]


@dataclass(frozen=True, slots=True)
class TrendTexts:
    title: str
    y_label: str
    x_label: str
    empty: str


def _middle(start: date, end: date) -> float:
    return float(mdates.date2num(start + (end - start) / 2))


def outcome_trend_figure(
    spans: Sequence[tuple[date, date]],
    series: Sequence[TrendSeries],
    texts: TrendTexts,
    *,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
) -> Figure:
    """Each series' figure per period (``spans``) with its interval band."""
    if not any(v is not None for s in series for v in s.values):
        return _empty(fig, theme, texts.title, texts.empty, TREND_HEIGHT)
    x = [_middle(a, b) for a, b in spans]
    with chart_style(theme):
        fig, (ax,) = reuse_axes(
            fig, "outcome-trend", theme, lambda f: [f.add_subplot()], height=TREND_HEIGHT
        )
        shown = 0
        for i, s in enumerate(series):
            if not any(v is not None for v in s.values):
                continue
            colour = series_colour(i)
            y = [v[0] if v is not None else math.nan for v in s.values]
            low = [v[1] if v is not None and v[1] is not None else math.nan for v in s.values]
            high = [v[2] if v is not None and v[2] is not None else math.nan for v in s.values]
            ax.fill_between(x, low, high, color=colour, alpha=BAND_ALPHA, linewidth=0)
            line = ax.plot(x, y, color=colour, marker="o", markersize=4, linewidth=1.6)
            line[0].set_label(s.label)
            clickable(line, f"trend:{i}")
            shown += 1
        ax.set_ylim(0, 100)
        pad = 20.0
        ax.set_xlim(min(x) - pad, max(x) + pad)
        ax.set_title(texts.title)
        ax.set_ylabel(texts.y_label)
        ax.set_xlabel(texts.x_label)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        right = 0.3
        if shown > 1:
            labels = [s.label for s in series]
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
            right = max(text_inches(t, 8.5) for t in labels) + 0.6
        finish_axes(ax)
        pin_labels(ax, y_tick_chars=3)
        set_margins(fig, left=0.9, bottom=0.75, right=right)
    return fig


# ---------------------------------------------------------------------- Pareto
@dataclass(frozen=True, slots=True)
class ParetoBar:
    label: str
    team: str  # the acting team's name ("" for none)
    n: int
    cumulative: float  # %


@dataclass(frozen=True, slots=True)
class ParetoTexts:
    title: str
    y_label: str  # the bars' count
    cumulative_label: str  # the line's axis
    no_team: str  # the legend's entry for reasons nobody acts on
    empty: str


def churn_pareto_figure(
    bars: Sequence[ParetoBar],
    teams: Sequence[str],
    texts: ParetoTexts,
    *,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
) -> Figure:
    """Reasons as bars, largest first, coloured by acting team, with the cumulative
    share on a secondary axis; bar ``i`` is click target ("reason", i)."""
    shown = sorted(bars, key=lambda b: -b.n)
    if not shown or not any(b.n for b in shown):
        return _empty(fig, theme, texts.title, texts.empty, PARETO_HEIGHT)
    labels = [wrap_label(b.label, 16, 3) for b in shown]
    present = [t for t in teams if any(b.team == t for b in shown)]
    has_none = any(b.team not in teams or not b.team for b in shown)
    label_lines = max(label.count("\n") + 1 for label in labels)
    legend_rows = math.ceil((len(present) + has_none + 1) / 2)
    # Under the reason labels, the legend (two columns) at the figure's foot: never
    # over a bar. The axes keep their height whatever the legend needs.
    bottom = 0.45 + 0.16 * label_lines + 0.21 * legend_rows + 0.1
    height = max(PARETO_HEIGHT, 2.6 + bottom, bottom / 0.34)
    with chart_style(theme):

        def make(f: Figure) -> list[Axes]:
            ax = f.add_subplot()
            return [ax, ax.twinx()]

        fig, (ax, line_ax) = reuse_axes(fig, "churn-pareto", theme, make, height=height)
        for old in list(fig.legends):
            old.remove()
        x = list(range(len(shown)))
        colours = [team_colour(b.team, teams) for b in shown]
        patches = ax.bar(x, [b.n for b in shown], color=colours, width=0.65)
        clickable(patches, "reason", indexed=True)
        for i, b in enumerate(shown):
            ax.annotate(
                f"{b.n:,}", (i, b.n), xytext=(0, 2), textcoords="offset points",
                ha="center", va="bottom", fontsize=8,
            )  # fmt: skip
        ax.set_xticks(x, labels, fontsize=8)
        ax.set_xlim(-0.6, len(shown) - 0.4)
        ax.set_ylim(0, max(b.n for b in shown) * 1.15)
        ax.set_ylabel(texts.y_label)
        ax.set_title(texts.title)
        line_ax.plot(
            x, [b.cumulative for b in shown], color=theme.text, marker="o", markersize=3.5,
            linewidth=1.3,
        )  # fmt: skip
        line_ax.set_ylim(0, 105)
        line_ax.set_ylabel(texts.cumulative_label)
        line_ax.spines["right"].set_visible(True)
        line_ax.spines["right"].set_color(theme.edge)
        line_ax.tick_params(colors=theme.edge, labelcolor=theme.text)
        handles: list[Artist] = [Patch(color=team_colour(t, teams), label=t) for t in present]
        if has_none:
            handles.append(Patch(color=NEUTRAL_COLOUR, label=texts.no_team))
        handles.append(Line2D([], [], color=theme.text, marker="o", label=texts.cumulative_label))
        fig.legend(
            handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.01), fontsize=8, ncols=2,
        )  # fmt: skip
        finish_axes(ax)
        set_margins(fig, left=0.7, right=0.75, bottom=bottom)
    return fig


# ---------------------------------------------------------------------- drivers
@dataclass(frozen=True, slots=True)
class DriverBar:
    label: str  # the question's wording
    size: float  # effect size
    low: float | None  # the whisker's ends, in effect-size units
    high: float | None
    flagged: bool


@dataclass(frozen=True, slots=True)
class DriversTexts:
    title: str
    x_label: str
    flagged: str  # the legend's words for flagged results
    not_flagged: str
    empty: str


def drivers_figure(
    bars: Sequence[DriverBar],
    texts: DriversTexts,
    *,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
) -> Figure:
    """The effect sizes as horizontal bars, largest |size| on top (bar ``i`` is click
    target ("driver", i), in that order)."""
    shown = sorted(bars, key=lambda b: -abs(b.size))
    if not shown:
        return _empty(fig, theme, texts.title, texts.empty, 2.6)
    labels = [wrap_label(b.label, 46, 2) for b in shown]
    lines = sum(label.count("\n") + 1 for label in labels)
    height = max(3.1, 1.6 + 0.22 * lines + 0.12 * len(shown))
    colour, pale = OKABE_ITO["blue"], theme.count
    with chart_style(theme):
        fig, (ax,) = reuse_axes(fig, "drivers", theme, lambda f: [f.add_subplot()], height=height)
        y = list(range(len(shown)))
        patches = ax.barh(
            y,
            [b.size for b in shown],
            color=[colour if b.flagged else pale for b in shown],
            hatch=None,
            height=0.6,
        )
        for patch, b in zip(patches, shown, strict=True):
            if not b.flagged:
                patch.set_hatch("///")
                patch.set_edgecolor(theme.background)
        clickable(patches, "driver", indexed=True)
        for i, b in enumerate(shown):
            if b.low is not None and b.high is not None:
                ax.plot([b.low, b.high], [i, i], color=theme.text, linewidth=1.0)
                ax.plot([b.low, b.low], [i - 0.15, i + 0.15], color=theme.text, linewidth=1.0)
                ax.plot([b.high, b.high], [i - 0.15, i + 0.15], color=theme.text, linewidth=1.0)
        ax.axvline(0.0, color=theme.edge, linewidth=0.8)
        values = [v for b in shown for v in (b.size, b.low, b.high) if v is not None]
        lo, hi = min(0.0, *values), max(0.0, *values)
        pad = max(0.08 * (hi - lo), 0.05)
        ax.set_xlim(lo - pad if lo < 0 else -pad / 3, hi + pad if hi > 0 else pad / 3)
        ax.set_yticks(y, labels, fontsize=8.5)
        ax.set_ylim(len(shown) - 0.5, -0.5)
        ax.set_xlabel(texts.x_label)
        ax.set_title(texts.title)
        handles = [Patch(facecolor=colour, label=texts.flagged)]
        if any(not b.flagged for b in shown):
            handles.append(
                Patch(
                    facecolor=pale, hatch="///", edgecolor=theme.background, label=texts.not_flagged
                )
            )
        for old in list(fig.legends):
            old.remove()
        # At the figure's foot, under the axis label: never over a bar or the title.
        fig.legend(
            handles=handles, loc="lower right", bbox_to_anchor=(0.995, 0.005), fontsize=8,
            ncols=len(handles),
        )  # fmt: skip
        finish_axes(ax, grid_axis="x")
        pin_labels(ax)
        set_margins(
            fig, left=max(text_inches(t, 8.5) for t in labels) + 0.3, right=0.3, bottom=0.95
        )
    return fig


# ---------------------------------------------------------------------- scatter
@dataclass(frozen=True, slots=True)
class ScatterTexts:
    title: str
    x_label: str
    y_label: str
    summary: str  # the correlation with its interval and n
    empty: str


def _jitter(i: int) -> float:
    """A fixed spread in −0.18..0.18 (the same picture on every draw)."""
    return ((i * 0.6180339887) % 1.0 - 0.5) * 0.36


def score_csat_figure(
    points: Sequence[tuple[float, int]],
    texts: ScatterTexts,
    *,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
) -> Figure:
    """QA score against the CSAT answer, one dot per evaluation."""
    if not points:
        return _empty(fig, theme, texts.title, texts.empty, SCATTER_HEIGHT)
    with chart_style(theme):
        fig, (ax,) = reuse_axes(
            fig, "score-csat", theme, lambda f: [f.add_subplot()], height=SCATTER_HEIGHT
        )
        xs = [p[0] for p in points]
        ys = [p[1] + _jitter(i) for i, p in enumerate(points)]
        ax.scatter(xs, ys, s=9, color=theme.score, alpha=0.35, linewidths=0)
        ax.set_ylim(0.5, 5.5)
        ax.set_yticks([1, 2, 3, 4, 5])
        ax.set_xlim(min(0.0, min(xs)) - 2, 102)
        ax.set_title(texts.title)
        ax.set_xlabel(texts.x_label)
        ax.set_ylabel(texts.y_label)
        for old in list(fig.texts):
            old.remove()
        # Under the axis label, off the points.
        fig.text(0.01, 0.02, texts.summary, ha="left", va="bottom", fontsize=8.5, color=theme.text)
        finish_axes(ax, grid_axis="both")
        pin_labels(ax, y_tick_chars=1)
        set_margins(fig, left=0.6, bottom=0.95)
    return fig


__all__ = [
    "DriverBar",
    "DriversTexts",
    "ParetoBar",
    "ParetoTexts",
    "ScatterTexts",
    "TrendSeries",
    "TrendTexts",
    "churn_pareto_figure",
    "drivers_figure",
    "outcome_trend_figure",
    "score_csat_figure",
    "team_colour",
]
