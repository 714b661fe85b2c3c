"""Sampling rules and the review queue in SQL (core/sampling.py has the rules).

A queued call is *done* when a regular evaluation of it has left draft, wherever it was
scored: nothing is written when it is, so a call scored on another installation is done
here as soon as the evaluation arrives. Every read starts from the period's calls
(``interactions_date``), the queue's own indexes or one reviewer's items, never from all
evaluations.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from qa_monitor.core.sampling import (
    Assignment,
    Candidate,
    Period,
    PeriodKind,
    PoolCall,
    ReviewerSlot,
    RuleKind,
    SamplingRule,
    matches,
)
from qa_monitor.storage.database import Database
from qa_monitor.storage.errors import NotFoundError
from qa_monitor.storage.sync_schema import QUEUE_ITEM, journal_new_rows, trigger_names, trigger_sql
from qa_monitor.storage.transactions import write_transaction
from qa_monitor.storage.values import utc_text

# Two sites that queue the same call make the same record (sync merges it).
_QUEUE_NAMESPACE = uuid_module.UUID("0195c0de-9e0e-7000-8000-9e0e1a7e0001")

_RULE_COLUMNS = (
    "name", "team_id", "form_id", "kind", "per_agent", "period", "channel", "max_csat",
    "contact_reason", "min_duration_s", "tenure_days", "min_channel", "min_channel_count",
    "stratify", "seed", "due_days", "exclude_own_team", "active",
)  # fmt: skip

# A call that is done: scored on a regular evaluation that has left draft.
_DONE = (
    "EXISTS (SELECT 1 FROM evaluations e WHERE e.interaction_id = q.interaction_id"
    " AND e.kind = 'regular' AND e.status <> 'draft')"
)
_STARTED = (
    "EXISTS (SELECT 1 FROM evaluations e WHERE e.interaction_id = q.interaction_id"
    " AND e.kind = 'regular' AND e.status = 'draft')"
)


def queue_uuid(interaction_uuid: str) -> str:
    return str(uuid_module.uuid5(_QUEUE_NAMESPACE, interaction_uuid))


def _rule(row: Sequence[Any]) -> SamplingRule:
    (id_, uuid, name, team_id, form_id, kind, per_agent, period, channel, max_csat, reason,
     min_duration, tenure, min_channel, min_count, stratify, seed, due_days, exclude,
     active) = row  # fmt: skip
    return SamplingRule(
        id=id_,
        uuid=uuid,
        name=name,
        team_id=team_id,
        form_id=form_id,
        kind=RuleKind(kind),
        per_agent=per_agent,
        period=PeriodKind(period),
        channel=channel,
        max_csat=max_csat,
        contact_reason=reason,
        min_duration_s=min_duration,
        tenure_days=tenure,
        min_channel=min_channel,
        min_channel_count=min_count,
        stratify=bool(stratify),
        seed=seed,
        due_days=due_days,
        exclude_own_team=bool(exclude),
        active=bool(active),
    )


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One queued call, with the names a list shows."""

    id: int
    interaction_id: int
    external_id: str | None
    channel: str
    local_date: date
    duration_s: float | None
    agent_id: int
    agent_name: str
    team_name: str | None
    form_id: str
    form_title: str
    rule_id: int
    rule_name: str
    reason: str
    reviewer_id: int | None
    reviewer_name: str | None
    period_start: date
    due_date: date
    status: str  # open | skipped
    note: str
    done: bool
    started: bool  # a draft exists


_ROW_SQL = (
    "SELECT q.id, q.interaction_id, i.external_id, i.channel, i.local_date, i.duration_s,"
    " i.agent_id, a.name, t.name, q.form_id, coalesce(f.title, q.form_id), q.rule_id, s.name,"
    f" q.reason, q.reviewer_id, r.name, q.period_start, q.due_date, q.status, q.note, {_DONE},"
    f" {_STARTED}"
    " FROM queue_items q"
    " JOIN interactions i ON i.id = q.interaction_id"
    " JOIN agents a ON a.id = i.agent_id"
    " LEFT JOIN teams t ON t.id = i.team_id"
    " LEFT JOIN forms f ON f.id = q.form_id"
    " JOIN sampling_rules s ON s.id = q.rule_id"
    " LEFT JOIN reviewers r ON r.id = q.reviewer_id"
)


def _queue_row(row: Sequence[Any]) -> QueueRow:
    values = list(row)
    values[4] = date.fromisoformat(values[4])
    values[16] = date.fromisoformat(values[16])
    values[17] = date.fromisoformat(values[17])
    values[20] = bool(values[20])
    values[21] = bool(values[21])
    return QueueRow(*values)


@dataclass(frozen=True, slots=True)
class AgentScope:
    agent_id: int
    name: str
    team_id: int | None
    team_name: str | None
    hire_date: date | None


@dataclass(frozen=True, slots=True)
class ReviewerLoadRow:
    reviewer_id: int
    name: str
    open_items: int  # assigned, not done, not skipped
    overdue: int
    done_in_period: int  # queued calls of the period now done
    assigned_in_period: int
    evaluated_in_period: int  # all regular evaluations submitted on calls of the period


class QueueRepo:
    def __init__(self, db: Database):
        self.db = db

    # -- rules ---------------------------------------------------------------------------
    def rules(self, *, active_only: bool = False) -> list[SamplingRule]:
        rows = self.db.execute(
            f"SELECT id, uuid, {', '.join(_RULE_COLUMNS)} FROM sampling_rules"
            " WHERE active >= ? ORDER BY name COLLATE NOCASE, uuid",
            [int(active_only)],
        ).fetchall()
        return [_rule(r) for r in rows]

    def rule(self, rule_id: int) -> SamplingRule:
        row = self.db.execute(
            f"SELECT id, uuid, {', '.join(_RULE_COLUMNS)} FROM sampling_rules WHERE id = ?",
            [rule_id],
        ).fetchone()
        if row is None:
            raise NotFoundError("sampling rule", rule_id)
        return _rule(row)

    def _rule_values(self, rule: SamplingRule) -> list[Any]:
        return [
            rule.name, rule.team_id, rule.form_id, rule.kind.value,
            rule.per_agent if rule.kind is RuleKind.SAMPLE else None, rule.period.value,
            rule.channel, rule.max_csat, rule.contact_reason, rule.min_duration_s,
            rule.tenure_days, rule.min_channel, rule.min_channel_count, int(rule.stratify),
            rule.seed, rule.due_days, int(rule.exclude_own_team), int(rule.active),
        ]  # fmt: skip

    def save_rule(self, rule: SamplingRule, now: datetime) -> int:
        with write_transaction(self.db):
            if rule.id is None:
                marks = ", ".join("?" * (len(_RULE_COLUMNS) + 1))
                cur = self.db.execute(
                    f"INSERT INTO sampling_rules ({', '.join(_RULE_COLUMNS)}, created_at)"
                    f" VALUES ({marks})",
                    [*self._rule_values(rule), utc_text(now)],
                )
                return int(cur.lastrowid or 0)
            sets = ", ".join(f"{c} = ?" for c in _RULE_COLUMNS)
            self.db.execute(
                f"UPDATE sampling_rules SET {sets} WHERE id = ?",
                [*self._rule_values(rule), rule.id],
            )
            return rule.id

    def rule_item_count(self, rule_id: int) -> int:
        (n,) = self.db.execute(
            "SELECT count(*) FROM queue_items WHERE rule_id = ?", [rule_id]
        ).fetchone()
        return int(n)

    def delete_rule(self, rule_id: int) -> None:
        with write_transaction(self.db):
            self.db.execute("DELETE FROM sampling_rules WHERE id = ?", [rule_id])

    # -- building ------------------------------------------------------------------------
    def agents_in_scope(self, rule: SamplingRule, period: Period) -> list[AgentScope]:
        """Active agents the rule covers in ``period`` (its team; for a first-days rule,
        those hired within the rule's days of the period's end)."""
        sql = (
            "SELECT a.id, a.name, a.team_id, t.name, a.hire_date FROM agents a"
            " LEFT JOIN teams t ON t.id = a.team_id WHERE a.active = 1"
        )
        params: list[Any] = []
        if rule.team_id is not None:
            sql += " AND a.team_id = ?"
            params.append(rule.team_id)
        if rule.tenure_days is not None:
            sql += (
                " AND a.hire_date IS NOT NULL AND a.hire_date <= ?"
                " AND julianday(?) - julianday(a.hire_date) < ?"
            )
            params += [period.end.isoformat(), period.start.isoformat(), rule.tenure_days]
        rows = self.db.execute(sql, params).fetchall()
        return [
            AgentScope(r[0], r[1], r[2], r[3], date.fromisoformat(r[4]) if r[4] else None)
            for r in rows
        ]

    def period_pool(self, period: Period) -> list[PoolCall]:
        """The period's calls of active agents that no rule has queued and nobody
        evaluates (a draft counts: someone is on it), with what rules filter on; read
        once per period, each rule keeps its own (``core.sampling.matches``)."""
        rows = self.db.execute(
            "SELECT i.id, i.uuid, i.agent_id, i.team_id, i.channel, i.local_date, i.csat,"
            " i.duration_s, i.contact_reason, a.hire_date"
            " FROM interactions i JOIN agents a ON a.id = i.agent_id"
            " WHERE i.local_date BETWEEN ? AND ? AND a.active = 1"
            " AND NOT EXISTS (SELECT 1 FROM queue_items q WHERE q.interaction_id = i.id)"
            " AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.interaction_id = i.id"
            " AND e.kind = 'regular')",
            [period.start.isoformat(), period.end.isoformat()],
        ).fetchall()
        days: dict[str, date] = {}

        def day(text: str | None) -> date | None:
            if text is None:
                return None
            found = days.get(text)
            if found is None:
                found = days[text] = date.fromisoformat(text)
            return found

        return [
            PoolCall(r[0], r[1], r[2], r[3], r[4], day(r[5]), r[6], r[7], r[8], day(r[9]))  # type: ignore[arg-type]
            for r in rows
        ]

    def candidates(self, rule: SamplingRule, period: Period) -> list[Candidate]:
        """The period's calls that pass the rule's filters (``period_pool``, filtered)."""
        return [c.candidate() for c in self.period_pool(period) if matches(rule, c)]

    def form_status(self, form_id: str) -> tuple[str, bool, str] | None:
        """(status, has a published version, title) of a form, None when unknown."""
        row = self.db.execute(
            "SELECT f.status, EXISTS (SELECT 1 FROM form_versions v WHERE v.form_id = f.id"
            " AND v.status = 'published'), f.title FROM forms f WHERE f.id = ?",
            [form_id],
        ).fetchone()
        return None if row is None else (str(row[0]), bool(row[1]), str(row[2]))

    def live_forms(self) -> set[str]:
        """Forms that are not retired and have a published version (a rule's form)."""
        rows = self.db.execute(
            "SELECT f.id FROM forms f WHERE f.status <> 'retired' AND EXISTS"
            " (SELECT 1 FROM form_versions v WHERE v.form_id = f.id AND v.status = 'published')"
        )
        return {str(r[0]) for r in rows}

    def queued_channels(self, rule_id: int, period: Period) -> dict[int, list[str]]:
        """Per agent, the channels of the calls ``rule_id`` queued in ``period``."""
        out: dict[int, list[str]] = {}
        for agent_id, channel in self.db.execute(
            "SELECT i.agent_id, i.channel FROM queue_items q"
            " JOIN interactions i ON i.id = q.interaction_id"
            " WHERE q.period_start = ? AND q.rule_id = ?",
            [period.start.isoformat(), rule_id],
        ):
            out.setdefault(agent_id, []).append(channel)
        return out

    def reviewer_slots(self, reviewer_ids: Iterable[int] | None) -> list[ReviewerSlot]:
        """Active reviewers (or the ones named), with the open calls each holds."""
        sql = (
            "SELECT r.id, r.uuid, r.team_id, r.agent_id,"
            " (SELECT count(*) FROM queue_items q WHERE q.reviewer_id = r.id"
            f" AND q.status = 'open' AND NOT {_DONE})"
            " FROM reviewers r WHERE r.active = 1"
        )
        params: list[Any] = []
        if reviewer_ids is not None:
            ids = list(reviewer_ids)
            sql += f" AND r.id IN ({', '.join('?' * len(ids))})" if ids else " AND 0"
            params += ids
        rows = self.db.execute(sql + " ORDER BY r.uuid", params).fetchall()
        return [ReviewerSlot(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def add_items(
        self, rule: SamplingRule, period: Period, due: date, items: Sequence[Assignment],
        now: datetime,
    ) -> int:  # fmt: skip
        """Queue ``items`` (in the caller's transaction); returns how many were added.

        A week of a large centre is thousands of rows: they are written with the sync
        insert trigger dropped and journalled by set afterwards (the same entries the
        trigger writes, ``sync_schema.journal_new_rows``), then the trigger is put back,
        all in this transaction."""
        rows = [
            (
                queue_uuid(a.pick.candidate.uuid), rule.id, a.pick.candidate.interaction_id,
                rule.form_id, a.reviewer_id, period.start.isoformat(), due.isoformat(),
                a.pick.reason.value, utc_text(now),
            )
            for a in items
        ]  # fmt: skip
        conn = self.db.conn
        (top,) = conn.execute("SELECT coalesce(max(id), 0) FROM queue_items").fetchone()
        insert_trigger = trigger_sql(QUEUE_ITEM)[0]
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger_names(QUEUE_ITEM)[0]}")
        try:
            cur = conn.executemany(
                "INSERT OR IGNORE INTO queue_items (uuid, rule_id, interaction_id, form_id,"
                " reviewer_id, period_start, due_date, reason, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            journal_new_rows(conn, QUEUE_ITEM, int(top))
        finally:
            conn.execute(insert_trigger)
        return int(cur.rowcount)

    # -- reading the queue -------------------------------------------------------------
    def item(self, item_id: int) -> QueueRow:
        row = self.db.execute(_ROW_SQL + " WHERE q.id = ?", [item_id]).fetchone()
        if row is None:
            raise NotFoundError("queued call", item_id)
        return _queue_row(row)

    def item_for_interaction(self, interaction_id: int) -> QueueRow | None:
        row = self.db.execute(_ROW_SQL + " WHERE q.interaction_id = ?", [interaction_id]).fetchone()
        return None if row is None else _queue_row(row)

    def reviewer_items(self, reviewer_id: int, *, include_done: bool = False) -> list[QueueRow]:
        """A reviewer's open calls (and skipped ones), the nearest due date first."""
        sql = _ROW_SQL + " WHERE q.reviewer_id = ?"
        if not include_done:
            sql += f" AND NOT {_DONE}"
        sql += " ORDER BY q.status = 'skipped', q.due_date, i.started_at, q.uuid"
        return [_queue_row(r) for r in self.db.execute(sql, [reviewer_id])]

    def period_items(self, period_start: date, period_end: date) -> list[QueueRow]:
        """Every queued call of the periods starting in [start, end]."""
        rows = self.db.execute(
            _ROW_SQL + " WHERE q.period_start BETWEEN ? AND ? ORDER BY q.due_date, q.id",
            [period_start.isoformat(), period_end.isoformat()],
        )
        return [_queue_row(r) for r in rows]

    def overdue_items(self, today: date) -> list[QueueRow]:
        rows = self.db.execute(
            _ROW_SQL + f" WHERE q.status = 'open' AND q.due_date < ? AND NOT {_DONE}"
            " ORDER BY q.due_date, q.id",
            [today.isoformat()],
        )
        return [_queue_row(r) for r in rows]

    def evaluated_by_agent(self, start: date, end: date) -> dict[int, int]:
        """Regular evaluations out of draft per agent, on calls of [start, end]."""
        rows = self.db.execute(
            "SELECT agent_id, count(*) FROM evaluations INDEXED BY evaluations_date"
            " WHERE interaction_date BETWEEN ? AND ? AND kind = 'regular'"
            " AND status <> 'draft' GROUP BY agent_id",
            [start.isoformat(), end.isoformat()],
        )
        return {int(a): int(n) for a, n in rows}

    def evaluated_by_reviewer(self, start: date, end: date) -> dict[int, int]:
        rows = self.db.execute(
            "SELECT reviewer_id, count(*) FROM evaluations INDEXED BY evaluations_date"
            " WHERE interaction_date BETWEEN ? AND ? AND kind = 'regular'"
            " AND status <> 'draft' GROUP BY reviewer_id",
            [start.isoformat(), end.isoformat()],
        )
        return {int(r): int(n) for r, n in rows}

    def open_by_reviewer(self, today: date) -> dict[int, tuple[int, int]]:
        """Per reviewer: (open calls, of them overdue), whatever their period."""
        rows = self.db.execute(
            "SELECT q.reviewer_id, count(*), sum(q.due_date < ?) FROM queue_items q"
            f" WHERE q.reviewer_id IS NOT NULL AND q.status = 'open' AND NOT {_DONE}"
            " GROUP BY q.reviewer_id",
            [today.isoformat()],
        )
        return {int(r): (int(n), int(o or 0)) for r, n, o in rows}

    def active_agents(self) -> list[AgentScope]:
        rows = self.db.execute(
            "SELECT a.id, a.name, a.team_id, t.name, a.hire_date FROM agents a"
            " LEFT JOIN teams t ON t.id = a.team_id WHERE a.active = 1"
        ).fetchall()
        return [
            AgentScope(r[0], r[1], r[2], r[3], date.fromisoformat(r[4]) if r[4] else None)
            for r in rows
        ]

    # -- changing one item ---------------------------------------------------------------
    def set_status(self, item_id: int, status: str, note: str) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE queue_items SET status = ?, note = ? WHERE id = ?", [status, note, item_id]
            )

    def set_reviewer(self, item_id: int, reviewer_id: int | None) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE queue_items SET reviewer_id = ? WHERE id = ?", [reviewer_id, item_id]
            )
