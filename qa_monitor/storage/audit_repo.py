"""The audit log: who changed which evaluation, when, from what to what, and why."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from qa_monitor.core.records import AuditAction, AuditEntry, NewAuditEntry
from qa_monitor.storage.database import Database
from qa_monitor.storage.values import parse_utc, utc_text

CHUNK = 500  # evaluations per query: well under SQLite's limit on bound values


def _entry(row: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        evaluation_id=row["evaluation_id"],
        at=parse_utc(row["at"]),
        actor_id=row["actor_id"],
        action=AuditAction(row["action"]),
        field=row["field"],
        old=row["old"],
        new=row["new"],
        reason=row["reason"],
    )


class AuditRepo:
    def __init__(self, db: Database):
        self.db = db

    def add(self, entries: Iterable[NewAuditEntry]) -> None:
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT INTO audit_log"
                " (evaluation_id, at, actor_id, action, field, old, new, reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        e.evaluation_id,
                        utc_text(e.at),
                        e.actor_id,
                        e.action.value,
                        e.field,
                        e.old,
                        e.new,
                        e.reason,
                    )
                    for e in entries
                ],
            )

    def for_evaluation(self, evaluation_id: int) -> list[AuditEntry]:
        """Oldest first."""
        return [
            _entry(r)
            for r in self.db.query(
                "SELECT * FROM audit_log WHERE evaluation_id = ? ORDER BY at, id",
                [evaluation_id],
            )
        ]

    def for_evaluations(
        self, evaluation_ids: Sequence[int], actions: Collection[AuditAction]
    ) -> dict[int, list[AuditEntry]]:
        """The entries of ``actions`` of each of ``evaluation_ids``, oldest first per
        evaluation; an evaluation without any is left out. One query per
        ``CHUNK`` evaluations instead of one each: the dispute queue reads every open
        dispute's entries, thousands on a large database."""
        kinds = [a.value for a in actions]
        out: dict[int, list[AuditEntry]] = {}
        for start in range(0, len(evaluation_ids), CHUNK):
            chunk = list(evaluation_ids[start : start + CHUNK])
            rows = self.db.query(
                f"SELECT * FROM audit_log WHERE evaluation_id IN ({', '.join('?' * len(chunk))})"
                f" AND action IN ({', '.join('?' * len(kinds))})"
                " ORDER BY evaluation_id, at, id",
                [*chunk, *kinds],
            )
            for row in rows:
                out.setdefault(row["evaluation_id"], []).append(_entry(row))
        return out

    def recent(self, limit: int = 200) -> list[AuditEntry]:
        """Newest first, across all evaluations."""
        return [
            _entry(r)
            for r in self.db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", [limit])
        ]
