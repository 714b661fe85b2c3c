"""People: unique active names, deactivation, and deletion only without history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from qa_monitor.services import ConflictError, InUseError, NotFoundError, Services
from tests.factories import Seed, passing_answers


def test_crud_and_listing(services: Services) -> None:
    people = services.people
    team = people.add_team("  Billing ")
    assert team.name == "Billing"
    other = people.add_team("Retention")
    agent = people.add_agent("Sara", team_id=team.id, hire_date=date(2025, 1, 6))
    people.add_agent("Mina", team_id=other.id)
    assert [a.name for a in people.list_agents()] == ["Mina", "Sara"]
    assert [a.name for a in people.list_agents(team_id=team.id)] == ["Sara"]
    moved = people.update_agent(replace(agent, team_id=other.id, email="s@example.com"))
    assert (moved.team_id, moved.email) == (other.id, "s@example.com")
    assert people.rename_team(team.id, "Billing & Payments").name == "Billing & Payments"
    reviewer = people.add_reviewer("Omid")
    assert people.update_reviewer(replace(reviewer, is_expert=True)).is_expert
    with pytest.raises(NotFoundError):
        people.add_agent("Ali", team_id=999)
    with pytest.raises(ValueError, match="needs a name"):
        people.add_team("   ")


def test_names_are_unique_among_active_people(services: Services) -> None:
    people = services.people
    first = people.add_agent("Sara Ahmadi")
    with pytest.raises(ConflictError, match="active agent named 'sara ahmadi'"):
        people.add_agent("sara ahmadi")
    people.deactivate_agent(first.id)
    assert people.list_agents(active_only=True) == []
    second = people.add_agent("Sara Ahmadi")  # the name is free again
    with pytest.raises(ConflictError):
        people.reactivate_agent(first.id)
    people.deactivate_agent(second.id)
    people.reactivate_agent(first.id)
    assert people.get_agent(first.id).active


def test_unused_people_can_be_deleted(services: Services) -> None:
    people = services.people
    team = people.add_team("Temp")
    agent = people.add_agent("Temp agent")
    reviewer = people.add_reviewer("Temp reviewer")
    assert people.delete_agent(agent.id).people
    people.delete_reviewer(reviewer.id)
    people.delete_team(team.id)
    assert people.list_teams() == [] and people.list_agents() == []
    with pytest.raises(NotFoundError):
        people.get_reviewer(reviewer.id)


def test_people_with_history_are_deactivated_not_deleted(services: Services, seeded: Seed) -> None:
    evaluation = services.evaluations.start_evaluation(
        seeded.interaction.id, seeded.version.id, seeded.reviewer.id
    )
    services.evaluations.save_draft(evaluation.id, passing_answers())
    services.evaluations.submit(evaluation.id)
    people = services.people

    with pytest.raises(InUseError) as info:
        people.delete_agent(seeded.agent.id)
    message = str(info.value)
    assert "Agent 'Sara Ahmadi' cannot be deleted" in message
    assert "1 evaluation" in message and "1 interaction" in message
    assert "Deactivate the agent instead" in message
    assert info.value.can_deactivate and info.value.usage["evaluations"] == 1

    with pytest.raises(InUseError, match="published form version"):
        people.delete_reviewer(seeded.expert.id)
    with pytest.raises(InUseError, match="Deactivate the reviewer"):
        people.delete_reviewer(seeded.reviewer.id)
    with pytest.raises(InUseError, match="1 agent"):
        people.delete_team(seeded.team.id)

    people.deactivate_agent(seeded.agent.id)
    assert not people.get_agent(seeded.agent.id).active
    stored = services.evaluations.get_evaluation(evaluation.id)
    assert stored.agent_id == seeded.agent.id and stored.score is not None
