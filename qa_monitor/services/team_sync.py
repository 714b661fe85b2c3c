"""Team sync as the app and the CLI use it: settings, status, sync now, conflicts.

A sync runs on its own connection (``sync_now`` opens one), so the app can run it on
a worker thread while the screens keep reading. Its outcome is stored, so the status
bar can say when the last sync was and what went wrong, in words.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import cast

import sqlite_utils

from qa_monitor.services.cancellation import CancelToken, run_readonly
from qa_monitor.services.common import NO_CHANGES, Changes, Clock, system_clock
from qa_monitor.services.sync_conflicts import ConflictDetail, ConflictReader
from qa_monitor.services.sync_service import Progress, run_sync
from qa_monitor.services.sync_transport import SyncReport, Transport, TransportError
from qa_monitor.storage.database import Database, open_database
from qa_monitor.storage.settings_repo import TEAM_ROLE, SettingsRepo
from qa_monitor.storage.sync_journal import ConflictRow, SyncJournal
from qa_monitor.storage.values import utc_text

SETTINGS_KEY = "sync.settings"
LAST_KEY = "sync.last"
MIN_INTERVAL, MAX_INTERVAL = 1, 24 * 60


class SyncMode(StrEnum):
    OFF = "off"
    FOLDER = "folder"
    SERVER = "server"


@dataclass(frozen=True)
class TeamSettings:
    """How this installation meets its team. The server password is never stored here
    (see ``sync_server``: libpq's password file in the data directory)."""

    mode: SyncMode = SyncMode.OFF
    folder: str = ""
    host: str = ""
    port: int = 5432
    database: str = ""
    user: str = ""
    sslmode: str = "prefer"
    interval_minutes: int = 5

    def problems(self) -> list[str]:
        """What keeps these settings from working, as sentences (empty: fine)."""
        found = []
        if self.mode is SyncMode.FOLDER and not self.folder.strip():
            found.append("Choose the team folder to sync through.")
        if self.mode is SyncMode.SERVER:
            if not self.host.strip():
                found.append("Give the team server's host name.")
            if not self.database.strip():
                found.append("Give the name of the team's database on the server.")
            if not self.user.strip():
                found.append("Give your user name on the team server.")
            if not 1 <= self.port <= 65535:
                found.append("The server port is a number from 1 to 65535 (usually 5432).")
        if not MIN_INTERVAL <= self.interval_minutes <= MAX_INTERVAL:
            found.append(
                f"Sync every {MIN_INTERVAL} to {MAX_INTERVAL} minutes "
                f"(not {self.interval_minutes})."
            )
        return found


@dataclass(frozen=True)
class LastSync:
    at: datetime
    ok: bool
    sent: int
    received: int
    conflicts: int
    problems: tuple[str, ...]


@dataclass(frozen=True)
class SyncStatus:
    mode: SyncMode
    site: str
    pending: int  # local changes not sent yet
    conflicts: int  # listed, not dismissed
    last: LastSync | None
    identity: str  # who I am on the team ("" when not known)


# Entities whose changes the programme's screens show (queue, coaching, calibration).
_PROGRAMME = frozenset(
    {
        "sampling_rule",
        "queue_item",
        "coaching",
        "coaching_action",
        "calibration_session",
        "calibration_entry",
        "calibration_note",
    }
)


def changes_of(report: SyncReport) -> Changes:
    """Which screens a sync's applied records concern."""
    e = report.entities
    return Changes(
        evaluations=bool(e & {"evaluation", "audit"}),
        interactions=bool(e & {"interaction", "evaluation"}),
        forms=bool(e & {"form", "form_version"}),
        people=bool(e & {"team", "agent", "reviewer"}),
        settings="setting" in e,
        programme=bool(e & _PROGRAMME),
    )


TransportFactory = Callable[[Database, TeamSettings, str | None], Transport]


def default_transport(db: Database, settings: TeamSettings, password: str | None) -> Transport:
    if settings.mode is SyncMode.FOLDER:
        from qa_monitor.services.sync_folder import TeamFolder

        return TeamFolder(db, settings.folder)
    if settings.mode is SyncMode.SERVER:
        from qa_monitor.services.sync_server import TeamServer

        return TeamServer(db, settings, password)
    raise TransportError("Team sync is off. Choose a team folder or server in Settings ▸ Team.")


class TeamSyncService:
    def __init__(
        self,
        db: Database,
        *,
        clock: Clock = system_clock,
        transport_factory: TransportFactory = default_transport,
    ):
        self._db = db
        self._settings = SettingsRepo(db)
        self._journal = SyncJournal(db)
        self._clock = clock
        self._factory = transport_factory

    # -- settings -----------------------------------------------------------------------
    def team_settings(self) -> TeamSettings:
        return _read_settings(self._settings)

    def save_team_settings(self, settings: TeamSettings) -> Changes:
        """Store ``settings``; ValueError (a sentence) when they cannot work."""
        problems = settings.problems()
        if problems:
            raise ValueError(" ".join(problems))
        with self._db.atomic():
            self._settings.set(SETTINGS_KEY, json.dumps(asdict(settings)))
            if settings.mode is not SyncMode.SERVER:
                self._settings.set(TEAM_ROLE, None)  # no server gives this login a role
        return Changes(settings=True)

    # -- status -------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        """Mode, changes waiting, conflicts listed, the last sync: a few indexed reads."""
        return _read_status(self._db)

    def identity(self) -> tuple[str, str]:
        """This installation's site id, and who the team server says I am ("" until
        it has said so): two key lookups, cheap enough for the GUI thread."""
        return self._journal.site, self._settings.get("sync.identity") or ""

    def read_status(self, cancel: CancelToken | None = None) -> SyncStatus:
        """``status()`` on a read-only connection of the calling thread (for a worker)."""
        return run_readonly(self._db.path, _read_status, cancel)

    def conflicts(self) -> list[ConflictRow]:
        return self._journal.conflicts()

    def conflict_details(self, cancel: CancelToken | None = None) -> list[ConflictDetail]:
        """Every listed conflict as the Sync conflicts view shows it, read on a
        read-only connection of the calling thread (safe on a worker)."""

        def read(db: sqlite_utils.Database) -> list[ConflictDetail]:
            # The reader only queries, which a plain connection offers.
            return ConflictReader(cast(Database, db)).details()

        return run_readonly(self._db.path, read, cancel)

    def dismiss_conflict(self, row: ConflictRow) -> Changes:
        """Mark a conflict as seen: it leaves the list; both versions stay in the
        record's history. Dismissing one already dismissed changes nothing."""
        self._journal.dismiss_conflict(row, utc_text(self._clock()))
        return NO_CHANGES  # no screen shows conflicts but the view and the status bar

    # -- syncing ------------------------------------------------------------------------
    def test_connection(self, settings: TeamSettings, password: str | None = None) -> str:
        """Open the transport once and say in a sentence what was found. Runs on a
        connection of its own (safe on a worker thread); TransportError when it cannot
        be used, ValueError when ``settings`` are incomplete."""
        problems = settings.problems()
        if problems:
            raise ValueError(" ".join(problems))
        db = open_database(Path(self._db.path))
        try:
            transport = self._factory(db, settings, password)
            transport.open()
            try:
                describe = getattr(transport, "describe", None)
                return describe() if callable(describe) else "The team folder can be used."
            finally:
                transport.close()
        finally:
            db.close()

    def sync_now(
        self,
        *,
        password: str | None = None,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        publish: bool = True,
    ) -> SyncReport:
        """One sync on a connection of its own (safe on a worker thread). Its outcome
        is stored for ``status``; TransportError when it could not start. ``publish``:
        as ``run_sync``'s."""
        db = open_database(Path(self._db.path))
        try:
            # Read on this connection: the service's own belongs to the GUI thread.
            settings = _read_settings(SettingsRepo(db))
            try:
                report = run_sync(
                    db,
                    self._factory(db, settings, password),
                    progress=progress,
                    cancelled=cancelled,
                    publish=publish,
                )
            except TransportError as exc:
                self._record(db, SyncReport(problems=[str(exc)]), ok=False)
                raise
            self._record(db, report, ok=report.clean)
            return report
        finally:
            db.close()

    def _record(self, db: Database, report: SyncReport, *, ok: bool) -> None:
        data = {
            "at": self._clock().isoformat(),
            "ok": ok,
            "sent": report.sent,
            "received": report.received,
            "conflicts": report.conflicts,
            "problems": report.problems[:20],
        }
        with db.atomic():
            SettingsRepo(db).set(LAST_KEY, json.dumps(data, ensure_ascii=False))


def _read_settings(repo: SettingsRepo) -> TeamSettings:
    stored = repo.get(SETTINGS_KEY)
    if not stored:
        return TeamSettings()
    try:
        data = json.loads(stored)
        data["mode"] = SyncMode(data.get("mode", "off"))
        return replace(TeamSettings(), **data)
    except (ValueError, TypeError):
        return TeamSettings()


def _source(settings: TeamSettings) -> str:
    return {SyncMode.FOLDER: "folder", SyncMode.SERVER: "server"}.get(settings.mode, "")


def _read_status(db: sqlite_utils.Database) -> SyncStatus:
    # Storage classes only query here, which a plain (read-only) connection offers.
    database = cast(Database, db)
    repo, journal = SettingsRepo(database), SyncJournal(database)
    settings = _read_settings(repo)
    source = _source(settings)
    return SyncStatus(
        mode=settings.mode,
        site=journal.site,
        pending=journal.pending_count(source) if source else 0,
        conflicts=journal.conflict_count(),
        last=_last(repo),
        identity=repo.get("sync.identity") or "",
    )


def _last(repo: SettingsRepo) -> LastSync | None:
    stored = repo.get(LAST_KEY)
    if not stored:
        return None
    data = json.loads(stored)
    return LastSync(
        at=datetime.fromisoformat(data["at"]),
        ok=bool(data["ok"]),
        sent=int(data["sent"]),
        received=int(data["received"]),
        conflicts=int(data["conflicts"]),
        problems=tuple(data["problems"]),
    )
