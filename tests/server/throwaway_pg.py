"""A throwaway PostgreSQL cluster for the server tests (standard library only).

``initdb`` refuses to run as root, so as root the cluster belongs to the ``postgres``
user (Debian's package creates it) and its commands run through ``runuser``. The
cluster listens on a free port of 127.0.0.1 only, with its socket and data in a
temporary directory, fsync off (nothing here needs to survive a crash), and password
(SCRAM) authentication over TCP so wrong passwords are really refused.

Used by tests/server/conftest.py, and by .ci/run from the shell::

    eval "$(python3 tests/server/throwaway_pg.py start)"   # exports QA_MONITOR_TEST_PG...
    python3 tests/server/throwaway_pg.py stop "$QA_MONITOR_TEST_PG_DIR"
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"


class ClusterUnavailable(Exception):
    """No PostgreSQL binaries, or no way to run them here."""


@dataclass(frozen=True)
class Cluster:
    root: Path
    port: int
    password: str

    @property
    def dsn(self) -> str:
        return (
            f"host=127.0.0.1 port={self.port} user={SUPERUSER} "
            f"password={self.password} dbname=postgres"
        )


def _bin_dir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    if found:
        return Path(found[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise ClusterUnavailable("PostgreSQL's initdb was not found (install Debian's 'postgresql').")


def _runner() -> tuple[list[str], str | None]:
    """The command prefix that runs the server's programs, and the OS user they run as
    (None: this user)."""
    if os.geteuid() != 0:
        return [], None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ClusterUnavailable("running as root, and there is no 'postgres' user") from None
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--"], "postgres"
    return ["su", "postgres", "-s", "/bin/sh", "-c"], "postgres"


def _run(prefix: list[str], args: list[str]) -> None:
    if prefix and prefix[0] == "su":
        cmd = [*prefix, " ".join(shlex.quote(a) for a in args)]
    else:
        cmd = [*prefix, *args]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ClusterUnavailable(f"{args[0]} failed: {result.stderr.strip() or result.stdout}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start() -> Cluster:
    bin_dir = _bin_dir()
    prefix, user = _runner()
    root = Path(tempfile.mkdtemp(prefix="qa-monitor-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    password = secrets.token_urlsafe(16)
    pwfile = root / "pw"
    pwfile.write_text(password + "\n")
    if user is not None:
        os.chown(pwfile, pwd.getpwnam(user).pw_uid, -1)
    _run(
        prefix,
        [
            str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", SUPERUSER,
            f"--pwfile={pwfile}", "--auth-local=trust", "--auth-host=scram-sha-256",
            "--no-sync", "-E", "UTF8", "--locale=C",
        ],
    )
    pwfile.unlink()
    port = _free_port()
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -F"
        " -c synchronous_commit=off -c full_page_writes=off -c max_connections=120"
    )
    _run(
        prefix,
        [str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"),
         "-o", options, "-w", "-t", "60", "start"],
    )
    return Cluster(root, port, password)


def stop(root: Path) -> None:
    prefix, _user = _runner()
    try:
        _run(prefix, [str(_bin_dir() / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate",
                      "-w", "stop"])
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["start"]:
        cluster = start()
        print(f"export QA_MONITOR_TEST_PG={shlex.quote(cluster.dsn)}")
        print(f"export QA_MONITOR_TEST_PG_DIR={shlex.quote(str(cluster.root))}")
        return 0
    if argv[:1] == ["stop"] and len(argv) == 2:
        stop(Path(argv[1]))
        return 0
    print("usage: throwaway_pg.py start | stop DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
