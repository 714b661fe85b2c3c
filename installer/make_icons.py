"""Render resources/icons/qa-monitor.svg to every icon file the bundles need.

    python3 installer/make_icons.py

Writes, beside the SVG:
- ``png/qa-monitor-<N>.png`` for N in 16, 24, 32, 48, 64, 128, 256, 512 (the window icon,
  the Linux desktop entry's hicolor sizes);
- ``qa-monitor.ico`` (Windows: the exe, the installer and its Start menu entry);
- ``qa-monitor.icns`` (macOS: the .app bundle).

Qt's SVG renderer draws each size from the vector source, so small sizes stay sharp;
Pillow packs them into .ico and .icns. The outputs are committed, so a build machine
needs neither step; run this again after editing the SVG.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "qa-monitor.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"Cannot read {SOURCE}", file=sys.stderr)
        return 1
    out = ICONS / "png"
    out.mkdir(exist_ok=True)
    images = {size: render(renderer, size) for size in SIZES}
    for size, image in images.items():
        image.save(out / f"qa-monitor-{size}.png", optimize=True)
    # Each .ico/.icns size is its own rendering, not a downscale of the largest one.
    ico_sizes = [s for s in SIZES if s <= 256]
    images[256].save(
        ICONS / "qa-monitor.ico",
        sizes=[(s, s) for s in ico_sizes],
        append_images=[images[s] for s in ico_sizes],
    )
    images[512].save(
        ICONS / "qa-monitor.icns", append_images=[images[s] for s in (16, 32, 64, 128, 256)]
    )
    print(f"Wrote {len(SIZES)} PNGs, qa-monitor.ico and qa-monitor.icns under {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
