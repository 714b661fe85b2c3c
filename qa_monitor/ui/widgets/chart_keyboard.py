"""Stepping through a chart's click targets with the keyboard (mixed into ``ChartWidget``).

Rules:
- The canvas takes focus (Tab). ←/→ (and ↑/↓) step through the targets in reading
  order (``chart_targets.targets_in_order``), Home/End jump to the ends, and Enter or
  Space "clicks" the target in focus (``pointClicked``), as the mouse would.
- Charts keep their left-to-right time axis in right-to-left layouts, so → is always
  "later".
- The target in focus shows its tooltip, is described to screen readers (the canvas's
  accessible description) and gets a ring, drawn by the canvas in the palette's
  highlight colour (``_focus_ring``). A rebuilt chart keeps the focus on the same
  target when it still has it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QToolTip

from qa_monitor.ui.widgets.chart_targets import Target, targets_in_order

_STEPS = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1}


class ChartKeyboard:
    """Keyboard focus on click targets; needs ``_canvas``, ``describe``,
    ``pointClicked`` and ``point_position`` from the widget it is mixed into."""

    _canvas: Any
    describe: Callable[[str, int], str] | None
    pointClicked: Any
    point_position: Callable[[str, int], QPoint]
    _focused: Target | None = None  # the target in keyboard focus

    def targets(self) -> list[Target]:
        """Every click target, in the order the keyboard steps through them."""
        return targets_in_order(self._canvas.figure)

    @property
    def focused_target(self) -> Target | None:
        return self._focused

    def _on_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in _STEPS:
            self._step_focus(_STEPS[Qt.Key(key)])
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            targets = self.targets()
            if targets:
                self._set_focus(targets[0 if key == Qt.Key.Key_Home else -1])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self._focused is not None:
                self.pointClicked.emit(*self._focused)
        else:
            return False
        return True

    def _step_focus(self, step: int) -> None:
        """Move the keyboard focus ``step`` targets on (0: keep it, or take the first)."""
        targets = self.targets()
        if not targets:
            self._set_focus(None)
            return
        if self._focused not in targets:
            self._set_focus(targets[0])
            return
        i = targets.index(self._focused)
        self._set_focus(targets[max(0, min(len(targets) - 1, i + step))])

    def _set_focus(self, target: Target | None) -> None:
        self._focused = target
        canvas = self._canvas
        text = self.describe(*target) if target is not None and self.describe else ""
        canvas.setAccessibleDescription(text)
        if target is not None and text and canvas.hasFocus():
            where = self.point_position(*target)
            QToolTip.showText(canvas.mapToGlobal(where), text, canvas)
        canvas.update()

    def _focus_ring(self) -> QPoint | None:
        """Where to draw the keyboard focus ring (None: no ring)."""
        if self._focused is None or not self._canvas.hasFocus():
            return None
        try:
            return self.point_position(*self._focused)
        except (KeyError, IndexError):
            return None  # the chart was rebuilt without it
