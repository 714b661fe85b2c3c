"""Opening databases: pragmas, migrations, and the files we refuse."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qa_monitor.storage import (
    Database,
    DatabaseOpenError,
    NotADatabaseError,
    SchemaTooNewError,
    open_database,
)
from qa_monitor.storage.migrations import MIGRATIONS, known_names

TABLES = {
    "teams",
    "agents",
    "reviewers",
    "forms",
    "form_versions",
    "form_questions",
    "interactions",
    "evaluations",
    "answers",
    "section_scores",
    "audit_log",
    "settings",
}


def _schema(db: Database) -> list[tuple[str, str]]:
    rows = db.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    return [(name, sql or "") for name, sql in rows]


def test_new_database_has_every_table_and_its_pragmas(db: Database, db_path: Path) -> None:
    assert db_path.exists()
    assert set(db.table_names()) >= TABLES
    assert db.pragma("journal_mode") == "wal"
    assert db.pragma("foreign_keys") == 1
    assert db.pragma("busy_timeout") == 5000
    assert db.pragma("synchronous") == 1  # NORMAL
    assert db.schema_version == len(known_names())
    assert db.pragma("user_version") == len(known_names())


def test_answers_and_section_scores_are_without_rowid(db: Database) -> None:
    for table in ("answers", "section_scores", "form_questions"):
        (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()
        assert sql.rstrip().endswith("WITHOUT ROWID")


def test_evaluation_indexes_exist(db: Database) -> None:
    columns = {tuple(index.columns) for index in db["evaluations"].indexes}
    assert {
        ("interaction_date",),
        ("team_id", "interaction_date"),
        ("agent_id", "interaction_date"),
        ("form_version_id", "interaction_date"),
        ("reviewer_id", "interaction_date"),
        ("status", "updated_at"),
        ("interaction_id",),
    } <= columns


def test_migrations_are_idempotent(db_path: Path) -> None:
    first = open_database(db_path)
    schema = _schema(first)
    MIGRATIONS.apply(first)  # nothing pending: a no-op
    assert _schema(first) == schema
    first.close()
    again = open_database(db_path)
    assert _schema(again) == schema
    assert [m.name for m in MIGRATIONS.applied(again)] == known_names()
    again.close()


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("INSERT INTO agents (name, team_id, created_at) VALUES ('X', 999, '2026-01-01')")


def test_database_of_a_newer_version_is_refused(db: Database, db_path: Path) -> None:
    db["_sqlite_migrations"].insert(
        {"migration_set": "qa_monitor", "name": "m099_future", "applied_at": "2030-01-01"}
    )
    db.close()
    with pytest.raises(SchemaTooNewError) as info:
        open_database(db_path)
    message = str(info.value)
    assert str(db_path) in message
    assert f"schema version {len(known_names()) + 1}" in message
    assert f"knows up to {len(known_names())}" in message
    assert "m099_future" in message
    assert "Upgrade QA Monitor or open another database" in message


def test_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("call notes, not a database\n", encoding="utf-8")
    with pytest.raises(NotADatabaseError, match="not an SQLite file") as info:
        open_database(path)
    assert str(path) in str(info.value)
    assert path.read_text(encoding="utf-8") == "call notes, not a database\n"


def test_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(NotADatabaseError, match="another program"):
        open_database(path)


def test_empty_file_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    """Issue 13: a database truncated to 0 bytes is a lost database, never a new one."""
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(NotADatabaseError, match=r"is empty \(0 bytes\).*delete the empty file"):
        open_database(path)
    assert path.stat().st_size == 0
    assert not (tmp_path / "empty.db-wal").exists()


def test_folder_is_refused_and_missing_folder_is_created(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="is a folder"):
        open_database(tmp_path)
    nested = tmp_path / "centre" / "data" / "qa.db"
    db = open_database(nested)
    assert nested.exists()
    db.close()
