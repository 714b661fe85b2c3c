"""kill -9 during ``qa-monitor backup`` and ``qa-monitor restore``: nothing corrupt, nothing half.

Each trial starts from the same two states: the database (A: the source plus one team)
and a backup of the source (B). It runs ``backup`` or ``restore B --yes`` as a separate
process and kills it with SIGKILL at a random moment within the time a full run takes.
Then: the database passes SQLite's full check and holds exactly A or exactly B (table
digests of every archived table), and every finished backup file in the folder passes
the check (a ``.partial`` left by the kill is allowed; the next backup removes it).

Quick subset: ``tests/reliability/test_kills.py``. Full run:
``python -m tests.reliability.kills SOURCE.db [--kills 24]``.
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
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Kill:
    number: int
    operation: str
    after_ms: int
    finished: bool
    state: str  # "before", "backup" or "OTHER"
    database_ok: bool
    backups_ok: bool

    @property
    def passed(self) -> bool:
        return self.database_ok and self.backups_ok and self.state in ("before", "backup")


def _digests(path: Path) -> dict:
    from qa_monitor.storage.archive import table_digests

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return table_digests(conn)
    finally:
        conn.close()


def _command(db: Path, operation: str, backup: Path) -> list[str]:
    base = [sys.executable, "-m", "qa_monitor", "--db", str(db)]
    if operation == "restore":
        return [*base, "restore", str(backup), "--yes"]
    return [*base, "backup"]


def _run(command: list[str], kill_after: float | None) -> tuple[bool, float]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO
    )
    if kill_after is None:
        proc.wait()
        return True, time.perf_counter() - started
    try:
        proc.wait(timeout=kill_after)
        return True, time.perf_counter() - started
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return False, time.perf_counter() - started


class Setup:
    """State A (the database) and B (its backup), made once and copied per trial."""

    def __init__(self, source: Path, work: Path):
        from qa_monitor.services import Services
        from qa_monitor.services.backup_service import BackupPlan, back_up

        work.mkdir(parents=True, exist_ok=True)
        self.work = work
        self.state_a = work / "state-a.db"
        shutil.copyfile(source, self.state_a)
        self.backup = back_up(BackupPlan(self.state_a, work / "kept"), to=work / "state-b.db")
        with Services.open(self.state_a) as services:
            services.people.add_team("Only in state A")
        for suffix in ("-wal", "-shm"):
            Path(f"{self.state_a}{suffix}").unlink(missing_ok=True)
        self.digest_a = _digests(self.state_a)
        self.digest_b = _digests(self.backup)
        self.db = work / "db" / "qa.db"

    def reset(self) -> None:
        if self.db.parent.exists():
            shutil.rmtree(self.db.parent)
        self.db.parent.mkdir(parents=True)
        shutil.copyfile(self.state_a, self.db)

    def durations(self) -> dict[str, float]:
        """How long a full run of each takes, and the interpreter's start ("start"), so
        the kills land in the work rather than in Python's start-up."""
        _ok, start = _run([sys.executable, "-m", "qa_monitor", "--version"], None)
        found = {"start": start}
        for operation in ("backup", "restore"):
            self.reset()
            _ok, seconds = _run(_command(self.db, operation, self.backup), None)
            found[operation] = seconds
        return found


def trial(setup: Setup, number: int, operation: str, after: float) -> Kill:
    from qa_monitor.storage.health import check_file

    setup.reset()
    finished, _seconds = _run(_command(setup.db, operation, setup.backup), after)
    database_ok = not check_file(setup.db).damaged
    digest = _digests(setup.db) if database_ok else None
    state = (
        "before" if digest == setup.digest_a else "backup" if digest == setup.digest_b else "OTHER"
    )
    folder = setup.db.parent / "backups"
    backups = sorted(folder.glob("*.db")) if folder.is_dir() else []
    backups_ok = all(not check_file(b).damaged for b in backups)
    return Kill(number, operation, int(after * 1000), finished, state, database_ok, backups_ok)


def run(source: Path, work: Path, kills: int, seed: int = 13) -> tuple[list[Kill], dict]:
    rng = random.Random(seed)
    setup = Setup(source, work)
    durations = setup.durations()
    results: list[Kill] = []
    number = 0
    # Runs until ``kills`` runs were really killed before they finished (a run that
    # finishes first still counts as a check of the finished state), at most 3× as many.
    while sum(not k.finished for k in results) < kills and number < 3 * kills:
        if number and number % 8 == 0:
            durations = setup.durations()  # the machine's load changes: measure again
        operation = ("backup", "restore")[number % 2]
        after = rng.uniform(durations["start"], durations[operation])
        results.append(trial(setup, number, operation, after))
        number += 1
    return results, durations


def table(results: list[Kill], durations: dict[str, float]) -> str:
    lines = [
        "full runs: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in durations.items()),
        f"{'#':>3} {'operation':<9} {'kill at':>8}  {'ran':<8} {'database':<9} {'holds':<7} "
        "backups",
    ]
    for k in results:
        lines.append(
            f"{k.number:>3} {k.operation:<9} {k.after_ms:>6} ms  "
            f"{'finished' if k.finished else 'killed':<8} "
            f"{'ok' if k.database_ok else 'CORRUPT':<9} "
            f"{k.state:<7} {'ok' if k.backups_ok else 'CORRUPT'}"
        )
    killed = sum(not k.finished for k in results)
    corrupt = sum(not (k.database_ok and k.backups_ok) for k in results)
    other = sum(k.state == "OTHER" for k in results)
    lines.append(
        f"{len(results)} runs, {killed} killed before they finished: {corrupt} corrupt files, "
        f"{other} databases equal to neither the state before nor the backup (target: 0, 0)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a real database to copy (not changed)")
    parser.add_argument("--kills", type=int, default=24, help="runs killed before finishing")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--work", type=Path, default=Path("/tmp/qa-monitor-kills"))
    args = parser.parse_args(argv)
    results, durations = run(args.source, args.work, args.kills, args.seed)
    print(table(results, durations))
    return 0 if all(k.passed for k in results) else 1


if __name__ == "__main__":
    sys.exit(main())
