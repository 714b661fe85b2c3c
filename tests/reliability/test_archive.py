"""The archive: a fresh database imports it exactly, and a bad archive imports nothing."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from qa_monitor.services import Services
from qa_monitor.storage.archive import (
    ArchiveError,
    archived_tables,
    export_archive,
    import_archive,
    table_digests,
)
from qa_monitor.storage.database import open_database
from qa_monitor.storage.rollups import rollup_differences
from qa_monitor.storage.sync_journal import SyncJournal


def _digests(path: Path, *, rollups: bool = False) -> dict:
    conn = sqlite3.connect(path)
    try:
        names = archived_tables(conn)
        if rollups:
            names = [
                str(r[0])
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rollup_%'"
                )
            ]
        return table_digests(conn, names)
    finally:
        conn.close()


def _export(path: Path, target: Path):  # type: ignore[no-untyped-def]
    db = open_database(path)
    try:
        return export_archive(db, target)
    finally:
        db.close()


def test_round_trip_keeps_every_table_and_the_sync_identity(
    real_database: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "centre.qaarchive"
    manifest = _export(real_database, archive)
    imported = tmp_path / "fresh.db"
    assert import_archive(archive, imported).digest == manifest.digest
    source, copy = _digests(real_database), _digests(imported)
    assert copy == source
    assert {"forms", "form_versions", "agents", "answers", "audit_log", "sync_journal"} <= set(
        source
    )
    assert source["evaluations"].rows == 301 and source["answers"].rows > 9000
    assert source["sync_journal"].rows > 0
    # The dashboard roll-ups were rebuilt, and equal the source's.
    assert _digests(imported, rollups=True) == _digests(real_database, rollups=True)
    with Services.open(imported) as services:
        assert rollup_differences(services.db) == {}
        journal = SyncJournal(services.db)
        assert journal.backfill() == 0  # nothing imported waits to be journalled
        before = services.db.execute("SELECT count(*) FROM sync_journal").fetchone()[0]
        services.people.add_team("After the import")
        after = services.db.execute("SELECT count(*) FROM sync_journal").fetchone()[0]
        assert after == before + 1  # the triggers are back: one change, one entry


def test_sync_digest_is_equal_after_import(real_database: Path, tmp_path: Path) -> None:
    archive = tmp_path / "a.qaarchive"
    _export(real_database, archive)
    import_archive(archive, tmp_path / "fresh.db")
    with Services.open(real_database) as a, Services.open(tmp_path / "fresh.db") as b:
        assert SyncJournal(a.db).digest() == SyncJournal(b.db).digest()
        assert SyncJournal(a.db).site == SyncJournal(b.db).site


def test_import_only_into_an_empty_database(real_database: Path, tmp_path: Path) -> None:
    archive = tmp_path / "a.qaarchive"
    _export(real_database, archive)
    with pytest.raises(ArchiveError, match="already holds data"):
        import_archive(archive, real_database)
    empty = tmp_path / "empty.db"
    Services.open(empty).close()  # a new database, with its first-use settings
    import_archive(archive, empty)
    assert _digests(empty) == _digests(real_database)


def _rewrite(archive: Path, target: Path, change) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(archive) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))


def test_a_changed_row_is_refused_and_nothing_is_left(real_database: Path, tmp_path: Path) -> None:
    archive = tmp_path / "a.qaarchive"
    _export(real_database, archive)
    bad = tmp_path / "bad.qaarchive"

    def raise_score(name: str, data: bytes) -> bytes:
        if name == "tables/evaluations.jsonl":
            return data.replace(b",27.0,", b",100.0,", 1).replace(b"]\n", b",1]\n", 1)
        return data

    _rewrite(archive, bad, raise_score)
    target = tmp_path / "fresh.db"
    with pytest.raises(ArchiveError, match="evaluations") as info:
        import_archive(bad, target)
    assert "nothing was imported" in str(info.value)
    assert not target.exists()


def test_a_bad_manifest_or_a_bomb_is_refused(real_database: Path, tmp_path: Path) -> None:
    archive = tmp_path / "a.qaarchive"
    _export(real_database, archive)
    newer = tmp_path / "newer.qaarchive"

    def bump(name: str, data: bytes) -> bytes:
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["format_version"] = 99
            return json.dumps(manifest).encode()
        return data

    _rewrite(archive, newer, bump)
    with pytest.raises(ArchiveError, match="format version 99"):
        import_archive(newer, tmp_path / "x.db")
    bomb = tmp_path / "bomb.qaarchive"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", zipfile.ZipFile(archive).read("manifest.json"))
        z.writestr("tables/answers.jsonl", b"\n" * 50_000_000)
    with pytest.raises(ArchiveError, match="expand more than"):
        import_archive(bomb, tmp_path / "y.db")
    text = tmp_path / "notes.qaarchive"
    text.write_text("hello")
    with pytest.raises(ArchiveError, match="not a zip file"):
        import_archive(text, tmp_path / "z.db")
    assert not (tmp_path / "x.db").exists() and not (tmp_path / "y.db").exists()
