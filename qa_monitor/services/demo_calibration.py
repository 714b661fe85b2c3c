"""The demo's calibration sessions: the year's calibration calls as revealed sessions,
and one session open now, so the Calibration screen opens on something real.

- Every call that the whole panel scored as calibration becomes a revealed session:
  created the day before its first evaluation, revealed the day after its last,
  with the expert as the benchmark and a note on the question the panel split on most.
  The most recent one says the guidance of that question must change.
- One open session on a call of the last week: two reviewers have scored it blind,
  and the demo's own user (the expert) has not, so "Score this call" is the first
  thing the screen offers.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Form, QuestionType
from qa_monitor.core.scoring import visible_question_ids
from qa_monitor.services import Services
from qa_monitor.services.calibration_service import SessionInput
from qa_monitor.services.demo_events import DemoSetup
from qa_monitor.storage.values import parse_utc

_NOTES = (
    "Agreed: the customer's words count, not the tone. Listen again from 1:10.",
    "Split because the policy was read aloud late; it still counts when read before the "
    "end of the call.",
    "Agreed after replaying: the agent offered the option, the customer declined.",
)
_GUIDANCE = (
    "The guidance should give one example that counts and one that does not, so the "
    "next session reads it the same way."
)


def add_calibration(
    services: Services, set_clock: Callable[[datetime], None], setup: DemoSetup
) -> int:
    """Plant the sessions (see the module rules); returns how many."""
    zone = ZoneInfo(setup.zone)
    expert_id = next(r[0] for r in setup.reviewers if r[2])
    db = services.db
    calls = db.execute(
        "SELECT interaction_id, form_version_id, min(created_at), max(submitted_at),"
        " group_concat(id) FROM evaluations WHERE kind = 'calibration' AND status <> 'draft'"
        " GROUP BY interaction_id, form_version_id HAVING count(*) >= 2"
        " ORDER BY min(created_at)"
    ).fetchall()
    made = 0
    for position, (interaction_id, version_id, first, last, ids) in enumerate(calls):
        evaluation_ids = [int(i) for i in str(ids).split(",")]
        marks = ", ".join("?" * len(evaluation_ids))
        reviewers = [
            int(r)
            for (r,) in db.execute(
                f"SELECT reviewer_id FROM evaluations WHERE id IN ({marks})", evaluation_ids
            )
        ]
        set_clock(parse_utc(str(first)) - timedelta(days=1))
        session_id, _ = services.calibration.create(
            SessionInput(
                title=f"Calibration {position + 1}",
                interaction_id=int(interaction_id),
                form_version_id=int(version_id),
                expert_id=expert_id if expert_id in reviewers else None,
                reviewer_ids=tuple(r for r in reviewers if r != expert_id),
                bands=services.calibration.centre_bands(),
            )
        )
        with db.atomic():
            for evaluation_id in evaluation_ids:
                services.repos.calibration.add_entry(
                    session_id, evaluation_id, parse_utc(str(first))
                )
        set_clock(parse_utc(str(last)) + timedelta(days=1))
        services.calibration.reveal(session_id)
        _note_the_split(services, session_id, _NOTES[position % len(_NOTES)],
                        guidance=position == len(calls) - 1)  # fmt: skip
        made += 1
    if _open_session(services, set_clock, setup, zone, expert_id):
        made += 1
    return made


def _note_the_split(services: Services, session_id: int, note: str, *, guidance: bool) -> None:
    view = services.calibration.revealed(session_id)
    split = [row for row in view.reveal.rows if row.disagrees]
    if not split:
        return
    row = min(split, key=lambda r: (r.modal_share or 1.0, r.question.id))
    keys = Counter(c.key for c in row.cells if c.key is not None)
    agreed_key = row.benchmark_key or keys.most_common(1)[0][0]
    agreed = Answer(row.question.id, na=True) if agreed_key == "N/A" else None
    if agreed is None:
        agreed = Answer(row.question.id, agreed_key)
    text = f"{note} {_GUIDANCE}" if guidance else note
    services.calibration.set_note(session_id, row.question.id, agreed, text, guidance)


def _open_session(
    services: Services,
    set_clock: Callable[[datetime], None],
    setup: DemoSetup,
    zone: ZoneInfo,
    expert_id: int,
) -> bool:
    """A session of the last week with two blind scores in, the expert's still to come."""
    week_ago = setup.anchor - timedelta(days=6)
    row = services.db.execute(
        "SELECT i.id FROM interactions i WHERE i.local_date BETWEEN ? AND ?"
        " AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.interaction_id = i.id)"
        " AND i.duration_s > 240 ORDER BY i.local_date, i.id LIMIT 1",
        [week_ago.isoformat(), setup.anchor.isoformat()],
    ).fetchone()
    if row is None:
        return False
    interaction_id = int(row[0])
    agent_team = services.db.execute(
        "SELECT team_id FROM interactions WHERE id = ?", [interaction_id]
    ).fetchone()[0]
    form_id = setup.team_forms[agent_team][0][0]
    version_id = setup.forms[form_id].versions[-1][1]
    form = setup.forms[form_id].versions[-1][2]
    others = [r[0] for r in setup.reviewers if not r[2]][:4]
    set_clock(datetime.combine(setup.anchor - timedelta(days=2), time(9), zone).astimezone(UTC))
    session_id, _ = services.calibration.create(
        SessionInput(
            title="This week's calibration",
            interaction_id=interaction_id,
            form_version_id=version_id,
            expert_id=expert_id,
            reviewer_ids=tuple(others),
            bands=services.calibration.centre_bands(),
            due_date=setup.anchor + timedelta(days=3),
            summary="Score blind before Thursday's meeting; we reveal and discuss together.",
        )
    )
    rng = random.Random(setup.seed + 15)
    facts = services.interactions.get_interaction(interaction_id).facts
    for hours, reviewer_id in enumerate(others[:2]):
        set_clock(
            datetime.combine(setup.anchor - timedelta(days=1), time(10 + hours), zone).astimezone(
                UTC
            )
        )
        services.settings.set_current_reviewer(reviewer_id)
        evaluation_id = services.calibration.start(session_id)
        answers = complete_answers(form, facts, rng, setup.anchor + timedelta(days=1))
        services.evaluations.save_draft(evaluation_id, answers)
        if not services.evaluations.submit(evaluation_id).ok:
            services.evaluations.discard_draft(evaluation_id)
    services.settings.set_current_reviewer(expert_id)
    return True


def complete_answers(
    form: Form, facts: object, rng: random.Random, callback: date
) -> dict[str, Answer]:
    """Mostly full marks, a few misses: every question the form shows, in order."""
    answers: dict[str, Answer] = {}
    for _ in range(3):  # conditions look at earlier answers: settle them
        shown = visible_question_ids(form, answers, facts)  # type: ignore[arg-type]
        for _section, question in form.questions():
            if question.id not in shown or question.id in answers:
                continue
            if not question.options:
                if question.is_required and question.allow_na:
                    answers[question.id] = Answer(question.id, na=True)
                elif question.is_required and question.type is QuestionType.TEXT:
                    answers[question.id] = Answer(question.id, "Heard on the call.")
                elif question.is_required and question.type is QuestionType.DATETIME:
                    answers[question.id] = Answer(question.id, f"{callback.isoformat()}T10:00")
                continue
            options = question.options
            pick = options[0] if rng.random() < 0.8 or len(options) == 1 else rng.choice(options)
            value = (pick.id,) if question.type is QuestionType.TAGS else pick.id
            answers[question.id] = Answer(question.id, value, comment="Heard on the call.")
    return answers
