"""After a submit, the Evaluate screen names the reviewer's next queued call and one key
(Ctrl+Shift+Enter) opens it: a new draft on the call, the focus in the form."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qa_monitor.core.records import EvaluationStatus
from qa_monitor.core.sampling import RuleKind, SamplingRule
from qa_monitor.services import Services
from qa_monitor.ui.screens.evaluate_screen import EvaluateScreen
from qa_monitor.ui.screens.queue_open import open_queued_call
from qa_monitor.ui.session import Session
from tests.factories import FakeClock, interaction_data, seed

MONDAY = date(2026, 3, 2)


def press(qtbot, *keys) -> None:  # type: ignore[no-untyped-def]
    for key in keys:
        target = QApplication.focusWidget()
        assert target is not None, "keyboard focus was lost"
        qtbot.keyClick(target, key)


def test_submit_then_the_key_opens_the_next_queued_call(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "qa.db"
    clock = FakeClock(datetime(2026, 3, 4, 9, 0, tzinfo=UTC))
    with Services.open(path, clock=clock) as services:
        first = seed(services)
        for i in range(2):
            services.interactions.create_interaction(
                interaction_data(
                    first.agent.id,
                    external_id=f"q-{i}",
                    started_at=datetime(2026, 3, 2 + i, 10, tzinfo=UTC),
                )
            )
        services.queue.save_rule(
            SamplingRule(
                id=None, name="Everything", form_id=first.version.form_id, kind=RuleKind.EVERY
            )
        )
        services.queue.build(MONDAY, reviewer_ids=[first.reviewer.id])
        queued = services.queue.my_queue(first.reviewer.id)
        assert len(queued) == 2  # the seed call is dated outside the week
        screen = EvaluateScreen(Session(services, path, first.reviewer.id))
        qtbot.addWidget(screen)
        screen.resize(1400, 900)
        screen.show()
        qtbot.waitExposed(screen)
        screen.activateWindow()
        qtbot.waitUntil(screen.isActiveWindow, timeout=5000)
        current = open_queued_call(services, queued[0], first.reviewer.id)
        screen.open_evaluation(current)
        assert screen.next_bar.isHidden()
        qtbot.waitUntil(lambda: screen.form_widget.is_fully_built(), timeout=5000)
        screen.form_widget.focus_question("greet")
        keys = Qt.Key
        press(qtbot, keys.Key_Y, keys.Key_4, keys.Key_Y, keys.Key_P, keys.Key_5, keys.Key_Y)
        press(qtbot, keys.Key_N, keys.Key_1)
        qtbot.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
        assert services.evaluations.get_evaluation(current).status is EvaluationStatus.SUBMITTED
        following = services.queue.next_for(first.reviewer.id)
        assert following is not None and following.id == queued[1].id
        assert screen.next_bar.isVisible()
        text = screen.next_bar.text()
        assert f"call \u2066{following.external_id}\u2069 of Sara Ahmadi" in text
        assert "press \u2066Ctrl+Shift+Enter\u2069 to open it" in text
        qtbot.keyClick(
            QApplication.focusWidget(),
            Qt.Key.Key_Return,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        assert screen.evaluation is not None
        assert screen.evaluation.id != current
        assert screen.evaluation.interaction_id == following.interaction_id
        assert screen.evaluation.is_draft
        assert screen.evaluation.reviewer_id == first.reviewer.id
        assert screen.next_bar.isHidden()
        focused = QApplication.focusWidget()
        assert (focused is not None and screen.form_widget.isAncestorOf(focused)) or (
            focused is screen.form_widget
        )
        screen.close()
