"""Installations meeting through the team server, as the tests drive them."""

from __future__ import annotations

from typing import Any

from qa_monitor.services import Services
from qa_monitor.services.sync_server import TeamServer
from qa_monitor.services.sync_service import run_sync
from qa_monitor.services.sync_transport import SyncReport
from qa_monitor.storage.sync_journal import SyncJournal
from tests.factories import passing_answers
from tests.server.conftest import TeamDb


class Site:
    """One installation (its own SQLite file) and its login on the team server."""

    def __init__(self, services: Services, team_db: TeamDb, login: str, password: str):
        self.s = services
        self.team_db = team_db
        self.login = login
        self.password = password

    def server(self, password: str | bool | None = True) -> TeamServer:
        chosen = self.password if password is True else (password or None)
        return TeamServer(self.s.db, self.team_db.settings(self.login), chosen)

    def sync(self, **kw: Any) -> SyncReport:
        report = run_sync(self.s.db, self.server(), **kw)
        assert report.problems == [], report.problems
        return report

    @property
    def journal(self) -> SyncJournal:
        return SyncJournal(self.s.db)

    def digest(self) -> str:
        return self.journal.digest()


def submit(s: Services, interaction_id: int, version_id: int, reviewer_id: int) -> int:
    ev = s.evaluations.start_evaluation(interaction_id, version_id, reviewer_id)
    s.evaluations.save_draft(ev.id, passing_answers())
    result = s.evaluations.submit(ev.id)
    assert result.ok
    return ev.id


def local_id(s: Services, table: str, name: str) -> int:
    return int(s.db.execute(f"SELECT id FROM {table} WHERE name = ?", [name]).fetchone()[0])


def server_count(team_db: TeamDb, where: str = "true") -> int:
    with team_db.admin() as conn:
        row = conn.execute(f"SELECT count(*) FROM qa.changes WHERE {where}").fetchone()
        return int(row[0]) if row else 0
