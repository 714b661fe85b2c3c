"""Submitting and editing score with the interaction's channel and direction."""

from __future__ import annotations

from dataclasses import replace

from qa_monitor.core.forms import Channel, Direction, Form, InteractionCondition
from qa_monitor.core.records import Direction as RecordsDirection
from qa_monitor.core.scoring import QuestionStatus, score_evaluation
from qa_monitor.services import Services
from tests.factories import Seed, interaction_data, passing_answers, sample_form

OUTBOUND_PHONE = InteractionCondition((Channel.PHONE,), (Direction.OUTBOUND,))


def outbound_disclosure_form() -> Form:
    """The sample form with its recording disclosure asked only on outbound phone calls."""
    form = sample_form("outbound_rules", "Outbound rules")
    sections = []
    for section in form.sections:
        questions = tuple(
            replace(q, interaction_condition=OUTBOUND_PHONE) if q.id == "disclosure" else q
            for q in section.questions
        )
        sections.append(replace(section, questions=questions))
    return replace(form, sections=tuple(sections))


def _evaluate(services: Services, seeded: Seed, direction: Direction) -> int:
    version = services.forms.publish_form(outbound_disclosure_form(), seeded.expert.id)
    interaction = services.interactions.create_interaction(
        interaction_data(seeded.agent.id, external_id=f"call-{direction}", direction=direction)
    )
    evaluation = services.evaluations.start_evaluation(
        interaction.id, version.id, seeded.reviewer.id
    )
    answers = {k: v for k, v in passing_answers().items() if k != "disclosure"}
    services.evaluations.save_draft(evaluation.id, answers)
    return evaluation.id


def test_an_inbound_call_leaves_the_outbound_only_question_hidden(
    services: Services, seeded: Seed
) -> None:
    evaluation_id = _evaluate(services, seeded, Direction.INBOUND)
    result = services.evaluations.submit(evaluation_id)
    assert result.ok, result.problems  # the unanswered disclosure is not asked for
    stored = services.evaluations.get_evaluation(evaluation_id)
    status = {a.question_id: a.status for a in stored.answer_scores}
    assert status["disclosure"] is QuestionStatus.HIDDEN
    form = outbound_disclosure_form()
    facts = services.interactions.get_interaction(stored.interaction_id).facts
    assert stored.score == score_evaluation(form, stored.answers, facts).score
    # Without the interaction the disclosure would be asked for, and the draft refused.
    unknown = score_evaluation(form, stored.answers).question("disclosure")
    assert unknown is not None and unknown.status is QuestionStatus.UNANSWERED


def test_an_outbound_call_must_answer_it(services: Services, seeded: Seed) -> None:
    evaluation_id = _evaluate(services, seeded, Direction.OUTBOUND)
    result = services.evaluations.submit(evaluation_id)
    assert not result.ok
    assert [p.question_id for p in result.problems] == ["disclosure"]


def test_editing_a_submitted_inbound_evaluation_keeps_it_hidden(
    services: Services, seeded: Seed
) -> None:
    evaluation_id = _evaluate(services, seeded, Direction.INBOUND)
    assert services.evaluations.submit(evaluation_id).ok
    answers = {k: v for k, v in passing_answers().items() if k != "disclosure"}
    answers["empathy"] = replace(answers["empathy"], value="3")
    edited = services.evaluations.edit_submitted(
        evaluation_id, answers, "", seeded.reviewer.id, "rechecked the empathy"
    )
    assert edited.ok, edited.problems
    stored = services.evaluations.get_evaluation(evaluation_id)
    status = {a.question_id: a.status for a in stored.answer_scores}
    assert status["disclosure"] is QuestionStatus.HIDDEN


def test_direction_is_one_type_for_records_and_forms() -> None:
    assert RecordsDirection is Direction
