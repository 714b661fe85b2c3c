"""Render the reviewer's scoring widgets side by side and save PNGs for a visual review.

Not a test (pytest does not collect it). Run from the repository root:

    QT_QPA_PLATFORM=offscreen python tests/ui/make_screenshots.py [OUT_DIR]

It writes scoring-ltr.png, scoring-rtl.png (mirrored, Persian labels in the sample) and
scoring-dark.png (a dark palette) at 1500x950 into OUT_DIR (default /tmp/screens).
"""

from __future__ import annotations

import math
import struct
import sys
import tempfile
import wave
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QHBoxLayout, QStyleFactory, QWidget
from sample_scoring_forms import realistic_form

from qa_monitor.core.answer_checks import check_answers
from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Form
from qa_monitor.ui.widgets.evaluation_form_widget import EvaluationFormWidget
from qa_monitor.ui.widgets.recording_player_widget import RecordingPlayerWidget
from qa_monitor.ui.widgets.score_panel_widget import ScorePanelWidget

TRANSCRIPT = """Agent: Thank you for calling, my name is Sara. How can I help?
Customer: Hi, my internet has been down since this morning and I work from home.
Agent: I'm sorry to hear that. Can I have your account number to verify your identity?
Customer: It's 4471 0932.
Agent: Thank you. I can see an outage in your area; engineers expect it fixed by 3 pm.
Customer: That's the third outage this month. I'm thinking about switching.
Agent: I understand how frustrating that is. I'll add a credit and call you back at 3:15."""

ANSWERS = {
    "greet": Answer("greet", "yes"),
    "name": Answer("name", "no", comment="[00:12] Never used the customer's name."),
    "id": Answer("id", "yes"),
    "consent": Answer("consent", "yes"),
    "heard": Answer("heard", "4"),
    "repeat": Answer("repeat", na=True),
    "empathy": Answer("empathy", "5"),
    "rush": Answer("rush", "no"),
    "churn": Answer("churn", "price"),
}


FA_TEXT = {
    "Opening": "شروع تماس",
    "First 30 seconds of the call.": "۳۰ ثانیه اول تماس.",
    "Identification & verification": "احراز هویت",
    "Listening": "گوش دادن",
    "Needs & solution": "نیاز و راه‌حل",
    "Closing": "پایان تماس",
    "Policy": "سیاست‌ها",
    "Outcome": "نتیجه",
    "Call data (not scored)": "داده‌های تماس (بدون امتیاز)",
    "greet": "به مشتری خوشامد گفت و نام خود را گفت",
    "name": "در طول تماس از نام مشتری استفاده کرد",
    "id": "هویت تماس‌گیرنده را تأیید کرد",
    "consent": "اطلاعیه ضبط مکالمه را خواند",
    "heard": "به مشتری احساس شنیده شدن داد",
    "repeat": "برای روشن شدن، شنیده‌ها را تکرار کرد",
    "empathy": "با ناراحتی مشتری همدلی نشان داد",
    "rush": "مکالمه را با عجله پیش نبرد",
    "history": "از سابقه ثبت‌شده استفاده کرد تا مشتری ماجرا را تکرار نکند",
    "identify": "پیش از پیشنهاد راه‌حل، نیاز را شناسایی کرد",
    "fit": "راه‌حلی داد که مشکل را کاملاً برطرف کرد",
    "plain": "با کلمات ساده و بدون اصطلاحات فنی توضیح داد",
    "callback": "برای تماس بعدی تاریخ و ساعت تعیین کرد",
    "selfservice": "منابع سلف‌سرویس را معرفی کرد",
    "thanks": "از مشتری تشکر کرد",
    "privacy": "از اطلاعات شخصی محافظت کرد",
    "accurate": "اطلاعات درست داد",
    "fcr": "در همان تماس اول حل شد",
    "retained": "مشتری حفظ شد",
    "nps": "احتمال اینکه مشتری ما را توصیه کند",
    "churn": "دلیل ریزش",
    "reasons": "دلایل تماس",
    "hold": "زمان انتظار (دقیقه)",
    "cb_at": "زمان وعده تماس مجدد",
    "notes": "یادداشت برای مربی",
    "At least twice.": "دست‌کم دو بار.",
    "Yes": "بله",
    "No": "خیر",
    "Pass": "قبول",
    "Partial": "نسبی",
    "Fail": "رد",
    "Retained": "حفظ شد",
    "Undecided": "نامشخص",
    "Lost": "از دست رفت",
    "Incorrect use case": "کاربرد نادرست",
    "Failure to launch": "راه‌اندازی نشد",
    "Features & functionality": "امکانات و کارکرد",
    "Competitor / price": "رقیب / قیمت",
    "Other": "سایر",
    "Billing": "صورتحساب",
    "Outage": "قطعی",
    "Cancellation": "لغو",
}

TRANSCRIPT_FA = """کارشناس: از تماس شما سپاسگزاریم، سارا هستم. چطور می‌توانم کمک کنم؟
مشتری: سلام، اینترنت من از صبح قطع است و من از خانه کار می‌کنم.
کارشناس: متأسفم. لطفاً شماره حساب را بفرمایید تا هویت شما را تأیید کنم.
مشتری: ۴۴۷۱ ۰۹۳۲.
کارشناس: ممنون. در منطقه شما قطعی داریم؛ تا ساعت ۱۵ برطرف می‌شود.
مشتری: این سومین قطعی این ماه است. به فکر تغییر شرکت هستم.
کارشناس: کاملاً درک می‌کنم. اعتبار هدیه ثبت می‌کنم و ساعت ۱۵:۱۵ با شما تماس می‌گیرم."""


def persian(form: Form) -> Form:
    """The sample form as a Persian-speaking team would write it."""

    def tr(text: str) -> str:
        return FA_TEXT.get(text, text)

    sections = []
    for section in form.sections:
        questions = tuple(
            replace(
                q,
                text=FA_TEXT.get(q.id, q.text),
                guidance=tr(q.guidance),
                options=tuple(replace(o, label=tr(o.label)) for o in q.options),
            )
            for q in section.questions
        )
        sections.append(
            replace(
                section,
                title=tr(section.title),
                description=tr(section.description),
                questions=questions,
            )
        )
    return replace(form, title="تماس پشتیبانی", sections=tuple(sections))


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#2b2c2f",
        QPalette.ColorRole.AlternateBase: "#323336",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#35363a",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.Highlight: "#8ab4f8",
        QPalette.ColorRole.HighlightedText: "#202124",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


def render(app: QApplication, out: Path, name: str, recording: Path, rtl: bool = False) -> None:
    window = QWidget()
    window.setWindowTitle("Scoring")
    layout = QHBoxLayout(window)
    form_widget = EvaluationFormWidget(window)
    panel = ScorePanelWidget(window)
    panel.setFixedWidth(panel.fontMetrics().height() * 17)
    player = RecordingPlayerWidget(window)
    player.setFixedWidth(panel.fontMetrics().height() * 24)
    layout.addWidget(player)
    layout.addWidget(form_widget, 1)
    layout.addWidget(panel)
    form = persian(realistic_form()) if rtl else realistic_form()
    form_widget.set_form(form, ANSWERS)
    form_widget.answersChanged.connect(
        lambda: panel.update_result(form, form_widget.score_result())
    )
    panel.update_result(form, form_widget.score_result())
    player.load(str(recording))
    player.set_transcript(TRANSCRIPT_FA if rtl else TRANSCRIPT)
    player.transcript.search.setText("قطعی" if rtl else "outage")
    window.resize(1500, 950)
    window.show()
    while not form_widget.is_fully_built():
        app.processEvents()
    form_widget.set_problems(
        [p for p in check_answers(form, form_widget.answers()) if p.question_id == "fit"]
    )
    form_widget.focus_question("rush")
    form_widget.card("name").toggle_guidance()
    wait(1500)
    window.grab().save(str(out / f"scoring-{name}.png"))
    form_widget.focus_question("nps")
    wait(200)
    window.grab().save(str(out / f"scoring-{name}-lower.png"))
    window.close()
    window.deleteLater()
    wait(50)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/screens")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setStyle(QStyleFactory.create("Fusion"))
    with tempfile.TemporaryDirectory() as tmp:
        recording = Path(tmp) / "call.wav"
        with wave.open(str(recording), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(8000)
            wav.writeframes(
                b"".join(struct.pack("<h", int(6000 * math.sin(i / 9))) for i in range(8000 * 95))
            )
        render(app, out, "ltr", recording)
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        render(app, out, "rtl", recording, rtl=True)
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        app.setPalette(dark_palette())
        render(app, out, "dark", recording)
    print("\n".join(str(p) for p in sorted(out.glob("scoring-*.png"))))


if __name__ == "__main__":
    main()
