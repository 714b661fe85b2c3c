"""Screenshots of the Evaluations list for a visual review (not a test; pytest does not
collect it): a drill-down from the Dashboard (a team's week on the score trend), a
drill-down from the most-missed question, and a search that finds nothing; left-to-right
(English) and right-to-left (Persian locale), at 1600×1000 and 1280×800, offscreen.

    QT_QPA_PLATFORM=offscreen python tests/ui/make_lists_screenshots.py /tmp/i17/after-lists

The qa_monitor package is taken from PYTHONPATH when set (so the same script shoots the
code of another checkout), else from this checkout. The demo database is built once in
a temporary folder, its clock fixed the morning after the demo's last day.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication, QStyleFactory

from qa_monitor.services import Services
from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.session import Session

SIZES = ((1600, 1000), (1280, 800))
NOW = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)  # 09:30 in Tehran, the demo's next day


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(signal, ms: int = 20_000) -> None:  # type: ignore[no-untyped-def]
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def shoot(out: Path, db: Path, direction: str) -> None:
    for width, height in SIZES:
        services = Services.open(db, clock=lambda: NOW)
        reviewer = services.people.list_reviewers()[0]
        team = services.people.list_teams()[0]
        window = MainWindow(Session(services, db, reviewer.id), ask_reviewer=False)
        window.resize(width, height)
        window.show()
        dashboard = window.screens["dashboard"]
        evaluations = window.screens["evaluations"]
        window.show_screen("dashboard")
        dashboard.filters.team.set_selected([team.id])
        wait_for(dashboard.refreshed)
        wait(300)
        points = dashboard.dashboard.score.points
        last = max(i for i, p in enumerate(points) if p.n)
        dashboard.drill_into_point("score", last - 1)
        wait_for(evaluations.listed)
        wait(300)
        name = f"{{}}-{direction}-{width}x{height}.png"
        window.grab().save(str(out / name.format("lists-drilldown")))
        window.show_screen("dashboard")
        dashboard.drill_into_question(0)
        wait_for(evaluations.listed)
        wait(300)
        window.grab().save(str(out / name.format("lists-drilldown-question")))
        evaluations.clear_filters()
        wait_for(evaluations.listed)
        evaluations.search.setText("no-such-call")
        wait_for(evaluations.listed)
        wait(300)
        window.grab().save(str(out / name.format("lists-empty")))
        print(out / name.format("lists-*"), flush=True)
        window.close()
        window.deleteLater()
        wait(100)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/i17/after-lists")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setStyle(QStyleFactory.create("Fusion"))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        build_demo_database(db)
        QLocale.setDefault(QLocale("en_GB"))
        shoot(out, db, "ltr")
        QLocale.setDefault(QLocale("fa_IR"))
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        shoot(out, db, "rtl")


if __name__ == "__main__":
    main()
