"""Drafts and submitting: what is stored, exactly, and when nothing is."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from qa_monitor.core.answer_checks import AnswerProblemKind
from qa_monitor.core.answers import Answer
from qa_monitor.core.records import AuditAction, EvaluationKind, EvaluationStatus, Retention
from qa_monitor.core.scoring import score_evaluation
from qa_monitor.services import NotAllowedError, Services
from tests.factories import FakeClock, Seed, failing_answers, passing_answers, sample_form


def _start(services: Services, seeded: Seed) -> int:
    evaluation = services.evaluations.start_evaluation(
        seeded.interaction.id, seeded.version.id, seeded.reviewer.id
    )
    return evaluation.id


def test_start_evaluation_copies_the_interaction(services: Services, seeded: Seed) -> None:
    evaluation = services.evaluations.start_evaluation(
        seeded.interaction.id, seeded.version.id, seeded.reviewer.id, EvaluationKind.SELF
    )
    assert evaluation.status is EvaluationStatus.DRAFT
    assert evaluation.kind is EvaluationKind.SELF
    assert (evaluation.agent_id, evaluation.team_id) == (seeded.agent.id, seeded.team.id)
    assert evaluation.interaction_date == seeded.interaction.local_date
    assert evaluation.form_id == "support_call"
    assert evaluation.answers == {} and evaluation.revision == 0


def test_save_draft_then_reload_equals(services: Services, seeded: Seed, clock: FakeClock) -> None:
    evaluation_id = _start(services, seeded)
    answers = failing_answers()
    clock.advance(seconds=5)
    changes = services.evaluations.save_draft(evaluation_id, answers, "needs coaching")
    assert changes.evaluations
    loaded = services.evaluations.get_evaluation(evaluation_id)
    assert loaded.answers == answers
    assert loaded.overall_comment == "needs coaching"
    assert loaded.updated_at == clock.now
    # A later save replaces the answers: cleared ones disappear, blank ones are not kept.
    fewer = {k: v for k, v in answers.items() if k != "churn_reason"}
    fewer["notes"] = Answer("notes")
    services.evaluations.save_draft(evaluation_id, fewer, "")
    assert services.evaluations.get_evaluation(evaluation_id).answers == {
        k: v for k, v in fewer.items() if k != "notes"
    }


def test_save_draft_refuses_unknown_questions(services: Services, seeded: Seed) -> None:
    evaluation_id = _start(services, seeded)
    with pytest.raises(ValueError, match="'nope' is not on form 'support_call'"):
        services.evaluations.save_draft(evaluation_id, {"nope": Answer("nope", "yes")})


def test_autosave_is_fast(services: Services, seeded: Seed) -> None:
    evaluation_id = _start(services, seeded)
    answers = passing_answers()
    started = time.perf_counter()
    for i in range(100):
        answers["notes"] = Answer("notes", f"note {i}")
        services.evaluations.save_draft(evaluation_id, answers, f"comment {i}")
    per_save = (time.perf_counter() - started) / 100
    assert per_save < 0.05, f"{per_save * 1000:.1f} ms per autosave"


def test_submit_stores_exactly_what_scoring_computes(
    services: Services, seeded: Seed, clock: FakeClock
) -> None:
    evaluation_id = _start(services, seeded)
    answers = failing_answers()
    services.evaluations.save_draft(evaluation_id, answers)
    clock.advance(minutes=3)
    result = services.evaluations.submit(evaluation_id)
    assert result.ok and result.changes.evaluations and result.changes.interactions
    expected = score_evaluation(sample_form(), answers)
    stored = services.evaluations.get_evaluation(evaluation_id)

    assert stored.status is EvaluationStatus.SUBMITTED
    assert stored.submitted_at == clock.now
    assert stored.score == expected.score  # full precision, no rounding
    assert stored.score_before_critical == expected.score_before_critical
    assert (stored.passed, stored.band) == (expected.passed, expected.band)
    assert (stored.critical_failed, stored.auto_failed) == (True, False)
    assert (stored.earned, stored.possible) == (expected.earned, expected.possible)
    assert stored.sections == expected.sections
    assert [
        (s.question_id, s.section_id, s.status, s.earned, s.possible, s.failing)
        for s in stored.answer_scores
    ] == [
        (q.question_id, q.section_id, q.status, q.earned, q.possible, q.failing)
        for q in expected.questions
    ]
    assert stored.answers == answers
    (entry,) = services.evaluations.audit_trail(evaluation_id)
    assert (entry.action, entry.actor_id, entry.at) == (
        AuditAction.SUBMIT,
        seeded.reviewer.id,
        clock.now,
    )
    assert entry.new == repr(expected.score)


def test_submit_with_a_missing_answer_stores_nothing(services: Services, seeded: Seed) -> None:
    evaluation_id = _start(services, seeded)
    answers = passing_answers()
    del answers["verify"]
    answers["greet"] = Answer("greet", "no")  # not full marks, and no comment
    services.evaluations.save_draft(evaluation_id, answers)
    before = services.evaluations.get_evaluation(evaluation_id)

    result = services.evaluations.submit(evaluation_id)

    assert not result.ok and not result.changes.any
    assert {(p.question_id, p.kind) for p in result.problems} == {
        ("greet", AnswerProblemKind.COMMENT_REQUIRED),
        ("verify", AnswerProblemKind.UNANSWERED),
    }
    assert services.evaluations.get_evaluation(evaluation_id) == before
    assert services.evaluations.audit_trail(evaluation_id) == []
    assert services.interactions.get_interaction(seeded.interaction.id) == seeded.interaction


def test_outcome_answers_are_copied_to_the_interaction(services: Services, seeded: Seed) -> None:
    evaluation_id = _start(services, seeded)
    services.evaluations.save_draft(evaluation_id, failing_answers())
    services.evaluations.submit(evaluation_id)
    interaction = services.interactions.get_interaction(seeded.interaction.id)
    assert interaction.resolved_first_contact is False
    assert interaction.retention is Retention.LOST
    assert interaction.churn_reason == "competitor_price"
    # A date-time without a zone is read in the centre's zone (UTC in this seed).
    assert interaction.callback_promised_at == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def test_hidden_outcome_answer_is_not_copied(services: Services, seeded: Seed) -> None:
    evaluation_id = _start(services, seeded)
    answers = passing_answers()  # retained, so churn_reason is hidden
    answers["churn_reason"] = Answer("churn_reason", "features")
    services.evaluations.save_draft(evaluation_id, answers)
    services.evaluations.submit(evaluation_id)
    interaction = services.interactions.get_interaction(seeded.interaction.id)
    assert interaction.retention is Retention.RETAINED
    assert interaction.resolved_first_contact is True
    assert interaction.churn_reason is None


def test_submitted_evaluation_is_not_a_draft_any_more(services: Services, seeded: Seed) -> None:
    evaluation_id = _start(services, seeded)
    services.evaluations.save_draft(evaluation_id, passing_answers())
    services.evaluations.submit(evaluation_id)
    with pytest.raises(NotAllowedError, match="submitted"):
        services.evaluations.save_draft(evaluation_id, passing_answers())
    with pytest.raises(NotAllowedError, match="already submitted"):
        services.evaluations.submit(evaluation_id)
    with pytest.raises(NotAllowedError, match="kept as history"):
        services.evaluations.discard_draft(evaluation_id)


def test_discard_draft_is_audited(services: Services, seeded: Seed) -> None:
    evaluation_id = _start(services, seeded)
    services.evaluations.save_draft(evaluation_id, passing_answers())
    services.evaluations.discard_draft(evaluation_id, seeded.expert.id)
    with pytest.raises(LookupError):
        services.evaluations.get_evaluation(evaluation_id)
    (entry,) = services.evaluations.audit_trail(evaluation_id)
    assert (entry.action, entry.actor_id) == (AuditAction.DELETE, seeded.expert.id)


def test_only_published_live_versions_can_be_used(services: Services, seeded: Seed) -> None:
    draft = services.forms.save_form_draft(sample_form("other_form", "Other")).version
    with pytest.raises(NotAllowedError, match="publish it"):
        services.evaluations.start_evaluation(seeded.interaction.id, draft.id, seeded.reviewer.id)
    services.forms.retire_form("support_call")
    with pytest.raises(NotAllowedError, match="retired"):
        _start(services, seeded)


def test_submit_is_one_transaction(
    services: Services, seeded: Seed, monkeypatch: pytest.MonkeyPatch
) -> None:
    evaluation_id = _start(services, seeded)
    services.evaluations.save_draft(evaluation_id, failing_answers())
    before = services.evaluations.get_evaluation(evaluation_id)

    def broken_audit(entries: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.repos.audit, "add", broken_audit)
    with pytest.raises(RuntimeError, match="disk full"):
        services.evaluations.submit(evaluation_id)
    # Scores, status and outcomes were written before the audit failed: all rolled back.
    assert services.evaluations.get_evaluation(evaluation_id) == before
    assert services.interactions.get_interaction(seeded.interaction.id) == seeded.interaction


def test_services_over_an_open_database(services: Services, seeded: Seed) -> None:
    shared = Services(services.db, clock=services.clock)
    assert shared.people.get_agent(seeded.agent.id) == seeded.agent
    shared.close()  # not its database to close
    assert services.people.get_agent(seeded.agent.id) == seeded.agent
