"""The label-caching Agg renderer draws what matplotlib's own renderer draws, and a
redraw reuses the labels' pixels."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from qa_monitor.reports import charts, charts_render
from qa_monitor.reports.analytics import DashboardFilter, Granularity, build_dashboard
from qa_monitor.reports.charts_render import CachedTextCanvas, CachedTextRenderer, _LabelCache
from qa_monitor.reports.charts_style import DARK, LIGHT, SCREEN_DRAW_RC, ChartTheme
from tests.reports.analytics_data import Centre, evaluate, misses_for, open_centre

# Blending a label once as an image instead of glyph by glyph rounds differently by a
# level or two (of 255) on a few edge pixels; a glyph misplaced by 1/64 pixel differs by
# several levels, and a misplaced or missing glyph by a hundred or more.
TOLERANCE = 2


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    charts_render.LABELS.clear()
    yield
    charts_render.LABELS.clear()


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Centre]:
    services, built = open_centre(tmp_path_factory.mktemp("render") / "qa.db")
    with services:
        for day in (2, 9, 16, 23):
            for index, agent in enumerate(built.agents):
                evaluate(built, agent, date(2026, 3, day), misses_for(100 - 10 * index))
        yield built


def _pixels(canvas: FigureCanvasAgg) -> np.ndarray:
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).astype(int)


def _assert_same(stock: np.ndarray, cached: np.ndarray, what: str) -> None:
    assert stock.shape == cached.shape, what
    difference = np.abs(stock - cached)
    assert difference.max() <= TOLERANCE, (what, int(difference.max()))
    assert (difference > 0).sum() <= 0.001 * difference.size, what


def _dashboard_figures(centre: Centre, theme: ChartTheme) -> dict[str, Figure]:
    f = DashboardFilter(
        date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), granularity=Granularity.WEEK
    )
    board = build_dashboard(centre.services.db, f)
    return {
        "score": charts.score_trend_figure(board.score, theme=theme),
        "rates": charts.rate_trend_figure(board.rates, theme=theme),
        "areas": charts.category_figure(board.categories, board.score.pass_marks, theme=theme),
        "pareto": charts.pareto_figure(board.questions, theme=theme),
    }


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("rc", [{}, SCREEN_DRAW_RC], ids=["hinted", "screen"])
def test_dashboard_charts_match_the_stock_renderer(
    centre: Centre, theme: ChartTheme, rc: dict[str, str]
) -> None:
    for name, fig in _dashboard_figures(centre, theme).items():
        with matplotlib.rc_context(rc):
            stock = _pixels(FigureCanvasAgg(fig))
            cached = _pixels(CachedTextCanvas(fig))
            again = _pixels(fig.canvas)  # every label from the cache now
        _assert_same(stock, cached, name)
        assert np.array_equal(cached, again), name


def _awkward_labels() -> Figure:
    """Labels that stress placement: rotated, clipped by the axes, half transparent,
    several lines, right-to-left script, at fractional positions, an empty one."""
    fig = Figure(figsize=(5, 3), dpi=100)
    ax = fig.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.set_title("Mean score per week (band: 95% confidence interval)")
    ax.set_ylabel("Pass rate (%)")
    ax.set_xticks(range(11), [f"W{i}" for i in range(11)], rotation=35, ha="right")
    ax.text(9.2, 5, "clipped at the axes edge", clip_on=True)
    ax.text(1.0, 8.3, "half transparent", alpha=0.5, color="#0072B2")
    ax.text(2.37, 6.61, "two\nlines", fontsize=8, rotation=90)
    ax.text(4.1, 2.2, "ارزیابی کیفیت", fontsize=11)
    ax.text(5.5, 4.4, "", fontsize=11)
    for i in range(5):
        ax.text(0.5 + i * 1.73, 1.0 + i * 0.31, f"{82.3 + i:.1f}", fontsize=7.5)
    return fig


def test_awkward_labels_match_the_stock_renderer() -> None:
    fig = _awkward_labels()
    stock = _pixels(FigureCanvasAgg(fig))
    cached = _pixels(CachedTextCanvas(fig))
    _assert_same(stock, cached, "awkward labels")
    assert np.array_equal(cached, _pixels(fig.canvas))  # and again from the cache


def test_a_redraw_takes_every_label_from_the_cache(centre: Centre) -> None:
    figures = _dashboard_figures(centre, LIGHT)
    canvases = [CachedTextCanvas(fig) for fig in figures.values()]
    for canvas in canvases:
        canvas.draw()
    first_misses = charts_render.LABELS.misses
    assert first_misses > 20 and len(charts_render.LABELS) == first_misses
    for canvas in canvases:
        canvas.draw()
    assert charts_render.LABELS.misses == first_misses
    assert charts_render.LABELS.hits >= first_misses


def test_a_moved_or_recoloured_label_is_drawn_again() -> None:
    fig = _awkward_labels()
    canvas = CachedTextCanvas(fig)
    canvas.draw()
    misses = charts_render.LABELS.misses
    label = fig.axes[0].texts[1]
    label.set_position((1.013, 8.3))  # a fraction of a pixel
    canvas.draw()
    assert charts_render.LABELS.misses == misses + 1
    label.set_color("#D55E00")
    canvas.draw()
    assert charts_render.LABELS.misses == misses + 2
    _assert_same(_pixels(FigureCanvasAgg(fig)), _pixels(CachedTextCanvas(fig)), "recoloured")


def test_the_cache_keeps_to_its_byte_limit() -> None:
    cache = _LabelCache(limit=1000)
    pixels = np.zeros((10, 10, 4), np.uint8)  # 400 bytes each
    for i in range(5):
        cache.put((i,), (pixels, 0, 0))
    assert cache.bytes <= 1000 and len(cache) == 2
    assert cache.get((0,)) is None and cache.get((4,)) is not None
    cache.put((5,), (None, 0, 0))  # a label with no visible pixels costs nothing
    assert cache.bytes == 800


def test_font_heights_are_those_matplotlib_reads() -> None:
    from matplotlib.font_manager import FontProperties

    renderer = CachedTextRenderer(200, 100, 100)
    prop = FontProperties(size=9.5)
    ascent, descent, gap = renderer._get_font_height_metrics(prop)
    assert ascent is not None and descent is not None and gap is not None
    assert 0 < descent < ascent < 9.5 * 100 / 72 * 1.5
    assert renderer._get_font_height_metrics(prop) == (ascent, descent, gap)
