"""A real PostgreSQL for the team-server tests.

``QA_MONITOR_TEST_PG`` (a libpq connection string for a superuser) names a server to
use; without it a throwaway cluster is started for the session (throwaway_pg.py). If
neither works the tests skip locally, but fail on CI: CI must never skip them silently.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from qa_monitor.services.team_sync import SyncMode, TeamSettings
from qa_monitor.storage.server_admin import add_user, init_server
from tests.server import throwaway_pg


@pytest.fixture(scope="session")
def pg_dsn() -> Iterator[str]:
    dsn = os.environ.get("QA_MONITOR_TEST_PG")
    if dsn:
        yield dsn
        return
    try:
        cluster = throwaway_pg.start()
    except throwaway_pg.ClusterUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"No PostgreSQL for the server tests on CI: {exc}")
        pytest.skip(f"no PostgreSQL to test against: {exc}")
    try:
        yield cluster.dsn
    finally:
        throwaway_pg.stop(cluster.root)


@dataclass
class TeamDb:
    """A fresh database with ``server init`` run in it."""

    admin_dsn: str
    name: str

    @property
    def params(self) -> dict[str, Any]:
        return conninfo_to_dict(self.admin_dsn)

    def admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.admin_dsn, autocommit=True)

    def login(self, login: str, password: str) -> psycopg.Connection[Any]:
        return psycopg.connect(
            make_conninfo(self.admin_dsn, user=login, password=password), autocommit=True
        )

    def settings(self, login: str) -> TeamSettings:
        p = self.params
        return TeamSettings(
            mode=SyncMode.SERVER,
            host=str(p.get("host", "127.0.0.1")),
            port=int(p.get("port", 5432)),
            database=self.name,
            user=login,
            sslmode="disable",
        )

    def add(self, role: str, *, agent: str | None = None, reviewer: str | None = None,
            name: str | None = None) -> tuple[str, str]:
        """A new login of ``role`` (unique in the cluster) and its password."""
        login = f"{role}_{secrets.token_hex(4)}"
        password = secrets.token_urlsafe(12)
        with self.admin() as conn:
            add_user(conn, login, role, password, agent=agent, reviewer=reviewer,
                     display_name=name)
        return login, password


@pytest.fixture
def team_db(pg_dsn: str) -> Iterator[TeamDb]:
    name = f"qa_test_{secrets.token_hex(6)}"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db = TeamDb(make_conninfo(pg_dsn, dbname=name), name)
    with db.admin() as conn:
        init_server(conn)
    try:
        yield db
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def passfile_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own data directory, so stored passwords do not leak between tests."""
    path = tmp_path / "data"
    monkeypatch.setenv("QA_MONITOR_DATA_DIR", str(path))
    return path
