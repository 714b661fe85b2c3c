"""Three installations (three real SQLite files) meet through a team folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.services.sync_folder import TeamFolder
from qa_monitor.storage.rollups import rollup_differences
from qa_monitor.storage.sync_journal import SyncJournal
from tests.factories import FakeClock, interaction_data, passing_answers, seed


@pytest.fixture
def team_dir(tmp_path: Path) -> Path:
    path = tmp_path / "team"
    path.mkdir()
    return path


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[list[Services]]:
    opened = [Services.open(tmp_path / f"site{i}.db", clock=FakeClock()) for i in range(3)]
    yield opened
    for s in opened:
        s.close()


def sync_all(sites: list[Services], folder: Path, rounds: int = 2) -> None:
    for _ in range(rounds):
        for s in sites:
            report = TeamFolder(s.db, folder).sync()
            assert report.problems == []


def digests(sites: list[Services]) -> list[str]:
    return [SyncJournal(s.db).digest() for s in sites]


def submit(s: Services, interaction_id: int, version_id: int, reviewer_id: int) -> int:
    ev = s.evaluations.start_evaluation(interaction_id, version_id, reviewer_id)
    s.evaluations.save_draft(ev.id, passing_answers())
    result = s.evaluations.submit(ev.id)
    assert result.ok
    return ev.id


def test_three_sites_converge_and_nothing_appears_twice(
    sites: list[Services], team_dir: Path
) -> None:
    a, b, c = sites
    first = seed(a)
    submit(a, first.interaction.id, first.version.id, first.reviewer.id)
    sync_all(sites, team_dir)
    # Site b scores a new call of the same agent with the form it received.
    agent_b = b.people.list_agents()[0]
    interaction = b.interactions.create_interaction(
        interaction_data(agent_b.id, external_id="call-0002")
    )
    reviewer_b = b.people.add_reviewer("Reza Tehrani")
    version_id = b.db.execute("SELECT id FROM form_versions").fetchone()[0]
    submit(b, interaction.id, version_id, reviewer_b.id)
    # Site c renames the team while offline.
    team_c = c.people.list_teams()[0]
    c.people.rename_team(team_c.id, "Billing & Payments")
    sync_all(sites, team_dir)
    assert len(set(digests(sites))) == 1
    for s in sites:
        assert s.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 2
        assert s.db.execute("SELECT count(*) FROM interactions").fetchone()[0] == 2
        assert s.db.execute("SELECT count(*) FROM teams").fetchone()[0] == 1
        assert [t.name for t in s.people.list_teams()] == ["Billing & Payments"]


def test_same_call_imported_at_two_sites_is_one_call(
    sites: list[Services], team_dir: Path
) -> None:
    a, b, _c = sites
    seed(a)
    sync_all(sites, team_dir)
    agent_a = a.people.list_agents()[0]
    agent_b = b.people.list_agents()[0]
    a.interactions.create_interaction(interaction_data(agent_a.id, external_id="call-9"))
    b.interactions.create_interaction(interaction_data(agent_b.id, external_id="call-9"))
    sync_all(sites, team_dir)
    assert len(set(digests(sites))) == 1
    for s in sites:
        n = s.db.execute("SELECT count(*) FROM interactions WHERE external_id = 'call-9'")
        assert n.fetchone()[0] == 1


def test_two_offline_edits_of_one_evaluation_keep_both_versions(
    sites: list[Services], team_dir: Path
) -> None:
    a, b, c = sites
    first = seed(a)
    ev_id = submit(a, first.interaction.id, first.version.id, first.reviewer.id)
    sync_all(sites, team_dir)
    ev_b = b.db.execute("SELECT id FROM evaluations").fetchone()[0]
    supervisor_a = a.people.add_reviewer("Supervisor A")
    supervisor_b = b.people.add_reviewer("Supervisor B")
    changed_a = dict(passing_answers())
    changed_a["notes"] = changed_a["notes"].__class__("notes", "edited on A")
    a.evaluations.edit_submitted(ev_id, changed_a, "A's view", supervisor_a.id, "re-listened")
    changed_b = dict(passing_answers())
    changed_b["notes"] = changed_b["notes"].__class__("notes", "edited on B")
    b.clock.advance(minutes=5)  # type: ignore[attr-defined]
    b.evaluations.edit_submitted(ev_b, changed_b, "B's view", supervisor_b.id, "calibrated")
    sync_all(sites, team_dir)
    assert len(set(digests(sites))) == 1
    for s in sites:
        rows = SyncJournal(s.db).conflicts()
        assert [r.field for r in rows] == ["content"]
        kept, other = rows[0].kept.fields["content"], rows[0].other.fields["content"]
        assert {kept["overall_comment"], other["overall_comment"]} == {"A's view", "B's view"}
        (comment,) = s.db.execute("SELECT overall_comment FROM evaluations").fetchone()
        assert comment == kept["overall_comment"]
        # Both edits' audit entries travelled: nothing was lost.
        reasons = {r[0] for r in s.db.execute("SELECT reason FROM audit_log WHERE action='edit'")}
        assert reasons == {"re-listened", "calibrated"}
    del c


def test_status_change_travels_and_roll_ups_stay_exact(
    sites: list[Services], team_dir: Path
) -> None:
    a, b, _c = sites
    first = seed(a)
    ev_id = submit(a, first.interaction.id, first.version.id, first.reviewer.id)
    sync_all(sites, team_dir)
    a.evaluations.set_status(ev_id, EvaluationStatus.ACKNOWLEDGED, first.reviewer.id)
    sync_all(sites, team_dir)
    (status,) = b.db.execute("SELECT status FROM evaluations").fetchone()
    assert status == "acknowledged"
    for s in sites:
        assert rollup_differences(s.db) == {}


def test_drafts_never_leave_their_machine(sites: list[Services], team_dir: Path) -> None:
    a, b, _c = sites
    first = seed(a)
    a.evaluations.start_evaluation(first.interaction.id, first.version.id, first.reviewer.id)
    sync_all(sites, team_dir)
    assert b.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 0


def test_one_agent_typed_on_persian_and_arabic_keyboards_is_one_agent(
    sites: list[Services], team_dir: Path
) -> None:
    a, b, _c = sites
    a.people.add_agent("علی کاظمی")  # Persian yeh and kaf
    b.people.add_agent("علي كاظمي")  # Arabic yeh and kaf, from another system
    sync_all(sites, team_dir)
    assert len(set(digests(sites))) == 1
    for s in sites:
        assert len(s.people.list_agents()) == 1
        (key,) = s.db.execute("SELECT name_key FROM agents").fetchone()
        assert key is not None


def test_team_settings_travel_and_a_new_machine_does_not_override_them(
    sites: list[Services], team_dir: Path
) -> None:
    a, b, c = sites
    a.settings.set_timezone("Asia/Tehran")
    a.settings.set_week_start(5)
    sync_all(sites, team_dir)
    for s in sites:
        centre = s.settings.centre()
        assert (centre.timezone, centre.week_start) == ("Asia/Tehran", 5)
    # Who uses a machine stays on that machine.
    reviewer = b.people.add_reviewer("Reza Tehrani")
    b.settings.set_current_reviewer(reviewer.id)
    sync_all(sites, team_dir)
    assert c.settings.centre().current_reviewer_id is None
    assert len(set(digests(sites))) == 1


def test_two_supervisors_publishing_the_same_version_offline_both_keep_theirs(
    sites: list[Services], team_dir: Path
) -> None:
    from dataclasses import replace

    from tests.factories import sample_form

    a, b, c = sites
    first = seed(a)
    sync_all(sites, team_dir)
    # Each supervisor changes the title and publishes "version 2" before they meet.
    v_a = a.forms.publish_form(replace(sample_form(), title="Support call (A)"), None)
    b.clock.advance(minutes=1)  # type: ignore[attr-defined]
    v_b = b.forms.publish_form(replace(sample_form(), title="Support call (B)"), None)
    assert v_a.version == v_b.version == 2
    ev_b = b.evaluations.start_evaluation(
        b.db.execute("SELECT id FROM interactions").fetchone()[0],
        v_b.id,
        b.people.list_reviewers()[0].id,
    )
    b.evaluations.save_draft(ev_b.id, passing_answers())
    assert b.evaluations.submit(ev_b.id).ok
    sync_all(sites, team_dir)
    assert len(set(digests(sites))) == 1
    numbers = [
        s.db.execute(
            "SELECT group_concat(uuid || '=' || version) FROM (SELECT uuid, version FROM"
            " form_versions WHERE status = 'published' ORDER BY version)"
        ).fetchone()[0]
        for s in sites
    ]
    assert len(set(numbers)) == 1 and numbers[0].count("=") == 3
    for s in sites:
        (title,) = s.db.execute(
            "SELECT v.definition FROM evaluations e JOIN form_versions v"
            " ON v.id = e.form_version_id WHERE e.uuid = ?",
            [b.db.execute("SELECT uuid FROM evaluations").fetchone()[0]],
        ).fetchone()
        assert "Support call (B)" in title
    del first, c


def test_the_app_still_cannot_renumber_a_published_version(
    sites: list[Services],
) -> None:
    import sqlite3

    a = sites[0]
    first = seed(a)
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        a.db.execute("UPDATE form_versions SET version = 7 WHERE id = ?", [first.version.id])
