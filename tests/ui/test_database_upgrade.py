"""Opening a database that needs an upgrade: the upgrade runs on a worker thread behind
a busy window, so the window keeps painting through the minutes it takes on a large
database, and the session opens on the upgraded file."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from qa_monitor.services import Services
from qa_monitor.storage import evidence
from qa_monitor.ui.session import open_session
from tests.factories import FakeClock
from tests.services.test_tamper_evidence import _work
from tests.storage.test_evidence_migration import _as_before_m009


@pytest.fixture
def old_database(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    with Services.open(path, clock=FakeClock()) as services:
        _work(services)
    _as_before_m009(path)
    return path


def test_an_upgrade_runs_off_the_gui_thread_behind_a_busy_window(
    qtbot, old_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Services.pending_upgrades(old_database) == ["m009_evidence"]
    ran_on: list[threading.Thread] = []
    window: list[float] = []
    real_fill = evidence.fill

    def slow_fill(conn):  # type: ignore[no-untyped-def]
        ran_on.append(threading.current_thread())
        window.append(time.monotonic())
        time.sleep(0.8)  # a large database
        window.append(time.monotonic())
        return real_fill(conn)

    monkeypatch.setattr(evidence, "fill", slow_fill)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    busy: list[str] = []

    def look() -> None:
        busy.extend(
            w.labelText()
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w.isVisible()
        )

    QTimer.singleShot(500, look)
    session = open_session(old_database, None)
    timer.stop()
    try:
        assert session is not None
        assert ran_on and ran_on[0] is not threading.main_thread()
        # The GUI thread kept running its event loop while the upgrade ran: a blocked
        # one could not tick at all inside that window.
        start, end = window
        assert len([t for t in ticks if start < t < end]) >= 3
        assert busy and busy[0].startswith("Upgrading team.db for this version of QA Monitor…")
        assert "If it is interrupted, the database stays as it was." in busy[0]
        assert Services.pending_upgrades(old_database) == []
        assert session.services.db.execute("SELECT count(*) FROM evidence").fetchone()[0] > 0
    finally:
        if session is not None:
            session.close()


def test_a_current_database_opens_without_a_worker(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    assert Services.pending_upgrades(path) == []  # not there yet: created on open
    session = open_session(path, None)
    assert session is not None
    session.close()
    assert Services.pending_upgrades(path) == []
    (tmp_path / "empty.db").write_bytes(b"")
    assert Services.pending_upgrades(tmp_path / "empty.db") == []
    (tmp_path / "text.db").write_text("not a database")
    assert Services.pending_upgrades(tmp_path / "text.db") == []
