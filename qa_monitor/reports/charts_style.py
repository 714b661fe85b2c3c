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
- Themes: a ``ChartTheme`` holds plain colours (no Qt here); the UI picks one from its
  palette with ``theme_for``. Categories and teams keep their colours in every theme;
  only the background, text, grid and neutral marks change.
- Speed: titles sit at a fixed height (``axes.titley``) so a draw does not measure
  every tick label to place them; a builder given a figure it built before reuses its
  axes (``reuse_axes``), so a refresh creates no new axes or ticks.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import matplotlib
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.transforms import ScaledTranslation

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


@dataclass(frozen=True, slots=True)
class ChartTheme:
    """The neutral colours of a chart (matplotlib colour strings)."""

    name: str
    background: str  # figure and axes face
    text: str  # titles, axis labels, tick labels
    muted: str  # annotations and secondary text
    edge: str  # spines and tick marks
    grid: str
    pass_mark: str
    count: str  # bars that count evaluations
    score: str  # the mean-score line

    @property
    def dark(self) -> bool:
        return _luminance(self.background) < _luminance(self.text)


LIGHT = ChartTheme(
    "light", "white", "#222222", "#555555", "#888888", "#DDDDDD", "#555555", "#9E9E9E",
    OKABE_ITO["blue"],
)  # fmt: skip
# Okabe–Ito blue is too dark for a thin line on a dark page: the score line takes the
# palette's sky blue there (bars keep their category colours, readable as fills).
DARK = ChartTheme(
    "dark", "#1E1E1E", "#E8E8E8", "#B4B4B4", "#8C8C8C", "#3C3C3C", "#C8C8C8", "#707070",
    OKABE_ITO["sky_blue"],
)  # fmt: skip


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a matplotlib colour."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def theme_for(background: str, text: str | None = None) -> ChartTheme:
    """The theme for a page of colour ``background`` (with ``text`` colour): dark when
    the page is darker than its text (or, without text, darker than mid grey). The
    figure takes the page's own colour so a chart sits in it without a frame."""
    dark = (
        _luminance(background) < _luminance(text)
        if text is not None
        else _luminance(background) < 0.18
    )
    base = DARK if dark else LIGHT
    if to_rgb(background) == to_rgb(base.background):
        return base
    return ChartTheme(
        f"{base.name}:{background}", background, *(getattr(base, f) for f in _AFTER_BG)
    )


_AFTER_BG = ("text", "muted", "edge", "grid", "pass_mark", "count", "score")

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
def chart_style(theme: ChartTheme = LIGHT) -> Iterator[None]:
    """matplotlib settings for building a dashboard figure in ``theme``."""
    with matplotlib.rc_context(
        {
            "font.family": list(font_families()),
            "font.size": 9.5,
            "text.color": theme.text,
            "axes.titlesize": 11.5,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.titlecolor": theme.text,
            # A fixed title height: an automatic one measures every tick label per draw.
            "axes.titley": 1.0,
            "axes.titlepad": 6.0,
            "axes.labelsize": 9.5,
            "axes.labelcolor": theme.text,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": theme.edge,
            "axes.facecolor": theme.background,
            "axes.grid": False,
            "grid.color": theme.grid,
            "grid.linewidth": 0.7,
            "xtick.color": theme.edge,
            "ytick.color": theme.edge,
            "xtick.labelcolor": theme.text,
            "ytick.labelcolor": theme.text,
            "legend.frameon": False,
            "legend.labelcolor": theme.text,
            "figure.facecolor": theme.background,
            "savefig.facecolor": theme.background,
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
    """Margins in inches (room for tick labels, axis labels, the title, a legend); kept
    on the figure so ``refit_margins`` can apply them again at another size."""
    fig._qa_margins = (left, right, top, bottom, hspace)  # type: ignore[attr-defined]
    width, height = fig.get_size_inches()
    fig.subplots_adjust(
        left=min(0.6, left / width),
        right=1.0 - min(0.4, right / width),
        top=1.0 - min(0.3, top / height),
        bottom=min(0.35, bottom / height),
        hspace=hspace,
    )


def refit_margins(fig: Figure) -> None:
    """Apply the margins of the last ``set_margins`` again (after a resize: a canvas
    changes the figure's width to the window's)."""
    margins = getattr(fig, "_qa_margins", None)
    if margins is not None:
        left, right, top, bottom, hspace = margins
        set_margins(fig, left=left, right=right, top=top, bottom=bottom, hspace=hspace)


def finish_axes(ax: Axes, *, grid_axis: Literal["x", "y", "both"] = "y") -> None:
    """Light grid on one axis; fonts and colours (of the ``chart_style`` in force) on
    tick labels and grid lines created later, at draw time, outside that style."""
    rc = matplotlib.rcParams
    done = (grid_axis, rc["grid.color"], rc["xtick.color"], rc["xtick.labelcolor"])
    if getattr(ax, "_qa_finished", None) == done:
        return  # axes reused by ``reuse_axes`` keep their grid and tick settings
    ax._qa_finished = done  # type: ignore[attr-defined]
    ax.grid(False, axis="both")
    ax.grid(True, axis=grid_axis, color=rc["grid.color"])
    ax.set_axisbelow(True)
    ax.tick_params(
        labelfontfamily=list(font_families()),
        color=rc["xtick.color"],
        labelcolor=rc["xtick.labelcolor"],
    )


# For drawing on screen: unhinted glyphs render about a third faster (matplotlib draws
# text glyph by glyph) and look the same on a high-DPI screen; exports keep hinting.
SCREEN_DRAW_RC = {"text.hinting": "no_hinting"}


def pin_labels(ax: Axes, *, y_tick_chars: int = 3) -> None:
    """Put the axis labels at fixed distances from the axes, for tick labels of one
    line below and of at most ``y_tick_chars`` characters on the left. Matplotlib would
    otherwise measure every tick label on each draw to place them."""
    rc = matplotlib.rcParams
    size = float(rc["font.size"]) / 72.0  # inches
    fig = ax.get_figure()
    assert fig is not None
    if ax.get_xlabel():
        tick = (float(rc["xtick.major.size"]) + float(rc["xtick.major.pad"])) / 72.0
        down = ScaledTranslation(0, -(tick + 1.3 * size + 0.05), fig.dpi_scale_trans)
        ax.xaxis.set_label_coords(0.5, 0.0, transform=ax.transAxes + down)
    if ax.get_ylabel():
        tick = (float(rc["ytick.major.size"]) + float(rc["ytick.major.pad"])) / 72.0
        left = ScaledTranslation(
            -(tick + 0.62 * size * y_tick_chars + 0.07), 0, fig.dpi_scale_trans
        )
        ax.yaxis.set_label_coords(0.0, 0.5, transform=ax.transAxes + left)


def tick_chars(top: float) -> int:
    """Characters of the longest tick label of an axis from 0 to ``top`` (integers)."""
    return len(str(max(1, int(top))))


def _clear_data(ax: Axes) -> None:
    """Remove what a builder drew on ``ax``, keeping the axes, its axis and its ticks."""
    for container in list(ax.containers):
        container.remove()
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    for artist in (*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images):
        artist.remove()
    ax.relim()
    ax.set_autoscale_on(True)
    ax.set_title("", loc="left")
    ax.set_xlabel("")
    ax.set_ylabel("")


def reuse_axes(
    fig: Figure | None,
    layout: str,
    theme: ChartTheme,
    make: Callable[[Figure], Sequence[Axes]],
    *,
    height: float = FIGSIZE[1],
) -> tuple[Figure, list[Axes]]:
    """The figure and axes for a chart of ``layout``: ``fig``'s own axes, emptied, when
    it was last built with the same layout and theme (creating axes and their ticks is
    a good part of a redraw); else ``fig`` cleared (or a new figure) with ``make``'s
    axes. Call inside ``chart_style(theme)``. The height is set in inches; the width
    stays (a canvas sets it)."""
    key = f"{layout}|{theme}"
    if fig is None:
        fig = new_figure(height=height)
    elif fig.get_figheight() != height:
        fig.set_figheight(height, forward=False)
    if getattr(fig, "_qa_layout", None) == key:
        axes = list(fig.axes)
        for ax in axes:
            _clear_data(ax)
        return fig, axes
    fig.clear()
    fig.set_facecolor(theme.background)
    axes = list(make(fig))
    fig._qa_layout = key  # type: ignore[attr-defined]
    return fig, axes


def clickable(artists: Iterable[Artist], key: str, *, indexed: bool = False) -> None:
    """Mark ``artists`` as click targets named ``key`` (a UI shows a pointing hand and
    reports a click as (key, index)). A line's index is its nearest point, a
    collection's the path (bar) under the mouse; with ``indexed`` each artist (a bar
    patch) is its own index, in order."""
    for i, artist in enumerate(artists):
        artist.set_gid(f"{key}:{i}" if indexed else key)
        artist.set_picker(True)


def empty_figure(
    title: str = "",
    message: str = EMPTY_MESSAGE,
    *,
    theme: ChartTheme = LIGHT,
    fig: Figure | None = None,
) -> Figure:
    """The empty state: the chart's title and a sentence saying why it is empty."""
    with chart_style(theme):
        fig, (ax,) = reuse_axes(fig, "empty", theme, lambda f: [f.add_subplot()])
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
            color=theme.muted,
            transform=ax.transAxes,
        )
        set_margins(fig)
    return fig


def wrap_label(text: str, width: int = 42, lines: int = 2) -> str:
    """``text`` on at most ``lines`` lines of ``width`` characters, cut with an ellipsis."""
    wrapped = textwrap.wrap(" ".join(text.split()), width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "\n".join(wrapped)
