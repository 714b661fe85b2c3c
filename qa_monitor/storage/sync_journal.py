"""This installation's side of the journal: its site id, its outgoing changes, the
backfill of records from before sync, and the content digest ``sync verify`` compares.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from qa_monitor.core.sync_merge import Change
from qa_monitor.storage.database import Database
from qa_monitor.storage.sync_apply import change_from_row
from qa_monitor.storage.sync_schema import BACKFILLED, ENTITIES, NOW_MS, backfill_sql
from qa_monitor.storage.transactions import begin_immediate


@dataclass(frozen=True)
class ConflictRow:
    uuid: str
    entity: str
    field: str
    kept: Change
    other: Change


class SyncJournal:
    def __init__(self, db: Database):
        self.db = db

    @property
    def site(self) -> str:
        return str(self.db.execute("SELECT site FROM sync_state").fetchone()[0])

    def team(self) -> str | None:
        """The team this database syncs with (None until it joins one)."""
        row = self.db.execute("SELECT value FROM settings WHERE key = 'sync.team'").fetchone()
        return None if row is None else str(row[0])

    def join_team(self, team: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('sync.team', ?)", [team]
            )

    def last_seq(self, site: str | None = None) -> int:
        row = self.db.execute(
            "SELECT max(seq) FROM sync_journal WHERE site = ?", [site or self.site]
        ).fetchone()
        return int(row[0] or 0)

    def backfill(self) -> int:
        """Journal every travelling record that has no entry yet (one transaction).

        Once done at a schema version, it is not repeated at every sync (it reads every
        row: a second or more at 100,000 evaluations) until a bulk load ran with the
        triggers off (``suspend_sync_triggers`` forgets it) or a migration ran."""
        conn = self.db.conn
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        done = conn.execute("SELECT value FROM settings WHERE key = ?", [BACKFILLED]).fetchone()
        if done is not None and done[0] == str(version):
            return 0
        added = 0
        begin_immediate(self.db)
        try:
            # The backfill's clock starts from now, like any local change.
            conn.execute(f"UPDATE sync_state SET hlc = max(hlc, {NOW_MS} * 65536)")
            for entity in ENTITIES:
                cur = conn.execute(backfill_sql(entity))
                if cur.rowcount > 0:
                    added += cur.rowcount
                    conn.execute(
                        "UPDATE sync_state SET seq = seq + ?, hlc = hlc + ?",
                        [cur.rowcount, cur.rowcount],
                    )
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                [BACKFILLED, str(version)],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return added

    def changes(self, site: str, after_seq: int, limit: int = 5000) -> list[Change]:
        """``site``'s changes with a sequence above ``after_seq``, in order."""
        cur = self.db.execute(
            "SELECT * FROM sync_journal WHERE site = ? AND seq > ? ORDER BY seq LIMIT ?",
            [site, after_seq, limit],
        )
        names = [d[0] for d in cur.description]
        return [change_from_row(dict(zip(names, r, strict=True)), self.db) for r in cur]

    def cursor(self, source: str, site: str) -> int:
        row = self.db.execute(
            "SELECT seq FROM sync_cursors WHERE source = ? AND site = ?", [source, site]
        ).fetchone()
        return 0 if row is None else int(row[0])

    def set_cursor(self, source: str, site: str, seq: int) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO sync_cursors (source, site, seq) VALUES (?, ?, ?)"
                " ON CONFLICT (source, site) DO UPDATE SET seq = max(seq, excluded.seq)",
                [source, site, seq],
            )

    def pending_count(self, source: str) -> int:
        """Local changes not yet written to ``source``."""
        return self.last_seq() - self.cursor(source, self.site)

    def digest(self) -> str:
        """SHA-256 over every travelling record's content (by uuid, local ids left out),
        plus the listed conflicts: equal on every installation that holds the same
        changes."""
        h = hashlib.sha256()
        for entity in ENTITIES:
            h.update(f"\x00{entity.name}\x00".encode())
            for uuid, text in self.db.execute(
                f"SELECT r.uuid, {entity.object_sql('r')} FROM {entity.table} r"
                f" WHERE {entity.travels_sql('r')} ORDER BY r.uuid"
            ):
                canonical = json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False)
                h.update(f"{uuid}\x01{canonical}\n".encode())
        h.update(b"\x00conflicts\x00")
        for row in self.db.execute(
            "SELECT uuid, field, kept_site, kept_seq, other_site, other_seq"
            " FROM sync_conflicts ORDER BY 1, 2, 3, 4, 5, 6"
        ):
            h.update(("\x01".join(map(str, row)) + "\n").encode())
        return h.hexdigest()

    def counts(self) -> dict[str, int]:
        return {
            e.name: int(
                self.db.execute(
                    f"SELECT count(*) FROM {e.table} r WHERE {e.travels_sql('r')}"
                ).fetchone()[0]
            )
            for e in ENTITIES
        }

    def conflicts(self) -> list[ConflictRow]:
        out = []
        for uuid, entity, fld, ks, kq, os_, oq in self.db.execute(
            "SELECT uuid, entity, field, kept_site, kept_seq, other_site, other_seq"
            " FROM sync_conflicts WHERE resolved_at IS NULL ORDER BY uuid, field"
        ):
            kept, other = self._change(ks, kq), self._change(os_, oq)
            out.append(ConflictRow(uuid, entity, fld, kept, other))
        return out

    def conflict_count(self) -> int:
        """How many conflicts are listed and not dismissed (cheap: no journal reads)."""
        row = self.db.execute(
            "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL"
        ).fetchone()
        return int(row[0])

    def dismiss_conflict(self, row: ConflictRow, at: str) -> bool:
        """Mark ``row`` as seen at ``at`` (UTC text); False when it was not listed. Both
        changes stay in the journal, and the pair stays in the digest: dismissing is
        a note of this installation, not a change that travels."""
        with self.db.atomic():
            cur = self.db.execute(
                "UPDATE sync_conflicts SET resolved_at = ? WHERE uuid = ? AND field = ?"
                " AND kept_site = ? AND kept_seq = ? AND other_site = ? AND other_seq = ?"
                " AND resolved_at IS NULL",
                [
                    at,
                    row.uuid,
                    row.field,
                    row.kept.site,
                    row.kept.seq,
                    row.other.site,
                    row.other.seq,
                ],
            )
        return cur.rowcount > 0

    def _change(self, site: str, seq: int) -> Change:
        cur = self.db.execute("SELECT * FROM sync_journal WHERE site = ? AND seq = ?", [site, seq])
        names = [d[0] for d in cur.description]
        return change_from_row(dict(zip(names, cur.fetchone(), strict=True)), self.db)
