"""Travelling records described by their uuid, for the Sync conflicts view: whose call,
which day, which team, so a person sees names and dates, never an internal id.

A uuid another site also created under another uuid (``sync_aliases``) is looked up
under the uuid this database keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qa_monitor.storage.database import Database
from qa_monitor.storage.sync_schema import BY_NAME

# The column that names a record of each table, as people know it.
_NAME_COLUMN = {
    "teams": "name",
    "agents": "name",
    "reviewers": "name",
    "forms": "title",
    "interactions": "external_id",
}
_KEPT_UUID = "coalesce((SELECT uuid FROM sync_aliases WHERE alias = :uuid), :uuid)"


@dataclass(frozen=True)
class RecordInfo:
    """What a person needs to recognise one record. ``found`` is False when the
    record is not (or no longer) here; the other fields are then empty."""

    entity: str
    uuid: str
    found: bool = False
    name: str = ""  # team, agent or reviewer name, form title, call id
    team: str = ""  # an agent's team
    agent: str = ""  # the agent of a call or of an evaluated call
    reviewer: str = ""  # who scored an evaluation
    started_at: str = ""  # UTC ISO-8601 text of the call
    local_date: str = ""  # the call's day in the centre's zone (YYYY-MM-DD)
    form_title: str = ""
    form_version: int = 0
    definition: str = ""  # the form version's JSON, for question texts and options
    evaluation_id: int | None = None  # local id, to open the evaluation


class SyncRecords:
    def __init__(self, db: Database):
        self.db = db

    def describe(self, entity: str, uuid: str) -> RecordInfo:
        """The record ``uuid`` of ``entity`` (an ``sync_schema`` entity name)."""
        if entity == "evaluation":
            return self._evaluation(uuid)
        if entity == "interaction":
            return self._interaction(uuid)
        if entity == "audit":
            row = self.db.execute(
                "SELECT e.uuid FROM audit_log l JOIN evaluations e ON e.id = l.evaluation_id"
                f" WHERE l.uuid = {_KEPT_UUID}",
                {"uuid": uuid},
            ).fetchone()
            return self._evaluation(row[0]) if row else RecordInfo(entity, uuid)
        if entity == "agent":
            row = self.db.execute(
                "SELECT a.name, coalesce(t.name, '') FROM agents a"
                f" LEFT JOIN teams t ON t.id = a.team_id WHERE a.uuid = {_KEPT_UUID}",
                {"uuid": uuid},
            ).fetchone()
            if row is None:
                return RecordInfo(entity, uuid)
            return RecordInfo(entity, uuid, True, name=row[0], team=row[1])
        if entity == "form_version":
            row = self.db.execute(
                "SELECT f.title, v.version, v.definition FROM form_versions v"
                f" JOIN forms f ON f.id = v.form_id WHERE v.uuid = {_KEPT_UUID}",
                {"uuid": uuid},
            ).fetchone()
            if row is None:
                return RecordInfo(entity, uuid)
            return RecordInfo(
                entity, uuid, True, form_title=row[0], form_version=row[1], definition=row[2]
            )
        table = BY_NAME[entity].table if entity in BY_NAME else ""
        name = self.name_of(table, uuid)
        return RecordInfo(entity, uuid, name is not None, name=name or "")

    def name_of(self, table: str, uuid: str) -> str | None:
        """The name of the record ``uuid`` of ``table`` (None: no such record here, or
        the table has no name people know)."""
        column = _NAME_COLUMN.get(table)
        if column is None:
            return None
        row = self.db.execute(
            f"SELECT {column} FROM {table} WHERE uuid = {_KEPT_UUID}", {"uuid": uuid}
        ).fetchone()
        return None if row is None else str(row[0] or "")

    def _evaluation(self, uuid: str) -> RecordInfo:
        row = self.db.execute(
            "SELECT e.id, a.name, i.started_at, i.local_date, r.name, f.title, v.version,"
            " v.definition FROM evaluations e"
            " JOIN interactions i ON i.id = e.interaction_id"
            " JOIN agents a ON a.id = e.agent_id"
            " JOIN reviewers r ON r.id = e.reviewer_id"
            " JOIN forms f ON f.id = e.form_id"
            " JOIN form_versions v ON v.id = e.form_version_id"
            f" WHERE e.uuid = {_KEPT_UUID}",
            {"uuid": uuid},
        ).fetchone()
        if row is None:
            return RecordInfo("evaluation", uuid)
        eid, agent, started, day, reviewer, title, version, definition = row
        return RecordInfo(
            "evaluation",
            uuid,
            True,
            agent=agent,
            reviewer=reviewer,
            started_at=started,
            local_date=day,
            form_title=title,
            form_version=version,
            definition=definition,
            evaluation_id=eid,
        )

    def _interaction(self, uuid: str) -> RecordInfo:
        row = self.db.execute(
            "SELECT coalesce(i.external_id, ''), a.name, i.started_at, i.local_date"
            f" FROM interactions i JOIN agents a ON a.id = i.agent_id WHERE i.uuid = {_KEPT_UUID}",
            {"uuid": uuid},
        ).fetchone()
        if row is None:
            return RecordInfo("interaction", uuid)
        return RecordInfo(
            "interaction",
            uuid,
            True,
            name=row[0],
            agent=row[1],
            started_at=row[2],
            local_date=row[3],
        )


# Facts for the team server's refusal sentences (services/server_refusals.py).
_EVALUATION = """
SELECT r.name AS reviewer, a.name AS agent, i.local_date AS date
FROM evaluations e
JOIN interactions i ON i.id = e.interaction_id
JOIN agents a ON a.id = e.agent_id
JOIN reviewers r ON r.id = e.reviewer_id
WHERE {where}
"""

_QUERIES = {
    "evaluation": _EVALUATION.format(where="e.uuid = ?"),
    "audit": _EVALUATION.format(
        where="e.id = (SELECT evaluation_id FROM audit_log WHERE uuid = ?)"
    ),
    "team": "SELECT name FROM teams WHERE uuid = ?",
    "agent": "SELECT name FROM agents WHERE uuid = ?",
    "reviewer": "SELECT name FROM reviewers WHERE uuid = ?",
    "form": "SELECT title AS name FROM forms WHERE uuid = ?",
    "form_version": "SELECT form_id AS name, version FROM form_versions WHERE uuid = ?",
    "interaction": (
        "SELECT a.name AS agent, i.local_date AS date FROM interactions i"
        " JOIN agents a ON a.id = i.agent_id WHERE i.uuid = ?"
    ),
}


def record_facts(db: Database, entity: str, uuid: str) -> dict[str, Any]:
    """Names and dates that identify the record (empty when it is not here)."""
    query = _QUERIES.get(entity)
    if query is None:
        return {}
    cur = db.execute(query, [uuid])
    row = cur.fetchone()
    if row is None:
        return {}
    return {d[0]: v for d, v in zip(cur.description, row, strict=True)}
