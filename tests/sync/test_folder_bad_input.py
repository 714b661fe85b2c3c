"""A team folder as real shares leave it: files half-copied, damaged, from a newer
version or another team. Each gets a sentence, nothing is half-applied, and the next
sync picks the file up once it is whole."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa_monitor.services import Services
from qa_monitor.services.sync_folder import TeamFolder
from qa_monitor.services.sync_transport import TransportError
from qa_monitor.storage.sync_journal import SyncJournal
from tests.factories import FakeClock, passing_answers, seed


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Services, Services, Path]]:
    folder = tmp_path / "team"
    folder.mkdir()
    a = Services.open(tmp_path / "a.db", clock=FakeClock())
    b = Services.open(tmp_path / "b.db", clock=FakeClock())
    first = seed(a)
    ev = a.evaluations.start_evaluation(first.interaction.id, first.version.id, first.reviewer.id)
    a.evaluations.save_draft(ev.id, passing_answers())
    a.evaluations.submit(ev.id)
    TeamFolder(a.db, folder).sync()
    yield a, b, folder
    a.close()
    b.close()


def _batch(folder: Path, site: str) -> tuple[Path, Path]:
    data = next((folder / "sites" / site).glob("*.changes.gz"))
    manifest = data.with_name(data.name.replace(".changes.gz", ".json"))
    return data, manifest


def _evaluations(s: Services) -> int:
    return int(s.db.execute("SELECT count(*) FROM evaluations").fetchone()[0])


def test_a_half_copied_file_waits_and_is_applied_once_whole(
    pair: tuple[Services, Services, Path],
) -> None:
    a, b, folder = pair
    data, _manifest = _batch(folder, SyncJournal(a.db).site)
    whole = data.read_bytes()
    data.write_bytes(whole[: len(whole) // 2])
    report = TeamFolder(b.db, folder).sync()
    assert any("incomplete" in p and "still be copying" in p for p in report.problems)
    assert _evaluations(b) == 0
    data.write_bytes(whole)
    assert TeamFolder(b.db, folder).sync().problems == []
    assert SyncJournal(b.db).digest() == SyncJournal(a.db).digest()


def test_a_damaged_file_is_named_and_nothing_is_applied(
    pair: tuple[Services, Services, Path],
) -> None:
    a, b, folder = pair
    data, _manifest = _batch(folder, SyncJournal(a.db).site)
    whole = bytearray(data.read_bytes())
    whole[len(whole) // 2] ^= 0xFF
    data.write_bytes(bytes(whole))
    report = TeamFolder(b.db, folder).sync()
    assert any(str(data) in p and "damaged" in p for p in report.problems)
    assert _evaluations(b) == 0
    assert b.db.execute("SELECT count(*) FROM sync_journal WHERE site <> ?",
                        [SyncJournal(b.db).site]).fetchone()[0] == 0


def test_a_manifest_that_lies_about_its_contents_is_refused(
    pair: tuple[Services, Services, Path],
) -> None:
    a, b, folder = pair
    data, manifest = _batch(folder, SyncJournal(a.db).site)
    lines = gzip.decompress(data.read_bytes()).split(b"\n")
    packed = gzip.compress(b"\n".join([*lines[:-2], b""]))  # one change left out
    data.write_bytes(packed)
    info = json.loads(manifest.read_text())
    info.update(bytes=len(packed), sha256=hashlib.sha256(packed).hexdigest())
    manifest.write_text(json.dumps(info))
    report = TeamFolder(b.db, folder).sync()
    assert any("does not hold the changes its manifest names" in p for p in report.problems)
    assert _evaluations(b) == 0


def test_a_file_from_a_newer_version_is_skipped_with_a_sentence(
    pair: tuple[Services, Services, Path],
) -> None:
    a, b, folder = pair
    _data, manifest = _batch(folder, SyncJournal(a.db).site)
    info = json.loads(manifest.read_text())
    info["format"] = 99
    manifest.write_text(json.dumps(info))
    report = TeamFolder(b.db, folder).sync()
    assert any("newer QA Monitor" in p and "Update" in p for p in report.problems)
    assert _evaluations(b) == 0


def test_a_file_from_another_teams_folder_is_skipped(
    pair: tuple[Services, Services, Path],
) -> None:
    a, b, folder = pair
    _data, manifest = _batch(folder, SyncJournal(a.db).site)
    info = json.loads(manifest.read_text())
    info["team"] = "00000000-0000-7000-8000-000000000000"
    manifest.write_text(json.dumps(info))
    report = TeamFolder(b.db, folder).sync()
    assert any("another team" in p for p in report.problems)
    assert _evaluations(b) == 0


def test_another_teams_folder_is_refused_whole(
    pair: tuple[Services, Services, Path], tmp_path: Path
) -> None:
    a, _b, _folder = pair
    other = tmp_path / "other-team"
    other.mkdir()
    (other / "qa-monitor-team.json").write_text(
        json.dumps({"format": 1, "team": "00000000-0000-7000-8000-000000000001"})
    )
    with pytest.raises(TransportError, match="belongs to another team"):
        TeamFolder(a.db, other).sync()


def test_a_folder_that_is_not_a_team_folder_is_not_taken_over(
    pair: tuple[Services, Services, Path], tmp_path: Path
) -> None:
    a, _b, _folder = pair
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "notes.txt").write_text("mine")
    with pytest.raises(TransportError, match="not a QA Monitor team folder"):
        TeamFolder(a.db, documents).sync()
    assert sorted(p.name for p in documents.iterdir()) == ["notes.txt"]


def test_a_missing_folder_says_so(pair: tuple[Services, Services, Path], tmp_path: Path) -> None:
    a, _b, _folder = pair
    with pytest.raises(TransportError, match="does not exist or cannot be reached"):
        TeamFolder(a.db, tmp_path / "gone").sync()


def test_a_copied_database_is_refused_before_it_forks_history(
    pair: tuple[Services, Services, Path], tmp_path: Path
) -> None:
    a, _b, folder = pair
    copy = tmp_path / "copy.db"
    a.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(a.path, copy)
    a.people.add_team("Sales")  # the original moves on and syncs
    TeamFolder(a.db, folder).sync()
    with (
        Services.open(copy, clock=FakeClock()) as twin,
        pytest.raises(TransportError, match="copied"),
    ):
        TeamFolder(twin.db, folder).sync()
