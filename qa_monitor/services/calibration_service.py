"""Calibration sessions: create, score blind, reveal, compare, agree and feed guidance
back into the form (rules in core/calibration.py; docs/calibration.md).

Rules:
- Who: supervisors and admins (or anyone off a team server) create and run sessions;
  so does an expert reviewer (People ▸ reviewer ▸ "Expert"), and the session's own
  expert and creator may reveal it and write its notes. Agents never see sessions.
- Scoring: an invited reviewer starts (or resumes) a calibration draft on the
  session's call and form version; when a calibration evaluation is submitted by an
  invited reviewer into an open session on that call and version, it joins the
  session (``join_on_submit``, called inside the submit's transaction).
- Blind: before the reveal the session shows who has submitted, never an answer or a
  score; the Evaluations list and the calibration reports hide the entries of open
  sessions from everyone but their reviewer (``storage.calibration_repo.blind_sql``).
- An evaluation in a revealed session is kept as scored (editing it is refused), so
  the comparison stays true; the agreed answer goes into the session's notes.
- Agreement (``revealed``): per scored question, Krippendorff's alpha over this
  session and the form's ``RECENT_SESSIONS − 1`` revealed sessions before it (units:
  sessions; nominal for yes/no and choices, ordinal for ordered scales, as the
  Reviewer quality view), with a seeded bootstrap 95 % interval and n; the score's
  alpha at the interval level over the same sessions; and the panel's agreement on
  this call, nominal alpha with the questions as units. One session alone gives each
  question a single unit, for which alpha says nothing, so the figures always pool the
  form's recent sessions and say how many.
- Every refusal is ``NotAllowedError`` or ``CalibrationRefusal`` (a ValueError) with one
  sentence that names the session and says what to do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from qa_monitor.core.agreement import AlphaEstimate
from qa_monitor.core.answers import Answer
from qa_monitor.core.calibration import (
    Agreed,
    Bands,
    CalibrationRefusal,
    Participant,
    QuestionAlpha,
    Reveal,
    answer_key,
    check_note,
    check_title,
    guidance_with_note,
    reveal,
)
from qa_monitor.core.forms import Form
from qa_monitor.core.records import EvaluationKind, FormStatus
from qa_monitor.core.reviewer_quality import (
    ORDINAL_TYPES,
    agreement_value,
    verdict,
)
from qa_monitor.core.scoring import score_evaluation, visible_question_ids
from qa_monitor.reports.agreement_bootstrap import CategoricalLevel, alpha_estimate
from qa_monitor.services.common import Changes, Clock, NotAllowedError
from qa_monitor.services.evaluation_service import EvaluationService
from qa_monitor.services.form_service import FormCache, FormService
from qa_monitor.services.settings_service import SettingsService
from qa_monitor.storage.calibration_repo import (
    EntryRow,
    ListedSession,
    NewSession,
    SessionRecord,
)
from qa_monitor.storage.repos import Repos
from qa_monitor.storage.values import local_date, value_from_json, value_to_json

__all__ = [
    "Bands",
    "CalibrationRefusal",
    "CalibrationService",
    "ListedSession",
    "ParticipantState",
    "QuestionAlpha",
    "RevealView",
    "SessionInput",
    "SessionView",
]

CHANGED = Changes(programme=True, evaluations=True)
BANDS_KEY = "calibration_bands"
RECENT_SESSIONS = 30  # as the Reviewer quality view's question agreement
RESAMPLES = 500  # as the Reviewer quality view (analytics_reviewers.BOOTSTRAP_RESAMPLES)
LIST_LIMIT = 500


@dataclass(frozen=True, slots=True)
class SessionInput:
    title: str
    interaction_id: int
    form_version_id: int
    expert_id: int | None  # None: consensus
    reviewer_ids: tuple[int, ...]
    bands: Bands = field(default_factory=Bands)
    due_date: date | None = None
    summary: str = ""


@dataclass(frozen=True, slots=True)
class ParticipantState:
    reviewer_id: int
    name: str
    is_expert: bool
    state: str  # 'submitted', 'draft' (on this computer), 'waiting'


@dataclass(frozen=True, slots=True)
class SessionView:
    """What anyone may see of a session, revealed or not (no answers, no scores)."""

    record: SessionRecord
    call: str  # "<external id> · <agent> · <date> · <channel>"
    agent_name: str
    interaction_date: date
    channel: str
    recording_path: str | None
    form_title: str
    version: int
    expert_name: str | None
    participants: tuple[ParticipantState, ...]
    me: int | None
    my_evaluation_id: int | None  # my draft, or my submitted entry
    my_state: str | None  # None: not invited
    can_manage: bool  # edit, reveal, notes
    reveal_blocker: str | None  # why it cannot be revealed now (None: it can)

    @property
    def submitted(self) -> int:
        return sum(1 for p in self.participants if p.state == "submitted")


@dataclass(frozen=True, slots=True)
class RevealView:
    view: SessionView
    reveal: Reveal
    questions: Mapping[str, QuestionAlpha]
    score_alpha: AlphaEstimate  # interval, units: sessions
    call_alpha: AlphaEstimate  # nominal, units: this call's questions
    sessions: int  # revealed sessions pooled for the figures (this one included)
    agreed_score: float | None


class CalibrationService:
    def __init__(
        self,
        repos: Repos,
        clock: Clock,
        forms: FormCache,
        settings: SettingsService,
        evaluations: EvaluationService,
        form_service: FormService,
    ):
        self._evaluations = evaluations
        self._form_service = form_service
        self._db = repos.db
        self._repo = repos.calibration
        self._repos = repos
        self._clock = clock
        self._forms = forms
        self._settings = settings

    # -- who ---------------------------------------------------------------------------------
    def me(self) -> int | None:
        return self._repos.settings.current_reviewer_id()

    def _staff(self) -> bool:
        return self._settings.team_role() not in ("reviewer", "agent")

    def may_create(self) -> bool:
        """Whether this login may create sessions (see the module rules)."""
        if self._settings.team_role() == "agent":
            return False
        if self._staff():
            return True
        me = self.me()
        return me is not None and self._repos.people.get_reviewer(me).is_expert

    def _may_manage(self, record: SessionRecord) -> bool:
        if self._settings.team_role() == "agent":
            return False
        me = self.me()
        return self._staff() or (me is not None and me in (record.expert_id, record.created_by))

    def _check_manage(self, record: SessionRecord, what: str) -> None:
        if not self._may_manage(record):
            raise NotAllowedError(
                f"Only the session's expert, whoever created it, or a supervisor may {what} "
                f"the calibration session '{record.title}'."
            )

    # -- the centre's bands --------------------------------------------------------------------
    def centre_bands(self) -> Bands:
        return Bands.parse(self._repos.settings.get(BANDS_KEY))

    def set_centre_bands(self, bands: Bands) -> Changes:
        if not self._staff():
            raise NotAllowedError(
                "The team's supervisors choose the calibration bands on the team server; "
                "ask one of them to change them."
            )
        self._repos.settings.set(BANDS_KEY, bands.check().text())
        return Changes(settings=True)

    def default_bands(self, form_id: str) -> Bands:
        """A new session's bands: those of the form's latest session, else the centre's."""
        latest = self._repo.latest_bands(form_id)
        return self.centre_bands() if latest is None else Bands(*latest)

    # -- listing ---------------------------------------------------------------------------------
    def sessions(
        self, *, revealed: bool | None = None, mine_only: bool = False, limit: int = LIST_LIMIT
    ) -> list[ListedSession]:
        """Sessions, open ones first, newest first (see ``CalibrationRepo.sessions``)."""
        if self._settings.team_role() == "agent":
            return []
        return self._repo.sessions(
            revealed=revealed, me=self.me(), mine_only=mine_only, limit=limit
        )

    def view(self, session_id: int) -> SessionView:
        record = self._repo.get(session_id)
        interaction = self._repos.interactions.get(record.interaction_id)
        version = self._repos.forms.get_version(record.form_version_id)
        form_title, _status = self._repos.forms.form_head(record.form_id)
        invited = record.invited
        names = self._repo.reviewer_names(invited)
        entries = {e.reviewer_id: e for e in self._repo.entries(session_id)}
        drafts = self._repo.drafts(session_id)
        participants = []
        for reviewer_id in invited:
            name, _expert, _active = names.get(reviewer_id, (f"#{reviewer_id}", False, False))
            if reviewer_id in entries:
                state = "submitted"
            elif reviewer_id in drafts:
                state = "draft"
            else:
                state = "waiting"
            participants.append(
                ParticipantState(reviewer_id, name, reviewer_id == record.expert_id, state)
            )
        me = self.me()
        my_state = None
        my_evaluation = None
        if me is not None and me in invited:
            if me in entries:
                my_state, my_evaluation = "submitted", entries[me].evaluation_id
            else:
                my_evaluation = self._repo.draft_of(session_id, me)
                my_state = "draft" if my_evaluation is not None else "waiting"
        agent = self._repos.people.get_agent(interaction.agent_id).name
        day = interaction.local_date
        parts = [p for p in (interaction.external_id, agent, day.isoformat()) if p]
        parts.append(interaction.channel.value)
        return SessionView(
            record=record,
            call=" · ".join(parts),
            agent_name=agent,
            interaction_date=day,
            channel=interaction.channel.value,
            recording_path=interaction.recording_path,
            form_title=form_title,
            version=version.version,
            expert_name=None if record.expert_id is None else names.get(record.expert_id, ("",))[0],
            participants=tuple(participants),
            me=me,
            my_evaluation_id=my_evaluation,
            my_state=my_state,
            can_manage=self._may_manage(record),
            reveal_blocker=self._reveal_blocker(record, entries),
        )

    @staticmethod
    def _reveal_blocker(record: SessionRecord, entries: Mapping[int, EntryRow]) -> str | None:
        if record.revealed:
            return f"The session '{record.title}' is already revealed."
        if len(entries) < 2:
            return (
                f"{len(entries)} of {len(record.invited)} reviewers have submitted; a session "
                "is revealed once at least two have."
            )
        if record.expert_id is not None and record.expert_id not in entries:
            return (
                "The expert has not submitted yet; the others are compared with the expert, "
                "so the session is revealed after the expert scores."
            )
        return None

    # -- creating and changing -------------------------------------------------------------------
    def _checked(self, given: SessionInput, stored: SessionRecord | None) -> NewSession:
        title = check_title(given.title)
        bands = given.bands.check()
        version = self._repos.forms.get_version(given.form_version_id)
        if not version.is_published:
            raise CalibrationRefusal(
                f"Version {version.version} of the form '{version.form_id}' is a draft; a "
                "session scores a published version. Publish it first."
            )
        if self._repos.forms.form_head(version.form_id)[1] is FormStatus.RETIRED:
            raise CalibrationRefusal(
                f"The form '{version.form_id}' is retired; choose a live form for the session."
            )
        self._repos.interactions.get(given.interaction_id)  # NotFoundError for a wrong id
        reviewers = tuple(dict.fromkeys(r for r in given.reviewer_ids if r != given.expert_id))
        everyone = (() if given.expert_id is None else (given.expert_id,)) + reviewers
        if len(everyone) < 2:
            raise CalibrationRefusal(
                "A calibration session compares at least two reviewers; invite another one."
            )
        if len(everyone) > 50:
            raise CalibrationRefusal(
                f"A session has at most 50 reviewers; {len(everyone)} are invited. Split them "
                "into two sessions."
            )
        names = self._repo.reviewer_names(everyone)
        for reviewer_id in everyone:
            if reviewer_id not in names:
                raise CalibrationRefusal(f"Reviewer #{reviewer_id} does not exist.")
            name, _is_expert, active = names[reviewer_id]
            keeps = stored is not None and reviewer_id in stored.invited
            if not active and not keeps:
                raise CalibrationRefusal(
                    f"{name} is deactivated; invite an active reviewer instead."
                )
        if stored is None:
            for other in self._repo.open_sessions_on(given.interaction_id):
                raise CalibrationRefusal(
                    f"The call already has an open calibration session, '{other.title}'; "
                    "reveal it before starting another on the same call."
                )
        return NewSession(
            title=title,
            interaction_id=given.interaction_id,
            form_id=version.form_id,
            form_version_id=version.id,
            expert_id=given.expert_id,
            reviewer_ids=reviewers,
            acceptable=bands.acceptable,
            discuss=bands.discuss,
            due_date=given.due_date,
            summary=given.summary.strip(),
            created_by=self.me() if stored is None else stored.created_by,
        )

    def create(self, given: SessionInput) -> tuple[int, Changes]:
        if not self.may_create():
            raise NotAllowedError(
                "Supervisors, admins and expert reviewers run calibration sessions; ask one "
                "of them to start this one."
            )
        with self._db.atomic():
            new = self._checked(given, None)
            session_id = self._repo.insert(new, self._clock())
        return session_id, CHANGED

    def update(self, session_id: int, given: SessionInput) -> Changes:
        with self._db.atomic():
            record = self._repo.get(session_id)
            self._check_manage(record, "change")
            if record.revealed:
                raise CalibrationRefusal(
                    f"The session '{record.title}' is revealed; its reviewers and bands stay "
                    "as they were scored. Start a new session to calibrate again."
                )
            if (given.interaction_id, given.form_version_id) != (
                record.interaction_id,
                record.form_version_id,
            ) and self._repo.entries(session_id):
                raise CalibrationRefusal(
                    f"Reviewers have already scored the call of '{record.title}'; its call and "
                    "form version stay. Start a new session for another call."
                )
            new = self._checked(given, record)
            scored = {e.reviewer_id for e in self._repo.entries(session_id)}
            dropped = scored - set(
                ((new.expert_id,) if new.expert_id is not None else ()) + new.reviewer_ids
            )
            if dropped:
                names = self._repo.reviewer_names(sorted(dropped))
                who = ", ".join(names[r][0] for r in sorted(dropped) if r in names)
                raise CalibrationRefusal(
                    f"{who} already scored in '{record.title}'; a reviewer who has scored stays "
                    "in the session."
                )
            self._repo.update(session_id, new)
        return CHANGED

    def delete(self, session_id: int) -> Changes:
        with self._db.atomic():
            record = self._repo.get(session_id)
            self._check_manage(record, "delete")
            entries = self._repo.entries(session_id)
            if entries:
                raise CalibrationRefusal(
                    f"{len(entries)} reviewer(s) have scored in '{record.title}'; a session "
                    "with scores is kept. Reveal it instead."
                )
            self._repo.delete(session_id)
        return CHANGED

    # -- scoring ---------------------------------------------------------------------------------
    def start(self, session_id: int) -> int:
        """The current reviewer's calibration draft for the session (a new one, or the
        one they began); refuses when they are not invited, have submitted, or the
        session is revealed."""
        me = self.me()
        record = self._repo.get(session_id)
        if me is None:
            raise NotAllowedError("Choose who you are (File ▸ Switch reviewer) before scoring.")
        if me not in record.invited:
            raise NotAllowedError(
                f"You are not invited to the calibration session '{record.title}'; ask its "
                "expert or a supervisor to add you."
            )
        if record.revealed:
            raise CalibrationRefusal(
                f"The session '{record.title}' was revealed; scores given after the reveal "
                "would not be blind, so it takes no more."
            )
        for entry in self._repo.entries(session_id):
            if entry.reviewer_id == me:
                raise CalibrationRefusal(
                    f"You have already submitted your evaluation in '{record.title}'; it "
                    "stays hidden from the others until the session is revealed."
                )
        draft = self._repo.draft_of(session_id, me)
        if draft is not None:
            return draft
        return self._evaluations.start_evaluation(
            record.interaction_id, record.form_version_id, me, EvaluationKind.CALIBRATION
        ).id

    def join_on_submit(self, evaluation_id: int) -> None:
        """Inside a submit's transaction: put a calibration evaluation into the open
        session on its call and form version that invited its reviewer (if any)."""
        evaluation = self._repos.evaluations.get(evaluation_id)
        if evaluation.kind is not EvaluationKind.CALIBRATION:
            return
        interaction_id = evaluation.interaction_id
        version_id, reviewer_id = evaluation.form_version_id, evaluation.reviewer_id
        for record in self._repo.open_sessions_on(interaction_id):
            if record.form_version_id == version_id and reviewer_id in record.invited:
                if not any(e.reviewer_id == reviewer_id for e in self._repo.entries(record.id)):
                    self._repo.add_entry(record.id, evaluation_id, self._clock())
                return

    def check_edit(self, evaluation_id: int) -> None:
        """Refuse editing an evaluation scored into a revealed session."""
        session_id = self._repo.session_of(evaluation_id)
        if session_id is None:
            return
        record = self._repo.get(session_id)
        if record.revealed and record.revealed_at is not None:
            raise NotAllowedError(
                f"This evaluation was scored in the calibration session '{record.title}', "
                f"revealed on {record.revealed_at.date().isoformat()}; it is kept as scored so "
                "the comparison stays true. Record the agreed answer in the session instead."
            )

    # -- revealing ---------------------------------------------------------------------------------
    def reveal(self, session_id: int, *, force: bool = False) -> Changes:
        """Reveal the session. ``force``: even though invited reviewers have not submitted
        (their later evaluations do not join)."""
        with self._db.atomic():
            record = self._repo.get(session_id)
            self._check_manage(record, "reveal")
            entries = {e.reviewer_id: e for e in self._repo.entries(session_id)}
            blocker = self._reveal_blocker(record, entries)
            if blocker is not None:
                raise CalibrationRefusal(blocker)
            waiting = [r for r in record.invited if r not in entries]
            if waiting and not force:
                names = self._repo.reviewer_names(waiting)
                who = ", ".join(names[r][0] for r in waiting if r in names)
                raise CalibrationRefusal(
                    f"{len(entries)} of {len(record.invited)} reviewers have submitted; "
                    f"{who} have not. Reveal anyway, and their scores will not count in this "
                    "session."
                )
            self._repo.reveal(session_id, self.me(), self._clock())
        return CHANGED

    def revealed(self, session_id: int) -> RevealView:
        """The comparison of a revealed session (module rules)."""
        view = self.view(session_id)
        record = view.record
        if not record.revealed:
            raise NotAllowedError(
                f"The session '{record.title}' is not revealed yet; its answers stay hidden "
                f"until it is ({view.submitted} of {len(record.invited)} have submitted)."
            )
        form = self._forms.form(record.form_version_id)
        facts = self._repos.interactions.get(record.interaction_id).facts
        entries = {e.reviewer_id: e for e in self._repo.entries(session_id)}
        participants = []
        for p in view.participants:
            entry = entries.get(p.reviewer_id)
            if entry is None:
                participants.append(
                    Participant(p.reviewer_id, p.name, p.is_expert, None, None, {}, frozenset())
                )
                continue
            evaluation = self._repos.evaluations.get(entry.evaluation_id)
            participants.append(
                Participant(
                    p.reviewer_id,
                    p.name,
                    p.is_expert,
                    entry.evaluation_id,
                    evaluation.score,
                    evaluation.answers,
                    frozenset(visible_question_ids(form, evaluation.answers, facts)),
                )
            )
        agreed = self.notes(session_id)
        answered = {
            q
            for p in participants
            for q, a in p.answers.items()
            if q in p.visible and answer_key(a) is not None and _scored(form, q)
        }
        agreed_score = None
        if (
            record.expert_id is None
            and answered
            and all((a := agreed.get(q)) is not None and a.answer is not None for q in answered)
        ):
            answers = {q: a.answer for q, a in agreed.items() if a.answer is not None}
            agreed_score = score_evaluation(form, answers, facts).score
        result = reveal(
            form,
            participants,
            agreed,
            Bands(record.acceptable, record.discuss),
            agreed_score,
            record.expert_id is not None,
        )
        pooled = [
            session_id,
            *self._repo.recent_revealed(record.form_id, record.created_at, RECENT_SESSIONS - 1),
        ]
        questions = self._question_alphas(form, pooled)
        scores = self._repo.entry_scores(pooled)
        score_alpha = alpha_estimate(
            [scores.get(s, {}) for s in pooled], "interval", resamples=RESAMPLES
        )
        call_units = [
            {c.reviewer_id: c.key for c in row.cells if c.key is not None} for row in result.rows
        ]
        call_alpha = alpha_estimate(call_units, "nominal", resamples=RESAMPLES)
        return RevealView(
            view, result, questions, score_alpha, call_alpha, len(pooled), agreed_score
        )

    def _question_alphas(self, form: Form, pooled: Sequence[int]) -> dict[str, QuestionAlpha]:
        choices = self._repo.entry_choices(pooled)
        out = {}
        for _section, question in form.questions():
            if not question.scored:
                continue
            units = []
            for session_id in pooled:
                unit = {}
                for reviewer_id, answers in choices.get(session_id, {}).items():
                    unit[reviewer_id] = agreement_value(
                        question.type.value, answers.get(question.id)
                    )
                units.append(unit)
            level: CategoricalLevel = "ordinal" if question.type in ORDINAL_TYPES else "nominal"
            estimate = alpha_estimate(units, level, resamples=RESAMPLES)
            out[question.id] = QuestionAlpha(
                question.id, level, estimate, verdict(estimate.alpha, estimate.units)
            )
        return out

    # -- notes and guidance ---------------------------------------------------------------------
    def notes(self, session_id: int) -> dict[str, Agreed]:
        out = {}
        for q, row in self._repo.notes(session_id).items():
            answer = None
            if row.agreed_na:
                answer = Answer(q, na=True)
            elif row.agreed is not None:
                answer = Answer(q, value_from_json(row.agreed))
            out[q] = Agreed(q, answer, row.note, row.guidance_change)
        return out

    def set_note(
        self,
        session_id: int,
        question_id: str,
        agreed: Answer | None,
        note: str,
        guidance_change: bool = False,
    ) -> Changes:
        """The panel's agreed answer (None: none yet) and note on one question."""
        with self._db.atomic():
            record = self._repo.get(session_id)
            self._check_manage(record, "write notes in")
            if not record.revealed:
                raise CalibrationRefusal(
                    f"Notes are written once '{record.title}' is revealed, so that nobody's "
                    "answers are seen before everyone has scored."
                )
            form = self._forms.form(record.form_version_id)
            question = next((q for _s, q in form.questions() if q.id == question_id), None)
            if question is None:
                raise CalibrationRefusal(
                    f"The form '{record.form_id}' has no question '{question_id}'."
                )
            text = check_note(question.text, note)
            if agreed is not None and not agreed.na:
                key = answer_key(agreed)
                if key is not None and question.options and question.option(key) is None:
                    raise CalibrationRefusal(
                        f"'{key}' is not an answer of '{question.text}'; choose one of its options."
                    )
                if key is None:
                    agreed = None
            if agreed is not None and agreed.na and not question.allow_na:
                raise CalibrationRefusal(
                    f"'{question.text}' does not allow N/A; choose one of its answers."
                )
            self._repo.set_note(
                session_id,
                question_id,
                None if agreed is None or agreed.na else value_to_json(agreed.value),
                agreed is not None and agreed.na,
                text,
                guidance_change,
                self._clock(),
            )
        return Changes(programme=True)

    def set_summary(self, session_id: int, summary: str) -> Changes:
        with self._db.atomic():
            record = self._repo.get(session_id)
            self._check_manage(record, "write notes in")
            self._repo.set_summary(session_id, check_note(record.title, summary))
        return Changes(programme=True)

    def guidance_draft(self, session_id: int, question_id: str) -> str:
        """Open (or reuse) a draft of the session's form with the note on the question
        added to its guidance; returns the form id. Needs a note."""
        if not self._staff():
            raise NotAllowedError(
                "Only supervisors and admins change forms; ask one of them to add this guidance."
            )
        record = self._repo.get(session_id)
        note = self.notes(session_id).get(question_id)
        if note is None or not note.note.strip():
            raise CalibrationRefusal(
                "Write the note on what the guidance should say first; it is what goes into "
                "the form's draft."
            )
        forms = self._repos.forms
        draft = forms.draft_of(record.form_id)
        base = draft if draft is not None else forms.latest_published(record.form_id)
        if base is None:
            raise CalibrationRefusal(f"The form '{record.form_id}' has no version to start from.")
        form = forms.definition_of(base.id)
        if not any(q.id == question_id for _s, q in form.questions()):
            raise CalibrationRefusal(
                f"The form '{record.form_id}' no longer has the question '{question_id}'; "
                "write the guidance in the form editor."
            )
        day = local_date(self._clock(), self._repos.settings.centre_timezone()).isoformat()
        sections = []
        changed = False
        for section in form.sections:
            questions = []
            for q in section.questions:
                if q.id == question_id:
                    guidance = guidance_with_note(q.guidance, note.note, record.title, day)
                    changed = changed or guidance != q.guidance
                    q = replace(q, guidance=guidance)
                questions.append(q)
            sections.append(replace(section, questions=tuple(questions)))
        if changed or draft is None:
            self._form_service.save_form_draft(replace(form, sections=tuple(sections)))
        return record.form_id


def _scored(form: Form, question_id: str) -> bool:
    return any(q.id == question_id and q.scored for _s, q in form.questions())
