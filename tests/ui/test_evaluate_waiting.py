"""The evaluate screen behind another writer: it shows that it waits, never freezes, and
loses nothing (issue 13, item 3)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.ui.screens.evaluate_screen import EvaluateScreen
from qa_monitor.ui.session import Session
from tests.factories import Seed, passing_answers, seed


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    with Services.open(tmp_path / "qa.db") as opened:
        yield opened


@pytest.fixture
def seeded(services: Services) -> Seed:
    return seed(services)


@pytest.fixture
def screen(qtbot, services: Services, seeded: Seed, tmp_path: Path) -> EvaluateScreen:
    widget = EvaluateScreen(Session(services, tmp_path / "qa.db", seeded.reviewer.id))
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def other_writer(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """Another connection (an import in another process); ``hold`` takes the write lock."""
    conn = sqlite3.connect(tmp_path / "qa.db", isolation_level=None, check_same_thread=False)
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


def hold(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")


def open_draft(qtbot, screen: EvaluateScreen, services: Services, seeded: Seed) -> int:
    draft = services.evaluations.start_evaluation(
        seeded.interaction.id, seeded.version.id, seeded.reviewer.id
    )
    screen.open_evaluation(draft.id)
    qtbot.waitUntil(lambda: screen.form_widget.is_fully_built(), timeout=5000)
    return draft.id


def answer_greeting(qtbot, screen: EvaluateScreen) -> None:
    screen.form_widget.focus_question("greet")
    qtbot.keyClick(screen.form_widget.focusWidget(), Qt.Key.Key_Y)


def test_autosave_behind_a_writer_shows_waiting_and_saves_when_free(
    qtbot, screen, services, seeded, other_writer
):
    evaluation_id = open_draft(qtbot, screen, services, seeded)
    answer_greeting(qtbot, screen)
    hold(other_writer)
    started = time.perf_counter()
    assert screen.save_draft() is False
    assert time.perf_counter() - started < 0.5, "the GUI thread waited on the lock"
    assert "Waiting for another import" in screen.saved_label.text()
    assert screen.waiting_to_write
    other_writer.execute("ROLLBACK")
    qtbot.waitUntil(lambda: not screen.waiting_to_write, timeout=5000)
    assert "Draft saved" in screen.saved_label.text()
    assert services.evaluations.get_evaluation(evaluation_id).answers["greet"].value == "yes"


def test_submit_behind_a_writer_waits_visibly_then_submits(
    qtbot, screen, services, seeded, other_writer
):
    evaluation_id = open_draft(qtbot, screen, services, seeded)
    services.evaluations.save_draft(evaluation_id, passing_answers())
    screen.open_evaluation(evaluation_id)
    hold(other_writer)
    screen.submit()
    assert "Waiting for another import" in screen.saved_label.text()
    assert services.evaluations.get_evaluation(evaluation_id).status is EvaluationStatus.DRAFT
    other_writer.execute("ROLLBACK")
    qtbot.waitUntil(
        lambda: (
            services.evaluations.get_evaluation(evaluation_id).status is EvaluationStatus.SUBMITTED
        ),
        timeout=5000,
    )


def test_closing_while_waiting_saves_the_draft(qtbot, screen, services, seeded, other_writer):
    evaluation_id = open_draft(qtbot, screen, services, seeded)
    answer_greeting(qtbot, screen)
    hold(other_writer)
    assert screen.save_draft() is False
    threading.Timer(0.3, lambda: other_writer.execute("ROLLBACK")).start()
    screen.flush()  # what closing the window does
    assert not screen.waiting_to_write
    assert services.evaluations.get_evaluation(evaluation_id).answers["greet"].value == "yes"
