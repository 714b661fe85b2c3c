"""Snapshots in a team folder: publishing one, and starting a new installation from it
(storage/sync_snapshot.py has the database side; docs/sync.md, "Snapshot start").

Layout::

    TEAM/snapshots/<site>-<seq>.db.gz     gzip of a cleaned copy of <site>'s database
    TEAM/snapshots/<site>-<seq>.json      manifest: format, team, site, seq, bytes,
                                          unpacked, sha256, evaluations, migrations

Like change batches, a snapshot is written under a temporary name, flushed and renamed,
its manifest after it; a reader trusts it only when the manifest is there and the
file's length and SHA-256 match, and it unpacks at most the size the manifest states.
A member publishes one after a clean sync when its database holds at least
``MIN_EVALUATIONS`` evaluations and the newest snapshot in the folder is older than
``MAX_AGE`` (or on request: ``qa-monitor sync snapshot``), and keeps only its newest.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from qa_monitor.storage.backup import write_backup
from qa_monitor.storage.database import Database, open_database
from qa_monitor.storage.errors import StorageError
from qa_monitor.storage.sync_apply import rollups_stale
from qa_monitor.storage.sync_journal import SyncJournal
from qa_monitor.storage.sync_snapshot import (
    SnapshotRefused,
    adopt,
    clean_copy,
    copy_facts,
    counted_evaluations,
    is_pristine,
    migration_names,
)

FORMAT = 1
FOLDER = "snapshots"
MIN_EVALUATIONS = 10_000
MAX_AGE = timedelta(days=7)
MAX_SNAPSHOT_BYTES = 16 * 1024**3  # compressed
MAX_UNPACKED_BYTES = 64 * 1024**3
_MANIFEST = re.compile(r"^([0-9a-f-]{36})-(\d{12})\.json$")
_CHUNK = 4 * 1024 * 1024


@dataclass(frozen=True)
class Snapshot:
    data: Path
    manifest: dict[str, Any]

    @property
    def written_at(self) -> datetime:
        return datetime.fromisoformat(str(self.manifest["written_at"]))


def _migrations(db: Database) -> list[str]:
    return migration_names(db.conn)


def _manifest_path(data: Path) -> Path:
    """The manifest beside a packed snapshot ``<name>.db.gz``: ``<name>.json``."""
    return data.with_name(data.name[: -len(".db.gz")] + ".json")


def snapshots(root: Path, team: str, problems: list[str] | None = None) -> list[Snapshot]:
    """The team's complete snapshots in ``root``, newest first (a partial or foreign one
    is skipped; ``problems`` hears about a damaged manifest)."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if not _MANIFEST.match(path.name):
            continue
        try:
            if path.stat().st_size > 64 * 1024:
                raise ValueError("too large")
            manifest = json.loads(path.read_text(encoding="utf-8"))
            data = path.with_name(path.name[: -len(".json")] + ".db.gz")
            if int(manifest["format"]) > FORMAT or manifest["team"] != team:
                continue
            found.append(Snapshot(data, manifest))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            if problems is not None:
                problems.append(f"The snapshot description '{path}' cannot be read ({exc}).")
    return sorted(found, key=lambda s: str(s.manifest["written_at"]), reverse=True)


def build(
    db: Database,
    work: Path,
    team: str,
    *,
    now: datetime | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Snapshot:
    """Write a cleaned, packed snapshot of ``db`` into the folder ``work``; its manifest
    says what it is. Raises SnapshotRefused (not now, or ``cancelled`` between steps)
    or StorageError."""

    def check() -> None:
        if cancelled is not None and cancelled():
            raise SnapshotRefused("The snapshot was stopped; the next sync writes it.")

    site = SyncJournal(db).site
    if rollups_stale(db):
        raise SnapshotRefused(
            "A first sync is still being finished here; the snapshot waits for the next sync."
        )
    copy = work / "snapshot.db"
    write_backup(db.conn, copy)
    check()
    plain = sqlite3.connect(copy)
    try:
        clean_copy(plain)
        check()
        evaluations, seq = copy_facts(plain, site)
    finally:
        plain.close()
    data = work / f"{site}-{int(seq):012d}.db.gz"
    digest = hashlib.sha256()
    with copy.open("rb") as source, data.open("wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as packed:
            for block in iter(lambda: source.read(_CHUNK), b""):
                check()
                packed.write(block)
        raw.flush()
        os.fsync(raw.fileno())
    with data.open("rb") as written:
        for block in iter(lambda: written.read(_CHUNK), b""):
            digest.update(block)
    manifest = {
        "format": FORMAT,
        "team": team,
        "site": site,
        "seq": int(seq),
        "bytes": data.stat().st_size,
        "unpacked": copy.stat().st_size,
        "sha256": digest.hexdigest(),
        "evaluations": int(evaluations),
        "migrations": _migrations(db),
        "written_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
    }
    copy.unlink()
    return Snapshot(data, manifest)


def publish(
    db: Database,
    root: Path,
    team: str,
    *,
    now: datetime | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Snapshot:
    """Write a snapshot of ``db`` into the team folder ``root`` and remove this site's
    older ones. Raises SnapshotRefused (not now) or StorageError."""
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qa-snapshot-", dir=db.path.parent) as work:
        built = build(db, Path(work), team, now=now, cancelled=cancelled)
        data = folder / built.data.name
        partial = data.with_name(data.name + ".partial")
        shutil.copyfile(built.data, partial)
        with partial.open("rb") as copied:
            os.fsync(copied.fileno())
        os.replace(partial, data)
    manifest_path = _manifest_path(data)
    manifest_partial = manifest_path.with_name(manifest_path.name + ".partial")
    manifest_partial.write_text(json.dumps(built.manifest, indent=1), encoding="utf-8")
    os.replace(manifest_partial, manifest_path)
    site = built.manifest["site"]
    for older in snapshots(root, team):
        if older.manifest["site"] == site and older.data != data:
            for path in (older.data, _manifest_path(older.data)):
                path.unlink(missing_ok=True)
    return Snapshot(data, built.manifest)


def due(db: Database, root: Path, team: str, now: datetime) -> bool:
    """Whether this member should publish a snapshot to the folder after a clean sync."""
    return due_after(db, snapshots(root, team), now)


def due_after(db: Database, newest: list[Snapshot], now: datetime | None = None) -> bool:
    """Whether a snapshot is due, given the team's snapshots (newest first)."""
    if counted_evaluations(db.conn) < MIN_EVALUATIONS or rollups_stale(db):
        return False
    return not newest or (now or datetime.now(UTC)) - newest[0].written_at > MAX_AGE


# A snapshot on the team server is stored in parts of this size (bytea rows).
SERVER_PART_BYTES = 64 * 1024 * 1024


def on_server(rows: list[tuple[int, dict[str, Any]]], team: str) -> list[Snapshot]:
    """The team's usable snapshots among the server's (id, manifest) rows, newest first;
    ``manifest["id"]`` names the stored one (their ``data`` is only a name)."""
    found = []
    for snapshot_id, manifest in rows:
        try:
            if int(manifest["format"]) > FORMAT or manifest["team"] != team:
                continue
            name = Path(f"snapshot-{snapshot_id}.db.gz")
            found.append(Snapshot(name, {**manifest, "id": snapshot_id}))
        except (KeyError, TypeError, ValueError):
            continue
    return found


def publish_to_server(
    db: Database, store: Any, team: str, *, cancelled: Callable[[], bool] | None = None
) -> Snapshot:
    """Store a snapshot of ``db`` on the team server (``store``: a ServerStore) and remove
    this site's older ones. Raises SnapshotRefused, StorageError or psycopg.Error."""
    with tempfile.TemporaryDirectory(prefix="qa-snapshot-", dir=db.path.parent) as work:
        built = build(db, Path(work), team, cancelled=cancelled)

        def parts() -> Iterator[bytes]:
            with built.data.open("rb") as packed:
                yield from iter(lambda: packed.read(SERVER_PART_BYTES), b"")

        snapshot_id = store.add_snapshot(built.manifest["site"], built.manifest, parts())
    store.drop_snapshots(built.manifest["site"], snapshot_id)
    return Snapshot(Path(f"snapshot-{snapshot_id}.db.gz"), {**built.manifest, "id": snapshot_id})


def start_from(db: Database, root: Path, team: str, problems: list[str]) -> int:
    """If this installation is pristine and the folder holds a usable snapshot, adopt
    it; returns how many evaluations it brought (0: none used, the sync goes on change
    by change). A damaged snapshot is described in ``problems``; one made by another
    version is passed over quietly."""
    if not is_pristine(db.conn):
        return 0
    return adopt_first(db, snapshots(root, team, problems), "folder", problems)


def adopt_first(
    db: Database,
    found: list[Snapshot],
    source: str,
    problems: list[str],
    fetch: Callable[[Snapshot, Path], None] | None = None,
) -> int:
    """Adopt the first usable one of ``found`` (newest first) for cursors of ``source``;
    ``fetch(snapshot, path)`` first brings its packed file to ``path`` when it is not
    a local file. Returns the evaluations it brought (0: none)."""
    for snapshot in found:
        if snapshot.manifest.get("migrations") != _migrations(db):
            continue
        with tempfile.TemporaryDirectory(prefix="qa-snapshot-", dir=db.path.parent) as work:
            unpacked = Path(work) / "snapshot.db"
            try:
                if fetch is not None:
                    packed = Path(work) / "snapshot.db.gz"
                    fetch(snapshot, packed)
                    snapshot = Snapshot(packed, snapshot.manifest)
                _unpack(snapshot, unpacked)
                open_database(unpacked).close()  # refuses a damaged or foreign file
                return adopt(db, unpacked, source)
            except SnapshotRefused:
                continue
            except (OSError, ValueError, EOFError, StorageError) as exc:
                problems.append(
                    f"The team's snapshot of {snapshot.manifest.get('written_at', '?')} could "
                    f"not be used ({exc}); the team's changes are read one by one instead."
                )
    return 0


def _unpack(snapshot: Snapshot, target: Path) -> None:
    size = snapshot.data.stat().st_size
    expected = int(snapshot.manifest["bytes"])
    if size != expected:
        raise ValueError(f"it is incomplete, {size:,} of {expected:,} bytes")
    if size > MAX_SNAPSHOT_BYTES:
        raise ValueError("it is larger than any QA Monitor writes")
    digest = hashlib.sha256()
    with snapshot.data.open("rb") as raw:
        for block in iter(lambda: raw.read(_CHUNK), b""):
            digest.update(block)
    if digest.hexdigest() != snapshot.manifest["sha256"]:
        raise ValueError("its checksum does not match")
    limit = min(int(snapshot.manifest["unpacked"]), MAX_UNPACKED_BYTES)
    written = 0
    with gzip.open(snapshot.data, "rb") as packed, target.open("wb") as out:
        for block in iter(lambda: packed.read(_CHUNK), b""):
            written += len(block)
            if written > limit:
                raise ValueError("it unpacks to more than its description says")
            out.write(block)
