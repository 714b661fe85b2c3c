"""A backup, a restore and an archive round trip of a real database, with row counts and
digests side by side; and how long the damage checks take on it.

    python benchmarks/bench_backups.py SOURCE.db [--work DIR]

SOURCE is copied, never changed. Prints, for every archived table, the rows and the
first 12 hex digits of the sha256 of its rows (storage/archive.py ``table_digests``)
in: the source, its backup, the database after a restore of that backup (changed in
between), and a fresh database that imported the archive. Then the seconds of
``quick_check``, the full ``integrity_check`` and the time-boxed check run at open.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from pathlib import Path

from qa_monitor.services import Services
from qa_monitor.services.backup_service import BackupPlan, back_up, restore_backup
from qa_monitor.storage.archive import TableInfo, export_archive, import_archive, table_digests
from qa_monitor.storage.database import open_database
from qa_monitor.storage.health import open_check_seconds, run_check


def digests(path: Path) -> dict[str, TableInfo]:
    conn = sqlite3.connect(path)
    try:
        return table_digests(conn)
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/qa-monitor-backups"))
    args = parser.parse_args(argv)
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    db = args.work / "centre.db"
    shutil.copyfile(args.source, db)
    timings: list[tuple[str, float]] = []

    started = time.perf_counter()
    backup = back_up(BackupPlan(db, args.work / "backups"))
    timings.append(("backup (copy, quick_check, fsync, rename)", time.perf_counter() - started))
    source = digests(db)
    copy = digests(backup)

    with Services.open(db) as services:
        services.people.add_team("Added after the backup")
    changed = digests(db)
    started = time.perf_counter()
    restore_backup(db, backup, args.work / "backups")
    timings.append(("restore (full check, keep current, copy in)", time.perf_counter() - started))
    restored = digests(db)

    archive = args.work / "centre.qaarchive"
    started = time.perf_counter()
    opened = open_database(db)
    try:
        export_archive(opened, archive)
    finally:
        opened.close()
    timings.append(("archive export", time.perf_counter() - started))
    started = time.perf_counter()
    import_archive(archive, args.work / "fresh.db")
    timings.append(
        ("archive import (new database, roll-ups rebuilt)", time.perf_counter() - started)
    )
    imported = digests(args.work / "fresh.db")

    columns = [("source", source), ("backup", copy), ("restored", restored), ("imported", imported)]
    print(f"{'table':<16}" + "".join(f"{name:>24}" for name, _d in columns) + "  equal")
    for table in source:
        cells = "".join(f"{d[table].rows:>11,} {d[table].sha256[:12]}" for _name, d in columns)
        same = all(d[table] == source[table] for _n, d in columns)
        print(f"{table:<16}{cells}  {'yes' if same else 'NO'}")
    print(f"after the change and before the restore, teams: {changed['teams'].rows:,}")
    all_equal = all(d == source for _n, d in columns)
    print(f"every table equal in all four: {'yes' if all_equal else 'NO'}")
    print(f"archive: {archive.stat().st_size:,} bytes; database: {db.stat().st_size:,} bytes")

    box = open_check_seconds(db)
    at_open = "check at open (in full)" if box is None else f"check at open ({box:.0f} s box)"
    conn = sqlite3.connect(db)
    try:
        for label, kwargs in (
            ("quick_check", {}),
            ("integrity_check", {"full": True}),
            (at_open, {"seconds": box}),
        ):
            report = run_check(conn, **kwargs)  # type: ignore[arg-type]
            done = "complete" if report.complete else "stopped: not fully checked"
            timings.append((f"{label}, {report.pages:,} pages, {done}", report.seconds))
    finally:
        conn.close()
    print()
    for label, seconds in timings:
        print(f"{seconds:>8.2f} s  {label}")
    return 0 if all_equal else 1


if __name__ == "__main__":
    sys.exit(main())
