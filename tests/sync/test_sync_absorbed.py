"""Received evaluations and audit entries are kept in the journal once (absorbed into
their rows), and everything that merges with them later still merges exactly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.services.sync_folder import TeamFolder
from qa_monitor.storage.rollups import rollup_differences
from qa_monitor.storage.sync_apply import (
    ABSORBED,
    SyncApplier,
    begin_bulk,
    end_bulk,
    worth_bulk,
)
from qa_monitor.storage.sync_journal import SyncJournal
from tests.factories import FakeClock, interaction_data, passing_answers, seed


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Services, Services, Path]]:
    folder = tmp_path / "team"
    folder.mkdir()
    a = Services.open(tmp_path / "a.db", clock=FakeClock())
    b = Services.open(tmp_path / "b.db", clock=FakeClock())
    yield a, b, folder
    a.close()
    b.close()


def _submit(s: Services, interaction_id: int, version_id: int, reviewer_id: int) -> int:
    ev = s.evaluations.start_evaluation(interaction_id, version_id, reviewer_id)
    s.evaluations.save_draft(ev.id, passing_answers())
    assert s.evaluations.submit(ev.id).ok
    return ev.id


def _sync(*sites: Services, folder: Path) -> None:
    for _ in range(2):
        for s in sites:
            assert TeamFolder(s.db, folder).sync().problems == []


def _journal_fields(s: Services, entity: str, site: str) -> list[str]:
    return [
        r[0]
        for r in s.db.execute(
            "SELECT fields FROM sync_journal WHERE entity = ? AND site = ?", [entity, site]
        )
    ]


def test_a_received_evaluation_is_kept_once_and_later_edits_merge_exactly(
    pair: tuple[Services, Services, Path],
) -> None:
    a, b, folder = pair
    first = seed(a)
    ev_a = _submit(a, first.interaction.id, first.version.id, first.reviewer.id)
    _sync(a, b, folder=folder)
    site_a = SyncJournal(a.db).site
    # b keeps a's evaluation and its audit entry without their content: the rows hold it.
    assert _journal_fields(b, "evaluation", site_a) == [ABSORBED]
    assert set(_journal_fields(b, "audit", site_a)) == {ABSORBED}
    # a's own journal is untouched: it still sends the content whole.
    assert ABSORBED not in _journal_fields(a, "evaluation", site_a)

    # A supervisor at a re-scores it; the agent's side (b) acknowledges it meanwhile.
    boss = a.people.add_reviewer("Maryam Rostami")
    edited = dict(passing_answers())
    edited["notes"] = edited["notes"].__class__("notes", "re-scored after listening")
    a.evaluations.edit_submitted(ev_a, edited, "Re-scored.", boss.id, "re-listened")
    ev_b = b.db.execute("SELECT id FROM evaluations").fetchone()[0]
    b.evaluations.set_status(ev_b, EvaluationStatus.ACKNOWLEDGED, None)
    _sync(a, b, folder=folder)

    assert SyncJournal(a.db).digest() == SyncJournal(b.db).digest()
    for s in (a, b):
        row = s.db.execute("SELECT overall_comment, status FROM evaluations").fetchone()
        assert tuple(row) == ("Re-scored.", "acknowledged")
        assert not rollup_differences(s.db)
        assert SyncJournal(s.db).conflicts() == []


def test_an_evaluation_waiting_for_its_call_keeps_its_content_in_the_journal(
    pair: tuple[Services, Services, Path],
) -> None:
    a, b, _folder = pair
    first = seed(a)
    _submit(a, first.interaction.id, first.version.id, first.reviewer.id)
    journal_a = SyncJournal(a.db)
    journal_a.backfill()
    changes = journal_a.changes(journal_a.site, 0)
    calls = [c for c in changes if c.entity == "interaction"]
    rest = [c for c in changes if c.entity != "interaction"]

    result = SyncApplier(b.db).apply(rest)
    assert result.waiting >= 1
    assert b.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 0
    # Its record could not be written, so the journal keeps what it said.
    assert ABSORBED not in _journal_fields(b, "evaluation", journal_a.site)

    SyncApplier(b.db).apply(calls)
    assert b.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 1
    assert SyncJournal(b.db).digest() == journal_a.digest()
    assert not rollup_differences(b.db)


def test_a_first_sync_that_starts_with_calls_only_is_applied_in_bulk(
    pair: tuple[Services, Services, Path],
) -> None:
    a, b, _folder = pair
    first = seed(a)
    for i in range(600):
        a.interactions.create_interaction(interaction_data(first.agent.id, external_id=f"c-{i}"))
    journal_a = SyncJournal(a.db)
    journal_a.backfill()
    calls = [c for c in journal_a.changes(journal_a.site, 0) if c.entity == "interaction"]
    assert len(calls) == 601
    # Into an empty installation: in bulk (the roll-ups are rebuilt once at the end).
    assert worth_bulk(b.db, calls)
    # The daily trickle is applied one by one, with the roll-ups kept live.
    assert not worth_bulk(b.db, calls[:499])


def test_one_call_sent_by_two_sites_in_one_bulk_step_is_one_call(tmp_path: Path) -> None:
    paths = [tmp_path / f"{name}.db" for name in ("a", "c", "b")]
    opened = [Services.open(p, clock=FakeClock()) for p in paths]
    a, c, b = opened
    try:
        for s in (a, c):
            first = seed(s)
            s.interactions.create_interaction(
                interaction_data(first.agent.id, external_id="CALL-SHARED")
            )
        changes = []
        for s in (a, c):
            journal = SyncJournal(s.db)
            journal.backfill()
            changes += journal.changes(journal.site, 0)
        begin_bulk(b.db)
        SyncApplier(b.db).apply(changes, bulk=True)
        end_bulk(b.db)
        rows = b.db.execute(
            "SELECT count(*) FROM interactions WHERE external_id = 'CALL-SHARED'"
        ).fetchone()[0]
        assert rows == 1
        # Both sites' calls of that id are the one call here (one is an alias of the other).
        assert b.db.execute("SELECT count(*) FROM sync_aliases").fetchone()[0] >= 1
        assert not rollup_differences(b.db)
    finally:
        for s in opened:
            s.close()


def test_a_day_of_new_evaluations_is_added_to_the_roll_ups_by_set(
    pair: tuple[Services, Services, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside a first sync, 20 or more new evaluations in one batch go in with the
    roll-up triggers suspended and are added by set; an edit of an evaluation already
    here, in the same batch, still goes through the triggers. The roll-ups stay exact,
    the triggers come back, and the evidence chain checks clean."""
    from qa_monitor.services.evidence_check import check_evidence
    from qa_monitor.storage import rollups

    a, b, folder = pair
    first = seed(a)
    earlier = _submit(a, first.interaction.id, first.version.id, first.reviewer.id)
    _sync(a, b, folder=folder)

    for i in range(24):
        call = a.interactions.create_interaction(
            interaction_data(first.agent.id, external_id=f"day-{i}")
        )
        _submit(a, call.id, first.version.id, first.reviewer.id)
    boss = a.people.add_reviewer("Maryam Rostami")
    edited = dict(passing_answers())
    edited["notes"] = edited["notes"].__class__("notes", "re-scored")
    a.evaluations.edit_submitted(earlier, edited, "Re-scored.", boss.id, "re-listened")

    added: list[int] = []
    real = rollups.add_evaluations
    monkeypatch.setattr(
        rollups, "add_evaluations", lambda conn, ids: (added.extend(ids), real(conn, ids))
    )
    _sync(a, b, folder=folder)
    assert len(added) == 24

    assert SyncJournal(a.db).digest() == SyncJournal(b.db).digest()
    assert not rollup_differences(b.db)
    assert check_evidence(b.db) == []
    present = {r[0] for r in b.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert set(rollups.trigger_names()) <= present
    # The triggers are live again: a local submit on b is counted at once.
    seeded_b = b.db.execute("SELECT id FROM interactions WHERE external_id = 'day-0'").fetchone()
    reviewer_b = b.people.add_reviewer("Nasrin Karimi")
    version_b = b.forms.list_forms()[0].latest_published
    assert version_b is not None
    _submit(b, seeded_b[0], version_b.id, reviewer_b.id)
    assert not rollup_differences(b.db)
