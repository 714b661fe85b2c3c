"""The look every dashboard chart shares: palette, fonts, axes and the empty state.

Rules (UX.md, Charts):
- Okabe–Ito colour-blind-safe palette. A category always has the same colour
  (soft skills blue, process orange, compliance green, outcome purple); a team's
  colour comes from its id, so it is the same in every chart.
- Fonts: those installed of Noto Sans, Vazirmatn, Noto Sans Arabic, then matplotlib's
  own DejaVu Sans, as a fallback list, so Latin, Cyrillic, Persian and Arabic all
  render (matplotlib shapes right-to-left text with libraqm).
- No chart junk: light horizontal grid only, no top/right spines.
- Built on ``matplotlib.figure.Figure`` (never pyplot): the UI shows the same Figure
  in a canvas, exports save it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Literal

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from qa_monitor.core.forms import Category

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
CATEGORY_COLOURS: dict[Category, str] = {
    Category.SOFT_SKILLS: OKABE_ITO["blue"],
    Category.PROCESS: OKABE_ITO["orange"],
    Category.COMPLIANCE: OKABE_ITO["bluish_green"],
    Category.OUTCOME: OKABE_ITO["reddish_purple"],
}
CATEGORY_LABELS: dict[Category, str] = {
    Category.SOFT_SKILLS: "Soft skills",
    Category.PROCESS: "Process adherence",
    Category.COMPLIANCE: "Compliance",
    Category.OUTCOME: "Overall result",
}
# Teams cycle through the palette (black and yellow last: least readable as fills).
_TEAM_ORDER = ("blue", "orange", "bluish_green", "reddish_purple", "vermillion", "sky_blue")
SCORE_COLOUR = OKABE_ITO["blue"]
PASS_COLOUR = OKABE_ITO["bluish_green"]
CRITICAL_COLOUR = OKABE_ITO["vermillion"]
PASS_MARK_COLOUR = "#555555"
COUNT_COLOUR = "#9E9E9E"
NEUTRAL_COLOUR = "#7F7F7F"
BAND_ALPHA = 0.18
EMPTY_MESSAGE = "No evaluations match these filters"
FIGSIZE = (8.0, 4.5)  # inches; at 100 dpi a laptop-sized 800 × 450 image

# Each extra family costs time on every label drawn: keep the list short.
_PREFERRED_FONTS = ("Noto Sans", "Vazirmatn", "Noto Sans Arabic", "DejaVu Sans")


def team_colour(team_id: int | None) -> str:
    """The colour of a team in every chart (grey for no team)."""
    if not team_id:
        return NEUTRAL_COLOUR
    return OKABE_ITO[_TEAM_ORDER[(team_id - 1) % len(_TEAM_ORDER)]]


@lru_cache(maxsize=1)
def font_families() -> tuple[str, ...]:
    """The installed fonts of the preferred list, in order (DejaVu Sans always ends it:
    matplotlib ships it)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    chosen = [name for name in _PREFERRED_FONTS if name in installed]
    if "DejaVu Sans" not in chosen:
        chosen.append("DejaVu Sans")
    return tuple(chosen)


@contextmanager
def chart_style() -> Iterator[None]:
    """matplotlib settings for building a dashboard figure."""
    with matplotlib.rc_context(
        {
            "font.family": list(font_families()),
            "font.size": 9.5,
            "axes.titlesize": 11.5,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": 9.5,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": "#888888",
            "axes.grid": False,
            "grid.color": "#DDDDDD",
            "grid.linewidth": 0.7,
            "xtick.color": "#444444",
            "ytick.color": "#444444",
            "legend.frameon": False,
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
        }
    ):
        yield


def new_figure(height: float = FIGSIZE[1], width: float = FIGSIZE[0]) -> Figure:
    """A white figure; place its axes with ``set_margins`` (a layout engine would
    measure every label again on each draw, which triples the drawing time)."""
    return Figure(figsize=(width, height), dpi=100)


def text_inches(text: str, size: float = 9.5) -> float:
    """A generous estimate of the printed width of ``text``'s longest line, in inches."""
    longest = max((len(line) for line in text.split("\n")), default=0)
    return longest * size * 0.56 / 72.0


def set_margins(
    fig: Figure,
    *,
    left: float = 0.8,
    right: float = 0.25,
    top: float = 0.45,
    bottom: float = 0.6,
    hspace: float = 0.2,
) -> None:
    """Margins in inches (room for tick labels, axis labels, the title, a legend)."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(
        left=min(0.6, left / width),
        right=1.0 - min(0.4, right / width),
        top=1.0 - min(0.3, top / height),
        bottom=min(0.35, bottom / height),
        hspace=hspace,
    )


def finish_axes(ax: Axes, *, grid_axis: Literal["x", "y", "both"] = "y") -> None:
    """Light grid on one axis, fonts on tick labels created later at draw time."""
    ax.grid(True, axis=grid_axis)
    ax.set_axisbelow(True)
    ax.tick_params(labelfontfamily=list(font_families()))


def empty_figure(title: str = "", message: str = EMPTY_MESSAGE) -> Figure:
    """The empty state: the chart's title and a sentence saying why it is empty."""
    with chart_style():
        fig = new_figure()
        ax = fig.add_subplot()
        ax.set_axis_off()
        if title:
            ax.set_title(title)
        ax.text(
            0.5,
            0.5,
            message + "\nWiden the date range or clear a filter.",
            ha="center",
            va="center",
            fontsize=11,
            color="#555555",
            transform=ax.transAxes,
        )
    return fig


def wrap_label(text: str, width: int = 42, lines: int = 2) -> str:
    """``text`` on at most ``lines`` lines of ``width`` characters, cut with an ellipsis."""
    wrapped = textwrap.wrap(" ".join(text.split()), width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "\n".join(wrapped)
