"""The team server's schema in PostgreSQL (docs/team-server.md): the SQL that
``qa-monitor server init`` runs, in one transaction, as often as wanted.

Everything lives in the ``qa`` schema:

- ``qa.changes``: every installation's changes, append-only, with a server-assigned
  global ``cursor`` that readers page by; ``agent`` and ``reviewer`` are filled by a
  trigger from the server's current state (``qa.records``) so that row-level
  security can decide who may read and write each change.
- ``qa.records``: who owns what, now (an interaction's agent, an evaluation's call and
  reviewer); maintained by the same trigger, never read by the app.
- ``qa.members``: which login is which person on the team, and their role.
- ``qa.meta``: the format version and the team's id.

Authorisation is PostgreSQL's own: four group roles (``qa_admin``, ``qa_supervisor``,
``qa_reviewer``, ``qa_agent``), column-limited grants, and row-level security
policies that check both the group and the member's role in *this* database (roles
are shared by every database of a cluster; membership here is not).
"""

from __future__ import annotations

# Bumped when a client of an older format could misread the server.
FORMAT = 1
MIN_SERVER_VERSION = 130000  # PostgreSQL 13: pg_current_xact_id, gen_random_uuid in core

GROUP_ROLES = ("qa_admin", "qa_supervisor", "qa_reviewer", "qa_agent")
MEMBER_ROLES = ("admin", "supervisor", "reviewer", "agent")
_GROUPS = ", ".join(GROUP_ROLES)

# Every writer takes this transaction-level advisory lock (per database) before its
# first row gets a cursor; see _SERIALISE below.
WRITER_LOCK = 0x51A_C4A6

# The roles; CREATE ROLE has no IF NOT EXISTS.
ROLES_SQL = "\n".join(
    f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{r}') THEN"
    f" CREATE ROLE {r} NOLOGIN; END IF; END $$;"
    for r in GROUP_ROLES
)

TABLES_SQL = f"""
CREATE SCHEMA IF NOT EXISTS qa;

CREATE TABLE IF NOT EXISTS qa.meta (
    key text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO qa.meta (key, value) VALUES
    ('format', '{FORMAT}'),
    ('team', gen_random_uuid()::text),
    ('created_at', now()::text)
ON CONFLICT (key) DO NOTHING;

-- fields is json, not jsonb: json keeps the text the client sent, so a real keeps all
-- its digits and comes back as the same float on every site (jsonb would turn 1e16 into
-- an integer and drop the sign of -0.0), and it costs no parsing on insert.
-- The sequence keeps CACHE 1 (the default): a session caching values could commit a
-- smaller cursor after another session's larger one, and readers would skip it.
CREATE TABLE IF NOT EXISTS qa.changes (
    cursor bigserial PRIMARY KEY,
    site uuid NOT NULL,
    seq bigint NOT NULL,
    hlc bigint NOT NULL,
    entity text NOT NULL,
    uuid uuid NOT NULL,
    base bigint NOT NULL DEFAULT 0,
    deleted boolean NOT NULL DEFAULT false,
    fields json NOT NULL,
    author name NOT NULL DEFAULT current_user,
    agent uuid,
    reviewer uuid,
    received_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (site, seq)
);

CREATE TABLE IF NOT EXISTS qa.records (
    uuid uuid PRIMARY KEY,
    entity text NOT NULL,
    parent uuid,                          -- evaluation: its call; audit: its evaluation
    agent uuid,                           -- interaction: its agent
    agent_hlc bigint NOT NULL DEFAULT 0,
    reviewer uuid,                        -- evaluation: its reviewer (owner)
    reviewer_hlc bigint NOT NULL DEFAULT 0
);

-- Snapshots for new members (services/sync_snapshot.py): a cleaned, packed copy of a
-- supervisor's database in parts of at most 64 MB, and the cursor it was read up to.
CREATE TABLE IF NOT EXISTS qa.snapshots (
    id bigserial PRIMARY KEY,
    site uuid NOT NULL,
    manifest json NOT NULL,
    author name NOT NULL DEFAULT current_user,
    written_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS qa.snapshot_parts (
    snapshot bigint NOT NULL REFERENCES qa.snapshots (id) ON DELETE CASCADE,
    n integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (snapshot, n)
);

CREATE TABLE IF NOT EXISTS qa.members (
    login name PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('admin', 'supervisor', 'reviewer', 'agent')),
    agent uuid,
    reviewer uuid,
    display_name text NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now()
);
"""

# Fixed search_path on every SECURITY DEFINER function: callers cannot slip their own
# objects in front of ours.
_DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, pg_temp"

FUNCTIONS_SQL = f"""
CREATE OR REPLACE FUNCTION qa.member_role(login name) RETURNS text
LANGUAGE sql STABLE {_DEFINER}
AS $$ SELECT m.role FROM qa.members m WHERE m.login = $1 $$;

CREATE OR REPLACE FUNCTION qa.member_agent(login name) RETURNS uuid
LANGUAGE sql STABLE {_DEFINER}
AS $$ SELECT m.agent FROM qa.members m WHERE m.login = $1 $$;

CREATE OR REPLACE FUNCTION qa.member_reviewer(login name) RETURNS uuid
LANGUAGE sql STABLE {_DEFINER}
AS $$ SELECT m.reviewer FROM qa.members m WHERE m.login = $1 $$;

-- The newest committed cursor, whatever the caller may read (readers page up to it).
CREATE OR REPLACE FUNCTION qa.last_cursor() RETURNS bigint
LANGUAGE sql STABLE {_DEFINER}
AS $$ SELECT coalesce(max(c.cursor), 0) FROM qa.changes c $$;

-- The last sequence the server holds from one installation (a copied database file
-- shows up as a site whose changes the server already has more of).
CREATE OR REPLACE FUNCTION qa.site_last_seq(site uuid) RETURNS bigint
LANGUAGE sql STABLE {_DEFINER}
AS $$ SELECT coalesce(max(c.seq), 0) FROM qa.changes c WHERE c.site = $1 $$;

-- Fills a change's agent and reviewer from the server's current state, and keeps that
-- state: an interaction's agent; an evaluation's call and reviewer. For an evaluation,
-- ``reviewer`` is its owner *before* this change (its author when it is new), so a
-- change that names a new reviewer is judged by the evaluation's current owner.
CREATE OR REPLACE FUNCTION qa.change_owners() RETURNS trigger
LANGUAGE plpgsql {_DEFINER}
AS $$
DECLARE
    f record;
    rec qa.records%ROWTYPE;
BEGIN
    NEW.agent := NULL;
    NEW.reviewer := NULL;
    IF NEW.entity = 'coaching' THEN
        -- A coaching session belongs to its agent, who may read it.
        INSERT INTO qa.records AS r (uuid, entity, agent, agent_hlc)
        VALUES (NEW.uuid, 'coaching', (NEW.fields::jsonb->>'agent')::uuid, NEW.hlc)
        ON CONFLICT (uuid) DO UPDATE SET agent = coalesce(excluded.agent, r.agent)
        WHERE excluded.agent IS NOT NULL AND r.agent_hlc < excluded.agent_hlc
        RETURNING r.agent INTO NEW.agent;
        IF NEW.agent IS NULL THEN
            SELECT r.agent INTO NEW.agent FROM qa.records r WHERE r.uuid = NEW.uuid;
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.entity NOT IN ('interaction', 'evaluation', 'audit') THEN
        RETURN NEW;
    END IF;
    -- One parse of the change for every reference it may carry (each json operator
    -- would parse it again; an evaluation's fields are a few kilobytes).
    SELECT * INTO f FROM json_to_record(NEW.fields)
        AS x(agent uuid, interaction uuid, reviewer uuid, evaluation uuid);
    IF NEW.entity = 'interaction' THEN
        IF f.agent IS NOT NULL THEN
            INSERT INTO qa.records AS r (uuid, entity, agent, agent_hlc)
            VALUES (NEW.uuid, 'interaction', f.agent, NEW.hlc)
            ON CONFLICT (uuid) DO UPDATE SET agent = excluded.agent, agent_hlc = excluded.agent_hlc
            WHERE r.agent_hlc < excluded.agent_hlc
            RETURNING r.agent INTO NEW.agent;
        END IF;
        IF NEW.agent IS NULL THEN
            SELECT r.agent INTO NEW.agent FROM qa.records r WHERE r.uuid = NEW.uuid;
        END IF;
    ELSIF NEW.entity = 'evaluation' THEN
        -- Most evaluation changes create their record (a first sync sends thousands):
        -- try that first, in one statement.
        INSERT INTO qa.records (uuid, entity, parent, reviewer, reviewer_hlc)
        VALUES (NEW.uuid, 'evaluation', f.interaction, f.reviewer, NEW.hlc)
        ON CONFLICT (uuid) DO NOTHING
        RETURNING * INTO rec;
        IF FOUND THEN
            NEW.reviewer := rec.reviewer;
        ELSE
            SELECT * INTO rec FROM qa.records r WHERE r.uuid = NEW.uuid;
            NEW.reviewer := coalesce(rec.reviewer, f.reviewer);
            IF (rec.parent IS NULL AND f.interaction IS NOT NULL)
                OR (f.reviewer IS NOT NULL AND rec.reviewer_hlc < NEW.hlc) THEN
                UPDATE qa.records r SET
                    parent = coalesce(r.parent, f.interaction),
                    reviewer = CASE WHEN f.reviewer IS NOT NULL AND r.reviewer_hlc < NEW.hlc
                        THEN f.reviewer ELSE r.reviewer END,
                    reviewer_hlc = CASE WHEN f.reviewer IS NOT NULL AND r.reviewer_hlc < NEW.hlc
                        THEN NEW.hlc ELSE r.reviewer_hlc END
                WHERE r.uuid = NEW.uuid
                RETURNING * INTO rec;
            END IF;
        END IF;
        SELECT i.agent INTO NEW.agent FROM qa.records i WHERE i.uuid = rec.parent;
    ELSE
        SELECT e.reviewer, i.agent INTO NEW.reviewer, NEW.agent
        FROM qa.records e LEFT JOIN qa.records i ON i.uuid = e.parent
        WHERE e.uuid = f.evaluation;
    END IF;
    RETURN NEW;
END
$$;

-- Readers page by cursor and remember the last one they applied, so a row must never
-- become visible *after* a row with a larger cursor: a reader that had moved past it
-- would skip it forever. A bigserial alone does not promise that: two writers take
-- cursors 10 and 11, the one holding 11 commits first, a reader stores 11, then 10
-- commits. So every writing statement first takes one transaction-level advisory lock
-- (this BEFORE STATEMENT trigger fires before any row's default takes a cursor), and
-- holds it until commit: cursors are handed out in commit order and every committed
-- row's cursor is below any cursor still in flight. Readers never wait for it.
-- (A filter on pg_snapshot_xmin with an xid8 per row was the alternative; it stalls
-- every reader while any long transaction runs anywhere in the cluster, and xids do not
-- survive a dump and restore into another cluster.)
CREATE OR REPLACE FUNCTION qa.serialise_writers() RETURNS trigger
LANGUAGE plpgsql {_DEFINER}
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({WRITER_LOCK});
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION qa.refuse_rewrite() RETURNS trigger
LANGUAGE plpgsql {_DEFINER}
AS $$
BEGIN
    RAISE EXCEPTION 'qa.changes is append-only: changes are never updated or deleted';
END
$$;

DROP TRIGGER IF EXISTS changes_serialise ON qa.changes;
CREATE TRIGGER changes_serialise BEFORE INSERT ON qa.changes
    FOR EACH STATEMENT EXECUTE FUNCTION qa.serialise_writers();
DROP TRIGGER IF EXISTS changes_owners ON qa.changes;
CREATE TRIGGER changes_owners BEFORE INSERT ON qa.changes
    FOR EACH ROW EXECUTE FUNCTION qa.change_owners();
DROP TRIGGER IF EXISTS changes_append_only ON qa.changes;
CREATE TRIGGER changes_append_only BEFORE UPDATE OR DELETE ON qa.changes
    FOR EACH ROW EXECUTE FUNCTION qa.refuse_rewrite();
"""

GRANTS_SQL = f"""
REVOKE ALL ON SCHEMA qa FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA qa FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA qa FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA qa FROM {_GROUPS};
GRANT USAGE ON SCHEMA qa TO {_GROUPS};
GRANT SELECT ON qa.meta, qa.members, qa.changes TO {_GROUPS};
-- Only the change itself: cursor, author, owners and time are the server's.
GRANT INSERT (site, seq, hlc, entity, uuid, base, deleted, fields) ON qa.changes
    TO {_GROUPS};
GRANT USAGE ON SEQUENCE qa.changes_cursor_seq TO {_GROUPS};
-- Snapshots hold everything: read by those who read everything, written by those who
-- may change everything (the policies below check the member's role here too).
GRANT SELECT ON qa.snapshots, qa.snapshot_parts TO qa_admin, qa_supervisor, qa_reviewer;
GRANT INSERT, DELETE ON qa.snapshots, qa.snapshot_parts TO qa_admin, qa_supervisor;
GRANT USAGE ON SEQUENCE qa.snapshots_id_seq TO qa_admin, qa_supervisor;
GRANT EXECUTE ON FUNCTION qa.member_role(name), qa.member_agent(name),
    qa.member_reviewer(name), qa.last_cursor(), qa.site_last_seq(uuid) TO {_GROUPS};
"""

_ROLE = "(SELECT qa.member_role(current_user))"
_MY_AGENT = "(SELECT qa.member_agent(current_user))"
_MY_REVIEWER = "(SELECT qa.member_reviewer(current_user))"

# Each policy names a group *and* checks the member's role in this database.
POLICIES_SQL = f"""
ALTER TABLE qa.changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE qa.changes FORCE ROW LEVEL SECURITY;
ALTER TABLE qa.members ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS owner_reads ON qa.changes;
DROP POLICY IF EXISTS staff_read ON qa.changes;
DROP POLICY IF EXISTS agent_read ON qa.changes;
DROP POLICY IF EXISTS admin_insert ON qa.changes;
DROP POLICY IF EXISTS supervisor_insert ON qa.changes;
DROP POLICY IF EXISTS reviewer_insert ON qa.changes;
DROP POLICY IF EXISTS agent_insert ON qa.changes;
DROP POLICY IF EXISTS member_read ON qa.members;
ALTER TABLE qa.snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE qa.snapshot_parts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS snapshot_read ON qa.snapshots;
DROP POLICY IF EXISTS snapshot_write ON qa.snapshots;
DROP POLICY IF EXISTS snapshot_part_read ON qa.snapshot_parts;
DROP POLICY IF EXISTS snapshot_part_write ON qa.snapshot_parts;
CREATE POLICY snapshot_read ON qa.snapshots FOR SELECT
    USING ({_ROLE} IN ('admin', 'supervisor', 'reviewer'));
CREATE POLICY snapshot_write ON qa.snapshots FOR ALL
    USING ({_ROLE} IN ('admin', 'supervisor'))
    WITH CHECK ({_ROLE} IN ('admin', 'supervisor') AND author = current_user);
CREATE POLICY snapshot_part_read ON qa.snapshot_parts FOR SELECT
    USING ({_ROLE} IN ('admin', 'supervisor', 'reviewer'));
CREATE POLICY snapshot_part_write ON qa.snapshot_parts FOR ALL
    USING ({_ROLE} IN ('admin', 'supervisor'))
    WITH CHECK ({_ROLE} IN ('admin', 'supervisor'));

-- FORCE applies the policies to the schema's owner too; it may read (its SECURITY
-- DEFINER functions above do), never write.
CREATE POLICY owner_reads ON qa.changes FOR SELECT TO CURRENT_USER USING (true);

-- Admins, supervisors and reviewers read everything.
CREATE POLICY staff_read ON qa.changes FOR SELECT TO qa_admin, qa_supervisor, qa_reviewer
    USING ({_ROLE} IN ('admin', 'supervisor', 'reviewer'));

-- An agent reads the team's settings, roster, reviewers and forms, their own agent
-- record, and only the calls, evaluations and audit entries that are theirs.
CREATE POLICY agent_read ON qa.changes FOR SELECT TO qa_agent
    USING ({_ROLE} = 'agent' AND (
        entity IN ('setting', 'team', 'reviewer', 'form', 'form_version')
        OR (entity = 'agent' AND uuid = {_MY_AGENT})
        OR (entity IN ('interaction', 'evaluation', 'audit', 'coaching')
            AND agent = {_MY_AGENT})));

CREATE POLICY admin_insert ON qa.changes FOR INSERT TO qa_admin
    WITH CHECK ({_ROLE} = 'admin' AND author = current_user);
CREATE POLICY supervisor_insert ON qa.changes FOR INSERT TO qa_supervisor
    WITH CHECK ({_ROLE} = 'supervisor' AND author = current_user);

-- A reviewer: calls; evaluations they own (created as theirs, never handed to someone
-- else; acknowledging, disputing and resolving belong to agents and supervisors,
-- except in the evaluation's first record, which carries its history); audit entries
-- on their own evaluations. Never the roster or forms.
CREATE POLICY reviewer_insert ON qa.changes FOR INSERT TO qa_reviewer
    WITH CHECK ({_ROLE} = 'reviewer' AND author = current_user AND (
        entity = 'interaction'
        OR (entity = 'evaluation' AND NOT deleted AND reviewer = {_MY_REVIEWER}
            AND coalesce((fields->>'reviewer')::uuid, reviewer) = reviewer
            AND (fields->>'status' IS NULL OR fields->>'status' = 'submitted'
                 OR fields->'interaction' IS NOT NULL))
        OR (entity = 'audit' AND NOT deleted AND reviewer = {_MY_REVIEWER})
        -- The programme (issue 14): a reviewer works their queue (skips a call) and
        -- coaches; sampling rules are the supervisors'. Calibration (issue 15): an
        -- expert reviewer runs sessions, and every participant's submitted
        -- evaluation joins its session (the app checks who may do what).
        OR entity IN ('queue_item', 'coaching', 'coaching_action', 'calibration_session',
                      'calibration_entry', 'calibration_note')));

-- An agent: only acknowledging or disputing their own evaluations, with the audit
-- entries that record it (core/disputes.py): the status change, the response (day
-- and way) and one entry per disputed question, all in the agent's own name (no
-- reviewer as actor). Deciding a dispute is never theirs.
CREATE POLICY agent_insert ON qa.changes FOR INSERT TO qa_agent
    WITH CHECK ({_ROLE} = 'agent' AND author = current_user AND NOT deleted
        AND agent = {_MY_AGENT} AND (
        (entity = 'evaluation' AND ARRAY(SELECT json_object_keys(fields)) = ARRAY['status']
            AND fields->>'status' IN ('acknowledged', 'disputed'))
        OR (entity = 'audit' AND fields->>'actor' IS NULL AND (
            (fields->>'action' = 'status' AND fields->>'new' IN ('acknowledged', 'disputed'))
            OR (fields->>'action' = 'respond'
                AND fields->>'field' IN ('acknowledged', 'disputed'))
            OR fields->>'action' = 'dispute'))));

CREATE POLICY member_read ON qa.members FOR SELECT TO {_GROUPS}
    USING (login = current_user OR {_ROLE} IN ('admin', 'supervisor'));
"""

INIT_SQL = (ROLES_SQL, TABLES_SQL, FUNCTIONS_SQL, GRANTS_SQL, POLICIES_SQL)

# What ``server init`` reports as created: (label, test that it exists).
OBJECTS: tuple[tuple[str, str], ...] = (
    ("schema qa", "SELECT 1 FROM pg_namespace WHERE nspname = 'qa'"),
    *((f"role {r}", f"SELECT 1 FROM pg_roles WHERE rolname = '{r}'") for r in GROUP_ROLES),
    *(
        (f"table qa.{t}", f"SELECT 1 FROM pg_tables WHERE schemaname = 'qa' AND tablename = '{t}'")
        for t in ("meta", "changes", "records", "members", "snapshots", "snapshot_parts")
    ),
)
