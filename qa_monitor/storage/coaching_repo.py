"""Coaching sessions and their action plans in SQL (core/coaching.py has the rules).

Every write is an ordinary row change: the sync triggers of m011 fill the uuids and
journal each insert, update and delete. The follow-up reads the agent's answers
through ``evaluations_agent_date`` (one range of it per session: the agent, and the
two windows around the session's day), with the targeted questions matched in SQL
from the session's JSON list, so only the few answers that count leave SQLite.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from qa_monitor.core.coaching import (
    ActionItem,
    CitedEvaluation,
    CoachingSession,
    QuestionKey,
    ScoredAnswer,
    WindowTotals,
)
from qa_monitor.storage.database import Database
from qa_monitor.storage.errors import NotFoundError
from qa_monitor.storage.values import opt_date, opt_date_text, parse_utc, utc_text

_SESSION_COLUMNS = (
    "s.id, s.uuid, s.agent_id, s.coach_id, s.held_on, s.evaluations, s.questions, s.notes,"
    " s.follow_weeks, s.created_at"
)


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One line of the coaching list."""

    id: int
    held_on: date
    agent_id: int
    agent_name: str
    team_name: str | None
    coach_id: int | None
    coach_name: str | None
    evaluations: int
    questions: tuple[QuestionKey, ...]
    follow_weeks: int
    actions: int
    open_actions: int
    overdue_actions: int


@dataclass(frozen=True, slots=True)
class SessionFilter:
    """Which sessions to list (None: any). ``actions``: "open" keeps sessions with an
    action not done, "overdue" those with one past its due date."""

    agent_id: int | None = None
    team_id: int | None = None
    coach_id: int | None = None
    held_from: date | None = None
    held_to: date | None = None
    actions: str | None = None
    # The newest this many (None: all). Each listed session's follow-up is computed,
    # about half a millisecond each at a million evaluations, so a screen asks for a
    # page and says when there are more.
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class AgentEvaluation:
    """An evaluation a session may discuss, as the dialog lists it."""

    id: int
    uuid: str
    interaction_date: date
    form_id: str
    form_version_id: int
    form_title: str
    score: float | None


def _session(row: Sequence[object], actions: tuple[ActionItem, ...]) -> CoachingSession:
    (id_, uuid, agent_id, coach_id, held_on, evaluations, questions, notes, weeks, created) = row
    return CoachingSession(
        agent_id=int(agent_id),  # type: ignore[call-overload]
        coach_id=None if coach_id is None else int(coach_id),  # type: ignore[call-overload]
        held_on=date.fromisoformat(str(held_on)),
        evaluations=tuple(str(u) for u in json.loads(str(evaluations))),
        questions=tuple((str(f), str(q)) for f, q in json.loads(str(questions))),
        notes=str(notes),
        follow_weeks=int(weeks),  # type: ignore[call-overload]
        actions=actions,
        id=int(id_),  # type: ignore[call-overload]
        uuid=None if uuid is None else str(uuid),
        created_at=parse_utc(str(created)),
    )


class CoachingRepo:
    def __init__(self, db: Database):
        self.db = db

    # -- writing (inside the service's transaction) ----------------------------------------
    def insert(self, session: CoachingSession, now: datetime) -> int:
        cursor = self.db.execute(
            "INSERT INTO coaching_sessions (agent_id, coach_id, held_on, evaluations,"
            " questions, notes, follow_weeks, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [*self._values(session), utc_text(now)],
        )
        session_id = int(cursor.lastrowid or 0)
        self.replace_actions(session_id, session.actions, now)
        return session_id

    def update(self, session: CoachingSession, now: datetime) -> None:
        assert session.id is not None
        self.db.execute(
            "UPDATE coaching_sessions SET agent_id = ?, coach_id = ?, held_on = ?,"
            " evaluations = ?, questions = ?, notes = ?, follow_weeks = ? WHERE id = ?",
            [*self._values(session), session.id],
        )
        self.replace_actions(session.id, session.actions, now)

    @staticmethod
    def _values(session: CoachingSession) -> list[object]:
        return [
            session.agent_id,
            session.coach_id,
            session.held_on.isoformat(),
            json.dumps(list(session.evaluations)),
            json.dumps([list(q) for q in session.questions]),
            session.notes,
            session.follow_weeks,
        ]

    def replace_actions(
        self, session_id: int, actions: Sequence[ActionItem], now: datetime
    ) -> None:
        """Make the session's plan ``actions``, in order: those with an id are updated
        (only when something changed, so the journal records real edits), the others
        inserted, and stored ones no longer listed deleted."""
        stored = {a.id: a for a in self.actions_of(session_id)}
        old_positions = {a.id: i for i, a in enumerate(stored.values())}
        keep = {a.id for a in actions if a.id is not None}
        for gone in set(stored) - keep:
            self.db.execute("DELETE FROM coaching_actions WHERE id = ?", [gone])
        for position, action in enumerate(actions):
            values = [
                action.text.strip(),
                action.owner.strip(),
                opt_date_text(action.due_date),
                opt_date_text(action.done_on),
            ]
            if action.id is None:
                self.db.execute(
                    "INSERT INTO coaching_actions (session_id, position, text, owner, due_date,"
                    " done_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [session_id, position, *values, utc_text(now)],
                )
                continue
            old = stored.get(action.id)
            if old is None:
                raise NotFoundError("coaching action", action.id)
            if old == action and old_positions[action.id] == position:
                continue
            self.db.execute(
                "UPDATE coaching_actions SET position = ?, text = ?, owner = ?, due_date = ?,"
                " done_on = ? WHERE id = ?",
                [position, *values, action.id],
            )

    def delete(self, session_id: int) -> None:
        # The actions go too (ON DELETE CASCADE) and their trigger journals each one.
        self.db.execute("DELETE FROM coaching_sessions WHERE id = ?", [session_id])

    def set_done(self, action_id: int, done_on: date | None) -> None:
        self.db.execute(
            "UPDATE coaching_actions SET done_on = ? WHERE id = ?",
            [opt_date_text(done_on), action_id],
        )

    # -- reading ----------------------------------------------------------------------
    def actions_of(self, session_id: int) -> tuple[ActionItem, ...]:
        rows = self.db.execute(
            "SELECT id, text, owner, due_date, done_on FROM coaching_actions"
            " WHERE session_id = ? ORDER BY position, id",
            [session_id],
        ).fetchall()
        return tuple(
            ActionItem(str(t), str(o), opt_date(d), opt_date(done), int(i))
            for i, t, o, d, done in rows
        )

    def action(self, action_id: int) -> tuple[int, ActionItem]:
        """The action and the id of its session."""
        row = self.db.execute(
            "SELECT session_id, id, text, owner, due_date, done_on FROM coaching_actions"
            " WHERE id = ?",
            [action_id],
        ).fetchone()
        if row is None:
            raise NotFoundError("coaching action", action_id)
        s, i, t, o, d, done = row
        return int(s), ActionItem(str(t), str(o), opt_date(d), opt_date(done), int(i))

    def get(self, session_id: int) -> CoachingSession:
        row = self.db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM coaching_sessions s WHERE s.id = ?", [session_id]
        ).fetchone()
        if row is None:
            raise NotFoundError("coaching session", session_id)
        return _session(row, self.actions_of(session_id))

    def sessions(self, flt: SessionFilter, today: date) -> list[SessionRow]:
        """Sessions matching ``flt``, the latest first, with their action counts."""
        where, params = ["1"], [today.isoformat()]
        for clause, value in (
            ("s.agent_id = ?", flt.agent_id),
            ("a.team_id = ?", flt.team_id),
            ("s.coach_id = ?", flt.coach_id),
            ("s.held_on >= ?", opt_date_text(flt.held_from)),
            ("s.held_on <= ?", opt_date_text(flt.held_to)),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)  # type: ignore[arg-type]
        having = {"open": " HAVING open > 0", "overdue": " HAVING overdue > 0"}.get(
            flt.actions or "", ""
        )
        rows = self.db.execute(
            "SELECT s.id, s.held_on, s.agent_id, a.name, t.name, s.coach_id, r.name,"
            " json_array_length(s.evaluations), s.questions, s.follow_weeks,"
            " count(c.id), count(c.id) FILTER (WHERE c.done_on IS NULL) AS open,"
            " count(c.id) FILTER (WHERE c.done_on IS NULL AND c.due_date < ?1) AS overdue"
            " FROM coaching_sessions s"
            " JOIN agents a ON a.id = s.agent_id"
            " LEFT JOIN teams t ON t.id = a.team_id"
            " LEFT JOIN reviewers r ON r.id = s.coach_id"
            " LEFT JOIN coaching_actions c ON c.session_id = s.id"
            f" WHERE {' AND '.join(where)}"
            f" GROUP BY s.id{having} ORDER BY s.held_on DESC, s.id DESC"
            + (" LIMIT ?" if flt.limit is not None else ""),
            [*params, *([flt.limit] if flt.limit is not None else [])],
        ).fetchall()
        return [
            SessionRow(
                int(i),
                date.fromisoformat(h),
                int(ag),
                str(an),
                tn,
                c,
                cn,
                int(ne),
                tuple((str(f), str(q)) for f, q in json.loads(qs)),
                int(w),
                int(n),
                int(o),
                int(ov),
            )
            for i, h, ag, an, tn, c, cn, ne, qs, w, n, o, ov in rows
        ]

    def citing(self, evaluation_id: int) -> list[int]:
        """Ids of the sessions that cite the evaluation, oldest first: the agent's
        sessions (their index) whose evaluation list holds its uuid."""
        rows = self.db.execute(
            "SELECT s.id FROM evaluations e"
            " JOIN coaching_sessions s ON s.agent_id = e.agent_id"
            " WHERE e.id = ? AND EXISTS (SELECT 1 FROM json_each(s.evaluations) j"
            "   WHERE j.value = e.uuid)"
            " ORDER BY s.held_on, s.id",
            [evaluation_id],
        ).fetchall()
        return [int(r[0]) for r in rows]

    def cited(self, uuids: Sequence[str]) -> dict[str, CitedEvaluation]:
        rows = self.db.execute(
            "SELECT e.uuid, e.agent_id, a.name, e.interaction_date FROM evaluations e"
            " JOIN agents a ON a.id = e.agent_id"
            " WHERE e.uuid IN (SELECT value FROM json_each(?))",
            [json.dumps(list(uuids))],
        ).fetchall()
        return {
            str(u): CitedEvaluation(str(u), int(ag), str(n), date.fromisoformat(d))
            for u, ag, n, d in rows
        }

    def evaluation_uuids(self, evaluation_ids: Sequence[int]) -> dict[int, str]:
        rows = self.db.execute(
            "SELECT id, uuid FROM evaluations WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(evaluation_ids))],
        ).fetchall()
        return {int(i): str(u) for i, u in rows}

    def evaluations_by_uuid(self, uuids: Sequence[str]) -> list[AgentEvaluation]:
        return self._evaluations(
            "e.uuid IN (SELECT value FROM json_each(?))", [json.dumps(list(uuids))]
        )

    def agent_evaluations(self, agent_id: int, since: date) -> list[AgentEvaluation]:
        """The agent's submitted evaluations of interactions from ``since`` on."""
        return self._evaluations(
            "e.agent_id = ? AND e.interaction_date >= ? AND e.status <> 'draft'",
            [agent_id, since.isoformat()],
        )

    def _evaluations(self, where: str, params: list[object]) -> list[AgentEvaluation]:
        rows = self.db.execute(
            "SELECT e.id, e.uuid, e.interaction_date, e.form_id, e.form_version_id, f.title,"
            " e.score FROM evaluations e JOIN forms f ON f.id = e.form_id"
            f" WHERE {where} ORDER BY e.interaction_date DESC, e.id DESC",
            params,
        ).fetchall()
        return [
            AgentEvaluation(int(i), str(u), date.fromisoformat(d), str(f), int(v), str(t), s)
            for i, u, d, f, v, t, s in rows
        ]

    def lost_points(self, evaluation_ids: Sequence[int]) -> set[QuestionKey]:
        """The questions that lost points in these evaluations."""
        rows = self.db.execute(
            "SELECT DISTINCT e.form_id, a.question_id FROM answers a"
            " JOIN evaluations e ON e.id = a.evaluation_id"
            " WHERE a.evaluation_id IN (SELECT value FROM json_each(?))"
            " AND a.status = 'scored' AND a.earned < a.possible",
            [json.dumps(list(evaluation_ids))],
        ).fetchall()
        return {(str(f), str(q)) for f, q in rows}

    def question_texts(self, keys: Sequence[QuestionKey]) -> dict[QuestionKey, str]:
        """Each question's text in the newest version of its form that has it."""
        rows = self.db.execute(
            "SELECT v.form_id, q.question_id, q.text FROM form_questions q"
            " JOIN form_versions v ON v.id = q.form_version_id"
            " WHERE (v.form_id, q.question_id) IN (SELECT json_extract(value, '$[0]'),"
            "   json_extract(value, '$[1]') FROM json_each(?))"
            " ORDER BY v.version",
            [json.dumps([list(k) for k in keys])],
        ).fetchall()
        return {(str(f), str(q)): str(t) for f, q, t in rows}

    def scored_answers(self, session_ids: Sequence[int]) -> dict[int, list[ScoredAnswer]]:
        """Per session, the agent's scored answers to its targeted questions in submitted
        regular evaluations of the session's two windows ([held_on − 7N, held_on + 7N];
        the session's own day, in neither, is left to core to drop)."""
        # The targets first, materialised (session, agent, window, form, question): as a
        # correlated subquery the JSON list was parsed again for every evaluation read,
        # 4 times slower for 300 sessions of a 20,000-evaluation database.
        rows = self.db.execute(
            "WITH targets AS MATERIALIZED (SELECT s.id AS sid, s.agent_id AS agent,"
            "   date(s.held_on, (-7 * s.follow_weeks) || ' days') AS first,"
            "   date(s.held_on, (7 * s.follow_weeks) || ' days') AS last,"
            "   json_extract(q.value, '$[0]') AS form_id, json_extract(q.value, '$[1]') AS qid"
            " FROM coaching_sessions s JOIN json_each(s.questions) q"
            " WHERE s.id IN (SELECT value FROM json_each(?1)))"
            " SELECT t.sid, e.form_id, a.question_id, e.interaction_date, a.earned, a.possible"
            " FROM targets t"
            " JOIN evaluations e INDEXED BY evaluations_agent_date"
            "   ON e.agent_id = t.agent AND e.interaction_date BETWEEN t.first AND t.last"
            " JOIN answers a ON a.evaluation_id = e.id AND a.question_id = t.qid"
            " WHERE e.form_id = t.form_id AND e.status <> 'draft' AND e.kind = 'regular'"
            " AND a.status = 'scored'",
            [json.dumps(list(session_ids))],
        ).fetchall()
        out: dict[int, list[ScoredAnswer]] = {int(i): [] for i in session_ids}
        for sid, form_id, qid, day, earned, possible in rows:
            out[int(sid)].append(
                ScoredAnswer(
                    str(form_id),
                    str(qid),
                    date.fromisoformat(day),
                    float(earned or 0.0),
                    float(possible or 0.0),
                )
            )
        return out

    def window_totals(
        self, session_ids: Sequence[int]
    ) -> dict[int, dict[tuple[QuestionKey, bool], WindowTotals]]:
        """Per session, per targeted question and window (after the session or not),
        the sums ``core.coaching.follow_up_from_totals`` needs, added up in SQL: the
        same answers as ``scored_answers`` without a Python object per answer."""
        # Each session's evaluations are read once (not once per targeted question),
        # then joined to its targets and their answers: 300 sessions at 1M evaluations,
        # 230 -> 150 ms.
        rows = self.db.execute(
            "WITH sessions AS MATERIALIZED (SELECT s.id AS sid, s.agent_id AS agent,"
            "  s.held_on AS held, date(s.held_on, (-7 * s.follow_weeks) || ' days') AS first,"
            "  date(s.held_on, (7 * s.follow_weeks) || ' days') AS last, s.questions AS questions"
            "  FROM coaching_sessions s WHERE s.id IN (SELECT value FROM json_each(?1))),"
            " targets AS MATERIALIZED (SELECT s.sid AS sid,"
            "  json_extract(q.value, '$[0]') AS form_id, json_extract(q.value, '$[1]') AS qid"
            "  FROM sessions s JOIN json_each(s.questions) q),"
            " scored AS MATERIALIZED (SELECT s.sid AS sid, e.id AS eid, e.form_id AS form_id,"
            "  e.interaction_date > s.held AS after FROM sessions s"
            "  CROSS JOIN evaluations e INDEXED BY evaluations_agent_date"
            "  ON e.agent_id = s.agent AND e.interaction_date BETWEEN s.first AND s.last"
            "  WHERE e.status <> 'draft' AND e.kind = 'regular' AND e.interaction_date <> s.held)"
            " SELECT t.sid, t.form_id, t.qid, x.after, count(*),"
            "  sum(a.possible > 0 AND abs(a.earned - a.possible) <= 1e-9),"
            "  total(a.earned), total(a.possible)"
            " FROM scored x CROSS JOIN targets t ON t.sid = x.sid AND t.form_id = x.form_id"
            " CROSS JOIN answers a ON a.evaluation_id = x.eid AND a.question_id = t.qid"
            " WHERE a.status = 'scored'"
            " GROUP BY t.sid, t.form_id, t.qid, x.after",
            [json.dumps(list(session_ids))],
        ).fetchall()
        out: dict[int, dict[tuple[QuestionKey, bool], WindowTotals]] = {
            int(i): {} for i in session_ids
        }
        for sid, form_id, qid, after, n, full, earned, possible in rows:
            out[int(sid)][((str(form_id), str(qid)), bool(after))] = WindowTotals(
                int(n), int(full or 0), float(earned), float(possible)
            )
        return out

    def agent_name(self, agent_id: int) -> str:
        row = self.db.execute("SELECT name FROM agents WHERE id = ?", [agent_id]).fetchone()
        if row is None:
            raise NotFoundError("agent", agent_id)
        return str(row[0])

    def reviewer_name(self, reviewer_id: int | None) -> str | None:
        if reviewer_id is None:
            return None
        row = self.db.execute("SELECT name FROM reviewers WHERE id = ?", [reviewer_id]).fetchone()
        if row is None:
            raise NotFoundError("reviewer", reviewer_id)
        return str(row[0])
