"""Bad input and bad luck with the team server: each gives a clear sentence, loses
nothing, and the next sync completes."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from qa_monitor.services import Services
from qa_monitor.services.server_connect import ServerAuthError
from qa_monitor.services.sync_server import TeamServer
from qa_monitor.services.sync_service import run_sync
from qa_monitor.services.sync_transport import TransportError
from qa_monitor.storage.database import open_database
from qa_monitor.storage.server_schema import WRITER_LOCK
from tests.factories import FakeClock, seed
from tests.server.conftest import TeamDb
from tests.server.helpers import Site, server_count
from tests.server.throwaway_pg import _free_port


@pytest.fixture
def pair(
    tmp_path: Path, team_db: TeamDb, passfile_dir: Path
) -> Iterator[tuple[Site, Site]]:
    """A supervisor's installation with data, and a second (empty) one."""
    a = Services.open(tmp_path / "a.db", clock=FakeClock())
    b = Services.open(tmp_path / "b.db", clock=FakeClock())
    seed(a)
    for n in range(30):
        a.people.add_reviewer(f"Reviewer {n:02d}")
    yield (
        Site(a, team_db, *team_db.add("supervisor", name="Maryam")),
        Site(b, team_db, *team_db.add("admin", name="Ali")),
    )
    a.close()
    b.close()


def _open(site: Site, password: str | None, **settings: object) -> None:
    chosen = replace(site.team_db.settings(site.login), **settings)  # type: ignore[arg-type]
    TeamServer(site.s.db, chosen, password).open()


def test_wrong_password(pair: tuple[Site, Site]) -> None:
    a, _b = pair
    with pytest.raises(ServerAuthError) as caught:
        _open(a, "not-the-password")
    assert str(caught.value) == (
        f"The team server at {a.server().address.where} refused the password for "
        f"'{a.login}'. Type it again, or ask the server's administrator to reset it. "
        "Nothing was synced."
    )


def test_no_password_at_all(pair: tuple[Site, Site]) -> None:
    a, _b = pair
    with pytest.raises(ServerAuthError, match=f"asks for the password of '{a.login}'"):
        _open(a, None)


def test_unreachable_server(pair: tuple[Site, Site]) -> None:
    a, _b = pair
    port = _free_port()
    with pytest.raises(TransportError) as caught:
        _open(a, a.password, port=port)
    assert str(caught.value) == (
        f"The team server at 127.0.0.1:{port} cannot be reached: nothing answers on that "
        "port. Check the host and port in Settings ▸ Team; nothing was synced, and the next "
        "sync tries again."
    )


def test_no_such_database(pair: tuple[Site, Site]) -> None:
    a, _b = pair
    with pytest.raises(TransportError, match="has no database called 'nope'"):
        _open(a, a.password, database="nope")


def test_database_without_the_team_schema(pair: tuple[Site, Site], pg_dsn: str) -> None:
    a, _b = pair
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS qa_test_bare")
        conn.execute("CREATE DATABASE qa_test_bare")
    try:
        with pytest.raises(TransportError, match="is not set up as a QA Monitor team server"):
            _open(a, a.password, database="qa_test_bare")
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute("DROP DATABASE qa_test_bare WITH (FORCE)")


def test_a_login_that_is_not_a_member(pair: tuple[Site, Site], team_db: TeamDb) -> None:
    a, _b = pair
    with team_db.admin() as conn:
        conn.execute("DELETE FROM qa.members WHERE login = %s", [a.login])
    with pytest.raises(TransportError, match="is not a member of the team"):
        _open(a, a.password)


def test_a_superuser_is_refused(pair: tuple[Site, Site], team_db: TeamDb) -> None:
    a, _b = pair
    p = team_db.params
    with pytest.raises(TransportError, match="row-level security does not apply"):
        _open(a, p["password"], user=p["user"])


def test_server_gone_while_receiving(pair: tuple[Site, Site], team_db: TeamDb) -> None:
    a, b = pair
    a.sync()
    total = a.journal.last_seq()
    server = TeamServer(b.s.db, team_db.settings(b.login), b.password, page_size=10)
    pages: list[int] = []

    def cut_after_first_page(phase: str, done: int, _total: int) -> None:
        pages.append(done)
        if len(pages) == 1:
            with team_db.admin() as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                    [b.login],
                )

    with pytest.raises(TransportError) as caught:
        run_sync(b.s.db, server, progress=cut_after_first_page)
    assert "was lost during the sync" in str(caught.value)
    assert "Nothing was half-applied" in str(caught.value)
    # Exactly the first page is here, and the cursor says so.
    applied = b.s.db.execute(
        "SELECT count(*) FROM sync_journal WHERE site <> (SELECT site FROM sync_state)"
    ).fetchone()[0]
    assert applied == 10
    b.sync()
    assert b.digest() == a.digest()
    assert b.s.db.execute(
        "SELECT count(*) FROM sync_journal WHERE site <> (SELECT site FROM sync_state)"
    ).fetchone()[0] == total


def test_server_gone_while_sending(pair: tuple[Site, Site], team_db: TeamDb) -> None:
    a, _b = pair
    failure: list[BaseException] = []

    def sync_a() -> None:  # on a connection of its own, as the app's worker does
        db = open_database(Path(a.s.db.path))
        try:
            run_sync(db, TeamServer(db, team_db.settings(a.login), a.password))
        except BaseException as exc:
            failure.append(exc)
        finally:
            db.close()

    with team_db.admin() as blocker:
        # Hold the writers' lock, so a's send waits inside its transaction.
        blocker.execute("BEGIN")
        blocker.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])
        thread = threading.Thread(target=sync_a)
        thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with team_db.admin() as conn:
                waiting = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE usename = %s AND wait_event_type"
                    " = 'Lock'",
                    [a.login],
                ).fetchall()
                if waiting:
                    conn.execute("SELECT pg_terminate_backend(%s)", [waiting[0][0]])
                    break
            time.sleep(0.05)
        thread.join(30)
        blocker.execute("ROLLBACK")
    assert failure and isinstance(failure[0], TransportError)
    assert "was lost during the sync" in str(failure[0])
    assert server_count(team_db) == 0
    assert a.journal.pending_count("server") == a.journal.last_seq()
    a.sync()
    assert server_count(team_db) == a.journal.last_seq()
