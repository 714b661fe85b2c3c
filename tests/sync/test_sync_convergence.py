"""Random work on three installations, synced through a team folder in random order,
always ends in identical content (the property the merge rules promise)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from qa_monitor.core.answers import Answer
from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.services.evidence_check import check_evidence
from qa_monitor.services.sync_folder import TeamFolder
from qa_monitor.storage.rollups import rollup_differences
from qa_monitor.storage.sync_journal import SyncJournal
from tests.factories import FakeClock, interaction_data, random_answers, seed


def _step(s: Services, rng: random.Random, n: int) -> None:
    teams = s.people.list_teams()
    agents = s.people.list_agents()
    reviewers = s.people.list_reviewers()
    versions = [r[0] for r in s.db.execute("SELECT id FROM form_versions WHERE status='published'")]
    submitted = [
        r[0] for r in s.db.execute("SELECT id FROM evaluations WHERE status <> 'draft'")
    ]
    interactions = [r[0] for r in s.db.execute("SELECT id FROM interactions")]
    choice = rng.randrange(6)
    if choice == 0 and teams:
        s.people.rename_team(rng.choice(teams).id, f"Team {rng.randrange(4)}-{n}")
    elif choice == 1 and agents:
        # The same call ids come up at several sites, as when each imports the call log.
        external_id = f"call-{rng.randrange(30)}"
        if not s.db.execute(
            "SELECT 1 FROM interactions WHERE external_id = ?", [external_id]
        ).fetchone():
            s.interactions.create_interaction(
                interaction_data(rng.choice(agents).id, external_id=external_id)
            )
    elif choice in (2, 3) and interactions and versions:
        ev = s.evaluations.start_evaluation(
            rng.choice(interactions), versions[0], rng.choice(reviewers).id
        )
        s.evaluations.save_draft(ev.id, random_answers(rng))
        s.evaluations.submit(ev.id)
    elif choice == 4 and submitted:
        ev_id = rng.choice(submitted)
        answers = dict(s.evaluations.get_evaluation(ev_id).answers)
        answers["notes"] = Answer("notes", f"edit {n}")
        s.evaluations.edit_submitted(ev_id, answers, f"comment {n}", None, f"reason {n}")
    elif choice == 5 and submitted:
        ev_id = rng.choice(submitted)
        (status,) = s.db.execute("SELECT status FROM evaluations WHERE id = ?", [ev_id]).fetchone()
        if status == "submitted":
            s.evaluations.set_status(ev_id, EvaluationStatus.ACKNOWLEDGED, None)
    s.clock.advance(minutes=rng.randrange(1, 30))  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed_value", [1, 2, 3])
def test_random_work_and_random_syncs_converge(tmp_path: Path, seed_value: int) -> None:
    rng = random.Random(seed_value)
    folder = tmp_path / "team"
    folder.mkdir()
    sites = [Services.open(tmp_path / f"s{i}.db", clock=FakeClock()) for i in range(3)]
    try:
        seed(sites[0])
        for s in sites:
            TeamFolder(s.db, folder).sync()
        for n in range(60):
            site = rng.choice(sites)
            if rng.random() < 0.25:
                assert TeamFolder(site.db, folder).sync().problems == []
            else:
                _step(site, rng, n)
        for _ in range(2):
            for s in sites:
                assert TeamFolder(s.db, folder).sync().problems == []
        digests = {SyncJournal(s.db).digest() for s in sites}
        assert len(digests) == 1
        for s in sites:
            assert rollup_differences(s.db) == {}
            assert check_evidence(s.db) == []
            counts = SyncJournal(s.db).counts()
            assert counts == SyncJournal(sites[0].db).counts()
    finally:
        for s in sites:
            s.close()
