"""Marks the dashboard charts share: the pass-mark (target) line, a label box, and bars
drawn as one collection.

Rules:
- The pass mark is a dashed line in the theme's pass-mark colour, labelled "pass mark
  80%" inside the axes' end, or "pass 80%" beside the axes (``outside``) where bar
  labels would otherwise collide with it.
- Many bars (a hundred periods) are one ``PolyCollection`` with a path per bar: an
  ``Axes.bar`` patch per bar took longer to build than the chart took to draw.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection

from qa_monitor.reports.charts_style import LIGHT, ChartTheme


def label_box(theme: ChartTheme) -> dict[str, object]:
    """A text background in the page colour, so a line behind a label does not cross it."""
    return {"boxstyle": "square,pad=0.15", "facecolor": theme.background, "edgecolor": "none",
            "alpha": 0.8}  # fmt: skip


def pass_mark_lines(
    ax: Axes,
    marks: Sequence[float],
    *,
    vertical: bool = False,
    outside: bool = False,
    theme: ChartTheme = LIGHT,
) -> None:
    """Dashed target lines, labelled inside the top/right end (or, with ``outside``,
    beside the axes on the right, where bar labels cannot collide with them)."""
    colour, box = theme.pass_mark, label_box(theme)
    for mark in marks:
        if vertical:
            ax.axvline(mark, color=colour, linestyle="--", linewidth=1.1, zorder=1)
            ax.annotate(
                f"pass mark {mark:g}%",
                (mark, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(3, -2),
                textcoords="offset points",
                va="top",
                fontsize=8,
                color=colour,
                bbox=box,
            )
            continue
        ax.axhline(mark, color=colour, linestyle="--", linewidth=1.1, zorder=1)
        ax.annotate(
            f"pass {mark:g}%" if outside else f"pass mark {mark:g}%",
            (1.0, mark),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0) if outside else (-3, 3),
            textcoords="offset points",
            ha="left" if outside else "right",
            va="center" if outside else "baseline",
            fontsize=8,
            color=colour,
            bbox=None if outside else box,
            annotation_clip=False,
        )


def columns(ax: Axes, x: Sequence[float], heights: Sequence[float], width: float) -> PolyCollection:
    """Bars as one collection: ``Axes.bar`` makes a patch per bar, and a hundred
    periods took longer to build than to draw."""
    half = width / 2
    verts = [
        [(v - half, 0.0), (v - half, h), (v + half, h), (v + half, 0.0)]
        for v, h in zip(x, heights, strict=True)
    ]
    bars = PolyCollection(verts, linewidths=0)
    ax.add_collection(bars, autolim=True)
    return bars
