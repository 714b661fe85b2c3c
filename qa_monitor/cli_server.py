"""``qa-monitor server``: set up the team server (for a DBA), and ``sync server``.

Exit codes, as for ``qa-monitor sync``: 0 done; 1 synced, but some changes wait for
later (listed); 2 bad input (cannot connect, refused, wrong options).

Passwords are never options on the command line (they would show in the process list
and the shell history): libpq's PGPASSWORD or password file, or a prompt.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

    from qa_monitor.services import Services
    from qa_monitor.services.server_connect import ServerAddress

OK, WAITING, BAD_INPUT = 0, 1, 2
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


def add_connection_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--host", required=required, help="the PostgreSQL server's host name")
    parser.add_argument("--port", type=int, help="its port (default 5432)")
    parser.add_argument("--dbname", required=required, help="the team's database on it")
    parser.add_argument("--user", required=required, help="the PostgreSQL login to use")
    parser.add_argument("--sslmode", choices=SSL_MODES, help="libpq sslmode (default prefer)")


def add_subparsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    server = sub.add_parser(
        "server",
        help="set up a PostgreSQL database as the team server (for its administrator)",
        description="Team server administration; see docs/team-server.md. The password "
        "comes from PGPASSWORD, libpq's password file, or a prompt.",
    )
    actions = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init", help="create the qa schema, roles and row-level security (safe to repeat)"
    )
    add_connection_options(init, required=True)
    user = actions.add_parser(
        "add-user", help="create or update a login for a team member (asks for its password)"
    )
    user.add_argument("login", help="the new member's PostgreSQL login name")
    user.add_argument(
        "--role", required=True, choices=("admin", "supervisor", "reviewer", "agent")
    )
    user.add_argument("--reviewer", help="the reviewer this login scores as (name or id)")
    user.add_argument("--agent", help="the agent this login belongs to (name or id)")
    user.add_argument("--name", help="the name shown in the app (default: the person's name)")
    add_connection_options(user, required=True)


def _address(args: argparse.Namespace) -> ServerAddress:
    from qa_monitor.services.server_connect import ServerAddress

    return ServerAddress(
        args.host, args.port or 5432, args.dbname, args.user, args.sslmode or "prefer"
    )


def _admin_connection(address: ServerAddress) -> psycopg.Connection[Any]:
    """Connect as the DBA: PGPASSWORD or ~/.pgpass, else a prompt when the server asks."""
    from qa_monitor.services.server_connect import ServerAuthError, connect

    try:
        return connect(address, None, use_passfile=False)
    except ServerAuthError:
        if not sys.stdin.isatty() or os.environ.get("PGPASSWORD"):
            raise
    password = getpass.getpass(f"Password for {address.user} on {address.where}: ")
    return connect(address, password, use_passfile=False)


def _new_password(login: str) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"New password for {login}: ")
    if getpass.getpass("Type it again: ") != first:
        raise ValueError("The two passwords differ; nothing was changed.")
    return first


def run_server(args: argparse.Namespace) -> int:
    from qa_monitor.services.sync_transport import TransportError
    from qa_monitor.storage.server_admin import ServerAdminError, add_user, init_server

    try:
        if args.server_command == "add-user":
            password = _new_password(args.login)
        with _admin_connection(_address(args)) as conn:
            if args.server_command == "init":
                lines = init_server(conn)
            else:
                lines = add_user(
                    conn, args.login, args.role, password, agent=args.agent,
                    reviewer=args.reviewer, display_name=args.name,
                )
    except (TransportError, ServerAdminError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return BAD_INPUT
    for line in lines:
        print(line)
    return OK


def run_sync_server(services: Services, args: argparse.Namespace) -> int:
    """``sync server``: one sync with the configured team server; connection options
    given here are saved for the next time (and for the app)."""
    from qa_monitor.cli_sync import print_report
    from qa_monitor.services.server_connect import ServerAuthError
    from qa_monitor.services.sync_transport import TransportError
    from qa_monitor.services.team_sync import SyncMode, TeamSyncService

    service = TeamSyncService(services.db)
    settings = replace(service.team_settings(), mode=SyncMode.SERVER)
    given = {
        "host": args.host, "port": args.port, "database": args.dbname, "user": args.user,
        "sslmode": args.sslmode,
    }
    settings = replace(settings, **{k: v for k, v in given.items() if v is not None})
    try:
        service.save_team_settings(settings)
    except ValueError as exc:
        print(f"{exc} Give them with --host, --dbname and --user.", file=sys.stderr)
        return BAD_INPUT
    try:
        try:
            report = service.sync_now()
        except ServerAuthError:
            if not sys.stdin.isatty() or os.environ.get("PGPASSWORD"):
                raise
            password = getpass.getpass(
                f"Password for {settings.user} on {settings.host}:{settings.port}: "
            )
            report = service.sync_now(password=password)
    except TransportError as exc:
        print(str(exc), file=sys.stderr)
        return BAD_INPUT
    return print_report(report)
