"""Damage is seen: a damaged or empty database is refused at open, with what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qa_monitor.cli import main
from qa_monitor.self_test import run_self_test
from qa_monitor.services import Services
from qa_monitor.services.backup_service import BackupPlan, back_up
from qa_monitor.services.check_service import run_checks
from qa_monitor.storage import DamagedDatabaseError, NotADatabaseError, health, open_database
from qa_monitor.storage.health import open_check_seconds, run_check
from tests.reliability.real_db import copy_database


def _pages(path: Path, table: str) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", [table])]
    finally:
        conn.close()


def _smash(path: Path, page: int, offset: int = 0, length: int = 64) -> None:
    with path.open("r+b") as f:
        f.seek((page - 1) * 4096 + offset)
        f.write(b"\xa5" * length)


@pytest.fixture
def damaged(real_database: Path, tmp_path: Path) -> Path:
    """A copy whose agents table has a smashed b-tree page header."""
    path = copy_database(real_database, tmp_path / "damaged.db")
    _smash(path, _pages(path, "evaluations")[1])
    return path


def test_a_damaged_database_is_refused_and_names_the_newest_backup(
    real_database: Path, tmp_path: Path
) -> None:
    path = copy_database(real_database, tmp_path / "qa.db")
    backup = back_up(BackupPlan(path, tmp_path / "backups"))
    _smash(path, _pages(path, "evaluations")[1])
    before = path.read_bytes()
    with pytest.raises(DamagedDatabaseError) as info:
        open_database(path)
    message = str(info.value)
    assert "is damaged" in message and str(backup) in message and "restore" in message
    assert "btree" not in message.lower() and "sqlite" not in message.lower()
    assert path.read_bytes() == before  # nothing was written to it


def test_cli_import_into_a_damaged_database_is_refused(
    damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13: the CLI import wrote 316 agents into a corrupt file."""
    roster = tmp_path / "roster.csv"
    roster.write_text("name,team\nNew Agent,Team 1\n", encoding="utf-8")
    before = damaged.read_bytes()
    # A damaged file is a storage failure (exit 4), like any damage found while working.
    assert main(["--db", str(damaged), "import", "roster", str(roster)]) == 4
    err = capsys.readouterr().err
    assert "is damaged" in err and "Traceback" not in err
    assert damaged.read_bytes() == before


def test_an_empty_file_is_refused_by_the_cli_and_left_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "qa.db"
    empty.touch()
    roster = tmp_path / "roster.csv"
    roster.write_text("name,team\nNew Agent,Team 1\n", encoding="utf-8")
    assert main(["--db", str(empty), "import", "roster", str(roster)]) == 2
    assert "is empty (0 bytes)" in capsys.readouterr().err
    assert empty.stat().st_size == 0
    with pytest.raises(NotADatabaseError):
        Services.open(empty)


def test_a_damaged_header_is_refused_in_words(real_database: Path, tmp_path: Path) -> None:
    path = copy_database(real_database, tmp_path / "qa.db")
    _smash(path, 1, offset=16, length=40)  # page size, versions, counters
    with pytest.raises(DamagedDatabaseError, match="is damaged"):
        open_database(path)


def test_the_check_at_open_is_time_boxed_on_large_files(
    real_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy_database(real_database, tmp_path / "qa.db")
    conn = sqlite3.connect(path)
    try:
        stopped = run_check(conn, full=True, seconds=0.0)
        assert not stopped.complete and not stopped.damaged
        assert run_check(conn).complete
    finally:
        conn.close()
    db = open_database(path)
    try:
        assert db.health is not None and db.health.complete and not db.health.damaged
    finally:
        db.close()
    assert open_check_seconds(path) is None  # a small file is always checked in full
    monkeypatch.setattr(health, "OPEN_FULL_CHECK_BYTES", 1000)
    assert open_check_seconds(path) == health.OPEN_CHECK_SECONDS


def test_check_finds_damage_in_words_and_passes_a_healthy_file(
    real_database: Path, damaged: Path
) -> None:
    assert run_checks(real_database).ok
    report = run_checks(damaged)
    assert not report.ok
    assert all("Traceback" not in f.message and "btree" not in f.message for f in report.findings)
    assert "structure" in report.findings[0].message or "damaged" in report.findings[0].message


def test_cli_check_exit_codes(
    real_database: Path, damaged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(real_database), "check"]) == 0
    assert "No problems found" in capsys.readouterr().out
    assert main(["--db", str(damaged), "check"]) == 1
    assert "problems found" in capsys.readouterr().out


def test_self_test_checks_the_given_database(
    damaged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13: --self-test ignored --db."""
    assert run_self_test(damaged) == 1
    out = capsys.readouterr().out
    assert "[FAIL] your db" in out and str(damaged) in out


def test_check_finds_a_damaged_document_inside_a_sound_file(
    real_database: Path, tmp_path: Path
) -> None:
    """Bytes changed inside a stored text leave SQLite's structure intact; the documents
    check reads them back."""
    path = copy_database(real_database, tmp_path / "qa.db")
    conn = sqlite3.connect(path)
    definition = conn.execute("SELECT definition FROM form_versions LIMIT 1").fetchone()[0]
    conn.close()
    data = path.read_bytes()
    at = data.index(definition[:200].encode())
    path.write_bytes(data[: at + 1] + b"\x01" * 8 + data[at + 9 :])  # same length, in place
    report = run_checks(path)
    # The documents check reads it back; the tamper evidence also sees the form changed.
    assert [f.check for f in report.findings] == ["documents", "evidence"]
    assert "1 of the form versions" in report.findings[0].message
    assert "changed outside QA Monitor" in report.findings[1].message
