"""Interactions: the calls, chats and emails evaluations are about.

``started_at`` is stored in UTC; ``local_date`` is its date in the centre's zone at
the time of storing (with the zone's name), so daily and weekly buckets do not
move when the machine's clock or zone changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from qa_monitor.core.forms import Channel
from qa_monitor.core.records import Direction, Interaction, InteractionData, Retention
from qa_monitor.storage.database import Database
from qa_monitor.storage.errors import ConflictError, NotFoundError
from qa_monitor.storage.transactions import writes
from qa_monitor.storage.values import (
    local_date,
    opt_bool,
    opt_date,
    opt_date_text,
    opt_int,
    opt_parse_utc,
    opt_utc_text,
    parse_utc,
    utc_text,
)

Row = dict[str, Any]
_DATA_FIELDS = tuple(f.name for f in fields(InteractionData))
_MOMENTS = ("started_at", "callback_promised_at", "survey_at")
_FLAGS = ("resolved_first_contact", "callback_kept")

# Outcome fields an evaluation may write onto its interaction.
OUTCOME_COLUMNS = frozenset(
    {
        "resolved_first_contact",
        "retention",
        "churn_risk",
        "churn_reason",
        "callback_promised_at",
        "callback_kept",
    }
)


def _db_value(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime):
        return utc_text(value)
    return value


def _columns(data: InteractionData, zone: str) -> Row:
    row = {name: getattr(data, name) for name in _DATA_FIELDS}
    for name in _MOMENTS:
        row[name] = opt_utc_text(row[name])
    for name in _FLAGS:
        row[name] = opt_int(row[name])
    row["channel"] = data.channel.value
    row["direction"] = data.direction.value
    row["retention"] = None if data.retention is None else data.retention.value
    row["local_date"] = local_date(data.started_at, zone).isoformat()
    row["timezone"] = zone
    return row


def _interaction(row: Row) -> Interaction:
    values = {name: row[name] for name in _DATA_FIELDS}
    values["channel"] = Channel(row["channel"])
    values["direction"] = Direction(row["direction"])
    values["retention"] = None if row["retention"] is None else Retention(row["retention"])
    for name in _MOMENTS:
        values[name] = opt_parse_utc(row[name])
    for name in _FLAGS:
        values[name] = opt_bool(row[name])
    local = opt_date(row["local_date"])
    assert local is not None
    return Interaction(
        **values,
        id=row["id"],
        local_date=local,
        timezone=row["timezone"],
        created_at=parse_utc(row["created_at"]),
    )


class InteractionRepo:
    def __init__(self, db: Database):
        self.db = db

    @writes
    def add(self, data: InteractionData, zone: str, now: datetime) -> Interaction:
        """Store ``data``; ``local_date`` is computed in the IANA zone ``zone``."""
        row = _columns(data, zone)
        row["created_at"] = utc_text(now)
        self._check_external_id(data.external_id, None)
        names = list(row)
        cur = self.db.execute(
            f"INSERT INTO interactions ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [row[n] for n in names],
        )
        assert cur.lastrowid is not None
        return self.get(cur.lastrowid)

    def update(self, interaction_id: int, data: InteractionData, zone: str) -> Interaction:
        """Replace the interaction's facts; its evaluations follow its agent, team, channel
        and local date (they keep copies for fast reports)."""
        self.get(interaction_id)
        self._check_external_id(data.external_id, interaction_id)
        row = _columns(data, zone)
        with self.db.atomic():
            self.db.execute(
                f"UPDATE interactions SET {', '.join(f'{n} = ?' for n in row)} WHERE id = ?",
                [*row.values(), interaction_id],
            )
            self.db.execute(
                "UPDATE evaluations SET agent_id = ?, team_id = ?, channel = ?,"
                " interaction_date = ? WHERE interaction_id = ?",
                [
                    row["agent_id"],
                    row["team_id"],
                    row["channel"],
                    row["local_date"],
                    interaction_id,
                ],
            )
        return self.get(interaction_id)

    @writes
    def set_outcomes(self, interaction_id: int, values: Mapping[str, object]) -> None:
        """Write outcome fields (Python values: bool, Retention, str, float, datetime)."""
        unknown = set(values) - OUTCOME_COLUMNS
        if unknown:
            raise ValueError(f"not outcome fields: {', '.join(sorted(unknown))}")
        if not values:
            return
        self.db.execute(
            f"UPDATE interactions SET {', '.join(f'{n} = ?' for n in values)} WHERE id = ?",
            [*(_db_value(v) for v in values.values()), interaction_id],
        )

    @writes
    def set_survey(
        self,
        interaction_id: int,
        *,
        csat: int | None,
        nps: int | None,
        ces: int | None,
        survey_at: datetime | None,
    ) -> Interaction:
        self.get(interaction_id)
        self.db.execute(
            "UPDATE interactions SET csat = ?, nps = ?, ces = ?, survey_at = ? WHERE id = ?",
            [csat, nps, ces, opt_utc_text(survey_at), interaction_id],
        )
        return self.get(interaction_id)

    def get(self, interaction_id: int) -> Interaction:
        rows = list(self.db.query("SELECT * FROM interactions WHERE id = ?", [interaction_id]))
        if not rows:
            raise NotFoundError("interaction", interaction_id)
        return _interaction(rows[0])

    def find(self, external_id: str) -> Interaction | None:
        rows = list(
            self.db.query("SELECT * FROM interactions WHERE external_id = ?", [external_id])
        )
        return _interaction(rows[0]) if rows else None

    def list_interactions(
        self,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        agent_id: int | None = None,
        unevaluated_only: bool = False,
        limit: int = 200,
        offset: int = 0,
    ) -> list[Interaction]:
        """Newest first; the dates are local dates, inclusive. ``unevaluated_only`` keeps
        interactions no evaluation (draft or submitted) refers to: the reviewer's queue."""
        where, params = ["1"], []
        if unevaluated_only:
            where.append(
                "NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.interaction_id = interactions.id)"
            )
        for clause, value in (
            ("local_date >= ?", opt_date_text(date_from)),
            ("local_date <= ?", opt_date_text(date_to)),
            ("agent_id = ?", agent_id),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        sql = (
            f"SELECT * FROM interactions WHERE {' AND '.join(where)}"
            " ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?"
        )
        return [_interaction(r) for r in self.db.query(sql, [*params, limit, offset])]

    @writes
    def delete(self, interaction_id: int) -> None:
        """Delete an interaction nothing refers to (foreign keys refuse otherwise)."""
        self.get(interaction_id)
        self.db.execute("DELETE FROM interactions WHERE id = ?", [interaction_id])

    def _check_external_id(self, external_id: str | None, exclude_id: int | None) -> None:
        if external_id is None:
            return
        clash = self.db.execute(
            "SELECT id FROM interactions WHERE external_id = ? AND id IS NOT ?",
            [external_id, exclude_id],
        ).fetchone()
        if clash:
            raise ConflictError(
                f"an interaction with external id '{external_id}' is already stored"
                f" (interaction {clash[0]})"
            )
