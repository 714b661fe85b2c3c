"""What desktops pass on the command line: `qa-monitor PATH.db` (a .desktop entry's %f,
a file manager's "Open with") and Qt's own options such as -reverse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa_monitor import app as app_module
from qa_monitor.cli import main
from qa_monitor.launch_args import split_launch_args

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["demo", "init", "forms", "check"]


@pytest.mark.parametrize(
    ("argv", "ours", "qt"),
    [
        (["/tmp/a.db"], ["--db", "/tmp/a.db"], []),
        (["-reverse", "--self-test"], ["--self-test"], ["-reverse"]),
        (["-style", "fusion", "a.db"], ["--db", "a.db"], ["-style", "fusion"]),
        (["--platform=xcb", "--demo"], ["--demo"], ["--platform=xcb"]),
        (["demo", "out.db"], ["demo", "out.db"], []),
        (["--db", "a.db", "init"], ["--db", "a.db", "init"], []),
        (["--db", "a.db"], ["--db", "a.db"], []),
        ([], [], []),
    ],
)
def test_split(argv, ours, qt):
    launch = split_launch_args(argv, COMMANDS)
    assert (launch.ours, launch.qt) == (ours, qt)


@pytest.fixture
def started(monkeypatch) -> list[dict]:
    calls: list[dict] = []
    monkeypatch.setattr(app_module, "run_app", lambda **kwargs: calls.append(kwargs) or 0)
    return calls


def test_a_database_path_alone_opens_that_database(started, tmp_path):
    # Before: "argument COMMAND: invalid choice: '.../team.db'" and exit code 2.
    assert main([str(tmp_path / "team.db")]) == 0
    assert started[0]["db_path"] == tmp_path / "team.db"


def test_qt_options_reach_qt(started, tmp_path):
    # Before: "unrecognized arguments: -reverse" and exit code 2.
    assert main(["-reverse", "-style", "fusion", str(tmp_path / "x.db")]) == 0
    assert started[0]["qt_args"] == ["-reverse", "-style", "fusion"]
    assert started[0]["db_path"] == tmp_path / "x.db"


def test_reverse_is_accepted_by_a_real_start():
    proc = subprocess.run(
        [sys.executable, "-m", "qa_monitor", "-reverse", "--self-test"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


REVERSE_START = """
import sys
from PySide6.QtWidgets import QApplication
from qa_monitor.ui.dialogs.reviewer_dialog import ReviewerDialog
ReviewerDialog.exec = lambda self: 0

def report(self=None):
    print(QApplication.instance().layoutDirection().name)
    return 0

QApplication.exec = report
from qa_monitor.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def test_reverse_mirrors_the_window(tmp_path):
    # Before: the option reached Qt, then the saved "auto" direction set it back to
    # LeftToRight.
    proc = subprocess.run(
        [sys.executable, "-c", REVERSE_START, "-reverse", str(tmp_path / "r.db")],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(ROOT),
            "QA_MONITOR_DATA_DIR": str(tmp_path / "data"),
        },
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "RightToLeft"
