"""Screenshots of the Calibration screen, for a visual review (not a test; pytest does
not collect it): the sessions list with an open session (blind), a revealed session
with its matrix, and the New session dialog, at 1600×1000 and 1280×800, left-to-right
and right-to-left, offscreen.

    QT_QPA_PLATFORM=offscreen python tests/ui/make_calibration_screenshots.py /tmp/calib

It plants, through the services, a fifteen-question form, an expert and seven
reviewers, four revealed sessions before (so alpha pools five sessions), the session
shown revealed (eight reviewers, a few agreed answers and notes), and an open one
where two of five have submitted and one has a draft. The screen is grabbed inside the
main window, as a reviewer sees it.
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from qa_monitor.app import create_application
from qa_monitor.core.answers import Answer
from qa_monitor.services import Services
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.session import Session, set_reviewer
from tests.factories import FakeClock
from tests.ui.calibration_data import Centre, build_centre, create_session, jittered, panel_form
from tests.ui.calibration_data import score as score_session

SIZES = ((1600, 1000), (1280, 800))
NAMES = (
    "Omid Karimi",
    "Mina Sadr",
    "Reza Amini",
    "Ali Rahimi",
    "Zahra Hosseini",
    "Nasrin Ebrahimi",
    "Dmitri Volkov",
)
TRUTH = {
    "greet": "yes", "name": "yes", "tone": "4", "id": "yes", "consent": "yes",
    "privacy": "pass", "listen": "yes", "history": "yes", "needs": "yes", "plain": "4",
    "hold": "na", "solved": "partial", "next": "yes", "selfserve": "no", "thank": "yes",
}  # fmt: skip


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def plant(services: Services, clock: FakeClock) -> tuple[Centre, int, int]:
    form = panel_form()
    centre = build_centre(services, form, NAMES, 7, expert="Leila Navabi")
    rng = random.Random(15)
    everyone = (centre.expert, *centre.reviewers)
    slips = {r.id: 0.05 + 0.06 * i for i, r in enumerate(everyone)}
    for n in range(4):
        clock.advance(days=3)
        panel = centre.reviewers[: 4 + n % 3]
        sid = create_session(centre, f"Billing calls, week {45 + n}", centre.calls[n], panel)
        for reviewer in (centre.expert, *panel):
            score_session(
                services, sid, reviewer.id, jittered(form, rng, TRUTH, slips[reviewer.id])
            )
        clock.advance(hours=2)
        services.settings.set_current_reviewer(centre.expert.id)
        services.calibration.reveal(sid)
    clock.advance(days=3)
    shown = create_session(
        centre,
        "Billing calls, week 49",
        centre.calls[4],
        centre.reviewers,
        summary="Hold etiquette and the self-service pointer split the panel.",
    )
    for reviewer in everyone:
        score_session(services, shown, reviewer.id, jittered(form, rng, TRUTH, slips[reviewer.id]))
    clock.advance(hours=3)
    services.settings.set_current_reviewer(centre.expert.id)
    services.calibration.reveal(shown)
    services.calibration.set_note(
        shown,
        "selfserve",
        Answer("selfserve", "no"),
        "Only when the customer asks how to do it next time; a link sent unasked does not count.",
        True,
    )
    services.calibration.set_note(shown, "hold", Answer("hold", na=True), "No hold on this call.")
    clock.advance(days=1)
    waiting = create_session(
        centre,
        "New starters, week 50",
        centre.calls[5],
        centre.reviewers[:4],
        due_date=(clock.now + timedelta(days=4)).date(),
    )
    score_session(services, waiting, centre.expert.id, TRUTH)
    score_session(services, waiting, centre.reviewers[1].id, jittered(form, rng, TRUTH, 0.2))
    score_session(services, waiting, centre.reviewers[2].id, TRUTH, submit=False)
    return centre, shown, waiting


def shoot(widget: QWidget, path: Path) -> None:
    wait(250)
    widget.grab().save(str(path))
    print(path)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/calibration-shots")
    out.mkdir(parents=True, exist_ok=True)
    create_application([])
    QSettings().clear()
    path = Path(tempfile.mkdtemp(prefix="calibration-shots-")) / "qa.db"
    clock = FakeClock(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    services = Services.open(path, clock=clock)
    centre, shown, waiting = plant(services, clock)
    for direction, tag in (
        (Qt.LayoutDirection.LeftToRight, "ltr"),
        (Qt.LayoutDirection.RightToLeft, "rtl"),
    ):
        QApplication.setLayoutDirection(direction)
        for width, height in SIZES:
            session = Session(services, path)
            set_reviewer(session, centre.reviewers[0].id)  # Omid: invited to both
            window = MainWindow(session, ask_reviewer=False, first_sync_delay_ms=10**9)
            window.resize(width, height)
            window.show()
            screen = window.enter_screen("calibration")
            loop = QEventLoop()
            screen.detailShown.connect(loop.quit)  # type: ignore[attr-defined]
            QTimer.singleShot(10_000, loop.quit)
            screen.show_session(waiting)  # type: ignore[attr-defined]
            loop.exec()
            wait(300)
            shoot(window, out / f"calibration-open-{width}x{height}-{tag}.png")
            loop = QEventLoop()
            screen.detailShown.connect(loop.quit)  # type: ignore[attr-defined]
            QTimer.singleShot(10_000, loop.quit)
            screen.show_session(shown)  # type: ignore[attr-defined]
            loop.exec()
            wait(300)
            view = screen.revealed_view  # type: ignore[attr-defined]
            view.matrix.setFocus()
            view.matrix.setCurrentIndex(view.matrix_model.index(13, 1))
            shoot(window, out / f"calibration-revealed-{width}x{height}-{tag}.png")
            screen.list_toggle.setChecked(False)  # type: ignore[attr-defined]
            wait(200)
            shoot(window, out / f"calibration-revealed-wide-{width}x{height}-{tag}.png")
            screen.list_toggle.setChecked(True)  # type: ignore[attr-defined]
            if width == SIZES[0][0]:
                set_reviewer(session, centre.expert.id)
                screen.refresh()  # type: ignore[attr-defined]
                wait(400)
                screen.new_session()  # type: ignore[attr-defined]
                dialog = screen.dialog  # type: ignore[attr-defined]
                wait(300)
                shoot(dialog, out / f"calibration-dialog-{tag}.png")
                dialog.reject()
            window.hide()  # closing it would close the database
            window.deleteLater()
            wait(50)
    services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
