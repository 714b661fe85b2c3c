"""m007_name_keys on databases written before it: every name gets its key, the
active-name uniqueness moves onto the key, and a database that already holds two
active names with the same key still opens (the clash is logged, the old index kept)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from qa_monitor.core.text_keys import name_key
from qa_monitor.storage import open_database
from qa_monitor.storage.database import Database
from qa_monitor.storage.migrations import MIGRATIONS


def _old_database(path: Path, agents: list[tuple[str, int]], teams: list[str]) -> None:
    """A database as the release before m007 left it, with these people in it."""
    db = Database(path)
    db.configure()
    MIGRATIONS.apply(db, stop_before="m007_name_keys")
    for name in teams:
        db.execute("INSERT INTO teams (name, created_at) VALUES (?, '2026-01-01')", [name])
    for name, active in agents:
        db.execute(
            "INSERT INTO agents (name, active, created_at) VALUES (?, ?, '2026-01-01')",
            [name, active],
        )
    db.conn.commit()
    db.close()


def _indexes(db: Database, table: str) -> dict[str, str]:
    rows = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
        " AND sql IS NOT NULL",
        [table],
    ).fetchall()
    return dict(rows)


def test_keys_are_filled_and_made_unique(db_path: Path) -> None:
    _old_database(db_path, [("علي رضايي", 1), ("Sara", 1), ("SARA", 0)], ["پشتيباني"])
    db = open_database(db_path)
    try:
        keys = dict(db.execute("SELECT name, name_key FROM agents").fetchall())
        assert keys == {n: name_key(n) for n in ("علي رضايي", "Sara", "SARA")}
        assert db.execute("SELECT name_key FROM teams").fetchone()[0] == "پشتیبانی"
        indexes = _indexes(db, "agents")
        assert "agents_active_name" not in indexes
        assert "UNIQUE" in indexes["agents_active_name_key"]
        with pytest.raises(Exception, match="UNIQUE"):
            db.execute(
                "INSERT INTO agents (name, name_key, created_at) VALUES (?, ?, '2026-01-01')",
                ["علی رضایی", name_key("علی رضایی")],
            )
    finally:
        db.close()


def test_a_database_with_clashing_names_still_opens(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Two agents imported before the keys: identical to the eye, different code points.
    _old_database(db_path, [("علي رضايي", 1), ("علی رضایی", 1)], ["Sales"])
    with caplog.at_level(logging.WARNING):
        db = open_database(db_path)
    try:
        assert "agents: active names that differ only in letter forms" in caplog.text
        assert "علي رضايي | علی رضایی" in caplog.text
        agents = _indexes(db, "agents")
        assert "UNIQUE" in agents["agents_active_name"]  # the old check stays
        assert "UNIQUE" not in agents["agents_name_key"]  # a plain index to look names up
        assert "agents_active_name_key" not in agents
        assert "UNIQUE" in _indexes(db, "teams")["teams_active_name_key"]  # no clash there
        assert db.execute("SELECT count(DISTINCT name_key) FROM agents").fetchone()[0] == 1
    finally:
        db.close()
    reopened = open_database(db_path)  # the migration is done once
    reopened.close()
