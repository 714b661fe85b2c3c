"""Three installations (three real SQLite files) meet through a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qa_monitor.services import Services
from qa_monitor.services.sync_server import TeamServer
from qa_monitor.storage.rollups import rollup_differences
from tests.factories import FakeClock, interaction_data, passing_answers, seed
from tests.server.conftest import TeamDb
from tests.server.helpers import Site, local_id, server_count, submit


@pytest.fixture
def services(tmp_path: Path) -> Iterator[list[Services]]:
    opened = [Services.open(tmp_path / f"site{i}.db", clock=FakeClock()) for i in range(3)]
    yield opened
    for s in opened:
        s.close()


@pytest.fixture
def team(team_db: TeamDb, services: list[Services], passfile_dir: Path) -> list[Site]:
    """A supervisor's installation that set the team up, and two reviewers'."""
    a, b, c = services
    seed(a)
    a.people.add_reviewer("Reza Tehrani")
    supervisor = Site(a, team_db, *team_db.add("supervisor", name="Maryam Sadeghi"))
    supervisor.sync()
    sites = [
        supervisor,
        Site(b, team_db, *team_db.add("reviewer", reviewer="Omid Karimi")),
        Site(c, team_db, *team_db.add("reviewer", reviewer="reza tehrani")),
    ]
    for site in sites[1:]:
        site.sync()
    return sites


def sync_all(sites: list[Site], rounds: int = 2) -> None:
    for _ in range(rounds):
        for site in sites:
            site.sync()


def test_three_sites_converge_through_the_server(team: list[Site], team_db: TeamDb) -> None:
    supervisor, omid, reza = team
    version = int(omid.s.db.execute("SELECT id FROM form_versions").fetchone()[0])
    # Each reviewer scores calls offline: their own new call, and the shared first call.
    evaluations = {}
    for n, site in enumerate((omid, reza)):
        agent = local_id(site.s, "agents", "Sara Ahmadi")
        me = local_id(site.s, "reviewers", ["Omid Karimi", "Reza Tehrani"][n])
        call = site.s.interactions.create_interaction(
            interaction_data(agent, external_id=f"call-10{n}")
        )
        evaluations[n] = submit(site.s, call.id, version, me)
        first = int(site.s.db.execute(
            "SELECT id FROM interactions WHERE external_id = 'call-0001'"
        ).fetchone()[0])
        submit(site.s, first, version, me)
        site.s.clock.advance(minutes=3)  # type: ignore[attr-defined]
    # Omid edits his own evaluation; a supervisor re-scores Reza's.
    answers = dict(passing_answers())
    answers["notes"] = answers["notes"].__class__("notes", "second listen")
    omid.s.evaluations.edit_submitted(evaluations[0], answers, "mine", None, "re-listened")
    sync_all(team)
    reza_ev = supervisor.s.db.execute(
        "SELECT e.id FROM evaluations e JOIN interactions i ON i.id = e.interaction_id"
        " WHERE i.external_id = 'call-101'"
    ).fetchone()[0]
    supervisor.s.evaluations.edit_submitted(reza_ev, answers, "re-scored", None, "calibration")
    sync_all(team)

    assert len({site.digest() for site in team}) == 1
    for site in team:
        assert site.s.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 4
        assert site.s.db.execute("SELECT count(*) FROM interactions").fetchone()[0] == 3
        assert rollup_differences(site.s.db) == {}
        # Every site's changes are on the server exactly once.
        mine = site.journal.last_seq()
        assert server_count(team_db, f"site = '{site.journal.site}'") == mine
    (comment,) = omid.s.db.execute(
        "SELECT overall_comment FROM evaluations e JOIN interactions i"
        " ON i.id = e.interaction_id WHERE i.external_id = 'call-101'"
    ).fetchone()
    assert comment == "re-scored"
    total = server_count(team_db)
    with team_db.admin() as conn:
        distinct = conn.execute("SELECT count(DISTINCT (site, seq)) FROM qa.changes").fetchone()
    assert distinct is not None and distinct[0] == total


def test_sending_again_stores_nothing_twice(team: list[Site], team_db: TeamDb) -> None:
    omid = team[1]
    version = int(omid.s.db.execute("SELECT id FROM form_versions").fetchone()[0])
    first = int(omid.s.db.execute("SELECT id FROM interactions").fetchone()[0])
    submit(omid.s, first, version, local_id(omid.s, "reviewers", "Omid Karimi"))
    omid.sync()
    before = server_count(team_db)
    server = omid.server()
    server.open()
    try:
        everything = omid.journal.changes(omid.journal.site, 0, 100_000)
        assert everything
        server.send(everything)
        server.send(everything)
    finally:
        server.close()
    assert server_count(team_db) == before


def test_the_password_is_remembered_in_a_private_file(
    team: list[Site], passfile_dir: Path
) -> None:
    omid = team[1]
    passfile = passfile_dir / "team-server.pgpass"
    assert passfile.stat().st_mode & 0o777 == 0o600
    assert omid.password in passfile.read_text()
    assert omid.password not in str(
        omid.s.db.execute("SELECT group_concat(value) FROM settings").fetchone()[0]
    )
    # A later sync needs no password: libpq reads it from the file.
    server = omid.server(password=None)
    server.open()
    try:
        assert server.describe() == (
            f"Connected to {omid.team_db.name} on {server.address.where} as Omid Karimi "
            "(reviewer)."
        )
    finally:
        server.close()
    assert omid.s.repos.settings.get("sync.identity") == "Omid Karimi (reviewer)"


def test_a_database_copied_to_another_computer_is_refused(
    team: list[Site], tmp_path: Path
) -> None:
    omid = team[1]
    version = int(omid.s.db.execute("SELECT id FROM form_versions").fetchone()[0])
    first = int(omid.s.db.execute("SELECT id FROM interactions").fetchone()[0])
    submit(omid.s, first, version, local_id(omid.s, "reviewers", "Omid Karimi"))
    omid.sync()
    # A copy made before that sync: same site id, fewer changes than the server holds.
    copy = Services.open(tmp_path / "copy.db", clock=FakeClock())
    try:
        copy.db.execute("UPDATE sync_state SET site = ?", [omid.journal.site])
        copy.db.conn.commit()
        server = TeamServer(copy.db, omid.team_db.settings(omid.login), omid.password)
        with pytest.raises(Exception, match="copied from it"):
            server.open()
    finally:
        copy.close()


def test_the_app_service_tests_the_connection_and_syncs(team: list[Site]) -> None:
    from qa_monitor.services.team_sync import TeamSyncService

    reza = team[2]
    service = TeamSyncService(reza.s.db)
    settings = reza.team_db.settings(reza.login)
    service.save_team_settings(settings)
    assert service.test_connection(settings, reza.password) == (
        f"Connected to {reza.team_db.name} on {settings.host}:{settings.port} as Reza Tehrani "
        "(reviewer)."
    )
    report = service.sync_now()  # the password typed above was remembered
    assert report.problems == []
    status = service.status()
    assert status.identity == "Reza Tehrani (reviewer)"
    assert status.pending == 0
    assert status.last is not None and status.last.ok
