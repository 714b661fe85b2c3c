"""Screenshots of the Dashboard and the agent profile, for a visual review (not a test;
pytest does not collect it): at 1600×1000 and 1280×800, left-to-right and right-to-left,
offscreen, on the demo database, with the period "All time".

    QT_QPA_PLATFORM=offscreen python tests/ui/make_dashboard_screenshots.py /tmp/i17/after-dash

Per size and direction: the dashboard at its top, scrolled to the Pareto ("most missed
behaviours"), scrolled to the tables (league, teams, reviewers), and the profile of the
league's first agent.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from qa_monitor.app import create_application
from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.services import Services
from qa_monitor.services.demo_data import DEMO_ANCHOR, build_demo_database
from qa_monitor.ui.screens.agent_profile_screen import AgentProfileScreen
from qa_monitor.ui.screens.dashboard_screen import DashboardScreen
from qa_monitor.ui.session import Session

NOW = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
SIZES = ((1600, 1000), (1280, 800))


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(widget: QWidget, path: Path) -> None:
    wait(300)
    widget.grab().save(str(path))
    print(path)


def scroll_to(screen: DashboardScreen, widget: QWidget) -> None:
    area: QScrollArea = screen.scroll
    top = widget.mapTo(area.widget(), widget.rect().topLeft()).y()
    area.verticalScrollBar().setValue(max(0, top - 8))
    wait(300)


def tables_anchor(screen: DashboardScreen) -> QWidget:
    # The team table when the screen has one (after issue 17), else the league.
    return getattr(screen, "teams_view", None) or screen.league_view


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/i17/after-dash")
    out.mkdir(parents=True, exist_ok=True)
    create_application([])
    path = Path(tempfile.mkdtemp(prefix="dash-shots-")) / "demo.db"
    build_demo_database(path)
    services = Services.open(path, clock=lambda: NOW)
    for direction, tag in (
        (Qt.LayoutDirection.LeftToRight, "ltr"),
        (Qt.LayoutDirection.RightToLeft, "rtl"),
    ):
        QApplication.setLayoutDirection(direction)
        for width, height in SIZES:
            size = f"{width}x{height}-{tag}"
            screen = DashboardScreen(Session(services, path), today=DEMO_ANCHOR)
            screen.resize(width, height)
            screen.show()
            loop = QEventLoop()
            screen.refreshed.connect(loop.quit)
            QTimer.singleShot(15_000, loop.quit)
            period = screen.filters.period
            screen.filters.period.setCurrentIndex(period.findData("all"))
            loop.exec()
            wait(500)
            shoot(screen, out / f"dashboard-top-{size}.png")
            scroll_to(screen, screen.pareto_chart)
            shoot(screen, out / f"dashboard-pareto-{size}.png")
            trends = getattr(screen, "section_trend_chart", None)
            if trends is not None:
                scroll_to(screen, trends)
                shoot(screen, out / f"dashboard-trends-{size}.png")
            scroll_to(screen, tables_anchor(screen))
            shoot(screen, out / f"dashboard-tables-{size}.png")
            agent = screen.dashboard.league[0].agent_id if screen.dashboard else 1
            screen.close()
            screen.deleteLater()

            profile = AgentProfileScreen(Session(services, path), today=DEMO_ANCHOR)
            profile.resize(width, height)
            profile.show()
            loop = QEventLoop()
            profile.refreshed.connect(loop.quit)
            QTimer.singleShot(15_000, loop.quit)
            profile.show_agent(agent, DashboardFilter())
            loop.exec()
            wait(500)
            shoot(profile, out / f"profile-{size}.png")
            profile.close()
            profile.deleteLater()
            wait(50)
    services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
