"""Calibration sessions planted through the services, for the Calibration screen's
tests and screenshots: a small hand-made form whose scores a test can work out by hand,
a fifteen-question form for a full-size matrix, and a helper that has a reviewer score
a session's call and submit it (as the Evaluate screen does)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Category, Form, FormSettings, Question, QuestionType, Section
from qa_monitor.core.records import FormVersion, Interaction, Reviewer
from qa_monitor.services import Services
from qa_monitor.services.calibration_service import SessionInput
from tests.factories import interaction_data
from tests.ui.sample_scoring_forms import q

QT = QuestionType


def hand_form() -> Form:
    """Four scored questions, points mode, no weights, no criticals: 50 points in all.

    greet (yes/no) 2 points, verify (yes/no) 4, solve (yes/no) 24, empathy (1–5 scale)
    20 (1 → 0, 2 → 5, 3 → 10, 4 → 15, 5 → 20 points)."""
    return Form(
        "hand",
        "Hand-checked call",
        (
            Section(
                "opening",
                "Opening",
                Category.SOFT_SKILLS,
                questions=(
                    q("greet", "Greeted the customer", points=2),
                    q("verify", "Verified the caller", points=4),
                ),
            ),
            Section(
                "handling",
                "Handling",
                Category.PROCESS,
                questions=(
                    q("solve", "Solved the problem", points=24),
                    q("empathy", "Showed empathy", QT.SCALE_1_5, points=20),
                ),
            ),
        ),
        FormSettings(pass_mark=80),
    )


def panel_form() -> Form:
    """Fifteen scored questions of four kinds in four sections (screenshots)."""

    def sec(sid: str, title: str, category: Category, *questions: Question) -> Section:
        return Section(sid, title, category, questions=questions)

    return Form(
        "support_cal",
        "Support call",
        (
            sec(
                "open",
                "Opening",
                Category.SOFT_SKILLS,
                q("greet", "Greeted the customer and gave own name", points=5),
                q("name", "Used the customer's name", points=5),
                q("tone", "Friendly, calm tone throughout", QT.SCALE_1_5, points=10),
            ),
            sec(
                "verify",
                "Identification & verification",
                Category.COMPLIANCE,
                q("id", "Verified the caller's identity", points=10),
                q("consent", "Read the recording notice", points=5),
                q("privacy", "Kept account details private", QT.PASS_FAIL, points=10),
            ),
            sec(
                "handle",
                "Handling",
                Category.PROCESS,
                q("listen", "Listened without interrupting", QT.YES_PARTIAL_NO, points=10),
                q("history", "Used the recorded history", points=5, allow_na=True),
                q("needs", "Identified the need before offering a solution", points=10),
                q("plain", "Explained in plain words, no jargon", QT.SCALE_1_5, points=10),
                q("hold", "Asked before putting on hold", points=5, allow_na=True),
            ),
            sec(
                "close",
                "Outcome",
                Category.OUTCOME,
                q("solved", "Solved the problem on this call", QT.YES_PARTIAL_NO, points=15),
                q("next", "Agreed the next step and its date", points=5),
                q("selfserve", "Pointed to self-service where it helps", points=5),
                q("thank", "Thanked the customer", points=5),
            ),
        ),
        FormSettings(pass_mark=80),
    )


@dataclass(frozen=True)
class Centre:
    services: Services
    expert: Reviewer
    reviewers: tuple[Reviewer, ...]  # the others, in the order given
    version: FormVersion
    calls: tuple[Interaction, ...]


def build_centre(
    services: Services, form: Form, names: Sequence[str], calls: int, *, expert: str
) -> Centre:
    """A team, an agent, the expert and the named reviewers, ``form`` published and
    ``calls`` calls of the agent, one a day from 2 March 2026."""
    services.settings.set_timezone("UTC")
    team = services.people.add_team("Billing")
    agent = services.people.add_agent("Sara Ahmadi", team_id=team.id, external_id="ext-17")
    boss = services.people.add_reviewer(expert, is_expert=True)
    others = tuple(services.people.add_reviewer(n) for n in names)
    version = services.forms.publish_form(form, boss.id)
    made = tuple(
        services.interactions.create_interaction(
            interaction_data(
                agent.id,
                external_id=f"call-{i + 1:04d}",
                started_at=datetime(2026, 3, 2 + i, 9, 30, tzinfo=UTC),
            )
        )
        for i in range(calls)
    )
    return Centre(services, boss, others, version, made)


def create_session(
    centre: Centre, title: str, call: Interaction, reviewers: Sequence[Reviewer], **kw: object
) -> int:
    services = centre.services
    services.settings.set_current_reviewer(centre.expert.id)
    session_id, _ = services.calibration.create(
        SessionInput(
            title=title,
            interaction_id=call.id,
            form_version_id=centre.version.id,
            expert_id=kw.pop("expert_id", centre.expert.id),  # type: ignore[arg-type]
            reviewer_ids=tuple(r.id for r in reviewers),
            **kw,  # type: ignore[arg-type]
        )
    )
    return session_id


def score(
    services: Services,
    session_id: int,
    reviewer_id: int,
    answers: Mapping[str, str],
    *,
    submit: bool = True,
) -> int:
    """The reviewer starts the session's draft, answers (option ids; "na" for N/A) and,
    with ``submit``, submits it."""
    services.settings.set_current_reviewer(reviewer_id)
    evaluation_id = services.calibration.start(session_id)
    given = {
        qid: Answer(qid, na=True) if value == "na" else Answer(qid, value)
        for qid, value in answers.items()
    }
    services.evaluations.save_draft(evaluation_id, given)
    if submit:
        result = services.evaluations.submit(evaluation_id, reviewer_id)
        assert result.ok, result.problems
    return evaluation_id


def jittered(form: Form, rng: random.Random, base: Mapping[str, str], slips: float) -> dict:
    """``base`` with each answer moved to a neighbouring option with chance ``slips``."""
    out = dict(base)
    for _section, question in form.questions():
        if rng.random() >= slips:
            continue
        ids = [o.id for o in question.options]
        here = ids.index(base[question.id]) if base[question.id] in ids else 0
        step = rng.choice((-1, 1))
        out[question.id] = ids[max(0, min(len(ids) - 1, here + step))]
    return out
