"""Every storage failure is a sentence naming the file and what to do (issue 13, item 4),
raised as the project's own error on real SQLite files."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from qa_monitor.storage import Database, open_database
from qa_monitor.storage.errors import (
    DamagedDatabaseError,
    DatabaseBusyError,
    DatabaseCorruptError,
    DiskFullError,
    ReadOnlyDatabaseError,
    ReadOnlyFolderError,
    StorageFailure,
    StorageIOError,
    translate_sqlite_error,
)
from tests.small_disk import make_read_only, small_disk


def _other(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None, check_same_thread=False)


def test_a_held_write_lock_past_the_wait_is_a_busy_sentence(db: Database, db_path: Path) -> None:
    other = _other(db_path)
    other.execute("BEGIN IMMEDIATE")
    db.write_wait_s = 0.2
    started = time.monotonic()
    with pytest.raises(DatabaseBusyError) as caught, db.atomic():
        db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    assert time.monotonic() - started < 2
    assert str(db_path) in str(caught.value)
    assert "try again when it has finished" in str(caught.value)
    other.execute("ROLLBACK")
    other.close()
    assert not db.conn.in_transaction


def test_read_then_write_waits_for_another_writer_instead_of_failing(
    db: Database, db_path: Path
) -> None:
    """The deferred read-then-write failed at once with SQLITE_BUSY_SNAPSHOT when
    another connection committed in between; IMMEDIATE waits for it instead."""
    db.execute("INSERT INTO settings (key, value) VALUES ('n', '0')")
    db.conn.commit()
    other = _other(db_path)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE settings SET value = '5' WHERE key = 'n'")
    threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
    with db.atomic():
        (n,) = db.execute("SELECT value FROM settings WHERE key = 'n'").fetchone()
        db.execute("UPDATE settings SET value = ? WHERE key = 'n'", [str(int(n) + 1)])
    assert db.execute("SELECT value FROM settings WHERE key = 'n'").fetchone()[0] == "6"
    other.close()


def test_a_full_database_is_a_disk_full_sentence_and_keeps_what_was_there(
    db: Database, db_path: Path
) -> None:
    db.execute("INSERT INTO settings (key, value) VALUES ('kept', 'yes')")
    db.conn.commit()
    (pages,) = db.execute("PRAGMA page_count").fetchone()
    db.execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page
    with pytest.raises(DiskFullError) as caught, db.atomic():
        db.conn.executemany(
            "INSERT INTO settings (key, value) VALUES (?, ?)",
            [(f"k{i}", "x" * 500) for i in range(200)],
        )
    assert f"The disk holding '{db_path}' is full" in str(caught.value)
    assert db.execute("SELECT count(*) FROM settings WHERE key GLOB 'k[0-9]*'").fetchone()[0] == 0
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_damaged_page_is_a_corrupt_sentence(db_path: Path) -> None:
    db = open_database(db_path)
    db.conn.executemany(
        "INSERT INTO settings (key, value) VALUES (?, ?)",
        [(f"k{i}", "x" * 300) for i in range(400)],
    )
    db.conn.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (page_size,) = db.execute("PRAGMA page_size").fetchone()
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'settings'").fetchone()
    db.close()
    with db_path.open("r+b") as f:  # scribble over the table's root page
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)
    # The check at open finds it before anything is written (storage/health.py): the
    # damaged database is a storage failure with its sentence, never opened for writing.
    with pytest.raises(StorageFailure) as caught:
        open_database(db_path).close()
    assert isinstance(caught.value, DamagedDatabaseError)
    assert "is damaged" in str(caught.value) and "Restore it from a backup" in str(caught.value)
    # Damage met while working (past the time-boxed check at open) has its sentence too.
    malformed = sqlite3.DatabaseError("database disk image is malformed")
    translated = translate_sqlite_error(malformed, db_path)
    assert isinstance(translated, DatabaseCorruptError)
    assert "restore it from a backup" in str(translated)


def test_read_only_filesystem_is_a_read_only_sentence(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        path = disk / "qa.db"
        open_database(path).close()
        make_read_only(disk)
        with pytest.raises(StorageFailure) as caught:
            db = open_database(path)
            try:
                with db.atomic():
                    db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
            finally:
                db.close()
        assert isinstance(caught.value, ReadOnlyDatabaseError | ReadOnlyFolderError)
        assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("code", "text", "kind"),
    [
        (5, "database is locked", DatabaseBusyError),
        (13, "database or disk is full", DiskFullError),
        (1544, "attempt to write a readonly database", ReadOnlyFolderError),
        (11, "database disk image is malformed", DatabaseCorruptError),
        (26, "file is not a database", DatabaseCorruptError),
        (4874, "disk I/O error", StorageIOError),
    ],
)
def test_each_sqlite_code_has_its_sentence(
    tmp_path: Path, code: int, text: str, kind: type[StorageFailure]
) -> None:
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    translated = translate_sqlite_error(exc, tmp_path / "qa.db")
    assert isinstance(translated, kind)
    message = str(translated)
    assert str(tmp_path / "qa.db") in message and message.endswith(".")
    assert text not in message


def test_a_constraint_error_is_left_alone(tmp_path: Path) -> None:
    exc = sqlite3.IntegrityError("UNIQUE constraint failed: agents.name")
    assert translate_sqlite_error(exc, tmp_path / "qa.db") is exc
