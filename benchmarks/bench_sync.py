"""Team sync at scale: a first sync of N evaluations into an empty installation, and an
incremental sync of 1,000 new ones, through a team folder (and a team server when
``--server DSN`` is given and the server transport is installed).

    python benchmarks/generate.py 100000 --out /tmp/src100k.db
    python benchmarks/bench_sync.py /tmp/src100k.db [--work /tmp/bench_sync]

Prints a table beside the targets of issue 12 (first sync of 100,000 evaluations
<= 60 s; incremental sync of 1,000 <= 3 s). The first sync is measured both ways: a
new installation starting from a snapshot the sender published (what a folder team
does), and one replaying every change (what a server team does today). It checks that
the three installations end with identical content digests.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa_monitor.services import Services
from qa_monitor.services.sync_folder import TeamFolder
from qa_monitor.storage.database import open_database
from qa_monitor.storage.sync_journal import SyncJournal

TARGET_FIRST_S = 60.0
TARGET_INCREMENTAL_S = 3.0


def add_evaluations(path: Path, n: int, seed: int = 7) -> None:
    """``n`` new calls scored through the services, as reviewers would (not timed)."""
    from datetime import UTC, datetime, timedelta

    from qa_monitor.core.answers import Answer
    from qa_monitor.core.forms import Channel
    from qa_monitor.core.records import InteractionData

    rng = random.Random(seed)
    with Services.open(path) as s:
        agents = [a.id for a in s.people.list_agents(active_only=True)]
        reviewers = [r.id for r in s.people.list_reviewers(active_only=True)]
        (version_id,) = s.db.execute(
            "SELECT max(id) FROM form_versions WHERE status = 'published'"
        ).fetchone()
        form = s.form_cache.form(version_id)
        start = datetime.now(UTC) - timedelta(days=3)
        for i in range(n):
            interaction = s.interactions.create_interaction(
                InteractionData(
                    channel=Channel.PHONE,
                    started_at=start + timedelta(minutes=i),
                    agent_id=rng.choice(agents),
                    external_id=f"bench-sync-{seed}-{i}",
                )
            )
            ev = s.evaluations.start_evaluation(interaction.id, version_id, rng.choice(reviewers))
            answers = {}
            for _section, q in form.questions():
                if q.options:
                    option = rng.choice(q.options)
                    partial = option.fraction is not None and option.fraction < 1
                    comment = "missed" if partial else ""
                    answers[q.id] = Answer(q.id, option.id, comment=comment)
            s.evaluations.save_draft(ev.id, answers)
            s.evaluations.submit(ev.id)


CPU: list[float] = []


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    """Wall seconds and the result. The step's CPU seconds (all threads) are appended
    to CPU: a figure a busy machine inflates far less than the wall clock."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    seconds = time.perf_counter() - started
    CPU.append(time.process_time() - cpu)
    return seconds, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a database from benchmarks/generate.py")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench_sync"))
    parser.add_argument("--incremental", type=int, default=1000)
    parser.add_argument(
        "--server",
        metavar="DSN",
        help="also through a team server: an administrator's connection string to a "
        "PostgreSQL cluster (a throwaway database is created in it)",
    )
    args = parser.parse_args()

    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    folder = args.work / "team"
    folder.mkdir()
    a, b, c = args.work / "a.db", args.work / "b.db", args.work / "c.db"
    shutil.copy(args.source, a)
    open_database(b).close()
    open_database(c).close()
    with open_database(a) as db:
        n = db.execute("SELECT count(*) FROM evaluations WHERE status <> 'draft'").fetchone()[0]

    rows: list[tuple[str, float, float, float | None]] = []

    def show(label: str, seconds: float, target: float | None) -> None:
        cpu = CPU[-1]
        rows.append((label, seconds, cpu, target))
        print(f"{label:<72} {seconds:>9.2f} {cpu:>8.2f}", flush=True)

    with open_database(a) as db:
        s, rep = timed("send", lambda: TeamFolder(db, folder, snapshots=False).sync())
    show(f"first sync: send {n:,} evaluations ({rep.sent:,} changes)", s, None)
    with open_database(a) as db:
        s, count = timed("publish", lambda: TeamFolder(db, folder).publish_snapshot())
    show(f"publish a snapshot of {count:,} evaluations (a member, weekly)", s, None)
    with open_database(c) as db:
        s, rep = timed("snapshot", lambda: TeamFolder(db, folder).sync())
    show(
        f"first sync: from the snapshot ({rep.from_snapshot:,} evaluations,"
        f" then {rep.received:,} changes)",
        s,
        TARGET_FIRST_S,
    )
    with open_database(b) as db:
        s, rep = timed("receive", lambda: TeamFolder(db, folder, snapshots=False).sync())
    show(
        f"first sync: change by change, no snapshot ({rep.received:,} changes)",
        s,
        TARGET_FIRST_S,
    )

    add_evaluations(a, args.incremental)
    with open_database(a) as db:
        s, rep = timed("send", lambda: TeamFolder(db, folder, snapshots=False).sync())
    label = f"incremental: send {args.incremental:,} new evaluations"
    show(label, s, TARGET_INCREMENTAL_S)
    with open_database(b) as db:
        s, rep = timed("receive", lambda: TeamFolder(db, folder, snapshots=False).sync())
    show(f"incremental: receive ({rep.received:,} changes)", s, TARGET_INCREMENTAL_S)
    with open_database(c) as db:
        s, rep = timed("receive", lambda: TeamFolder(db, folder, snapshots=False).sync())
    show(f"incremental: receive after a snapshot start ({rep.received:,} changes)", s,
         TARGET_INCREMENTAL_S)

    with open_database(a) as da, open_database(b) as dbb, open_database(c) as dc:
        digests = {SyncJournal(d).digest() for d in (da, dbb, dc)}
    same = len(digests) == 1

    if args.server:
        same = _through_server(args, rows, show) and same

    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'step':<72} {'seconds':>9} {'cpu s':>8} {'target':>8}")
    for label, seconds, cpu, target in rows:
        verdict = "" if target is None else ("ok" if seconds <= target else "OVER")
        shown = "" if target is None else f"{target:.0f}"
        print(f"{label:<72} {seconds:>9.2f} {cpu:>8.2f} {shown:>8} {verdict}")
    print(f"digests equal (sender, change by change, snapshot start): {same}")
    return 0 if same else 1


def _through_server(args: argparse.Namespace, rows: list, show) -> bool:  # type: ignore[no-untyped-def,type-arg]
    """The same steps through a throwaway team server: a supervisor's installation sends
    everything and stores a snapshot; a new reviewer's installation starts from it; then
    1,000 new evaluations travel. True when the digests are equal."""
    import secrets

    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    from qa_monitor.services.sync_server import TeamServer
    from qa_monitor.services.sync_service import run_sync
    from qa_monitor.services.team_sync import SyncMode, TeamSettings
    from qa_monitor.storage.server_admin import add_user, init_server

    os.environ["QA_MONITOR_DATA_DIR"] = str(args.work / "data")  # the password file
    name = f"qa_bench_{secrets.token_hex(4)}"
    with psycopg.connect(args.server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    admin = make_conninfo(args.server, dbname=name)
    params = conninfo_to_dict(admin)
    logins = {}
    with open_database(args.source) as db:
        (reviewer,) = db.execute("SELECT name FROM reviewers ORDER BY id LIMIT 1").fetchone()

    def login_for(role: str) -> None:
        # A reviewer's login names a reviewer the server already holds: added after
        # the supervisor's first sync.
        login, password = f"bench_{role}_{secrets.token_hex(3)}", secrets.token_urlsafe(12)
        person = {"reviewer": reviewer} if role == "reviewer" else {}
        with psycopg.connect(admin, autocommit=True) as conn:
            add_user(conn, login, role, password, display_name=role.title(), **person)
        logins[role] = (login, password)

    with psycopg.connect(admin, autocommit=True) as conn:
        init_server(conn)
    login_for("supervisor")

    def server(db, role: str, snapshots: bool = True) -> TeamServer:  # type: ignore[no-untyped-def]
        login, password = logins[role]
        settings = TeamSettings(
            mode=SyncMode.SERVER,
            host=str(params.get("host", "127.0.0.1")),
            port=int(params.get("port", 5432)),
            database=name,
            user=login,
            sslmode="disable",
        )
        return TeamServer(db, settings, password, snapshots=snapshots)

    s_db, r_db = args.work / "server-supervisor.db", args.work / "server-reviewer.db"
    shutil.copy(args.source, s_db)
    open_database(r_db).close()
    try:
        with open_database(s_db) as db:
            s, rep = timed("push", lambda: run_sync(db, server(db, "supervisor", False)))
            show(f"server: supervisor sends ({rep.sent:,} changes)", s, None)
            s, count = timed(
                "publish", lambda: server(db, "supervisor").publish_snapshot()
            )
            show(f"server: store a snapshot of {count:,} evaluations", s, None)
        login_for("reviewer")
        with open_database(r_db) as db:
            s, rep = timed("start", lambda: run_sync(db, server(db, "reviewer")))
        show(
            f"server first sync: from the snapshot ({rep.from_snapshot:,} evaluations,"
            f" then {rep.received:,} changes)",
            s,
            TARGET_FIRST_S,
        )
        add_evaluations(s_db, args.incremental, seed=11)
        with open_database(s_db) as db:
            s, rep = timed("push", lambda: run_sync(db, server(db, "supervisor", False)))
        show(f"server incremental: send {args.incremental:,} new evaluations", s,
             TARGET_INCREMENTAL_S)
        with open_database(r_db) as db:
            s, rep = timed("pull", lambda: run_sync(db, server(db, "reviewer")))
        show(f"server incremental: receive ({rep.received:,} changes)", s, TARGET_INCREMENTAL_S)
        with open_database(s_db) as da, open_database(r_db) as dr:
            return SyncJournal(da).digest() == SyncJournal(dr).digest()
    finally:
        with psycopg.connect(args.server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
