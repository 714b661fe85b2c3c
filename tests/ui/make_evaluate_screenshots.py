"""Screenshots of the Evaluate screen while scoring, for a visual review (not a test;
pytest does not collect it): three moments (the first answer, a FAIL, the form complete),
left-to-right and right-to-left, at 1600×1000 and 1280×800, offscreen.

    QT_QPA_PLATFORM=offscreen python tests/ui/make_evaluate_screenshots.py /tmp/i17/after

The qa_monitor package is taken from PYTHONPATH when set (so the same script shoots the
code of another checkout), else from this checkout. The realistic support-call form is
published in a temporary database (in Persian for right-to-left) and scored through the
real screen; answers are put in place as a draft would load them.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from make_screenshots import TRANSCRIPT, TRANSCRIPT_FA, persian
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QStyleFactory
from sample_scoring_forms import realistic_form

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Channel
from qa_monitor.core.records import InteractionData
from qa_monitor.services import Services
from qa_monitor.ui.screens.evaluate_screen import EvaluateScreen
from qa_monitor.ui.session import Session

SIZES = ((1600, 1000), (1280, 800))
FIRST = {"greet": Answer("greet", "yes")}
FAIL = {
    **FIRST,
    "name": Answer("name", "no"),
    "id": Answer("id", "no"),
    "consent": Answer("consent", "yes"),
    "heard": Answer("heard", "3"),
}
COMPLETE = {
    **FIRST,
    "name": Answer("name", "yes"),
    "id": Answer("id", "yes"),
    "consent": Answer("consent", "yes"),
    "heard": Answer("heard", "5"),
    "repeat": Answer("repeat", na=True),
    "empathy": Answer("empathy", "5"),
    "rush": Answer("rush", "yes"),
    "history": Answer("history", "yes"),
    "identify": Answer("identify", "pass"),
    "fit": Answer("fit", "pass"),
    "plain": Answer("plain", "4"),
    "callback": Answer("callback", "yes"),
    "selfservice": Answer("selfservice", "yes"),
    "thanks": Answer("thanks", "yes"),
    "privacy": Answer("privacy", "yes"),
    "accurate": Answer("accurate", "pass"),
    "fcr": Answer("fcr", "yes"),
    "retained": Answer("retained", "retained"),
    "nps": Answer("nps", "9"),
    "churn": Answer("churn", "price"),
    "reasons": Answer("reasons", ("outage",)),
    "hold": Answer("hold", 4),
    "notes": Answer("notes", "Calm and clear; offered a credit."),
}
MOMENTS = (("first", FIRST, "name"), ("fail", FAIL, "repeat"), ("complete", COMPLETE, "notes"))


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(app: QApplication, out: Path, tmp: Path, rtl: bool) -> None:
    direction = "rtl" if rtl else "ltr"
    services = Services.open(tmp / f"qa-{direction}.db")
    team = services.people.add_team("پشتیبانی" if rtl else "Support")
    agent = services.people.add_agent("سارا احمدی" if rtl else "Sara Ahmadi", team_id=team.id)
    reviewer = services.people.add_reviewer("امید کریمی" if rtl else "Omid Karimi")
    form = persian(realistic_form()) if rtl else realistic_form()
    version = services.forms.publish_form(form, reviewer.id)
    for width, height in SIZES:
        for moment, answers, current in MOMENTS:
            interaction = services.interactions.create_interaction(
                InteractionData(
                    channel=Channel.PHONE,
                    started_at=datetime(2026, 11, 12, 9, 30, tzinfo=UTC),
                    agent_id=agent.id,
                    external_id=f"call-{moment}-{width}",
                    transcript=TRANSCRIPT_FA if rtl else TRANSCRIPT,
                )
            )
            draft = services.evaluations.start_evaluation(interaction.id, version.id, reviewer.id)
            services.evaluations.save_draft(draft.id, answers)
            screen = EvaluateScreen(Session(services, tmp / f"qa-{direction}.db", reviewer.id))
            screen.resize(width, height)
            screen.show()
            screen.open_evaluation(draft.id)
            while not screen.form_widget.is_fully_built():
                app.processEvents()
            screen.form_widget.focus_question(current)
            wait(400)
            path = out / f"evaluate-{moment}-{direction}-{width}x{height}.png"
            screen.grab().save(str(path))
            print(path, screen.score_panel.width(), flush=True)
            screen.flush()
            screen.close()
            screen.deleteLater()
            wait(50)
    services.close()


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/i17/after")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setStyle(QStyleFactory.create("Fusion"))
    with tempfile.TemporaryDirectory() as tmp:
        shoot(app, out, Path(tmp), rtl=False)
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        shoot(app, out, Path(tmp), rtl=True)


if __name__ == "__main__":
    main()
