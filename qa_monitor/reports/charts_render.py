"""An Agg renderer that draws each label once and then reuses its pixels.

Why: matplotlib 3.11 lays out and rasterises every label glyph by glyph on every draw
(about 4 ms a label with our fonts), and a dashboard refresh draws some 90 labels, most
of them the same as last time (titles, axis labels, tick labels). ``CachedTextRenderer``
keeps each label's rendered pixels, keyed by everything that shapes them: the text,
the font, the angle, the colour, the antialiasing, the resolution, the hinting and the
label's exact position within a pixel (FreeType places glyphs to 1/64 pixel; a static
label comes back at exactly the same place on every draw). A label drawn again is one
image blit, and the result is the stock renderer's within one or two levels (of 255) on
a few edge pixels, where blending a label once differs from blending it glyph by glyph
(``tests/reports/test_charts_render.py``).

The renderer also answers matplotlib's question of a font's ascent, descent and line
gap from a cache (``_get_font_height_metrics``, a hook matplotlib's own PDF and PS
renderers use): by default matplotlib looks the font up again for every label on every
draw.

Only public renderer calls draw (``RendererAgg.draw_text`` into a scratch renderer,
``draw_image`` onto the canvas). The height-metrics hook and the font lookup behind it
are matplotlib internals: if a later matplotlib drops them, the hook returns "no answer"
and matplotlib measures as it always did.

``CachedTextMixin`` makes an Agg canvas class draw with it (the chart widget's canvas);
``CachedTextCanvas`` is the headless one.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import FontProperties

CACHE_BYTES = 24 * 1024 * 1024  # all labels' pixels together, shared by every chart

_Entry = tuple[np.ndarray | None, int, int]  # RGBA rows bottom-up, left and top offsets


class _LabelCache:
    """Rendered labels, least recently used dropped first once over ``limit`` bytes."""

    def __init__(self, limit: int = CACHE_BYTES):
        self.limit = limit
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> _Entry | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: tuple[Any, ...], entry: _Entry) -> None:
        size = entry[0].nbytes if entry[0] is not None else 0
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None and old[0] is not None:
                self.bytes -= old[0].nbytes
            self._items[key] = entry
            self.bytes += size
            while self.bytes > self.limit and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                if dropped[0] is not None:
                    self.bytes -= dropped[0].nbytes

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)


LABELS = _LabelCache()
_HEIGHTS: dict[tuple[Any, ...], tuple[float | None, float | None, float | None]] = {}


class CachedTextRenderer(RendererAgg):
    """``RendererAgg`` with rendered labels and font heights cached (see the module)."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not s or _has_shaping_options(mtext):
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        left, top = math.floor(x), math.floor(y)  # y counts down from the top
        sub_x, sub_y = x - left, y - top  # glyphs are placed to 1/64 pixel: keep it all
        rc = matplotlib.rcParams
        key = (
            s,
            prop.copy(),  # FontProperties is mutable and hashes by its state
            round(float(angle), 4),
            sub_x,
            sub_y,
            tuple(gc.get_rgb()),
            gc.get_alpha(),
            gc.get_forced_alpha(),
            bool(gc.get_antialiased()),
            float(self.dpi),
            rc["text.hinting"],
            rc["text.hinting_factor"],
            rc["text.antialiased"],
        )
        entry = LABELS.get(key)
        if entry is None:
            entry = self._render_label(gc, s, prop, angle, sub_x, sub_y, mtext)
            LABELS.put(key, entry)
        pixels, dx, dy = entry
        if pixels is None:
            return None
        blit = self.new_gc()
        blit.copy_properties(gc)  # the clip rectangle and path apply here
        blit.set_alpha(1.0)  # the label's pixels already carry its alpha
        self.draw_image(blit, left + dx, int(self.height) - (top + dy) - pixels.shape[0], pixels)
        blit.restore()
        return None

    def _render_label(self, gc, s, prop, angle, sub_x, sub_y, mtext) -> _Entry:
        """Draw the label alone on a transparent scratch canvas and keep its pixels."""
        width, height, descent = self.get_text_width_height_descent(s, prop, False)
        reach = math.ceil(width + height + descent) + 4  # any angle stays inside
        if math.isclose(float(angle) % 360.0, 0.0):
            size_x, size_y, at_x, at_y = math.ceil(width) + 8, 2 * reach, 4, reach
        else:
            size_x = size_y = 2 * reach
            at_x = at_y = reach
        scratch = RendererAgg(size_x, size_y, self.dpi)
        pen = scratch.new_gc()
        pen.copy_properties(gc)
        pen.set_clip_rectangle(None)  # the clip is in canvas coordinates: apply it at blit
        pen.set_clip_path(None)
        RendererAgg.draw_text(
            scratch,
            pen,
            at_x + sub_x,
            at_y + sub_y,
            s,
            prop,
            angle,
            False,
            mtext,
        )
        pen.restore()
        rgba = np.asarray(scratch.buffer_rgba())
        alpha = rgba[..., 3]
        rows = np.flatnonzero(alpha.any(axis=1))
        if rows.size == 0:
            return None, 0, 0
        cols = np.flatnonzero(alpha.any(axis=0))
        r0, r1, c0, c1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
        pixels = np.ascontiguousarray(rgba[r0:r1, c0:c1][::-1])  # draw_image wants bottom-up
        return pixels, c0 - at_x, r0 - at_y

    def _get_font_height_metrics(self, prop: FontProperties):
        """A font's ascent, descent and line gap at this resolution, in pixels: what
        ``Text._get_layout`` computes for every label, computed once per font."""
        key = (prop.copy(), float(self.dpi))
        known = _HEIGHTS.get(key)
        if known is None:
            known = _font_height_metrics(prop, float(self.dpi))
            _HEIGHTS[key] = known
        return known


def _has_shaping_options(mtext: Any) -> bool:
    """Labels with OpenType features or a language set are drawn the stock way."""
    if mtext is None:
        return False
    features = getattr(mtext, "get_fontfeatures", lambda: None)()
    language = getattr(mtext, "get_language", lambda: None)()
    return bool(features) or bool(language)


def _font_height_metrics(
    prop: FontProperties, dpi: float
) -> tuple[float | None, float | None, float | None]:
    """The same figures ``matplotlib.text.Text._get_layout`` reads from the font's
    tables; (None, None, None) (measure instead) if matplotlib's lookup has changed."""
    try:
        from matplotlib.font_manager import fontManager, get_font

        font = get_font(fontManager._find_fonts_by_props(prop))
        head, os2 = font.get_sfnt_table("head"), font.get_sfnt_table("OS/2")
        hhea = font.get_sfnt_table("hhea")
        if head is not None:
            scale = prop.get_size_in_points() * dpi / 72.0 / head["unitsPerEm"]
            if os2 is not None:
                return (
                    os2["sTypoAscender"] * scale,
                    -os2["sTypoDescender"] * scale,
                    os2["sTypoLineGap"] * scale,
                )
            if hhea is not None:
                return hhea["ascent"] * scale, -hhea["descent"] * scale, hhea["lineGap"] * scale
    except (AttributeError, KeyError, TypeError):  # a matplotlib without these internals
        pass
    return None, None, None


class CachedTextMixin:
    """Put before an Agg canvas class among the bases to draw with
    ``CachedTextRenderer``: ``class Canvas(CachedTextMixin, FigureCanvasQTAgg)``."""

    _lastKey: Any = None  # FigureCanvasAgg's: the size the renderer was made for

    def get_renderer(self) -> RendererAgg:
        width, height = self.get_width_height(physical=True)  # type: ignore[attr-defined]
        key = width, height, self.figure.dpi  # type: ignore[attr-defined]
        renderer = getattr(self, "renderer", None)
        if self._lastKey != key or not isinstance(renderer, CachedTextRenderer):
            renderer = CachedTextRenderer(width, height, self.figure.dpi)  # type: ignore[attr-defined]
            self.renderer = renderer
            self._lastKey = key
        return renderer


class CachedTextCanvas(CachedTextMixin, FigureCanvasAgg):
    """A headless Agg canvas drawing with ``CachedTextRenderer``."""
