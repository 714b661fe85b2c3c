"""``qa-monitor backup``, ``backups``, ``restore`` and ``archive`` from the command line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qa_monitor.cli import main
from qa_monitor.services import Services
from tests.factories import seed


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "qa.db"
    with Services.open(path) as services:
        seed(services)
    return path


def _teams(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM teams").fetchone()[0])
    finally:
        conn.close()


def test_backup_then_restore_with_preview_and_yes(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db), "backup"]) == 0
    out = capsys.readouterr().out
    assert "Backed up" in out and "checked" in out
    backups = list((tmp_path / "backups").glob("qa-*.db"))
    assert len(backups) == 1
    assert main(["--db", str(db), "backups"]) == 0
    assert "  agents             1\n" in capsys.readouterr().out
    with Services.open(db) as services:
        services.people.add_team("After the backup")
    assert _teams(db) == 2

    assert main(["--db", str(db), "restore", str(backups[0])]) == 2
    out = capsys.readouterr().out
    assert "forms              1" in out and "add --yes" in out
    assert _teams(db) == 2  # nothing restored without --yes

    assert main(["--db", str(db), "restore", str(backups[0]), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "kept as" in out and "Restored" in out
    assert _teams(db) == 1
    kept = [p for p in (tmp_path / "backups").glob("*before-restore.db")]
    assert len(kept) == 1 and _teams(kept[0]) == 2


def test_backup_to_a_file_needs_force_to_replace_it(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.db"
    assert main(["--db", str(db), "backup", "--to", str(target)]) == 0
    assert main(["--db", str(db), "backup", "--to", str(target)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["--db", str(db), "backup", "--to", str(target), "--force"]) == 0


def test_restore_refuses_a_file_that_is_not_a_backup(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert main(["--db", str(db), "restore", str(notes), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "not a QA Monitor backup" in err and "Traceback" not in err


def test_archive_export_and_import_only_into_a_new_database(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "centre.qaarchive"
    assert main(["--db", str(db), "archive", "export", str(archive)]) == 0
    exported = capsys.readouterr().out
    assert "Archived" in exported and "evaluations" in exported
    fresh = tmp_path / "fresh.db"
    assert main(["--db", str(fresh), "archive", "import", str(archive)]) == 0
    imported = capsys.readouterr().out
    # The same table lines (rows and digests) on both sides.
    assert [line for line in exported.splitlines() if line.startswith("  ")] == [
        line for line in imported.splitlines() if line.startswith("  ")
    ]
    assert main(["--db", str(db), "archive", "import", str(archive)]) == 2
    assert "already holds data" in capsys.readouterr().err
    assert main(["--db", str(db), "archive", "export", str(archive)]) == 2
    assert "--force" in capsys.readouterr().err
