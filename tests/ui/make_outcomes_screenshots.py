"""Screenshots of the Outcomes screen's three tabs, for a visual review (not a test;
pytest does not collect it): at 1600×1000 and 1280×800, left-to-right and
right-to-left, offscreen, on the demo database with "This year" monthly.

    QT_QPA_PLATFORM=offscreen python tests/ui/make_outcomes_screenshots.py /tmp/i16/screens

The demo has no customer counts or churn events: the script imports a year of
centre-wide monthly counts (chained: each month starts where the last ended; June
without new customers, so its simple index shows) and sixty churn events, so the
retention figures and the Pareto show.
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from qa_monitor.app import create_application
from qa_monitor.services import Services
from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.services.import_mapping import ImportKind
from qa_monitor.services.import_service import ImportService
from qa_monitor.ui.screens.outcomes_screen import OutcomesScreen
from qa_monitor.ui.session import Session

NOW = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
SIZES = ((1600, 1000), (1280, 800))
REASONS = (
    ("Competitor", 18),
    ("too expensive", 9),
    ("not worth it", 11),
    ("missing feature", 7),
    ("not using", 6),
    ("moved", 4),
    ("never set up", 3),
    ("Did not say", 2),
)


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(widget: QWidget, path: Path) -> None:
    wait(1200)  # the tab's charts are drawn when first seen, then laid out
    widget.grab().save(str(path))
    print(path)


def _import(services: Services, folder: Path, name: str, rows: list[str], kind: ImportKind) -> None:
    path = folder / name
    path.write_text("\n".join(rows) + "\n", "utf-8")
    report = ImportService.from_services(services).run_import(path, kind)
    assert report.committed, report.refused


def import_outcomes(services: Services, folder: Path) -> None:
    rng = random.Random(16)
    rows = ["Period start,Period end,Team,Customers at start,Customers at end,New customers"]
    customers = 2400
    month = date(2025, 12, 1)
    while month <= date(2026, 11, 1):
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        new = 0 if month.month == 6 else rng.randint(60, 140)
        lost = rng.randint(50, 120)
        end = customers + new - lost
        rows.append(f"{month},{following - timedelta(days=1)},,{customers},{end},{new}")
        customers, month = end, following
    _import(services, folder, "counts.csv", rows, ImportKind.CUSTOMER_COUNTS)
    total = sum(n for _r, n in REASONS)
    listed = ["Customer,Customer since"] + [f"K{i},2024-01-01" for i in range(total)]
    _import(services, folder, "customers.csv", listed, ImportKind.CUSTOMERS)
    events = ["Customer,Churn date,Reason"]
    i = 0
    for reason, n in REASONS:
        for _ in range(n):
            day = date(2026, rng.randint(1, 11), rng.randint(1, 28))
            events.append(f"K{i},{day},{reason}")
            i += 1
    _import(services, folder, "churn.csv", events, ImportKind.CHURN_EVENTS)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/i16/screens")
    out.mkdir(parents=True, exist_ok=True)
    create_application([])
    folder = Path(tempfile.mkdtemp(prefix="outcomes-shots-"))
    path = folder / "demo.db"
    build_demo_database(path)
    services = Services.open(path, clock=lambda: NOW)
    import_outcomes(services, folder)
    for direction, tag in (
        (Qt.LayoutDirection.LeftToRight, "ltr"),
        (Qt.LayoutDirection.RightToLeft, "rtl"),
    ):
        QApplication.setLayoutDirection(direction)
        for width, height in SIZES:
            screen = OutcomesScreen(Session(services, path))
            screen.resize(width, height)
            loop = QEventLoop()
            screen.loaded.connect(loop.quit)
            QTimer.singleShot(20_000, loop.quit)
            screen.show()
            loop.exec()
            view = screen.drivers
            form = view.form.findData("inbound_service")
            if form >= 0:
                view.form.setCurrentIndex(form)
            wanted = view.form_id()
            for _ in range(200):  # the drivers of the chosen form are shown
                if view.report is not None and view.report.query.form_id == wanted:
                    break
                wait(100)
            for index, name in enumerate(("outcomes", "churn-reasons", "drivers")):
                screen.tabs.setCurrentIndex(index)
                shoot(screen, out / f"{name}-{width}x{height}-{tag}.png")
            screen.close()
            screen.deleteLater()
            wait(50)
    services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
