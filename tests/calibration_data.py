"""Three revealed calibration sessions on a real database, for the workbook's tests (the
reports, the command line and the UI's export action).

1. "Week 49" (expert Leila Navabi; Omid, Ali, Mina; Reza invited, never scores): Omid
   answers "greet" No with a comment, Ali scores empathy 3, Mina as the expert. The
   panel notes the agreed greeting (Yes), a note, and asks for a guidance change.
2. "Week 50" (consensus; Ali, Mina, Reza): Mina answers "greet" No; every answered
   question gets its agreed answer, so the benchmark is the agreed answers' score.
3. "Follow-up, week 51" (expert Leila; Omid, Reza; bands 2 and 4) on the form "Follow-up
   call", whose "empathy" is shown only after a greeting: Reza does not greet (empathy
   is hidden for him) and fails identity verification.
Each is revealed a day after the one before (2026-03-01, 03-02, 03-03, 10:00 UTC).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from qa_monitor.core.answers import Answer
from qa_monitor.core.calibration import Bands
from qa_monitor.core.forms import Condition, Form
from qa_monitor.services import Services
from qa_monitor.services.calibration_service import SessionInput
from tests.factories import FakeClock, Seed, interaction_data, passing_answers, sample_form

GREETING_NOTE = "A greeting after the customer speaks first still counts."


@dataclass(frozen=True)
class Built:
    seed: Seed
    omid: int
    leila: int
    ali: int
    mina: int
    reza: int
    week_49: int
    week_50: int
    week_51: int


def follow_up_form() -> Form:
    """The sample form, with empathy asked only after a greeting."""
    form = sample_form("follow_up", "Follow-up call")
    sections = []
    for section in form.sections:
        questions = tuple(
            replace(q, condition=Condition("greet", ("yes",))) if q.id == "empathy" else q
            for q in section.questions
        )
        sections.append(replace(section, questions=questions))
    return replace(form, sections=tuple(sections))


def _as(services: Services, reviewer_id: int) -> None:
    services.settings.set_current_reviewer(reviewer_id)


def _score(services: Services, session_id: int, reviewer_id: int, **changed: object) -> None:
    _as(services, reviewer_id)
    evaluation_id = services.calibration.start(session_id)
    answers = dict(passing_answers())
    for qid, value in changed.items():
        answers[qid] = value if isinstance(value, Answer) else Answer(qid, value)  # type: ignore[arg-type]
    services.evaluations.save_draft(evaluation_id, answers)
    result = services.evaluations.submit(evaluation_id)
    assert result.ok, result.problems


def build(services: Services, s: Seed, clock: FakeClock) -> Built:
    """The three sessions of the module docstring, revealed; the clock ends a day later."""
    ali, mina, reza = (
        services.people.add_reviewer(n).id for n in ("Ali Rahimi", "Mina Sadr", "Reza Amini")
    )
    omid, leila = s.reviewer.id, s.expert.id
    calls = [
        services.interactions.create_interaction(interaction_data(s.agent.id, external_id=c))
        for c in ("call-0049", "call-0050", "call-0051")
    ]
    follow_up = services.forms.publish_form(follow_up_form(), leila)
    clock.now = clock.now.replace(hour=10)

    _as(services, leila)
    week_49, _ = services.calibration.create(
        SessionInput(
            "Billing calls, week 49", calls[0].id, s.version.id, leila, (omid, ali, mina, reza)
        )
    )
    _score(services, week_49, leila)
    _score(services, week_49, omid, greet=Answer("greet", "no", comment="Greeted late"))
    _score(services, week_49, ali, empathy="3")
    _score(services, week_49, mina)
    _as(services, leila)
    services.calibration.reveal(week_49, force=True)
    services.calibration.set_note(week_49, "greet", Answer("greet", "yes"), GREETING_NOTE, True)

    clock.advance(days=1)
    week_50, _ = services.calibration.create(
        SessionInput("Billing calls, week 50", calls[1].id, s.version.id, None, (ali, mina, reza))
    )
    _score(services, week_50, ali)
    _score(services, week_50, mina, greet=Answer("greet", "no", comment="x"))
    _score(services, week_50, reza)
    _as(services, leila)
    services.calibration.reveal(week_50)
    form = services.form_cache.form(s.version.id)
    for qid, answer in passing_answers().items():
        if any(q.id == qid and q.scored for _s, q in form.questions()):
            services.calibration.set_note(week_50, qid, answer, "")

    clock.advance(days=1)
    week_51, _ = services.calibration.create(
        SessionInput(
            "Follow-up, week 51", calls[2].id, follow_up.id, leila, (omid, reza), Bands(2, 4)
        )
    )
    _score(services, week_51, leila)
    _score(services, week_51, omid)
    _score(
        services,
        week_51,
        reza,
        greet=Answer("greet", "no", comment="none"),
        verify="no",
    )
    _as(services, leila)
    services.calibration.reveal(week_51)
    clock.advance(days=1)
    return Built(s, omid, leila, ali, mina, reza, week_49, week_50, week_51)
