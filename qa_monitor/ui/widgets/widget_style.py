"""Small display helpers shared by the scoring widgets: palette-aware colours and LTR text.

Colours are derived from the widget's palette so they follow the light/dark scheme;
meaning is never carried by colour alone (every caller pairs a colour with a word or glyph).
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from qa_monitor.core.metrics import format_percent
from qa_monitor.core.scoring import SCORE_DECIMALS, displayed_score

# Unicode isolates keep numbers, times and ids left-to-right inside right-to-left text.
_LRI = "\u2066"
_PDI = "\u2069"
NO_SCORE = "—"


def ltr(text: str) -> str:
    """Wrap ``text`` so it renders left-to-right even in a right-to-left paragraph."""
    return f"{_LRI}{text}{_PDI}"


def leading(widget: QWidget, text: str) -> str:
    """``text`` (numbers, times) kept left-to-right but aligned to the widget's leading edge.

    A label aligns by its text's own direction, so a bare number sits on the left even in a
    right-to-left layout; a right-to-left mark in front moves it to the right edge there.
    """
    if widget.layoutDirection() == Qt.LayoutDirection.RightToLeft:
        return f"\u200f{ltr(text)}"
    return ltr(text)


def aligned(widget: QWidget, text: str) -> str:
    """``text`` aligned to the widget's leading edge even when its words are another script's
    (an English label not yet translated in a right-to-left layout)."""
    if widget.layoutDirection() == Qt.LayoutDirection.RightToLeft:
        return f"\u200f{text}"
    return text


def set_leading_text(label: QLabel, text: str) -> None:
    """``text`` on the label, at the layout's leading edge even while a sentence is still
    English in a right-to-left layout (a label aligns by its text's own direction, and
    a right-to-left mark in front, as ``aligned`` adds, would reorder a sentence's
    punctuation)."""
    label.setText(text)
    rtl = label.layoutDirection() == Qt.LayoutDirection.RightToLeft
    side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    vertical = label.alignment() & Qt.AlignmentFlag.AlignVertical_Mask
    label.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute | vertical)


def text_direction(text: str) -> Qt.LayoutDirection:
    """The direction of the first letter that has one (Hebrew/Arabic script: right-to-left)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return Qt.LayoutDirection.RightToLeft
        if kind == "L":
            return Qt.LayoutDirection.LeftToRight
    return Qt.LayoutDirection.LeftToRight


def format_clock(ms: int | None) -> str:
    """Milliseconds as m:ss (or h:mm:ss from one hour), for recordings and time-stamps."""
    if ms is None or ms < 0:
        return "--:--"
    seconds = int(ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def format_score(value: float | None) -> str:
    """A score for display: ``core.scoring.displayed_score`` (one decimal, half up, the
    value pass/fail and bands are decided on) with "%", "—" when none."""
    if value is None:
        return NO_SCORE
    return format_percent(displayed_score(value), SCORE_DECIMALS)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def muted_color(palette: QPalette) -> QColor:
    """Secondary text that still keeps a contrast above 4.5:1 on the window background."""
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    return mix(text, window, 0.32)


def danger_color(palette: QPalette) -> QColor:
    # Two tones, one per scheme, each readable (>= 4.5:1) on that scheme's background.
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b3261e")


def success_color(palette: QPalette) -> QColor:
    return QColor("#81c995") if is_dark(palette) else QColor("#1e6b34")


def set_text_color(widget: QWidget, color: QColor) -> None:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, color)
    palette.setColor(QPalette.ColorRole.Text, color)
    widget.setPalette(palette)


def scaled_font(base: QFont, factor: float = 1.0, *, bold: bool = False) -> QFont:
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(max(1, round(font.pixelSize() * factor)))
    font.setBold(bold)
    return font


def muted_label(text: str, parent: QWidget | None = None, factor: float = 1.0) -> QLabel:
    label = QLabel(text, parent)
    if factor != 1.0:
        label.setFont(scaled_font(label.font(), factor))
    set_text_color(label, muted_color(label.palette()))
    return label


def em(widget: QWidget, count: float = 1.0) -> int:
    """``count`` font heights of ``widget`` in pixels: sizes that follow the font and DPI."""
    return round(widget.fontMetrics().height() * count)
