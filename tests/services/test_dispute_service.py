"""Acknowledgements, disputes and their re-review on a real database: every refusal is a
sentence, an overturn changes the score through the audited edit, and the queue and
the rates count what happened."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.disputes import Decision, ReceivedVia
from qa_monitor.core.records import AuditAction, EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.services.common import NotAllowedError
from qa_monitor.services.dispute_service import DecisionInput
from qa_monitor.services.evaluation_service import answer_audit_text, answer_from_audit_text
from qa_monitor.services.evidence_check import check_evidence
from qa_monitor.storage.rollups import rollup_differences
from tests.factories import FakeClock, Seed, failing_answers, passing_answers, seed

SUNDAY = date(2026, 3, 1)  # the fake clock's day
MONDAY = SUNDAY + timedelta(days=1)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def opened(tmp_path: Path, clock: FakeClock):  # type: ignore[no-untyped-def]
    with Services.open(tmp_path / "qa.db", clock=clock) as services:
        yield services, seed(services)


def _submitted(services: Services, first: Seed, answers=None) -> int:  # type: ignore[no-untyped-def]
    ev = services.evaluations.start_evaluation(
        first.interaction.id, first.version.id, first.reviewer.id
    )
    services.evaluations.save_draft(ev.id, answers or passing_answers())
    assert services.evaluations.submit(ev.id).ok
    return ev.id


def test_an_acknowledgement_is_recorded_with_its_date_and_way(opened, clock) -> None:  # type: ignore[no-untyped-def]
    services, first = opened
    ev = _submitted(services, first)
    clock.advance(days=1)
    services.disputes.acknowledge(ev, MONDAY, ReceivedVia.IN_PERSON, first.expert.id, "Agreed")
    assert services.evaluations.get_evaluation(ev).status is EvaluationStatus.ACKNOWLEDGED
    response = services.disputes.response_of(ev).response
    assert response is not None
    assert (response.on, response.via, response.note) == (MONDAY, ReceivedVia.IN_PERSON, "Agreed")
    with pytest.raises(NotAllowedError) as refused:
        services.disputes.open_dispute(ev, {"greet": "x"}, MONDAY, ReceivedVia.EMAIL, None)
    assert str(refused.value) == (
        "The agent acknowledged the evaluation of the interaction of 2026-03-01 on "
        "2026-03-02; an acknowledged evaluation is not disputed afterwards."
    )


def test_a_dispute_is_re_reviewed_and_an_overturn_changes_the_score(opened, clock) -> None:  # type: ignore[no-untyped-def]
    services, first = opened
    ev = _submitted(services, first, failing_answers())
    before = services.evaluations.get_evaluation(ev)
    clock.advance(days=1)
    services.disputes.open_dispute(
        ev,
        {"verify": "I verified at 0:40", "greet": "I greeted"},
        MONDAY,
        ReceivedVia.EMAIL,
        first.expert.id,
    )
    assert services.evaluations.get_evaluation(ev).status is EvaluationStatus.DISPUTED
    queue = services.disputes.queue(MONDAY + timedelta(days=8))
    assert len(queue) == 1
    item = queue[0]
    assert (item.disputed_on, item.deadline, item.questions) == (MONDAY, date(2026, 3, 9), 2)
    assert (item.age_days, item.overdue) == (6, True)
    assert services.disputes.queue(MONDAY)[0].overdue is False

    # The reviewer who scored it may not re-review it.
    with pytest.raises(NotAllowedError) as refused:
        services.disputes.assign(ev, first.reviewer.id, first.expert.id)
    assert str(refused.value) == (
        "Omid Karimi scored this evaluation; a different reviewer re-reviews the dispute."
    )
    services.disputes.assign(ev, first.expert.id, first.expert.id)
    assert services.disputes.queue(MONDAY)[0].re_reviewer_name == "Leila Navabi"

    # Every disputed question needs a decision; an overturn needs its new answer.
    with pytest.raises(ValueError, match="Decide the question 'Greeted the customer' too"):
        services.disputes.decide(
            ev, {"verify": DecisionInput(Decision.UPHELD, "no")}, first.expert.id, "done"
        )
    with pytest.raises(ValueError, match="Choose the answer that replaces 'Verified identity'"):
        services.disputes.decide(
            ev,
            {
                "verify": DecisionInput(Decision.OVERTURNED, "heard it"),
                "greet": DecisionInput(Decision.UPHELD, "no greeting"),
            },
            first.expert.id,
            "done",
        )
    clock.advance(days=2)
    services.disputes.decide(
        ev,
        {
            "verify": DecisionInput(
                Decision.OVERTURNED, "Identity checked at 0:40", Answer("verify", "yes")
            ),
            "greet": DecisionInput(Decision.UPHELD, "No greeting in the recording"),
        },
        first.expert.id,
        "One of two questions changed.",
    )
    after = services.evaluations.get_evaluation(ev)
    assert after.status is EvaluationStatus.RESOLVED
    assert after.answers["verify"].value == "yes"
    assert after.score is not None and before.score is not None and after.score > before.score
    assert after.revision == before.revision + 1
    trail = services.evaluations.audit_trail(ev)
    edits = [e for e in trail if e.action is AuditAction.EDIT]
    assert {"verify", "score"} <= {e.field for e in edits}
    assert all(e.actor_id == first.expert.id for e in edits)
    assert edits[0].reason == "Verified identity: Identity checked at 0:40"
    dispute = services.disputes.dispute_of(ev)
    assert dispute is not None and dispute.decided and dispute.overturned == ("verify",)
    assert services.disputes.queue(MONDAY) == []
    assert rollup_differences(services.db) == {}
    assert check_evidence(services.db) == []

    # A resolved dispute is not disputed or re-reviewed again.
    with pytest.raises(NotAllowedError, match="is resolved; a resolved evaluation cannot"):
        services.disputes.open_dispute(ev, {"greet": "again"}, MONDAY, ReceivedVia.EMAIL, None)
    with pytest.raises(NotAllowedError, match="was resolved on 2026-03-04"):
        services.disputes.assign(ev, first.expert.id, None)

    # The history names every step, with people and question texts.
    history = services.disputes.history(ev)
    actions = [h.entry.action for h in history]
    assert actions[0] is AuditAction.SUBMIT
    assert AuditAction.DISPUTE in actions and AuditAction.DECIDE in actions
    decided = [h for h in history if h.entry.action is AuditAction.DECIDE]
    assert {h.question for h in decided} == {"Verified identity", "Greeted the customer"}
    assert {h.actor_name for h in decided} == {"Leila Navabi"}

    # The rates: one of one evaluation disputed, one of two questions overturned.
    rates = {r.reviewer_name: r for r in services.disputes.reviewer_rates(SUNDAY, SUNDAY)}
    omid = rates["Omid Karimi"]
    assert (omid.evaluations, omid.disputed, omid.dispute_rate) == (1, 1, 1.0)
    assert (omid.disputed_questions, omid.decided_questions, omid.overturn_rate) == (2, 2, 0.5)


def test_bad_requests_get_a_sentence(opened, clock) -> None:  # type: ignore[no-untyped-def]
    services, first = opened
    draft = services.evaluations.start_evaluation(
        first.interaction.id, first.version.id, first.reviewer.id
    )
    with pytest.raises(NotAllowedError, match="is still a draft"):
        services.disputes.acknowledge(draft.id, SUNDAY, ReceivedVia.EMAIL, None)
    services.evaluations.discard_draft(draft.id)
    ev = _submitted(services, first)
    with pytest.raises(ValueError, match="Choose at least one question"):
        services.disputes.open_dispute(ev, {}, SUNDAY, ReceivedVia.EMAIL, None)
    with pytest.raises(ValueError, match="Say why the agent disputes the question 'Showed emp"):
        services.disputes.open_dispute(ev, {"empathy": "  "}, SUNDAY, ReceivedVia.EMAIL, None)
    with pytest.raises(ValueError, match="is in the future"):
        services.disputes.open_dispute(
            ev, {"empathy": "x"}, SUNDAY + timedelta(days=3), ReceivedVia.EMAIL, None
        )
    with pytest.raises(ValueError, match="is before the evaluation was submitted"):
        services.disputes.acknowledge(ev, SUNDAY - timedelta(days=1), ReceivedVia.EMAIL, None)
    with pytest.raises(ValueError, match="keep it under 2,000 characters"):
        services.disputes.open_dispute(ev, {"empathy": "x" * 2001}, SUNDAY, ReceivedVia.EMAIL, None)
    with pytest.raises(NotAllowedError, match="is not disputed, so there is nothing"):
        services.disputes.assign(ev, first.expert.id, None)
    # Nothing above was stored.
    assert services.evaluations.get_evaluation(ev).status is EvaluationStatus.SUBMITTED
    assert services.disputes.response_of(ev).response is None


def test_the_deadline_follows_the_setting_and_the_centres_week(opened, clock) -> None:  # type: ignore[no-untyped-def]
    services, first = opened
    services.settings.set_week_start(5)  # Saturday: the weekend is Thursday and Friday
    services.settings.set_dispute_deadline_days(3)
    ev = _submitted(services, first)
    clock.advance(days=3)  # Wednesday 2026-03-04
    services.disputes.open_dispute(
        ev, {"empathy": "I was kind"}, date(2026, 3, 4), ReceivedVia.PHONE, None
    )
    # Wednesday + 3 working days, Thursday and Friday off: Saturday, Sunday, Monday.
    assert services.disputes.queue(date(2026, 3, 4))[0].deadline == date(2026, 3, 9)
    with pytest.raises(ValueError, match="from 1 to 60 working days"):
        services.settings.set_dispute_deadline_days(0)


def test_the_history_says_what_each_entry_means(opened, clock) -> None:  # type: ignore[no-untyped-def]
    """Edits carry their answers as Answer objects, a response its day and way, an
    assignment the re-reviewer's name: a reader never parses the stored text."""
    services, first = opened
    ev = _submitted(services, first, failing_answers())
    clock.advance(days=1)
    services.disputes.open_dispute(
        ev, {"verify": "I verified at 0:40"}, MONDAY, ReceivedVia.CHAT, first.expert.id
    )
    services.disputes.assign(ev, first.expert.id, first.reviewer.id)
    services.disputes.decide(
        ev,
        {
            "verify": DecisionInput(
                Decision.OVERTURNED, "Checked at 0:40", Answer("verify", "yes", comment="ok")
            )
        },
        first.expert.id,
        "Changed.",
    )
    history = services.disputes.history(ev)
    respond = next(h for h in history if h.entry.action is AuditAction.RESPOND)
    assert respond.response is not None
    assert (respond.response.on, respond.response.via) == (MONDAY, ReceivedVia.CHAT)
    assert respond.response.deadline == date(2026, 3, 9)
    assign = next(h for h in history if h.entry.action is AuditAction.ASSIGN)
    assert (assign.assignee_name, assign.actor_name) == ("Leila Navabi", "Omid Karimi")
    edit = next(
        h for h in history if h.entry.action is AuditAction.EDIT and h.entry.field == "verify"
    )
    assert edit.question == "Verified identity"
    assert edit.old_answer == Answer("verify", "no")
    assert edit.new_answer == Answer("verify", "yes", comment="ok")
    score = next(
        h for h in history if h.entry.field == "score" and h.entry.action is AuditAction.EDIT
    )
    assert score.old_answer is None and score.new_answer is None and score.question is None


def test_answer_days_are_the_centres_days(tmp_path: Path) -> None:
    """Just after midnight in Tehran it is still yesterday in UTC: the agent's answer
    dated today there is accepted, and the dialog offers that day."""
    clock = FakeClock(datetime(2026, 3, 1, 19, 0, tzinfo=UTC))  # 22:30 in Tehran
    with Services.open(tmp_path / "qa.db", clock=clock) as services:
        first = seed(services, zone="Asia/Tehran")
        ev = _submitted(services, first)
        clock.advance(hours=2)  # 00:30 on 2 March in Tehran, 21:00 on 1 March in UTC
        assert services.disputes.answer_days(ev) == (SUNDAY, MONDAY)
        services.disputes.acknowledge(ev, MONDAY, ReceivedVia.PHONE, first.expert.id)
        assert services.disputes.response_of(ev).response.on == MONDAY  # type: ignore[union-attr]


def test_answers_read_back_from_their_audit_text() -> None:
    for answer in (
        Answer("q", "yes"),
        Answer("q", ("a", "b"), comment="two"),
        Answer("q", na=True),
        Answer("q", 4.5, timestamp_ms=61_500),
    ):
        assert answer_from_audit_text("q", answer_audit_text(answer)) == answer
    assert answer_from_audit_text("q", None) is None
    assert answer_from_audit_text("q", "not json") is None
    assert answer_from_audit_text("q", "[1, 2]") is None
