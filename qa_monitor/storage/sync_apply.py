"""Applying changes from other installations to this database (docs/sync.md).

All of one batch is applied in one ``BEGIN IMMEDIATE`` transaction: every change is
kept in the journal (idempotent by site and sequence), then each record it touches
is re-folded from all its changes (``core/sync_merge.py``) and written to its table
through the same columns local code writes, so the dashboard roll-ups' triggers keep
them exact. Capture is off meanwhile, so nothing applied is journalled again.

A record that refers to one not here yet (its batch has not arrived) waits in
``sync_waiting`` and is retried at every apply; nothing is half-applied.

A received evaluation or audit entry that arrives whole, in one change, is kept in the
journal without its fields ("absorbed"): its row holds exactly that content, so the
journal does not store every evaluation twice (a first sync of 100,000 evaluations
wrote 650 MB of journal text). When a later change of the record arrives, the
absorbed change is read back from the row (``rehydrate``). That is exact for merging:
a field a later change also set is won by the later change, and every other field of
the row still holds the absorbed change's value. Such a change is never half of a
conflict: a record's creation is seen by every later change of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from qa_monitor.core.sync_merge import Change, Folded, conflicts, fold
from qa_monitor.core.text_keys import name_key
from qa_monitor.storage import evidence
from qa_monitor.storage.database import Database
from qa_monitor.storage.sync_schema import (
    BY_NAME,
    ENTITIES,
    EVALUATION_CONTENT,
    Entity,
)
from qa_monitor.storage.transactions import begin_immediate

_ANSWER_COLUMNS = (
    "evaluation_id, question_id, section_id, value, na, comment, timestamp_ms,"
    " earned, possible, status, failing"
)
_SECTION_COLUMNS = (
    "evaluation_id, section_id, position, category, earned, earned_before_critical,"
    " possible, weight, critical_failed"
)
_ANSWER_NAMES = tuple(c.strip() for c in _ANSWER_COLUMNS.split(","))
_SECTION_NAMES = tuple(c.strip() for c in _SECTION_COLUMNS.split(","))
_SCORE_COLUMNS = (
    "score",
    "score_before_critical",
    "passed",
    "band",
    "critical_failed",
    "auto_failed",
    "earned",
    "possible",
    "revision",
    "overall_comment",
)


APPLY_CACHE_KIB = 128 * 1024
# Tables whose names are matched by key (storage/migrations.py, m007).
_KEYED_TABLES = frozenset({"teams", "agents", "reviewers"})

# When two installations created the same thing, their creation times differ; that is
# not worth anyone's attention.
QUIET_FIELDS = frozenset({"created_at"})


class Waiting(Exception):
    """A record refers to another that has not arrived yet."""


class Refused(Exception):
    """A record that can never be applied; the message says why, in a sentence."""


# Temporary version numbers while a form's versions are renumbered.
_RENUMBER_OFFSET = 1_000_000


@dataclass
class ApplyResult:
    received: int = 0  # changes new to this database
    applied: int = 0  # records written
    waiting: int = 0  # records still waiting for another
    conflicts: int = 0  # new conflicts listed
    problems: list[str] = field(default_factory=list)
    entities: set[str] = field(default_factory=set)  # kinds of record written


def fields_text(change: Change) -> str:
    """The change's fields as stored: the text it arrived in when there is one."""
    if change.fields_json is not None:
        return change.fields_json
    return json.dumps(change.fields, ensure_ascii=False, separators=(",", ":"))


# Entities whose creations are absorbed: records that are never matched to another
# record by name (no aliases), so their first change is always their own creation.
ABSORBED_ENTITIES = frozenset({"evaluation", "audit"})
# What an absorbed change keeps in the journal's fields column.
ABSORBED = ""


def change_from_row(row: dict[str, Any], db: Database | None = None) -> Change:
    """A journal row as a change; an absorbed one's fields are read from its record's
    row in ``db`` (empty when the record is gone)."""
    text: str | None = row["fields"]
    if text == ABSORBED:
        if db is None:
            raise ValueError("an absorbed change is read back through its database")
        fields, text = _record_fields(db, row["entity"], row["uuid"]), None
    else:
        fields = json.loads(str(text))
    return Change(
        site=row["site"],
        seq=int(row["seq"]),
        hlc=int(row["hlc"]),
        entity=row["entity"],
        uuid=row["uuid"],
        fields=fields,
        base=int(row["base"]),
        deleted=bool(row["deleted"]),
        fields_json=text,
    )


def _record_fields(db: Database, entity_name: str, uuid: str) -> dict[str, Any]:
    entity = BY_NAME[entity_name]
    found = db.conn.execute(
        f"SELECT {entity.object_sql('r')} FROM {entity.table} r WHERE r.uuid = ?", [uuid]
    ).fetchone()
    return {} if found is None else dict(json.loads(found[0]))


@contextmanager
def applying(db: Database) -> Iterator[None]:
    """One write transaction with capture off; rolled back whole on any error."""
    conn = db.conn
    (cache,) = conn.execute("PRAGMA cache_size").fetchone()
    # A batch touches the journal, its index and several tables at once; SQLite's
    # default 2 MB page cache made every lookup a read (80 µs a statement).
    conn.execute(f"PRAGMA cache_size = {-APPLY_CACHE_KIB}")
    begin_immediate(db)
    try:
        conn.execute("UPDATE sync_state SET capture = 0")
        yield
        conn.execute("UPDATE sync_state SET capture = 1")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


# Every field of each kind of record: a record is created only once all are known.
_NAMES = {e.name: frozenset(f.name for f in e.fields) for e in ENTITIES}
_VOLUME_ENTITIES = frozenset({"evaluation", "interaction", "audit"})
# From this many new evaluations in one batch, they are added to the roll-ups by set.
_ROLLUPS_BY_SET_FROM = 20


def worth_bulk(db: Database, changes: list[Change]) -> bool:
    """Whether applying ``changes`` is cheaper with the roll-up triggers off and one
    rebuild at the end: when they bring more calls and evaluations than the database
    holds (a first sync, whose first batches are all calls), not for the daily
    trickle."""
    incoming = sum(1 for c in changes if c.entity in _VOLUME_ENTITIES)
    if incoming < 500:
        return False
    (local,) = db.execute(
        "SELECT (SELECT count(*) FROM evaluations) + (SELECT count(*) FROM interactions)"
    ).fetchone()
    return int(local) < incoming * 4


def begin_bulk(db: Database) -> None:
    """Turn the roll-up triggers off and mark the roll-ups stale, in one transaction."""
    from qa_monitor.storage.rollups import suspend_rollups

    with db.atomic():
        db.conn.execute("UPDATE sync_state SET rollups_stale = 1")
        suspend_rollups(db.conn)


def end_bulk(db: Database) -> None:
    """Recompute the roll-ups from the rows, put the triggers back, clear the mark."""
    from qa_monitor.storage.rollups import rebuild_rollups

    begin_immediate(db)
    try:
        rebuild_rollups(db.conn)
        db.conn.execute("UPDATE sync_state SET rollups_stale = 0")
        db.conn.execute("COMMIT")
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise


def rollups_stale(db: Database) -> bool:
    row = db.execute("SELECT rollups_stale FROM sync_state").fetchone()
    return bool(row and row[0])


class SyncApplier:
    """Folds remote changes into this database's tables."""

    def __init__(self, db: Database):
        self.db = db
        self.conn = db.conn

    # -- the whole step --------------------------------------------------------------
    def apply(
        self,
        changes: Iterable[Change],
        cursor: tuple[str, str, int] | None = None,
        *,
        bulk: bool = False,
    ) -> ApplyResult:
        """Apply ``changes``; ``cursor`` (source, site, seq) is moved in the same
        transaction, so a batch is either applied and marked read, or neither.

        ``bulk``: the caller has suspended the roll-up triggers (a first sync) and
        rebuilds the roll-ups afterwards, so evaluations are written in one insert
        each instead of the draft → answers → status steps the triggers need."""
        result = ApplyResult()
        self._bulk = bulk
        self._ids: dict[tuple[str, str], Any] = {}
        self._answer_rows: list[tuple[Any, ...]] = []
        self._section_rows: list[tuple[Any, ...]] = []
        self._queued: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = {}
        self._next_ids: dict[str, int] = {}
        self._copies: dict[int, dict[str, Any]] = {}
        self._queued_keys: set[tuple[str, Any]] = set()
        with applying(self.db):
            if cursor is not None:
                self.conn.execute(
                    "INSERT INTO sync_cursors (source, site, seq) VALUES (?, ?, ?)"
                    " ON CONFLICT (source, site) DO UPDATE SET seq = max(seq, excluded.seq)",
                    list(cursor),
                )
            new = self._fresh(list(changes))
            result.received = len(new)
            self._batch: dict[str, list[Change]] = {}
            touched: dict[str, str] = {}
            for change in new:
                if change.entity not in BY_NAME:
                    result.problems.append(
                        f"A change to a kind of record this version does not know "
                        f"('{change.entity}') was kept and will apply after an update."
                    )
                    continue
                self._batch.setdefault(change.uuid, []).append(change)
                touched[change.uuid] = change.entity
            self._known = self._uuids_with_history(list(touched))
            # Many new evaluations at once (a day's work from a colleague): written in
            # batches with the roll-up triggers suspended, and added to the roll-ups by
            # set (_flush_children); a few are written the way a local submit is.
            arriving = sum(
                1 for u, e in touched.items() if e == "evaluation" and u not in self._known
            )
            self._queue_new = bulk or arriving >= _ROLLUPS_BY_SET_FROM
            self._absorbed = self._absorbable(new)
            self._store(new)
            self._written: set[str] = set()
            for uuid, entity in self.conn.execute("SELECT uuid, entity FROM sync_waiting"):
                touched.setdefault(uuid, entity)
                self._known.add(uuid)
            canonical: dict[str, str] = {}
            for uuid, entity in touched.items():
                target = self.canonical(uuid) if uuid in self._known else uuid
                if target != uuid:
                    self._known.add(target)  # its history is under both uuids
                canonical.setdefault(target, entity)
            rank = {e.name: i for i, e in enumerate(ENTITIES)}

            def position(item: tuple[str, str]) -> tuple[int, tuple[int, str, int], str]:
                # Audit entries in the order they were written (their local ids then
                # follow it, and an evaluation's history reads the same on every site);
                # other records by uuid.
                uuid, entity = item
                first = self._batch.get(uuid)
                if entity == "audit" and first:
                    return (rank[entity], first[0].order, uuid)
                return (rank[entity], (0, "", 0), uuid)

            ordered = sorted(canonical.items(), key=position)
            # Records may wait on one another across entities (an audit entry on an
            # evaluation); passes repeat until no record moves.
            pending = ordered
            while pending:
                still: list[tuple[str, str]] = []
                for uuid, entity in pending:
                    try:
                        self._materialise(BY_NAME[entity], uuid)
                        self._written.add(uuid)
                        result.applied += 1
                        result.entities.add(entity)
                    except Waiting:
                        still.append((uuid, entity))
                    except Refused as exc:
                        result.problems.append(str(exc))
                self._flush_children()
                if len(still) == len(pending):
                    break
                pending = still
            self.conn.execute("DELETE FROM sync_waiting")
            self.conn.executemany(
                "INSERT OR IGNORE INTO sync_waiting (uuid, entity) VALUES (?, ?)", pending
            )
            result.waiting = len(pending)
            self._keep_unwritten()
            for uuid, entity in ordered:
                if self._may_conflict(uuid):
                    result.conflicts += self._record_conflicts(entity, uuid)
        return result

    def _fresh(self, changes: list[Change]) -> list[Change]:
        """The changes not in the journal yet (idempotent by site and sequence), in
        order."""
        fresh: dict[tuple[str, int], Change] = {c.key: c for c in changes}
        by_site: dict[str, list[int]] = {}
        for site, seq in fresh:
            by_site.setdefault(site, []).append(seq)
        for site, seqs in by_site.items():
            for (seq,) in self.conn.execute(
                "SELECT seq FROM sync_journal WHERE site = ? AND seq BETWEEN ? AND ?",
                [site, min(seqs), max(seqs)],
            ):
                fresh.pop((site, seq), None)
        return sorted(fresh.values(), key=lambda c: c.order)

    def _absorbable(self, new: list[Change]) -> dict[tuple[str, int], Change]:
        """The changes that create a record whole: another site's evaluation or audit
        entry whose uuid has no other change here or in this batch."""
        mine = self.conn.execute("SELECT site FROM sync_state").fetchone()[0]
        return {
            c.key: c
            for c in new
            if c.entity in ABSORBED_ENTITIES
            and c.site != mine
            and not c.deleted
            and c.uuid not in self._known
            and len(self._batch.get(c.uuid, ())) == 1
        }

    def _store(self, new: list[Change]) -> None:
        """Keep ``new`` in the journal, absorbed ones without their fields."""
        absorbed = self._absorbed
        self.conn.executemany(
            "INSERT INTO sync_journal (site, seq, hlc, entity, uuid, base, deleted, fields)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.site,
                    c.seq,
                    c.hlc,
                    c.entity,
                    c.uuid,
                    c.base,
                    int(c.deleted),
                    ABSORBED if c.key in absorbed else fields_text(c),
                )
                for c in new
            ],
        )
        if new:
            # The clock moves past every timestamp seen (hybrid logical clock).
            self.conn.execute("UPDATE sync_state SET hlc = max(hlc, ?)", [max(c.hlc for c in new)])

    def _keep_unwritten(self) -> None:
        """An absorbed change whose record was not written (it waits for another)
        keeps its fields in the journal after all."""
        lost = [c for c in self._absorbed.values() if c.uuid not in self._written]
        self.conn.executemany(
            "UPDATE sync_journal SET fields = ? WHERE site = ? AND seq = ?",
            [(fields_text(c), c.site, c.seq) for c in lost],
        )

    def _uuids_with_history(self, uuids: list[str]) -> set[str]:
        """Which of ``uuids`` had changes (or aliases) here before this batch."""
        found: set[str] = set()
        batch_keys = {c.key for cs in self._batch.values() for c in cs}
        for i in range(0, len(uuids), 500):
            chunk = uuids[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            for uuid, site, seq in self.conn.execute(
                f"SELECT uuid, site, seq FROM sync_journal WHERE uuid IN ({marks})", chunk
            ):
                if (site, seq) not in batch_keys:
                    found.add(uuid)
            for (uuid,) in self.conn.execute(
                f"SELECT alias FROM sync_aliases WHERE alias IN ({marks})"
                f" UNION SELECT uuid FROM sync_aliases WHERE uuid IN ({marks})",
                chunk + chunk,
            ):
                found.add(uuid)
        return found

    def _may_conflict(self, uuid: str) -> bool:
        if uuid in self._known:
            return True
        return len({c.site for c in self._batch.get(uuid, [])}) > 1

    # -- identities ------------------------------------------------------------------
    def canonical(self, uuid: str) -> str:
        row = self.conn.execute("SELECT uuid FROM sync_aliases WHERE alias = ?", [uuid]).fetchone()
        return uuid if row is None else str(row[0])

    def _uuids(self, uuid: str) -> list[str]:
        aliases = [
            r[0] for r in self.conn.execute("SELECT alias FROM sync_aliases WHERE uuid = ?", [uuid])
        ]
        return [uuid, *aliases]

    def changes_of(self, uuid: str) -> list[Change]:
        if uuid not in self._known:
            return list(self._batch.get(uuid, []))
        uuids = self._uuids(uuid)
        marks = ", ".join("?" * len(uuids))
        cur = self.conn.execute(f"SELECT * FROM sync_journal WHERE uuid IN ({marks})", uuids)
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur]
        return [change_from_row(row, self.db) for row in rows]

    def local_id(self, table: str, uuid: str | None, key: str = "id") -> Any:
        if uuid is None:
            return None
        cached = self._ids.get((table, uuid))
        if cached is not None:
            return cached
        row = self.conn.execute(
            f"SELECT {key} FROM {table} WHERE uuid = ?", [self.canonical(uuid)]
        ).fetchone()
        if row is None:
            raise Waiting(uuid)
        self._ids[(table, uuid)] = row[0]
        return row[0]

    # -- writing one record -------------------------------------------------------------
    def _materialise(self, entity: Entity, uuid: str) -> None:
        folded = fold(uuid, self.changes_of(uuid))
        table = entity.table
        # A uuid never seen here before has no row here (everything local is journalled).
        row = (
            self.conn.execute(f"SELECT uuid FROM {table} WHERE uuid = ?", [uuid]).fetchone()
            if uuid in self._known
            else None
        )
        if folded.deleted:
            if row is not None:
                self.conn.execute(f"DELETE FROM {table} WHERE uuid = ?", [uuid])
            return
        if not folded.fields:
            return
        if row is None and not _NAMES[entity.name] <= folded.fields.keys():
            # Only later changes are here; the record's creation has not arrived yet.
            raise Waiting(uuid)
        if row is None and entity.natural_key:
            match = self._natural_match(entity, folded)
            if match == uuid:
                # Written here without journalling (a setting's first-use default).
                row = (uuid,)
            elif match is not None:
                keep, alias = sorted((uuid, match))
                self.conn.execute(
                    "INSERT OR REPLACE INTO sync_aliases (alias, uuid) VALUES (?, ?)", [alias, keep]
                )
                self.conn.execute("UPDATE sync_aliases SET uuid = ? WHERE uuid = ?", [keep, alias])
                if keep != match:
                    self.conn.execute(f"UPDATE {table} SET uuid = ? WHERE uuid = ?", [keep, match])
                self._known.update((keep, alias))
                self._batch.setdefault(keep, []).extend(self._batch.pop(alias, []))
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
            if (entity.table, value) in self._queued_keys:
                self._flush_children()  # the match is queued, not written yet
            if column == "name":
                # The same person typed on another keyboard is the same person.
                row = self.conn.execute(
                    f"SELECT uuid FROM {entity.table} WHERE name_key = ? AND active = 1",
                    [name_key(str(value))],
                ).fetchone()
            else:
                row = self.conn.execute(
                    f"SELECT uuid FROM {entity.table} WHERE {column} = ?", [value]
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
        if entity.table in _KEYED_TABLES and "name" in columns:
            columns["name_key"] = name_key(str(columns["name"]))
        return columns

    def _write_plain(self, entity: Entity, folded: Folded, new: bool) -> None:
        columns = self._columns(entity, folded.fields)
        if new:
            columns["uuid"] = folded.uuid
            if self._bulk and entity.name == "interaction":
                # Calls are most of a first sync's records: batched like evaluations;
                # their external ids are remembered for the name match above.
                row_id = self._queue_row(entity.table, columns, folded.uuid)
                if columns.get("external_id") is not None:
                    self._queued_keys.add((entity.table, columns["external_id"]))
            elif self._queue_new and entity.name == "audit":
                # Audit entries: queued behind the evaluations they refer to.
                self._queue_row(entity.table, columns, folded.uuid)
                return
            else:
                row_id = self._insert(entity.table, columns)
                self._ids[(entity.table, folded.uuid)] = row_id
            if entity.name == "interaction":
                self._copies[row_id] = {
                    "agent_id": columns["agent_id"],
                    "team_id": columns["team_id"],
                    "channel": columns["channel"],
                    "interaction_date": columns["local_date"],
                }
            return
        current = self._current(entity, folded.uuid)
        changed = {
            f.column: v
            for f in entity.fields
            if f.column is not None
            and f.name in folded.fields
            and current.get(f.name) != folded.fields[f.name]
            for v in [columns[f.column]]
        }
        if "name" in changed and "name_key" in columns:
            changed["name_key"] = columns["name_key"]
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
            # The number is derived (see _renumber_versions); everything else is fixed.
            if any(current.get(k) != v for k, v in folded.fields.items() if k != "version"):
                raise Refused(
                    f"Version {folded.fields.get('version')} of form "
                    f"'{folded.fields.get('form_id')}' arrived with different content under "
                    "the identity of a version already here. Published versions never change, "
                    "so the arriving copy was refused; the one here is kept. Tell whoever "
                    "manages the team's forms."
                )
            return
        form_id = folded.fields["form_id"]
        if not self.conn.execute("SELECT 1 FROM forms WHERE id = ?", [form_id]).fetchone():
            raise Waiting(folded.uuid)  # the form's own record comes in the same batch
        columns = self._columns(entity, folded.fields)
        columns.update(status="draft", uuid=folded.uuid, version=self._spare_number(form_id))
        version_id = self._insert("form_versions", columns)
        repo = FormRepo(self.db)
        repo.write_questions(version_id, repo.definition_of(version_id))
        self.conn.execute(
            "UPDATE form_versions SET status = 'published' WHERE id = ?", [version_id]
        )
        self._renumber_versions(form_id)

    def _spare_number(self, form_id: str) -> int:
        (top,) = self.conn.execute(
            "SELECT coalesce(max(version), 0) FROM form_versions WHERE form_id = ?", [form_id]
        ).fetchone()
        return int(top) + _RENUMBER_OFFSET

    def _renumber_versions(self, form_id: str) -> None:
        """Number a form's published versions 1, 2, 3... in the order they were
        published (their first change's clock, then uuid), and its draft after them.

        Two supervisors who each publish "version 3" offline both keep their version;
        every site numbers them 3 and 4 the same way, whoever synced first. Evaluations
        refer to versions by identity, never by number, so nothing else moves."""
        rows = self.conn.execute(
            "SELECT v.id, v.version, v.status, v.uuid,"
            " (SELECT min(j.hlc) FROM sync_journal j WHERE j.uuid = v.uuid)"
            " FROM form_versions v WHERE v.form_id = ?",
            [form_id],
        ).fetchall()
        published = sorted(
            (r for r in rows if r[2] == "published"), key=lambda r: (r[4] or 0, r[3])
        )
        drafts = [r for r in rows if r[2] != "published"]
        wanted = {r[0]: i for i, r in enumerate([*published, *drafts], start=1)}
        moving = [(id_, n) for id_, version, *_ in rows if (n := wanted[id_]) != version]
        if not moving:
            return
        # Two steps, so that no two versions share a number in between.
        self.conn.executemany(
            "UPDATE form_versions SET version = ? WHERE id = ?",
            [(n + 2 * _RENUMBER_OFFSET, id_) for id_, n in moving],
        )
        self.conn.executemany(
            "UPDATE form_versions SET version = ? WHERE id = ?", [(n, id_) for id_, n in moving]
        )

    def _write_evaluation(self, folded: Folded, new: bool) -> None:
        entity = BY_NAME["evaluation"]
        values = folded.fields
        if new:
            columns = self._columns(entity, values)
            interaction = self._interaction_copies(columns["interaction_id"])
            content = values.get("content") or {}
            status = columns.pop("status")
            submitted_at = columns.pop("submitted_at", None)
            columns.update(interaction)
            columns.update(updated_at=columns["created_at"], uuid=folded.uuid)
            if self._queue_new:
                # No roll-up triggers to feed: the whole row at once, all rows batched.
                columns.update(status=status, submitted_at=submitted_at)
                columns.update({c: content.get(c) for c in _SCORE_COLUMNS})
                evaluation_id = self._queue_row("evaluations", columns, folded.uuid)
                self._queue_children(evaluation_id, content)
                return
            # The same steps as a local submit, so the roll-up triggers count it once:
            # a draft with its scores and answers, then its status in one update.
            columns["status"] = "draft"
            columns.update({c: content.get(c) for c in _SCORE_COLUMNS})
            evaluation_id = self._insert("evaluations", columns)
            self._queue_children(evaluation_id, content)
            self._flush_children()
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

    def _interaction_copies(self, interaction_id: int) -> dict[str, Any]:
        """The interaction's agent, team, channel and date, which evaluations copy."""
        if interaction_id in self._copies:
            return self._copies[interaction_id]
        row = self.conn.execute(
            "SELECT agent_id, team_id, channel, local_date FROM interactions WHERE id = ?",
            [interaction_id],
        ).fetchone()
        return {
            "agent_id": row[0],
            "team_id": row[1],
            "channel": row[2],
            "interaction_date": row[3],
        }

    def _insert(self, table: str, columns: dict[str, Any]) -> int:
        names = ", ".join(columns)
        cur = self.conn.execute(
            f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})",
            list(columns.values()),
        )
        return int(cur.lastrowid or 0)

    def _queue_row(self, table: str, columns: dict[str, Any], uuid: str) -> int:
        """Queue a new row for one executemany (bulk mode); its id is given here, so
        records that refer to it resolve without a query."""
        if table not in self._next_ids:
            (top,) = self.conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
            self._next_ids[table] = int(top) + 1
        row_id = self._next_ids[table]
        self._next_ids[table] += 1
        columns = {"id": row_id, **columns}
        self._queued.setdefault((table, tuple(columns)), []).append(tuple(columns.values()))
        self._ids[(table, uuid)] = row_id
        return row_id

    def _queue_children(self, evaluation_id: int, content: dict[str, Any]) -> None:
        self._answer_rows.extend((evaluation_id, *a) for a in content.get("answers", []))
        self._section_rows.extend((evaluation_id, *s) for s in content.get("sections", []))

    def _flush_children(self) -> None:
        """Insert the queued rows, parents first (answers refer to evaluations), many
        rows per statement (``bulk_load.insert_rows``)."""
        from qa_monitor.storage.bulk_load import insert_rows
        from qa_monitor.storage.rollups import add_evaluations, resume_rollups, suspend_rollups

        inserted: list[int] = []
        self._queued_keys.clear()
        # Outside a first sync the triggers are on: off while the queued evaluations go
        # in, then their contributions are added by set and the triggers put back, all in
        # this transaction. (Children of an existing evaluation are never queued with
        # them: _write_content flushes the queue first.)
        by_set = not self._bulk and any(name == "evaluations" for name, _c in self._queued)
        if by_set:
            suspend_rollups(self.conn)
        for table in ("interactions", "evaluations", "audit_log"):
            for (name, columns), rows in list(self._queued.items()):
                if name == table:
                    insert_rows(self.db, table, rows, columns=columns)
                    del self._queued[(name, columns)]
                    if table == "evaluations":
                        inserted.extend(int(r[0]) for r in rows)
        if self._answer_rows:
            insert_rows(self.db, "answers", self._answer_rows, columns=_ANSWER_NAMES)
        if self._section_rows:
            insert_rows(self.db, "section_scores", self._section_rows, columns=_SECTION_NAMES)
        self._answer_rows, self._section_rows = [], []
        if by_set:
            add_evaluations(self.conn, inserted)
            resume_rollups(self.conn)
        if inserted:
            # Inserted whole before their answers: sealed now that everything is in.
            evidence.seal_ids(self.conn, evidence.EVALUATION, inserted)

    def _write_content(self, evaluation_id: int, content: dict[str, Any]) -> None:
        self._flush_children()  # queued new evaluations first, with their own roll-up rule
        conn = self.conn
        conn.execute("DELETE FROM answers WHERE evaluation_id = ?", [evaluation_id])
        conn.execute("DELETE FROM section_scores WHERE evaluation_id = ?", [evaluation_id])
        self._queue_children(evaluation_id, content)
        self._flush_children()
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
