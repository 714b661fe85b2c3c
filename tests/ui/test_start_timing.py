"""The start timer behind benchmarks/bench_startup.py: once the window has painted and
the event loop is free, one line with the times and the screens built, then the
window closes (QA_MONITOR_TIME_START=1; nothing happens without it)."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings

from qa_monitor.services import Services
from qa_monitor.ui import start_timing
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.session import open_session
from tests.factories import seed


def test_the_start_line_comes_after_the_first_paint_and_the_window_closes(
    qtbot, tmp_path: Path, capsys
):
    path = tmp_path / "a.db"
    with Services.open(path) as services:
        reviewer = seed(services).reviewer.id
    QSettings().setValue("window/screen", "people")
    started = time.perf_counter()
    session = open_session(path, None)
    assert session is not None
    session.reviewer_id = reviewer
    window = MainWindow(session, ask_reviewer=False)
    qtbot.addWidget(window)
    timer = start_timing.StartTimer(window, started, time.perf_counter())
    window.show()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert timer.painted is not None
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("qa-monitor")]
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith(start_timing.REPORT_PREFIX)
    assert line.endswith("screens built: people")
    built, painted, usable = (
        float(line.split(label)[1].split(" s")[0])
        for label in ("window built ", "first paint ", "usable ")
    )
    assert 0 < built <= painted <= usable


def test_only_asked_for_by_the_environment(monkeypatch):
    monkeypatch.delenv(start_timing.TIME_START_ENV, raising=False)
    assert not start_timing.wanted()
    monkeypatch.setenv(start_timing.TIME_START_ENV, "0")
    assert not start_timing.wanted()
    monkeypatch.setenv(start_timing.TIME_START_ENV, "1")
    assert start_timing.wanted()
