"""``qa-monitor check``: look for changes made outside QA Monitor (tamper evidence).

Exit codes: 0 nothing found; 1 something was changed outside QA Monitor (each finding
is printed as a sentence); 2 no such database, or it cannot be opened.
"""

from __future__ import annotations

import argparse
import sys

OK, FOUND, BAD_INPUT = 0, 1, 2


def add_subparsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser(
        "check",
        help="check the database at --db PATH for changes made outside QA Monitor "
        "(the audit log, submitted evaluations, published forms, safeguard triggers)",
    )


def run_check(args: argparse.Namespace) -> int:
    from qa_monitor.cli_data import _database_path
    from qa_monitor.services.evidence_check import check_evidence
    from qa_monitor.storage.database import open_database
    from qa_monitor.storage.errors import StorageError

    path = _database_path(args)
    if path is None:
        return BAD_INPUT
    try:
        db = open_database(path)
    except StorageError as exc:
        print(str(exc), file=sys.stderr)
        return BAD_INPUT
    try:
        findings = check_evidence(db)
        (links,) = db.execute("SELECT count(*) FROM evidence").fetchone()
    finally:
        db.close()
    for finding in findings:
        print(f"{finding.severity.value}: {finding.sentence}")
    if findings:
        return FOUND
    print(
        f"No sign of changes made outside QA Monitor in '{path}': {links:,} recorded "
        "fingerprints and every safeguard checked."
    )
    return OK
