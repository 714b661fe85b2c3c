"""Screenshots of the Disputes screen and the Re-review dialog, for a visual review (not a
test; pytest does not collect it): at 1600×1000 and 1280×800, left-to-right and
right-to-left, offscreen.

    QT_QPA_PLATFORM=offscreen python tests/ui/make_disputes_screenshots.py /tmp/issue14/ui

It builds the demo database in a temporary folder and plants disputes through the
dispute service, so every value shown is real: seven open disputes (opened on
different days, so some are overdue; two with a re-reviewer), and four decided ones
(some overturned) for the rates. "Today" is fixed at 24 November 2026 in the demo's
zone (Asia/Tehran; the week starts on Saturday, Thursday and Friday are the weekend).
The main window is grabbed with the Disputes screen showing; the dialog is grabbed on
its own, as it opens, after some decisions are typed in, and after Save refused a
missing reason (nothing is stored: the dialog is cancelled afterwards).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from qa_monitor.app import create_application
from qa_monitor.core.answers import Answer
from qa_monitor.core.disputes import Decision, ReceivedVia
from qa_monitor.services import Services
from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.services.dispute_service import DecisionInput
from qa_monitor.ui.dialogs.re_review_dialog import ReReviewDialog
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.screens.disputes_screen import DisputesScreen
from qa_monitor.ui.session import Session

NOW = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)  # 11:00 in Tehran, a Tuesday
SIZES = ((1600, 1000), (1280, 800))
REASONS = (
    "I asked for the account number at 0:42; the customer gave it at once.",
    "The greeting was there, the recording starts late.",
    "I offered the callback; the customer said no.",
    "I summarised the next steps before closing.",
)


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def plant(services: Services) -> int:
    """Open, assign and decide disputes; returns the reviewer to look through."""
    rows = services.db.execute(
        "SELECT id FROM evaluations WHERE status = 'submitted' AND kind = 'regular'"
        " AND submitted_at < '2026-11-09' ORDER BY interaction_date DESC, id LIMIT 11"
    ).fetchall()
    ids = [int(r[0]) for r in rows]
    reviewers = services.people.list_reviewers(active_only=True)
    opened_on = [date(2026, 11, d) for d in (10, 12, 15, 16, 17, 21, 22, 23, 24, 23, 24)]
    for n, (ev_id, on) in enumerate(zip(ids, opened_on, strict=True)):
        ev = services.evaluations.get_evaluation(ev_id)
        form = services.form_cache.form(ev.form_version_id)
        scored = [
            q
            for _s, q in form.questions()
            if q.scored and q.id in ev.answers and not ev.answers[q.id].na
        ]
        picked = scored[n % 3 :: 4][: 1 + n % 3]
        reasons = {q.id: REASONS[(n + i) % len(REASONS)] for i, q in enumerate(picked)}
        services.disputes.open_dispute(ev_id, reasons, on, ReceivedVia.EMAIL, None)
        other = next(r for r in reviewers if r.id != ev.reviewer_id)
        if n in (1, 4):
            services.disputes.assign(ev_id, other.id, other.id)
        if n >= 7:  # decided: the rates count them
            decisions = {}
            for i, q in enumerate(picked):
                original = ev.answers[q.id]
                if i == 0 and n % 2:
                    new = next(o.id for o in q.options if o.id != original.value)
                    decisions[q.id] = DecisionInput(
                        Decision.OVERTURNED,
                        "Heard it in the recording.",
                        Answer(q.id, new, comment="Heard it in the recording."),
                    )
                else:
                    decisions[q.id] = DecisionInput(Decision.UPHELD, "Not in the recording.")
            services.disputes.decide(ev_id, decisions, other.id, "Checked against the call.")
    first = services.disputes.queue(NOW.date())[0]
    return next(r.id for r in reviewers if r.id != first.reviewer_id)


def fill_in(dialog: ReReviewDialog) -> None:
    """Decisions as a re-reviewer types them: one overturned, the rest upheld."""
    for i, card in enumerate(dialog.cards):
        if i == 0:
            card.overturned.setChecked(True)
            combo = card.new_answer.combo
            if combo is not None:
                original = card.original.value if card.original else None
                combo.setCurrentIndex(
                    next(j for j in range(combo.count()) if combo.itemData(j) != original)
                )
            card.reason.setText("The account number is asked for at 0:42.")
        else:
            card.upheld.setChecked(True)
            card.reason.setText("Not in the recording.")
    dialog.summary.setPlainText("One question changed; the score is corrected.")


def shoot(widget: QWidget, path: Path) -> None:
    wait(150)
    widget.grab().save(str(path))
    print(path)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/issue14/ui")
    out.mkdir(parents=True, exist_ok=True)
    create_application([])
    folder = Path(tempfile.mkdtemp(prefix="disputes-shots-"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("QA Monitor screenshots")
    path = folder / "demo.db"
    build_demo_database(path)
    with Services.open(path, clock=lambda: NOW) as services:
        viewer = plant(services)
        open_count = len(services.disputes.queue(NOW.date()))
        assert open_count >= 7, open_count  # the demo has open disputes of its own
    services = Services.open(path, clock=lambda: NOW)
    for direction, tag in (
        (Qt.LayoutDirection.LeftToRight, "ltr"),
        (Qt.LayoutDirection.RightToLeft, "rtl"),
    ):
        QApplication.setLayoutDirection(direction)
        for width, height in SIZES:
            window = MainWindow(Session(services, path, viewer), ask_reviewer=False)
            window.resize(width, height)
            window.show()
            screen = window.show_screen("disputes")
            assert isinstance(screen, DisputesScreen)
            loop = QEventLoop()
            screen.ratesListed.connect(loop.quit)
            QTimer.singleShot(10_000, loop.quit)
            loop.exec()
            wait(300)
            screen.queue_table.setFocus()
            shoot(window, out / f"disputes-{width}x{height}-{tag}.png")
            # The dispute with the most questions: the dialog at its fullest.
            fullest = max(
                (screen.queue_model.row_at(r) for r in range(screen.queue_model.rowCount())),
                key=lambda item: item.questions,
            )
            screen._select(fullest.evaluation_id)
            screen.re_review_selected()
            dialog = screen.dialog
            assert isinstance(dialog, ReReviewDialog)
            if height < 1000:
                dialog.resize(dialog.width(), min(dialog.height(), height - 60))
            shoot(dialog, out / f"re-review-open-{width}x{height}-{tag}.png")
            fill_in(dialog)
            shoot(dialog, out / f"re-review-filled-{width}x{height}-{tag}.png")
            dialog.cards[-1].reason.clear()  # Save refuses: the sentence above the buttons
            dialog.save()
            assert dialog.error.isVisible() and dialog.isVisible()
            shoot(dialog, out / f"re-review-refused-{width}x{height}-{tag}.png")
            dialog.reject()
            window.session = Session(services, path, viewer)  # the window must not close it
            window.hide()
            window.deleteLater()
            wait(50)
    services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
