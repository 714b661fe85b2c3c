"""A snapshot start: a new installation copies the team's published snapshot and then
reads only the changes after it, ending with the same content as everyone else; what
never leaves a machine (drafts, its own settings) is not in the snapshot; a damaged
snapshot or an installation with records of its own falls back to change by change."""

from __future__ import annotations

from pathlib import Path

from qa_monitor.services import Services
from qa_monitor.services.common import Changes
from qa_monitor.services.evidence_check import check_evidence
from qa_monitor.services.sync_folder import TeamFolder
from qa_monitor.services.sync_snapshot import snapshots
from qa_monitor.services.team_sync import changes_of
from qa_monitor.storage.rollups import rollup_differences
from qa_monitor.storage.sync_journal import SyncJournal
from tests.factories import FakeClock, interaction_data, passing_answers, seed
from tests.sync.conflict_setup import join_folder, sync


def _submit(s: Services, call: int, version: int, reviewer: int) -> int:
    ev = s.evaluations.start_evaluation(call, version, reviewer)
    s.evaluations.save_draft(ev.id, passing_answers())
    assert s.evaluations.submit(ev.id).ok
    return ev.id


def _team(tmp_path: Path) -> tuple[Path, Path]:
    """Site a: five submitted evaluations and a draft, in a team folder, with a
    snapshot published and one more evaluation submitted after it."""
    folder = tmp_path / "team"
    folder.mkdir()
    a = tmp_path / "a.db"
    with Services.open(a, clock=FakeClock()) as sa:
        first = seed(sa)
        for i in range(5):
            call = sa.interactions.create_interaction(
                interaction_data(first.agent.id, external_id=f"call-{i}")
            )
            _submit(sa, call.id, first.version.id, first.reviewer.id)
        draft = sa.evaluations.start_evaluation(
            first.interaction.id, first.version.id, first.reviewer.id
        )
        sa.evaluations.save_draft(draft.id, passing_answers())
        sa.settings.set_current_reviewer(first.reviewer.id)
        join_folder(sa, folder)
        sync(sa)
        assert TeamFolder(sa.db, folder).publish_snapshot() == 5
        late = sa.interactions.create_interaction(
            interaction_data(first.agent.id, external_id="after-the-snapshot")
        )
        _submit(sa, late.id, first.version.id, first.expert.id)
        sync(sa)
    return a, folder


def test_a_new_installation_starts_from_the_snapshot_and_reads_only_what_came_after(
    tmp_path: Path,
) -> None:
    a, folder = _team(tmp_path)
    assert len(snapshots(folder, _team_of(a))) == 1
    with (
        Services.open(a, clock=FakeClock()) as sa,
        Services.open(tmp_path / "b.db", clock=FakeClock()) as sb,
    ):
        join_folder(sb, folder)
        report = sb.team_sync.sync_now()
        assert report.problems == []
        assert report.from_snapshot == 5
        assert SyncJournal(sb.db).last_seq() == 0  # nothing copied counts as b's own
        # Every screen reloads: every kind of record arrived.
        assert changes_of(report) == Changes(
            evaluations=True,
            interactions=True,
            forms=True,
            people=True,
            settings=True,
            programme=True,
        )
        # Only the evaluation after the snapshot (and its call and audit) came as changes.
        assert 0 < report.received < 20
        assert SyncJournal(sb.db).digest() == SyncJournal(sa.db).digest()
        assert sb.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 6
        assert (
            sb.db.execute("SELECT count(*) FROM evaluations WHERE status = 'draft'").fetchone()[0]
            == 0
        )
        # b keeps its own settings: its folder, no reviewer chosen by a's user.
        assert sb.team_sync.team_settings().folder == str(folder)
        assert sb.settings.centre().current_reviewer_id is None
        assert SyncJournal(sb.db).site != SyncJournal(sa.db).site
        assert rollup_differences(sb.db) == {}
        assert check_evidence(sb.db) == []
        assert sb.db.execute("PRAGMA foreign_key_check").fetchall() == []
        # The snapshot's evaluations are held as received ones, content in their rows,
        # like the one received after it.
        absorbed = sb.db.execute(
            "SELECT count(*) FROM sync_journal WHERE entity = 'evaluation' AND fields = ''"
        ).fetchone()[0]
        assert absorbed == 6

        # From here on b is a member like any other.
        first_b = sb.people.list_reviewers()[0]
        call_b = sb.interactions.create_interaction(
            interaction_data(sb.people.list_agents()[0].id, external_id="from-b")
        )
        version = sb.forms.list_forms()[0].latest_published
        assert version is not None
        _submit(sb, call_b.id, version.id, first_b.id)
        sync(sa, sb)
        assert SyncJournal(sb.db).digest() == SyncJournal(sa.db).digest()
        assert sa.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 8  # + draft


def _team_of(path: Path) -> str:
    with Services.open(path, clock=FakeClock()) as s:
        team = SyncJournal(s.db).team()
        assert team is not None
        return team


def test_an_installation_with_records_of_its_own_merges_change_by_change(
    tmp_path: Path,
) -> None:
    a, folder = _team(tmp_path)
    with (
        Services.open(a, clock=FakeClock()) as sa,
        Services.open(tmp_path / "c.db", clock=FakeClock()) as sc,
    ):
        sc.people.add_reviewer("Omid Karimi")  # the same person as on a: merged by name
        join_folder(sc, folder)
        report = sc.team_sync.sync_now()
        assert report.from_snapshot == 0 and report.problems == []
        sync(sa, sc)
        assert SyncJournal(sc.db).digest() == SyncJournal(sa.db).digest()


def test_a_damaged_snapshot_is_passed_over_with_a_sentence(tmp_path: Path) -> None:
    a, folder = _team(tmp_path)
    (snapshot,) = snapshots(folder, _team_of(a))
    data = bytearray(snapshot.data.read_bytes())
    data[len(data) // 2] ^= 0xFF
    snapshot.data.write_bytes(bytes(data))
    with (
        Services.open(a, clock=FakeClock()) as sa,
        Services.open(tmp_path / "d.db", clock=FakeClock()) as sd,
    ):
        join_folder(sd, folder)
        report = sd.team_sync.sync_now()
        assert report.from_snapshot == 0
        assert len(report.problems) == 1
        assert "could not be used (its checksum does not match)" in report.problems[0]
        assert "the team's changes are read one by one instead" in report.problems[0]
        assert SyncJournal(sd.db).digest() == SyncJournal(sa.db).digest()


def test_a_start_that_fails_midway_leaves_the_installation_pristine(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from qa_monitor.storage import sync_snapshot

    a, folder = _team(tmp_path)
    b = tmp_path / "b.db"
    with Services.open(b, clock=FakeClock()) as sb:
        join_folder(sb, folder)
        triggers = sb.db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        before = triggers.fetchone()[0]

        real = sync_snapshot.positions

        def broken(conn, schema="main", source="folder"):  # type: ignore[no-untyped-def]
            raise OSError("disk full")

        monkeypatch.setattr(sync_snapshot, "positions", broken)
        report = sb.team_sync.sync_now()
        assert report.from_snapshot == 0
        assert "could not be used (disk full)" in report.problems[0]
        monkeypatch.setattr(sync_snapshot, "positions", real)
        # The copy was rolled back whole, triggers included; the changes came one by one.
        after = sb.db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        assert after.fetchone()[0] == before
        assert sb.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with Services.open(a, clock=FakeClock()) as sa:
            assert SyncJournal(sb.db).digest() == SyncJournal(sa.db).digest()
        assert rollup_differences(sb.db) == {}
        assert check_evidence(sb.db) == []


def test_a_stopped_snapshot_leaves_nothing_behind(tmp_path: Path) -> None:
    """Closing the app stops a snapshot being written (its sync at close writes none):
    no file in the team folder, none beside the database."""
    import pytest

    from qa_monitor.services.sync_snapshot import publish
    from qa_monitor.storage.sync_snapshot import SnapshotRefused

    a, folder = _team(tmp_path)
    team = _team_of(a)
    before = sorted(p.name for p in (folder / "snapshots").iterdir())
    with Services.open(a, clock=FakeClock()) as sa:
        with pytest.raises(SnapshotRefused, match="The snapshot was stopped"):
            publish(sa.db, folder, team, cancelled=lambda: True)
        assert sorted(p.name for p in (folder / "snapshots").iterdir()) == before
        assert not list(tmp_path.glob("qa-snapshot-*"))
        report = sa.team_sync.sync_now(publish=False)
        assert report.problems == []
