"""``qa-monitor check`` and Database ▸ Check: a list of checks, each returning findings.

A check is a function of a ``CheckContext`` (the file, a read-only connection, a way to
report progress and to see a cancel) that returns ``Finding``s, one whole sentence each.
``DEFAULT_CHECKS`` is the list the CLI and the GUI run; another check (say, one that
verifies a hash chain) is added by appending a ``Check`` to it, or by passing a list.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qa_monitor.storage.backup import newest_backup
from qa_monitor.storage.health import (
    count_invalid_json,
    foreign_key_problems,
    open_read_only,
    run_check,
)

log = logging.getLogger(__name__)


class CheckCancelled(Exception):
    """The user cancelled the check; nothing was found or changed."""


@dataclass(frozen=True)
class Finding:
    """One problem, in words; ``detail`` is SQLite's own text, for the log only."""

    check: str
    message: str
    detail: str = ""


@dataclass
class CheckContext:
    path: Path
    conn: sqlite3.Connection
    progress: Callable[[str], None] = lambda _text: None
    cancelled: Callable[[], bool] = lambda: False


@dataclass(frozen=True)
class Check:
    name: str
    # Shown while it runs: one whole sentence.
    running: str
    run: Callable[[CheckContext], list[Finding]]


@dataclass(frozen=True)
class CheckReport:
    path: Path
    findings: tuple[Finding, ...]
    checks: tuple[str, ...]
    seconds: float
    newest_backup: Path | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.findings


def _restore_hint(path: Path) -> str:
    newest = newest_backup(path)
    if newest is None:
        return "Restore it from a backup copy, or keep working on a copy and ask for help."
    return (
        f"Restore the newest backup, '{newest}' (Database ▸ Restore backup, or "
        f'qa-monitor --db "{path}" restore "{newest}").'
    )


def _integrity(ctx: CheckContext) -> list[Finding]:
    report = run_check(ctx.conn, full=True, cancelled=ctx.cancelled)
    if not report.complete:
        raise CheckCancelled
    if not report.damaged:
        return []
    return [
        Finding(
            "integrity",
            f"SQLite found {len(report.problems)} problems in the structure of '{ctx.path}', "
            f"so some of its data may be lost or wrong. {_restore_hint(ctx.path)}",
            "\n".join(report.problems),
        )
    ]


def _foreign_keys(ctx: CheckContext) -> list[Finding]:
    try:
        counts = foreign_key_problems(ctx.conn)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        return [
            Finding(
                "foreign keys",
                f"The links between records in '{ctx.path}' cannot be read, because the file "
                f"is damaged. {_restore_hint(ctx.path)}",
                str(exc),
            )
        ]
    return [
        Finding(
            "foreign keys",
            f"{count:,} of the rows of the table '{table}' refer to records that do not exist. "
            f"{_restore_hint(ctx.path)}",
        )
        for table, count in sorted(counts.items())
    ]


# Columns that hold JSON documents, with what a user calls their rows. SQLite's checks
# look at the file's structure, not inside values; the schema's JSON rules (m013) let
# the opening quick_check see inside them too, but that check is time-boxed on large
# files, so the full check reads every document here and says which kind is damaged.
_DOCUMENTS = (
    ("form_versions", "definition", "form versions"),
    ("sync_journal", "fields", "team sync journal entries"),
)


def _documents(ctx: CheckContext) -> list[Finding]:
    found = []
    for table, column, what in _DOCUMENTS:
        count = count_invalid_json(ctx.conn, table, column)
        if count:
            found.append(
                Finding(
                    "documents",
                    f"{count:,} of the {what} in '{ctx.path}' cannot be read back, because "
                    f"the stored text is damaged. {_restore_hint(ctx.path)}",
                )
            )
    return found


def _evidence(ctx: CheckContext) -> list[Finding]:
    """Tamper evidence (docs/tamper-evidence.md): the hash chain over the audit log,
    submitted evaluations and published forms, and the schema's safeguards."""
    from qa_monitor.services.evidence_check import evidence_findings

    found = evidence_findings(ctx.conn, lambda _step: not ctx.cancelled())
    if ctx.cancelled():
        raise CheckCancelled
    return [Finding("evidence", f.sentence) for f in found]


DEFAULT_CHECKS: list[Check] = [
    Check("integrity", "Checking every page of the file…", _integrity),
    Check("foreign keys", "Checking the links between records…", _foreign_keys),
    Check("documents", "Checking the stored forms and sync journal…", _documents),
    Check(
        "evidence",
        "Checking the audit log, evaluations and forms for changes made outside QA Monitor…",
        _evidence,
    ),
]


def run_checks(
    path: Path,
    checks: Sequence[Check] | None = None,
    *,
    progress: Callable[[str], None] = lambda _text: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> CheckReport:
    """Run ``checks`` (default: ``DEFAULT_CHECKS``) on ``path`` through a read-only
    connection, so checking never changes the file. Raises CheckCancelled."""
    started = time.perf_counter()
    chosen = list(DEFAULT_CHECKS if checks is None else checks)
    findings: list[Finding] = []
    try:
        conn = open_read_only(path)
    except sqlite3.Error as exc:
        finding = Finding(
            "open",
            f"'{path}' cannot be opened for checking. {_restore_hint(path)}",
            str(exc),
        )
        return CheckReport(path, (finding,), (), time.perf_counter() - started)
    ctx = CheckContext(path, conn, progress, cancelled)
    try:
        for check in chosen:
            if cancelled():
                raise CheckCancelled
            progress(check.running)
            try:
                found = check.run(ctx)
            except CheckCancelled:
                raise
            except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
                found = [
                    Finding(
                        check.name,
                        f"'{path}' is too damaged for this check to finish. {_restore_hint(path)}",
                        str(exc),
                    )
                ]
            findings.extend(found)
            if any(f.check == "integrity" for f in found) and check.name == "integrity":
                # The structure is broken: later checks would read garbage.
                break
    finally:
        conn.close()
    for finding in findings:
        if finding.detail:
            log.info("check %s on %s: %s", finding.check, path, finding.detail)
    return CheckReport(
        path,
        tuple(findings),
        tuple(c.name for c in chosen),
        time.perf_counter() - started,
        newest_backup(path),
    )
