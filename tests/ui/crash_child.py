"""Child process for test_crash_recovery: score part of a draft, let autosave run, then wait
to be killed. Not a test module (no test_ prefix)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from qa_monitor.services import Services
from qa_monitor.ui.screens.evaluate_screen import EvaluateScreen
from qa_monitor.ui.session import Session


def pump(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    db, evaluation_id, reviewer_id = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    app = QApplication([])
    services = Services.open(db)
    screen = EvaluateScreen(Session(services, db, reviewer_id))
    screen.resize(1400, 900)
    screen.show()
    screen.open_evaluation(evaluation_id)
    pump(200)
    screen.form_widget.focus_question("greet")
    for key in (Qt.Key.Key_Y, Qt.Key.Key_4, Qt.Key.Key_N):
        target = app.focusWidget()
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            app.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))
        pump(50)
    screen.overall.setText("Calm call, missed the identity check")
    screen.overall.textEdited.emit(screen.overall.text())
    pump(1500)  # autosave fires about 0.7 s after the last change
    print("READY", flush=True)
    while True:  # the parent kills us here, mid-evaluation
        time.sleep(1)


if __name__ == "__main__":
    main()
