"""What the reliability harnesses share: a seeded database, call-log CSVs, and the
child roles that write and print an ``ACK`` line after each commit.

The roles run in their own processes (``python benchmarks/harness_setup.py ROLE DB ...``)
so the parent can run several at once (contention.py) or kill them with SIGKILL at
random moments (kill_harness.py). Each role prints:

- ``ACK <kind> <key> <seconds>`` once a write has been committed (``seconds``: how long
  the committing call took, lock wait included);
- ``FAIL <exception type> <message>`` for a write that failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from benchmarks.bench_import import write_calls, write_roster  # noqa: E402
from qa_monitor.services import Services  # noqa: E402
from qa_monitor.services.import_mapping import ImportKind  # noqa: E402
from qa_monitor.services.import_service import ImportService  # noqa: E402
from tests.factories import interaction_data, passing_answers, seed  # noqa: E402

AGENTS = 316


@dataclass(frozen=True)
class Prepared:
    db: Path
    calls: tuple[Path, ...]  # call logs with the same ids and different facts


def prepare(folder: Path, rows: int, *, logs: int = 2) -> Prepared:
    """A database with the sample form published, a reviewer, a roster of ``AGENTS``
    agents, and ``logs`` call-log CSVs of ``rows`` rows (importing one after another
    updates every row, so each import writes)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "qa.db"
    roster = folder / "roster.csv"
    write_roster(roster, AGENTS, "utf-8")
    with Services.open(db) as services:
        seed(services)
        ImportService.from_services(services).run_import(roster, ImportKind.ROSTER)
    calls = []
    for n in range(logs):
        path = folder / f"calls-{n}.csv"
        if rows:
            write_calls(path, rows, AGENTS, "utf-8", seed=7 + n)
        calls.append(path)
    return Prepared(db, tuple(calls))


def child(role: str, *args: str) -> subprocess.Popen[str]:
    """Start ``role`` in a new process; its stdout is a pipe of ACK/FAIL lines."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), role, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _ack(kind: str, key: object, seconds: float) -> None:
    print(f"ACK {kind} {key} {seconds:.4f}", flush=True)


def _fail(exc: BaseException) -> None:
    text = str(exc).replace("\n", " ")
    print(f"FAIL {type(exc).__name__} {text}", flush=True)


def role_submit(db: str, seconds: str, tag: str = "s") -> None:
    """Start, answer and submit evaluations until ``seconds`` have passed."""
    end = time.monotonic() + float(seconds)
    with Services.open(db) as services:
        agent = services.people.list_agents()[0]
        version = services.forms.list_forms()[0].latest_published
        reviewer = services.people.list_reviewers()[0]
        assert version is not None
        i = 0
        while time.monotonic() < end:
            i += 1
            try:
                interaction = services.interactions.create_interaction(
                    interaction_data(agent.id, external_id=f"{tag}-{os.getpid()}-{i}")
                )
                draft = services.evaluations.start_evaluation(
                    interaction.id, version.id, reviewer.id
                )
                services.evaluations.save_draft(draft.id, passing_answers())
                started = time.perf_counter()
                result = services.evaluations.submit(draft.id, reviewer.id)
                took = time.perf_counter() - started
            except Exception as exc:
                _fail(exc)
                continue
            if not result.ok:
                print(f"FAIL refused {result.problems}", flush=True)
                continue
            _ack("submit", result.evaluation.id, took)


def role_import(db: str, seconds: str, *calls: str) -> None:
    """Import the call logs in turn with the command line until ``seconds`` have passed
    (at least once)."""
    end = time.monotonic() + float(seconds)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    n = 0
    while True:
        path = calls[n % len(calls)]
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "qa_monitor", "--db", db, "import", "interactions", path],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        took = time.perf_counter() - started
        if done.returncode == 0:
            _ack("import", Path(path).name, took)
        else:
            err = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
            print(f"FAIL exit{done.returncode} {err}", flush=True)
        n += 1
        if time.monotonic() >= end:
            return


def role_read(db: str, seconds: str, out_folder: str) -> None:
    """Exports (.csv and .xlsx) and dashboard refreshes until ``seconds`` have passed."""
    from qa_monitor.core.records import EvaluationFilter
    from qa_monitor.reports.analytics_filter import DashboardFilter
    from qa_monitor.reports.csv_export import export_csv
    from qa_monitor.reports.xlsx_export import export_workbook
    from qa_monitor.services.dashboard_service import DashboardService

    end = time.monotonic() + float(seconds)
    out = Path(out_folder)
    dashboard = DashboardService(db)
    n = 0
    with Services.open(db) as services:
        while time.monotonic() < end:
            n += 1
            started = time.perf_counter()
            try:
                if n % 3 == 0:
                    export_workbook(
                        services, EvaluationFilter(), out / "export.xlsx", generated_by="harness"
                    )
                    kind = "xlsx"
                elif n % 3 == 1:
                    export_csv(services, EvaluationFilter(), out / "export.csv")
                    kind = "csv"
                else:
                    dashboard.build(DashboardFilter())
                    kind = "dashboard"
            except Exception as exc:
                _fail(exc)
                continue
            _ack(kind, n, time.perf_counter() - started)


def role_sync(db: str, folder: str) -> None:
    """One folder sync (the kill harness kills it midway)."""
    from qa_monitor.services.sync_folder import TeamFolder
    from qa_monitor.storage.database import open_database

    with open_database(db) as database:
        started = time.perf_counter()
        report = TeamFolder(database, folder).sync()
        _ack("sync", report.applied, time.perf_counter() - started)


def role_migrate(db: str) -> None:
    """Open (and so upgrade) an older database."""
    from qa_monitor.storage.database import open_database

    started = time.perf_counter()
    with open_database(db) as database:
        _ack("migrate", database.schema_version, time.perf_counter() - started)


def acks(lines: list[str], kind: str) -> list[str]:
    """The keys of the ``kind`` ACK lines."""
    return [line.split()[2] for line in lines if line.startswith(f"ACK {kind} ")]


def ack_seconds(lines: list[str], kind: str) -> list[float]:
    return [float(line.split()[3]) for line in lines if line.startswith(f"ACK {kind} ")]


def fails(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("FAIL ")]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


ROLES = {
    "submit": role_submit,
    "import": role_import,
    "read": role_read,
    "sync": role_sync,
    "migrate": role_migrate,
}

if __name__ == "__main__":
    ROLES[sys.argv[1]](*sys.argv[2:])
