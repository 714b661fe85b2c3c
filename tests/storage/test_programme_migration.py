"""Migration m011 (the QA programme) on a database from before it: the new tables and
reviewer columns appear, every sync trigger journals the reviewer's new fields, and
the step runs inside the upgrade's transaction, so an upgrade stopped halfway leaves
the file as it was (executescript would have committed it first)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
import sqlite_utils

from qa_monitor.services import Services
from qa_monitor.storage.migrations import MIGRATIONS
from qa_monitor.storage.sync_schema import ENTITIES, trigger_names


def _before_m011(path: Path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    MIGRATIONS.apply(db, stop_before="m011_programme")
    db.execute("INSERT INTO teams (name, name_key, created_at) VALUES ('Billing', 'billing', 'x')")
    db.execute(
        "INSERT INTO reviewers (name, name_key, created_at)"
        " VALUES ('Omid Karimi', 'omid karimi', 'x')"
    )
    db.conn.commit()
    return db


def test_the_upgrade_adds_the_programme_and_journals_a_reviewers_team(tmp_path: Path) -> None:
    path = tmp_path / "qa.db"
    _before_m011(path).close()
    assert Services.pending_upgrades(path) == [
        "m011_programme",
        "m012_calibration",
        "m013_document_checks",
        "m014_outcomes",
        "m015_repeat_contacts",
    ]
    with Services.open(path) as services:
        tables = set(services.db.table_names())
        assert {"sampling_rules", "queue_items", "coaching_sessions", "coaching_actions"} <= tables
        triggers = {
            r[0] for r in services.db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
        for entity in ENTITIES:
            assert set(trigger_names(entity)) <= triggers, entity.name
        reviewer = services.people.list_reviewers()[0]
        team = services.people.list_teams()[0]
        from dataclasses import replace

        services.people.update_reviewer(replace(reviewer, team_id=team.id))
        (fields,) = services.db.execute(
            "SELECT fields FROM sync_journal WHERE entity = 'reviewer' ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        (team_uuid,) = services.db.execute("SELECT uuid FROM teams").fetchone()
        assert json.loads(fields) == {"team": team_uuid}


def test_an_upgrade_stopped_halfway_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "qa.db"
    db = _before_m011(path)
    step = next(m for m in MIGRATIONS.pending(db) if m.name == "m011_programme")
    db.execute("BEGIN IMMEDIATE")
    step.fn(db)
    # Killed here: nothing of the step reaches the file.
    db.execute("ROLLBACK")
    db.close()
    with closing(sqlite3.connect(path)) as plain:
        columns = {r[1] for r in plain.execute("PRAGMA table_info(reviewers)")}
        assert "team_id" not in columns
        with pytest.raises(sqlite3.OperationalError):
            plain.execute("SELECT 1 FROM sampling_rules")
    with Services.open(path) as services:  # and the next open upgrades it whole
        assert "team_id" in {c.name for c in services.db["reviewers"].columns}
