"""A snapshot start: a new installation copies a published snapshot of the team's data in
one transaction, instead of replaying every change since the team began (docs/sync.md,
"Snapshot start").

Rules:
- A snapshot is a copy of a member's database (SQLite's online backup) with what never
  leaves a machine taken out (``clean_copy``): draft evaluations with their answers,
  draft form versions, this machine's own settings and sync problems. Audit entries
  all stay, so the tamper-evidence chain copied with them checks clean; the entries of
  discarded drafts say only who discarded one and when.
- Only a *pristine* installation adopts one (``is_pristine``): nothing of its own in the
  journal and no records. Anything else merges change by change, as before.
- ``adopt`` copies every table but the local ones (settings keep their own values but
  the team-wide ones, sync state, cursors, problems), with foreign keys, roll-up
  triggers and evidence triggers off during the copy and the copy checked afterwards;
  then it sets this installation's folder cursors to where the snapshot's author had
  read every site (its own site: the last change in its journal), so the next steps
  of the sync read only what came after the snapshot. It all happens in one write
  transaction: a failure leaves the installation pristine.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qa_monitor.storage import evidence
from qa_monitor.storage.database import Database
from qa_monitor.storage.sync_apply import ABSORBED, ABSORBED_ENTITIES
from qa_monitor.storage.sync_schema import ENTITIES, TEAM_SETTINGS

# Tables that describe this installation, never the team's data.
LOCAL_TABLES = frozenset(
    {"settings", "sync_state", "sync_cursors", "sync_problems", "_sqlite_migrations"}
)
FOLDER = "folder"
# Records whose drafts never travel and carry no evidence link: removed from a copy.
_UNSEALED_DRAFTS = (
    "DELETE FROM evaluations WHERE status = 'draft'",
    "DELETE FROM form_versions WHERE status <> 'published'",
)


class SnapshotRefused(Exception):
    """The snapshot does not fit this installation; the message says why."""


def is_pristine(conn: sqlite3.Connection) -> bool:
    """Whether this installation has nothing of its own yet: a snapshot may replace it."""
    (seq,) = conn.execute("SELECT seq FROM sync_state").fetchone()
    if seq:
        return False
    for entity in ENTITIES:
        if entity.name == "setting":
            continue
        if conn.execute(f"SELECT 1 FROM {entity.table} LIMIT 1").fetchone():
            return False
    return conn.execute("SELECT 1 FROM sync_journal LIMIT 1").fetchone() is None


def clean_copy(conn: sqlite3.Connection) -> None:
    """Take out of a copy (a plain connection on it) what never leaves its machine."""
    conn.execute("PRAGMA foreign_keys = ON")  # answers and questions go with their parents
    with conn:
        conn.execute("UPDATE sync_state SET capture = 0")
        for statement in _UNSEALED_DRAFTS:
            conn.execute(statement)
        marks = ", ".join("?" * len(TEAM_SETTINGS))
        conn.execute(f"DELETE FROM settings WHERE key NOT IN ({marks})", list(TEAM_SETTINGS))
        conn.execute("DELETE FROM sync_problems")
        # Whoever adopts the copy holds these changes as received ones, which keep no
        # content of their own when it is all in their record (sync_apply, "absorbed"):
        # an evaluation or audit entry with a single change, written, not waiting.
        # Most of a sender's journal is that content.
        kinds = ", ".join(f"'{k}'" for k in sorted(ABSORBED_ENTITIES))
        conn.execute(
            f"UPDATE sync_journal SET fields = ? WHERE entity IN ({kinds}) AND NOT deleted"
            " AND fields <> ? AND uuid IN (SELECT uuid FROM sync_journal GROUP BY uuid"
            " HAVING count(*) = 1) AND uuid NOT IN (SELECT uuid FROM sync_waiting)",
            [ABSORBED, ABSORBED],
        )
    conn.execute("VACUUM")  # the copy is written once and read by every new member


def migration_names(conn: sqlite3.Connection) -> list[str]:
    """The migrations a database has, in the order they ran (a snapshot must match)."""
    return [str(r[0]) for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]


def counted_evaluations(conn: sqlite3.Connection) -> int:
    (count,) = conn.execute("SELECT count(*) FROM evaluations WHERE status <> 'draft'").fetchone()
    return int(count)


def copy_facts(conn: sqlite3.Connection, site: str) -> tuple[int, int]:
    """A cleaned copy's evaluations and its author's last change (the manifest's)."""
    (evaluations,) = conn.execute("SELECT count(*) FROM evaluations").fetchone()
    (seq,) = conn.execute(
        "SELECT coalesce(max(seq), 0) FROM sync_journal WHERE site = ?", [site]
    ).fetchone()
    return int(evaluations), int(seq)


def positions(
    conn: sqlite3.Connection, schema: str = "main", source: str = FOLDER
) -> dict[str, int]:
    """Where a database has read its team's changes through ``source``: its cursors,
    and for a folder its own site's last change too (a folder holds each site's own
    files; a server's one cursor covers everything the member read)."""
    found = {
        str(site): int(seq)
        for site, seq in conn.execute(
            f"SELECT site, seq FROM {schema}.sync_cursors WHERE source = ?", [source]
        )
    }
    if source != FOLDER:
        return found
    (own,) = conn.execute(f"SELECT site FROM {schema}.sync_state").fetchone()
    (last,) = conn.execute(
        f"SELECT coalesce(max(seq), 0) FROM {schema}.sync_journal WHERE site = ?", [own]
    ).fetchone()
    found[str(own)] = int(last)
    return found


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def _tables(conn: sqlite3.Connection, schema: str) -> list[str]:
    return [
        str(r[0])
        for r in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    ]


def adopt(db: Database, snapshot: Path, source: str = "folder") -> int:
    """Copy the (checked, same-version) snapshot database at ``snapshot`` into this
    pristine installation; returns how many evaluations it brought. The caller checked
    that the snapshot is the team's (its manifest). Raises SnapshotRefused (nothing
    changed) when it does not fit. The cursors of ``source`` ("folder" or "server")
    become the snapshot author's."""
    conn = db.conn
    if conn.in_transaction:
        raise RuntimeError("adopt runs outside a transaction (it turns foreign keys off)")
    conn.execute("ATTACH DATABASE ? AS snap", [str(snapshot)])
    try:
        _check_fits(conn)
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                count = _copy(conn, source)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.execute("PRAGMA foreign_keys = ON")
            evidence.arm(conn)
    finally:
        conn.execute("DETACH DATABASE snap")
    return count


def _check_fits(conn: sqlite3.Connection) -> None:
    mine = {str(r[0]) for r in conn.execute("SELECT name FROM main._sqlite_migrations")}
    theirs = {str(r[0]) for r in conn.execute("SELECT name FROM snap._sqlite_migrations")}
    if mine != theirs:
        raise SnapshotRefused(
            "The team's snapshot was made by another version of QA Monitor, so this "
            "installation reads the team's changes one by one instead (it takes longer)."
        )
    if not is_pristine(conn):
        raise SnapshotRefused("This installation already holds records of its own.")


def _copy(conn: sqlite3.Connection, source: str) -> int:
    if not is_pristine(conn):  # checked again under the write lock
        raise SnapshotRefused("This installation already holds records of its own.")
    evidence.disarm(conn)
    # Every trigger off for the copy and back as it was after, in this transaction: a
    # table without triggers, foreign keys off and the same columns as its source is
    # copied by SQLite page content, without decoding a row (its "transfer"
    # optimisation), several times faster than row by row.
    triggers = conn.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger'"
    ).fetchall()
    for name, _sql in triggers:
        conn.execute(f'DROP TRIGGER main."{name}"')
    conn.execute("UPDATE sync_state SET capture = 0")  # nothing copied is this site's
    theirs = set(_tables(conn, "snap"))
    for table in _tables(conn, "main"):
        if table in LOCAL_TABLES or table not in theirs:
            continue
        ours, given = _columns(conn, "main", table), _columns(conn, "snap", table)
        conn.execute(f"DELETE FROM main.{table}")
        if ours == given:
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM snap.{table}")
        else:
            names = ", ".join(c for c in ours if c in set(given))
            conn.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM snap.{table}")
    for _name, sql in triggers:
        conn.execute(sql)
    marks = ", ".join("?" * len(TEAM_SETTINGS))
    conn.execute(
        f"INSERT OR REPLACE INTO main.settings (key, value) SELECT key, value FROM snap.settings"
        f" WHERE key IN ({marks})",
        list(TEAM_SETTINGS),
    )
    for site, seq in positions(conn, "snap", source).items():
        conn.execute(
            "INSERT INTO sync_cursors (source, site, seq) VALUES (?, ?, ?)"
            " ON CONFLICT (source, site) DO UPDATE SET seq = max(seq, excluded.seq)",
            [source, site, seq],
        )
    conn.execute(
        "UPDATE sync_state SET hlc = max(hlc, (SELECT coalesce(max(hlc), 0) FROM sync_journal))"
    )
    conn.execute("UPDATE sync_state SET capture = 1")
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken is not None:
        raise SnapshotRefused(
            f"The team's snapshot is inconsistent (a row of '{broken[0]}' refers to a "
            "missing record), so it was not used; the changes are read one by one instead."
        )
    (count,) = conn.execute("SELECT count(*) FROM evaluations").fetchone()
    return int(count)
