"""Kill the app mid-evaluation (SIGKILL: no chance to clean up) and find the draft intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.ui.screens.evaluate_screen import EvaluateScreen
from qa_monitor.ui.session import Session
from tests.factories import seed

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_draft_survives_a_kill(qtbot, tmp_path):
    db = tmp_path / "qa.db"
    with Services.open(db) as services:
        seeded = seed(services)
        draft = services.evaluations.start_evaluation(
            seeded.interaction.id, seeded.version.id, seeded.reviewer.id
        )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("crash_child.py")),
            str(db),
            str(draft.id),
            str(seeded.reviewer.id),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        line = child.stdout.readline()  # type: ignore[union-attr]
    finally:
        child.send_signal(signal.SIGKILL)
        _out, err = child.communicate(timeout=30)
    assert line.strip() == "READY", err
    assert child.returncode == -signal.SIGKILL

    with Services.open(db) as services:
        stored = services.evaluations.get_evaluation(draft.id)
        assert stored.status is EvaluationStatus.DRAFT
        assert {q: a.value for q, a in stored.answers.items()} == {
            "greet": "yes",
            "name_used": "4",
            "verify": "no",
        }
        assert stored.overall_comment == "Calm call, missed the identity check"
        # Reopening shows it exactly as it was.
        screen = EvaluateScreen(Session(services, db, seeded.reviewer.id))
        qtbot.addWidget(screen)
        screen.open_evaluation(draft.id)
        assert {q: a.value for q, a in screen.form_widget.answers().items()} == {
            "greet": "yes",
            "name_used": "4",
            "verify": "no",
        }
        assert screen.overall.text() == "Calm call, missed the identity check"
