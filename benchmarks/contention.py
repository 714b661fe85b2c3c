"""Three processes on one database: submits, a 100k-row import, exports and dashboards.

    python benchmarks/contention.py [--seconds 90] [--rows 100000] [--folder DIR]

One process submits evaluations one after another; one imports a call log of
``--rows`` rows with the command line, again and again (two logs in turn, so every
import updates every row); one exports (.csv, .xlsx) and refreshes the dashboard.
Every submit the submitter saw committed prints an ACK line; afterwards every one of
them must be in the database as submitted.

Targets: 0 failed writes, 0 acknowledged submits lost, and a submit never waits much
longer than one import chunk (about a quarter of a second; max submit under 1 s).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness_setup import (
    ack_seconds,
    acks,
    child,
    fails,
    percentile,
    prepare,
)
from qa_monitor.storage.database import open_database

TARGET_MAX_SUBMIT_S = 1.0


@dataclass(frozen=True)
class Outcome:
    seconds: float
    submits: int
    submit_seconds: list[float]
    imports: int
    import_seconds: list[float]
    reads: int
    failed: list[str]
    lost: int
    integrity: str

    @property
    def ok(self) -> bool:
        return not self.failed and self.lost == 0 and self.integrity == "ok"


def run(folder: Path, seconds: float, rows: int) -> Outcome:
    prepared = prepare(folder, rows)
    started = time.monotonic()
    # The import runs until the others stop (at least one whole import).
    procs = {
        "import": child("import", str(prepared.db), str(seconds), *map(str, prepared.calls)),
        "submit": child("submit", str(prepared.db), str(seconds)),
        "read": child("read", str(prepared.db), str(seconds), str(folder)),
    }
    out: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate()
        out[name] = stdout.splitlines()
        if proc.returncode != 0:
            errors[name] = f"{name} exited {proc.returncode}: {stderr.strip()[-500:]}"
    elapsed = time.monotonic() - started
    acked = {int(key) for key in acks(out["submit"], "submit")}
    with open_database(prepared.db) as db:
        stored = {
            row[0] for row in db.execute("SELECT id FROM evaluations WHERE status = 'submitted'")
        }
        integrity = str(db.execute("PRAGMA integrity_check").fetchone()[0])
    failed = [line for lines in out.values() for line in fails(lines)] + list(errors.values())
    reads = sum(len(acks(out["read"], kind)) for kind in ("csv", "xlsx", "dashboard"))
    return Outcome(
        seconds=elapsed,
        submits=len(acked),
        submit_seconds=ack_seconds(out["submit"], "submit"),
        imports=len(acks(out["import"], "import")),
        import_seconds=ack_seconds(out["import"], "import"),
        reads=reads,
        failed=failed,
        lost=len(acked - stored),
        integrity=integrity,
    )


def report(outcome: Outcome, rows: int) -> str:
    s = outcome.submit_seconds
    lines = [
        f"Contention: submits, {rows:,}-row imports, exports + dashboard for "
        f"{outcome.seconds:.0f} s; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs",
        "",
        f"{'measure':<32} {'value':>10}  target",
        f"{'-' * 32} {'-' * 10}  {'-' * 14}",
        f"{'submits acknowledged':<32} {outcome.submits:>10,}",
        f"{'imports completed':<32} {outcome.imports:>10,}",
        f"{'exports + dashboards':<32} {outcome.reads:>10,}",
        f"{'failed writes (all processes)':<32} {len(outcome.failed):>10,}  0",
        f"{'acknowledged submits lost':<32} {outcome.lost:>10,}  0",
        f"{'integrity_check':<32} {outcome.integrity:>10}  ok",
        f"{'submit p50 s':<32} {percentile(s, 0.5):>10.3f}",
        f"{'submit p99 s':<32} {percentile(s, 0.99):>10.3f}",
        f"{'submit max s':<32} {max(s, default=0):>10.3f}  < {TARGET_MAX_SUBMIT_S:.1f}",
        f"{'import mean s':<32} "
        f"{sum(outcome.import_seconds) / max(1, len(outcome.import_seconds)):>10.1f}",
    ]
    for line in outcome.failed[:10]:
        lines.append(f"  {line}")
    verdict = outcome.ok and max(s, default=0) < TARGET_MAX_SUBMIT_S
    lines.append("")
    lines.append("all targets met" if verdict else "TARGET MISSED")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qa-contention-") as temp:
        outcome = run(args.folder or Path(temp), args.seconds, args.rows)
    print(report(outcome, args.rows))
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
