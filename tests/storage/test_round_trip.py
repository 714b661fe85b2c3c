"""Every record type comes back from the database exactly as it was stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Channel
from qa_monitor.core.records import (
    AuditAction,
    Direction,
    EvaluationKind,
    EvaluationStatus,
    NewAuditEntry,
    Retention,
)
from qa_monitor.storage import ConflictError, Database, NotFoundError
from qa_monitor.storage.repos import Repos
from qa_monitor.storage.values import utc_text
from tests.factories import interaction_data, sample_form

NOW = datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)


def test_people_round_trip(db: Database) -> None:
    repos = Repos(db)
    team = repos.people.add_team("Billing", NOW)
    agent = repos.people.add_agent(
        "Sara Ahmadi",
        NOW,
        team_id=team.id,
        hire_date=date(2024, 5, 1),
        external_id="ext-17",
        email="sara@example.com",
    )
    reviewer = repos.people.add_reviewer("Leila", NOW, is_expert=True)
    assert repos.people.get_team(team.id) == team
    assert repos.people.get_agent(agent.id) == agent
    assert (agent.team_id, agent.hire_date, agent.external_id, agent.email) == (
        team.id,
        date(2024, 5, 1),
        "ext-17",
        "sara@example.com",
    )
    assert repos.people.get_reviewer(reviewer.id) == reviewer and reviewer.is_expert
    assert repos.people.find_agent("ext-17") == agent
    with pytest.raises(NotFoundError, match="agent 999"):
        repos.people.get_agent(999)
    with pytest.raises(ConflictError, match="already belongs to Sara Ahmadi"):
        repos.people.add_agent("Other", NOW, external_id="ext-17")


def test_interaction_round_trip_with_every_field(db: Database) -> None:
    repos = Repos(db)
    agent = repos.people.add_agent("Sara", NOW)
    tehran = timezone(timedelta(hours=3, minutes=30))
    data = interaction_data(
        agent.id,
        channel=Channel.CHAT,
        started_at=datetime(2026, 3, 1, 23, 15, 30, 250000, tzinfo=tehran),
        external_id="chat-9",
        direction=Direction.OUTBOUND,
        contact_reason="billing question",
        recording_path="/rec/chat-9.txt",
        transcript="Hello…",
        resolved_first_contact=True,
        retention=Retention.LOST,
        churn_risk=0.75,
        churn_reason="competitor_price",
        callback_promised_at=datetime(2026, 3, 3, 10, 0, tzinfo=UTC),
        callback_kept=False,
        csat=4,
        nps=9,
        ces=6,
        survey_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        source="import",
    )
    stored = repos.interactions.add(data, "Asia/Tehran", NOW)
    assert repos.interactions.get(stored.id) == stored
    assert repos.interactions.find("chat-9") == stored
    for name in ("channel", "direction", "retention", "churn_risk", "csat", "source"):
        assert getattr(stored, name) == getattr(data, name)
    assert stored.started_at == data.started_at  # same moment, in UTC
    assert stored.started_at.tzinfo is UTC
    assert (stored.local_date, stored.timezone) == (date(2026, 3, 1), "Asia/Tehran")
    assert stored.created_at == NOW
    (text,) = db.execute("SELECT started_at FROM interactions").fetchone()
    assert text == "2026-03-01T19:45:30.250Z"
    with pytest.raises(ConflictError, match="chat-9"):
        repos.interactions.add(data, "UTC", NOW)


def test_churn_risk_label_stays_text(db: Database) -> None:
    repos = Repos(db)
    agent = repos.people.add_agent("Sara", NOW)
    stored = repos.interactions.add(interaction_data(agent.id, churn_risk="3"), "UTC", NOW)
    assert repos.interactions.get(stored.id).churn_risk == "3"


def test_form_version_and_evaluation_round_trip(db: Database) -> None:
    repos = Repos(db)
    agent = repos.people.add_agent("Sara", NOW)
    reviewer = repos.people.add_reviewer("Omid", NOW)
    version = repos.forms.publish(sample_form(), reviewer.id, NOW)
    assert repos.forms.get_version(version.id) == version
    assert version.form == sample_form()
    interaction = repos.interactions.add(interaction_data(agent.id), "UTC", NOW)
    evaluation_id = repos.evaluations.create(
        interaction, version.form_id, version.id, reviewer.id, EvaluationKind.CALIBRATION, NOW
    )
    answers = {
        "greet": Answer("greet", "yes", comment="warm «greeting»", timestamp_ms=1500),
        "name_used": Answer("name_used", na=True),
        "retention": Answer("retention", "retained"),
        "notes": Answer("notes", "سلام — تماس خوب"),
        "callback_at": Answer("callback_at", "2026-03-03T10:00"),
    }
    section_of = {q.id: s.id for s, q in sample_form().questions()}
    repos.evaluations.save_answers(evaluation_id, answers, section_of, "overall", NOW)
    evaluation = repos.evaluations.get(evaluation_id)
    assert evaluation.answers == answers
    assert list(evaluation.answers) == ["greet", "name_used", "retention", "callback_at", "notes"]
    assert (evaluation.kind, evaluation.status) == (
        EvaluationKind.CALIBRATION,
        EvaluationStatus.DRAFT,
    )
    assert (evaluation.agent_id, evaluation.channel, evaluation.interaction_date) == (
        agent.id,
        Channel.PHONE,
        interaction.local_date,
    )
    assert evaluation.overall_comment == "overall"
    assert evaluation.created_at == evaluation.updated_at == NOW
    assert evaluation.score is None and evaluation.sections == ()


def test_answer_values_keep_their_type(db: Database) -> None:
    from qa_monitor.storage.values import value_from_json, value_to_json

    for value in ("yes", ("a", "b"), 3, 2.5, None, ""):
        assert value_from_json(value_to_json(value)) == value
    assert value_from_json(value_to_json(("a",))) == ("a",)
    assert isinstance(value_from_json(value_to_json(3)), int)


def test_audit_and_settings_round_trip(db: Database) -> None:
    repos = Repos(db)
    reviewer = repos.people.add_reviewer("Omid", NOW)
    entry = NewAuditEntry(7, NOW, reviewer.id, AuditAction.EDIT, "greet", '{"value":"no"}', None)
    repos.audit.add([entry, NewAuditEntry(7, NOW, None, AuditAction.DELETE, reason="dup")])
    stored = repos.audit.for_evaluation(7)
    assert [(e.action, e.field, e.old, e.new, e.actor_id, e.at) for e in stored] == [
        (AuditAction.EDIT, "greet", '{"value":"no"}', None, reviewer.id, NOW),
        (AuditAction.DELETE, None, None, None, None, NOW),
    ]
    assert stored[1].reason == "dup"
    repos.settings.set("centre_timezone", "Asia/Tehran")
    repos.settings.set("week_start", "5")
    repos.settings.set("current_reviewer_id", str(reviewer.id))
    centre = repos.settings.centre()
    assert (centre.timezone, centre.week_start, centre.current_reviewer_id) == (
        "Asia/Tehran",
        5,
        reviewer.id,
    )
    repos.settings.set("week_start", None)
    assert repos.settings.week_start() == 0


def test_times_are_fixed_width_utc_text() -> None:
    assert utc_text(datetime(2026, 3, 1, 22, 30, tzinfo=UTC)) == "2026-03-01T22:30:00.000Z"
    with pytest.raises(ValueError, match="no time zone"):
        utc_text(datetime(2026, 3, 1, 22, 30))
