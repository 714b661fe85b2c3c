"""Database ▸ Check, Back up now, Restore backup and the archive, driven in the real window."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from qa_monitor.services import Services
from qa_monitor.storage.backup import list_backups
from qa_monitor.ui.database_menu import backup_service
from qa_monitor.ui.dialogs.check_dialog import CheckDialog
from qa_monitor.ui.main_window import MainWindow
from qa_monitor.ui.session import Session, reviewer_key, set_reviewer
from tests.factories import passing_answers, seed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
TIMEOUT = 20_000


def _fill(path: Path) -> int:
    with Services.open(path) as services:
        first = seed(services)
        ev = services.evaluations.start_evaluation(
            first.interaction.id, first.version.id, first.reviewer.id
        )
        services.evaluations.save_draft(ev.id, passing_answers())
        assert services.evaluations.submit(ev.id).ok
        return first.reviewer.id


def _window(qtbot, path: Path, **kw) -> MainWindow:  # type: ignore[no-untyped-def]
    reviewer = _fill(path)
    session = Session(Services.open(path), path)
    set_reviewer(session, reviewer)  # remembered, so reopening the file does not ask
    window = MainWindow(
        session,
        ask_reviewer=False,
        first_sync_delay_ms=600_000,
        **kw,
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _teams(window: MainWindow) -> list[str]:
    return [t.name for t in window.session.services.people.list_teams()]


def test_check_runs_off_the_gui_thread_and_says_what_it_found(qtbot, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path / "qa.db")
    dialog = window.database_menu.check()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=TIMEOUT)
    assert dialog.report is not None and dialog.report.ok
    assert "No problems were found" in dialog.status.text()
    dialog.close()
    window.session.services.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damaged = tmp_path / "damaged.db"
    shutil.copyfile(tmp_path / "qa.db", damaged)
    with damaged.open("r+b") as f:
        f.seek(4096 * 4)
        f.write(b"\xa5" * 300)
    broken = CheckDialog(damaged)
    qtbot.addWidget(broken)
    qtbot.waitUntil(lambda: broken.report is not None, timeout=TIMEOUT)
    assert broken.report is not None and not broken.report.ok
    assert broken.findings.isVisibleTo(broken)
    assert "Restore" in broken.findings.toPlainText()
    assert "btree" not in broken.findings.toPlainText().lower()


def test_back_up_now_then_restore_it_from_the_list(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "qa.db"
    window = _window(qtbot, path)
    window.database_menu.actions_by_key["backup"].trigger()
    qtbot.waitUntil(lambda: bool(list_backups(path, tmp_path / "backups")), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "Backed up" in window.statusBar().currentMessage(), timeout=TIMEOUT)
    window.session.services.people.add_team("Added after the backup")
    assert "Added after the backup" in _teams(window)

    dialog = window.database_menu.restore()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=TIMEOUT)
    shown = dialog.model.rows[0]
    assert shown.evaluations == 1 and shown.forms == 1 and shown.agents == 1
    assert dialog.restore_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.restore_selected()
    qtbot.waitUntil(lambda: "Added after the backup" not in _teams(window), timeout=TIMEOUT)
    kept = [p.name for p, _m in list_backups(path, tmp_path / "backups")]
    assert any("before-restore" in name for name in kept)


def test_archive_export_and_import_into_a_new_database(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, tmp_path / "qa.db")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    archive = tmp_path / "centre.qaarchive"
    job = window.database_menu.export_archive(archive)
    assert job is not None
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT)
    assert "was checked" in shown[0] and archive.exists()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    moved = tmp_path / "moved.db"
    QSettings().setValue(reviewer_key(moved), window.session.reviewer_id)
    window.database_menu.import_archive(archive, moved)
    qtbot.waitUntil(lambda: window.session.path == tmp_path / "moved.db", timeout=TIMEOUT)
    assert _teams(window) == ["Billing"]
    assert window.session.services.evaluations is not None


def test_the_app_window_backs_up_when_it_closes(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "qa.db"
    window = _window(qtbot, path, auto_backup=True)
    window.close()
    assert len(list_backups(path, tmp_path / "backups")) == 1


def test_settings_choose_how_many_backups_to_keep_and_where(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from qa_monitor.ui.screens.settings_screen import SettingsScreen

    window = _window(qtbot, tmp_path / "qa.db")
    screen = window.show_screen("settings")
    assert isinstance(screen, SettingsScreen)
    group = screen.backups
    assert group.keep.value() == 7 and group.folder.text() == str(tmp_path / "backups")
    group.keep.setValue(3)
    group.apply_keep()
    elsewhere = tmp_path / "other-disk"
    elsewhere.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: str(elsewhere))
    group.choose_folder()
    assert "other-disk" in screen.status.text()
    plan = backup_service(window.session).plan()
    assert (plan.keep, plan.folder) == (3, elsewhere)
    window.database_menu.back_up_now()
    qtbot.waitUntil(lambda: bool(list(elsewhere.glob("qa-*.db"))), timeout=TIMEOUT)


def test_the_daily_backup_runs_once_a_day_and_not_after_closing(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "qa.db"
    window = _window(qtbot, path, auto_backup=True)
    window._daily_backup()
    qtbot.waitUntil(lambda: len(list_backups(path, tmp_path / "backups")) == 1, timeout=TIMEOUT)
    assert window.database_menu.backup_if_due() is None  # the newest is not a day old
    window.close()
    window._daily_backup()  # the timer firing after the window closed does nothing
    assert len(list_backups(path, tmp_path / "backups")) == 2  # the daily one and the close


def test_a_database_checked_only_in_part_says_so(qtbot, tmp_path: Path) -> None:
    from qa_monitor.storage.health import HealthReport

    window = _window(qtbot, tmp_path / "qa.db")
    window.session.services.db.health = HealthReport(complete=False, seconds=2.0)
    window._say_if_partly_checked()
    assert "Database ▸ Check" in window.statusBar().currentMessage()


def test_a_damaged_database_offers_its_newest_backup_when_opened(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_monitor.services.backup_service import BackupPlan, back_up
    from qa_monitor.ui.session import open_session

    path = tmp_path / "qa.db"
    _fill(path)
    back_up(BackupPlan(path, tmp_path / "backups"))
    path.write_bytes(b"")  # lost: a disk that filled up, a failed copy
    shown: list[str] = []

    def choose_restore(box: QMessageBox) -> int:
        shown.append(box.text())
        next(b for b in box.buttons() if "Restore" in b.text()).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", choose_restore)
    session = open_session(path, None)
    assert session is not None
    assert "is empty (0 bytes)" in shown[0] and "backups" in shown[0]
    assert [t.name for t in session.services.people.list_teams()] == ["Billing"]
    session.close()
