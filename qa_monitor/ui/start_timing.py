"""How long the app takes to a usable window, for ``benchmarks/bench_startup.py``.

With ``QA_MONITOR_TIME_START=1`` in the environment, ``run_app`` starts as always and,
once the main window has painted and the event loop is free again (the user could
click), prints one line and closes the window. The benchmark times the launch from
outside (interpreter start and imports included); the line adds where the time inside
``run_app`` went. Off by default: nothing is timed or printed in normal use.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QMainWindow

TIME_START_ENV = "QA_MONITOR_TIME_START"
# The line's prefix, which the benchmark looks for among whatever else is printed.
REPORT_PREFIX = "qa-monitor start:"


def wanted() -> bool:
    return os.environ.get(TIME_START_ENV, "") not in ("", "0")


class StartTimer(QObject):
    """Prints the times of ``window``'s first paint and of the first idle moment after
    it (seconds since ``started``, a ``time.perf_counter()`` reading), then closes it."""

    def __init__(self, window: QMainWindow, started: float, built: float):
        super().__init__(window)
        self.window_ = window
        self.started = started
        self.built = built
        self.painted: float | None = None
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window_ and event.type() == QEvent.Type.Paint and self.painted is None:
            self.painted = time.perf_counter()
            # A zero timer runs once the events queued with the first paint are done.
            QTimer.singleShot(0, self, self._usable)
        return False

    def _usable(self) -> None:
        usable = time.perf_counter()
        painted = self.painted if self.painted is not None else usable
        screens = getattr(self.window_, "screens", None)
        built = ", ".join(key for key, _ in screens.built()) if screens is not None else ""
        print(
            f"{REPORT_PREFIX} window built {self.built - self.started:.3f} s, "
            f"first paint {painted - self.started:.3f} s, "
            f"usable {usable - self.started:.3f} s after run_app began; "
            f"screens built: {built or 'none'}",
            flush=True,
        )
        sys.stdout.flush()
        self.window_.close()
