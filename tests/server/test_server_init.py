"""``server init`` and ``server add-user`` against a real PostgreSQL, and what the
server keeps exactly."""

from __future__ import annotations

import io
import json
import secrets
import struct
from pathlib import Path

import psycopg
import pytest

from qa_monitor.cli import main
from qa_monitor.core.sync_merge import Change
from qa_monitor.storage import server_admin
from qa_monitor.storage.server_admin import ServerAdminError, add_user, init_server
from qa_monitor.storage.server_store import ServerStore
from tests.server.conftest import TeamDb


def _cli_connection(team_db: TeamDb) -> list[str]:
    p = team_db.params
    return ["--host", str(p["host"]), "--port", str(p["port"]), "--dbname", team_db.name,
            "--user", str(p["user"])]


def test_init_is_idempotent_and_says_what_it_created(
    pg_dsn: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"qa_test_{secrets.token_hex(6)}"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        team_db = TeamDb(psycopg.conninfo.make_conninfo(pg_dsn, dbname=name), name)
        monkeypatch.setenv("PGPASSWORD", str(team_db.params["password"]))
        assert main(["server", "init", *_cli_connection(team_db)]) == 0
        first = capsys.readouterr().out
        created = {"schema qa", "table qa.meta", "table qa.changes", "table qa.records",
                   "table qa.members", "table qa.snapshots", "table qa.snapshot_parts"}
        assert {f"Created {what}." for what in created} <= set(first.splitlines())
        assert main(["server", "init", *_cli_connection(team_db)]) == 0
        again = capsys.readouterr().out
        assert "Created" not in again
        assert again.startswith("11 of 11 schema objects and roles were already there")
        with team_db.admin() as conn:
            # Same team id both times: re-running init never forks the team.
            assert first.splitlines()[-1] == again.splitlines()[-1]
            policies = conn.execute(
                "SELECT count(*) FROM pg_policy WHERE polrelid = 'qa.changes'::regclass"
            ).fetchone()
            assert policies == (7,)
            forced = conn.execute(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class"
                " WHERE oid = 'qa.changes'::regclass"
            ).fetchone()
            assert forced == (True, True)
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_init_refuses_an_old_server(team_db: TeamDb, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_admin, "MIN_SERVER_VERSION", 990000)
    with team_db.admin() as conn, pytest.raises(ServerAdminError) as caught:
        version = conn.info.server_version
        init_server(conn)
    assert str(caught.value) == (
        f"This server runs PostgreSQL {version // 10000}.{version % 10000}; QA Monitor's "
        "team server needs PostgreSQL 13 or newer. Upgrade the server, or use another one."
    )


def test_init_refuses_a_newer_format(team_db: TeamDb) -> None:
    with team_db.admin() as conn:
        conn.execute("UPDATE qa.meta SET value = '99' WHERE key = 'format'")
        with pytest.raises(ServerAdminError, match="set up by a newer QA Monitor"):
            init_server(conn)


def test_add_user_from_the_command_line(
    team_db: TeamDb, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    login = f"omid_{secrets.token_hex(3)}"
    monkeypatch.setenv("PGPASSWORD", str(team_db.params["password"]))
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    code = main(["server", "add-user", login, "--role", "reviewer", "--reviewer", "Omid Karimi",
                 *_cli_connection(team_db)])
    assert code == 2
    assert capsys.readouterr().err == (
        "No reviewer called 'Omid Karimi' has reached the team server yet. Sync the "
        "installation where the reviewer was added, then try again.\n"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    code = main(["server", "add-user", login, "--role", "supervisor", "--name", "Omid Karimi",
                 *_cli_connection(team_db)])
    assert code == 0
    assert capsys.readouterr().out == (
        f"Created login '{login}' for Omid Karimi (supervisor).\n"
    )
    with team_db.login(login, "a-long-password") as conn:
        assert ServerStore(conn).me() is not None
        assert not ServerStore(conn).is_superuser()


def test_add_user_checks_what_it_is_given(team_db: TeamDb) -> None:
    with team_db.admin() as conn:
        with pytest.raises(ServerAdminError, match="needs the agent it belongs to"):
            add_user(conn, "x_agent", "agent", "long-enough")
        with pytest.raises(ServerAdminError, match="at least 8 characters"):
            add_user(conn, "x_sup", "supervisor", "short")
        with pytest.raises(ServerAdminError, match="is a superuser"):
            add_user(conn, str(team_db.params["user"]), "supervisor", "long-enough")


def _floats() -> list[float]:
    values = [83.333333333333329, 0.1 + 0.2, 1 / 3, 5e-05, 1e-300, 2.5, 100.0, 1e16, 1.7e308]
    values.append(struct.unpack("<d", struct.pack("<Q", 0x3FB999999999999A))[0])
    return values


def test_reals_come_back_as_the_same_floats(
    team_db: TeamDb, tmp_path: Path, passfile_dir: Path
) -> None:
    login, password = team_db.add("admin", name="Ali")
    values = _floats()
    change = Change(
        site="0190f000-0000-7000-8000-00000000000a",
        seq=1,
        hlc=1,
        entity="team",
        uuid="0190f000-0000-7000-8000-00000000000b",
        fields={"name": "Billing", "numbers": values, "score": 83.333333333333329},
    )
    with team_db.login(login, password) as conn:
        store = ServerStore(conn)
        with conn.transaction():
            store.insert([change])
        nobody = "00000000-0000-0000-0000-000000000000"
        ((_cursor, back),) = store.page(0, store.last_cursor(), nobody, 10)
    assert back == change
    assert [struct.pack("<d", v) for v in back.fields["numbers"]] == [
        struct.pack("<d", v) for v in values
    ]
    assert all(type(v) is float for v in back.fields["numbers"])
    assert json.dumps(back.fields) == json.dumps(change.fields)
