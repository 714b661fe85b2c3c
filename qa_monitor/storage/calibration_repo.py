"""Calibration sessions, the evaluations scored into them, and the panel's notes, in
SQL (core/calibration.py has the rules; services/calibration_service.py the checks).

- Every write is an ordinary row change: the sync triggers of m012 fill the uuids and
  journal it. An entry's uuid is derived from its evaluation's and a note's from its
  session's and question's, so two sites that make the same record make one.
- The invited reviewers are stored as a JSON list of reviewer uuids (the same on every
  site) and read back as local ids.
- Blind scoring: ``not_hidden`` is the condition that hides, from everyone but its
  own reviewer, an evaluation scored into a session that is not revealed yet; the
  evaluations list, its exports and the calibration reports apply it.
"""

from __future__ import annotations

import json
import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from qa_monitor.storage.database import Database
from qa_monitor.storage.errors import NotFoundError
from qa_monitor.storage.transactions import writes
from qa_monitor.storage.values import opt_date, parse_utc, utc_text

_ENTRY_NAMESPACE = uuid_module.UUID("0195c0de-ca1b-7000-8000-ca1b0e0e0001")
_NOTE_NAMESPACE = uuid_module.UUID("0195c0de-ca1b-7000-8000-ca1b0e0e0002")

# The evaluations that blind scoring hides from whoever uses this installation: those
# scored into a session not revealed yet, except this installation's reviewer's own
# (settings' current reviewer; nobody chosen hides them all). Not correlated with the
# outer query, so SQLite reads it once per statement; ``e.id NOT IN (…)`` then needs
# only the row id, which every index of the evaluations holds.
# CROSS JOIN fixes the order: from the few entries out, never from the evaluations in
# (without statistics on the new tables SQLite chose to scan a million evaluations).
HIDDEN_SQL = (
    "SELECT ce.evaluation_id FROM calibration_entries ce"
    " CROSS JOIN calibration_sessions cs ON cs.id = ce.session_id"
    " CROSS JOIN evaluations hx ON hx.id = ce.evaluation_id"
    " WHERE cs.revealed_at IS NULL AND hx.reviewer_id IS NOT"
    " (SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'current_reviewer_id')"
)


def not_hidden(alias: str) -> str:
    """The condition that keeps blind-scored evaluations out (see ``HIDDEN_SQL``)."""
    return f"{alias}.id NOT IN ({HIDDEN_SQL})"


def entry_uuid(evaluation_uuid: str) -> str:
    return str(uuid_module.uuid5(_ENTRY_NAMESPACE, evaluation_uuid))


def note_uuid(session_uuid: str, question_id: str) -> str:
    return str(uuid_module.uuid5(_NOTE_NAMESPACE, f"{session_uuid}/{question_id}"))


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A session as stored (reviewers as local ids, the expert left out)."""

    id: int
    uuid: str
    title: str
    interaction_id: int
    form_id: str
    form_version_id: int
    expert_id: int | None
    reviewer_ids: tuple[int, ...]
    acceptable: float
    discuss: float
    due_date: date | None
    summary: str
    created_by: int | None
    created_at: datetime
    revealed_at: datetime | None
    revealed_by: int | None

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None

    @property
    def invited(self) -> tuple[int, ...]:
        """Everyone who scores: the expert first, then the invited reviewers."""
        first = () if self.expert_id is None else (self.expert_id,)
        return first + tuple(r for r in self.reviewer_ids if r != self.expert_id)


@dataclass(frozen=True, slots=True)
class NewSession:
    title: str
    interaction_id: int
    form_id: str
    form_version_id: int
    expert_id: int | None
    reviewer_ids: tuple[int, ...]
    acceptable: float
    discuss: float
    due_date: date | None
    summary: str
    created_by: int | None


@dataclass(frozen=True, slots=True)
class ListedSession:
    """One line of the sessions list."""

    id: int
    title: str
    created_at: datetime
    due_date: date | None
    revealed_at: datetime | None
    interaction_id: int
    call: str  # the call's external id, or its local date and agent
    interaction_date: date
    agent_name: str
    form_id: str
    form_title: str
    version: int
    expert_name: str | None  # None: consensus
    invited: int
    submitted: int
    mine: str | None  # the current reviewer's part: None (not invited), 'todo', 'draft', 'done'


@dataclass(frozen=True, slots=True)
class EntryRow:
    evaluation_id: int
    reviewer_id: int
    score: float | None


@dataclass(frozen=True, slots=True)
class NoteRow:
    question_id: str
    agreed: str | None  # JSON, as answers.value
    agreed_na: bool
    note: str
    guidance_change: bool
    updated_at: datetime


_COLUMNS = (
    "id, uuid, title, interaction_id, form_id, form_version_id, expert_id, reviewers,"
    " acceptable, discuss, due_date, summary, created_by, created_at, revealed_at, revealed_by"
)


class CalibrationRepo:
    def __init__(self, db: Database):
        self.db = db

    # -- reviewers by uuid -------------------------------------------------------------------
    def _uuids(self, reviewer_ids: Sequence[int]) -> list[str]:
        if not reviewer_ids:
            return []
        marks = ", ".join("?" * len(reviewer_ids))
        found = dict(
            self.db.execute(
                f"SELECT id, uuid FROM reviewers WHERE id IN ({marks})", list(reviewer_ids)
            ).fetchall()
        )
        missing = [r for r in reviewer_ids if r not in found]
        if missing:
            raise NotFoundError("reviewer", missing[0])
        return [found[r] for r in reviewer_ids]

    def _ids(self, text: str) -> tuple[int, ...]:
        try:
            uuids = [u for u in json.loads(text) if isinstance(u, str)]
        except (ValueError, TypeError):
            return ()
        if not uuids:
            return ()
        marks = ", ".join("?" * len(uuids))
        found = dict(
            self.db.execute(
                f"SELECT uuid, id FROM reviewers WHERE uuid IN ({marks})", uuids
            ).fetchall()
        )
        # A reviewer not (yet) on this site is left out until their record arrives.
        return tuple(found[u] for u in uuids if u in found)

    # -- sessions ----------------------------------------------------------------------------
    @writes
    def insert(self, s: NewSession, now: datetime) -> int:
        cursor = self.db.execute(
            "INSERT INTO calibration_sessions (title, interaction_id, form_id, form_version_id,"
            " expert_id, reviewers, acceptable, discuss, due_date, summary, created_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                s.title,
                s.interaction_id,
                s.form_id,
                s.form_version_id,
                s.expert_id,
                json.dumps(self._uuids(s.reviewer_ids)),
                s.acceptable,
                s.discuss,
                None if s.due_date is None else s.due_date.isoformat(),
                s.summary,
                s.created_by,
                utc_text(now),
            ],
        )
        return int(cursor.lastrowid or 0)

    @writes
    def update(self, session_id: int, s: NewSession) -> None:
        self.db.execute(
            "UPDATE calibration_sessions SET title = ?, expert_id = ?, reviewers = ?,"
            " acceptable = ?, discuss = ?, due_date = ?, summary = ? WHERE id = ?",
            [
                s.title,
                s.expert_id,
                json.dumps(self._uuids(s.reviewer_ids)),
                s.acceptable,
                s.discuss,
                None if s.due_date is None else s.due_date.isoformat(),
                s.summary,
                session_id,
            ],
        )

    @writes
    def set_summary(self, session_id: int, summary: str) -> None:
        self.db.execute(
            "UPDATE calibration_sessions SET summary = ? WHERE id = ?", [summary, session_id]
        )

    @writes
    def reveal(self, session_id: int, by: int | None, now: datetime) -> None:
        self.db.execute(
            "UPDATE calibration_sessions SET revealed_at = ?, revealed_by = ?"
            " WHERE id = ? AND revealed_at IS NULL",
            [utc_text(now), by, session_id],
        )

    @writes
    def delete(self, session_id: int) -> None:
        self.db.execute("DELETE FROM calibration_notes WHERE session_id = ?", [session_id])
        self.db.execute("DELETE FROM calibration_sessions WHERE id = ?", [session_id])

    def get(self, session_id: int) -> SessionRecord:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM calibration_sessions WHERE id = ?", [session_id]
        ).fetchone()
        if row is None:
            raise NotFoundError("calibration session", session_id)
        return self._record(row)

    def _record(self, row: Sequence[object]) -> SessionRecord:
        (id_, uuid, title, interaction_id, form_id, version_id, expert_id, reviewers,
         acceptable, discuss, due, summary, created_by, created_at, revealed_at,
         revealed_by) = row  # fmt: skip
        return SessionRecord(
            id=int(id_),  # type: ignore[call-overload]
            uuid=str(uuid),
            title=str(title),
            interaction_id=int(interaction_id),  # type: ignore[call-overload]
            form_id=str(form_id),
            form_version_id=int(version_id),  # type: ignore[call-overload]
            expert_id=None if expert_id is None else int(expert_id),  # type: ignore[call-overload]
            reviewer_ids=self._ids(str(reviewers)),
            acceptable=float(acceptable),  # type: ignore[arg-type]
            discuss=float(discuss),  # type: ignore[arg-type]
            due_date=opt_date(due),  # type: ignore[arg-type]
            summary=str(summary),
            created_by=None if created_by is None else int(created_by),  # type: ignore[call-overload]
            created_at=parse_utc(str(created_at)),
            revealed_at=None if revealed_at is None else parse_utc(str(revealed_at)),
            revealed_by=None if revealed_by is None else int(revealed_by),  # type: ignore[call-overload]
        )

    def latest_bands(self, form_id: str) -> tuple[float, float] | None:
        """The bands (acceptable, discuss) of the form's latest session, if any."""
        row = self.db.execute(
            "SELECT acceptable, discuss FROM calibration_sessions WHERE form_id = ?"
            " ORDER BY created_at DESC, id DESC LIMIT 1",
            [form_id],
        ).fetchone()
        return None if row is None else (float(row[0]), float(row[1]))

    def open_sessions_on(self, interaction_id: int) -> list[SessionRecord]:
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM calibration_sessions"
            " WHERE interaction_id = ? AND revealed_at IS NULL ORDER BY created_at, id",
            [interaction_id],
        ).fetchall()
        return [self._record(r) for r in rows]

    def sessions(
        self, *, revealed: bool | None, me: int | None, mine_only: bool, limit: int
    ) -> list[ListedSession]:
        """Sessions, newest first (``revealed`` None: both)."""
        where = []
        if revealed is True:
            where.append("s.revealed_at IS NOT NULL")
        elif revealed is False:
            where.append("s.revealed_at IS NULL")
        rows = self.db.execute(
            "SELECT s.id, s.uuid, s.title, s.created_at, s.due_date, s.revealed_at,"
            " s.interaction_id, i.external_id, i.local_date, a.name, s.form_id, f.title,"
            " v.version, x.name, s.expert_id, s.reviewers,"
            " (SELECT count(*) FROM calibration_entries ce WHERE ce.session_id = s.id)"
            " FROM calibration_sessions s"
            " JOIN interactions i ON i.id = s.interaction_id"
            " JOIN agents a ON a.id = i.agent_id"
            " JOIN forms f ON f.id = s.form_id"
            " JOIN form_versions v ON v.id = s.form_version_id"
            " LEFT JOIN reviewers x ON x.id = s.expert_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY s.revealed_at IS NOT NULL, coalesce(s.revealed_at, s.created_at) DESC,"
            " s.id DESC",
        ).fetchall()
        out = []
        for (id_, _uuid, title, created, due, revealed_at, interaction_id, external, day,
             agent, form_id, form_title, version, expert, expert_id, reviewers,
             submitted) in rows:  # fmt: skip
            invited = set(self._ids(reviewers))
            if expert_id is not None:
                invited.add(int(expert_id))
            mine = None
            if me is not None and me in invited:
                mine = self._my_part(int(id_), int(interaction_id), me)
            if mine_only and mine is None:
                continue
            out.append(
                ListedSession(
                    id=int(id_),
                    title=str(title),
                    created_at=parse_utc(str(created)),
                    due_date=opt_date(due),
                    revealed_at=None if revealed_at is None else parse_utc(str(revealed_at)),
                    interaction_id=int(interaction_id),
                    call=str(external) if external else f"{day} · {agent}",
                    interaction_date=date.fromisoformat(str(day)),
                    agent_name=str(agent),
                    form_id=str(form_id),
                    form_title=str(form_title),
                    version=int(version),
                    expert_name=None if expert is None else str(expert),
                    invited=len(invited),
                    submitted=int(submitted),
                    mine=mine,
                )
            )
            if len(out) >= limit:
                break
        return out

    def _my_part(self, session_id: int, interaction_id: int, me: int) -> str:
        if self.db.execute(
            "SELECT 1 FROM calibration_entries ce JOIN evaluations e ON e.id = ce.evaluation_id"
            " WHERE ce.session_id = ? AND e.reviewer_id = ?",
            [session_id, me],
        ).fetchone():
            return "done"
        if self.draft_of(session_id, me) is not None:
            return "draft"
        return "todo"

    # -- entries -----------------------------------------------------------------------------
    def entries(self, session_id: int) -> list[EntryRow]:
        rows = self.db.execute(
            "SELECT e.id, e.reviewer_id, e.score FROM calibration_entries ce"
            " JOIN evaluations e ON e.id = ce.evaluation_id WHERE ce.session_id = ?"
            " ORDER BY e.id",
            [session_id],
        ).fetchall()
        return [EntryRow(int(i), int(r), None if s is None else float(s)) for i, r, s in rows]

    def add_entry(self, session_id: int, evaluation_id: int, now: datetime) -> None:
        (evaluation_uuid,) = self.db.execute(
            "SELECT uuid FROM evaluations WHERE id = ?", [evaluation_id]
        ).fetchone()
        self.db.execute(
            "INSERT OR IGNORE INTO calibration_entries (uuid, session_id, evaluation_id,"
            " created_at) VALUES (?, ?, ?, ?)",
            [entry_uuid(str(evaluation_uuid)), session_id, evaluation_id, utc_text(now)],
        )

    def session_of(self, evaluation_id: int) -> int | None:
        row = self.db.execute(
            "SELECT session_id FROM calibration_entries WHERE evaluation_id = ?", [evaluation_id]
        ).fetchone()
        return None if row is None else int(row[0])

    def draft_of(self, session_id: int, reviewer_id: int) -> int | None:
        """The reviewer's calibration draft on the session's call and form version."""
        row = self.db.execute(
            "SELECT e.id FROM evaluations e JOIN calibration_sessions s"
            " ON s.interaction_id = e.interaction_id AND s.form_version_id = e.form_version_id"
            " WHERE s.id = ? AND e.reviewer_id = ? AND e.kind = 'calibration'"
            " AND e.status = 'draft' ORDER BY e.id DESC LIMIT 1",
            [session_id, reviewer_id],
        ).fetchone()
        return None if row is None else int(row[0])

    def drafts(self, session_id: int) -> set[int]:
        """Reviewers with a calibration draft of the session on this installation."""
        rows = self.db.execute(
            "SELECT DISTINCT e.reviewer_id FROM evaluations e JOIN calibration_sessions s"
            " ON s.interaction_id = e.interaction_id AND s.form_version_id = e.form_version_id"
            " WHERE s.id = ? AND e.kind = 'calibration' AND e.status = 'draft'",
            [session_id],
        ).fetchall()
        return {int(r) for (r,) in rows}

    # -- notes -------------------------------------------------------------------------------
    def notes(self, session_id: int) -> dict[str, NoteRow]:
        rows = self.db.execute(
            "SELECT question_id, agreed, agreed_na, note, guidance_change, updated_at"
            " FROM calibration_notes WHERE session_id = ?",
            [session_id],
        ).fetchall()
        return {
            str(q): NoteRow(
                str(q), None if a is None else str(a), bool(na), str(n), bool(g), parse_utc(str(u))
            )
            for q, a, na, n, g, u in rows
        }

    @writes
    def set_note(
        self,
        session_id: int,
        question_id: str,
        agreed: str | None,
        agreed_na: bool,
        note: str,
        guidance_change: bool,
        now: datetime,
    ) -> None:
        (session_uuid,) = self.db.execute(
            "SELECT uuid FROM calibration_sessions WHERE id = ?", [session_id]
        ).fetchone()
        if agreed is None and not agreed_na and not note and not guidance_change:
            self.db.execute(
                "DELETE FROM calibration_notes WHERE session_id = ? AND question_id = ?",
                [session_id, question_id],
            )
            return
        self.db.execute(
            "INSERT INTO calibration_notes (uuid, session_id, question_id, agreed, agreed_na,"
            " note, guidance_change, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (session_id, question_id) DO UPDATE SET agreed = excluded.agreed,"
            " agreed_na = excluded.agreed_na, note = excluded.note,"
            " guidance_change = excluded.guidance_change, updated_at = excluded.updated_at",
            [
                note_uuid(str(session_uuid), question_id),
                session_id,
                question_id,
                agreed,
                int(agreed_na),
                note,
                int(guidance_change),
                utc_text(now),
            ],
        )

    def revealed_ids(
        self,
        *,
        form_id: str | None,
        since: datetime | None,
        before: datetime | None,
        limit: int,
    ) -> tuple[list[int], int]:
        """Revealed sessions (of ``form_id``; revealed at or after ``since`` and before
        ``before``, UTC): the newest reveals' ids, at most ``limit``, and how many match."""
        where = ["revealed_at IS NOT NULL"]
        params: list[object] = []
        if form_id is not None:
            where.append("form_id = ?")
            params.append(form_id)
        if since is not None:
            where.append("revealed_at >= ?")
            params.append(utc_text(since))
        if before is not None:
            where.append("revealed_at < ?")
            params.append(utc_text(before))
        condition = " AND ".join(where)
        (count,) = self.db.execute(
            f"SELECT count(*) FROM calibration_sessions WHERE {condition}", params
        ).fetchone()
        rows = self.db.execute(
            f"SELECT id FROM calibration_sessions WHERE {condition}"
            " ORDER BY revealed_at DESC, id DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [int(r) for (r,) in rows], int(count)

    # -- history for agreement -----------------------------------------------------------------
    def recent_revealed(self, form_id: str, before: datetime, limit: int) -> list[int]:
        """The latest ``limit`` revealed sessions of a form created before ``before``."""
        rows = self.db.execute(
            "SELECT id FROM calibration_sessions WHERE form_id = ? AND revealed_at IS NOT NULL"
            " AND created_at < ? ORDER BY created_at DESC, id DESC LIMIT ?",
            [form_id, utc_text(before), limit],
        ).fetchall()
        return [int(r) for (r,) in rows]

    def entry_choices(self, session_ids: Sequence[int]) -> dict[int, dict[int, dict[str, str]]]:
        """Per session, per reviewer: question id → the stored choice (JSON text of the
        value, or 'N/A'), for submitted entries."""
        if not session_ids:
            return {}
        marks = ", ".join("?" * len(session_ids))
        rows = self.db.execute(
            "SELECT ce.session_id, e.reviewer_id, a.question_id,"
            " CASE WHEN a.na THEN 'N/A' ELSE a.value END"
            " FROM calibration_entries ce JOIN evaluations e ON e.id = ce.evaluation_id"
            " JOIN answers a ON a.evaluation_id = e.id"
            f" WHERE ce.session_id IN ({marks})",
            list(session_ids),
        ).fetchall()
        out: dict[int, dict[int, dict[str, str]]] = {}
        for session_id, reviewer_id, question_id, choice in rows:
            if choice is None:
                continue
            out.setdefault(int(session_id), {}).setdefault(int(reviewer_id), {})[
                str(question_id)
            ] = str(choice)
        return out

    def entry_scores(self, session_ids: Sequence[int]) -> dict[int, dict[int, float]]:
        """Per session: reviewer → score of their submitted entry (scored ones only)."""
        if not session_ids:
            return {}
        marks = ", ".join("?" * len(session_ids))
        rows = self.db.execute(
            "SELECT ce.session_id, e.reviewer_id, e.score FROM calibration_entries ce"
            f" JOIN evaluations e ON e.id = ce.evaluation_id WHERE ce.session_id IN ({marks})"
            " AND e.score IS NOT NULL",
            list(session_ids),
        ).fetchall()
        out: dict[int, dict[int, float]] = {}
        for session_id, reviewer_id, score in rows:
            out.setdefault(int(session_id), {})[int(reviewer_id)] = float(score)
        return out

    def reviewer_names(self, reviewer_ids: Sequence[int]) -> dict[int, tuple[str, bool, bool]]:
        """id → (name, is expert, active)."""
        if not reviewer_ids:
            return {}
        marks = ", ".join("?" * len(reviewer_ids))
        rows = self.db.execute(
            f"SELECT id, name, is_expert, active FROM reviewers WHERE id IN ({marks})",
            list(reviewer_ids),
        ).fetchall()
        return {int(i): (str(n), bool(x), bool(a)) for i, n, x, a in rows}
