"""Tamper evidence in words: what ``storage/evidence_check.py`` found, one sentence each.

Rules:
- Each kind of problem is reported once, naming the first record it touches in the
  order QA Monitor wrote them (and how many share it), because everything recorded
  after the first broken link can no longer be trusted either.
- A record is named by what a user recognises: the audit entry's number, date and
  author; the evaluation's agent, call date and reviewer; the form's title and version.
- Changes made outside QA Monitor and removed safeguards are errors; a missing index
  (slower lists, nothing hidden) is a warning.
"""

from __future__ import annotations

import enum
import logging
import sqlite3
from dataclasses import dataclass

from qa_monitor.storage.database import Database
from qa_monitor.storage.evidence_check import (
    Break,
    Progress,
    describe,
    link_record,
    verify,
)

log = logging.getLogger(__name__)


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    sentence: str


def _continue(_step: str) -> bool:
    return True


def evidence_findings(
    conn: sqlite3.Connection, progress: Progress = _continue
) -> list[Finding]:
    """The findings of ``verify`` on ``conn`` (read-only is enough), in words."""
    return [_finding(conn, b) for b in verify(conn, progress)]


def check_evidence(db: Database, progress: Progress = _continue) -> list[Finding]:
    """Verify the tamper-evidence chain, every record it covers and the schema's
    safeguards; an empty list means nothing was changed outside QA Monitor that the
    chain can see (see docs/tamper-evidence.md for what it cannot see)."""
    findings = evidence_findings(db.conn, progress)
    for f in findings:
        log.warning("Tamper evidence (%s): %s", db.path, f.sentence)
    return findings


def _date(value: object) -> str:
    return str(value or "")[:10] or "?"


def _finding(conn: sqlite3.Connection, b: Break) -> Finding:
    if b.kind in ("trigger", "table", "index"):
        return _schema_finding(b)
    if b.what == "link":
        return Finding(Severity.ERROR, _link_sentence(conn, b.ref))
    facts = describe(conn, b.kind, b.ref) or {}
    return Finding(Severity.ERROR, _record_sentence(b, facts))


def _link_sentence(conn: sqlite3.Connection, seq: int) -> str:
    record = link_record(conn, seq)
    if record is not None and record[0] == "audit":
        return (
            f"The tamper-evidence chain was edited outside QA Monitor at link {seq:,} "
            f"(the fingerprint of audit entry {record[1]:,}); nothing recorded after it "
            "can be trusted."
        )
    return (
        f"The tamper-evidence chain was edited outside QA Monitor at link {seq:,}; "
        "nothing recorded after it can be trusted."
    )


def _record_sentence(b: Break, facts: dict[str, object]) -> str:
    n, more = b.ref, b.count - 1
    if b.kind == "audit":
        who = f"{_date(facts.get('at'))}, by {facts.get('actor') or 'an unknown reviewer'}"
        if b.what == "changed" and more:
            return (
                f"The audit log was changed outside QA Monitor: entry {n:,} ({who}) and "
                f"{more:,} later entries no longer match their recorded fingerprints; "
                "entries after the first cannot be trusted."
            )
        if b.what == "changed":
            return (
                f"The audit log was changed outside QA Monitor: entry {n:,} ({who}) no longer "
                "matches its recorded fingerprint; entries after it cannot be trusted."
            )
        if b.what == "unsealed" and more:
            return (
                f"The audit log was changed outside QA Monitor: entry {n:,} ({who}) and "
                f"{more:,} later entries were added without QA Monitor and have no recorded "
                "fingerprint."
            )
        if b.what == "unsealed":
            return (
                f"The audit log was changed outside QA Monitor: entry {n:,} ({who}) was added "
                "without QA Monitor and has no recorded fingerprint."
            )
        if more:
            return (
                f"The audit log was changed outside QA Monitor: entry {n:,} and {more:,} "
                "later recorded entries were deleted."
            )
        return f"The audit log was changed outside QA Monitor: entry {n:,} was deleted."
    if b.kind == "evaluation":
        agent = facts.get("agent") or "an unknown agent"
        reviewer = facts.get("reviewer") or "an unknown reviewer"
        what = (
            f"The evaluation of {agent}'s interaction of {_date(facts.get('date'))}, scored "
            f"by {reviewer} (evaluation {n:,})"
        )
        also = f" {more:,} other evaluations were changed outside QA Monitor too." if more else ""
        if b.what == "changed":
            return (
                f"{what} was changed outside QA Monitor: its stored answers, scores or status "
                "no longer match its recorded fingerprint." + also
            )
        if b.what == "unsealed":
            return (
                f"{what} is marked submitted but has no recorded fingerprint: it was added or "
                "changed outside QA Monitor." + also
            )
        return f"Submitted evaluation {n:,} was deleted outside QA Monitor." + also
    form = f"Version {facts.get('version', '?')} of the form '{facts.get('title', '?')}'"
    if b.what == "changed":
        return (
            f"{form} was changed outside QA Monitor: its questions, points or checksum no "
            "longer match its recorded fingerprint, so evaluations scored with it cannot be "
            "trusted."
        )
    if b.what == "unsealed":
        return (
            f"{form} is marked published but has no recorded fingerprint: it was added "
            "outside QA Monitor."
        )
    return "A published form version was deleted outside QA Monitor."


def _schema_finding(b: Break) -> Finding:
    if b.kind == "trigger" and b.what == "missing":
        return Finding(
            Severity.ERROR,
            f"The database safeguard '{b.name}' (a trigger) is missing: it was dropped "
            "outside QA Monitor, so changes it should have stopped or recorded may have been "
            "made; restore a backup made before it was dropped.",
        )
    if b.kind == "trigger" and b.what == "altered":
        return Finding(
            Severity.ERROR,
            f"The database safeguard '{b.name}' (a trigger) was altered outside QA Monitor; "
            "restore a backup made before the change.",
        )
    if b.kind == "trigger":
        return Finding(
            Severity.ERROR,
            f"The database holds a trigger QA Monitor never made ('{b.name}'); it could "
            "change records as they are written, so have it looked at before trusting new "
            "records.",
        )
    if b.kind == "table":
        return Finding(
            Severity.ERROR,
            f"The table '{b.name}' is missing from the database; restore a backup.",
        )
    return Finding(
        Severity.WARNING,
        f"The index '{b.name}' is missing from the database, so some lists and reports will "
        "be slow; it was removed outside QA Monitor.",
    )
