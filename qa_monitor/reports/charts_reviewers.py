"""The reviewer drift chart: a reviewer's strictness against peers, month by month.

Rules (UX.md, Charts):
- One point per month with a comparable cell: the month's offset from peers in points
  (positive: stricter than peers), with its 95 % interval as a whisker; months without
  one leave a gap. A dashed zero line is "scores like peers"; the y range is symmetric
  around it, so the sign reads at a glance, and follows the offsets: a whisker more
  than twice the largest offset (plus 5 points) away runs off the axes.
- Texts come in already translated (``DriftTexts``): this module builds no sentence.
- The points are click targets ("offset": index = month among the shown points).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib import dates as mdates
from matplotlib.figure import Figure

from qa_monitor.reports.analytics_reviewers import MonthPoint
from qa_monitor.reports.charts_style import (
    LIGHT,
    ChartTheme,
    chart_style,
    clickable,
    finish_axes,
    pin_labels,
    reuse_axes,
    set_margins,
)

HEIGHT = 2.6  # inches: low enough to leave the questions table room at 1280 × 800


@dataclass(frozen=True, slots=True)
class DriftTexts:
    title: str
    y_label: str
    x_label: str
    zero_label: str  # beside the zero line, e.g. "like peers"
    empty: str  # the whole message when no month has a comparable cell


def _middle(month: date) -> float:
    return float(mdates.date2num(month + timedelta(days=14)))


def drift_figure(
    months: Sequence[MonthPoint],
    texts: DriftTexts,
    *,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
) -> Figure:
    """Offset from peers per month with its interval and the zero line."""
    shown = [(m.month, m.offset) for m in months if m.offset is not None]
    with chart_style(theme):
        if not shown:
            fig, (ax,) = reuse_axes(
                fig, "drift-empty", theme, lambda f: [f.add_subplot()], height=HEIGHT
            )
            ax.set_axis_off()
            ax.set_title(texts.title)
            ax.text(0.5, 0.5, texts.empty, ha="center", va="center", wrap=True, color=theme.muted)
            set_margins(fig, left=0.3, bottom=0.3)
            return fig
        fig, (ax,) = reuse_axes(fig, "drift", theme, lambda f: [f.add_subplot()], height=HEIGHT)
        x = [_middle(month) for month, _o in shown]
        y = [o.value for _m, o in shown]
        low = [o.value - o.low if o.low is not None else 0.0 for _m, o in shown]
        high = [o.high - o.value if o.high is not None else 0.0 for _m, o in shown]
        ax.axhline(0.0, color=theme.pass_mark, linestyle="--", linewidth=1.0)
        ax.errorbar(x, y, yerr=[low, high], fmt="none", ecolor=theme.score, alpha=0.45, capsize=3)
        line = ax.plot(x, y, color=theme.score, marker="o", markersize=4.5, linewidth=1.6)
        clickable(line, "offset")
        # The range follows the monthly offsets; an interval reaching far beyond them (a
        # month with two cells: t with one degree of freedom) runs off the axes rather
        # than flattening every other month.
        biggest = max(abs(v) for v in y)
        ends = [v - d for v, d in zip(y, low, strict=True)]
        ends += [v + d for v, d in zip(y, high, strict=True)]
        cap = 2.0 * biggest + 5.0
        reach = max(3.0, biggest + 1.0, *(min(abs(v), cap) for v in ends if math.isfinite(v)))
        ax.set_ylim(-reach * 1.1, reach * 1.1)
        pad = 20.0  # days each side of the first and last month's middle
        ax.set_xlim(min(x) - pad, max(x) + pad)
        # The zero line's name in the right margin: inside the axes it would cross a point.
        ax.text(
            1.01,
            0.0,
            texts.zero_label,
            transform=ax.get_yaxis_transform(),
            va="center",
            ha="left",
            fontsize=8.5,
            color=theme.muted,
        )
        ax.set_title(texts.title)
        ax.set_ylabel(texts.y_label)
        ax.set_xlabel(texts.x_label)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        finish_axes(ax)
        pin_labels(ax, y_tick_chars=3)
        set_margins(fig, left=0.9, bottom=0.75, right=1.3)
    return fig
