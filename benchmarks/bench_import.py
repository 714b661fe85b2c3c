"""Time importing a call log: N interactions from a CSV into a fresh database.

    python benchmarks/bench_import.py [N] [--encoding utf-8|utf-8-sig|cp1256|cp1251]

Builds a database with a roster of about sqrt(N) agents in teams (imported from a
roster CSV), writes an N-row interactions CSV (ids, ISO or day-first local times,
agent ids, channel, direction, duration, queue, customer, reason), then times:

- the first import (N rows created),
- a re-import of the same file (N rows matched and updated, nothing added),
- a preview (every row checked, nothing written).

Each run uses a fresh database; the best of ``--repeat`` runs is printed, with wall
and CPU seconds and the machine's load (other work on a shared machine slows the
wall clock). Target: N = 100,000 in at most 5 s for the first import.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))  # run from a checkout without installing

from qa_monitor.services import Services  # noqa: E402
from qa_monitor.services.import_mapping import ImportKind  # noqa: E402
from qa_monitor.services.import_service import ImportReport, ImportService  # noqa: E402

TARGET_S = 5.0
_REASONS = (
    "Billing question",
    "Cancel contract",
    "Техническая проблема",
    "مشکل فنی",
    "Address change",
    "استفسار عن الفاتورة",
)


def write_roster(path: Path, agents: int, encoding: str) -> None:
    lines = ["Agent ID;Name;Team;Email"]
    for i in range(agents):
        lines.append(f"AG{i:05d};Agent {i:05d};Team {i // 20 + 1};ag{i}@centre.example")
    path.write_text("\n".join(lines) + "\n", encoding=encoding, errors="replace")


def write_calls(path: Path, n: int, agents: int, encoding: str, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 8, 0)
    channels = ("phone", "phone", "phone", "chat", "email", "social")
    lines = ["Call ID,Start time,Agent ID,Channel,Direction,Duration,Queue,Customer,Reason"]
    for i in range(n):
        moment = start + timedelta(minutes=i * 3 + rng.randrange(3))
        # Half ISO, half day-first local, as mixed logs are.
        when = moment.isoformat(sep=" ") if i % 2 else moment.strftime("%d/%m/%Y %H:%M")
        lines.append(
            f"C{i:08d},{when},AG{rng.randrange(agents):05d},{rng.choice(channels)},"
            f"{'inbound' if rng.random() < 0.8 else 'outbound'},{rng.randint(30, 1800)},"
            f"Q{rng.randrange(8)},CUST{rng.randrange(n // 3 + 1):07d},"
            f'"{rng.choice(_REASONS)}"'
        )
    path.write_text("\n".join(lines) + "\n", encoding=encoding, errors="replace")


def _timed(run: Callable[[], object]) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def one_run(folder: Path, n: int, agents: int) -> list[tuple[str, float, float, str]]:
    """Import into a fresh database: first import, re-import, preview."""
    roster, calls = folder / "roster.csv", folder / "calls.csv"
    db = folder / f"qa-{time.monotonic_ns()}.db"
    out: list[tuple[str, float, float, str]] = []
    with Services.open(db) as services:
        service = ImportService.from_services(services)
        report = service.run_import(roster, ImportKind.ROSTER)
        assert report.created == agents, report.summary()
        steps: list[tuple[str, Callable[[], object]]] = [
            ("first import", lambda: service.run_import(calls, ImportKind.INTERACTIONS)),
            ("re-import (updates)", lambda: service.run_import(calls, ImportKind.INTERACTIONS)),
            ("preview (check only)", lambda: service.preview(calls, ImportKind.INTERACTIONS)),
        ]
        for label, run in steps:
            wall, cpu, result = _timed(run)
            if isinstance(result, ImportReport):
                detail = result.summary()
            else:
                detail = f"{getattr(result, 'total_rows', '?')} rows checked"
            out.append((label, wall, cpu, detail))
        (count,) = services.db.execute("SELECT count(*) FROM interactions").fetchone()
        assert count == n, count
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is kept")
    args = parser.parse_args(argv)
    agents = max(10, round(math.sqrt(args.n)))
    best: dict[str, tuple[float, float, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_roster(folder / "roster.csv", agents, args.encoding)
        write_calls(folder / "calls.csv", args.n, agents, args.encoding)
        size = (folder / "calls.csv").stat().st_size
        for _ in range(args.repeat):
            for label, wall, cpu, detail in one_run(folder, args.n, agents):
                if label not in best or wall < best[label][0]:
                    best[label] = (wall, cpu, detail)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\nImport of {args.n:,} interactions ({size / 1e6:.1f} MB CSV, {args.encoding}, "
        f"{agents} agents); best of {args.repeat}; load average {load:.1f} "
        f"on {os.cpu_count()} CPUs\n"
    )
    print(f"{'step':<22} {'wall s':>7} {'CPU s':>7} {'rows/s':>9}  result")
    print(f"{'-' * 22} {'-' * 7} {'-' * 7} {'-' * 9}  {'-' * 40}")
    for label, (wall, cpu, detail) in best.items():
        print(f"{label:<22} {wall:>7.2f} {cpu:>7.2f} {args.n / wall:>9,.0f}  {detail}")
    first = best["first import"][0]
    ok = first <= TARGET_S * args.n / 100_000
    print(
        f"\nfirst import {'within' if ok else 'OVER'} the target of {TARGET_S:.0f} s per 100k rows"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
