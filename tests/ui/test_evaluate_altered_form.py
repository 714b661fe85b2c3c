"""Opening an evaluation whose form version was changed outside QA Monitor: the screen
refuses with the sentence from the form check and scores nothing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from qa_monitor.services import Services
from qa_monitor.ui.screens.evaluate_screen import EvaluateScreen
from qa_monitor.ui.session import Session
from tests.factories import FakeClock, seed
from tests.services.test_tamper_evidence import _raise_points


def test_an_altered_form_is_refused_when_an_evaluation_opens(qtbot, tmp_path: Path, monkeypatch):
    path = tmp_path / "qa.db"
    with Services.open(path, clock=FakeClock()) as services:
        seeded = seed(services)
        draft = services.evaluations.start_evaluation(
            seeded.interaction.id, seeded.version.id, seeded.reviewer.id
        )
    with closing(sqlite3.connect(path, isolation_level=None)) as plain:
        _raise_points(plain, seeded.version.id)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        staticmethod(lambda _parent, title, text, *a, **k: shown.append((title, text))),
    )
    with Services.open(path, clock=FakeClock()) as services:
        screen = EvaluateScreen(Session(services, path, seeded.reviewer.id))
        qtbot.addWidget(screen)
        screen.show()
        screen.open_evaluation(draft.id)
        assert screen.evaluation is None
        assert screen.pages.currentIndex() == 0
    assert shown == [
        (
            "Cannot open the evaluation",
            "Version 1 of the form 'Support call' was changed outside QA Monitor (its "
            "questions no longer match the checksum stored when it was saved), so it cannot "
            "be used to score; restore a backup made before the change, or publish the form "
            "again as a new version.",
        )
    ]
