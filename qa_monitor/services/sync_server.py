"""Transport B: a team server on PostgreSQL (docs/sync.md, docs/team-server.md).

Each installation signs in with its own PostgreSQL login; who may read and write
which changes is decided by the server (roles and row-level security), never here.

- ``send``: a batch of this site's changes in one transaction (a change the server
  already has is left alone, so a repeated send is harmless). If the server refuses
  one, nothing of the batch is stored, the change is named in a sentence, and the
  local journal keeps everything for a later sync.
- ``incoming``: everyone else's changes after this installation's cursor, in pages;
  each page is applied with its cursor in one local transaction, so a connection lost
  mid-sync costs nothing: the next sync resumes after the last page applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa_monitor.core.sync_merge import Change
from qa_monitor.services.server_connect import (
    ServerAddress,
    connect,
    remember_password,
)
from qa_monitor.services.server_refusals import refusal_message
from qa_monitor.services.sync_transport import Batch, SyncReport, TransportError
from qa_monitor.storage.database import Database
from qa_monitor.storage.server_schema import FORMAT, MIN_SERVER_VERSION
from qa_monitor.storage.server_store import Member, ServerStore
from qa_monitor.storage.settings_repo import TEAM_ROLE, SettingsRepo
from qa_monitor.storage.sync_journal import SyncJournal

if TYPE_CHECKING:
    import psycopg

    from qa_monitor.services.team_sync import TeamSettings

PAGE = 5000
IDENTITY_KEY = "sync.identity"
ROLE_WORDS = {
    "admin": "admin",
    "supervisor": "supervisor",
    "reviewer": "reviewer",
    "agent": "agent",
}


class _Probe(Exception):
    """Rolls a probing savepoint back."""


class TeamServer:
    source = "server"

    def __init__(
        self, db: Database, settings: TeamSettings, password: str | None = None, *,
        page_size: int = PAGE, snapshots: bool = True,
    ):
        """``snapshots``: start from the team's snapshot when new, and store one when due
        (off only to measure the change-by-change path)."""
        self.db = db
        self.snapshots = snapshots
        self.address = ServerAddress(
            settings.host, settings.port, settings.database, settings.user, settings.sslmode
        )
        self.password = password
        self.page_size = page_size
        self.journal = SyncJournal(db)
        self.team = ""
        self.member: Member | None = None
        self._conn: psycopg.Connection[Any] | None = None

    # -- connecting ---------------------------------------------------------------------
    def open(self) -> None:
        conn = connect(self.address, self.password)
        try:
            self._check(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        if self.password is not None:
            remember_password(self.address, self.password)
        self._store_identity()

    def _check(self, conn: psycopg.Connection[Any]) -> None:
        import psycopg

        store = ServerStore(conn)
        where, name = self.address.where, self.address.database
        if conn.info.server_version < MIN_SERVER_VERSION:
            raise TransportError(
                f"The team server at {where} runs a PostgreSQL older than 13, which QA "
                "Monitor cannot use. Ask its administrator to upgrade it."
            )
        not_member = TransportError(
            f"'{self.address.user}' can sign in to {where} but is not a member of the team in "
            f"'{name}'. Ask the administrator to add you (qa-monitor server add-user)."
        )
        try:
            if not store.schema_exists():
                raise TransportError(
                    f"The database '{name}' on {where} is not set up as a QA Monitor team "
                    "server. Ask its administrator to run 'qa-monitor server init' "
                    "(docs/team-server.md)."
                )
            if store.is_superuser():
                raise TransportError(
                    f"'{self.address.user}' is a superuser on {where}; row-level security does "
                    "not apply to it, so QA Monitor will not sync with it. Sign in with your "
                    "own QA Monitor login (qa-monitor server add-user)."
                )
            meta = store.meta()
            self.member = store.me()
        except psycopg.errors.InsufficientPrivilege:
            raise not_member from None
        except psycopg.Error as exc:
            raise self._lost(exc) from exc
        if self.member is None:
            raise not_member
        if int(meta.get("format", "0")) > FORMAT:
            raise TransportError(
                f"The team server at {where} was set up by a newer QA Monitor. Update QA "
                "Monitor on this computer to sync with it."
            )
        self.team = meta.get("team", "")
        joined = self.journal.team()
        if joined is None:
            self.journal.join_team(self.team)
        elif joined != self.team:
            raise TransportError(
                f"The database '{name}' on {where} belongs to another team than the one this "
                "database syncs with. Nothing was synced; check the server settings."
            )
        try:
            held = store.site_last_seq(self.journal.site)
        except psycopg.Error as exc:
            raise self._lost(exc) from exc
        if held > self.journal.last_seq():
            raise TransportError(
                "This database has the same identity as another installation that already "
                f"sent {held} changes to the team server: it was probably copied from it. "
                "Nothing was synced. Use each database file on one computer only."
            )

    def _store_identity(self) -> None:
        with self.db.atomic():
            repo = SettingsRepo(self.db)
            repo.set(IDENTITY_KEY, self.identity())
            repo.set(TEAM_ROLE, None if self.member is None else self.member.role)

    def identity(self) -> str:
        if self.member is None:
            return ""
        role = ROLE_WORDS.get(self.member.role, self.member.role)
        return f"{self.member.display_name} ({role})"

    def describe(self) -> str:
        if self.member is None:
            return ""
        self._store_identity()
        role = ROLE_WORDS.get(self.member.role, self.member.role)
        return (
            f"Connected to {self.address.database} on {self.address.where} as "
            f"{self.member.display_name} ({role})."
        )

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    @property
    def conn(self) -> psycopg.Connection[Any]:
        if self._conn is None:
            raise TransportError("The team server connection is not open.")
        return self._conn

    def _lost(self, exc: Exception) -> TransportError:
        return TransportError(
            f"The connection to the team server at {self.address.where} was lost during the "
            f"sync ({str(exc).strip().splitlines()[0] if str(exc).strip() else 'no reason'}). "
            "Nothing was half-applied; the next sync resumes where this one stopped."
        )

    # -- sending ------------------------------------------------------------------------
    def send(self, changes: list[Change]) -> None:
        import psycopg

        store = ServerStore(self.conn)
        try:
            with self.conn.transaction():
                store.insert(changes)
        except (
            psycopg.errors.InsufficientPrivilege,
            psycopg.errors.DataError,
            psycopg.errors.IntegrityError,
        ) as exc:
            raise self._refused(changes, exc) from exc
        except psycopg.errors.LockNotAvailable:
            raise TransportError(
                f"The team server at {self.address.where} is busy storing another "
                "installation's changes. Nothing was lost; the next sync tries again."
            ) from None
        except psycopg.Error as exc:
            raise self._lost(exc) from exc

    def _refused(self, changes: list[Change], exc: Exception) -> TransportError:
        """Find the first change the server refuses (the batch is all or nothing, and the
        server does not say which row), by bisecting prefixes inside savepoints."""
        import psycopg

        store = ServerStore(self.conn)
        lo, hi, error = 0, len(changes), exc
        try:
            with self.conn.transaction():
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    try:
                        with self.conn.transaction():
                            store.insert(changes[:mid])
                            raise _Probe
                    except _Probe:
                        lo = mid
                    except psycopg.Error as probe:
                        hi, error = mid, probe
                raise psycopg.Rollback
        except psycopg.OperationalError as lost:
            return self._lost(lost)
        role = self.member.role if self.member else ""
        text = getattr(getattr(error, "diag", None), "message_primary", None) or str(error)
        return TransportError(refusal_message(self.db, changes[hi - 1], role, text))

    # -- receiving ----------------------------------------------------------------------
    # -- snapshots (services/sync_snapshot.py) -------------------------------------------
    def start_from_snapshot(self, problems: list[str]) -> int:
        """A new installation of a supervisor, admin or reviewer starts from the team's
        newest snapshot on the server (an agent's login may not read them, and reads
        only its own records anyway)."""
        import psycopg

        from qa_monitor.services.sync_snapshot import Snapshot, adopt_first, on_server
        from qa_monitor.storage.sync_snapshot import is_pristine

        if not self.snapshots or self.member is None or self.member.role == "agent":
            return 0
        if not is_pristine(self.db.conn):
            return 0
        store = ServerStore(self.conn)
        try:
            found = on_server(store.snapshots(), self.team)
        except psycopg.Error as exc:
            raise self._lost(exc) from exc

        def fetch(snapshot: Snapshot, path: Path) -> None:
            try:
                with path.open("wb") as out:
                    for part in store.snapshot_parts(int(snapshot.manifest["id"])):
                        out.write(part)
            except psycopg.Error as exc:
                raise self._lost(exc) from exc

        return adopt_first(self.db, found, self.source, problems, fetch)

    def after_sync(self, report: SyncReport, cancelled: Callable[[], bool] | None = None) -> None:
        """After a clean sync, a supervisor's or admin's installation publishes a
        snapshot when one is due."""
        import psycopg

        from qa_monitor.services.sync_snapshot import due_after, on_server, publish_to_server
        from qa_monitor.storage.errors import StorageError
        from qa_monitor.storage.sync_snapshot import SnapshotRefused

        if not self.snapshots or not report.clean or self.member is None:
            return
        if self.member.role not in ("admin", "supervisor"):
            return
        store = ServerStore(self.conn)
        try:
            newest = on_server(store.snapshots(), self.team)
            if not due_after(self.db, newest):
                return
            publish_to_server(self.db, store, self.team, cancelled=cancelled)
        except SnapshotRefused:
            return
        except (OSError, StorageError, psycopg.Error) as exc:
            report.problems.append(
                f"A snapshot of the team's data could not be stored on the team server "
                f"({exc}); new installations read the changes one by one meanwhile."
            )

    def publish_snapshot(self) -> int:
        """Publish a snapshot now; evaluations in it."""
        from qa_monitor.services.sync_snapshot import publish_to_server

        self.open()
        try:
            built = publish_to_server(self.db, ServerStore(self.conn), self.team)
        finally:
            self.close()
        return int(built.manifest["evaluations"])

    def incoming(self, problems: list[str]) -> Iterator[Batch]:
        import psycopg

        store = ServerStore(self.conn)
        site = self.journal.site
        after = self.journal.cursor(self.source, self.team)
        try:
            upto = store.last_cursor()
            while after < upto:
                page = store.page(after, upto, site, self.page_size)
                last = page[-1][0] if len(page) == self.page_size else upto
                yield Batch([c for _, c in page], self.team, last)
                after = last
        except psycopg.Error as exc:
            raise self._lost(exc) from exc
