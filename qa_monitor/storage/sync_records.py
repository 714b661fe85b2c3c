"""What a travelling record is, in words a person recognises (for sync messages):
names and dates read from this database, never an id."""

from __future__ import annotations

from typing import Any

from qa_monitor.storage.database import Database

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
