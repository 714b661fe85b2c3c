"""Connecting to the team server, and saying in words why it did not work.

The password is kept where libpq looks for it: a password file (the format of
``~/.pgpass``) in QA Monitor's data directory, readable by this user only, written
when someone types the password and it works. It is never stored in the database.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa_monitor import __version__, paths
from qa_monitor.services.sync_transport import TransportError

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT_S = 10
PASSFILE_NAME = "team-server.pgpass"


class ServerAuthError(TransportError):
    """The server wants a password, or refused the one given."""


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int
    database: str
    user: str
    sslmode: str = "prefer"

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def passfile_path() -> Path:
    return paths.data_dir() / PASSFILE_NAME


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def remember_password(address: ServerAddress, password: str) -> None:
    """Store ``password`` for ``address`` in the password file (0600), replacing an old one."""
    path = passfile_path()
    key = ":".join(
        _escape(v) for v in (address.host, str(address.port), address.database, address.user)
    )
    kept_all = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [ln for ln in kept_all if ln and not ln.startswith(key + ":")]
    line = f"{key}:{_escape(password)}"
    if line in kept_all:
        return
    text = "\n".join([*kept, line]) + "\n"
    # A file of its own per writer (mkstemp makes it 0600), then an atomic rename: two
    # syncs remembering at once never mix their lines, nor leave a readable file.
    fd, tmp = tempfile.mkstemp(prefix=".pgpass-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def connect(
    address: ServerAddress, password: str | None, *, use_passfile: bool = True
) -> psycopg.Connection[Any]:
    """An open connection (autocommit), or TransportError with a sentence."""
    try:
        import psycopg
    except ImportError:
        raise TransportError(
            "This installation lacks the PostgreSQL client library (psycopg). Reinstall "
            "QA Monitor, or run: pip install 'psycopg[binary]'."
        ) from None
    params: dict[str, Any] = {
        "host": address.host,
        "port": address.port,
        "dbname": address.database,
        "user": address.user,
        "sslmode": address.sslmode,
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": f"QA Monitor {__version__}",
        # A client that vanishes mid-transaction must not hold the writers' lock long,
        # and a sync waits at most a minute for another installation's.
        "options": "-c idle_in_transaction_session_timeout=120000 -c lock_timeout=60000",
    }
    if password is not None:
        params["password"] = password
    elif use_passfile and passfile_path().exists():
        params["passfile"] = str(passfile_path())
    try:
        return psycopg.connect(autocommit=True, **params)
    except psycopg.Error as exc:
        raise connection_error(exc, address) from exc


def connection_error(exc: Exception, address: ServerAddress) -> TransportError:
    """The sentence for a failed connection attempt."""
    text = str(exc)
    low = text.lower()
    where = address.where
    if "password authentication failed" in low or (
        "role" in low and "does not exist" in low
    ):
        return ServerAuthError(
            f"The team server at {where} refused the password for '{address.user}'. Type "
            "it again, or ask the server's administrator to reset it. Nothing was synced."
        )
    if "no password supplied" in low or "password is required" in low:
        return ServerAuthError(
            f"The team server at {where} asks for the password of '{address.user}'. Type it "
            "in Settings ▸ Team, or run 'qa-monitor sync server' in a terminal."
        )
    if "database" in low and "does not exist" in low:
        return TransportError(
            f"The team server at {where} has no database called '{address.database}'. "
            "Check the database name in Settings ▸ Team."
        )
    if "pg_hba.conf" in low:
        return TransportError(
            f"The team server at {where} does not accept '{address.user}' from this "
            "computer. Ask its administrator to allow it (pg_hba.conf)."
        )
    reasons = (
        ("connection refused", "nothing answers on that port"),
        ("could not translate host name", "the host name is unknown"),
        ("name or service not known", "the host name is unknown"),
        ("timeout expired", f"no answer within {CONNECT_TIMEOUT_S} seconds"),
        ("no route to host", "the network has no way to it"),
        ("network is unreachable", "this computer is not on the network"),
        ("server closed the connection", "it closed the connection"),
    )
    for needle, reason in reasons:
        if needle in low:
            return TransportError(
                f"The team server at {where} cannot be reached: {reason}. Check the host and "
                "port in Settings ▸ Team; nothing was synced, and the next sync tries again."
            )
    if "ssl" in low:
        return TransportError(
            f"A secure connection to the team server at {where} could not be made "
            f"(sslmode {address.sslmode}): {_first_line(text)}"
        )
    return TransportError(
        f"The team server at {where} could not be used: {_first_line(text)} Nothing was "
        "synced; the next sync tries again."
    )


def _first_line(text: str) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), text).rstrip(".")
    for prefix in ("FATAL:", "ERROR:"):
        if prefix in line:
            line = line.split(prefix, 1)[1].strip()
    return line + "."
