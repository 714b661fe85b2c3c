"""What travels between installations, and the triggers that journal it (docs/sync.md).

Each travelling table is described once here as an ``Entity``: its fields, each an
SQL expression over a row (``{r}`` is ``NEW``, ``OLD`` or a table alias) plus the test
for "this field changed". From that one description come:

- the triggers that write a journal entry in the same transaction as every change
  (whatever code made it: a screen, an import, a script), so nothing can be missed;
- the backfill that journals what a database held before sync existed;
- the snapshot that ``sync verify`` digests.

A change is journalled only while ``sync_state.capture`` is 1; applying remote
changes turns it off inside its own transaction, so applied changes are not sent
back out as if they were local.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

# Unix milliseconds, then the hybrid-logical-clock rule for a local event
# (core/sync_clock.py): max(wall << 16, last + 1).
NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
_NEXT_HLC = f"max({NOW_MS} * 65536, hlc + 1)"

# A UUIDv7 made in SQL, for rows inserted by code that did not give one: 48 bits of
# milliseconds, version 7, variant 10, random bits.
_MS_HEX = f"printf('%012x', {NOW_MS})"
UUID7_SQL = (
    f"lower(substr({_MS_HEX}, 1, 8) || '-' || substr({_MS_HEX}, 9, 4) || '-7'"
    " || substr(hex(randomblob(2)), 2, 3) || '-'"
    " || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2, 3)"
    " || '-' || hex(randomblob(6)))"
)


def exact(x: str) -> str:
    """``x`` for a JSON document, reals with all 17 digits: SQLite's JSON writes 15,
    which would change a score in its last bits on the way to another site."""
    return f"(CASE WHEN typeof({x}) = 'real' THEN json(printf('%!.17g', {x})) ELSE {x} END)"


@dataclass(frozen=True)
class Field:
    """A travelling field: ``expr`` reads it from a row, ``column`` is where it is stored
    (None for composite fields written by custom code), ``ref`` names the table whose
    uuid stands for a local id."""

    name: str
    column: str | None = None
    ref: str | None = None
    ref_key: str = "id"
    expr: str | None = None
    changed: str | None = None

    def value_sql(self, r: str) -> str:
        if self.expr is not None:
            return self.expr.format(r=r)
        if self.ref is not None:
            return f"(SELECT uuid FROM {self.ref} WHERE {self.ref_key} = {r}.{self.column})"
        return exact(f"{r}.{self.column}")

    def changed_sql(self) -> str:
        if self.changed is not None:
            return self.changed
        return f"NEW.{self.column} IS NOT OLD.{self.column}"


def _plain(*names: str) -> tuple[Field, ...]:
    return tuple(Field(n, column=n) for n in names)


@dataclass(frozen=True)
class Entity:
    """One travelling table."""

    name: str
    table: str
    fields: tuple[Field, ...]
    # Which rows travel (SQL over ``{r}``): drafts never leave their machine.
    travels: str = "1"
    # Rows of another installation that are the same thing (a team of the same name,
    # a call with the same external id): matched on first sight, never duplicated.
    natural_key: tuple[str, ...] = ()
    immutable: bool = False
    deletable: bool = False
    # The row's key for "this row" in triggers (settings is a WITHOUT ROWID table).
    key: str = "rowid"
    # How a new row gets its uuid: time-ordered and random, unless every site must
    # give the same record the same uuid (a team-wide setting is one record).
    uuid_sql: str = UUID7_SQL
    # Evaluations are journalled when they leave draft (their answers exist by then),
    # never on insert: a row inserted already submitted is journalled by the backfill.
    journal_inserts: bool = True

    def object_sql(self, r: str, fields: tuple[Field, ...] | None = None) -> str:
        chosen = self.fields if fields is None else fields
        pairs = ", ".join(f"'{f.name}', {f.value_sql(r)}" for f in chosen)
        return f"json_object({pairs})"

    def travels_sql(self, r: str) -> str:
        return self.travels.format(r=r)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


_ANSWERS_JSON = (
    "(SELECT json_group_array(json_array(question_id, section_id, value, na, comment,"
    f" timestamp_ms, {exact('earned')}, {exact('possible')}, status, failing))"
    " FROM (SELECT * FROM answers WHERE evaluation_id = {r}.id ORDER BY question_id))"
)
_SECTIONS_JSON = (
    "(SELECT json_group_array(json_array(section_id, position, category,"
    f" {exact('earned')}, {exact('earned_before_critical')}, {exact('possible')},"
    f" {exact('weight')}, critical_failed))"
    " FROM (SELECT * FROM section_scores WHERE evaluation_id = {r}.id ORDER BY section_id))"
)
# An evaluation's content travels whole: answers, section scores and the results the
# author's app computed, so every site shows the same numbers without re-scoring.
_CONTENT_VALUES = (
    "overall_comment",
    "score",
    "score_before_critical",
    "passed",
    "band",
    "critical_failed",
    "auto_failed",
    "earned",
    "possible",
    "revision",
)
EVALUATION_CONTENT = (
    "json_object("
    + "".join(f"'{c}', {exact('{r}.' + c)}, " for c in _CONTENT_VALUES)
    + f"'answers', json({_ANSWERS_JSON}), 'sections', json({_SECTIONS_JSON}))"
)

TEAM = Entity(
    "team",
    "teams",
    _plain("name", "active", "created_at"),
    natural_key=("name",),
    deletable=True,
)
AGENT = Entity(
    "agent",
    "agents",
    (
        *_plain("name"),
        Field("team", column="team_id", ref="teams"),
        *_plain("active", "hire_date", "external_id", "email", "created_at"),
    ),
    natural_key=("external_id", "name"),
    deletable=True,
)
REVIEWER = Entity(
    "reviewer",
    "reviewers",
    (
        *_plain("name", "active", "is_expert", "created_at"),
        # The reviewer's own team, and their agent record when they also take calls
        # (assignment never gives reviewers their own calls: services/queue_service.py).
        Field("team", column="team_id", ref="teams"),
        Field("agent", column="agent_id", ref="agents"),
    ),
    natural_key=("name",),
    deletable=True,
)
FORM = Entity(
    "form",
    "forms",
    _plain("id", "title", "status", "created_at", "retired_at"),
    travels="{r}.status <> 'draft'",
    natural_key=("id",),
)
FORM_VERSION = Entity(
    "form_version",
    "form_versions",
    (
        *_plain("form_id", "version", "status", "definition", "checksum", "created_at"),
        *_plain("published_at"),
        Field("published_by", column="published_by", ref="reviewers"),
    ),
    travels="{r}.status = 'published'",
    immutable=True,
)
INTERACTION = Entity(
    "interaction",
    "interactions",
    (
        *_plain("external_id", "channel", "direction", "started_at", "local_date"),
        *_plain("timezone", "duration_s"),
        Field("agent", column="agent_id", ref="agents"),
        Field("team", column="team_id", ref="teams"),
        *_plain("queue", "customer_ref", "contact_reason", "recording_path", "transcript"),
        *_plain("resolved_first_contact", "retention", "churn_risk", "churn_reason"),
        *_plain("callback_promised_at", "callback_kept", "csat", "nps", "ces", "survey_at"),
        *_plain("source", "created_at"),
    ),
    natural_key=("external_id",),
    deletable=True,
)
EVALUATION = Entity(
    "evaluation",
    "evaluations",
    (
        Field("interaction", column="interaction_id", ref="interactions"),
        *_plain("form_id"),
        Field("form_version", column="form_version_id", ref="form_versions"),
        Field("reviewer", column="reviewer_id", ref="reviewers"),
        *_plain("kind", "created_at", "submitted_at", "status"),
        Field("content", expr=EVALUATION_CONTENT, changed="NEW.revision IS NOT OLD.revision"),
    ),
    travels="{r}.status <> 'draft'",
    journal_inserts=False,
)
AUDIT = Entity(
    "audit",
    "audit_log",
    (
        Field("evaluation", column="evaluation_id", ref="evaluations"),
        *_plain("at"),
        Field("actor", column="actor_id", ref="reviewers"),
        *_plain("action", "field", "old", "new", "reason"),
    ),
    # The audit entries of submitted evaluations; a deleted draft's entry stays home.
    travels=(
        "{r}.action <> 'delete' AND"
        " (SELECT status FROM evaluations WHERE id = {r}.evaluation_id) <> 'draft'"
    ),
    immutable=True,
)


def _setting_uuid(key: str) -> str:
    """The one uuid a team-wide setting has on every installation (a name-based UUIDv5,
    so it is a real uuid wherever uuids are checked, as on the team server)."""
    return str(uuid.uuid5(_SETTINGS_NAMESPACE, key))


_SETTINGS_NAMESPACE = uuid.UUID("0195c0de-5e77-7000-8000-51a0c0a0e111")


# Settings the whole team shares (the rest, such as who uses this machine, stay home).
# An installation's first-use defaults are written without journalling
# (SettingsRepo.set_default), so a new machine never overrides the team's choice.
TEAM_SETTINGS = ("centre_timezone", "week_start", "calibration_bands", "churn_reasons")
SETTING = Entity(
    "setting",
    "settings",
    _plain("key", "value"),
    travels="{r}.key IN (" + ", ".join(f"'{k}'" for k in TEAM_SETTINGS) + ")",
    natural_key=("key",),
    key="key",
    uuid_sql=(
        "coalesce(CASE {r}.key "
        + " ".join(f"WHEN '{k}' THEN '{_setting_uuid(k)}'" for k in TEAM_SETTINGS)
        + " END, "
        + UUID7_SQL
        + ")"
    ),
)

# The reviewer as m008 journalled it (before m011 added a reviewer's team and agent):
# m008's triggers must not name columns that only a later step adds.
REVIEWER_AT_M008 = Entity(
    "reviewer",
    "reviewers",
    _plain("name", "active", "is_expert", "created_at"),
    natural_key=("name",),
    deletable=True,
)

# The QA programme (issue 14; docs/programme.md).
SAMPLING_RULE = Entity(
    "sampling_rule",
    "sampling_rules",
    (
        *_plain("name"),
        Field("team", column="team_id", ref="teams"),
        *_plain("form_id", "kind", "per_agent", "period", "channel", "max_csat"),
        *_plain("contact_reason", "min_duration_s", "tenure_days", "min_channel"),
        *_plain("min_channel_count", "stratify", "seed", "due_days", "exclude_own_team"),
        *_plain("active", "created_at"),
    ),
)
QUEUE_ITEM = Entity(
    "queue_item",
    "queue_items",
    (
        Field("rule", column="rule_id", ref="sampling_rules"),
        Field("interaction", column="interaction_id", ref="interactions"),
        *_plain("form_id"),
        Field("reviewer", column="reviewer_id", ref="reviewers"),
        *_plain("period_start", "due_date", "reason", "status", "note", "created_at"),
    ),
    deletable=True,
)
COACHING = Entity(
    "coaching",
    "coaching_sessions",
    (
        Field("agent", column="agent_id", ref="agents"),
        Field("coach", column="coach_id", ref="reviewers"),
        *_plain("held_on", "evaluations", "questions", "notes", "follow_weeks", "created_at"),
    ),
    deletable=True,
)
COACHING_ACTION = Entity(
    "coaching_action",
    "coaching_actions",
    (
        Field("session", column="session_id", ref="coaching_sessions"),
        *_plain("position", "text", "owner", "due_date", "done_on", "created_at"),
    ),
    deletable=True,
)

# Calibration sessions (issue 15; docs/calibration.md).
CALIBRATION_SESSION = Entity(
    "calibration_session",
    "calibration_sessions",
    (
        *_plain("title"),
        Field("interaction", column="interaction_id", ref="interactions"),
        *_plain("form_id"),
        Field("form_version", column="form_version_id", ref="form_versions"),
        Field("expert", column="expert_id", ref="reviewers"),
        *_plain("reviewers", "acceptable", "discuss", "due_date", "summary"),
        Field("created_by", column="created_by", ref="reviewers"),
        *_plain("created_at", "revealed_at"),
        Field("revealed_by", column="revealed_by", ref="reviewers"),
    ),
    deletable=True,
)
CALIBRATION_ENTRY = Entity(
    "calibration_entry",
    "calibration_entries",
    (
        Field("session", column="session_id", ref="calibration_sessions"),
        Field("evaluation", column="evaluation_id", ref="evaluations"),
        *_plain("created_at"),
    ),
    # Written when its evaluation is submitted, so it travels with it.
    travels="(SELECT status FROM evaluations WHERE id = {r}.evaluation_id) <> 'draft'",
    immutable=True,
)
CALIBRATION_NOTE = Entity(
    "calibration_note",
    "calibration_notes",
    (
        Field("session", column="session_id", ref="calibration_sessions"),
        *_plain("question_id", "agreed", "agreed_na", "note", "guidance_change"),
        *_plain("updated_at"),
    ),
    deletable=True,
)
CALIBRATION_ENTITIES = (CALIBRATION_SESSION, CALIBRATION_ENTRY, CALIBRATION_NOTE)

# Customer outcomes (issue 16; docs/outcomes.md). Each row's uuid is derived from its
# key when it is written (storage/outcome_repo.py), so every site makes the same record.
CUSTOMER_COUNT = Entity(
    "customer_count",
    "customer_counts",
    (
        *_plain("period_start", "period_end"),
        Field("team", column="team_id", ref="teams"),
        *_plain("segment", "customers_start", "customers_end", "customers_new", "source"),
        *_plain("updated_at"),
    ),
    deletable=True,
)
CUSTOMER = Entity(
    "customer",
    "customers",
    (
        *_plain("customer_ref"),
        Field("team", column="team_id", ref="teams"),
        *_plain("segment", "started_on", "ended_on", "updated_at"),
    ),
    natural_key=("customer_ref",),
    deletable=True,
)
CHURN_EVENT = Entity(
    "churn_event",
    "churn_events",
    (
        *_plain("customer_ref", "churned_on", "reason", "reason_text"),
        Field("interaction", column="interaction_id", ref="interactions"),
        Field("team", column="team_id", ref="teams"),
        *_plain("updated_at"),
    ),
    deletable=True,
)
OUTCOME_ENTITIES = (CUSTOMER_COUNT, CUSTOMER, CHURN_EVENT)

# In dependency order: a record only refers to records of entities listed before it.
ENTITIES_AT_M011: tuple[Entity, ...] = (
    SETTING,
    TEAM,
    AGENT,
    REVIEWER,
    FORM,
    FORM_VERSION,
    INTERACTION,
    EVALUATION,
    AUDIT,
    SAMPLING_RULE,
    QUEUE_ITEM,
    COACHING,
    COACHING_ACTION,
)
ENTITIES: tuple[Entity, ...] = (*ENTITIES_AT_M011, *CALIBRATION_ENTITIES, *OUTCOME_ENTITIES)
BY_NAME = {e.name: e for e in ENTITIES}

STATE_SQL = """
CREATE TABLE sync_state (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    site TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0,
    hlc INTEGER NOT NULL DEFAULT 0,
    capture INTEGER NOT NULL DEFAULT 1 CHECK (capture IN (0, 1)),
    -- 1 while a large first sync runs with the roll-up triggers off; a database found
    -- with 1 (the sync was killed) rebuilds its roll-ups when it opens.
    rollups_stale INTEGER NOT NULL DEFAULT 0 CHECK (rollups_stale IN (0, 1))
);

-- Every change this installation made or applied: the outbox and the history.
CREATE TABLE sync_journal (
    site TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hlc INTEGER NOT NULL,
    entity TEXT NOT NULL,
    uuid TEXT NOT NULL,
    base INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    fields TEXT NOT NULL,
    PRIMARY KEY (site, seq)
) WITHOUT ROWID;
CREATE INDEX sync_journal_uuid ON sync_journal (uuid, hlc);

-- Two installations that created the same thing (same team name, same call id) under
-- different uuids: every site keeps the smaller uuid and maps the other to it.
CREATE TABLE sync_aliases (
    alias TEXT PRIMARY KEY,
    uuid TEXT NOT NULL
) WITHOUT ROWID;

-- Concurrent changes that set a field differently (core/sync_merge.py, rule 3).
CREATE TABLE sync_conflicts (
    uuid TEXT NOT NULL,
    entity TEXT NOT NULL,
    field TEXT NOT NULL,
    kept_site TEXT NOT NULL,
    kept_seq INTEGER NOT NULL,
    other_site TEXT NOT NULL,
    other_seq INTEGER NOT NULL,
    resolved_at TEXT,
    PRIMARY KEY (uuid, field, kept_site, kept_seq, other_site, other_seq)
) WITHOUT ROWID;

-- Records that refer to one not here yet; retried at every apply.
CREATE TABLE sync_waiting (
    uuid TEXT PRIMARY KEY,
    entity TEXT NOT NULL
) WITHOUT ROWID;

-- Where each other installation's changes were read up to, per transport.
CREATE TABLE sync_cursors (
    source TEXT NOT NULL,
    site TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (source, site)
) WITHOUT ROWID;

-- Problems met while applying changes (a refused form version, a missing record),
-- in words; shown to the user and retried at the next sync.
CREATE TABLE sync_problems (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    source TEXT NOT NULL,
    message TEXT NOT NULL
);
"""


def _journal_insert(entity: Entity, fields_json: str, deleted: int, row: str) -> str:
    return (
        "UPDATE sync_state SET seq = seq + 1, hlc = " + _NEXT_HLC + ";\n"
        "    INSERT INTO sync_journal (site, seq, hlc, entity, uuid, base, deleted, fields)"
        f" SELECT s.site, s.seq, s.hlc, '{entity.name}', {row}.uuid,"
        f" (SELECT coalesce(max(j.hlc), 0) FROM sync_journal j WHERE j.uuid = {row}.uuid),"
        f" {deleted}, {fields_json} FROM sync_state s"
    )


def _changed_fields_json(entity: Entity) -> str:
    """The row's fields with the unchanged ones removed. json_remove keeps the text of
    the numbers it leaves, so reals keep all their digits."""
    paths = ", ".join(
        f"CASE WHEN {f.changed_sql()} THEN '$.__kept__' ELSE '$.{f.name}' END"
        for f in entity.fields
    )
    return f"json_remove({entity.object_sql('NEW')}, {paths})"


def trigger_sql(entity: Entity) -> list[str]:
    """The CREATE TRIGGER statements that give ``entity``'s rows a uuid and journal their
    changes."""
    t, n = entity.table, entity.name
    capture = "(SELECT capture FROM sync_state) = 1"
    # One insert trigger fills the uuid first and then journals the row read back, so
    # the entry has the uuid whatever order SQLite runs triggers in.
    insert = (
        f"CREATE TRIGGER sync_{n}_insert AFTER INSERT ON {t}\nBEGIN\n"
        f"    UPDATE {t} SET uuid = {entity.uuid_sql.format(r='NEW')}"
        f" WHERE {entity.key} = NEW.{entity.key} AND uuid IS NULL;\n"
    )
    if entity.journal_inserts:
        insert += (
            f"    UPDATE sync_state SET seq = seq + 1, hlc = {_NEXT_HLC}\n"
            f"    WHERE {capture} AND {entity.travels_sql('NEW')};\n"
            "    INSERT INTO sync_journal (site, seq, hlc, entity, uuid, base, deleted, fields)"
            f" SELECT s.site, s.seq, s.hlc, '{n}', r.uuid, 0, 0, {entity.object_sql('r')}"
            f" FROM sync_state s, {t} r WHERE r.{entity.key} = NEW.{entity.key} AND s.capture = 1"
            f" AND {entity.travels_sql('r')};\n"
        )
    insert += "END"
    became = (
        f"CREATE TRIGGER sync_{n}_enter AFTER UPDATE ON {t}\n"
        f"WHEN {capture} AND NOT ({entity.travels_sql('OLD')})"
        f" AND {entity.travels_sql('NEW')}\nBEGIN\n    "
        + _journal_insert(entity, entity.object_sql("NEW"), 0, "NEW")
        + ";\nEND"
    )
    statements = [insert, became]
    if not entity.immutable:
        any_changed = " OR ".join(f"({f.changed_sql()})" for f in entity.fields)
        statements.append(
            f"CREATE TRIGGER sync_{n}_update AFTER UPDATE ON {t}\n"
            f"WHEN {capture} AND {entity.travels_sql('OLD')} AND {entity.travels_sql('NEW')}"
            f" AND ({any_changed})\nBEGIN\n    "
            + _journal_insert(entity, _changed_fields_json(entity), 0, "NEW")
            + ";\nEND"
        )
    if entity.deletable:
        statements.append(
            f"CREATE TRIGGER sync_{n}_delete AFTER DELETE ON {t}\n"
            f"WHEN {capture} AND {entity.travels_sql('OLD')} AND OLD.uuid IS NOT NULL\n"
            "BEGIN\n    " + _journal_insert(entity, "'{}'", 1, "OLD") + ";\nEND"
        )
    return statements


def backfill_sql(entity: Entity) -> str:
    """Journal every travelling row that has no journal entry yet (databases from
    before sync, and bulk loads that ran with capture off), in one statement."""
    t = entity.table
    return (
        "INSERT INTO sync_journal (site, seq, hlc, entity, uuid, base, deleted, fields)"
        f" SELECT s.site, s.seq + row_number() OVER (ORDER BY r.{entity.key}),"
        f" s.hlc + row_number() OVER (ORDER BY r.{entity.key}), '{entity.name}', r.uuid, 0, 0,"
        f" {entity.object_sql('r')}"
        f" FROM sync_state s, {t} r"
        f" WHERE {entity.travels_sql('r')}"
        " AND NOT EXISTS (SELECT 1 FROM sync_journal j WHERE j.uuid = r.uuid)"
    )


def journal_new_rows(conn: Any, entity: Entity, after_id: int) -> int:
    """Journal ``entity``'s rows with an id above ``after_id`` in one statement, as its
    insert trigger would have one by one (for a batch written with that trigger
    dropped, in the caller's transaction); returns how many. Nothing while capture is
    off (applying received changes)."""
    (capture,) = conn.execute("SELECT capture FROM sync_state").fetchone()
    if not capture:
        return 0
    conn.execute(f"UPDATE sync_state SET hlc = max(hlc, {NOW_MS} * 65536)")
    t = entity.table
    cur = conn.execute(
        "INSERT INTO sync_journal (site, seq, hlc, entity, uuid, base, deleted, fields)"
        f" SELECT s.site, s.seq + row_number() OVER (ORDER BY r.id),"
        f" s.hlc + row_number() OVER (ORDER BY r.id), '{entity.name}', r.uuid, 0, 0,"
        f" {entity.object_sql('r')}"
        f" FROM sync_state s, {t} r WHERE r.id > ? AND {entity.travels_sql('r')}",
        [after_id],
    )
    added = max(cur.rowcount, 0)
    if added:
        conn.execute("UPDATE sync_state SET seq = seq + ?, hlc = hlc + ?", [added, added])
    return added


def trigger_names(entity: Entity) -> list[str]:
    return [t.split()[2] for t in trigger_sql(entity)]


# The schema version at which every row was last journalled (sync_journal.backfill).
BACKFILLED = "sync.backfilled"


def suspend_sync_triggers(conn: Any) -> None:
    """Drop the sync triggers for a bulk load (in the caller's transaction); the next
    sync's backfill journals the rows loaded meanwhile."""
    conn.execute("DELETE FROM settings WHERE key = ?", [BACKFILLED])
    for entity in ENTITIES:
        for name in trigger_names(entity):
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def resume_sync_triggers(conn: Any) -> None:
    """After a bulk load: give every new row its uuid in one statement per table and
    put the triggers back. The rows are journalled by the next sync's backfill."""
    for entity in ENTITIES:
        conn.execute(
            f"UPDATE {entity.table} SET uuid = {entity.uuid_sql.format(r=entity.table)}"
            " WHERE uuid IS NULL"
        )
        for statement in trigger_sql(entity):
            conn.execute(statement)
