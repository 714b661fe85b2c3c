"""Small hand-built QA data for analytics tests, made through the real services.

The form has ten yes/no questions worth 10 points each (points mode, pass mark 80),
so an evaluation's score is 10 × the questions answered "yes": 100 minus 10 per
missed question. Question q9 is critical for the form: missing it scores 0.

Sections: soft (q1–q4, soft skills), proc (q5–q7, process), comp (q8–q9,
compliance), out (q10, outcome).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import (
    Category,
    Channel,
    CriticalLevel,
    Form,
    FormSettings,
    Question,
    QuestionType,
    ScoringMode,
    Section,
    default_options,
)
from qa_monitor.core.records import (
    Agent,
    EvaluationKind,
    FormVersion,
    InteractionData,
    Reviewer,
    Team,
)
from qa_monitor.services import Services
from tests.factories import FakeClock

QUESTIONS = tuple(f"q{i}" for i in range(1, 11))


def _q(qid: str, **kw: object) -> Question:
    yes_no = QuestionType.YES_NO
    return Question(qid, f"Behaviour {qid}", yes_no, 10.0, default_options(yes_no), **kw)  # type: ignore[arg-type]


def ten_question_form() -> Form:
    def questions(*numbers: int) -> tuple[Question, ...]:
        return tuple(_q(f"q{i}") for i in numbers)

    sections = (
        Section("soft", "Soft skills", Category.SOFT_SKILLS, questions=questions(1, 2, 3, 4)),
        Section("proc", "Process", Category.PROCESS, questions=questions(5, 6, 7)),
        Section(
            "comp",
            "Compliance",
            Category.COMPLIANCE,
            questions=(_q("q8"), _q("q9", critical=CriticalLevel.FORM)),
        ),
        Section("out", "Outcome", Category.OUTCOME, questions=questions(10)),
    )
    return Form(
        id="ten",
        title="Ten behaviours",
        sections=sections,
        settings=FormSettings(scoring_mode=ScoringMode.POINTS, pass_mark=80.0),
    )


@dataclass
class Centre:
    services: Services
    teams: list[Team]
    agents: list[Agent]
    reviewers: list[Reviewer]
    expert: Reviewer
    version: FormVersion


def build_centre(
    services: Services, *, teams: int = 2, agents_per_team: int = 2, reviewers: int = 2
) -> Centre:
    """Teams, agents (named A1, A2, …), reviewers (R1, …), an expert and the form."""
    services.settings.set_timezone("UTC")
    made_teams = [services.people.add_team(f"Team {i + 1}") for i in range(teams)]
    agents = [
        services.people.add_agent(f"A{t * agents_per_team + i + 1}", team_id=team.id)
        for t, team in enumerate(made_teams)
        for i in range(agents_per_team)
    ]
    made_reviewers = [services.people.add_reviewer(f"R{i + 1}") for i in range(reviewers)]
    expert = services.people.add_reviewer("Expert", is_expert=True)
    version = services.forms.publish_form(ten_question_form(), expert.id)
    return Centre(services, made_teams, agents, made_reviewers, expert, version)


def evaluate(
    centre: Centre,
    agent: Agent,
    day: date,
    missed: Iterable[str] = (),
    *,
    reviewer: Reviewer | None = None,
    kind: EvaluationKind = EvaluationKind.REGULAR,
    channel: Channel = Channel.PHONE,
    interaction_id: int | None = None,
    submit: bool = True,
) -> int:
    """One evaluation of ``agent`` on ``day`` missing ``missed``; returns its id."""
    services = centre.services
    if interaction_id is None:
        interaction_id = services.interactions.create_interaction(
            InteractionData(
                channel=channel,
                started_at=datetime.combine(day, time(12), UTC),
                agent_id=agent.id,
            )
        ).id
    reviewer = reviewer or centre.reviewers[0]
    evaluation = services.evaluations.start_evaluation(
        interaction_id, centre.version.id, reviewer.id, kind
    )
    lost = set(missed)
    answers = {q: Answer(q, "no" if q in lost else "yes") for q in QUESTIONS}
    services.evaluations.save_draft(evaluation.id, answers)
    if submit:
        result = services.evaluations.submit(evaluation.id)
        assert result.ok, result.problems
    return evaluation.id


def misses_for(score: int) -> tuple[str, ...]:
    """Questions to miss for a score of ``score`` (a multiple of 10, q9 never missed)."""
    count = (100 - score) // 10
    return tuple(q for q in QUESTIONS if q != "q9")[:count]


def open_centre(path: Path) -> tuple[Services, Centre]:
    """Services on a new database at ``path`` with ``build_centre`` done."""
    services = Services.open(path, clock=FakeClock())
    return services, build_centre(services)
