"""Teams, agents and reviewers.

Names are unique among the active people of a kind, compared by their match key
(``core.text_keys.name_key``: case, Persian/Arabic letter forms, invisible marks and
digits folded), so a former agent's name can be reused; deactivating keeps history
intact. Every write stores the key beside the name (``name_key``), which searches
and imports match on; the name is kept exactly as typed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from qa_monitor.core.echo_text import shorten
from qa_monitor.core.records import Agent, Reviewer, Team
from qa_monitor.core.text_keys import name_key
from qa_monitor.storage.database import Database
from qa_monitor.storage.errors import ConflictError, NotFoundError
from qa_monitor.storage.transactions import writes
from qa_monitor.storage.values import opt_date, opt_date_text, utc_text

Row = dict[str, Any]

# What refers to each kind of person: (table, column) pairs, for "in use" checks.
_REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "teams": (
        ("evaluations", "team_id"),
        ("interactions", "team_id"),
        ("agents", "team_id"),
        ("reviewers", "team_id"),
        ("sampling_rules", "team_id"),
    ),
    "agents": (
        ("evaluations", "agent_id"),
        ("interactions", "agent_id"),
        ("reviewers", "agent_id"),
        ("coaching_sessions", "agent_id"),
    ),
    "reviewers": (
        ("evaluations", "reviewer_id"),
        ("form_versions", "published_by"),
        ("audit_log", "actor_id"),
        ("queue_items", "reviewer_id"),
        ("coaching_sessions", "coach_id"),
    ),
}
_LABELS = {"teams": "team", "agents": "agent", "reviewers": "reviewer"}
# The longest name accepted (the import's limit too: services/import_fields.py).
NAME_LIMIT = 200


def _team(row: Row) -> Team:
    return Team(id=row["id"], name=row["name"], active=bool(row["active"]))


def _agent(row: Row) -> Agent:
    return Agent(
        id=row["id"],
        name=row["name"],
        team_id=row["team_id"],
        active=bool(row["active"]),
        hire_date=opt_date(row["hire_date"]),
        external_id=row["external_id"],
        email=row["email"],
    )


def _reviewer(row: Row) -> Reviewer:
    return Reviewer(
        id=row["id"],
        name=row["name"],
        active=bool(row["active"]),
        is_expert=bool(row["is_expert"]),
        team_id=row["team_id"],
        agent_id=row["agent_id"],
    )


class PeopleRepo:
    def __init__(self, db: Database):
        self.db = db

    # -- shared --------------------------------------------------------------------------
    def _row(self, table: str, id_: int) -> Row:
        rows = list(self.db.query(f"SELECT * FROM {table} WHERE id = ?", [id_]))
        if not rows:
            raise NotFoundError(_LABELS[table], id_)
        return rows[0]

    # Listing filters with "active >= ?": 0 lists everyone, 1 only the active.
    def _rows(self, table: str, where: str, params: list[Any]) -> list[Row]:
        sql = f"SELECT * FROM {table} WHERE {where} ORDER BY name COLLATE NOCASE, id"
        return list(self.db.query(sql, params))

    def _clean_name(self, table: str, name: str) -> str:
        name = name.strip()
        if not name:
            raise ValueError(f"a {_LABELS[table]} needs a name")
        if len(name) > NAME_LIMIT:
            raise ValueError(
                f"a name can have at most {NAME_LIMIT} characters; "
                f"'{shorten(name)}' has {len(name):,}"
            )
        return name

    def _check_name(self, table: str, name: str, exclude_id: int | None = None) -> str:
        """``name`` trimmed; ValueError if empty or too long, ConflictError if an active
        person of the kind has the same name key."""
        name = self._clean_name(table, name)
        clash = self.db.execute(
            f"SELECT 1 FROM {table} WHERE active = 1 AND name_key = ? AND id IS NOT ?",
            [name_key(name), exclude_id],
        ).fetchone()
        if clash:
            raise ConflictError(
                f"an active {_LABELS[table]} named '{shorten(name)}' already exists"
            )
        return name

    def usage(self, table: str, id_: int) -> dict[str, int]:
        """How many rows of each referring table point at this person (nonzero only)."""
        counts: dict[str, int] = {}
        for ref_table, column in _REFERENCES[table]:
            (n,) = self.db.execute(
                f"SELECT count(*) FROM {ref_table} WHERE {column} = ?", [id_]
            ).fetchone()
            if n:
                counts[ref_table] = n
        return counts

    @writes
    def set_active(self, table: str, id_: int, active: bool) -> None:
        row = self._row(table, id_)
        if active and not row["active"]:
            self._check_name(table, row["name"], id_)
        self.db.execute(f"UPDATE {table} SET active = ? WHERE id = ?", [int(active), id_])

    @writes
    def delete(self, table: str, id_: int) -> None:
        """Delete for good; refused by foreign keys while anything refers to the person."""
        self._row(table, id_)
        self.db.execute(f"DELETE FROM {table} WHERE id = ?", [id_])

    # -- teams ---------------------------------------------------------------------------
    @writes
    def add_team(self, name: str, now: datetime) -> Team:
        name = self._check_name("teams", name)
        cur = self.db.execute(
            "INSERT INTO teams (name, name_key, created_at) VALUES (?, ?, ?)",
            [name, name_key(name), utc_text(now)],
        )
        return self.get_team(_lastrowid(cur.lastrowid))

    def get_team(self, team_id: int) -> Team:
        return _team(self._row("teams", team_id))

    def list_teams(self, *, active_only: bool = False) -> list[Team]:
        return [_team(r) for r in self._rows("teams", "active >= ?", [int(active_only)])]

    @writes
    def rename_team(self, team_id: int, name: str) -> Team:
        team = self.get_team(team_id)
        if team.active:
            name = self._check_name("teams", name, team_id)
        else:
            name = self._clean_name("teams", name)
        self.db.execute(
            "UPDATE teams SET name = ?, name_key = ? WHERE id = ?", [name, name_key(name), team_id]
        )
        return self.get_team(team_id)

    # -- agents --------------------------------------------------------------------------
    @writes
    def add_agent(
        self,
        name: str,
        now: datetime,
        *,
        team_id: int | None = None,
        hire_date: date | None = None,
        external_id: str | None = None,
        email: str | None = None,
    ) -> Agent:
        name = self._check_name("agents", name)
        self._check_external_id(external_id, None)
        cur = self.db.execute(
            "INSERT INTO agents (name, name_key, team_id, hire_date, external_id, email,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                name,
                name_key(name),
                team_id,
                opt_date_text(hire_date),
                external_id or None,
                email or None,
                utc_text(now),
            ],
        )
        return self.get_agent(_lastrowid(cur.lastrowid))

    def get_agent(self, agent_id: int) -> Agent:
        return _agent(self._row("agents", agent_id))

    def find_agent(self, external_id: str) -> Agent | None:
        rows = self._rows("agents", "external_id = ?", [external_id])
        return _agent(rows[0]) if rows else None

    def list_agents(self, *, active_only: bool = False, team_id: int | None = None) -> list[Agent]:
        where, params = "active >= ?", [int(active_only)]
        if team_id is not None:
            where += " AND team_id = ?"
            params.append(team_id)
        return [_agent(r) for r in self._rows("agents", where, params)]

    @writes
    def update_agent(self, agent: Agent) -> Agent:
        """Store ``agent``'s name, team, hire date, external id and email (not ``active``)."""
        old = self.get_agent(agent.id)
        if old.active:
            name = self._check_name("agents", agent.name, agent.id)
        else:
            name = self._clean_name("agents", agent.name)
        self._check_external_id(agent.external_id, agent.id)
        self.db.execute(
            "UPDATE agents SET name = ?, name_key = ?, team_id = ?, hire_date = ?,"
            " external_id = ?, email = ? WHERE id = ?",
            [
                name,
                name_key(name),
                agent.team_id,
                opt_date_text(agent.hire_date),
                agent.external_id or None,
                agent.email or None,
                agent.id,
            ],
        )
        return self.get_agent(agent.id)

    def _check_external_id(self, external_id: str | None, exclude_id: int | None) -> None:
        if not external_id:
            return
        clash = self.db.execute(
            "SELECT name FROM agents WHERE external_id = ? AND id IS NOT ?",
            [external_id, exclude_id],
        ).fetchone()
        if clash:
            raise ConflictError(
                f"external id '{shorten(external_id)}' already belongs to {shorten(clash[0])}"
            )

    # -- reviewers -----------------------------------------------------------------------
    @writes
    def add_reviewer(
        self,
        name: str,
        now: datetime,
        *,
        is_expert: bool = False,
        team_id: int | None = None,
        agent_id: int | None = None,
    ) -> Reviewer:
        name = self._check_name("reviewers", name)
        cur = self.db.execute(
            "INSERT INTO reviewers (name, name_key, is_expert, team_id, agent_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [name, name_key(name), int(is_expert), team_id, agent_id, utc_text(now)],
        )
        return self.get_reviewer(_lastrowid(cur.lastrowid))

    def get_reviewer(self, reviewer_id: int) -> Reviewer:
        return _reviewer(self._row("reviewers", reviewer_id))

    def list_reviewers(self, *, active_only: bool = False) -> list[Reviewer]:
        return [_reviewer(r) for r in self._rows("reviewers", "active >= ?", [int(active_only)])]

    @writes
    def update_reviewer(self, reviewer: Reviewer) -> Reviewer:
        """Store ``reviewer``'s name, expert flag, team and agent record (not ``active``)."""
        old = self.get_reviewer(reviewer.id)
        if old.active:
            name = self._check_name("reviewers", reviewer.name, reviewer.id)
        else:
            name = self._clean_name("reviewers", reviewer.name)
        self.db.execute(
            "UPDATE reviewers SET name = ?, name_key = ?, is_expert = ?, team_id = ?,"
            " agent_id = ? WHERE id = ?",
            [
                name,
                name_key(name),
                int(reviewer.is_expert),
                reviewer.team_id,
                reviewer.agent_id,
                reviewer.id,
            ],
        )
        return self.get_reviewer(reviewer.id)


def _lastrowid(value: int | None) -> int:
    assert value is not None
    return value
