"""Small, valid test data built from the core dataclasses, reusable by any test.

- ``sample_form()``: a four-section weighted form using every scoring feature
  (N/A, section- and form-critical questions, a condition, outcome fields, bands).
- ``passing_answers()`` / ``failing_answers()``: complete answer sets for it.
- ``FakeClock``: a settable clock for services.
- ``seed(services)``: a team, an agent, two reviewers, the form published and one
  interaction, ready to evaluate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import (
    Band,
    Category,
    Channel,
    CommentRule,
    Condition,
    CriticalLevel,
    Form,
    FormSettings,
    Option,
    OutcomeField,
    Question,
    QuestionType,
    ScoringMode,
    Section,
    default_options,
)
from qa_monitor.core.records import (
    Agent,
    FormVersion,
    Interaction,
    InteractionData,
    Reviewer,
    Team,
)
from qa_monitor.services import Services

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _q(qid: str, text: str, qtype: QuestionType, points: float = 0.0, **kw: object) -> Question:
    options = default_options(qtype) if qtype.scored else ()
    return Question(qid, text, qtype, points, options, **kw)  # type: ignore[arg-type]


def _tags(*ids: str) -> tuple[Option, ...]:
    return tuple(Option(i, i.replace("_", " ").capitalize()) for i in ids)


def sample_form(form_id: str = "support_call", title: str = "Support call") -> Form:
    """A weighted form whose scores have long decimals (to test full precision)."""
    greeting = Section(
        "greeting",
        "Greeting",
        Category.SOFT_SKILLS,
        weight=1.0,
        questions=(
            _q(
                "greet",
                "Greeted the customer",
                QuestionType.YES_NO,
                5,
                comment=CommentRule.NOT_FULL,
            ),
            _q("name_used", "Used the customer's name", QuestionType.SCALE_1_5, 10, allow_na=True),
        ),
    )
    process = Section(
        "process",
        "Process",
        Category.PROCESS,
        weight=2.0,
        questions=(
            _q(
                "verify",
                "Verified identity",
                QuestionType.YES_NO,
                10,
                critical=CriticalLevel.SECTION,
            ),
            _q("history", "Used the recorded history", QuestionType.PASS_FAIL, 5, allow_na=True),
            _q("empathy", "Showed empathy", QuestionType.SCALE_1_5, 3),
        ),
    )
    compliance = Section(
        "compliance",
        "Compliance",
        Category.COMPLIANCE,
        weight=1.5,
        questions=(
            _q(
                "disclosure",
                "Read the recording disclosure",
                QuestionType.YES_NO,
                5,
                critical=CriticalLevel.FORM,
            ),
        ),
    )
    outcome = Section(
        "outcome",
        "Outcome",
        Category.OUTCOME,
        weight=1.0,
        questions=(
            _q(
                "resolved",
                "Resolved on first contact",
                QuestionType.YES_NO,
                6,
                outcome_field=OutcomeField.RESOLVED_FIRST_CONTACT,
            ),
            Question(
                "retention",
                "Customer retained?",
                QuestionType.TAG,
                options=_tags("retained", "lost", "undecided"),
                outcome_field=OutcomeField.RETENTION,
            ),
            Question(
                "churn_reason",
                "Why was the customer lost?",
                QuestionType.TAG,
                options=_tags("competitor_price", "features", "other"),
                condition=Condition("retention", ("lost",)),
                outcome_field=OutcomeField.CHURN_REASON,
            ),
            Question(
                "callback_at",
                "Callback promised for",
                QuestionType.DATETIME,
                outcome_field=OutcomeField.CALLBACK_PROMISED_AT,
            ),
            Question("notes", "Notes", QuestionType.TEXT),
        ),
    )
    return Form(
        id=form_id,
        title=title,
        sections=(greeting, process, compliance, outcome),
        settings=FormSettings(
            scoring_mode=ScoringMode.WEIGHTED,
            pass_mark=80.0,
            bands=(Band("Exceeds", 95.0), Band("Meets", 80.0), Band("Needs improvement", 0.0)),
        ),
        channels=(Channel.PHONE, Channel.CHAT),
    )


def answers(**values: object) -> dict[str, Answer]:
    """Answers from keyword values; ``"na"`` marks N/A, an Answer is taken as it is."""
    result: dict[str, Answer] = {}
    for qid, value in values.items():
        if isinstance(value, Answer):
            result[qid] = value
        elif value == "na":
            result[qid] = Answer(qid, na=True)
        else:
            result[qid] = Answer(qid, value)  # type: ignore[arg-type]
    return result


def passing_answers() -> dict[str, Answer]:
    """Complete, submit-ready answers: not full marks everywhere, no critical failure."""
    return answers(
        greet="yes",
        name_used="4",
        verify="yes",
        history=Answer("history", "partial", comment="asked twice", timestamp_ms=61_500),
        empathy="5",
        disclosure="yes",
        resolved="yes",
        retention="retained",
        notes="polite call",
    )


def failing_answers() -> dict[str, Answer]:
    """Complete answers with a section-critical failure and a lost customer."""
    return answers(
        greet=Answer("greet", "no", comment="no greeting"),
        name_used="na",
        verify="no",
        history="pass",
        empathy="2",
        disclosure="yes",
        resolved="no",
        retention="lost",
        churn_reason="competitor_price",
        callback_at="2026-03-03T10:00",
    )


def random_answers(rng: random.Random) -> dict[str, Answer]:
    """Passing or failing answers, sometimes with one answer changed (roll-up tests)."""
    result = dict(passing_answers() if rng.random() < 0.6 else failing_answers())
    if rng.random() < 0.5:
        result["empathy"] = Answer("empathy", rng.choice("12345"))
    if rng.random() < 0.3:
        result["greet"] = Answer("greet", "no", comment="missed")
    return result


class FakeClock:
    """A clock for services: returns ``now`` and moves on only when told."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


def interaction_data(agent_id: int, **kw: object) -> InteractionData:
    base = InteractionData(
        channel=Channel.PHONE,
        started_at=START,
        agent_id=agent_id,
        duration_s=312.5,
        queue="billing",
        customer_ref="C-1001",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Seed:
    team: Team
    agent: Agent
    reviewer: Reviewer
    expert: Reviewer
    version: FormVersion
    interaction: Interaction


def seed(services: Services, *, zone: str = "UTC") -> Seed:
    """People, the sample form published and one interaction, in a fresh database."""
    services.settings.set_timezone(zone)
    team = services.people.add_team("Billing")
    agent = services.people.add_agent("Sara Ahmadi", team_id=team.id, external_id="ext-17")
    reviewer = services.people.add_reviewer("Omid Karimi")
    expert = services.people.add_reviewer("Leila Navabi", is_expert=True)
    version = services.forms.publish_form(sample_form(), expert.id)
    interaction = services.interactions.create_interaction(
        interaction_data(agent.id, external_id="call-0001")
    )
    return Seed(team, agent, reviewer, expert, version, interaction)


def feb(day: int, hour: int) -> datetime:
    return datetime(2026, 2, day, hour, tzinfo=UTC)


# Ten contacts of four customers, in the order they are stored (ids ascending), judged
# on 1 March 2026 09:00 (``START``): 7 judged, 4 of them resolved (57.1 %), 3 pending.
TEN_CONTACTS: tuple[tuple[str, datetime], ...] = (
    ("A", feb(1, 10)),  # A's next is 4 days later: a repeat
    ("A", feb(5, 10)),  # next 15 days later: resolved
    ("A", feb(20, 10)),  # no next; its 7 days ended 27 Feb: resolved
    ("B", feb(10, 9)),  # next exactly 7 days later: a repeat (the boundary counts)
    ("B", feb(17, 9)),  # next 8 days 3 hours later: resolved
    ("B", feb(25, 12)),  # its 7 days end 4 March: pending
    ("C", feb(22, 8)),  # two at one instant: the first listed is repeat-followed...
    ("C", feb(22, 8)),  # ...the second resolved (its 7 days ended 1 March 08:00)
    ("D", feb(27, 15)),  # repeat-followed the next day, but still inside its 7 days
    ("D", feb(28, 9)),  # pending
)


def store_ten_contacts(services: Services, agent_id: int) -> None:
    """``TEN_CONTACTS`` as calls of ``agent_id`` (no reported FCR, no survey)."""
    for n, (customer, when) in enumerate(TEN_CONTACTS):
        services.interactions.create_interaction(
            interaction_data(agent_id, external_id=f"T-{n}", started_at=when, customer_ref=customer)
        )
