"""The app's icons (qa_monitor/ui/icons.py) draw exactly what qtawesome drew, from the
one font the app uses, without importing qtawesome (its import took 0.3-0.4 s of every
start)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon

from qa_monitor.ui import icons

ROOT = Path(__file__).resolve().parents[2]
MODES = (QIcon.Mode.Normal, QIcon.Mode.Disabled, QIcon.Mode.Active, QIcon.Mode.Selected)


def used_names() -> set[str]:
    """Every icon name written in the app's source."""
    names: set[str] = set()
    for path in (ROOT / "qa_monitor").rglob("*.py"):
        names.update(re.findall(r"\"(mdi6\.[a-z0-9-]+)\"", path.read_text(encoding="utf-8")))
    return names


@pytest.mark.parametrize(
    "options",
    [{}, {"color": "#c0392b"}, {"color": QColor("navy")}, {"color": "#2e7d32", "hflip": True}],
)
def test_every_icon_draws_as_qtawesome_drew_it(qapp, options):
    import qtawesome as qta

    names = sorted(used_names())
    assert len(names) > 50  # the scan found the source's names
    for name in names[::7]:  # a spread of them, every size and mode
        for size in (16, 20, 24, 48):
            for mode in MODES:
                ours = icons.icon(name, **options).pixmap(QSize(size, size), mode).toImage()
                theirs = qta.icon(name, **options).pixmap(QSize(size, size), mode).toImage()
                assert ours == theirs, (name, size, mode, options)


def test_every_name_the_source_uses_is_in_the_font(qapp):
    for name in sorted(used_names()):
        assert not icons.icon(name).isNull(), name


def test_a_wrong_name_is_refused_with_a_sentence(qapp):
    with pytest.raises(icons.IconError, match=r"no icon named 'mdi6\.no-such-icon'"):
        icons.icon("mdi6.no-such-icon")
    with pytest.raises(icons.IconError, match="not one of the Material Design Icons 6"):
        icons.icon("fa5s.cog")
