"""Migration m015 (repeat contacts) on databases from before it: the column is filled for
the calls already stored, in one pass, the roll-ups count their repeats, and the
triggers keep both right afterwards. From m014, and from m013 (whose m014 installs the
roll-ups with today's code: it adds the column, empty, for m015 to fill)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from qa_monitor.services import Services
from qa_monitor.storage import repeat_contacts, rollup_drivers
from qa_monitor.storage.migrations import MIGRATIONS
from qa_monitor.storage.rollups import rollup_differences

# (customer, start): K-1's first is followed 3 days later, K-2's exactly 7 days later,
# K-3's two at one instant (the first stored is followed), K-4 once, one without.
CALLS = (
    ("K-1", "2026-01-05T09:00:00.000Z"),
    ("K-2", "2026-01-06T10:00:00.000Z"),
    ("K-1", "2026-01-08T09:00:00.000Z"),
    ("K-2", "2026-01-13T10:00:00.000Z"),
    ("K-3", "2026-01-14T11:00:00.000Z"),
    ("K-3", "2026-01-14T11:00:00.000Z"),
    ("K-4", "2026-01-20T12:00:00.000Z"),
    (None, "2026-01-21T12:00:00.000Z"),
)


def _before(path: Path, step: str) -> None:
    db = sqlite_utils.Database(path)
    MIGRATIONS.apply(db, stop_before=step)
    db.execute("INSERT INTO teams (name, name_key, created_at) VALUES ('Care', 'care', 'x')")
    db.execute(
        "INSERT INTO agents (name, name_key, team_id, created_at) VALUES ('Sara', 'sara', 1, 'x')"
    )
    for customer, started in CALLS:
        db.execute(
            "INSERT INTO interactions (channel, started_at, local_date, timezone, agent_id,"
            " team_id, customer_ref, created_at) VALUES ('phone', ?, ?, 'UTC', 1, 1, ?, 'x')",
            [started, started[:10], customer],
        )
    db.conn.commit()
    db.close()


@pytest.mark.parametrize("step", ["m015_repeat_contacts", "m014_outcomes"])
def test_the_upgrade_fills_the_column_and_the_rollups(tmp_path: Path, step: str) -> None:
    path = tmp_path / "qa.db"
    _before(path, step)
    assert Services.pending_upgrades(path)[0] == step
    with Services.open(path) as services:
        db = services.db
        nexts = [r[0] for r in db.execute("SELECT next_contact_at FROM interactions ORDER BY id")]
        assert nexts == [
            "2026-01-08T09:00:00.000Z",
            "2026-01-13T10:00:00.000Z",
            None,
            None,
            "2026-01-14T11:00:00.000Z",
            None,
            None,
            None,
        ]
        assert repeat_contacts.differences(db.conn) == []
        assert rollup_differences(db) == {}
        contacts, repeats = db.execute(
            f"SELECT sum(contacts), sum(repeats) FROM {rollup_drivers.OUTCOME_TABLE}"
        ).fetchone()
        assert (contacts, repeats) == (7, 3)
        triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
        assert set(repeat_contacts.TRIGGERS) <= triggers
        # And the triggers keep it afterwards: K-4 calls again 7 days later.
        db.execute(
            "INSERT INTO interactions (channel, started_at, local_date, timezone, agent_id,"
            " customer_ref, created_at) VALUES ('phone', '2026-01-27T12:00:00.000Z',"
            " '2026-01-27', 'UTC', 1, 'K-4', 'x')"
        )
        assert db.execute(
            f"SELECT sum(repeats) FROM {rollup_drivers.OUTCOME_TABLE}"
        ).fetchone() == (4,)
        assert rollup_differences(db) == {}
