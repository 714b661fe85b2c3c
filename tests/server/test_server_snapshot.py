"""A snapshot start through the team server: a supervisor's installation stores a
snapshot, a new reviewer's installation starts from it and reads only what came
after; an agent's login may neither read nor store one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from qa_monitor.services import Services
from qa_monitor.services.evidence_check import check_evidence
from qa_monitor.services.sync_service import run_sync
from qa_monitor.storage.rollups import rollup_differences
from tests.factories import FakeClock, interaction_data, seed
from tests.server.conftest import TeamDb
from tests.server.helpers import Site, submit


@pytest.fixture
def dbs(tmp_path: Path) -> Iterator[list[Services]]:
    opened = [Services.open(tmp_path / f"site{i}.db", clock=FakeClock()) for i in range(3)]
    yield opened
    for s in opened:
        s.close()


def test_a_new_member_starts_from_the_servers_snapshot(
    team_db: TeamDb, dbs: list[Services], passfile_dir: Path
) -> None:
    sup_db, new_db, agent_db = dbs
    first = seed(sup_db)
    for i in range(4):
        call = sup_db.interactions.create_interaction(
            interaction_data(first.agent.id, external_id=f"call-{i}")
        )
        submit(sup_db, call.id, first.version.id, first.reviewer.id)
    draft = sup_db.evaluations.start_evaluation(
        first.interaction.id, first.version.id, first.reviewer.id
    )
    assert draft.id
    sup = Site(sup_db, team_db, *team_db.add("supervisor", name="Maryam"))
    sup.sync()
    assert sup.server().publish_snapshot() == 4
    late = sup_db.interactions.create_interaction(
        interaction_data(first.agent.id, external_id="after-the-snapshot")
    )
    submit(sup_db, late.id, first.version.id, first.expert.id)
    sup.sync()

    reviewer = Site(new_db, team_db, *team_db.add("reviewer", reviewer="Omid Karimi"))
    report = reviewer.sync()
    assert report.from_snapshot == 4
    assert 0 < report.received < 20  # the evaluation after the snapshot, its call, audit
    assert reviewer.digest() == sup.digest()
    assert new_db.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 5
    assert rollup_differences(new_db.db) == {}
    assert check_evidence(new_db.db) == []
    assert reviewer.journal.last_seq() == 0

    # An agent's login starts change by change (it reads only its own records), and
    # may neither read nor store a snapshot.
    agent = Site(agent_db, team_db, *team_db.add("agent", agent="Sara Ahmadi"))
    assert agent.sync().from_snapshot == 0
    with team_db.login(agent.login, agent.password) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM qa.snapshot_parts").fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO qa.snapshots (site, manifest) VALUES (gen_random_uuid(), '{}')"
            )
    # A reviewer reads snapshots but does not store them.
    with team_db.login(reviewer.login, reviewer.password) as conn:
        assert conn.execute("SELECT count(*) FROM qa.snapshots").fetchone()[0] == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM qa.snapshots")
    assert run_sync(sup_db.db, sup.server()).problems == []
