"""Interactions (local dates, teams, surveys) and centre settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from qa_monitor.core.forms import Channel
from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import ConflictError, Services
from qa_monitor.storage.settings_repo import machine_timezone
from tests.factories import Seed, interaction_data


def test_local_date_is_bucketed_in_the_centre_zone(services: Services, seeded: Seed) -> None:
    late = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    services.settings.set_timezone("Asia/Tehran")
    tehran = services.interactions.create_interaction(
        interaction_data(seeded.agent.id, started_at=late, external_id="teh")
    )
    assert (tehran.local_date, tehran.timezone) == (date(2026, 3, 2), "Asia/Tehran")
    services.settings.set_timezone("UTC")
    utc = services.interactions.create_interaction(
        interaction_data(seeded.agent.id, started_at=late, external_id="utc")
    )
    assert utc.local_date == date(2026, 3, 1)
    # Changing the zone does not move what is stored.
    assert services.interactions.get_interaction(tehran.id).local_date == date(2026, 3, 2)

    evaluation = services.evaluations.start_evaluation(
        tehran.id, seeded.version.id, seeded.reviewer.id
    )
    assert evaluation.interaction_date == date(2026, 3, 2)
    march_2 = EvaluationFilter(date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))
    assert [r.id for r in services.evaluations.list_evaluations(march_2)] == [evaluation.id]


def test_interaction_takes_the_agent_team_and_is_validated(
    services: Services, seeded: Seed
) -> None:
    assert seeded.interaction.team_id == seeded.team.id
    naive = interaction_data(seeded.agent.id, started_at=datetime(2026, 3, 1, 9))
    with pytest.raises(ValueError, match="no time zone"):
        services.interactions.create_interaction(naive)
    with pytest.raises(ValueError, match="NPS must be a whole number from 0 to 10"):
        services.interactions.create_interaction(interaction_data(seeded.agent.id, nps=11))
    with pytest.raises(ConflictError, match="call-0001"):
        services.evaluations.create_interaction(
            interaction_data(seeded.agent.id, external_id="call-0001")
        )
    assert services.interactions.find_interaction("call-0001") == seeded.interaction


def test_survey_results_are_linked(services: Services, seeded: Seed) -> None:
    at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    linked = services.interactions.link_survey(
        seeded.interaction.id, csat=5, nps=10, ces=7, survey_at=at
    )
    assert (linked.csat, linked.nps, linked.ces, linked.survey_at) == (5, 10, 7, at)
    with pytest.raises(ValueError, match="CES must be"):
        services.interactions.link_survey(seeded.interaction.id, ces=0)


def test_correcting_an_interaction_updates_its_evaluations(
    services: Services, seeded: Seed
) -> None:
    evaluation = services.evaluations.start_evaluation(
        seeded.interaction.id, seeded.version.id, seeded.reviewer.id
    )
    other_team = services.people.add_team("Retention")
    other = services.people.add_agent("Mina", team_id=other_team.id)
    fixed = replace(
        interaction_data(other.id, external_id="call-0001"),
        channel=Channel.CHAT,
        started_at=datetime(2026, 3, 4, 9, tzinfo=UTC),
    )
    updated = services.interactions.update_interaction(seeded.interaction.id, fixed)
    assert (updated.agent_id, updated.team_id) == (other.id, other_team.id)
    stored = services.evaluations.get_evaluation(evaluation.id)
    assert (stored.agent_id, stored.team_id, stored.channel, stored.interaction_date) == (
        other.id,
        other_team.id,
        Channel.CHAT,
        date(2026, 3, 4),
    )


def test_settings(services: Services, seeded: Seed) -> None:
    centre = services.settings.centre()
    assert centre.timezone == "UTC" and centre.week_start == 0
    assert services.settings.set_week_start(5).settings
    assert services.settings.set_current_reviewer(seeded.reviewer.id).settings
    with pytest.raises(ValueError, match="not a known time zone"):
        services.settings.set_timezone("Mars/Olympus")
    with pytest.raises(ValueError, match="weekday"):
        services.settings.set_week_start(7)
    centre = services.settings.centre()
    assert (centre.week_start, centre.current_reviewer_id) == (5, seeded.reviewer.id)


def test_first_open_stores_the_machine_zone(tmp_path: Path) -> None:
    with Services.open(tmp_path / "new.db") as services:
        assert services.repos.settings.get_or_default("centre_timezone") == machine_timezone()
        # Stored as this machine's default, not as the team's choice (it does not travel).
        assert services.repos.settings.get("centre_timezone") is None
    with Services.open(tmp_path / "new.db") as services:
        assert services.settings.centre().timezone == machine_timezone()


def test_queue_lists_only_interactions_nobody_evaluated(services, seeded):
    from tests.factories import interaction_data

    other = services.interactions.create_interaction(
        interaction_data(seeded.agent.id, external_id="call-0002")
    )
    queue = services.interactions.list_interactions(unevaluated_only=True)
    assert {i.id for i in queue} == {seeded.interaction.id, other.id}
    services.evaluations.start_evaluation(other.id, seeded.version.id, seeded.reviewer.id)
    queue = services.interactions.list_interactions(unevaluated_only=True)
    assert [i.id for i in queue] == [seeded.interaction.id]
