"""Applying changes from other installations to this database (docs/sync.md).

All of one batch is applied in one ``BEGIN IMMEDIATE`` transaction: every change is
kept in the journal (idempotent by site and sequence), then each record it touches
is re-folded from all its changes (``core/sync_merge.py``) and written to its table
through the same columns local code writes, so the dashboard roll-ups' triggers keep
them exact. Capture is off meanwhile, so nothing applied is journalled again.

A record that refers to one not here yet (its batch has not arrived) waits in
``sync_waiting`` and is retried at every apply; nothing is half-applied.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from qa_monitor.core.sync_merge import Change, Folded, conflicts, fold
from qa_monitor.storage.database import Database
from qa_monitor.storage.sync_schema import (
    BY_NAME,
    ENTITIES,
    EVALUATION_CONTENT,
    Entity,
)

_ANSWER_COLUMNS = (
    "evaluation_id, question_id, section_id, value, na, comment, timestamp_ms,"
    " earned, possible, status, failing"
)
_SECTION_COLUMNS = (
    "evaluation_id, section_id, position, category, earned, earned_before_critical,"
    " possible, weight, critical_failed"
)
_SCORE_COLUMNS = (
    "score", "score_before_critical", "passed", "band", "critical_failed",
    "auto_failed", "earned", "possible", "revision", "overall_comment",
)


# When two installations created the same thing, their creation times differ; that is
# not worth anyone's attention.
QUIET_FIELDS = frozenset({"created_at"})


class Waiting(Exception):
    """A record refers to another that has not arrived yet."""


@dataclass
class ApplyResult:
    received: int = 0  # changes new to this database
    applied: int = 0  # records written
    waiting: int = 0  # records still waiting for another
    conflicts: int = 0  # new conflicts listed
    problems: list[str] = field(default_factory=list)
    entities: set[str] = field(default_factory=set)  # kinds of record written


def change_from_row(row: dict[str, Any]) -> Change:
    return Change(
        site=row["site"],
        seq=int(row["seq"]),
        hlc=int(row["hlc"]),
        entity=row["entity"],
        uuid=row["uuid"],
        fields=json.loads(row["fields"]),
        base=int(row["base"]),
        deleted=bool(row["deleted"]),
    )


@contextmanager
def applying(db: Database) -> Iterator[None]:
    """One write transaction with capture off; rolled back whole on any error."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("UPDATE sync_state SET capture = 0")
        yield
        conn.execute("UPDATE sync_state SET capture = 1")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class SyncApplier:
    """Folds remote changes into this database's tables."""

    def __init__(self, db: Database):
        self.db = db
        self.conn = db.conn

    # -- the whole step --------------------------------------------------------------
    def apply(
        self, changes: Iterable[Change], cursor: tuple[str, str, int] | None = None
    ) -> ApplyResult:
        """Apply ``changes``; ``cursor`` (source, site, seq) is moved in the same
        transaction, so a batch is either applied and marked read, or neither."""
        result = ApplyResult()
        with applying(self.db):
            if cursor is not None:
                self.conn.execute(
                    "INSERT INTO sync_cursors (source, site, seq) VALUES (?, ?, ?)"
                    " ON CONFLICT (source, site) DO UPDATE SET seq = max(seq, excluded.seq)",
                    list(cursor),
                )
            touched: dict[str, str] = {}
            for change in sorted(changes, key=lambda c: c.order):
                if change.entity not in BY_NAME:
                    result.problems.append(
                        f"A change to a kind of record this version does not know "
                        f"('{change.entity}') was kept and will apply after an update."
                    )
                if self._store(change):
                    result.received += 1
                    touched[self.canonical(change.uuid)] = change.entity
            for uuid, entity in self.conn.execute("SELECT uuid, entity FROM sync_waiting"):
                touched.setdefault(uuid, entity)
            rank = {e.name: i for i, e in enumerate(ENTITIES)}
            ordered = sorted(
                ((u, e) for u, e in touched.items() if e in BY_NAME),
                key=lambda item: (rank[item[1]], item[0]),
            )
            # Records may wait on one another across entities (an audit entry on an
            # evaluation); passes repeat until no record moves.
            pending = ordered
            while pending:
                still: list[tuple[str, str]] = []
                for uuid, entity in pending:
                    try:
                        self._materialise(BY_NAME[entity], uuid)
                        result.applied += 1
                        result.entities.add(entity)
                        self.conn.execute("DELETE FROM sync_waiting WHERE uuid = ?", [uuid])
                    except Waiting:
                        still.append((uuid, entity))
                if len(still) == len(pending):
                    break
                pending = still
            for uuid, entity in pending:
                self.conn.execute(
                    "INSERT OR IGNORE INTO sync_waiting (uuid, entity) VALUES (?, ?)",
                    [uuid, entity],
                )
            result.waiting = len(pending)
            for uuid, entity in ordered:
                result.conflicts += self._record_conflicts(entity, uuid)
        return result

    def _store(self, change: Change) -> bool:
        """Keep the change in the journal; False if it was already there."""
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO sync_journal"
            " (site, seq, hlc, entity, uuid, base, deleted, fields)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                change.site,
                change.seq,
                change.hlc,
                change.entity,
                change.uuid,
                change.base,
                int(change.deleted),
                json.dumps(change.fields, ensure_ascii=False, separators=(",", ":")),
            ],
        )
        if cur.rowcount:
            # The clock moves past every timestamp seen (hybrid logical clock).
            self.conn.execute("UPDATE sync_state SET hlc = max(hlc, ?)", [change.hlc])
        return cur.rowcount > 0

    # -- identities ------------------------------------------------------------------
    def canonical(self, uuid: str) -> str:
        row = self.conn.execute("SELECT uuid FROM sync_aliases WHERE alias = ?", [uuid]).fetchone()
        return uuid if row is None else str(row[0])

    def _uuids(self, uuid: str) -> list[str]:
        aliases = [r[0] for r in self.conn.execute(
            "SELECT alias FROM sync_aliases WHERE uuid = ?", [uuid]
        )]
        return [uuid, *aliases]

    def changes_of(self, uuid: str) -> list[Change]:
        uuids = self._uuids(uuid)
        marks = ", ".join("?" * len(uuids))
        cur = self.conn.execute(
            f"SELECT * FROM sync_journal WHERE uuid IN ({marks})", uuids
        )
        names = [d[0] for d in cur.description]
        return [change_from_row(dict(zip(names, r, strict=True))) for r in cur]

    def local_id(self, table: str, uuid: str | None, key: str = "id") -> Any:
        if uuid is None:
            return None
        row = self.conn.execute(
            f"SELECT {key} FROM {table} WHERE uuid = ?", [self.canonical(uuid)]
        ).fetchone()
        if row is None:
            raise Waiting(uuid)
        return row[0]

    # -- writing one record -------------------------------------------------------------
    def _materialise(self, entity: Entity, uuid: str) -> None:
        folded = fold(uuid, self.changes_of(uuid))
        table = entity.table
        row = self.conn.execute(f"SELECT rowid FROM {table} WHERE uuid = ?", [uuid]).fetchone()
        if folded.deleted:
            if row is not None:
                self.conn.execute(f"DELETE FROM {table} WHERE uuid = ?", [uuid])
            return
        if not folded.fields:
            return
        if row is None and any(f.name not in folded.fields for f in entity.fields):
            # Only later changes are here; the record's creation has not arrived yet.
            raise Waiting(uuid)
        if row is None and entity.natural_key:
            match = self._natural_match(entity, folded)
            if match is not None and match != uuid:
                keep, alias = sorted((uuid, match))
                self.conn.execute(
                    "INSERT OR REPLACE INTO sync_aliases (alias, uuid) VALUES (?, ?)", [alias, keep]
                )
                self.conn.execute(
                    "UPDATE sync_aliases SET uuid = ? WHERE uuid = ?", [keep, alias]
                )
                if keep != match:
                    self.conn.execute(f"UPDATE {table} SET uuid = ? WHERE uuid = ?", [keep, match])
                self._materialise(entity, keep)
                return
        if entity.name == "evaluation":
            self._write_evaluation(folded, row is None)
        elif entity.name == "form_version":
            self._write_form_version(folded, row is None)
        else:
            self._write_plain(entity, folded, row is None)

    def _natural_match(self, entity: Entity, folded: Folded) -> str | None:
        for column in entity.natural_key:
            value = folded.fields.get(column)
            if value is None:
                continue
            collate = " COLLATE NOCASE" if column == "name" else ""
            active = " AND active = 1" if column == "name" else ""
            row = self.conn.execute(
                f"SELECT uuid FROM {entity.table} WHERE {column}{collate} = ?{active}", [value]
            ).fetchone()
            if row is not None:
                return str(row[0])
        return None

    def _columns(self, entity: Entity, values: dict[str, Any]) -> dict[str, Any]:
        columns: dict[str, Any] = {}
        for f in entity.fields:
            if f.column is None or f.name not in values:
                continue
            value = values[f.name]
            if f.ref is not None:
                value = self.local_id(f.ref, value, f.ref_key)
            columns[f.column] = value
        return columns

    def _write_plain(self, entity: Entity, folded: Folded, new: bool) -> None:
        columns = self._columns(entity, folded.fields)
        if new:
            columns["uuid"] = folded.uuid
            names = ", ".join(columns)
            marks = ", ".join("?" * len(columns))
            self.conn.execute(
                f"INSERT INTO {entity.table} ({names}) VALUES ({marks})", list(columns.values())
            )
            return
        current = self._current(entity, folded.uuid)
        changed = {
            f.column: v
            for f in entity.fields
            if f.column is not None and f.name in folded.fields
            and current.get(f.name) != folded.fields[f.name]
            for v in [columns[f.column]]
        }
        if changed:
            sets = ", ".join(f"{c} = ?" for c in changed)
            self.conn.execute(
                f"UPDATE {entity.table} SET {sets} WHERE uuid = ?", [*changed.values(), folded.uuid]
            )

    def _current(self, entity: Entity, uuid: str) -> dict[str, Any]:
        (text,) = self.conn.execute(
            f"SELECT {entity.object_sql('r')} FROM {entity.table} r WHERE r.uuid = ?", [uuid]
        ).fetchone()
        return dict(json.loads(text))

    def _write_form_version(self, folded: Folded, new: bool) -> None:
        from qa_monitor.storage.form_repo import FormRepo

        entity = BY_NAME["form_version"]
        if not new:
            current = self._current(entity, folded.uuid)
            if any(current.get(k) != v for k, v in folded.fields.items()):
                raise ValueError(
                    f"Version {folded.fields.get('version')} of form "
                    f"'{folded.fields.get('form_id')}' arrived with different content under "
                    "the same identity; published versions never change, so it was refused."
                )
            return
        if not self.conn.execute(
            "SELECT 1 FROM forms WHERE id = ?", [folded.fields["form_id"]]
        ).fetchone():
            raise Waiting(folded.uuid)  # the form's own record comes in the same batch
        columns = self._columns(entity, folded.fields)
        columns["status"] = "draft"
        columns["uuid"] = folded.uuid
        names = ", ".join(columns)
        cur = self.conn.execute(
            f"INSERT INTO form_versions ({names}) VALUES ({', '.join('?' * len(columns))})",
            list(columns.values()),
        )
        version_id = int(cur.lastrowid or 0)
        repo = FormRepo(self.db)
        repo.write_questions(version_id, repo.definition_of(version_id))
        self.conn.execute(
            "UPDATE form_versions SET status = 'published' WHERE id = ?", [version_id]
        )

    def _write_evaluation(self, folded: Folded, new: bool) -> None:
        entity = BY_NAME["evaluation"]
        values = folded.fields
        if new:
            columns = self._columns(entity, values)
            interaction = self.conn.execute(
                "SELECT agent_id, team_id, channel, local_date FROM interactions WHERE id = ?",
                [columns["interaction_id"]],
            ).fetchone()
            status = columns.pop("status")
            submitted_at = columns.pop("submitted_at", None)
            columns.update(
                agent_id=interaction[0],
                team_id=interaction[1],
                channel=interaction[2],
                interaction_date=interaction[3],
                status="draft",
                updated_at=columns["created_at"],
                uuid=folded.uuid,
            )
            names = ", ".join(columns)
            cur = self.conn.execute(
                f"INSERT INTO evaluations ({names}) VALUES ({', '.join('?' * len(columns))})",
                list(columns.values()),
            )
            evaluation_id = int(cur.lastrowid or 0)
            self._write_content(evaluation_id, values.get("content") or {})
            self.conn.execute(
                "UPDATE evaluations SET status = ?, submitted_at = ? WHERE id = ?",
                [status, submitted_at, evaluation_id],
            )
            return
        (evaluation_id,) = self.conn.execute(
            "SELECT id FROM evaluations WHERE uuid = ?", [folded.uuid]
        ).fetchone()
        current = self._current(entity, folded.uuid)
        if "content" in values and current.get("content") != values["content"]:
            self._write_content(evaluation_id, values["content"])
        for name in ("status", "submitted_at", "kind"):
            if name in values and current.get(name) != values[name]:
                self.conn.execute(
                    f"UPDATE evaluations SET {name} = ? WHERE id = ?", [values[name], evaluation_id]
                )

    def _write_content(self, evaluation_id: int, content: dict[str, Any]) -> None:
        conn = self.conn
        conn.execute("DELETE FROM answers WHERE evaluation_id = ?", [evaluation_id])
        conn.execute("DELETE FROM section_scores WHERE evaluation_id = ?", [evaluation_id])
        conn.executemany(
            f"INSERT INTO answers ({_ANSWER_COLUMNS}) VALUES ({', '.join('?' * 11)})",
            [(evaluation_id, *a) for a in content.get("answers", [])],
        )
        conn.executemany(
            f"INSERT INTO section_scores ({_SECTION_COLUMNS}) VALUES ({', '.join('?' * 9)})",
            [(evaluation_id, *s) for s in content.get("sections", [])],
        )
        sets = ", ".join(f"{c} = ?" for c in _SCORE_COLUMNS)
        conn.execute(
            f"UPDATE evaluations SET {sets} WHERE id = ?",
            [content.get(c) for c in _SCORE_COLUMNS] + [evaluation_id],
        )

    # -- conflicts ----------------------------------------------------------------------
    def _record_conflicts(self, entity: str, uuid: str) -> int:
        added = 0
        uuid = self.canonical(uuid)
        for c in conflicts(uuid, self.changes_of(uuid), quiet=QUIET_FIELDS):
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO sync_conflicts (uuid, entity, field, kept_site, kept_seq,"
                " other_site, other_seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [uuid, entity, c.field, c.kept.site, c.kept.seq, c.other.site, c.other.seq],
            )
            added += cur.rowcount
        return added


# Kept here so the content expression and the writer above change together.
__all__ = ["EVALUATION_CONTENT", "ApplyResult", "SyncApplier", "Waiting", "change_from_row"]
