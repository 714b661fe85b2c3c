"""One matplotlib Figure in a Qt canvas: drawn when seen, clickable, themed, exportable.

Rules:
- A chart is given a *builder* (``set_builder``): a function that draws into the
  figure it built last time (so a refresh reuses the canvas, the figure and its axes)
  in the theme of the widget's palette. The builder runs, and the canvas draws, only
  when the chart is on screen (a chart scrolled out of view waits until it is scrolled
  in) or when its figure is asked for (``figure``, exports). ``set_figure`` shows a
  ready Figure instead.
- Points, bars and bar collections (a path per bar) the builder marked with
  ``charts_style.clickable`` show a pointing
  hand and a tooltip (``describe(key, index)``) under the mouse; a click on one emits
  ``pointClicked(key, index)``. Any click inside the axes also emits ``clicked(x, y)``
  in data coordinates.
- The mouse wheel over a chart scrolls the page it sits in (the chart does not zoom).
- Keyboard: the chart takes focus (Tab); ←/→ (and ↑/↓) step through its click targets
  in order, Home/End jump to the ends, Enter or Space "clicks" the one in focus. The
  target in focus gets a ring drawn in the palette's highlight colour, its tooltip, and
  its description as the canvas's accessible description (screen readers read it).
- The export button and the chart's context menu save the shown Figure (the file
  matches the screen) as .png (150 dpi), .svg or .pdf.
- A palette change (light ↔ dark) rebuilds the chart in the new theme.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib
from matplotlib.backend_bases import LocationEvent, MouseEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFocusEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.reports.charts_render import CachedTextMixin
from qa_monitor.reports.charts_style import (
    SCREEN_DRAW_RC,
    ChartTheme,
    new_figure,
    refit_margins,
    theme_for,
)
from qa_monitor.ui import icons
from qa_monitor.ui.widgets.chart_keyboard import ChartKeyboard
from qa_monitor.ui.widgets.chart_targets import target_at, target_position

log = logging.getLogger(__name__)
FORMATS = {"png": "PNG image", "svg": "SVG vector image", "pdf": "PDF document"}
PNG_DPI = 150
HIT_RADIUS = 8  # logical pixels around a point that count as on it
FOCUS_RING = 9  # logical radius of the ring around the target in keyboard focus
Builder = Callable[[Figure | None, ChartTheme], Figure]


def palette_theme(palette: QPalette) -> ChartTheme:
    """The chart theme for a widget palette (dark window → dark charts)."""
    return theme_for(
        palette.color(QPalette.ColorRole.Window).name(),
        palette.color(QPalette.ColorRole.WindowText).name(),
    )


class _Canvas(CachedTextMixin, FigureCanvasQTAgg):
    """The canvas: asks its chart to build pending work before it paints, times its
    draws, and reuses each label's pixels from one draw to the next
    (``charts_render``)."""

    def __init__(self, figure: Figure, owner: ChartWidget):
        super().__init__(figure)
        self.owner = owner
        self.last_draw_ms = 0.0

    def paintEvent(self, event: QPaintEvent) -> None:
        self.owner._build_pending()
        super().paintEvent(event)
        ring = self.owner._focus_ring()
        if ring is not None:
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2.5)
            painter.setPen(pen)
            painter.drawEllipse(ring, FOCUS_RING, FOCUS_RING)
            painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.owner._on_key(event):
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.owner._step_focus(0)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Matplotlib accepts every wheel event (for its own "scroll_event", which no
        # chart uses), so a page with charts stopped scrolling under the mouse: pass the
        # wheel on to the scroll area around the chart.
        event.ignore()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        QToolTip.hideText()
        self.update()

    def draw(self) -> None:
        # A chart shown for the first time gets a resize before its first paint, and
        # the resize asks for a draw: build what waits first, or the old figure is drawn
        # at the old size and then the new one again (two draws instead of one).
        if self.owner.pending:
            if not self.owner.on_screen():
                return  # built and drawn when first seen (the next paint)
            self.owner._build_pending()
        started = time.perf_counter()
        with matplotlib.rc_context(SCREEN_DRAW_RC):  # GUI thread only: no other draw runs
            super().draw()
        # The build's own resize queued another draw of what was just drawn.
        self._draw_pending = False
        self.last_draw_ms = (time.perf_counter() - started) * 1000.0
        self.owner.drawn.emit()


class ChartWidget(ChartKeyboard, QWidget):
    clicked = Signal(float, float)  # x, y in the chart's data coordinates
    pointClicked = Signal(str, int)  # a click target's key and index
    drawn = Signal()

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.setAccessibleName(name)
        self.describe: Callable[[str, int], str] | None = None
        self.revision = 0  # builds so far; a test can tell a chart was redrawn
        self._builder: Builder | None = None
        self._pending = False
        self._built_theme: ChartTheme | None = None
        self._has_content = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        bar = QHBoxLayout()
        bar.addStretch(1)  # the figure carries its own title
        self.export_button = QToolButton()
        self.export_button.setText(self.tr("Export"))
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.export_button.setAccessibleName(self.tr("Export chart: {0}").format(name))
        self.export_button.setToolTip(self.tr("Save this chart as PNG, SVG or PDF"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_menu = self._make_export_menu(self.export_button)
        self.export_button.setMenu(self.export_menu)
        self.export_button.setEnabled(False)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        self._body = QVBoxLayout()
        layout.addLayout(self._body, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._canvas: _Canvas = self._new_canvas(new_figure())
        self._body.addWidget(self._canvas)
        self._hover: tuple[str, int] | None = None
        self._focused: tuple[str, int] | None = None  # the target in keyboard focus
        self._style_to_palette()
        self._fit_height()

    # ------------------------------------------------------------------ content
    @property
    def canvas(self) -> FigureCanvasQTAgg:
        return self._canvas

    @property
    def figure(self) -> Figure | None:
        """The shown Figure (built now if it was waiting to be seen); None before any."""
        self._build_pending()
        return self._canvas.figure if self._has_content else None

    def theme(self) -> ChartTheme:
        return palette_theme(self.palette())

    def set_builder(self, builder: Builder) -> None:
        """Show what ``builder`` draws; it runs now if the chart is on screen, else
        when it first is (or when the figure is asked for)."""
        self._builder = builder
        self._pending = True
        self.export_button.setEnabled(True)
        if self.on_screen():
            self._build_pending()
        self._canvas.update()

    def set_figure(self, figure: Figure) -> None:
        """Show ``figure`` as it is (replacing the previous one and any builder)."""
        self._builder, self._pending = None, False
        self._swap_canvas(figure)
        self._has_content = True
        self.revision += 1
        self._fit_height()
        self.export_button.setEnabled(True)

    def _swap_canvas(self, figure: Figure) -> None:
        old = self._canvas
        self._canvas = self._new_canvas(figure)
        self._body.addWidget(self._canvas)
        self._body.removeWidget(old)
        old.hide()
        old.deleteLater()
        self._style_to_palette()

    @property
    def pending(self) -> bool:
        """A build waits until the chart is seen."""
        return self._pending

    def on_screen(self) -> bool:
        return self.isVisible() and not self._canvas.visibleRegion().isEmpty()

    def _build_pending(self) -> None:
        if not self._pending or self._builder is None:
            return
        self._pending = False
        theme = self.theme()
        figure = self._builder(self._canvas.figure, theme)
        self._built_theme = theme
        if figure is not self._canvas.figure:  # a builder may return a new Figure
            self._swap_canvas(figure)
        self._has_content = True
        self.revision += 1
        self._fit_height()
        self._canvas.draw_idle()

    def _new_canvas(self, figure: Figure) -> _Canvas:
        canvas = _Canvas(figure, self)
        canvas.setAccessibleName(self.name)
        canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        canvas.customContextMenuRequested.connect(self._context_menu)
        canvas.mpl_connect("button_press_event", self._on_press)
        canvas.mpl_connect("motion_notify_event", self._on_motion)
        canvas.mpl_connect("figure_leave_event", self._on_leave)
        # Margins are in inches: keep them so when the width follows the window.
        canvas.mpl_connect("resize_event", lambda _e: refit_margins(canvas.figure))
        return canvas

    def _fit_height(self) -> None:
        # The charts place labels in inches for their designed height: keep that height
        # (the width follows the window) so nothing is squashed or clipped.
        fig = self._canvas.figure
        ratio = self._canvas.device_pixel_ratio or 1.0
        height = round(fig.get_figheight() * fig.dpi / ratio)
        self._canvas.setFixedHeight(height)
        if self._canvas.isVisible() and self._canvas.height() != height:
            # Now, not at the layout's next pass: else the paint that built the figure
            # draws it at the old height, and the resize draws it again (two draws of
            # every chart shown, 100-200 ms each at 1M evaluations).
            self._canvas.resize(self._canvas.width(), height)

    # ------------------------------------------------------------------ theme
    def _style_to_palette(self) -> None:
        colour = QColor(self.theme().background)
        palette = self._canvas.palette()
        palette.setColor(QPalette.ColorRole.Window, colour)
        self._canvas.setPalette(palette)  # what shows before the first draw
        self.export_button.setIcon(icons.icon("mdi6.export", color=self.palette().text().color()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style_to_palette()
            if self._builder is not None and self._built_theme != self.theme():
                self._pending = True
                if self.on_screen():
                    self._build_pending()
                self._canvas.update()

    # ------------------------------------------------------------------ pointing
    def target_at(self, x: float, y: float) -> tuple[str, int] | None:
        """The click target under display point (x, y) (matplotlib pixels), if any."""
        radius = HIT_RADIUS * (self._canvas.device_pixel_ratio or 1.0)
        return target_at(self._canvas.figure, x, y, radius)

    def point_position(self, key: str, index: int) -> QPoint:
        """Where target (key, index) is on the canvas, in widget coordinates."""
        return self._to_widget(*target_position(self._canvas.figure, key, index))

    def _to_widget(self, x: float, y: float) -> QPoint:
        ratio = self._canvas.device_pixel_ratio or 1.0
        return QPoint(round(x / ratio), round(self._canvas.height() - y / ratio))

    def _on_motion(self, event: MouseEvent) -> None:
        target = self.target_at(event.x, event.y) if event.x is not None else None
        if target == self._hover:
            return
        self._hover = target
        if target is None:
            self._canvas.unsetCursor()
            self._canvas.setToolTip("")
            QToolTip.hideText()
            return
        self._canvas.setCursor(Qt.CursorShape.PointingHandCursor)
        text = self.describe(*target) if self.describe else ""
        # Qt shows the canvas's tooltip after the usual pause; one already showing (for
        # the previous point) follows the mouse at once.
        self._canvas.setToolTip(text)
        if text and QToolTip.isVisible():
            QToolTip.showText(QCursor.pos(), text, self._canvas)

    def _on_leave(self, _event: LocationEvent) -> None:
        self._hover = None
        self._canvas.unsetCursor()
        self._canvas.setToolTip("")

    def _on_press(self, event: MouseEvent) -> None:
        if event.button is not None and event.button != 1:
            return  # the right button opens the context menu
        target = self.target_at(event.x, event.y) if event.x is not None else None
        if target is not None:
            self.pointClicked.emit(*target)
        if event.inaxes is not None and event.xdata is not None and event.ydata is not None:
            self.clicked.emit(float(event.xdata), float(event.ydata))

    # ------------------------------------------------------------------ export
    def _make_export_menu(self, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        for suffix, label in FORMATS.items():
            action = menu.addAction(self.tr("Save as {0}…").format(self.tr(label)))
            action.triggered.connect(lambda _c=False, s=suffix: self.ask_export(s))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        if self.figure is not None:
            self.export_menu.exec(self._canvas.mapToGlobal(pos))

    def export_to(self, path: str | Path) -> Path:
        """Save the shown Figure to ``path``; the suffix (.png, .svg, .pdf) picks the format."""
        figure = self.figure
        if figure is None:
            raise ValueError("there is no chart to export yet")
        target = Path(path)
        fmt = target.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise ValueError(f"unknown chart format {target.suffix!r}: use .png, .svg or .pdf")
        figure.savefig(
            target,
            format=fmt,
            dpi=PNG_DPI if fmt == "png" else "figure",
            facecolor=figure.get_facecolor(),
        )
        return target

    def ask_export(self, suffix: str) -> Path | None:
        """Ask where to save, then save; a failure is said in a sentence."""
        default = Path.home() / f"{self.name.lower().replace(' ', '-')}.{suffix}"
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export chart"),
            str(default),
            f"{self.tr(FORMATS[suffix])} (*.{suffix})",
        )
        if not path:
            return None
        if not path.lower().endswith(f".{suffix}"):
            path += f".{suffix}"
        try:
            return self.export_to(path)
        except (OSError, ValueError) as exc:
            log.warning("Chart export to %s failed: %s", path, exc)
            QMessageBox.warning(
                self,
                self.tr("Chart not saved"),
                self.tr(
                    "The chart could not be saved to {0}: {1}. Nothing was written; choose "
                    "another folder or file name."
                ).format(path, exc),
            )
            return None
