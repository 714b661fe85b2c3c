"""Time the real Outcomes screen: how long a refresh takes to show, and how long the GUI
thread is ever blocked while it does.

    python benchmarks/bench_outcomes_ui.py DB [--runs 5]

DB must already be at the app's schema (run benchmarks/bench_outcomes.py first: its
work copy is upgraded and has customer counts and churn events; pass that copy). The
screen is the app's own (``OutcomesScreen``, offscreen Qt, 1500 x 1000) on the app's
own session; the reads run on its worker threads as in the app.

Per filter, medians of ``--runs`` refreshes after a warm-up:

- *shown ms*: from asking to the outcomes tab's figures, table, trend and churn
  reasons on screen, and the drivers report built (both signals);
- *GUI ms*: time the GUI thread spent in the two result handlers (building the
  tables, tiles, charts and the drivers view);
- *stall ms*: the longest gap between ticks of a 5 ms timer on the GUI thread during the
  refresh: what a user typing or scrolling meanwhile would feel. Target: at most 50 ms
  (CONVENTIONS.md: the GUI thread never blocks for more than 50 ms).

Then the same for switching to the Churn reasons and Drivers tabs (their charts draw
when first shown).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent)]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.bench_timing import load_average  # noqa: E402

SHOWN_TARGET_MS = 1000.0
STALL_TARGET_MS = 50.0


class Heartbeat:
    """The longest gap between ticks of a fast timer: the GUI thread's longest stall."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        self._tick()
        return self.worst * 1000.0


def wait_for(done: Callable[[], bool], timeout: float = 120.0) -> None:
    loop = QEventLoop()
    poll = QTimer(interval=2)
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    poll.start()
    QTimer.singleShot(int(timeout * 1000), loop.quit)
    loop.exec()
    poll.stop()
    if not done():
        raise TimeoutError("the Outcomes screen did not settle")


def settle_paint(ms: int = 60) -> None:
    """Let pending paints and deferred chart draws run."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    from qa_monitor.ui.screens.outcomes_screen import OutcomesScreen
    from qa_monitor.ui.session import open_session

    app = QApplication.instance() or QApplication([])
    session = open_session(args.db, None)
    if session is None:
        print(f"{args.db} could not be opened")
        return 2
    print(f"load average before: {load_average()}")
    started = time.perf_counter()
    screen = OutcomesScreen(session)
    built_ms = (time.perf_counter() - started) * 1000.0
    screen.resize(1500, 1000)

    gui = {"ms": 0.0}
    got: set[str] = set()

    def timed_handler(name: str, handler: Callable[..., None]) -> Callable[..., None]:
        def run(*a: object) -> None:
            t = time.perf_counter()
            handler(*a)
            gui["ms"] += (time.perf_counter() - t) * 1000.0
            got.add(name)

        return run

    # The loader's signals are connected to the bound methods at construction: wrap
    # them in place so the app's own handlers run, timed.
    screen.loader.outcomes.disconnect(screen._on_outcomes)
    screen.loader.drivers.disconnect(screen._on_drivers)
    screen.loader.outcomes.connect(timed_handler("outcomes", screen._on_outcomes))
    screen.loader.drivers.connect(timed_handler("drivers", screen._on_drivers))
    beat = Heartbeat()

    def refresh() -> tuple[float, float, float]:
        got.clear()
        gui["ms"] = 0.0
        beat.start()
        t = time.perf_counter()
        screen.load()
        wait_for(lambda: {"outcomes", "drivers"} <= got)
        shown = (time.perf_counter() - t) * 1000.0
        settle_paint()
        return shown, gui["ms"], beat.stop()

    screen.show()
    wait_for(lambda: not screen._loading)
    settle_paint(200)
    print(f"screen built in {built_ms:.0f} ms (first show reads once)")
    print(f"\nOutcomesScreen 1500x1000 offscreen; medians of {args.runs} refreshes")
    print(f"  {'filter':<28}{'shown ms':>10}{'GUI ms':>9}{'stall ms':>10}")
    period = screen.filters.period
    worst_shown = worst_stall = 0.0
    for title, data, grain in (
        ("last 12 months, by month", "year", 0),
        ("all time, by month", "all", 0),
        ("all time, by quarter", "all", 1),
    ):
        index = period.findData(data)
        if index < 0:
            continue
        period.blockSignals(True)
        period.setCurrentIndex(index)
        period.blockSignals(False)
        screen.grain.blockSignals(True)
        screen.grain.setCurrentIndex(grain)
        screen.grain.blockSignals(False)
        runs = [refresh() for _ in range(args.runs + 1)][1:]
        shown, gui_ms, stall = (statistics.median(v) for v in zip(*runs, strict=True))
        worst_shown, worst_stall = max(worst_shown, shown), max(worst_stall, stall)
        print(f"  {title:<28}{shown:>10.0f}{gui_ms:>9.0f}{stall:>10.0f}")
    for tab in (1, 2, 0):
        beat.start()
        t = time.perf_counter()
        screen.tabs.setCurrentIndex(tab)
        settle_paint(300)
        stall = beat.stop()
        worst_stall = max(worst_stall, stall)
        name = screen.tabs.tabText(tab).replace("&", "")
        took = (time.perf_counter() - t) * 1000
        print(f"  switch to {name:<18}{took:>10.0f}{'':>9}{stall:>10.0f}")
    print(
        f"\nslowest refresh shown in {worst_shown:.0f} ms (target {SHOWN_TARGET_MS:.0f}); "
        f"longest GUI stall {worst_stall:.0f} ms (target {STALL_TARGET_MS:.0f})"
    )
    print(f"load average after: {load_average()}")
    screen.close()
    session.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
