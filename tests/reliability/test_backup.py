"""Backups hold every committed row, rotate, and restore all at once."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from qa_monitor.services import Services
from qa_monitor.services.backup_service import (
    BackupError,
    BackupPlan,
    BackupService,
    back_up,
    restore_backup,
)
from qa_monitor.storage.backup import list_backups, preview
from qa_monitor.storage.health import check_file
from tests.factories import FakeClock
from tests.reliability.real_db import copy_database


def _count(path: Path, sql: str = "SELECT count(*) FROM teams") -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def test_a_backup_of_a_live_wal_database_keeps_every_committed_row(tmp_path: Path) -> None:
    """Issue 13: a file copy while the app ran lost 15 of 200 evaluations still in the WAL.
    A writer commits rows one by one (never checkpointing) while backups are taken."""
    path = tmp_path / "live.db"
    Services.open(path).close()
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # rows stay in the WAL, as in the app
    committed = [0]

    def write() -> None:
        for n in range(1, 401):
            writer.execute(
                "INSERT INTO teams (name, created_at, name_key) VALUES (?, '2026-01-01', ?)",
                [f"Team {n}", f"team {n}"],
            )
            committed[0] = n
            time.sleep(0.003)  # a steady writer, so the backups below overlap it

    thread = threading.Thread(target=write)
    thread.start()
    seen = []
    try:
        for i in range(5):
            at_start = committed[0]
            copy = back_up(BackupPlan(path, tmp_path / "b"), to=tmp_path / f"copy{i}.db")
            seen.append((at_start, _count(copy)))
    finally:
        thread.join()
    assert all(rows >= at_start for at_start, rows in seen)
    assert any(at_start < 400 for at_start, _rows in seen)  # they did overlap the writer
    final = back_up(BackupPlan(path, tmp_path / "b"), to=tmp_path / "final.db")
    assert _count(final) == committed[0] == 400
    # What a plain copy of the main file holds: the rows in the WAL are missing.
    shutil.copyfile(path, tmp_path / "plain.db")
    assert _count(tmp_path / "plain.db") < committed[0]
    writer.close()
    assert not check_file(final).damaged


def test_backups_rotate_keeping_the_newest(real_database: Path, tmp_path: Path) -> None:
    path = copy_database(real_database, tmp_path / "qa.db")
    plan = BackupPlan(path, tmp_path / "backups", keep=3)
    start = datetime(2026, 1, 1, 9, 0, 0)
    for day in range(5):
        back_up(plan, now=start + timedelta(days=day))
    (plan.folder / "qa-20260101-000000.db.partial").write_bytes(b"left by a crash")
    back_up(plan, now=start + timedelta(days=5))
    kept = [made for _p, made in list_backups(path, plan.folder)]
    assert kept == [start + timedelta(days=d) for d in (5, 4, 3)]
    assert not list(plan.folder.glob("*.partial"))


def test_a_backup_that_cannot_be_written_says_so_and_leaves_nothing(
    real_database: Path, tmp_path: Path
) -> None:
    path = copy_database(real_database, tmp_path / "qa.db")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(BackupError, match="could not be written") as info:
        back_up(BackupPlan(path, blocker / "backups"))
    assert "Traceback" not in str(info.value)


def test_daily_backup_is_due_after_a_day(real_database: Path, tmp_path: Path) -> None:
    path = copy_database(real_database, tmp_path / "qa.db")
    clock = FakeClock(datetime(2026, 3, 1, 8, 0).astimezone())
    with Services.open(path, clock=clock) as services:
        backups = BackupService(services.db, services.repos.settings, clock)
        backups.set_keep(2)
        assert backups.due()
        backups.back_up_now()
        assert not backups.due()
        clock.advance(hours=23)
        assert not backups.due()
        clock.advance(hours=1)
        assert backups.due()
        assert backups.keep() == 2 and backups.folder() == tmp_path / "backups"
        with pytest.raises(ValueError):
            backups.set_keep(0)


def test_restore_keeps_the_current_database_and_replaces_it(
    real_database: Path, tmp_path: Path
) -> None:
    path = copy_database(real_database, tmp_path / "qa.db")
    folder = tmp_path / "backups"
    backup = back_up(BackupPlan(path, folder), now=datetime(2026, 1, 1))
    with Services.open(path) as services:
        services.people.add_team("Added after the backup")
    teams_after = _count(path)
    shown = preview(backup)
    assert shown.evaluations == 300 and shown.schema_version >= 8 and shown.agents > 0
    result = restore_backup(path, backup, folder, now=datetime(2026, 1, 2))
    assert result.kept_as is not None and "before-restore" in result.kept_as.name
    assert _count(path) == teams_after - 1
    assert _count(result.kept_as) == teams_after
    assert not check_file(path).damaged
    with Services.open(path) as services:  # opens, and is writable again
        services.people.add_team("After the restore")


def test_restore_replaces_a_damaged_database_and_keeps_it_aside(
    real_database: Path, tmp_path: Path
) -> None:
    path = copy_database(real_database, tmp_path / "qa.db")
    folder = tmp_path / "backups"
    backup = back_up(BackupPlan(path, folder), now=datetime(2026, 1, 1))
    with path.open("r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xa5" * 200)
    result = restore_backup(path, backup, folder, now=datetime(2026, 1, 2))
    assert result.kept_as is not None and "damaged" in result.kept_as.name
    assert check_file(result.kept_as).damaged
    assert not check_file(path).damaged
    assert _count(path, "SELECT count(*) FROM evaluations") == 301


def test_restore_refuses_a_file_that_is_not_a_good_backup(
    real_database: Path, tmp_path: Path
) -> None:
    path = copy_database(real_database, tmp_path / "qa.db")
    before = path.read_bytes()
    text = tmp_path / "notes.db"
    text.write_text("not a database")
    with pytest.raises(BackupError, match="not a QA Monitor backup"):
        restore_backup(path, text, tmp_path)
    broken = copy_database(real_database, tmp_path / "broken.db")
    with broken.open("r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xa5" * 200)
    with pytest.raises(BackupError, match="damaged itself"):
        restore_backup(path, broken, tmp_path)
    assert path.read_bytes() == before
