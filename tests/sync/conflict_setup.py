"""Two real databases that meet through a team folder and edit one evaluation offline:
a real conflict, for the service and the UI tests of the Sync conflicts view."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qa_monitor.core.answers import Answer
from qa_monitor.services import Services
from qa_monitor.services.team_sync import SyncMode, TeamSettings
from tests.factories import FakeClock, passing_answers, seed


@dataclass(frozen=True)
class Pair:
    a: Path
    b: Path
    folder: Path
    evaluation_uuid: str


def join_folder(services: Services, folder: Path) -> None:
    services.team_sync.save_team_settings(TeamSettings(SyncMode.FOLDER, folder=str(folder)))


def sync(*all_services: Services, rounds: int = 2) -> None:
    for _ in range(rounds):
        for s in all_services:
            report = s.team_sync.sync_now()
            assert report.problems == [], report.problems


def two_sites(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Site a with the seed data and one submitted evaluation, site b empty, both in
    one team folder and synced."""
    folder = tmp_path / "team"
    folder.mkdir()
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    with Services.open(a, clock=FakeClock()) as sa, Services.open(b, clock=FakeClock()) as sb:
        first = seed(sa)
        ev = sa.evaluations.start_evaluation(
            first.interaction.id, first.version.id, first.reviewer.id
        )
        sa.evaluations.save_draft(ev.id, passing_answers())
        assert sa.evaluations.submit(ev.id).ok
        sb.settings.set_timezone("UTC")
        join_folder(sa, folder)
        join_folder(sb, folder)
        sync(sa, sb)
    return a, b, folder


def conflicting_edits(tmp_path: Path) -> Pair:
    """Two supervisors edit the same evaluation offline, then both sync."""
    a, b, folder = two_sites(tmp_path)
    with Services.open(a, clock=FakeClock()) as sa, Services.open(b, clock=FakeClock()) as sb:
        ev_a = sa.db.execute("SELECT id, uuid FROM evaluations").fetchone()
        ev_b = sb.db.execute("SELECT id FROM evaluations WHERE uuid = ?", [ev_a[1]]).fetchone()[0]
        boss_a = sa.people.add_reviewer("Maryam Rostami")
        boss_b = sb.people.add_reviewer("Kaveh Jafari")
        edited_a = dict(passing_answers())
        edited_a["greet"] = Answer("greet", "no", comment="no greeting heard")
        sa.evaluations.edit_submitted(
            ev_a[0], edited_a, "Missed the greeting.", boss_a.id, "re-listened"
        )
        edited_b = dict(passing_answers())
        edited_b["notes"] = Answer("notes", "calibrated with the team")
        sb.clock.advance(minutes=5)  # type: ignore[attr-defined]
        sb.evaluations.edit_submitted(ev_b, edited_b, "Fine call.", boss_b.id, "calibration")
        sync(sa, sb)
        return Pair(a, b, folder, ev_a[1])
