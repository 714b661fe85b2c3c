"""A second copy of the app on the same database file is warned; a crashed one is not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from qa_monitor.services import Services
from qa_monitor.ui.database_lock import lock_path
from qa_monitor.ui.session import open_session

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    Services.open(path).close()
    return path


def start_holder(db: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("lock_holder.py")), str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    line = child.stdout.readline()  # type: ignore[union-attr]
    if line.strip() != "READY":
        child.kill()
        raise AssertionError(child.communicate(timeout=30)[1])
    return child


@pytest.fixture
def holder(db: Path) -> Iterator[subprocess.Popen[str]]:
    child = start_holder(db)
    yield child
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)


def answer_warning(qtbot, press: str, seen: list[str]) -> None:
    """When the warning is up, note its text and answer it as a user would: Esc, or a
    click on the button whose text starts with ``press``."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        if press == "Esc":
            qtbot.keyClick(box, Qt.Key.Key_Escape)
            return
        button = next(
            b for b in box.findChildren(QPushButton) if b.text().startswith(press)
        )
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)


def test_second_copy_is_warned_and_can_quit(qtbot, db: Path, holder) -> None:
    seen: list[str] = []
    answer_warning(qtbot, "Esc", seen)
    assert open_session(db, None) is None
    assert len(seen) == 1
    assert f"QA Monitor is already open on {db} (process {holder.pid} on this computer)" in seen[0]
    assert "Switch to the open window, or open another database." in seen[0]


def test_second_copy_may_open_anyway(qtbot, db: Path, holder) -> None:
    seen: list[str] = []
    answer_warning(qtbot, "Open anyway", seen)
    session = open_session(db, None)
    assert session is not None and len(seen) == 1
    assert not session.lock.held  # the lock stays with the first copy
    session.close()
    assert lock_path(db).exists()


def test_lock_of_a_crashed_copy_is_taken_over_silently(qtbot, db: Path) -> None:
    child = start_holder(db)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    assert lock_path(db).exists()  # left behind by the killed process
    session = open_session(db, None)  # no dialog: a modal one would block here
    assert session is not None and session.lock.held
    session.close()
    assert not lock_path(db).exists()


def test_the_same_process_opening_it_again_is_not_a_second_copy(qtbot, db: Path) -> None:
    first = open_session(db, None)
    second = open_session(db, None)
    assert first is not None and second is not None
    assert first.lock.held and not second.lock.held
    second.close()
    first.close()
