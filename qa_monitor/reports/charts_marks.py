"""Marks the dashboard charts share: the pass-mark (target) line, a label box, and bars
drawn as one collection.

Rules:
- The pass mark is a dashed line in the theme's pass-mark colour, one per distinct
  mark, labelled "pass mark 80%" inside the axes' end, or "pass 80%" beside the axes
  (``outside``) where bar labels would otherwise collide with it; given the forms
  behind each mark, the label names them by title ("pass mark 80%: Inbound call").
- Many bars (a hundred periods) are one ``PolyCollection`` with a path per bar: an
  ``Axes.bar`` patch per bar took longer to build than the chart took to draw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection

from qa_monitor.reports.charts_style import LIGHT, ChartTheme, wrap_label

OUTSIDE_WIDTH = 30  # characters per line of a label beside the axes


def label_box(theme: ChartTheme) -> dict[str, object]:
    """A text background in the page colour, so a line behind a label does not cross it."""
    return {"boxstyle": "square,pad=0.15", "facecolor": theme.background, "edgecolor": "none",
            "alpha": 0.8}  # fmt: skip


def pass_mark_label(mark: float, forms: Sequence[str] = (), *, outside: bool = False) -> str:
    """The words beside a pass-mark line: the mark and, when known, the forms' titles
    (beside the axes, wrapped to a narrow column)."""
    if outside:
        # One title a line, so no title is cut by the narrow column.
        names = [wrap_label(title, OUTSIDE_WIDTH, 2).replace("\n", "\n   ") for title in forms]
        names = [f"• {name}" for name in names]
        return "\n".join([f"pass {mark:g}%:", *names]) if names else f"pass {mark:g}%"
    return f"pass mark {mark:g}%: {', '.join(forms)}" if forms else f"pass mark {mark:g}%"


def pass_mark_lines(
    ax: Axes,
    marks: Sequence[float],
    *,
    vertical: bool = False,
    outside: bool = False,
    theme: ChartTheme = LIGHT,
    forms: Mapping[float, Sequence[str]] | None = None,
) -> None:
    """Dashed target lines, one per mark, labelled inside the top/right end (or, with
    ``outside``, beside the axes on the right, where bar labels cannot collide with
    them), with the titles of the forms in ``forms`` (mark → titles)."""
    colour, box = theme.pass_mark, label_box(theme)
    highest = max(marks, default=None)
    for mark in marks:
        titles = (forms or {}).get(mark, ())
        if vertical:
            ax.axvline(mark, color=colour, linestyle="--", linewidth=1.1, zorder=1)
            ax.annotate(
                pass_mark_label(mark, titles),
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
        # Beside the axes, a label of several lines hangs below its line, except the
        # highest mark's, which stands above it: two marks' labels never overlap.
        above = mark == highest and len(marks) > 1
        ax.annotate(
            pass_mark_label(mark, titles, outside=outside),
            (1.0, mark),
            xycoords=("axes fraction", "data"),
            xytext=((4, 3 if above else -3) if titles else (4, 0)) if outside else (-3, 3),
            textcoords="offset points",
            ha="left" if outside else "right",
            va=("bottom" if above else "top")
            if outside and titles
            else "center"
            if outside
            else "baseline",
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
