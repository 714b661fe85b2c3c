"""The README's launch commands: `qa-monitor` opens the default database, `--demo` builds and
opens the demo one. The event loop is replaced so the test does not block."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler

import pytest
from PySide6.QtWidgets import QApplication

from qa_monitor import app as app_module
from qa_monitor import paths
from qa_monitor.cli import main
from qa_monitor.services import Services
from qa_monitor.ui.dialogs.reviewer_dialog import ReviewerDialog
from qa_monitor.ui.main_window import MainWindow


@pytest.fixture
def launched(monkeypatch, tmp_path, qtbot) -> Iterator[list[MainWindow]]:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    windows = []
    original_init = MainWindow.__init__

    def capture(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        windows.append(self)
        qtbot.addWidget(self)

    monkeypatch.setattr(MainWindow, "__init__", capture)
    monkeypatch.setattr(ReviewerDialog, "exec", lambda self: 0)
    monkeypatch.setattr(QApplication, "exec", lambda self=None: 0)
    monkeypatch.setattr(app_module, "_install_excepthook", lambda *_args: None)
    root = logging.getLogger()
    before = list(root.handlers)
    for handler in before:  # a log file of an earlier test's data dir must not be reused
        if isinstance(handler, RotatingFileHandler):
            root.removeHandler(handler)
    yield windows
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def test_default_launch_opens_the_database_in_the_data_dir(launched, tmp_path):
    assert main([]) == 0
    (window,) = launched
    assert window.session.path == tmp_path / "data" / "qa-monitor.db"
    assert window.session.path.exists()
    assert window.isVisible()


def test_demo_launch_builds_the_demo_database_once(launched, tmp_path):
    assert main(["--demo"]) == 0
    demo = tmp_path / "data" / "qa-monitor-demo.db"
    assert launched[0].session.path == demo
    with Services.open(demo) as services:
        assert len(services.people.list_agents()) == 30
    stamp = demo.stat().st_mtime_ns
    assert main(["--demo"]) == 0  # reopened, not rebuilt
    assert launched[1].session.path == demo
    assert demo.stat().st_mtime_ns >= stamp
    assert len(launched) == 2
