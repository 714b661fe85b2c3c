"""Issue 17: a 20-question form scored from the first key to Submit with the keyboard only.

Two free-text answers and two required comments; every key goes where the keyboard focus
is (QTest key events, no mouse, no widget methods in between), and the keys are counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sample_scoring_forms import QT, q

from qa_monitor.core.forms import Category, CommentRule, Form, FormSettings, Section
from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.ui.screens.evaluate_screen import EvaluateScreen
from qa_monitor.ui.session import Session
from tests.factories import interaction_data

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def twenty_questions() -> Form:
    def sec(sid: str, title: str, category: Category, *questions) -> Section:
        return Section(sid, title, category, questions=questions)

    need_comment = {"comment": CommentRule.NOT_FULL}
    return Form(
        "twenty",
        "Twenty questions",
        (
            sec(
                "open",
                "Opening",
                Category.SOFT_SKILLS,
                q("o1", "Greeted the customer"),
                q("o2", "Gave own name"),
                q("o3", "Verified the caller", **need_comment),
                q("o4", "Tone of voice", QT.SCALE_1_5),
                q("o5", "Read the recording notice", QT.PASS_FAIL),
            ),
            sec(
                "discover",
                "Discovery",
                Category.PROCESS,
                q("d1", "Asked an open question"),
                q("d2", "What did the customer ask for?", QT.TEXT, required=True),
                q("d3", "Checked the account history"),
                q("d4", "Summarised the need", **need_comment),
                q("d5", "Listening", QT.SCALE_1_5),
            ),
            sec(
                "resolve",
                "Resolution",
                Category.OUTCOME,
                q("r1", "Gave accurate information", QT.PASS_FAIL),
                q("r2", "Offered the right product"),
                q("r3", "Explained the price"),
                q("r4", "What did the agent offer?", QT.TEXT, required=True),
                q("r5", "Confirmed the customer agreed"),
            ),
            sec(
                "close",
                "Closing",
                Category.COMPLIANCE,
                q("c1", "Summarised the next steps"),
                q("c2", "Asked if anything else was needed"),
                q("c3", "Overall courtesy", QT.SCALE_1_5),
                q("c4", "Thanked the customer"),
                q("c5", "Closed the call properly"),
            ),
        ),
        FormSettings(pass_mark=80),
    )


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    with Services.open(tmp_path / "qa.db") as opened:
        yield opened


def test_twenty_questions_scored_with_the_keyboard_only(qtbot, services, tmp_path, capsys):
    team = services.people.add_team("Sales")
    agent = services.people.add_agent("Sara Ahmadi", team_id=team.id)
    reviewer = services.people.add_reviewer("Omid Karimi")
    version = services.forms.publish_form(twenty_questions(), reviewer.id)
    interaction = services.interactions.create_interaction(
        interaction_data(agent.id, external_id="call-2020")
    )
    draft = services.evaluations.start_evaluation(interaction.id, version.id, reviewer.id)
    screen = EvaluateScreen(Session(services, tmp_path / "qa.db", reviewer.id))
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    screen.open_evaluation(draft.id)
    qtbot.waitUntil(screen.form_widget.is_fully_built, timeout=5000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)

    keys = 0

    def press(key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
        nonlocal keys
        focus = QApplication.focusWidget()
        assert focus is not None, "keyboard focus was lost"
        qtbot.keyClick(focus, key, modifiers)
        keys += 1

    def type_text(text: str) -> None:
        nonlocal keys
        focus = QApplication.focusWidget()
        assert focus is not None, "keyboard focus was lost"
        qtbot.keyClicks(focus, text)
        keys += len(text)

    Y, N, P, TAB = Qt.Key.Key_Y, Qt.Key.Key_N, Qt.Key.Key_P, Qt.Key.Key_Tab
    # Opening: o3 is No, so its comment is the next stop; Tab goes on to o4.
    for key in (Y, Y, N):
        press(key)
    type_text("No ID check")
    press(TAB)
    press(Qt.Key.Key_4)
    press(P)
    # Discovery: d2 is free text, typed straight into its field after d1's answer.
    press(Y)
    type_text("Cancel the contract")
    press(TAB)
    press(Y)
    press(N)  # d4: a comment is required
    type_text("No summary")
    press(TAB)
    press(Qt.Key.Key_5)
    # Resolution: r4 is free text.
    for key in (P, Y, Y):
        press(key)
    type_text("A discount")
    press(TAB)
    press(Y)
    # Closing: the last answer moves on to the overall comment.
    for key in (Y, Y, Qt.Key.Key_5, Y, Y):
        press(key)
    assert QApplication.focusWidget() is screen.overall
    type_text("Kept the customer")
    press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # submit

    stored = services.evaluations.get_evaluation(draft.id)
    assert stored.status is EvaluationStatus.SUBMITTED, screen.saved_label.text()
    values = {qid: a.value for qid, a in stored.answers.items()}
    assert values == {
        "o1": "yes", "o2": "yes", "o3": "no", "o4": "4", "o5": "pass",
        "d1": "yes", "d2": "Cancel the contract", "d3": "yes", "d4": "no", "d5": "5",
        "r1": "pass", "r2": "yes", "r3": "yes", "r4": "A discount", "r5": "yes",
        "c1": "yes", "c2": "yes", "c3": "5", "c4": "yes", "c5": "yes",
    }  # fmt: skip
    comments = {qid: a.comment for qid, a in stored.answers.items() if a.comment}
    assert comments == {"o3": "No ID check", "d4": "No summary"}
    assert stored.overall_comment == "Kept the customer"
    typed = sum(
        len(t) for t in ("No ID check", "Cancel the contract", "No summary", "A discount")
    ) + len("Kept the customer")
    with capsys.disabled():
        print(
            f"\nkeyboard-only scoring of 20 questions: {keys} keys pressed "
            f"({keys - typed} to score and move, {typed} typed text), no mouse"
        )
