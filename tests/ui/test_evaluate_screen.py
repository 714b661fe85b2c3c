"""The reviewer's screen end to end: keyboard-only scoring, autosave, submit, audited edit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qa_monitor.core.answers import Answer
from qa_monitor.core.records import EvaluationStatus
from qa_monitor.core.scoring import score_evaluation
from qa_monitor.services import Services
from qa_monitor.ui.screens.evaluate_screen import EvaluateScreen
from qa_monitor.ui.session import Session
from tests.factories import START, Seed, interaction_data, seed


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    with Services.open(tmp_path / "qa.db") as opened:
        yield opened


@pytest.fixture
def seeded(services: Services) -> Seed:
    return seed(services)


@pytest.fixture
def screen(qtbot, services: Services, seeded: Seed, tmp_path: Path) -> Iterator[EvaluateScreen]:
    session = Session(services, tmp_path / "qa.db", seeded.reviewer.id)
    widget = EvaluateScreen(session)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.flush()  # a pending autosave is written now, while the database is open


def start(services: Services, seeded: Seed) -> int:
    draft = services.evaluations.start_evaluation(
        seeded.interaction.id, seeded.version.id, seeded.reviewer.id
    )
    return draft.id


def press(qtbot, *keys) -> None:
    for key in keys:
        target = QApplication.focusWidget()
        assert target is not None, "keyboard focus was lost"
        qtbot.keyClick(target, key)


def test_keyboard_only_scoring_submits_core_scores(qtbot, screen, services, seeded):
    evaluation_id = start(services, seeded)
    screen.open_evaluation(evaluation_id)
    qtbot.waitUntil(lambda: screen.form_widget.is_fully_built(), timeout=5000)
    screen.form_widget.focus_question("greet")
    # greet Yes, name_used 4, verify Yes, history Pass, empathy 5, disclosure Yes,
    # resolved No, retention "retained" (first tag option).
    press(
        qtbot,
        Qt.Key.Key_Y,
        Qt.Key.Key_4,
        Qt.Key.Key_Y,
        Qt.Key.Key_P,
        Qt.Key.Key_5,
        Qt.Key.Key_Y,
        Qt.Key.Key_N,
    )
    # "resolved = No" earns less than full marks but needs no comment; retention next.
    assert screen.form_widget.current_question_id() == "retention"
    press(qtbot, Qt.Key.Key_1)
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    stored = services.evaluations.get_evaluation(evaluation_id)
    assert stored.status is EvaluationStatus.SUBMITTED
    form = services.evaluations.form_of(stored)
    expected = score_evaluation(form, stored.answers)
    assert stored.answers["greet"].value == "yes"
    assert stored.answers["name_used"].value == "4"
    assert stored.answers["retention"].value == "retained"
    assert stored.score == expected.score
    assert stored.score_before_critical == expected.score_before_critical
    assert stored.passed == expected.passed
    assert [s.earned for s in stored.sections] == [s.earned for s in expected.sections]
    assert screen.form_widget.is_read_only()


def test_autosave_keeps_the_draft(qtbot, screen, services, seeded):
    evaluation_id = start(services, seeded)
    screen.open_evaluation(evaluation_id)
    screen.form_widget.focus_question("greet")
    press(qtbot, Qt.Key.Key_N)
    qtbot.waitUntil(
        lambda: services.evaluations.get_evaluation(evaluation_id).answers.get("greet") is not None,
        timeout=3000,
    )
    assert services.evaluations.get_evaluation(evaluation_id).answers["greet"].value == "no"
    assert "Draft saved" in screen.saved_label.text()


def test_submit_with_gaps_jumps_to_the_first_problem(qtbot, screen, services, seeded):
    evaluation_id = start(services, seeded)
    screen.open_evaluation(evaluation_id)
    screen.form_widget.focus_question("greet")
    press(qtbot, Qt.Key.Key_N)  # needs a comment (not full marks), and the rest is missing
    screen.submit()
    stored = services.evaluations.get_evaluation(evaluation_id)
    assert stored.status is EvaluationStatus.DRAFT
    assert screen.form_widget.current_question_id() == "greet"
    assert "problem" in screen.saved_label.text()


def test_editing_a_submitted_evaluation_asks_for_a_reason_and_audits(
    qtbot, screen, services, seeded, monkeypatch
):
    from tests.factories import passing_answers

    evaluation_id = start(services, seeded)
    services.evaluations.save_draft(evaluation_id, passing_answers())
    assert services.evaluations.submit(evaluation_id, seeded.reviewer.id).ok
    screen.open_evaluation(evaluation_id)
    assert screen.form_widget.is_read_only()
    monkeypatch.setattr(EvaluateScreen, "_ask_reason", lambda self: "Dispute upheld: empathy shown")
    screen.begin_edit()
    assert not screen.form_widget.is_read_only()
    screen.form_widget.focus_question("empathy")
    press(qtbot, Qt.Key.Key_3)
    screen.submit()
    trail = services.evaluations.audit_trail(evaluation_id)
    assert any(e.field == "empathy" and e.reason == "Dispute upheld: empathy shown" for e in trail)
    assert services.evaluations.get_evaluation(evaluation_id).revision == 1


def test_new_evaluation_from_the_queue(qtbot, screen, services, seeded, monkeypatch):
    from qa_monitor.ui.dialogs.new_evaluation_dialog import NewEvaluationDialog

    dialog = NewEvaluationDialog(services)
    qtbot.addWidget(dialog)
    assert dialog.queue.count() == 1 and "#call-0001" in dialog.queue.item(0).text()
    assert dialog.tabs.currentIndex() == 0

    def accept_first(self) -> int:
        self._accept()
        return 1

    monkeypatch.setattr(NewEvaluationDialog, "exec", accept_first)
    screen.start_new()
    assert screen.evaluation is not None
    assert screen.evaluation.interaction_id == seeded.interaction.id
    assert screen.evaluation.reviewer_id == seeded.reviewer.id
    assert services.interactions.list_interactions(unevaluated_only=True) == []


def test_new_evaluation_with_a_new_interaction(qtbot, screen, services, seeded, monkeypatch):
    from qa_monitor.ui.dialogs.new_evaluation_dialog import NewEvaluationDialog

    def fill_and_accept(self) -> int:
        self.tabs.setCurrentIndex(1)
        self.external_id.setText("chat-77")
        self.reason.setText("Refund request")
        self._accept()
        return 1

    monkeypatch.setattr(NewEvaluationDialog, "exec", fill_and_accept)
    screen.start_new()
    interaction = services.interactions.find_interaction("chat-77")
    assert interaction is not None and interaction.contact_reason == "Refund request"
    assert screen.evaluation is not None and screen.evaluation.interaction_id == interaction.id


def test_f1_lists_the_screen_and_player_shortcuts(qtbot, screen, services, seeded, monkeypatch):
    from PySide6.QtWidgets import QTableWidget

    from qa_monitor.ui.widgets.shortcut_help_widget import ShortcutHelpDialog

    shown = []

    def capture(self) -> int:
        table = self.findChild(QTableWidget)
        shown.extend(
            # keys are wrapped in left-to-right isolates so they read correctly in RTL
            table.item(r, c).text().strip("\u2066\u2069")
            for r in range(table.rowCount())
            for c in range(table.columnCount())
            if table.item(r, c) is not None
        )
        return 0

    monkeypatch.setattr(ShortcutHelpDialog, "exec", capture)
    screen.open_evaluation(start(services, seeded))
    qtbot.keyClick(QApplication.focusWidget() or screen, Qt.Key.Key_F1)
    assert "Ctrl+Enter" in shown and "Ctrl+T" in shown and "Y / N" in shown
    assert "Sync with the team now (File ▸ Sync now)" in shown and "F5" in shown


def test_the_overall_comment_follows_the_last_question_and_has_a_shortcut(
    qtbot, screen, services, seeded, monkeypatch
):
    """Issue 17, item 3: Tab from the last question goes to the overall comment; so does
    Ctrl+Shift+O from anywhere on the form, and F1 lists it."""
    evaluation_id = start(services, seeded)
    screen.open_evaluation(evaluation_id)
    qtbot.waitUntil(lambda: screen.form_widget.is_fully_built(), timeout=5000)
    screen.form_widget.focus_question("greet")
    press(qtbot, Qt.Key.Key_C)  # a comment field has focus: the shortcut still works
    qtbot.keyClick(
        QApplication.focusWidget(),
        Qt.Key.Key_O,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert QApplication.focusWidget() is screen.overall
    press(qtbot, Qt.Key.Key_Escape)  # back to the question it came from
    assert screen.form_widget.card("greet").isAncestorOf(QApplication.focusWidget())
    screen.form_widget.focus_question("notes")  # the last question: a free-text field
    qtbot.keyClicks(QApplication.focusWidget(), "polite")
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is screen.overall
    qtbot.keyClicks(screen.overall, "Good call overall")
    qtbot.keyClick(screen.overall, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    stored = services.evaluations.get_evaluation(evaluation_id)
    assert stored.overall_comment == "Good call overall"
    assert stored.answers["notes"].value == "polite"

    from qa_monitor.ui.widgets.shortcut_help_widget import ShortcutHelpDialog

    rows: list[tuple[str, str]] = []
    monkeypatch.setattr(
        ShortcutHelpDialog, "exec", lambda self: rows.extend(self.shortcut_rows()) or 0
    )
    screen.show_shortcuts()
    assert ("Go to the overall comment (Esc goes back)", "Ctrl+Shift+O") in rows


def test_answering_the_last_question_goes_to_the_overall_comment(qtbot, screen, services, seeded):
    """Issue 17, item 3: when auto-advance has no question left, the overall comment is next."""
    from tests.factories import passing_answers

    evaluation_id = start(services, seeded)
    answers = passing_answers()
    del answers["retention"]
    answers["callback_at"] = Answer("callback_at", "2026-03-03T10:00")
    services.evaluations.save_draft(evaluation_id, answers)
    screen.open_evaluation(evaluation_id)
    qtbot.waitUntil(lambda: screen.form_widget.is_fully_built(), timeout=5000)
    screen.form_widget.focus_question("retention")
    press(qtbot, Qt.Key.Key_1)
    assert QApplication.focusWidget() is screen.overall
    qtbot.keyClicks(screen.overall, "Thanks")
    assert screen.overall.text() == "Thanks"
    assert screen.save_draft()  # now, not on a timer after the database is closed


def test_nothing_moves_while_scoring_and_section_names_show_whole(qtbot, screen, services, seeded):
    """Issue 17, item 4: the score panel keeps its width through PASS, FAIL and the bands,
    so the cards stay put; section names are shown whole, never cut to "Gree…"."""
    screen.resize(1280, 800)
    evaluation_id = start(services, seeded)
    screen.open_evaluation(evaluation_id)
    qtbot.waitUntil(lambda: screen.form_widget.is_fully_built(), timeout=5000)
    qtbot.wait(50)
    card = screen.form_widget.card("greet")

    def place() -> tuple[int, int, int]:
        qtbot.wait(30)
        return (
            screen.score_panel.width(),
            card.mapTo(screen, card.rect().topLeft()).x(),
            card.width(),
        )

    seen = {place()}
    screen.form_widget.focus_question("greet")
    for key in (Qt.Key.Key_Y, Qt.Key.Key_1, Qt.Key.Key_N):  # PASS · Exceeds, then a FAIL
        press(qtbot, key)
        seen.add(place())
    assert "FAIL" in screen.score_panel.verdict_label.text()
    assert len(seen) == 1, seen
    names = [row[1] for row in screen.score_panel._section_rows if row[1].isVisible()]
    assert names
    for label in names:
        assert (
            label.wordWrap() or label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
        ), label.text()


# ---------------------------------------------------------------- issue 17, item 6
def test_a_new_draft_does_not_say_submitted(qtbot, screen, services, seeded):
    from tests.factories import passing_answers

    submitted = start(services, seeded)
    services.evaluations.save_draft(submitted, passing_answers())
    assert services.evaluations.submit(submitted, seeded.reviewer.id).ok
    screen.open_evaluation(submitted)
    assert "Submitted" in screen.saved_label.text()
    other = services.interactions.create_interaction(
        interaction_data(seeded.agent.id, external_id="call-0002")
    )
    draft = services.evaluations.start_evaluation(other.id, seeded.version.id, seeded.reviewer.id)
    screen.open_evaluation(draft.id)
    assert "Submitted" not in screen.saved_label.text()
    assert screen.save_button.isVisible() and screen.submit_button.isVisible()


def test_an_empty_reason_keeps_the_edit_dialog_open(qtbot, screen, services, seeded):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QLineEdit, QMessageBox

    from tests.factories import passing_answers

    evaluation_id = start(services, seeded)
    services.evaluations.save_draft(evaluation_id, passing_answers())
    assert services.evaluations.submit(evaluation_id, seeded.reviewer.id).ok
    screen.open_evaluation(evaluation_id)
    seen: list[str] = []

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, step)
            return
        if isinstance(dialog, QMessageBox):  # the old way: closed, then a message box
            seen.append("closed")
            dialog.reject()
            return
        field = dialog.findChild(QLineEdit)
        if not seen:
            qtbot.keyClick(field, Qt.Key.Key_Return)  # an empty reason
            seen.append("empty")
            QTimer.singleShot(20, step)
            return
        seen.append("open" if dialog.isVisible() else "closed")
        qtbot.keyClicks(field, "Dispute upheld")
        qtbot.keyClick(field, Qt.Key.Key_Return)

    QTimer.singleShot(0, step)
    screen.begin_edit()
    assert seen == ["empty", "open"]
    assert not screen.form_widget.is_read_only()
    assert "Dispute upheld" in screen.saved_label.text()


def test_save_changes_with_nothing_changed_says_so(qtbot, screen, services, seeded, monkeypatch):
    from tests.factories import passing_answers

    evaluation_id = start(services, seeded)
    services.evaluations.save_draft(evaluation_id, passing_answers())
    assert services.evaluations.submit(evaluation_id, seeded.reviewer.id).ok
    screen.open_evaluation(evaluation_id)
    monkeypatch.setattr(EvaluateScreen, "_ask_reason", lambda self: "Second look")
    screen.begin_edit()
    screen.form_widget.focus_question("greet")
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    assert "Nothing was changed" in screen.saved_label.text()
    assert not screen.form_widget.is_read_only()  # still editing: change something, or stop
    assert services.evaluations.get_evaluation(evaluation_id).revision == 0


def test_an_unfinished_draft_is_offered_after_a_relaunch(qtbot, services, seeded, tmp_path):
    from tests.factories import answers

    evaluation_id = start(services, seeded)
    services.evaluations.save_draft(evaluation_id, answers(greet="yes"))
    relaunched = EvaluateScreen(Session(services, tmp_path / "qa.db", seeded.reviewer.id))
    qtbot.addWidget(relaunched)
    relaunched.resize(1280, 800)
    relaunched.show()
    qtbot.waitExposed(relaunched)
    relaunched.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    button = relaunched.resume_button
    assert button.isVisible() and "call-0001" in relaunched.resume_label.text()
    assert QApplication.focusWidget() is button
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert relaunched.evaluation is not None and relaunched.evaluation.id == evaluation_id
    assert relaunched.form_widget.answers()["greet"].value == "yes"


# ---------------------------------------------------------------- issue 17, item 7
def test_new_evaluation_starts_in_the_queue_with_the_form_for_the_call(qtbot, services, seeded):
    """Focus starts on the queue; the form follows the call's channel (a form made for
    that channel first), else the form chosen last time, which is remembered."""
    from PySide6.QtCore import QSettings

    from qa_monitor.core.forms import Channel
    from qa_monitor.ui.dialogs.new_evaluation_dialog import NewEvaluationDialog
    from tests.factories import sample_form

    QSettings().remove("new_evaluation")
    chat_form = replace(sample_form("chat_call", "Chat"), channels=(Channel.CHAT,))
    chat = services.forms.publish_form(chat_form, seeded.expert.id)
    services.interactions.create_interaction(
        interaction_data(
            seeded.agent.id, external_id="chat-1", channel=Channel.CHAT,
            started_at=START + timedelta(hours=2),
        )
    )  # fmt: skip
    services.interactions.create_interaction(
        interaction_data(
            seeded.agent.id, external_id="mail-1", channel=Channel.EMAIL,
            started_at=START + timedelta(hours=1),
        )
    )  # fmt: skip

    def open_dialog() -> NewEvaluationDialog:
        dialog = NewEvaluationDialog(services)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
        return dialog

    dialog = open_dialog()
    assert QApplication.focusWidget() is dialog.queue
    assert "chat-1" in dialog.queue.currentItem().text()
    assert dialog.form_combo.currentData() == chat.id  # made for chats
    qtbot.keyClick(dialog.queue, Qt.Key.Key_Down)  # the e-mail: no form is made for it
    assert "mail-1" in dialog.queue.currentItem().text()
    dialog.form_combo.setCurrentIndex(dialog.form_combo.findData(chat.id))  # chosen by hand
    qtbot.keyClick(dialog.queue, Qt.Key.Key_Down)  # the phone call: the support form
    assert dialog.form_combo.currentData() == seeded.version.id
    qtbot.keyClick(dialog.queue, Qt.Key.Key_Up)
    dialog.form_combo.setCurrentIndex(dialog.form_combo.findData(chat.id))
    qtbot.keyClick(dialog.queue, Qt.Key.Key_Return)
    assert dialog.result() == NewEvaluationDialog.DialogCode.Accepted

    again = open_dialog()
    qtbot.keyClick(again.queue, Qt.Key.Key_Down)  # the e-mail again: last time's form
    assert again.form_combo.currentData() == chat.id
