"""The error dialog says a storage failure's own sentence instead of "Something went
wrong" (issue 13, item 4)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qa_monitor.app import error_dialog_text
from qa_monitor.storage.errors import DiskFullError


def test_a_storage_failure_shows_its_sentence(qapp, tmp_path: Path) -> None:
    db, log = tmp_path / "qa.db", tmp_path / "qa-monitor.log"
    text = error_dialog_text(DiskFullError(db), db, log)
    assert text.startswith(f"The disk holding '{db}' is full")
    assert "Something went wrong" not in text and str(log) in text


def test_a_raw_sqlite_error_is_translated_with_the_open_database(qapp, tmp_path: Path) -> None:
    db, log = tmp_path / "qa.db", tmp_path / "qa-monitor.log"
    raw = sqlite3.OperationalError("database is locked")
    text = error_dialog_text(raw, db, log)
    assert f"The database '{db}' is busy" in text
    assert "database is locked" not in text


def test_other_errors_keep_the_generic_sentence(qapp, tmp_path: Path) -> None:
    text = error_dialog_text(KeyError("x"), tmp_path / "qa.db", tmp_path / "log")
    assert text.startswith("Something went wrong")
