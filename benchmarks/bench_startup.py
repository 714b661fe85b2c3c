"""Time from launching QA Monitor to a usable main window, from source and frozen.

    python benchmarks/bench_startup.py [--frozen dist/qa-monitor/qa-monitor] [--runs 3]
                                       [--screens evaluate dashboard] [--data-dir DIR]

Starts the app on the demo database (``--demo``) with ``QA_MONITOR_TIME_START=1``
(``qa_monitor/ui/start_timing.py``): the app prints a line once its window has painted
and the event loop is free, then closes. The time shown is the wall clock from
launching the process to that line: interpreter start, imports, opening the database,
building the window and its first screen. Each start is run ``--runs`` times; the first
is a cold-ish start (the app's files may not be in the page cache yet, and matplotlib may
build its font cache), the others are warm, and the table shows the first and the median
of the rest. ``--screens`` picks the screen the window opens on (the one remembered from
the last session): Evaluate is the default for a new user, the Dashboard is the heaviest
first screen (charts). Target: a warm frozen start ≤ 3 s on this machine.

A fresh data directory (a temporary one unless ``--data-dir``) holds the demo database,
the settings (the reviewer already chosen, so no question stops the start) and
matplotlib's cache; nothing is written to the user's own folders. Runs offscreen unless
``QT_QPA_PLATFORM`` is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]  # run from a checkout without installing

TARGET_S = 3.0
TIMEOUT_S = 120.0


def prepare(data_dir: Path) -> None:
    """The demo database and settings in ``data_dir``: a reviewer chosen for it."""
    os.environ["QA_MONITOR_DATA_DIR"] = str(data_dir)
    from qa_monitor import paths
    from qa_monitor.services import Services
    from qa_monitor.services.demo_data import build_demo_database

    db = paths.demo_database_path()
    if not db.exists():
        print(f"Building the demo database in {db} …", flush=True)
        build_demo_database(db)
    with Services.open(db) as services:
        reviewer = services.people.list_reviewers(active_only=True)[0].id
    _settings().setValue(f"reviewer/{db.resolve().as_posix()}", reviewer)


def _settings():  # type: ignore[no-untyped-def]
    """The app's own QSettings file in the data directory (as ``run_app`` sets it)."""
    from PySide6.QtCore import QCoreApplication, QSettings

    from qa_monitor import paths
    from qa_monitor.app import use_data_dir_for_settings

    QCoreApplication.setOrganizationName(paths.APP_AUTHOR)
    QCoreApplication.setApplicationName(paths.APP_NAME)
    use_data_dir_for_settings()
    return QSettings()


def open_on(screen: str) -> None:
    settings = _settings()
    settings.setValue("window/screen", screen)
    settings.sync()


def start_once(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Launch ``command``; seconds until it printed its start line, and that line."""
    from qa_monitor.ui.start_timing import REPORT_PREFIX

    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    seen: list[str] = []
    try:
        for line in process.stdout:
            if line.startswith(REPORT_PREFIX):
                took = time.perf_counter() - started
                process.wait(TIMEOUT_S)
                return took, line[len(REPORT_PREFIX) :].strip()
            seen.append(line)
            if time.perf_counter() - started > TIMEOUT_S:
                break
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    raise SystemExit(f"{command[0]} printed no start line:\n{''.join(seen[-20:])}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frozen", type=Path, help="the frozen app (dist/qa-monitor/qa-monitor)")
    parser.add_argument("--no-source", action="store_true", help="time the frozen app only")
    parser.add_argument("--runs", type=int, default=3, help="starts per row (default 3)")
    parser.add_argument("--screens", nargs="+", default=["evaluate", "dashboard"])
    parser.add_argument("--data-dir", type=Path, help="default: a new temporary folder")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="qa-start-"))
    prepare(data_dir)
    env = {**os.environ, "QA_MONITOR_DATA_DIR": str(data_dir), "QA_MONITOR_TIME_START": "1"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    builds: list[tuple[str, list[str], dict[str, str]]] = []
    if not args.no_source:
        source_env = {**env, "PYTHONPATH": str(ROOT)}
        builds.append(("source", [sys.executable, "-m", "qa_monitor", "--demo"], source_env))
    if args.frozen is not None:
        builds.append(("frozen", [str(args.frozen.resolve()), "--demo"], env))
    print(f"data dir {data_dir}; load average {os.getloadavg()[0]:.2f}; {args.runs} runs each")
    header = f"{'build':<7} {'first screen':<13} {'first':>7} {'warm':>7}  target  {'':<5} app"
    print(header)
    print("-" * len(header))
    for name, command, run_env in builds:
        for screen in args.screens:
            times, line = [], ""
            for _ in range(args.runs):
                open_on(screen)
                took, line = start_once(command, run_env)
                times.append(took)
            warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
            verdict = "ok" if warm <= TARGET_S else "SLOW"
            print(
                f"{name:<7} {screen:<13} {times[0]:>6.2f}s {warm:>6.2f}s  ≤ {TARGET_S:.0f} s  "
                f"{verdict:<5} {line}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
