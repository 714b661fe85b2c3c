"""The database schema, as an ordered list of named migrations.

Rules for changing the schema: never edit a migration that has shipped; add a new
function at the end. A database whose applied migrations include a name this
list does not know was written by a newer QA Monitor and is refused on open.

Sized for ~1,000,000 evaluations and ~30,000,000 answers: evaluations carry copies
of the interaction's agent, team, channel and local date so dashboard queries
filter and aggregate one table through an index, and answers / section scores are
WITHOUT ROWID tables clustered by evaluation.
"""

from __future__ import annotations

import logging

import sqlite_utils

MIGRATIONS = sqlite_utils.Migrations("qa_monitor")

_PEOPLE = """
CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (trim(name) <> ''),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX teams_active_name ON teams (name COLLATE NOCASE) WHERE active = 1;

CREATE TABLE agents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (trim(name) <> ''),
    team_id INTEGER REFERENCES teams (id),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    hire_date TEXT,
    external_id TEXT,
    email TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX agents_active_name ON agents (name COLLATE NOCASE) WHERE active = 1;
CREATE UNIQUE INDEX agents_external_id ON agents (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX agents_team ON agents (team_id);

CREATE TABLE reviewers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (trim(name) <> ''),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    is_expert INTEGER NOT NULL DEFAULT 0 CHECK (is_expert IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX reviewers_active_name ON reviewers (name COLLATE NOCASE) WHERE active = 1;
"""

_FORMS = """
CREATE TABLE forms (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
    created_at TEXT NOT NULL,
    retired_at TEXT
);

CREATE TABLE form_versions (
    id INTEGER PRIMARY KEY,
    form_id TEXT NOT NULL REFERENCES forms (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    definition TEXT NOT NULL,
    checksum TEXT NOT NULL,
    created_at TEXT NOT NULL,
    published_at TEXT,
    published_by INTEGER REFERENCES reviewers (id),
    UNIQUE (form_id, version)
);
-- One working draft per form at a time.
CREATE UNIQUE INDEX form_versions_one_draft ON form_versions (form_id) WHERE status = 'draft';
CREATE INDEX form_versions_published_by ON form_versions (published_by);

-- Published versions are history: evaluations were scored with them.
CREATE TRIGGER form_versions_published_no_update
BEFORE UPDATE ON form_versions
WHEN OLD.status = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published form version cannot be changed; publish a new version');
END;
CREATE TRIGGER form_versions_published_no_delete
BEFORE DELETE ON form_versions
WHEN OLD.status = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published form version cannot be deleted');
END;

-- The questions of each version, flat, so reports can name and follow a question
-- across versions without parsing JSON.
CREATE TABLE form_questions (
    form_version_id INTEGER NOT NULL REFERENCES form_versions (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    section_title TEXT NOT NULL,
    category TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    points REAL NOT NULL,
    critical TEXT NOT NULL,
    scored INTEGER NOT NULL,
    bonus INTEGER NOT NULL,
    PRIMARY KEY (form_version_id, question_id)
) WITHOUT ROWID;
CREATE INDEX form_questions_question ON form_questions (question_id);

CREATE TRIGGER form_questions_published_no_update
BEFORE UPDATE ON form_questions
WHEN (SELECT status FROM form_versions WHERE id = OLD.form_version_id) = 'published'
BEGIN
    SELECT RAISE(ABORT, 'the questions of a published form version cannot be changed');
END;
CREATE TRIGGER form_questions_published_no_delete
BEFORE DELETE ON form_questions
WHEN (SELECT status FROM form_versions WHERE id = OLD.form_version_id) = 'published'
BEGIN
    SELECT RAISE(ABORT, 'the questions of a published form version cannot be changed');
END;
CREATE TRIGGER form_questions_published_no_insert
BEFORE INSERT ON form_questions
WHEN (SELECT status FROM form_versions WHERE id = NEW.form_version_id) = 'published'
BEGIN
    SELECT RAISE(ABORT, 'the questions of a published form version cannot be changed');
END;
"""

_INTERACTIONS = """
CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    external_id TEXT,
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'chat', 'email', 'social')),
    direction TEXT NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound')),
    started_at TEXT NOT NULL,
    local_date TEXT NOT NULL,
    timezone TEXT NOT NULL,
    duration_s REAL CHECK (duration_s IS NULL OR duration_s >= 0),
    agent_id INTEGER NOT NULL REFERENCES agents (id),
    team_id INTEGER REFERENCES teams (id),
    queue TEXT,
    customer_ref TEXT,
    contact_reason TEXT,
    recording_path TEXT,
    transcript TEXT,
    resolved_first_contact INTEGER CHECK (resolved_first_contact IN (0, 1)),
    retention TEXT CHECK (retention IN ('retained', 'lost', 'undecided')),
    churn_risk,  -- no type: keeps a label (low/high) as text and a number as a number
    churn_reason TEXT,
    callback_promised_at TEXT,
    callback_kept INTEGER CHECK (callback_kept IN (0, 1)),
    csat INTEGER CHECK (csat BETWEEN 1 AND 5),
    nps INTEGER CHECK (nps BETWEEN 0 AND 10),
    ces INTEGER CHECK (ces BETWEEN 1 AND 7),
    survey_at TEXT,
    source TEXT NOT NULL DEFAULT 'manual',
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX interactions_external_id ON interactions (external_id)
    WHERE external_id IS NOT NULL;
CREATE INDEX interactions_date ON interactions (local_date);
CREATE INDEX interactions_agent_date ON interactions (agent_id, local_date);
CREATE INDEX interactions_team_date ON interactions (team_id, local_date);
-- Repeat contacts by the same customer (first-contact resolution within 7 days).
CREATE INDEX interactions_customer ON interactions (customer_ref, started_at)
    WHERE customer_ref IS NOT NULL;
"""

_EVALUATIONS = """
CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    interaction_id INTEGER NOT NULL REFERENCES interactions (id),
    form_id TEXT NOT NULL REFERENCES forms (id),
    form_version_id INTEGER NOT NULL REFERENCES form_versions (id),
    reviewer_id INTEGER NOT NULL REFERENCES reviewers (id),
    -- Copies of the interaction's, kept in step by the interaction repository.
    agent_id INTEGER NOT NULL REFERENCES agents (id),
    team_id INTEGER REFERENCES teams (id),
    channel TEXT NOT NULL,
    interaction_date TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'regular' CHECK (kind IN ('regular', 'calibration', 'self')),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'acknowledged', 'disputed', 'resolved')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    score REAL,
    score_before_critical REAL,
    passed INTEGER CHECK (passed IN (0, 1)),
    band TEXT,
    critical_failed INTEGER NOT NULL DEFAULT 0 CHECK (critical_failed IN (0, 1)),
    auto_failed INTEGER NOT NULL DEFAULT 0 CHECK (auto_failed IN (0, 1)),
    earned REAL,
    possible REAL,
    overall_comment TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX evaluations_date ON evaluations (interaction_date);
CREATE INDEX evaluations_team_date ON evaluations (team_id, interaction_date);
CREATE INDEX evaluations_agent_date ON evaluations (agent_id, interaction_date);
CREATE INDEX evaluations_version_date ON evaluations (form_version_id, interaction_date);
CREATE INDEX evaluations_form_date ON evaluations (form_id, interaction_date);
CREATE INDEX evaluations_reviewer_date ON evaluations (reviewer_id, interaction_date);
CREATE INDEX evaluations_status ON evaluations (status, updated_at);
CREATE INDEX evaluations_interaction ON evaluations (interaction_id);

CREATE TABLE answers (
    evaluation_id INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    value TEXT,  -- JSON: "option_id", ["tag", ...], 12.5, "2026-03-01T14:30"
    na INTEGER NOT NULL DEFAULT 0 CHECK (na IN (0, 1)),
    comment TEXT NOT NULL DEFAULT '',
    timestamp_ms INTEGER,
    -- Filled on submit:
    earned REAL,
    possible REAL,
    status TEXT CHECK (status IN ('scored', 'na', 'hidden', 'unanswered', 'unscored')),
    failing INTEGER CHECK (failing IN (0, 1)),
    PRIMARY KEY (evaluation_id, question_id)
) WITHOUT ROWID;

CREATE TABLE section_scores (
    evaluation_id INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    section_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    category TEXT NOT NULL,
    earned REAL NOT NULL,
    earned_before_critical REAL NOT NULL,
    possible REAL NOT NULL,
    weight REAL NOT NULL,
    critical_failed INTEGER NOT NULL CHECK (critical_failed IN (0, 1)),
    PRIMARY KEY (evaluation_id, section_id)
) WITHOUT ROWID;

-- No foreign key to evaluations: the entry for a deleted draft outlives it.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    evaluation_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES reviewers (id),
    action TEXT NOT NULL CHECK (action IN ('edit', 'status', 'submit', 'delete')),
    field TEXT,
    old TEXT,
    new TEXT,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_evaluation ON audit_log (evaluation_id, at);
CREATE INDEX audit_log_actor ON audit_log (actor_id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""


# Shipped migrations, in order. Append (a script here or a decorated function below);
# never edit or reorder.
_STEPS: tuple[tuple[str, str], ...] = (
    ("m001_people", _PEOPLE),
    ("m002_forms", _FORMS),
    ("m003_interactions", _INTERACTIONS),
    ("m004_evaluations", _EVALUATIONS),
)


def _register(name: str, script: str) -> None:
    def step(db: sqlite_utils.Database) -> None:
        db.executescript(script)

    MIGRATIONS(name=name)(step)


for _name, _script in _STEPS:
    _register(_name, _script)


def known_names() -> list[str]:
    """Every migration this version knows, in order (all are pending on an empty database)."""
    with sqlite_utils.Database(memory=True, execute_plugins=False) as empty:
        return [m.name for m in MIGRATIONS.pending(empty)]


# --- Appended for the dashboard (issue 5); owner: the analytics layer.
@MIGRATIONS(name="m005_dashboard_rollups")
def _m005_dashboard_rollups(db: sqlite_utils.Database) -> None:
    """Roll-up tables kept current by triggers, and a covering index for raw dashboard
    queries (``storage/rollups.py``); filled from the evaluations already stored."""
    from qa_monitor.storage.rollups import install_rollups

    install_rollups(db)


# --- Appended for the evaluations list at scale (a million evaluations): sorting by
# score walks this index to the page instead of sorting every evaluation (14 s at 1M
# before), and counting critical failures reads an index instead of the table (150 ms).
# Only these two: without statistics SQLite trusts any index, and one on a column of a
# few values (kind, channel) made it drop the date index for common filters (1 s).
_register(
    "m006_list_sort_indexes",
    """
CREATE INDEX IF NOT EXISTS evaluations_score ON evaluations (score);
CREATE INDEX IF NOT EXISTS evaluations_critical ON evaluations (critical_failed);
""",
)


# --- Appended for names typed on different keyboards (issue 11): a stored match key
# (``core.text_keys.name_key``: Persian/Arabic yeh and kaf, invisible marks, digits,
# case...) beside each name, kept by the repositories, searched instead of the name.
# The active-name uniqueness moves onto the key. A database may already hold two
# active names with the same key (imported before this change); the migration must
# still open it, so for such a table the old NOCASE index stays, the key gets a plain
# index, and the clashes are logged for someone to merge or rename.
_KEYED = ("teams", "agents", "reviewers")


@MIGRATIONS(name="m007_name_keys")
def _m007_name_keys(db: sqlite_utils.Database) -> None:
    """Name keys on teams, agents and reviewers, unique among the active ones."""
    import logging

    from qa_monitor.core.text_keys import name_key

    log = logging.getLogger(__name__)
    for table in _KEYED:
        db.execute(f"ALTER TABLE {table} ADD COLUMN name_key TEXT")
        rows = db.execute(f"SELECT id, name FROM {table}").fetchall()
        db.conn.executemany(
            f"UPDATE {table} SET name_key = ? WHERE id = ?",
            [(name_key(name), id_) for id_, name in rows],
        )
        clashes = db.execute(
            f"SELECT name_key, group_concat(name, ' | ') FROM {table} WHERE active = 1"
            " GROUP BY name_key HAVING count(*) > 1"
        ).fetchall()
        if clashes:
            db.execute(f"CREATE INDEX {table}_name_key ON {table} (name_key)")
            for _key, names in clashes:
                log.warning(
                    "%s: active names that differ only in letter forms, invisible marks or "
                    "case: %s. Rename or deactivate all but one of them; until then the "
                    "database checks only that active names differ in more than case.",
                    table,
                    names,
                )
        else:
            db.execute(f"DROP INDEX {table}_active_name")
            db.execute(
                f"CREATE UNIQUE INDEX {table}_active_name_key ON {table} (name_key)"
                " WHERE active = 1"
            )


# --- Appended for team sync (issue 12; docs/sync.md): a uuid on every travelling
# record, this installation's site id and clock, the change journal and its triggers.
@MIGRATIONS(name="m008_sync_identity")
def _m008_sync_identity(db: sqlite_utils.Database) -> None:
    """Give every travelling row a UUIDv7 (filled once, never regenerated, so a file
    copied to two machines keeps one identity per record), create the journal and
    install the triggers that write it. Existing rows are journalled by the first
    sync's backfill, not here, so the upgrade of a large database stays quick."""
    from qa_monitor.core.sync_clock import uuid7
    from qa_monitor.storage.sync_schema import (
        ENTITIES,
        REVIEWER_AT_M008,
        STATE_SQL,
        trigger_sql,
    )

    # The entities as they were when this step shipped; later ones have their uuid
    # column in their own CREATE TABLE (m011 recreates every trigger).
    first = ("setting", "team", "reviewer", "agent", "form", "form_version",
             "interaction", "evaluation", "audit")  # fmt: skip
    entities = [
        REVIEWER_AT_M008 if e.name == "reviewer" else e for e in ENTITIES if e.name in first
    ]

    # Published versions may not change, except to receive their uuid once and, while
    # team sync applies changes (capture off), to be renumbered in publishing order
    # when two supervisors published the same number offline (storage/sync_apply.py).
    db.executescript(
        """
DROP TRIGGER form_versions_published_no_update;
CREATE TRIGGER form_versions_published_no_update
BEFORE UPDATE OF form_id, status, definition, checksum, created_at,
    published_at, published_by ON form_versions
WHEN OLD.status = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published form version cannot be changed; publish a new version');
END;
CREATE TRIGGER form_versions_published_number
BEFORE UPDATE OF version ON form_versions
WHEN OLD.status = 'published' AND (SELECT capture FROM sync_state) IS NOT 0
BEGIN
    SELECT RAISE(ABORT, 'a published form version cannot be changed; publish a new version');
END;
CREATE TRIGGER form_versions_uuid_once
BEFORE UPDATE OF uuid ON form_versions
WHEN OLD.uuid IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the identity of a form version cannot be changed');
END;
"""
    )
    for entity in entities:
        db.execute(f"ALTER TABLE {entity.table} ADD COLUMN uuid TEXT")
        db.execute(
            f"UPDATE {entity.table} SET uuid = {entity.uuid_sql.format(r=entity.table)}"
            " WHERE uuid IS NULL"
        )
        db.execute(f"CREATE UNIQUE INDEX {entity.table}_uuid ON {entity.table} (uuid)")
    db.executescript(STATE_SQL)
    db.execute("INSERT INTO sync_state (only_row, site) VALUES (1, ?)", [uuid7()])
    for entity in entities:
        for statement in trigger_sql(entity):
            db.execute(statement)


# --- Appended for tamper evidence (issue 13; docs/tamper-evidence.md): the hash chain
# over the audit log, submitted evaluations and published form versions, filled for
# what the database already holds. QA Monitor's connections append to it through TEMP
# triggers (storage/evidence.py), so the schema itself holds no trigger for it.
@MIGRATIONS(name="m009_evidence")
def _m009_evidence(db: sqlite_utils.Database) -> None:
    """The ``evidence`` chain, with a link for every existing record it covers."""
    from qa_monitor.storage.evidence import SCHEMA_SQL, fill

    for statement in SCHEMA_SQL.split(";"):
        if statement.strip():
            db.execute(statement)
    fill(db.conn)


# --- Appended for acknowledgements and disputes (issue 14; core/disputes.py): four more
# kinds of audit entry. The CHECK on audit_log.action is relaxed in place, SQLite's
# documented way to loosen a constraint (ALTER TABLE, "making other kinds of table
# schema changes"): the rows are already valid under the wider rule, so nothing on disk
# moves, and a million-evaluation audit log upgrades in milliseconds instead of being
# copied.
_OLD_ACTIONS = "CHECK (action IN ('edit', 'status', 'submit', 'delete'))"
_NEW_ACTIONS = (
    "CHECK (action IN ('edit', 'status', 'submit', 'delete',"
    " 'respond', 'dispute', 'assign', 'decide'))"
)


@MIGRATIONS(name="m010_dispute_actions")
def _m010_dispute_actions(db: sqlite_utils.Database) -> None:
    conn = db.conn
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        changed = conn.execute(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?)"
            " WHERE type = 'table' AND name = 'audit_log' AND instr(sql, ?) > 0",
            [_OLD_ACTIONS, _NEW_ACTIONS, _OLD_ACTIONS],
        ).rowcount
        if changed != 1:
            raise RuntimeError("audit_log's action rule is not the one m010 expects")
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    from qa_monitor.storage.dispute_repo import INDEXES_SQL

    for statement in INDEXES_SQL:
        conn.execute(statement)


# --- Appended for the QA programme (issue 14; docs/programme.md): sampling rules and
# the review queue they fill, coaching sessions and their action plans, and the two
# facts about a reviewer that assignment needs (their own team, and the agent record
# when the reviewer also takes calls). Every new table travels (sync_schema.py).
_PROGRAMME = """
ALTER TABLE reviewers ADD COLUMN team_id INTEGER REFERENCES teams (id);
ALTER TABLE reviewers ADD COLUMN agent_id INTEGER REFERENCES agents (id);

CREATE TABLE sampling_rules (
    id INTEGER PRIMARY KEY,
    uuid TEXT,
    name TEXT NOT NULL CHECK (trim(name) <> ''),
    team_id INTEGER REFERENCES teams (id),
    form_id TEXT NOT NULL REFERENCES forms (id),
    kind TEXT NOT NULL CHECK (kind IN ('sample', 'every')),
    per_agent INTEGER CHECK (per_agent IS NULL OR per_agent BETWEEN 1 AND 200),
    period TEXT NOT NULL DEFAULT 'week' CHECK (period IN ('week', 'month')),
    channel TEXT CHECK (channel IS NULL OR channel IN ('phone', 'chat', 'email', 'social')),
    max_csat INTEGER CHECK (max_csat IS NULL OR max_csat BETWEEN 1 AND 5),
    contact_reason TEXT,
    min_duration_s REAL CHECK (min_duration_s IS NULL OR min_duration_s >= 0),
    tenure_days INTEGER CHECK (tenure_days IS NULL OR tenure_days BETWEEN 1 AND 3650),
    min_channel TEXT
        CHECK (min_channel IS NULL OR min_channel IN ('phone', 'chat', 'email', 'social')),
    min_channel_count INTEGER NOT NULL DEFAULT 0 CHECK (min_channel_count >= 0),
    stratify INTEGER NOT NULL DEFAULT 0 CHECK (stratify IN (0, 1)),
    seed INTEGER NOT NULL DEFAULT 0,
    due_days INTEGER NOT NULL DEFAULT 5 CHECK (due_days BETWEEN 0 AND 60),
    exclude_own_team INTEGER NOT NULL DEFAULT 0 CHECK (exclude_own_team IN (0, 1)),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX sampling_rules_uuid ON sampling_rules (uuid);

-- One place in the queue per call: the uuid is derived from the call's, so two sites
-- that queue the same call make the same record.
CREATE TABLE queue_items (
    id INTEGER PRIMARY KEY,
    uuid TEXT,
    rule_id INTEGER NOT NULL REFERENCES sampling_rules (id),
    interaction_id INTEGER NOT NULL REFERENCES interactions (id),
    form_id TEXT NOT NULL REFERENCES forms (id),
    reviewer_id INTEGER REFERENCES reviewers (id),
    period_start TEXT NOT NULL,
    due_date TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT 'sample',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'skipped')),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX queue_items_uuid ON queue_items (uuid);
CREATE UNIQUE INDEX queue_items_interaction ON queue_items (interaction_id);
CREATE INDEX queue_items_reviewer ON queue_items (reviewer_id, status, due_date);
CREATE INDEX queue_items_period ON queue_items (period_start, rule_id);

CREATE TABLE coaching_sessions (
    id INTEGER PRIMARY KEY,
    uuid TEXT,
    agent_id INTEGER NOT NULL REFERENCES agents (id),
    coach_id INTEGER REFERENCES reviewers (id),
    held_on TEXT NOT NULL,
    -- JSON arrays: the uuids of the evaluations discussed, and [form id, question id]
    -- pairs for the behaviours targeted (uuids and form ids are the same on every site).
    evaluations TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(evaluations)),
    questions TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(questions)),
    notes TEXT NOT NULL DEFAULT '',
    follow_weeks INTEGER NOT NULL DEFAULT 4 CHECK (follow_weeks BETWEEN 1 AND 26),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX coaching_sessions_uuid ON coaching_sessions (uuid);
CREATE INDEX coaching_sessions_agent ON coaching_sessions (agent_id, held_on);

CREATE TABLE coaching_actions (
    id INTEGER PRIMARY KEY,
    uuid TEXT,
    session_id INTEGER NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL CHECK (trim(text) <> ''),
    owner TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    done_on TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX coaching_actions_uuid ON coaching_actions (uuid);
CREATE INDEX coaching_actions_session ON coaching_actions (session_id, position);
"""


@MIGRATIONS(name="m011_programme")
def _m011_programme(db: sqlite_utils.Database) -> None:
    """The programme's tables, and every sync trigger put back from the entities as
    they are now (a reviewer's record now carries a team and an agent)."""
    from qa_monitor.storage.sync_schema import ENTITIES_AT_M011, trigger_names, trigger_sql

    # One statement at a time inside the upgrade's transaction (executescript would
    # commit it first, so a kill halfway could leave the new columns without the step
    # recorded, and the next open would fail on them).
    for statement in _PROGRAMME.split(";\n"):
        if statement.strip():
            db.execute(statement)
    # The entities as they were when this step shipped (a later step's tables do not
    # exist yet; each later step installs its own entities' triggers).
    for entity in ENTITIES_AT_M011:
        for name in trigger_names(entity):
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in trigger_sql(entity):
            db.execute(statement)


# --- Appended for calibration sessions (issue 15; docs/calibration.md).
_CALIBRATION = """
CREATE TABLE calibration_sessions (
    id INTEGER PRIMARY KEY,
    uuid TEXT,
    title TEXT NOT NULL CHECK (trim(title) <> ''),
    interaction_id INTEGER NOT NULL REFERENCES interactions (id),
    form_id TEXT NOT NULL REFERENCES forms (id),
    form_version_id INTEGER NOT NULL REFERENCES form_versions (id),
    -- NULL: a consensus session (the panel agrees the answers).
    expert_id INTEGER REFERENCES reviewers (id),
    -- JSON array of the invited reviewers' uuids (the expert is not repeated here).
    reviewers TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reviewers)),
    acceptable REAL NOT NULL DEFAULT 5 CHECK (acceptable BETWEEN 0 AND 100),
    discuss REAL NOT NULL DEFAULT 10 CHECK (discuss BETWEEN acceptable AND 100),
    due_date TEXT,
    summary TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES reviewers (id),
    created_at TEXT NOT NULL,
    revealed_at TEXT,
    revealed_by INTEGER REFERENCES reviewers (id)
);
CREATE UNIQUE INDEX calibration_sessions_uuid ON calibration_sessions (uuid);
CREATE INDEX calibration_sessions_interaction ON calibration_sessions (interaction_id);
CREATE INDEX calibration_sessions_form ON calibration_sessions (form_id, created_at);

-- An evaluation scored into a session, written when it is submitted (its uuid is
-- derived from the evaluation's, so every site makes the same record).
CREATE TABLE calibration_entries (
    id INTEGER PRIMARY KEY,
    uuid TEXT,
    session_id INTEGER NOT NULL REFERENCES calibration_sessions (id),
    evaluation_id INTEGER NOT NULL REFERENCES evaluations (id),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX calibration_entries_uuid ON calibration_entries (uuid);
CREATE UNIQUE INDEX calibration_entries_evaluation ON calibration_entries (evaluation_id);
CREATE INDEX calibration_entries_session ON calibration_entries (session_id);

-- The panel's agreed answer and note per question (one record per session and
-- question on every site: its uuid is derived from both).
CREATE TABLE calibration_notes (
    id INTEGER PRIMARY KEY,
    uuid TEXT,
    session_id INTEGER NOT NULL REFERENCES calibration_sessions (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    agreed TEXT CHECK (agreed IS NULL OR json_valid(agreed)),  -- JSON, as answers.value
    agreed_na INTEGER NOT NULL DEFAULT 0 CHECK (agreed_na IN (0, 1)),
    note TEXT NOT NULL DEFAULT '',
    guidance_change INTEGER NOT NULL DEFAULT 0 CHECK (guidance_change IN (0, 1)),
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX calibration_notes_uuid ON calibration_notes (uuid);
CREATE UNIQUE INDEX calibration_notes_question ON calibration_notes (session_id, question_id)
"""


@MIGRATIONS(name="m012_calibration")
def _m012_calibration(db: sqlite_utils.Database) -> None:
    """Calibration sessions, their entries and notes, with their sync triggers; the
    team-wide settings now include the variance bands, so the settings' triggers are
    put back too."""
    from qa_monitor.storage.sync_schema import (
        CALIBRATION_ENTITIES,
        SETTING,
        trigger_names,
        trigger_sql,
    )

    for statement in _CALIBRATION.split(";\n"):
        if statement.strip():
            db.execute(statement)
    for entity in (SETTING, *CALIBRATION_ENTITIES):
        for name in trigger_names(entity):
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in trigger_sql(entity):
            db.execute(statement)


# --- Appended for damage found at open (issue 13): the JSON documents must be JSON.
# SQLite's quick_check, which runs when a database opens, verifies CHECK constraints,
# so damage inside a document's text (a flipped byte in an intact page, which the file
# structure does not show) is found at open instead of by the next full check. Added
# in place (SQLite's documented way to change a constraint that every row already
# meets): no row moves, so it is instant at any size; a row that fails it is damage,
# and the next open says so.
_DOCUMENT_CHECKS = (
    (
        "sync_journal",
        "    fields TEXT NOT NULL,\n",
        # '' marks an absorbed change (its record holds the fields: sync_apply.ABSORBED).
        "    fields TEXT NOT NULL CHECK (fields = '' OR json_valid(fields)),\n",
    ),
    (
        "form_versions",
        "    definition TEXT NOT NULL,\n",
        "    definition TEXT NOT NULL CHECK (json_valid(definition)),\n",
    ),
    (
        "answers",
        "    value TEXT,  -- JSON",
        # json_valid(NULL) is 0 before SQLite 3.45, and an answer may have no value.
        "    value TEXT CHECK (value IS NULL OR json_valid(value)),  -- JSON",
    ),
)


@MIGRATIONS(name="m013_document_checks")
def _m013_document_checks(db: sqlite_utils.Database) -> None:
    conn = db.conn
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        for table, old, new in _DOCUMENT_CHECKS:
            changed = conn.execute(
                "UPDATE sqlite_master SET sql = replace(sql, ?, ?)"
                " WHERE type = 'table' AND name = ? AND instr(sql, ?) > 0",
                [old, new, table, old],
            ).rowcount
            if changed != 1:
                # A safeguard, not a need: a table whose text differs keeps working
                # without the rule (the full check still reads its documents).
                logging.getLogger(__name__).warning(
                    "m013: %s's definition is not the expected one; its JSON rule is left out",
                    table,
                )
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


# --- Appended for customer outcomes (issue 16; docs/outcomes.md): the customer base
# per period, the customer list it can be computed from, and churn events. Every row's
# uuid is derived from its key (storage/outcome_repo.py), so the same file imported on
# two machines makes the same records.
_OUTCOMES = """
CREATE TABLE customer_counts (
    id INTEGER PRIMARY KEY,
    uuid TEXT,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL CHECK (period_end >= period_start),
    team_id INTEGER REFERENCES teams (id),  -- NULL: the whole centre or a segment
    segment TEXT NOT NULL DEFAULT '',
    customers_start INTEGER NOT NULL CHECK (customers_start >= 0),
    customers_end INTEGER NOT NULL CHECK (customers_end >= 0),
    customers_new INTEGER NOT NULL DEFAULT 0 CHECK (customers_new >= 0),
    source TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    -- A period cannot end with more customers than it had plus those it gained.
    CHECK (customers_end <= customers_start + customers_new)
);
CREATE UNIQUE INDEX customer_counts_uuid ON customer_counts (uuid);
CREATE INDEX customer_counts_period ON customer_counts (period_start, period_end);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    uuid TEXT,
    customer_ref TEXT NOT NULL CHECK (trim(customer_ref) <> ''),
    team_id INTEGER REFERENCES teams (id),
    segment TEXT NOT NULL DEFAULT '',
    started_on TEXT NOT NULL,
    ended_on TEXT CHECK (ended_on IS NULL OR ended_on >= started_on),
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX customers_uuid ON customers (uuid);
CREATE UNIQUE INDEX customers_ref ON customers (customer_ref);
CREATE INDEX customers_dates ON customers (started_on, ended_on);

CREATE TABLE churn_events (
    id INTEGER PRIMARY KEY,
    uuid TEXT,
    customer_ref TEXT NOT NULL CHECK (trim(customer_ref) <> ''),
    churned_on TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT 'other',  -- a code of core/churn_reasons.py
    reason_text TEXT NOT NULL DEFAULT '',  -- as the file wrote it
    interaction_id INTEGER REFERENCES interactions (id),
    team_id INTEGER REFERENCES teams (id),
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX churn_events_uuid ON churn_events (uuid);
CREATE UNIQUE INDEX churn_events_key ON churn_events (customer_ref, churned_on);
CREATE INDEX churn_events_date ON churn_events (churned_on);
CREATE INDEX churn_events_interaction ON churn_events (interaction_id)
    WHERE interaction_id IS NOT NULL;

-- The Outcomes screen sums the survey and outcome columns of a period's interactions:
-- from this index alone, never the wide rows (1.7 s → a fraction at 1M evaluations).
CREATE INDEX interactions_outcomes ON interactions (local_date, team_id, agent_id, csat,
    nps, ces, resolved_first_contact, retention, churn_reason)
"""


@MIGRATIONS(name="m014_outcomes")
def _m014_outcomes(db: sqlite_utils.Database) -> None:
    """The outcome tables with their sync triggers; the team-wide settings now include
    the churn reasons, so the settings' triggers are put back too."""
    from qa_monitor.storage.sync_schema import (
        OUTCOME_ENTITIES,
        SETTING,
        trigger_names,
        trigger_sql,
    )

    for statement in _OUTCOMES.split(";\n"):
        if statement.strip():
            db.execute(statement)
    for entity in (SETTING, *OUTCOME_ENTITIES):
        for name in trigger_names(entity):
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in trigger_sql(entity):
            db.execute(statement)
    # The drivers roll-up (storage/rollup_drivers.py): filled from the interactions
    # that have an outcome, then kept by its triggers.
    from qa_monitor.storage import rollup_drivers

    rollup_drivers.drop_triggers(db.conn)
    rollup_drivers.create_table(db.conn)
    rollup_drivers.refill(db.conn)
    rollup_drivers.create_triggers(db.conn)


# --- Appended for first-contact resolution from repeat contacts (issue 16;
# docs/outcomes.md, storage/repeat_contacts.py): each interaction's next contact by the
# same customer, derived here (it never travels) and kept by triggers, and the drivers
# and outcome roll-ups recreated with the repeat-contact counts beside the reported FCR.
@MIGRATIONS(name="m015_repeat_contacts")
def _m015_repeat_contacts(db: sqlite_utils.Database) -> None:
    """``interactions.next_contact_at`` filled in one set-based statement, its triggers,
    the drivers and outcome roll-ups (storage/rollup_drivers.py) rebuilt with their new
    counts, and a covering index of the contacts for the Outcomes screen's raw reads."""
    from qa_monitor.storage import repeat_contacts, rollup_drivers

    conn = db.conn
    # Every trigger that watches the column is off while it is filled. (m005 and m014
    # install the roll-ups with today's code, which adds the column, empty, on a
    # database from before this step; either way it holds no value yet.)
    rollup_drivers.drop_triggers(conn)
    rollup_drivers.drop_outcome_triggers(conn)
    repeat_contacts.drop_triggers(conn)
    repeat_contacts.add_column(conn)
    repeat_contacts.refill(conn, all_empty=True)
    # The score/CSAT roll-up is unchanged and stays; the other two gain measures.
    for table in (rollup_drivers.TABLE, rollup_drivers.OUTCOME_TABLE):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    rollup_drivers.create_table(conn)
    rollup_drivers.refill(conn, score=False)
    rollup_drivers.create_triggers(conn)
    repeat_contacts.create_triggers(conn)
    # The Outcomes screen's partial months and its pending contacts (the last 7 days)
    # read the contacts from their own covering index, not the wide rows (~0.1 s per
    # refresh at 1M evaluations), and interactions_outcomes stays as narrow as it was.
    conn.execute(repeat_contacts.INDEX_SQL)
