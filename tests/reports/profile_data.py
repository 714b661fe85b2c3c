"""Small hand-built data for agent-profile tests, made through the real services.

The form has ten yes/no questions worth 10 points (points mode, pass mark 80); q9 is
critical for the form and q10 may be N/A. Agent A1 (Team 1) in March 2026:

    Mar  2  misses q1              90   comment on q1, overall comment
    Mar  9  misses q1, q5          80
    Mar 16  misses q9 (critical)    0   comment on q9
    Mar 23  q10 N/A               100   overall comment (90 of 90 points)

plus, not counted: a calibration evaluation and a draft in March. A2 (Team 1):
Mar 3 (100), Mar 10 misses q5 (90), Mar 17 misses q2 (90). A3 (Team 2): Mar 4 misses
q1–q3 (70). Loner (no team): Mar 5 misses q3 (90). A1 in February (the previous
31 days): 80 and 90.
"""

from __future__ import annotations

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
from qa_monitor.core.records import Agent, EvaluationKind, InteractionData
from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.services import Services
from tests.factories import FakeClock

QUESTIONS = tuple(f"q{i}" for i in range(1, 11))
MARCH = DashboardFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))


def _q(qid: str, **kw: object) -> Question:
    yes_no = QuestionType.YES_NO
    return Question(qid, f"Behaviour {qid}", yes_no, 10.0, default_options(yes_no), **kw)  # type: ignore[arg-type]


def coaching_form() -> Form:
    sections = (
        Section(
            "soft", "Soft skills", Category.SOFT_SKILLS, questions=tuple(map(_q, QUESTIONS[:4]))
        ),
        Section("proc", "Process", Category.PROCESS, questions=tuple(map(_q, QUESTIONS[4:7]))),
        Section(
            "comp",
            "Compliance",
            Category.COMPLIANCE,
            questions=(_q("q8"), _q("q9", critical=CriticalLevel.FORM)),
        ),
        Section("out", "Outcome", Category.OUTCOME, questions=(_q("q10", allow_na=True),)),
    )
    settings = FormSettings(scoring_mode=ScoringMode.POINTS, pass_mark=80.0)
    return Form(id="coach", title="Coaching form", sections=sections, settings=settings)


@dataclass
class Data:
    services: Services
    path: Path
    agents: list[Agent]
    a1: dict[str, int]  # A1's March evaluations by day label


def evaluate(
    data: Data,
    agent: Agent,
    day: date,
    missed: tuple[str, ...] = (),
    *,
    na: tuple[str, ...] = (),
    comments: dict[str, str] | None = None,
    overall: str = "",
    kind: EvaluationKind = EvaluationKind.REGULAR,
    submit: bool = True,
) -> int:
    services = data.services
    interaction = services.interactions.create_interaction(
        InteractionData(
            channel=Channel.PHONE,
            started_at=datetime.combine(day, time(12), UTC),
            agent_id=agent.id,
        )
    )
    version = services.forms.published_versions()[0]
    reviewer = services.people.list_reviewers()[0]
    evaluation = services.evaluations.start_evaluation(
        interaction.id, version.id, reviewer.id, kind
    )
    notes = comments or {}
    answers = {
        q: Answer(q, na=True)
        if q in na
        else Answer(q, "no" if q in missed else "yes", comment=notes.get(q, ""))
        for q in QUESTIONS
    }
    services.evaluations.save_draft(evaluation.id, answers, overall)
    if submit:
        assert services.evaluations.submit(evaluation.id).ok
    return evaluation.id


def build_profile_data(path: Path) -> Data:
    """The data of the module docstring in a new database at ``path``; the caller closes
    ``data.services``."""
    services = Services.open(path, clock=FakeClock())
    services.settings.set_timezone("UTC")
    team1, team2 = services.people.add_team("Team 1"), services.people.add_team("Team 2")
    agents = [
        services.people.add_agent("A1", team_id=team1.id),
        services.people.add_agent("A2", team_id=team1.id),
        services.people.add_agent("A3", team_id=team2.id),
        services.people.add_agent("Loner"),
    ]
    reviewer = services.people.add_reviewer("R1")
    services.forms.publish_form(coaching_form(), reviewer.id)
    d = Data(services, path, agents, {})
    a1, a2, a3, loner = agents
    d.a1["mar2"] = evaluate(
        d,
        a1,
        date(2026, 3, 2),
        ("q1",),
        comments={"q1": "Skipped the greeting"},
        overall="Friendly call",
    )
    d.a1["mar9"] = evaluate(d, a1, date(2026, 3, 9), ("q1", "q5"))
    d.a1["mar16"] = evaluate(
        d, a1, date(2026, 3, 16), ("q9",), comments={"q9": "No disclosure read"}
    )
    d.a1["mar23"] = evaluate(d, a1, date(2026, 3, 23), na=("q10",), overall="Perfect")
    evaluate(
        d,
        a1,
        date(2026, 3, 24),
        QUESTIONS,
        kind=EvaluationKind.CALIBRATION,
        overall="calibration note",
    )
    evaluate(d, a1, date(2026, 3, 25), QUESTIONS, overall="draft note", submit=False)
    evaluate(d, a1, date(2026, 2, 10), ("q1", "q2"))
    evaluate(d, a1, date(2026, 2, 20), ("q1",))
    evaluate(d, a2, date(2026, 3, 3), overall="A2 note")
    evaluate(d, a2, date(2026, 3, 10), ("q5",))
    evaluate(d, a2, date(2026, 3, 17), ("q2",))
    evaluate(d, a3, date(2026, 3, 4), ("q1", "q2", "q3"))
    evaluate(d, loner, date(2026, 3, 5), ("q3",))
    return d
