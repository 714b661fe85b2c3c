"""Transport A: a team folder, no server (docs/sync.md).

Any shared folder works: an SMB share, a synced cloud folder, a USB stick. Layout::

    TEAM/qa-monitor-team.json          {"format": 1, "team": "<uuid>", "created_at": ...}
    TEAM/sites/<site>/<first>-<last>.changes.gz   gzip'd JSON lines, one change each
    TEAM/sites/<site>/<first>-<last>.json         manifest: format, team, site, first,
                                                  last, count, bytes, sha256

Each installation creates files only in its own ``sites/<site>`` folder and never
rewrites one. A batch is written to a temporary name, flushed to disk and renamed;
its manifest is written the same way afterwards. A reader trusts a batch only when
its manifest is there and the data's length and SHA-256 match it, so a file a sync
client is still copying, or a damaged one, is skipped with a message and retried at
the next sync. Sizes are checked before anything is decompressed or parsed.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from qa_monitor.core.sync_clock import uuid7
from qa_monitor.core.sync_merge import Change
from qa_monitor.services.sync_transport import Batch, SyncReport, TransportError
from qa_monitor.storage.database import Database
from qa_monitor.storage.sync_apply import fields_text
from qa_monitor.storage.sync_journal import SyncJournal

FORMAT = 1
TEAM_FILE = "qa-monitor-team.json"
BATCH_CHANGES = 5000
MAX_BATCH_BYTES = 64 * 1024 * 1024  # compressed
MAX_BATCH_UNPACKED = 512 * 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024
_MANIFEST = re.compile(r"^(\d{12})-(\d{12})\.json$")


class FolderError(TransportError):
    """The team folder cannot be used; the message says why and what to do."""


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _change_line(change: Change) -> str:
    """One change per line: a small JSON header, a tab, the fields' JSON as stored
    (JSON text never holds a raw tab, so the first tab splits them)."""
    head = [change.site, change.seq, change.hlc, change.entity, change.uuid, change.base,
            int(change.deleted)]
    return json.dumps(head, separators=(",", ":")) + "\t" + fields_text(change) + "\n"


def _change_from_line(line: str) -> Change:
    head_text, fields_json = line.split("\t", 1)
    site, seq, hlc, entity, uuid, base, deleted = orjson.loads(head_text)
    fields = orjson.loads(fields_json)
    if not isinstance(fields, dict):
        raise ValueError("a change's fields are not an object")
    return Change(
        site=str(site),
        seq=int(seq),
        hlc=int(hlc),
        entity=str(entity),
        uuid=str(uuid),
        fields=fields,
        base=int(base),
        deleted=bool(deleted),
        fields_json=fields_json,
    )


class TeamFolder:
    """One team folder as seen from one database."""

    def __init__(self, db: Database, root: str | Path, *, snapshots: bool = True):
        """``snapshots``: start from the team's snapshot when new, and publish one when
        due (off only to measure the change-by-change path)."""
        self.db = db
        self.snapshots = snapshots
        self.root = Path(root).expanduser()
        self.journal = SyncJournal(db)
        self.source = "folder"
        self.team = ""

    # -- joining -------------------------------------------------------------------------
    def team_id(self) -> str:
        """The folder's team id, creating the team file in an empty folder."""
        if not self.root.is_dir():
            raise FolderError(
                f"The team folder '{self.root}' does not exist or cannot be reached. "
                "Check that the share is connected, or choose another folder."
            )
        path = self.root / TEAM_FILE
        if not path.exists():
            if any(self.root.iterdir()):
                raise FolderError(
                    f"'{self.root}' is not empty and is not a QA Monitor team folder. "
                    "Choose an empty folder to start a team, or the team's existing folder."
                )
            info = {"format": FORMAT, "team": uuid7(), "created_at": _now()}
            _write_atomic(path, json.dumps(info, indent=2).encode())
        try:
            if path.stat().st_size > MAX_MANIFEST_BYTES:
                raise ValueError("too large")
            info = json.loads(path.read_text(encoding="utf-8"))
            team = str(info["team"])
            fmt = int(info["format"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise FolderError(
                f"The team file '{path}' cannot be read ({exc}). Nothing was synced; "
                "check the folder, or ask whoever set it up."
            ) from exc
        if fmt > FORMAT:
            raise FolderError(
                f"The team folder '{self.root}' was set up by a newer QA Monitor. "
                "Update QA Monitor on this computer to sync with it."
            )
        joined = self.journal.team()
        if joined is None:
            self.journal.join_team(team)
        elif joined != team:
            raise FolderError(
                f"'{self.root}' belongs to another team than the one this database syncs "
                "with. Nothing was synced; choose this team's folder."
            )
        return team

    # -- the transport's side of a sync (services/sync_service.py runs it) ----------
    def open(self) -> None:
        self.team = self.team_id()
        self._check_identity(self.team)

    def close(self) -> None:
        """Nothing stays open between syncs."""

    def sync(self) -> SyncReport:
        """One whole sync through this folder (send, then receive)."""
        from qa_monitor.services.sync_service import run_sync

        return run_sync(self.db, self)

    # -- snapshots (services/sync_snapshot.py) -------------------------------------------
    def start_from_snapshot(self, problems: list[str]) -> int:
        """Adopt the team's snapshot if this installation is new; evaluations brought."""
        from qa_monitor.services.sync_snapshot import start_from

        if not self.snapshots:
            return 0
        return start_from(self.db, self.root, self.team, problems)

    def after_sync(self, report: SyncReport, cancelled: Callable[[], bool] | None = None) -> None:
        """After a clean sync, publish a snapshot when one is due (``cancelled``: stop
        between its steps)."""
        from qa_monitor.services.sync_snapshot import due, publish
        from qa_monitor.storage.errors import StorageError
        from qa_monitor.storage.sync_snapshot import SnapshotRefused

        if not self.snapshots or not report.clean:
            return
        if not due(self.db, self.root, self.team, datetime.now(UTC)):
            return
        try:
            publish(self.db, self.root, self.team, cancelled=cancelled)
        except SnapshotRefused:
            return
        except (OSError, StorageError) as exc:
            report.problems.append(
                f"A snapshot of the team's data could not be written to '{self.root}' "
                f"({exc}); new installations read the changes one by one meanwhile."
            )

    def publish_snapshot(self) -> int:
        """Publish a snapshot now (``qa-monitor sync snapshot``); evaluations in it."""
        from qa_monitor.services.sync_snapshot import publish

        self.open()
        return int(publish(self.db, self.root, self.team).manifest["evaluations"])

    def _site_dir(self, site: str) -> Path:
        return self.root / "sites" / site

    def _check_identity(self, team: str) -> None:
        """Refuse to write when our folder already holds changes we never made: this
        database is a copy of another installation's."""
        mine = self.journal.site
        newest = max((m["last"] for m in self._manifests(team, mine, [])), default=0)
        if newest > self.journal.last_seq():
            raise FolderError(
                "This database has the same identity as another installation that already "
                f"wrote {newest} changes to the team folder: it was probably copied from it. "
                "Nothing was synced. Use each database file on one computer only."
            )

    def send(self, changes: list[Change]) -> None:
        """Write ``changes`` (this site's, in sequence order) as one batch."""
        site = self.journal.site
        folder = self._site_dir(site)
        folder.mkdir(parents=True, exist_ok=True)
        first, last = changes[0].seq, changes[-1].seq
        lines = "".join(_change_line(c) for c in changes)
        data = gzip.compress(lines.encode("utf-8"), compresslevel=6, mtime=0)
        name = f"{first:012d}-{last:012d}"
        _write_atomic(folder / f"{name}.changes.gz", data)
        manifest = {
            "format": FORMAT,
            "team": self.team,
            "site": site,
            "first": first,
            "last": last,
            "count": len(changes),
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "written_at": _now(),
        }
        _write_atomic(folder / f"{name}.json", json.dumps(manifest, indent=1).encode())

    def _manifests(self, team: str, site: str, problems: list[str]) -> Iterator[dict[str, Any]]:
        folder = self._site_dir(site)
        if not folder.is_dir():
            return
        for path in sorted(folder.iterdir()):
            if not _MANIFEST.match(path.name):
                continue
            try:
                if path.stat().st_size > MAX_MANIFEST_BYTES:
                    raise ValueError("the manifest is larger than any QA Monitor writes")
                manifest = json.loads(path.read_text(encoding="utf-8"))
                for key in ("format", "team", "site", "first", "last", "bytes", "sha256"):
                    if key not in manifest:
                        raise ValueError(f"'{key}' is missing")
            except (OSError, ValueError) as exc:
                problems.append(
                    f"Skipped '{path}': it cannot be read ({exc}). It will be tried again "
                    "at the next sync."
                )
                continue
            if int(manifest["format"]) > FORMAT:
                problems.append(
                    f"Skipped '{path}': it was written by a newer QA Monitor. Update QA "
                    "Monitor on this computer to read it; nothing else was affected."
                )
                continue
            if manifest["team"] != team or manifest["site"] != site:
                problems.append(
                    f"Skipped '{path}': it belongs to another team's folder. Remove it from "
                    "this folder; nothing was applied from it."
                )
                continue
            yield manifest

    def incoming(self, problems: list[str]) -> Iterator[Batch]:
        """Every other site's batches not read yet, in sequence order per site."""
        sites_dir = self.root / "sites"
        if not sites_dir.is_dir():
            return
        mine = self.journal.site
        for site_dir in sorted(sites_dir.iterdir()):
            site = site_dir.name
            if site == mine or not site_dir.is_dir():
                continue
            cursor = self.journal.cursor(self.source, site)
            wanted: list[tuple[dict[str, Any], int]] = []
            for manifest in sorted(
                self._manifests(self.team, site, problems), key=lambda m: int(m["first"])
            ):
                first, last = int(manifest["first"]), int(manifest["last"])
                if last <= cursor:
                    continue
                if first > cursor + 1:
                    problems.append(
                        f"Changes {cursor + 1}–{first - 1} of another installation have not "
                        "arrived in the team folder yet; its later changes wait for them."
                    )
                    break
                wanted.append((manifest, cursor))
                cursor = last
            yield from self._read_ahead(site_dir, site, wanted, problems)

    def _read_ahead(
        self,
        site_dir: Path,
        site: str,
        manifests: list[tuple[dict[str, Any], int]],
        problems: list[str],
    ) -> Iterator[Batch]:
        """The batches of ``manifests`` (each with the sequence read before it) in order.

        Each file is read, checked and decoded on a second thread while the batch
        before it is applied, so unpacking runs beside SQLite's work (SQLite lets go
        of the interpreter while it writes). That thread only reads files; the
        database stays on the caller's thread."""
        if not manifests:
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-read") as pool:
            ahead = pool.submit(self._read_batch, site_dir, manifests[0][0])
            for i, (manifest, after) in enumerate(manifests):
                try:
                    changes = ahead.result()
                except FolderError as exc:
                    problems.append(str(exc))
                    return
                if i + 1 < len(manifests):
                    ahead = pool.submit(self._read_batch, site_dir, manifests[i + 1][0])
                # A file may hold changes already read from an earlier, overlapping one.
                yield Batch([c for c in changes if c.seq > after], site, int(manifest["last"]))

    def _read_batch(self, site_dir: Path, manifest: dict[str, Any]) -> list[Change]:
        name = f"{int(manifest['first']):012d}-{int(manifest['last']):012d}.changes.gz"
        path = site_dir / name
        later = "It will be tried again at the next sync."
        try:
            size = path.stat().st_size
        except OSError:
            raise FolderError(f"'{path}' has not arrived yet. {later}") from None
        if size != int(manifest["bytes"]):
            raise FolderError(
                f"'{path}' is incomplete ({size:,} of {int(manifest['bytes']):,} bytes); a sync "
                f"client may still be copying it. {later}"
            )
        if size > MAX_BATCH_BYTES:
            raise FolderError(f"Skipped '{path}': it is larger than any QA Monitor writes.")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != manifest["sha256"]:
            raise FolderError(f"'{path}' is damaged (its checksum does not match). {later}")
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                text = gz.read(MAX_BATCH_UNPACKED + 1)
            if len(text) > MAX_BATCH_UNPACKED:
                raise ValueError("it unpacks to more than any QA Monitor writes")
            # Split on newlines only: str.splitlines would also split inside a comment
            # holding U+2028 or other line separators, which JSON leaves as they are.
            lines = text.decode("utf-8").split("\n")
            changes = [_change_from_line(line) for line in lines if line]
        except (OSError, EOFError, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise FolderError(f"'{path}' cannot be read ({exc}). {later}") from exc
        expected = list(range(int(manifest["first"]), int(manifest["last"]) + 1))
        if [c.seq for c in changes] != expected or any(
            c.site != manifest["site"] for c in changes
        ):
            raise FolderError(f"'{path}' does not hold the changes its manifest names. {later}")
        return changes


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
