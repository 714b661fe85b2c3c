"""Tamper evidence: a hash chain over the audit log, submitted evaluations and published
form versions (docs/tamper-evidence.md).

Every change QA Monitor makes to one of those records appends a *link* to the
``evidence`` table: the SHA-256 of the record's content as stored (``content``) and
the SHA-256 of the previous link's hash, the record's kind and id and that content
(``hash``). Links are appended in local insertion order, whatever made the change:
a screen, an import, team sync applying another site's work.

The links are written by TEMP triggers that only QA Monitor's own connections have
(``arm``), with a hash function registered on the connection. A plain ``sqlite3``
shell or another tool has neither, so its edits leave the records out of step with
their last link, which ``storage/evidence_check.py`` finds. (Permanent triggers would
make every edit in such a tool fail with "no such function", which hides nothing and
breaks honest tools; a trigger the tool can drop proves nothing either.)

Code that writes these records with the triggers off (bulk loads) or inserts a
submitted evaluation before its answers (team sync's first-sync mode) seals them
itself with ``seal``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from typing import Any

GENESIS = bytes(32)
_PAGE = 2000

# A record's content is hashed from its column values as Python reads them (``repr``
# of each: text, integers, reals at full precision, None), in a fixed column order;
# its child rows (answers, section scores, form questions) are hashed as a sorted set
# by an aggregate, so no SQL ordering and no JSON rendering of reals is relied on.
_ANSWER_COLUMNS = (
    "question_id, section_id, value, na, comment, timestamp_ms, earned, possible, status, failing"
)
_SECTION_COLUMNS = (
    "section_id, position, category, earned, earned_before_critical, possible, weight,"
    " critical_failed"
)
_QUESTION_COLUMNS = (
    "question_id, section_id, section_title, category, position, text, type, points,"
    " critical, scored, bonus"
)


def _rows(columns: str, table: str, key: str) -> str:
    return f"(SELECT qa_evidence_rows({columns}) FROM main.{table} WHERE {key} = {{r}}.id)"


def _record(kind: str, *parts: str) -> str:
    columns = ", ".join(p if p.startswith("(") else f"{{r}}.{p}" for p in parts)
    return f"qa_evidence_record('{kind}', {columns})"


@dataclass(frozen=True)
class Kind:
    """A kind of record the chain covers: its table, which rows are sealed, and the SQL
    (over the row alias ``{r}``) for its content's SHA-256."""

    name: str
    table: str
    content: str
    sealed: str  # SQL over {r}: rows that must have a link


AUDIT = Kind(
    "audit",
    "audit_log",
    _record(
        "audit",
        "id",
        "evaluation_id",
        "at",
        "actor_id",
        "action",
        "field",
        "old",
        "new",
        "reason",
    ),
    "1",
)
EVALUATION = Kind(
    "evaluation",
    "evaluations",
    _record(
        "evaluation",
        "id",
        "interaction_id",
        "form_id",
        "form_version_id",
        "reviewer_id",
        "agent_id",
        "team_id",
        "channel",
        "interaction_date",
        "kind",
        "status",
        "created_at",
        "submitted_at",
        "score",
        "score_before_critical",
        "passed",
        "band",
        "critical_failed",
        "auto_failed",
        "earned",
        "possible",
        "overall_comment",
        "revision",
        _rows(_ANSWER_COLUMNS, "answers", "evaluation_id"),
        _rows(_SECTION_COLUMNS, "section_scores", "evaluation_id"),
    ),
    "{r}.status <> 'draft'",
)
FORM_VERSION = Kind(
    "form_version",
    "form_versions",
    _record(
        "form_version",
        "id",
        "form_id",
        "version",
        "status",
        "definition",
        "checksum",
        "created_at",
        "published_at",
        "published_by",
        _rows(_QUESTION_COLUMNS, "form_questions", "form_version_id"),
    ),
    "{r}.status = 'published'",
)
KINDS: tuple[Kind, ...] = (FORM_VERSION, EVALUATION, AUDIT)
BY_NAME = {k.name: k for k in KINDS}

SCHEMA_SQL = """
CREATE TABLE evidence (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('audit', 'evaluation', 'form_version')),
    ref INTEGER NOT NULL,
    content BLOB NOT NULL,
    hash BLOB NOT NULL
);
CREATE INDEX evidence_record ON evidence (kind, ref, seq);
"""


def record_hash(*values: object) -> bytes:
    """SHA-256 of a record's values (its kind first, child-row digests last)."""
    return hashlib.sha256(repr(values).encode("utf-8")).digest()


class _RowsDigest:
    """Aggregate: SHA-256 of a set of rows, whatever order SQLite hands them over in."""

    def __init__(self) -> None:
        self.rows: list[str] = []

    def step(self, *values: object) -> None:
        self.rows.append(repr(values))

    def finalize(self) -> bytes:
        return hashlib.sha256("\n".join(sorted(self.rows)).encode("utf-8")).digest()


def link_hash(prev: bytes | None, kind: str, ref: int, content: bytes) -> bytes:
    """The hash of a link: it covers the previous link's hash, so changing, removing or
    inserting any link changes every hash after it."""
    h = hashlib.sha256(prev or GENESIS)
    h.update(f"{kind}:{int(ref)}:".encode())
    h.update(content)
    return h.digest()


def register_functions(conn: sqlite3.Connection) -> None:
    """The hash functions the triggers and the check call (this connection only)."""
    conn.create_function("qa_evidence_record", -1, record_hash, deterministic=True)
    conn.create_aggregate("qa_evidence_rows", -1, _RowsDigest)  # type: ignore[arg-type]
    conn.create_function("qa_evidence_link", 4, link_hash, deterministic=True)


_LAST_HASH = "(SELECT hash FROM main.evidence ORDER BY seq DESC LIMIT 1)"


def _last_content(kind: str, ref: str) -> str:
    return (
        f"(SELECT content FROM main.evidence WHERE kind = '{kind}' AND ref = {ref}"
        " ORDER BY seq DESC LIMIT 1)"
    )


def _append(kind: Kind, ref: str) -> str:
    """Append a link for the record ``ref`` unless its last link has this content."""
    content = kind.content.format(r="r")
    return (
        "INSERT INTO evidence (kind, ref, content, hash)"
        f" SELECT '{kind.name}', {ref}, c, qa_evidence_link({_LAST_HASH}, '{kind.name}', {ref}, c)"
        f" FROM (SELECT {content} AS c FROM main.{kind.table} r"
        f" WHERE r.id = {ref})"
        f" WHERE c IS NOT {_last_content(kind.name, ref)}"
    )


# Evaluations are sealed when a row that is (or was) past draft is updated: every path
# that changes a submitted evaluation (submit, edit, status, the interaction's copies,
# team sync) ends with an update of its row, after its answers and section scores.
TRIGGERS: dict[str, str] = {
    "evidence_audit_insert": (
        "CREATE TEMP TRIGGER IF NOT EXISTS evidence_audit_insert AFTER INSERT ON main.audit_log"
        f"\nBEGIN\n    {_append(AUDIT, 'NEW.id')};\nEND"
    ),
    "evidence_evaluation_update": (
        "CREATE TEMP TRIGGER IF NOT EXISTS evidence_evaluation_update"
        " AFTER UPDATE ON main.evaluations"
        " WHEN NEW.status <> 'draft' OR OLD.status <> 'draft'"
        f"\nBEGIN\n    {_append(EVALUATION, 'NEW.id')};\nEND"
    ),
    "evidence_form_version_insert": (
        "CREATE TEMP TRIGGER IF NOT EXISTS evidence_form_version_insert"
        " AFTER INSERT ON main.form_versions WHEN NEW.status = 'published'"
        f"\nBEGIN\n    {_append(FORM_VERSION, 'NEW.id')};\nEND"
    ),
    "evidence_form_version_update": (
        "CREATE TEMP TRIGGER IF NOT EXISTS evidence_form_version_update"
        " AFTER UPDATE ON main.form_versions WHEN NEW.status = 'published'"
        f"\nBEGIN\n    {_append(FORM_VERSION, 'NEW.id')};\nEND"
    ),
}


def has_evidence(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'evidence'"
    ).fetchone()
    return row is not None


def arm(conn: sqlite3.Connection) -> None:
    """Register the hash functions and create this connection's TEMP triggers."""
    register_functions(conn)
    for sql in TRIGGERS.values():
        conn.execute(sql)


def disarm(conn: sqlite3.Connection) -> None:
    for name in TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS temp.{name}")


def head(conn: sqlite3.Connection) -> tuple[int, bytes]:
    """The last link: its sequence number and hash (0 and zeros for an empty chain)."""
    row = conn.execute("SELECT seq, hash FROM evidence ORDER BY seq DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), bytes(row[1]))


def seal(conn: sqlite3.Connection, kind: Kind, where: str = "1", params: Any = ()) -> int:
    """Append a link for every row of ``kind`` that must be sealed and matches ``where``
    (SQL over the alias ``r``), in id order, inside the caller's transaction. For code
    that wrote the rows with the triggers off; returns how many links it added."""
    register_functions(conn)
    _seq, prev = head(conn)
    sql = (
        f"SELECT r.id, {kind.content.format(r='r')} FROM {kind.table} r"
        f" WHERE r.id > ? AND ({kind.sealed.format(r='r')}) AND ({where})"
        f" ORDER BY r.id LIMIT {_PAGE}"
    )
    after, added = -1, 0
    while True:
        rows = conn.execute(sql, [after, *params]).fetchall()
        if not rows:
            return added
        links = []
        for ref, content in rows:
            prev = link_hash(prev, kind.name, ref, content)
            links.append((kind.name, ref, content, prev))
        conn.executemany(
            "INSERT INTO evidence (kind, ref, content, hash) VALUES (?, ?, ?, ?)", links
        )
        added += len(links)
        after = rows[-1][0]


def seal_ids(conn: sqlite3.Connection, kind: Kind, ids: list[int]) -> int:
    """Seal the given rows of ``kind`` (in id order)."""
    added, ordered = 0, sorted(ids)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        added += seal(conn, kind, f"r.id IN ({', '.join('?' * len(chunk))})", chunk)
    return added


def fill(conn: sqlite3.Connection) -> int:
    """Seal every record of a database that had no chain yet (the migration)."""
    return sum(seal(conn, kind) for kind in KINDS)


def high_marks(conn: sqlite3.Connection) -> dict[str, int]:
    """The largest id of each sealed table, to seal what a bulk load adds after it."""
    return {
        k.name: int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {k.table}").fetchone()[0])
        for k in KINDS
    }


def seal_added(conn: sqlite3.Connection, marks: dict[str, int]) -> int:
    """After a bulk load with the triggers off (``disarm``): seal every row added after
    ``high_marks``, in one pass per table."""
    return sum(seal(conn, kind, "r.id > ?", [marks[kind.name]]) for kind in KINDS)
