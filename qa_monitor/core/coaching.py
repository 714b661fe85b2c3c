"""Coaching sessions: a coach meets an agent about some evaluations, targets a few
behaviours (questions of the forms), agrees an action plan, and the follow-up shows
whether those behaviours changed afterwards.

Rules:
- A session is about one agent, held on a day that is not after today; it cites only
  that agent's evaluations (by uuid, the same on every site) and targets questions as
  [form id, question id] pairs. The follow-up lasts 1 to 26 weeks (default 4).
- An action item has text; an action that is not done may not be given a due date
  that has passed, when it is created or its due date changes (an old action whose
  date has since passed stays as it is: it is overdue, not wrong).
- Follow-up, per targeted question: the agent's submitted (not draft), regular
  evaluations whose interaction date lies in the N weeks before the session
  ([held_on − 7N days, held_on − 1]) and the N weeks after ([held_on + 1,
  held_on + 7N]). Per window: n scored answers, the full-marks rate (earned ==
  possible) with its Wilson 95 % interval, and the percent of points
  (Σ earned / Σ possible). The change is after − before in the full-marks rate with
  Newcombe's hybrid score interval. Verdict: "follow-up running" while today is before
  held_on + 7N (the figures so far are still shown); else "not enough data" when
  either window has fewer than ``MIN_SCORED`` scored answers; else "improved" when
  the change's interval lies wholly above 0, "declined" wholly below, otherwise
  "within noise".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from qa_monitor.core.statistics import (
    Proportion,
    ProportionDifference,
    newcombe_difference,
    wilson_interval,
)

MIN_FOLLOW_WEEKS = 1
MAX_FOLLOW_WEEKS = 26
DEFAULT_FOLLOW_WEEKS = 4
MIN_SCORED = 5  # scored answers a window needs before a verdict is given
MAX_NOTES_CHARS = 20_000
MAX_ACTION_CHARS = 500
_FULL_MARKS_TOLERANCE = 1e-9

QuestionKey = tuple[str, str]  # form id, question id


class CoachingRefusal(ValueError):
    """A session or action that cannot be stored as given; the message says why and
    what to do."""


@dataclass(frozen=True, slots=True)
class ActionItem:
    """One step of the action plan. ``id`` is None until it is stored."""

    text: str
    owner: str = ""
    due_date: date | None = None
    done_on: date | None = None
    id: int | None = None

    @property
    def done(self) -> bool:
        return self.done_on is not None

    def overdue(self, today: date) -> bool:
        return not self.done and self.due_date is not None and self.due_date < today


@dataclass(frozen=True, slots=True)
class CoachingSession:
    """A coaching session as stored (``evaluations`` are uuids)."""

    agent_id: int | None
    coach_id: int | None
    held_on: date
    evaluations: tuple[str, ...] = ()
    questions: tuple[QuestionKey, ...] = ()
    notes: str = ""
    follow_weeks: int = DEFAULT_FOLLOW_WEEKS
    actions: tuple[ActionItem, ...] = ()
    id: int | None = None
    uuid: str | None = None
    created_at: datetime | None = None

    @property
    def follow_up_ends(self) -> date:
        """The last day of the after window (held_on + 7N days)."""
        return self.held_on + timedelta(days=7 * self.follow_weeks)

    def open_actions(self) -> int:
        return sum(1 for a in self.actions if not a.done)

    def overdue_actions(self, today: date) -> int:
        return sum(1 for a in self.actions if a.overdue(today))


@dataclass(frozen=True, slots=True)
class CitedEvaluation:
    """What the checks need to know about an evaluation a session cites."""

    uuid: str
    agent_id: int
    agent_name: str
    interaction_date: date


# ------------------------------------------------------------------------ checks
def check_session(
    session: CoachingSession,
    today: date,
    *,
    agent_name: str = "",
    cited: Mapping[str, CitedEvaluation] | None = None,
    stored_actions: Mapping[int, ActionItem] | None = None,
) -> None:
    """Raise ``CoachingRefusal`` with one sentence for the first rule ``session``
    breaks (see the module's rules). ``cited`` describes its evaluations;
    ``stored_actions`` are the actions as stored before an edit (by id), so an
    unchanged due date that has passed is not refused."""
    if session.agent_id is None:
        raise CoachingRefusal(
            "Choose the agent who was coached; a coaching session is always about one agent."
        )
    if session.held_on > today:
        raise CoachingRefusal(
            f"The session date {session.held_on.isoformat()} is after today "
            f"({today.isoformat()}); record a session once it has been held."
        )
    if not MIN_FOLLOW_WEEKS <= session.follow_weeks <= MAX_FOLLOW_WEEKS:
        raise CoachingRefusal(
            f"A follow-up of {session.follow_weeks} weeks is not possible; choose from "
            f"{MIN_FOLLOW_WEEKS} to {MAX_FOLLOW_WEEKS} weeks."
        )
    if len(session.notes) > MAX_NOTES_CHARS:
        raise CoachingRefusal(
            f"The notes are {len(session.notes):,} characters long; keep them under "
            f"{MAX_NOTES_CHARS:,} characters."
        )
    for uuid in session.evaluations:
        found = (cited or {}).get(uuid)
        if found is None:
            raise CoachingRefusal(
                "One of the evaluations discussed no longer exists; untick it and save again."
            )
        if found.agent_id != session.agent_id:
            raise CoachingRefusal(
                f"The evaluation of the interaction of {found.interaction_date.isoformat()} "
                f"is {found.agent_name}'s, not {agent_name}'s; discuss only {agent_name}'s "
                "evaluations in this session."
            )
    for position, action in enumerate(session.actions, start=1):
        check_action(action, today, position, (stored_actions or {}).get(action.id or -1))


def check_action(
    action: ActionItem, today: date, position: int = 1, stored: ActionItem | None = None
) -> None:
    """Raise ``CoachingRefusal`` if ``action`` (number ``position`` of the plan) has no
    text, is too long, is done in the future, or is newly due on a day that passed."""
    text = action.text.strip()
    if not text:
        raise CoachingRefusal(
            f"Action {position} of the plan has no text; say what is to be done, or "
            "remove the action."
        )
    if len(text) > MAX_ACTION_CHARS:
        raise CoachingRefusal(
            f"Action {position} of the plan is {len(text):,} characters long; keep an "
            f"action under {MAX_ACTION_CHARS:,} characters and put details in the notes."
        )
    if action.done_on is not None and action.done_on > today:
        raise CoachingRefusal(
            f"The action '{text}' is marked done on {action.done_on.isoformat()}, which is "
            f"after today ({today.isoformat()}); mark it done on today or an earlier day."
        )
    date_changed = stored is None or stored.due_date != action.due_date
    if date_changed and not action.done and action.due_date is not None and action.due_date < today:
        raise CoachingRefusal(
            f"The action '{text}' is due on {action.due_date.isoformat()}, which has "
            f"passed; give a due date from today ({today.isoformat()}) on."
        )


# ---------------------------------------------------------------------- follow-up
class Verdict(StrEnum):
    IMPROVED = "improved"
    DECLINED = "declined"
    WITHIN_NOISE = "within_noise"
    NOT_ENOUGH_DATA = "not_enough_data"
    RUNNING = "running"


@dataclass(frozen=True, slots=True)
class ScoredAnswer:
    """One scored answer of the agent to a targeted question."""

    form_id: str
    question_id: str
    interaction_date: date
    earned: float
    possible: float

    @property
    def full_marks(self) -> bool:
        return self.possible > 0 and abs(self.earned - self.possible) <= _FULL_MARKS_TOLERANCE


@dataclass(frozen=True, slots=True)
class WindowFigures:
    """One window's figures for one question (``rate`` None when n = 0)."""

    start: date
    end: date
    n: int = 0
    full_marks: int = 0
    earned: float = 0.0
    possible: float = 0.0
    rate: Proportion | None = None

    @property
    def percent(self) -> float | None:
        """Percent of the points: Σ earned / Σ possible × 100 (None without points)."""
        return self.earned / self.possible * 100 if self.possible > 0 else None


@dataclass(frozen=True, slots=True)
class QuestionFollowUp:
    form_id: str
    question_id: str
    text: str
    before: WindowFigures
    after: WindowFigures
    change: ProportionDifference | None
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A session's follow-up: one line per targeted question, in the session's order."""

    held_on: date
    follow_weeks: int
    today: date
    questions: tuple[QuestionFollowUp, ...] = field(default_factory=tuple)

    @property
    def ends(self) -> date:
        return self.held_on + timedelta(days=7 * self.follow_weeks)

    @property
    def running(self) -> bool:
        return self.today < self.ends

    def counts(self) -> dict[Verdict, int]:
        out: dict[Verdict, int] = {}
        for q in self.questions:
            out[q.verdict] = out.get(q.verdict, 0) + 1
        return out


def windows(held_on: date, follow_weeks: int) -> tuple[tuple[date, date], tuple[date, date]]:
    """The before and after windows, first and last day included."""
    days = 7 * follow_weeks
    return (
        (held_on - timedelta(days=days), held_on - timedelta(days=1)),
        (held_on + timedelta(days=1), held_on + timedelta(days=days)),
    )


@dataclass(frozen=True, slots=True)
class WindowTotals:
    """One window's sums for one question, as SQL can add them up."""

    n: int = 0
    full_marks: int = 0
    earned: float = 0.0
    possible: float = 0.0


def totals_of(answers: Sequence[ScoredAnswer]) -> WindowTotals:
    return WindowTotals(
        len(answers),
        sum(1 for a in answers if a.full_marks),
        sum(a.earned for a in answers),
        sum(a.possible for a in answers),
    )


def _figures(start: date, end: date, t: WindowTotals) -> WindowFigures:
    return WindowFigures(
        start, end, t.n, t.full_marks, t.earned, t.possible, wilson_interval(t.full_marks, t.n)
    )


def verdict_of(
    before: WindowFigures, after: WindowFigures, change: ProportionDifference | None, running: bool
) -> Verdict:
    if running:
        return Verdict.RUNNING
    if before.n < MIN_SCORED or after.n < MIN_SCORED or change is None:
        return Verdict.NOT_ENOUGH_DATA
    if change.low > 0:
        return Verdict.IMPROVED
    if change.high < 0:
        return Verdict.DECLINED
    return Verdict.WITHIN_NOISE


def follow_up(
    session: CoachingSession,
    today: date,
    answers: Iterable[ScoredAnswer],
    texts: Mapping[QuestionKey, str],
) -> FollowUp:
    """The follow-up statistics of ``session`` on ``today`` from the agent's scored
    answers (answers outside both windows or to other questions are ignored)."""
    (b_start, b_end), (a_start, a_end) = windows(session.held_on, session.follow_weeks)
    grouped: dict[tuple[QuestionKey, bool], list[ScoredAnswer]] = {}
    for answer in answers:
        day = answer.interaction_date
        if b_start <= day <= b_end:
            in_after = False
        elif a_start <= day <= a_end:
            in_after = True
        else:
            continue
        grouped.setdefault(((answer.form_id, answer.question_id), in_after), []).append(answer)
    return follow_up_from_totals(
        session, today, {key: totals_of(group) for key, group in grouped.items()}, texts
    )


def follow_up_from_totals(
    session: CoachingSession,
    today: date,
    totals: Mapping[tuple[QuestionKey, bool], WindowTotals],
    texts: Mapping[QuestionKey, str],
) -> FollowUp:
    """``follow_up`` from each question's window sums (key: question, after?), which
    a list of many sessions reads added up in SQL."""
    (b_start, b_end), (a_start, a_end) = windows(session.held_on, session.follow_weeks)
    running = today < session.follow_up_ends
    empty = WindowTotals()
    lines = []
    for key in dict.fromkeys(session.questions):
        before = _figures(b_start, b_end, totals.get((key, False), empty))
        after = _figures(a_start, a_end, totals.get((key, True), empty))
        change = newcombe_difference(after.full_marks, after.n, before.full_marks, before.n)
        lines.append(
            QuestionFollowUp(
                key[0],
                key[1],
                texts.get(key, key[1]),
                before,
                after,
                change,
                verdict_of(before, after, change, running),
            )
        )
    return FollowUp(session.held_on, session.follow_weeks, today, tuple(lines))


def verdict_sentence(verdict: Verdict, ends: date) -> str:
    """The verdict in words (English; the UI words it through its translations)."""
    return {
        Verdict.IMPROVED: "Improved",
        Verdict.DECLINED: "Declined",
        Verdict.WITHIN_NOISE: "Within noise",
        Verdict.NOT_ENOUGH_DATA: "Not enough data",
        Verdict.RUNNING: f"Follow-up running until {ends.isoformat()}",
    }[verdict]
