"""Screenshots of the agent's answer on the Evaluations screen, for a visual review (not a
test; pytest does not collect it): the Dispute dialog (two questions checked, and a
refusal shown in it), the Acknowledge dialog, the History dialog after a full dispute,
and the screen's button row, left-to-right and right-to-left.

    QT_QPA_PLATFORM=offscreen python tests/ui/make_dispute_screenshots.py [OUT_DIR]

OUT_DIR defaults to /tmp/issue14/ui/evaluations: a folder of its own, as other shots of
issue 14 are written to (and cleared from) /tmp/issue14/ui. Every value shown is real:
a database is built with the test factories and a fake clock, an evaluation is
disputed, re-reviewed and one question overturned through the dispute service. The
right-to-left shots use Persian names, question texts and reasons (the app's own texts
are not translated yet).
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from qa_monitor.app import create_application
from qa_monitor.core.answers import Answer
from qa_monitor.core.disputes import Decision, ReceivedVia
from qa_monitor.core.forms import Form
from qa_monitor.core.records import EvaluationFilter, EvaluationRow
from qa_monitor.services import Services
from qa_monitor.services.dispute_service import DecisionInput
from qa_monitor.ui.dialogs.agent_response_dialogs import AcknowledgeDialog, DisputeDialog
from qa_monitor.ui.dialogs.evaluation_history_dialog import EvaluationHistoryDialog
from qa_monitor.ui.screens.evaluations_screen import EvaluationsScreen
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.view_selection import select_row
from tests.factories import (
    FakeClock,
    failing_answers,
    interaction_data,
    passing_answers,
    sample_form,
)

MONDAY = date(2026, 3, 2)

FA = {
    "Greeting": "خوشامدگویی",
    "Process": "فرایند",
    "Compliance": "انطباق",
    "Outcome": "نتیجه",
    "Greeted the customer": "به مشتری خوشامد گفت",
    "Used the customer's name": "از نام مشتری استفاده کرد",
    "Verified identity": "هویت تماس‌گیرنده را تأیید کرد",
    "Used the recorded history": "از سابقه ثبت‌شده استفاده کرد",
    "Showed empathy": "همدلی نشان داد",
    "Read the recording disclosure": "اطلاعیه ضبط مکالمه را خواند",
    "Resolved on first contact": "در همان تماس اول حل شد",
    "Customer retained?": "مشتری حفظ شد؟",
    "Why was the customer lost?": "چرا مشتری از دست رفت؟",
    "Callback promised for": "زمان تماس مجدد",
    "Notes": "یادداشت‌ها",
}


def persian(form: Form) -> Form:
    def tr(text: str) -> str:
        return FA.get(text, text)

    return replace(
        form,
        title="تماس پشتیبانی",
        sections=tuple(
            replace(
                s,
                title=tr(s.title),
                questions=tuple(replace(q, text=tr(q.text)) for q in s.questions),
            )
            for s in form.sections
        ),
    )


def words(rtl: bool) -> dict[str, str]:
    if rtl:
        return {
            "agent": "سارا احمدی",
            "reviewer": "امید کریمی",
            "expert": "لیلا نوابی",
            "team": "صورتحساب",
            "greet": "در ثانیه ۲ سلام کردم و نامم را گفتم؛ صدای ضبط‌شده قطع شده بود.",
            "verify": "تاریخ تولد و کد پستی مشتری را در دقیقه ۰:۴۰ پرسیدم.",
            "overturn": "در دقیقه ۰:۴۰ هویت تأیید شده است.",
            "uphold": "در ضبط مکالمه هیچ خوشامدی شنیده نمی‌شود.",
            "note": "در جلسه صبح تیم گفته شد.",
            "summary": "یکی از دو پرسش تغییر کرد.",
        }
    return {
        "agent": "Sara Ahmadi",
        "reviewer": "Omid Karimi",
        "expert": "Leila Navabi",
        "team": "Billing",
        "greet": (
            "I greeted the customer and gave my name at 0:02; the recording starts "
            "late, so the first words are cut off. Please listen to the full call in "
            "the phone system, not the clipped copy."
        ),
        "verify": "I asked for the date of birth and the postcode at 0:40.",
        "overturn": "Identity checked at 0:40: date of birth and postcode.",
        "uphold": "No greeting can be heard anywhere in the recording, including the start.",
        "note": "Raised at the morning team huddle.",
        "summary": "One of two questions changed.",
    }


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def build(folder: Path, rtl: bool) -> tuple[Services, dict[str, EvaluationRow], int]:
    """A database with a submitted evaluation (to dispute or acknowledge) and one whose
    dispute went all the way through re-review; returns its rows and the expert's id."""
    w = words(rtl)
    clock = FakeClock()
    services = Services.open(folder / "qa.db", clock=clock)
    services.settings.set_timezone("Asia/Tehran" if rtl else "Europe/London")
    team = services.people.add_team(w["team"])
    agent = services.people.add_agent(w["agent"], team_id=team.id)
    reviewer = services.people.add_reviewer(w["reviewer"])
    expert = services.people.add_reviewer(w["expert"], is_expert=True)
    form = persian(sample_form()) if rtl else sample_form()
    version = services.forms.publish_form(form, expert.id)
    ids = {}
    for name, answers in (("open", passing_answers()), ("done", failing_answers())):
        interaction = services.interactions.create_interaction(
            interaction_data(agent.id, external_id=f"call-{name}")
        )
        ev = services.evaluations.start_evaluation(interaction.id, version.id, reviewer.id)
        services.evaluations.save_draft(ev.id, answers)
        assert services.evaluations.submit(ev.id, reviewer.id).ok
        ids[name] = ev.id
    clock.advance(days=1, hours=2)
    done = ids["done"]
    services.disputes.open_dispute(
        done, {"greet": w["greet"], "verify": w["verify"]}, MONDAY, ReceivedVia.EMAIL,
        expert.id, w["note"],
    )  # fmt: skip
    clock.advance(hours=1)
    services.disputes.assign(done, expert.id, expert.id)
    clock.advance(days=1, hours=3)
    services.disputes.decide(
        done,
        {
            "verify": DecisionInput(Decision.OVERTURNED, w["overturn"], Answer("verify", "yes")),
            "greet": DecisionInput(Decision.UPHELD, w["uphold"]),
        },
        expert.id,
        w["summary"],
    )
    clock.advance(days=1)
    rows = {r.id: r for r in services.evaluations.list_evaluations(EvaluationFilter())}
    return services, {name: rows[i] for name, i in ids.items()}, expert.id


def shoot(widget: QWidget, out: Path, name: str, size: tuple[int, int] | None = None) -> None:
    if size is not None:
        widget.resize(*size)
    widget.show()
    wait(150)
    path = out / f"evaluation-{name}.png"  # "evaluation-": other shots share the folder
    widget.grab().save(str(path))
    print(path)


def render(out: Path, rtl: bool) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    side = "rtl" if rtl else "ltr"
    w = words(rtl)
    with tempfile.TemporaryDirectory() as tmp:
        services, rows, expert = build(Path(tmp), rtl)
        try:
            dispute = DisputeDialog(services, rows["open"], expert)
            shoot(dispute, out, f"dispute-empty-{side}")
            for qid in ("greet", "verify"):
                dispute.questions.rows[qid].box.setChecked(True)
            dispute.questions.rows["greet"].reason.setPlainText(w["greet"])
            dispute.questions.rows["verify"].reason.setPlainText(w["verify"])
            dispute.note.setPlainText(w["note"])
            shoot(dispute, out, f"dispute-{side}")
            dispute.questions.rows["empathy"].box.setChecked(True)
            dispute.ok_button.click()  # no reason for it: refused, shown in the dialog
            shoot(dispute, out, f"dispute-refused-{side}")
            dispute.close()

            acknowledge = AcknowledgeDialog(services, rows["open"], expert)
            acknowledge.note.setPlainText(w["note"])
            shoot(acknowledge, out, f"acknowledge-{side}")
            acknowledge.close()

            history = EvaluationHistoryDialog(services, rows["done"])
            shoot(history, out, f"history-{side}")
            history.close()

            screen = EvaluationsScreen(Session(services, Path(tmp) / "qa.db", expert))
            screen.resize(1280, 560)
            screen.show()
            while screen.model.loading or screen.model.row_of(rows["open"].id) < 0:
                wait(50)
            wait(200)
            select_row(screen.table, screen.model.row_of(rows["open"].id))
            shoot(screen, out, f"list-{side}")
            screen.close()
        finally:
            services.close()


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/issue14/ui/evaluations")
    out.mkdir(parents=True, exist_ok=True)
    create_application([])
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    render(out, rtl=False)
    QLocale.setDefault(QLocale(QLocale.Language.Persian, QLocale.Country.Iran))
    render(out, rtl=True)


if __name__ == "__main__":
    main()
