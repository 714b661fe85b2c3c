"""Changing submitted evaluations: reasons, audit entries, re-scoring, status workflow."""

from __future__ import annotations

import json

import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.records import AuditAction, EvaluationStatus
from qa_monitor.core.scoring import score_evaluation
from qa_monitor.services import NotAllowedError, Services
from tests.factories import FakeClock, Seed, failing_answers, passing_answers, sample_form


@pytest.fixture
def submitted(services: Services, seeded: Seed) -> int:
    evaluation = services.evaluations.start_evaluation(
        seeded.interaction.id, seeded.version.id, seeded.reviewer.id
    )
    services.evaluations.save_draft(evaluation.id, failing_answers(), "first take")
    assert services.evaluations.submit(evaluation.id).ok
    return evaluation.id


def test_edit_requires_a_reason(services: Services, seeded: Seed, submitted: int) -> None:
    with pytest.raises(ValueError, match="a reason is required"):
        services.evaluations.edit_submitted(
            submitted, passing_answers(), "", seeded.expert.id, "   "
        )


def test_edit_rescoring_and_audit(
    services: Services, seeded: Seed, submitted: int, clock: FakeClock
) -> None:
    before = services.evaluations.get_evaluation(submitted)
    new_answers = failing_answers()
    new_answers["verify"] = Answer("verify", "yes")  # the dispute is upheld
    new_answers["greet"] = Answer("greet", "no", comment="no greeting at all")
    clock.advance(days=2)

    result = services.evaluations.edit_submitted(
        submitted, new_answers, "second take", seeded.expert.id, "dispute upheld"
    )

    assert result.ok and result.changes.evaluations
    expected = score_evaluation(sample_form(), new_answers)
    after = services.evaluations.get_evaluation(submitted)
    assert after.score == expected.score and after.score != before.score
    assert after.sections == expected.sections
    assert after.form_version_id == before.form_version_id
    assert after.revision == before.revision + 1
    assert after.status is EvaluationStatus.SUBMITTED
    assert after.submitted_at == before.submitted_at
    assert after.updated_at == clock.now
    assert after.answers == new_answers

    edits = [e for e in services.evaluations.audit_trail(submitted) if e.action is AuditAction.EDIT]
    assert {e.field for e in edits} == {"greet", "verify", "overall_comment", "score"}
    for entry in edits:
        assert (entry.actor_id, entry.at, entry.reason) == (
            seeded.expert.id,
            clock.now,
            "dispute upheld",
        )
    by_field = {e.field: e for e in edits}
    assert json.loads(by_field["verify"].old or "") == {"value": "no"}
    assert json.loads(by_field["verify"].new or "") == {"value": "yes"}
    assert json.loads(by_field["greet"].new or "") == {
        "value": "no",
        "comment": "no greeting at all",
    }
    assert (by_field["overall_comment"].old, by_field["overall_comment"].new) == (
        "first take",
        "second take",
    )
    assert by_field["score"].old == repr(before.score)
    assert by_field["score"].new == repr(expected.score)
    assert list(by_field) == ["greet", "verify", "overall_comment", "score"]  # form order


def test_edit_with_problems_stores_nothing(
    services: Services, seeded: Seed, submitted: int
) -> None:
    before = services.evaluations.get_evaluation(submitted)
    broken = failing_answers()
    del broken["disclosure"]
    result = services.evaluations.edit_submitted(
        submitted, broken, "x", seeded.expert.id, "recheck"
    )
    assert [p.question_id for p in result.problems] == ["disclosure"]
    assert services.evaluations.get_evaluation(submitted) == before


def test_edit_without_changes_is_not_audited(
    services: Services, seeded: Seed, submitted: int
) -> None:
    result = services.evaluations.edit_submitted(
        submitted, failing_answers(), "first take", seeded.expert.id, "looked again"
    )
    assert result.ok and not result.changes.any
    trail = services.evaluations.audit_trail(submitted)
    assert [e.action for e in trail] == [AuditAction.SUBMIT]
    assert services.evaluations.get_evaluation(submitted).revision == 0


def test_drafts_are_not_edited_with_a_reason(services: Services, seeded: Seed) -> None:
    draft = services.evaluations.start_evaluation(
        seeded.interaction.id, seeded.version.id, seeded.reviewer.id
    )
    with pytest.raises(NotAllowedError, match="draft"):
        services.evaluations.edit_submitted(draft.id, {}, "", None, "why")
    with pytest.raises(NotAllowedError, match="submit it first"):
        services.evaluations.set_status(draft.id, EvaluationStatus.ACKNOWLEDGED, None)


def test_status_workflow(
    services: Services, seeded: Seed, submitted: int, clock: FakeClock
) -> None:
    evaluations = services.evaluations
    with pytest.raises(NotAllowedError, match="cannot become resolved"):
        evaluations.set_status(submitted, EvaluationStatus.RESOLVED, seeded.expert.id, "x")
    with pytest.raises(ValueError, match="reason is required"):
        evaluations.set_status(submitted, EvaluationStatus.DISPUTED, seeded.expert.id)
    clock.advance(hours=1)
    changes = evaluations.set_status(
        submitted, EvaluationStatus.DISPUTED, seeded.expert.id, "agent disagrees"
    )
    assert changes.evaluations
    evaluations.set_status(submitted, EvaluationStatus.RESOLVED, seeded.expert.id, "upheld")
    evaluation = evaluations.get_evaluation(submitted)
    assert evaluation.status is EvaluationStatus.RESOLVED
    assert evaluation.updated_at == clock.now
    for target in EvaluationStatus:
        with pytest.raises(NotAllowedError):
            evaluations.set_status(submitted, target, seeded.expert.id, "again")
    statuses = [
        (e.old, e.new, e.reason)
        for e in evaluations.audit_trail(submitted)
        if e.action is AuditAction.STATUS
    ]
    assert statuses == [
        ("submitted", "disputed", "agent disagrees"),
        ("disputed", "resolved", "upheld"),
    ]


def test_acknowledge_needs_no_reason(services: Services, seeded: Seed, submitted: int) -> None:
    services.evaluations.set_status(submitted, EvaluationStatus.ACKNOWLEDGED, seeded.reviewer.id)
    evaluation = services.evaluations.get_evaluation(submitted)
    assert evaluation.status is EvaluationStatus.ACKNOWLEDGED
    with pytest.raises(NotAllowedError, match="it can become: nothing"):
        services.evaluations.set_status(
            submitted, EvaluationStatus.DISPUTED, seeded.expert.id, "late"
        )


def test_edit_updates_the_interaction_outcomes(
    services: Services, seeded: Seed, submitted: int
) -> None:
    assert services.interactions.get_interaction(seeded.interaction.id).retention == "lost"
    won_back = passing_answers()
    result = services.evaluations.edit_submitted(
        submitted, won_back, "first take", seeded.expert.id, "customer stayed after all"
    )
    assert result.changes.interactions
    interaction = services.interactions.get_interaction(seeded.interaction.id)
    assert (interaction.retention, interaction.resolved_first_contact) == ("retained", True)
