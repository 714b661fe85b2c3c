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

    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'step':<72} {'seconds':>9} {'cpu s':>8} {'target':>8}")
    for label, seconds, cpu, target in rows:
        verdict = "" if target is None else ("ok" if seconds <= target else "OVER")
        shown = "" if target is None else f"{target:.0f}"
        print(f"{label:<72} {seconds:>9.2f} {cpu:>8.2f} {shown:>8} {verdict}")
    print(f"digests equal (sender, change by change, snapshot start): {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
