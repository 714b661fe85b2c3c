"""Coaching sessions, their action plans and their follow-up (the rules are in
core/coaching.py).

Each write checks the session inside its own write transaction and, when it cannot be
stored, raises ``NotAllowedError`` (this login may not write coaching) or
``CoachingRefusal`` (a ``ValueError``: the session itself breaks a rule) with one
sentence that names the action, the date or the evaluation and says what to do.
Writes return ``Changes(programme=True)``. "Today" is the centre's day (its time zone),
not the machine's or UTC's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from qa_monitor.core.coaching import (
    DEFAULT_FOLLOW_WEEKS,
    ActionItem,
    CoachingRefusal,
    CoachingSession,
    FollowUp,
    QuestionKey,
    check_action,
    check_session,
    follow_up,
    follow_up_from_totals,
)
from qa_monitor.services.common import Changes, Clock, NotAllowedError
from qa_monitor.services.form_service import FormCache
from qa_monitor.services.settings_service import SettingsService
from qa_monitor.storage.coaching_repo import AgentEvaluation, SessionFilter, SessionRow
from qa_monitor.storage.repos import Repos
from qa_monitor.storage.values import local_date

__all__ = [
    "ActionItem",
    "AgentEvaluation",
    "Citation",
    "CoachingRefusal",
    "CoachingService",
    "ListedSession",
    "QuestionChoice",
    "Saved",
    "SessionDetail",
    "SessionFilter",
    "SessionInput",
]

CHANGED = Changes(programme=True)
RECENT_DAYS = 90  # the evaluations a new session offers: the agent's last 90 days


@dataclass(frozen=True, slots=True)
class SessionInput:
    """A session as the dialog gives it (evaluations by their local ids)."""

    agent_id: int | None
    coach_id: int | None
    held_on: date
    evaluation_ids: tuple[int, ...] = ()
    questions: tuple[QuestionKey, ...] = ()
    notes: str = ""
    follow_weeks: int = DEFAULT_FOLLOW_WEEKS
    actions: tuple[ActionItem, ...] = ()


@dataclass(frozen=True, slots=True)
class Saved:
    session_id: int
    changes: Changes


@dataclass(frozen=True, slots=True)
class QuestionChoice:
    """A behaviour a session may target: a scored question of a discussed form."""

    form_id: str
    question_id: str
    text: str
    form_title: str
    lost_points: bool  # it lost points in one of the evaluations discussed

    @property
    def key(self) -> QuestionKey:
        return (self.form_id, self.question_id)


@dataclass(frozen=True, slots=True)
class SessionDetail:
    session: CoachingSession
    agent_name: str
    coach_name: str | None
    evaluations: tuple[AgentEvaluation, ...]
    question_texts: dict[QuestionKey, str]

    def behaviours(self) -> list[str]:
        return [self.question_texts.get(k, "") for k in self.session.questions]


@dataclass(frozen=True, slots=True)
class ListedSession:
    """One line of the coaching list: the row, the behaviours' texts, the follow-up."""

    row: SessionRow
    behaviours: tuple[str, ...]
    follow_up: FollowUp


@dataclass(frozen=True, slots=True)
class Citation:
    """A coaching session that discussed an evaluation."""

    session_id: int
    held_on: date
    coach_name: str | None
    behaviours: tuple[str, ...]


class CoachingService:
    def __init__(self, repos: Repos, clock: Clock, forms: FormCache, settings: SettingsService):
        self._db = repos.db
        self._repos = repos
        self._repo = repos.coaching
        self._clock = clock
        self._forms = forms
        self._settings = settings

    def today(self) -> date:
        """Today in the centre's time zone."""
        return local_date(self._clock(), self._settings.centre().timezone)

    # -- reading ------------------------------------------------------------------------
    def get(self, session_id: int) -> CoachingSession:
        return self._repo.get(session_id)

    def detail(self, session_id: int) -> SessionDetail:
        session = self._repo.get(session_id)
        return SessionDetail(
            session,
            self._repo.agent_name(session.agent_id or 0),
            self._repo.reviewer_name(session.coach_id),
            tuple(self._repo.evaluations_by_uuid(session.evaluations)),
            self._repo.question_texts(session.questions),
        )

    def sessions(
        self, flt: SessionFilter | None = None, today: date | None = None
    ) -> list[ListedSession]:
        """Sessions matching ``flt``, the latest first, each with its follow-up on
        ``today`` (one query for every listed session's answers)."""
        today = today or self.today()
        rows = self._repo.sessions(flt or SessionFilter(), today)
        totals = self._repo.window_totals([r.id for r in rows])
        texts = self._repo.question_texts(sorted({q for r in rows for q in r.questions}))
        out = []
        for row in rows:
            session = CoachingSession(
                row.agent_id, row.coach_id, row.held_on, (), row.questions, "", row.follow_weeks
            )
            out.append(
                ListedSession(
                    row,
                    tuple(texts.get(q, "") for q in row.questions),
                    follow_up_from_totals(session, today, totals[row.id], texts),
                )
            )
        return out

    def follow_up(self, session_id: int, today: date | None = None) -> FollowUp:
        """The follow-up statistics of the session on ``today`` (core.coaching)."""
        session = self._repo.get(session_id)
        answers = self._repo.scored_answers([session_id])[session_id]
        texts = self._repo.question_texts(session.questions)
        return follow_up(session, today or self.today(), answers, texts)

    def citing(self, evaluation_id: int) -> list[Citation]:
        """The sessions that discussed the evaluation, oldest first."""
        out = []
        for session_id in self._repo.citing(evaluation_id):
            detail = self.detail(session_id)
            out.append(
                Citation(
                    session_id,
                    detail.session.held_on,
                    detail.coach_name,
                    tuple(detail.behaviours()),
                )
            )
        return out

    def agent_evaluations(
        self, agent_id: int, today: date | None = None, days: int = RECENT_DAYS
    ) -> list[AgentEvaluation]:
        """The agent's submitted evaluations of the last ``days`` days, newest first."""
        since = (today or self.today()) - timedelta(days=days - 1)
        return self._repo.agent_evaluations(agent_id, since)

    def question_choices(self, evaluation_ids: Sequence[int]) -> list[QuestionChoice]:
        """The scored questions of the evaluations' forms (each once, from the newest
        version discussed), those that lost points in them first, then in form order."""
        found = self._repo.evaluations_by_uuid(
            list(self._repo.evaluation_uuids(list(evaluation_ids)).values())
        )
        lost = self._repo.lost_points([e.id for e in found])
        choices: dict[QuestionKey, QuestionChoice] = {}
        for evaluation in sorted(found, key=lambda e: -e.form_version_id):
            form = self._forms.form(evaluation.form_version_id)
            for _section, question in form.questions():
                key = (evaluation.form_id, question.id)
                if question.scored and key not in choices:
                    choices[key] = QuestionChoice(
                        key[0], key[1], question.text, evaluation.form_title, key in lost
                    )
        ordered = list(choices.values())
        return sorted(ordered, key=lambda c: not c.lost_points)  # stable: form order kept

    # -- writing ------------------------------------------------------------------------
    def create(self, given: SessionInput) -> Saved:
        """Store a new session and its action plan in one transaction."""
        self._check_allowed()
        with self._db.atomic():
            session = self._checked(given, None)
            session_id = self._repo.insert(session, self._clock())
        return Saved(session_id, CHANGED)

    def update(self, session_id: int, given: SessionInput) -> Saved:
        """Store the edited session; its plan becomes ``given.actions`` (actions with an
        id are updated, new ones inserted, the ones left out deleted)."""
        self._check_allowed()
        with self._db.atomic():
            stored = self._repo.get(session_id)
            session = replace(self._checked(given, stored), id=session_id)
            self._repo.update(session, self._clock())
        return Saved(session_id, CHANGED)

    def delete(self, session_id: int) -> Changes:
        """Delete the session and its action plan."""
        self._check_allowed()
        with self._db.atomic():
            self._repo.get(session_id)
            self._repo.delete(session_id)
        return CHANGED

    def set_done(self, action_id: int, done: bool, today: date | None = None) -> Changes:
        """Mark the action done today, or not done."""
        self._check_allowed()
        with self._db.atomic():
            _session_id, action = self._repo.action(action_id)
            done_on = (today or self.today()) if done else None
            if action.done_on is None or done_on is None:
                self._repo.set_done(action_id, done_on)
        return CHANGED

    def _checked(self, given: SessionInput, stored: CoachingSession | None) -> CoachingSession:
        today = self.today()
        uuids = self._repo.evaluation_uuids(list(given.evaluation_ids))
        missing = [i for i in given.evaluation_ids if i not in uuids]
        if missing:
            raise CoachingRefusal(
                "One of the evaluations discussed no longer exists; untick it and save again."
            )
        session = CoachingSession(
            agent_id=given.agent_id,
            coach_id=given.coach_id,
            held_on=given.held_on,
            evaluations=tuple(dict.fromkeys(uuids[i] for i in given.evaluation_ids)),
            questions=tuple(dict.fromkeys(given.questions)),
            notes=given.notes.strip(),
            follow_weeks=given.follow_weeks,
            actions=tuple(
                replace(a, text=a.text.strip(), owner=a.owner.strip()) for a in given.actions
            ),
        )
        agent_name = self._repo.agent_name(given.agent_id) if given.agent_id is not None else ""
        self._repo.reviewer_name(given.coach_id)  # NotFoundError for an unknown coach
        stored_actions = {a.id: a for a in stored.actions if a.id is not None} if stored else {}
        for action in session.actions:
            if action.id is not None and action.id not in stored_actions:
                raise CoachingRefusal(
                    f"The action '{action.text}' belongs to another session; add it to "
                    "this session's plan as a new action."
                )
        check_session(
            session,
            today,
            agent_name=agent_name,
            cited=self._repo.cited(session.evaluations),
            stored_actions=stored_actions,
        )
        return session

    def check_action(self, action: ActionItem, position: int, stored: ActionItem | None) -> None:
        """Refuse an action as saving would (for a dialog that checks each row early)."""
        check_action(action, self.today(), position, stored)

    def _check_allowed(self) -> None:
        if self._settings.team_role() == "agent":
            raise NotAllowedError(
                "On the team server, supervisors and reviewers record coaching sessions; "
                "an agent's login cannot record or change them."
            )
