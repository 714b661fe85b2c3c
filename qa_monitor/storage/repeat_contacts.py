"""Repeat contacts: each interaction's next contact by the same customer, kept by
triggers, for first-contact resolution from repeat contacts (``core.metrics.
fcr_from_contacts`` is the definition; docs/outcomes.md the rules as users read them).

Rules:
- ``interactions.next_contact_at`` is the ``started_at`` of the same customer's next
  contact in the order (started_at, id). Two contacts at the same instant are ordered
  by id, so the earlier-listed one has the other as its next (a repeat 0 s later).
  It is NULL for a contact without a customer reference and for a customer's latest
  contact.
- A contact is *repeat-followed* when its next contact is at most
  ``REPEAT_WINDOW_DAYS`` after it: the boundary counts as a repeat. Moments are the
  fixed-width UTC text of storage/values.py, so the window's end is compared as text
  (SQLite adds whole days to its millisecond clock exactly).
- The column is derived on each machine from the interactions it holds: it never
  travels (sync_schema.py lists what does), is not imported or exported, and two
  machines holding the same interactions hold the same column.
- Triggers keep it in the same transaction as every change. A new contact finds its
  own next and becomes its predecessor's next; a deleted contact's predecessor takes
  the next one along; a contact whose customer or time changes leaves its old place
  (its old predecessor is recomputed) and takes its new one. Every statement reads
  the neighbours from the index interactions_customer, never trusting a stored value.
  Each UPDATE they make fires the roll-ups' own interaction triggers, so a later
  contact that turns an earlier one into a repeat moves the earlier one's month.
- Bulk loads drop the triggers with the roll-ups' (``rollups.suspend_rollups``);
  ``refill`` recomputes the whole column in two set-based statements before the
  roll-ups are rebuilt (``rollups.rebuild_rollups``), which puts the triggers back.
"""

from __future__ import annotations

import sqlite3

from qa_monitor.core.metrics import REPEAT_WINDOW_DAYS

COLUMN = "next_contact_at"
# The contacts' own covering index: the Outcomes screen's partial months and pending
# contacts read it instead of the wide rows (m015).
INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS interactions_contacts ON interactions (local_date, team_id,"
    f" agent_id, customer_ref, started_at, {COLUMN}) WHERE customer_ref IS NOT NULL"
)
TRIGGERS = (
    "repeat_contacts_insert",
    "repeat_contacts_delete",
    "repeat_contacts_update",
)
# The moment text of storage/values.utc_text, from SQLite's clock.
_MOMENT = "%Y-%m-%dT%H:%M:%fZ"


def window_end(i: str) -> str:
    """SQL: the end of row ``i``'s repeat window (its start + ``REPEAT_WINDOW_DAYS``)."""
    return f"strftime('{_MOMENT}', {i}.started_at, '+{int(REPEAT_WINDOW_DAYS)} days')"


def is_repeat(i: str) -> str:
    """SQL, 1 or 0: row ``i`` has a next contact within the window (the column is NULL
    for a contact without a customer reference, so such a row is never one)."""
    return f"coalesce({i}.{COLUMN} <= {window_end(i)}, 0)"


def is_contact(i: str) -> str:
    """SQL, 1 or 0: row ``i`` counts as a contact (it has a customer reference)."""
    return f"({i}.customer_ref IS NOT NULL)"


def _next_of(row: str) -> str:
    """The next contact's start after ``row`` (a table name or alias in scope)."""
    return (
        "(SELECT s.started_at FROM interactions s WHERE s.customer_ref = "
        f"{row}.customer_ref AND (s.started_at, s.id) > ({row}.started_at, {row}.id)"
        " ORDER BY s.started_at, s.id LIMIT 1)"
    )


def _before(customer: str, started: str, row_id: str, skip: str | None = None) -> str:
    """The id of the contact just before (``started``, ``row_id``) of ``customer``."""
    other = f" AND s.id <> {skip}" if skip else ""
    return (
        f"(SELECT s.id FROM interactions s WHERE s.customer_ref = {customer}"
        f" AND (s.started_at, s.id) < ({started}, {row_id}){other}"
        " ORDER BY s.started_at DESC, s.id DESC LIMIT 1)"
    )


def _recompute(where_id: str) -> str:
    """Set the contact ``where_id`` names to its next contact (no write when unchanged)."""
    fresh = _next_of("interactions")
    return (
        f"UPDATE interactions SET {COLUMN} = {fresh}"
        f" WHERE id = {where_id} AND {COLUMN} IS NOT {fresh}"
    )


def _point_to(where_id: str, started: str) -> str:
    return (
        f"UPDATE interactions SET {COLUMN} = {started}"
        f" WHERE id = {where_id} AND {COLUMN} IS NOT {started}"
    )


def trigger_sql() -> list[str]:
    new_before = _before("NEW.customer_ref", "NEW.started_at", "NEW.id")
    # The contact that was just before the moved one's old place (the moved one itself
    # may now sit just before it, so it is left out: it is recomputed on its own).
    old_before = _before("OLD.customer_ref", "OLD.started_at", "OLD.id", skip="NEW.id")
    own = (
        f"UPDATE interactions SET {COLUMN} = CASE WHEN NEW.customer_ref IS NULL THEN NULL"
        f" ELSE {_next_of('interactions')} END WHERE id = NEW.id"
    )
    return [
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGERS[0]} AFTER INSERT ON interactions"
        " WHEN NEW.customer_ref IS NOT NULL\nBEGIN\n"
        f"    {_recompute('NEW.id')};\n"
        f"    {_point_to(new_before, 'NEW.started_at')};\nEND",
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGERS[1]} AFTER DELETE ON interactions"
        " WHEN OLD.customer_ref IS NOT NULL\nBEGIN\n"
        f"    {_recompute(_before('OLD.customer_ref', 'OLD.started_at', 'OLD.id'))};\nEND",
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGERS[2]} AFTER UPDATE OF customer_ref, started_at"
        " ON interactions WHEN OLD.customer_ref IS NOT NEW.customer_ref"
        " OR OLD.started_at IS NOT NEW.started_at\nBEGIN\n"
        f"    {_recompute(old_before)};\n"
        f"    {own};\n"
        f"    {_point_to(new_before, 'NEW.started_at')};\nEND",
    ]


def latest_contact(conn: sqlite3.Connection) -> str | None:
    """The start of the latest contact with a customer reference: how far the call log
    reaches (a repeat after it cannot be seen yet). Two seeks of interactions_contacts
    (the latest contact's local date is within two days of the latest local date)."""
    row = conn.execute(
        "SELECT max(started_at) FROM interactions WHERE customer_ref IS NOT NULL"
        " AND local_date >= (SELECT date(max(local_date), '-2 days') FROM interactions"
        " WHERE customer_ref IS NOT NULL)"
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def has_column(conn: sqlite3.Connection) -> bool:
    return any(r[1] == COLUMN for r in conn.execute("PRAGMA table_info(interactions)"))


def add_column(conn: sqlite3.Connection) -> None:
    """Add the column if the table has none (the roll-ups read it; a migration from
    before m015 that installs them, such as m005 on a new database, adds it here)."""
    if not has_column(conn):
        conn.execute(f"ALTER TABLE interactions ADD COLUMN {COLUMN} TEXT")


def create_triggers(conn: sqlite3.Connection) -> None:
    for sql in trigger_sql():
        conn.execute(sql)


def drop_triggers(conn: sqlite3.Connection) -> None:
    for name in TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def refill(conn: sqlite3.Connection, *, all_empty: bool = False) -> int:
    """Recompute the column for every interaction (triggers that watch it suspended by
    the caller); returns how many rows changed. One window over the index
    interactions_customer gives every contact its successor; only rows whose value
    differs are written. ``all_empty``: the column was just added (every value NULL),
    so contacts without a customer reference need no pass."""
    changed = conn.execute(
        f"UPDATE interactions SET {COLUMN} = n.next_at FROM (SELECT id, lead(started_at)"
        " OVER (PARTITION BY customer_ref ORDER BY started_at, id) AS next_at"
        " FROM interactions WHERE customer_ref IS NOT NULL) AS n"
        f" WHERE interactions.id = n.id AND interactions.{COLUMN} IS NOT n.next_at"
    ).rowcount
    if not all_empty:
        changed += conn.execute(
            f"UPDATE interactions SET {COLUMN} = NULL"
            f" WHERE customer_ref IS NULL AND {COLUMN} IS NOT NULL"
        ).rowcount
    return max(changed, 0)


def differences(conn: sqlite3.Connection, limit: int = 5) -> list[tuple[object, ...]]:
    """(id, stored, recomputed) of contacts whose column disagrees with a recomputation."""
    return [
        tuple(r)
        for r in conn.execute(
            f"SELECT i.id, i.{COLUMN}, n.next_at FROM interactions i LEFT JOIN (SELECT id,"
            " lead(started_at) OVER (PARTITION BY customer_ref ORDER BY started_at, id)"
            " AS next_at FROM interactions WHERE customer_ref IS NOT NULL) n ON n.id = i.id"
            f" WHERE i.{COLUMN} IS NOT n.next_at LIMIT {int(limit)}"
        )
    ]
