"""kill -9 at random moments during submit, import, sync apply and migration.

    python benchmarks/kill_harness.py [--kills 200] [--folder DIR] [--seed N]

Each scenario runs a child process that writes and prints an ACK line after each
commit it saw (``harness_setup.py``), and SIGKILLs it at a random moment:

- submit: evaluations started, answered and submitted one after another; every
  acknowledged submit must be in the database, submitted, with its scores.
- import: ``qa-monitor import interactions`` of a call log (committed in chunks); after
  every kill the file opens and passes ``integrity_check``, and after the last one an
  uninterrupted import leaves every row once, with the file's values.
- sync: ``qa-monitor sync folder`` receiving another installation's evaluations; a
  killed apply resumes, and the finished database has the digest of the source
  (``qa-monitor sync verify``), nothing lost or doubled.
- migration: an older database (before m007) being upgraded on open; after a kill it
  is either still old or fully upgraded, never in between, and it opens afterwards
  with every row.

After every kill: ``PRAGMA integrity_check`` is "ok". Targets: 0 acknowledged writes
lost, 0 corrupt files, every database re-opens consistent.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness_setup import ROOT, acks, child, prepare
from qa_monitor.services import Services
from qa_monitor.storage.database import Database, open_database
from qa_monitor.storage.migrations import MIGRATIONS, known_names

# Shares of the kills per scenario.
SHARES = {"submit": 0.35, "import": 0.25, "sync": 0.2, "migration": 0.2}


@dataclass
class Tally:
    kills: int = 0
    acked: int = 0
    lost: int = 0
    corrupt: int = 0
    inconsistent: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _kill_after(proc: subprocess.Popen[str], delay: float) -> tuple[bool, list[str]]:
    """SIGKILL ``proc`` after ``delay`` seconds unless it ended; (killed, stdout lines)."""
    try:
        proc.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        killed = True
    stdout, _stderr = proc.communicate()
    return killed, stdout.splitlines()


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _cli(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "qa_monitor", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# -- submit ------------------------------------------------------------------------------
def kill_submits(folder: Path, kills: int, rng: random.Random) -> Tally:
    tally = Tally()
    db = prepare(folder, 0, logs=0).db
    acked: set[int] = set()
    while tally.kills < kills:
        proc = child("submit", str(db), "60")
        # Wait for the first acknowledged submit (the start-up is not what is tested),
        # then kill within the next ones.
        assert proc.stdout is not None
        first = proc.stdout.readline()
        killed, lines = _kill_after(proc, rng.uniform(0.0, 1.0))
        tally.kills += killed
        acked |= {int(key) for key in acks([first, *lines], "submit")}
        if _integrity(db) != "ok":
            tally.corrupt += 1
    with open_database(db) as opened:
        stored = {
            row[0]
            for row in opened.execute(
                "SELECT id FROM evaluations WHERE status = 'submitted' AND score IS NOT NULL"
            )
        }
    tally.acked = len(acked)
    tally.lost = len(acked - stored)
    return tally


# -- import ------------------------------------------------------------------------------
def kill_imports(folder: Path, kills: int, rng: random.Random, rows: int = 5000) -> Tally:
    tally = Tally()
    prepared = prepare(folder, rows)
    db, calls = prepared.db, prepared.calls
    # How long one import takes here, to kill within it.
    started = time.monotonic()
    _cli("--db", str(db), "import", "interactions", str(calls[0])).communicate()
    full = time.monotonic() - started
    tally.acked += 1
    n = 1
    while tally.kills < kills:
        proc = _cli("--db", str(db), "import", "interactions", str(calls[n % len(calls)]))
        killed, _lines = _kill_after(proc, rng.uniform(0.1, full))
        tally.kills += killed
        tally.acked += not killed and proc.returncode == 0
        if _integrity(db) != "ok":
            tally.corrupt += 1
        n += 1
    last = calls[n % len(calls)]
    proc = _cli("--db", str(db), "import", "interactions", str(last))
    proc.communicate()
    if proc.returncode != 0:
        tally.inconsistent.append(f"the import after the kills exited {proc.returncode}")
    with open_database(db) as opened:
        (count,) = opened.execute(
            "SELECT count(*) FROM interactions WHERE external_id GLOB 'C[0-9]*'"
        ).fetchone()
        durations = dict(
            opened.execute(
                "SELECT external_id, duration_s FROM interactions WHERE external_id GLOB 'C[0-9]*'"
            ).fetchall()
        )
    if count != rows:
        tally.inconsistent.append(f"{count} imported interactions, expected {rows}")
        tally.lost += max(0, rows - count)
    expected = _durations(last)
    wrong = sum(1 for key, value in expected.items() if durations.get(key) != value)
    if wrong:
        tally.inconsistent.append(f"{wrong} rows do not hold the last file's values")
    return tally


def _durations(path: Path) -> dict[str, float]:
    import csv

    with path.open(encoding="utf-8") as f:
        return {row["Call ID"]: float(row["Duration"]) for row in csv.DictReader(f)}


# -- sync --------------------------------------------------------------------------------
def _sync_source(path: Path, team: Path, evaluations: int) -> str:
    from qa_monitor.services.sync_folder import TeamFolder
    from qa_monitor.storage.sync_journal import SyncJournal
    from tests.factories import FakeClock, interaction_data, random_answers, seed

    rng = random.Random(5)
    with Services.open(path, clock=FakeClock()) as s:
        first = seed(s)
        for i in range(evaluations):
            interaction = s.interactions.create_interaction(
                interaction_data(first.agent.id, external_id=f"k-{i}")
            )
            ev = s.evaluations.start_evaluation(interaction.id, first.version.id, first.reviewer.id)
            s.evaluations.save_draft(ev.id, random_answers(rng))
            s.evaluations.submit(ev.id)
        import qa_monitor.services.sync_service as engine

        # Small batches, so a kill lands between two of them as well as inside one.
        engine.SEND_BATCH, saved = 300, engine.SEND_BATCH
        try:
            TeamFolder(s.db, team).sync()
        finally:
            engine.SEND_BATCH = saved
        return SyncJournal(s.db).digest()


def kill_syncs(folder: Path, kills: int, rng: random.Random, evaluations: int = 600) -> Tally:
    from qa_monitor.services.sync_folder import TeamFolder
    from qa_monitor.storage.sync_journal import SyncJournal

    tally = Tally()
    folder.mkdir(parents=True, exist_ok=True)
    team = folder / "team"
    team.mkdir()
    expected = _sync_source(folder / "source.db", team, evaluations)
    template = folder / "empty.db"
    open_database(template).close()
    target = folder / "target.db"

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copy(template, target)

    def finish() -> None:
        with open_database(target) as db:
            report = TeamFolder(db, team).sync()
            digest = SyncJournal(db).digest()
        if report.problems or digest != expected:
            tally.inconsistent.append(f"resumed sync: digest {digest[:12]}, {report.problems}")

    fresh()
    started = time.monotonic()
    _cli("--db", str(target), "sync", "folder", str(team)).communicate()
    full = time.monotonic() - started
    finish()
    tally.acked += 1
    fresh()
    rounds = 0
    while tally.kills < kills:
        proc = _cli("--db", str(target), "sync", "folder", str(team))
        killed, _lines = _kill_after(proc, rng.uniform(0.3, full))
        tally.kills += killed
        if _integrity(target) != "ok":
            tally.corrupt += 1
        rounds += 1
        if not killed or rounds % 3 == 0:
            finish()  # resume what the kills left, compare, and start again
            tally.acked += 1
            fresh()
    finish()
    return tally


# -- migration ---------------------------------------------------------------------------
def _old_database(path: Path, interactions: int) -> dict[str, int]:
    """A database as the release before m007 left it, with people and interactions."""
    db = Database(path)
    db.configure()
    MIGRATIONS.apply(db, stop_before="m007_name_keys")
    db.execute("INSERT INTO teams (name, created_at) VALUES ('Billing', '2026-01-01')")
    db.conn.executemany(
        "INSERT INTO agents (name, team_id, active, created_at) VALUES (?, 1, 1, '2026-01-01')",
        [(f"Agent {i}",) for i in range(300)],
    )
    db.conn.executemany(
        "INSERT INTO interactions (external_id, channel, started_at, local_date, timezone,"
        " agent_id, team_id, created_at) VALUES (?, 'phone', '2026-01-01T09:00:00Z',"
        " '2026-01-01', 'UTC', ?, 1, '2026-01-01')",
        [(f"old-{i}", 1 + i % 300) for i in range(interactions)],
    )
    db.conn.commit()
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _COUNTED}
    db.close()
    return counts


_COUNTED = ("teams", "agents", "interactions")


def kill_migrations(
    folder: Path, kills: int, rng: random.Random, interactions: int = 50_000
) -> Tally:
    tally = Tally()
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / "old.db"
    counts = _old_database(template, interactions)
    old_steps = _steps(template)
    target = folder / "upgrading.db"

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copy(template, target)

    fresh()
    started = time.monotonic()
    child("migrate", str(target)).communicate()
    full = time.monotonic() - started
    while tally.kills < kills:
        fresh()
        killed, lines = _kill_after(child("migrate", str(target)), rng.uniform(0.2, full))
        tally.kills += killed
        tally.acked += bool(acks(lines, "migrate"))
        if _integrity(target) != "ok":
            tally.corrupt += 1
            continue
        steps = _steps(target)
        if steps not in (old_steps, len(known_names())):
            tally.inconsistent.append(f"a killed upgrade left {steps} of the steps applied")
        if acks(lines, "migrate") and steps != len(known_names()):
            tally.lost += 1
        with open_database(target) as db:
            now = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _COUNTED}
        if now != counts:
            tally.inconsistent.append(f"after the upgrade: {now}, expected {counts}")
    return tally


def _steps(path: Path) -> int:
    """How many migrations the file at ``path`` has applied (without applying any)."""
    db = Database(path)
    try:
        return len(MIGRATIONS.applied(db))
    finally:
        db.close()


SCENARIOS: dict[str, Callable[[Path, int, random.Random], Tally]] = {
    "submit": kill_submits,
    "import": kill_imports,
    "sync": kill_syncs,
    "migration": kill_migrations,
}


def run(folder: Path, kills: int, seed: int) -> dict[str, Tally]:
    rng = random.Random(seed)
    results = {}
    for name, share in SHARES.items():
        started = time.monotonic()
        tally = SCENARIOS[name](folder / name, max(1, round(kills * share)), rng)
        tally.seconds = time.monotonic() - started
        results[name] = tally
    return results


def report(results: dict[str, Tally]) -> str:
    lines = [
        f"kill -9 harness; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        "",
        f"{'scenario':<10} {'kills':>6} {'acked':>6} {'lost':>5} {'corrupt':>8} "
        f"{'inconsistent':>13} {'seconds':>8}",
        f"{'-' * 10} {'-' * 6} {'-' * 6} {'-' * 5} {'-' * 8} {'-' * 13} {'-' * 8}",
    ]
    for name, t in results.items():
        lines.append(
            f"{name:<10} {t.kills:>6} {t.acked:>6} {t.lost:>5} {t.corrupt:>8} "
            f"{len(t.inconsistent):>13} {t.seconds:>8.0f}"
        )
    total = sum(t.kills for t in results.values())
    bad = sum(t.lost + t.corrupt + len(t.inconsistent) for t in results.values())
    lines.append(f"{'total':<10} {total:>6}")
    for name, t in results.items():
        lines.extend(f"  {name}: {problem}" for problem in t.inconsistent[:5])
    lines.append("")
    lines.append("targets: 0 lost, 0 corrupt, 0 inconsistent: " + ("met" if bad == 0 else "MISSED"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qa-kills-") as temp:
        results = run(args.folder or Path(temp), args.kills, args.seed)
    print(report(results))
    bad = sum(t.lost + t.corrupt + len(t.inconsistent) for t in results.values())
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
