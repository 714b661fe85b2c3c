"""What a DBA runs on the team server: ``server init`` and ``server add-user``.

Both run on a connection of a PostgreSQL user who may create roles and owns (or may
create) the ``qa`` schema: usually the superuser or the database's owner. Every
function raises ``ServerAdminError`` with a sentence when it cannot do its job.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qa_monitor.core.sync_merge import Change, fold
from qa_monitor.storage.server_schema import (
    FORMAT,
    INIT_SQL,
    MEMBER_ROLES,
    MIN_SERVER_VERSION,
    OBJECTS,
)
from qa_monitor.storage.server_store import ServerStore, change_of

if TYPE_CHECKING:
    import psycopg


class ServerAdminError(Exception):
    """The server cannot be set up as asked; the message says why and what to do."""


def _version_text(num: int) -> str:
    return f"{num // 10000}.{num % 10000}" if num >= 100000 else f"{num // 10000}"


def init_server(conn: psycopg.Connection[Any]) -> list[str]:
    """Create (or bring up to date) the schema, roles and policies; one transaction.
    Returns sentences saying what was created."""
    version = conn.info.server_version
    if version < MIN_SERVER_VERSION:
        raise ServerAdminError(
            f"This server runs PostgreSQL {_version_text(version)}; QA Monitor's team server "
            "needs PostgreSQL 13 or newer. Upgrade the server, or use another one."
        )
    store = ServerStore(conn)
    if _has_meta(conn):
        row = conn.execute("SELECT value FROM qa.meta WHERE key = 'format'").fetchone()
        if row is not None and int(row[0]) > FORMAT:
            raise ServerAdminError(
                "This database was set up by a newer QA Monitor. Run 'server init' from that "
                "version (or newer); nothing was changed."
            )
    existed = {label: conn.execute(test).fetchone() is not None for label, test in OBJECTS}
    with conn.transaction():
        for statement in INIT_SQL:
            conn.execute(statement)
    created = [label for label, was in existed.items() if not was]
    lines = [f"Created {label}." for label in created]
    if len(created) < len(existed):
        lines.append(
            f"{len(existed) - len(created)} of {len(existed)} schema objects and roles were "
            "already there; functions, grants and row-level security policies are up to date."
        )
    else:
        lines.append("Created functions, grants and row-level security policies.")
    lines.append(f"Team server ready: format {FORMAT}, team {store.meta()['team']}.")
    return lines


def _has_meta(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute(
        "SELECT 1 FROM pg_tables WHERE schemaname = 'qa' AND tablename = 'meta'"
    ).fetchone()
    return row is not None


@dataclass(frozen=True)
class Person:
    uuid: str
    name: str


def people(conn: psycopg.Connection[Any], entity: str) -> list[Person]:
    """The team's current agents or reviewers on the server (tombstones left out),
    folded from their changes like any installation does."""
    rows = conn.execute(
        "SELECT cursor, site::text, seq, hlc, entity, uuid::text, base, deleted, fields::text"
        " FROM qa.changes WHERE entity = %s",
        [entity],
    ).fetchall()
    by_uuid: dict[str, list[Change]] = defaultdict(list)
    for row in rows:
        change = change_of(row)
        by_uuid[change.uuid].append(change)
    found = []
    for uuid, changes in by_uuid.items():
        state = fold(uuid, changes)
        if not state.deleted and state.fields.get("name"):
            found.append(Person(uuid, str(state.fields["name"])))
    return sorted(found, key=lambda p: (p.name.casefold(), p.uuid))


def find_person(conn: psycopg.Connection[Any], entity: str, wanted: str) -> Person:
    """The agent or reviewer called ``wanted`` (or with that id)."""
    everyone = people(conn, entity)
    matches = [p for p in everyone if p.uuid == wanted.strip().lower()] or [
        p for p in everyone if p.name.casefold() == wanted.strip().casefold()
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ServerAdminError(
            f"No {entity} called '{wanted}' has reached the team server yet. Sync the "
            f"installation where the {entity} was added, then try again."
        )
    listed = "; ".join(f"{p.name} ({p.uuid})" for p in matches)
    raise ServerAdminError(
        f"More than one {entity} is called '{wanted}': {listed}. Give the id instead of the name."
    )


def add_user(
    conn: psycopg.Connection[Any],
    login: str,
    role: str,
    password: str,
    *,
    agent: str | None = None,
    reviewer: str | None = None,
    display_name: str | None = None,
) -> list[str]:
    """Create (or update) ``login`` with ``password``, put it in its group role and record
    who it is on the team. Returns sentences saying what was done."""
    from psycopg import sql

    if role not in MEMBER_ROLES:
        raise ServerAdminError(
            f"'{role}' is not a role; choose admin, supervisor, reviewer or agent."
        )
    if not ServerStore(conn).schema_exists():
        raise ServerAdminError(
            "This database has no QA Monitor team schema yet; run 'qa-monitor server init' first."
        )
    if role == "agent" and not agent:
        raise ServerAdminError("An agent's login needs the agent it belongs to (--agent NAME).")
    if role == "reviewer" and not reviewer:
        raise ServerAdminError(
            "A reviewer's login needs the reviewer it belongs to (--reviewer NAME)."
        )
    if len(password) < 8:
        raise ServerAdminError("Choose a password of at least 8 characters.")
    as_agent = find_person(conn, "agent", agent) if agent else None
    as_reviewer = find_person(conn, "reviewer", reviewer) if reviewer else None
    name = display_name or (as_agent or as_reviewer or Person("", login)).name
    # The verifier is made here, so the password itself never reaches the server's logs.
    verifier = conn.pgconn.encrypt_password(
        password.encode(), login.encode(), b"scram-sha-256"
    ).decode()
    ident = sql.Identifier(login)
    lines = []
    with conn.transaction():
        exists = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [login])
        row = exists.fetchone()
        if row is not None and row[0]:
            raise ServerAdminError(
                f"'{login}' is a superuser; QA Monitor logins must be ordinary users so that "
                "row-level security applies. Choose another login name."
            )
        verb = sql.SQL("ALTER ROLE") if row is not None else sql.SQL("CREATE ROLE")
        conn.execute(
            sql.SQL("{} {} WITH LOGIN PASSWORD {}").format(verb, ident, sql.Literal(verifier))
        )
        # A crashed client must not hold the writers' lock for long.
        conn.execute(
            sql.SQL("ALTER ROLE {} SET idle_in_transaction_session_timeout = '2min'").format(ident)
        )
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(f"qa_{role}"), ident))
        conn.execute(
            "INSERT INTO qa.members (login, role, agent, reviewer, display_name)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (login) DO UPDATE SET role = excluded.role,"
            " agent = excluded.agent, reviewer = excluded.reviewer,"
            " display_name = excluded.display_name",
            [
                login,
                role,
                as_agent.uuid if as_agent else None,
                as_reviewer.uuid if as_reviewer else None,
                name,
            ],
        )
    lines.append(
        f"{'Updated' if row is not None else 'Created'} login '{login}' for {name} ({role})."
    )
    if as_agent:
        lines.append(f"It sees only the evaluations of agent {as_agent.name}.")
    if as_reviewer:
        lines.append(f"Its evaluations are those of reviewer {as_reviewer.name}.")
    return lines
