"""One matplotlib Figure in a Qt canvas, with an export menu that saves the same Figure.

Rules:
- The widget shows whatever Figure it is given (``set_figure``); the export writes that
  very object, so the file matches the screen.
- The format follows the file's suffix: .png (150 dpi), .svg or .pdf.
- A click on the chart is reported in data coordinates (``clicked(x, y)``), so a
  screen can turn a bar into a drill-down without knowing matplotlib.
"""

from __future__ import annotations

import logging
from pathlib import Path

import qtawesome as qta
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)
FORMATS = {"png": "PNG image", "svg": "SVG vector image", "pdf": "PDF document"}
PNG_DPI = 150


class ChartWidget(QWidget):
    clicked = Signal(float, float)  # x, y in the chart's data coordinates

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.setAccessibleName(name)
        self.figure: Figure | None = None
        self._canvas: FigureCanvasQTAgg | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        bar = QHBoxLayout()
        bar.addStretch(1)  # the figure carries its own title
        self.export_button = QToolButton()
        self.export_button.setText(self.tr("Export"))
        self.export_button.setIcon(qta.icon("mdi6.export", color=self.palette().text().color()))
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.export_button.setAccessibleName(self.tr("Export chart: {0}").format(name))
        self.export_button.setToolTip(self.tr("Save this chart as PNG, SVG or PDF"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        for suffix, label in FORMATS.items():
            action = menu.addAction(self.tr("Save as {0}…").format(self.tr(label)))
            action.triggered.connect(lambda _c=False, s=suffix: self.ask_export(s))
        self.export_button.setMenu(menu)
        self.export_button.setEnabled(False)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        self._body = QVBoxLayout()
        layout.addLayout(self._body, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    @property
    def canvas(self) -> FigureCanvasQTAgg | None:
        return self._canvas

    def set_figure(self, figure: Figure) -> None:
        """Show ``figure`` (replacing the previous one)."""
        old = self._canvas
        canvas = FigureCanvasQTAgg(figure)
        canvas.setAccessibleName(self.name)
        # The charts place labels in inches for their designed height: keep that height
        # (the width follows the window) so nothing is squashed or clipped.
        canvas.setFixedHeight(round(figure.get_figheight() * figure.dpi))
        canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        canvas.mpl_connect("button_press_event", self._on_press)
        self._body.addWidget(canvas)
        if old is not None:
            self._body.removeWidget(old)
            old.hide()
            old.deleteLater()
        self._canvas = canvas
        self.figure = figure
        self.export_button.setEnabled(True)

    def _on_press(self, event: MouseEvent) -> None:
        if event.inaxes is not None and event.xdata is not None and event.ydata is not None:
            self.clicked.emit(float(event.xdata), float(event.ydata))

    # ------------------------------------------------------------------ export
    def export_to(self, path: str | Path) -> Path:
        """Save the shown Figure to ``path``; the suffix (.png, .svg, .pdf) picks the format."""
        if self.figure is None:
            raise ValueError("there is no chart to export yet")
        target = Path(path)
        fmt = target.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise ValueError(f"unknown chart format {target.suffix!r}: use .png, .svg or .pdf")
        self.figure.savefig(target, format=fmt, dpi=PNG_DPI if fmt == "png" else "figure")
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
