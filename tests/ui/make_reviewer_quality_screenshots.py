"""Screenshots of the Reviewer quality screen, for a visual review (not a test; pytest
does not collect it): at 1600×1000 and 1280×800, left-to-right and right-to-left,
offscreen, on the demo database, with the period "All time".

    QT_QPA_PLATFORM=offscreen python tests/ui/make_reviewer_quality_screenshots.py /tmp/issue15/rq

The screen is not in the main window yet: it is grabbed on its own, at the window's
size, with the strictest reviewer selected and the keyboard in the reviewers table.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from qa_monitor.app import create_application
from qa_monitor.services import Services
from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.ui.screens.reviewer_quality_screen import ReviewerQualityScreen
from qa_monitor.ui.session import Session

NOW = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
SIZES = ((1600, 1000), (1280, 800))


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(widget: QWidget, path: Path) -> None:
    wait(200)
    widget.grab().save(str(path))
    print(path)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/issue15/rq")
    out.mkdir(parents=True, exist_ok=True)
    create_application([])
    path = Path(tempfile.mkdtemp(prefix="rq-shots-")) / "demo.db"
    build_demo_database(path)
    services = Services.open(path, clock=lambda: NOW)
    for direction, tag in (
        (Qt.LayoutDirection.LeftToRight, "ltr"),
        (Qt.LayoutDirection.RightToLeft, "rtl"),
    ):
        QApplication.setLayoutDirection(direction)
        for width, height in SIZES:
            for period in ("all", "last_90"):
                screen = ReviewerQualityScreen(Session(services, path))
                screen.resize(width, height)
                screen.show()
                loop = QEventLoop()
                screen.loaded.connect(loop.quit)
                QTimer.singleShot(10_000, loop.quit)
                screen.period.setCurrentIndex(screen.period.findData(period))
                loop.exec()
                wait(300)
                screen.reviewers_table.setFocus()
                shoot(screen, out / f"reviewer-quality-{period}-{width}x{height}-{tag}.png")
                screen.close()
                screen.deleteLater()
                wait(50)
    services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
