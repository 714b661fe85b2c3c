"""A stand-in for the PostgreSQL team server behind TeamSyncService, for UI tests of the
server mode (the real one is tested against PostgreSQL in tests/sync). The team folder
mode goes to the real transport. Not a test module."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from qa_monitor.core.sync_merge import Change
from qa_monitor.services.sync_transport import Batch, Transport, TransportError
from qa_monitor.services.team_sync import SyncMode, TeamSettings, default_transport
from qa_monitor.storage.database import Database
from qa_monitor.storage.settings_repo import SettingsRepo


@dataclass
class FakeServer:
    refuse: str = ""  # the sentence open() fails with, when set
    passwords: list[str | None] = field(default_factory=list)
    threads: list[str] = field(default_factory=list)
    sent: list[Change] = field(default_factory=list)
    refused: TransportError | None = None
    # Set to make send() wait (a slow network), released by the test.
    hold: threading.Event | None = None

    def factory(self, db: Database, settings: TeamSettings, password: str | None) -> Transport:
        if settings.mode is not SyncMode.SERVER:
            return default_transport(db, settings, password)
        self.passwords.append(password)
        return _FakeTransport(self, db, settings)


class _FakeTransport:
    source = "server"

    def __init__(self, server: FakeServer, db: Database, settings: TeamSettings):
        self.server, self.db, self.settings = server, db, settings

    def open(self) -> None:
        self.server.threads.append(threading.current_thread().name)
        if self.server.refuse:
            self.server.refused = TransportError(self.server.refuse)
            raise self.server.refused
        with self.db.conn:
            SettingsRepo(self.db).set("sync.identity", f"{self.settings.user} (reviewer)")

    def describe(self) -> str:
        s = self.settings
        return f"Connected to {s.database} on {s.host} as {s.user} (reviewer)."

    def send(self, changes: list[Change]) -> None:
        if self.server.hold is not None:
            self.server.hold.wait(30)
        self.server.sent.extend(changes)

    def incoming(self, problems: list[str]) -> Iterator[Batch]:
        return iter(())

    def close(self) -> None:
        pass
