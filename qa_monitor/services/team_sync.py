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

from qa_monitor.services.common import Changes, Clock, system_clock
from qa_monitor.services.sync_service import Progress, run_sync
from qa_monitor.services.sync_transport import SyncReport, Transport, TransportError
from qa_monitor.storage.database import Database, open_database
from qa_monitor.storage.settings_repo import SettingsRepo
from qa_monitor.storage.sync_journal import ConflictRow, SyncJournal

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


def changes_of(report: SyncReport) -> Changes:
    """Which screens a sync's applied records concern."""
    e = report.entities
    return Changes(
        evaluations=bool(e & {"evaluation", "audit"}),
        interactions=bool(e & {"interaction", "evaluation"}),
        forms=bool(e & {"form", "form_version"}),
        people=bool(e & {"team", "agent", "reviewer"}),
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
        stored = self._settings.get(SETTINGS_KEY)
        if not stored:
            return TeamSettings()
        try:
            data = json.loads(stored)
            data["mode"] = SyncMode(data.get("mode", "off"))
            return replace(TeamSettings(), **data)
        except (ValueError, TypeError):
            return TeamSettings()

    def save_team_settings(self, settings: TeamSettings) -> Changes:
        """Store ``settings``; ValueError (a sentence) when they cannot work."""
        problems = settings.problems()
        if problems:
            raise ValueError(" ".join(problems))
        with self._db.conn:
            self._settings.set(SETTINGS_KEY, json.dumps(asdict(settings)))
        return Changes(settings=True)

    # -- status -------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        settings = self.team_settings()
        source = self._source(settings)
        pending = self._journal.pending_count(source) if source else 0
        return SyncStatus(
            mode=settings.mode,
            site=self._journal.site,
            pending=pending,
            conflicts=len(self._journal.conflicts()),
            last=self._last(),
            identity=self._settings.get("sync.identity") or "",
        )

    @staticmethod
    def _source(settings: TeamSettings) -> str:
        return {SyncMode.FOLDER: "folder", SyncMode.SERVER: "server"}.get(settings.mode, "")

    def _last(self) -> LastSync | None:
        stored = self._settings.get(LAST_KEY)
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

    def conflicts(self) -> list[ConflictRow]:
        return self._journal.conflicts()

    # -- syncing ------------------------------------------------------------------------
    def test_connection(self, settings: TeamSettings, password: str | None = None) -> str:
        """Open the transport once and say in a sentence what was found."""
        transport = self._factory(self._db, settings, password)
        transport.open()
        try:
            describe = getattr(transport, "describe", None)
            return describe() if callable(describe) else "The team folder can be used."
        finally:
            transport.close()

    def sync_now(
        self,
        *,
        password: str | None = None,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SyncReport:
        """One sync on a connection of its own (safe on a worker thread). Its outcome
        is stored for ``status``; TransportError when it could not start."""
        settings = self.team_settings()
        db = open_database(Path(self._db.path))
        try:
            try:
                report = run_sync(
                    db,
                    self._factory(db, settings, password),
                    progress=progress,
                    cancelled=cancelled,
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
        with db.conn:
            SettingsRepo(db).set(LAST_KEY, json.dumps(data, ensure_ascii=False))
