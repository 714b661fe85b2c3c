"""The app's icons: glyphs of the Material Design Icons 6 font, drawn in a colour.

``icon("mdi6.cog", color=...)`` gives the same picture qtawesome's ``qta.icon`` drew
(the glyph at 7/8 of the icon's height, centred; the disabled mode in the palette's
disabled text colour). qtawesome itself is not imported: it imports qtpy, which
star-imports every class of QtCore, QtGui and QtWidgets and loads QtOpenGL and
QtDataVisualization (0.3-0.4 s of every start), and it reads and checks all 13 of its
fonts (6 MB) when the first icon is drawn, though the app uses one. The font file and
its character map still come from the qtawesome package (``paths.icon_font_files``).
"""

from __future__ import annotations

import json
from functools import cache

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
    QTransform,
)
from PySide6.QtWidgets import QApplication

from qa_monitor import paths

PREFIX = "mdi6."
# qtawesome's proportion: the glyph's pixel size is 7/8 of the icon's height.
GLYPH_SCALE = 0.875


class IconError(LookupError):
    """An icon name the font does not have (a programming error, caught by tests)."""


@cache
def _font() -> tuple[str, dict[str, str]]:
    """The icon font's family, registered with Qt once, and its name -> glyph map."""
    ttf, charmap = paths.icon_font_files()
    font_id = QFontDatabase.addApplicationFont(str(ttf))
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        raise IconError(f"The icon font {ttf} could not be loaded.")
    with charmap.open(encoding="utf-8") as stream:
        codes = json.load(stream)
    return families[0], {name: chr(int(code, 16)) for name, code in codes.items()}


class _GlyphEngine(QIconEngine):
    def __init__(self, char: str, color: QColor, disabled: QColor, hflip: bool):
        super().__init__()
        self.char, self.color, self.disabled, self.hflip = char, color, disabled, hflip

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        painter.setPen(self.disabled if mode == QIcon.Mode.Disabled else self.color)
        if self.hflip:
            centre = rect.width() * 0.5, rect.height() * 0.5
            flip = QTransform().translate(*centre).scale(-1, 1).translate(-centre[0], -centre[1])
            painter.setTransform(flip, True)
        font = QFont()
        font.setFamily(_font()[0])
        font.setPixelSize(round(GLYPH_SCALE * rect.height()))
        painter.setFont(font)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self.char)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _GlyphEngine(self.char, self.color, self.disabled, self.hflip)


def icon(name: str, *, color: QColor | str | None = None, hflip: bool = False) -> QIcon:
    """The icon ``name`` ("mdi6.cog") in ``color`` (default: the application's text
    colour); ``hflip`` mirrors it (an arrow in a right-to-left layout)."""
    if not name.startswith(PREFIX):
        raise IconError(f"Icon {name!r} is not one of the Material Design Icons 6 (mdi6.*).")
    char = _font()[1].get(name[len(PREFIX) :])
    if char is None:
        raise IconError(f"The icon font has no icon named {name!r}.")
    palette = QApplication.palette()
    normal = QColor(color) if color is not None else palette.color(QPalette.ColorRole.Text)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    return QIcon(_GlyphEngine(char, normal, disabled, hflip))
