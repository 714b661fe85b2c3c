"""Forms and their versions.

A form has at most one draft version (the designer's working copy) and any number
of published versions, numbered 1, 2, ... Publishing turns the draft (or a new row)
into version N+1; triggers refuse any later change to a published version, so an
evaluation is always re-readable with the exact form it was scored with.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qa_monitor.core.form_codec import form_from_data, form_to_data
from qa_monitor.core.forms import Form
from qa_monitor.core.records import FormInfo, FormStatus, FormVersion, FormVersionSummary
from qa_monitor.storage.analytics_queries import Scope, evaluation_sums
from qa_monitor.storage.database import Database
from qa_monitor.storage.errors import NotFoundError
from qa_monitor.storage.transactions import writes
from qa_monitor.storage.values import opt_parse_utc, parse_utc, utc_text

Row = dict[str, Any]
_SUMMARY_COLUMNS = "id, form_id, version, status, checksum, created_at, published_at, published_by"


@dataclass(frozen=True)
class StoredDefinition:
    """``form`` is None when the definition no longer has its stored checksum."""

    form: Form | None
    version: int
    title: str


def encode_form(form: Form) -> tuple[str, str]:
    """The definition as canonical JSON text, and its SHA-256 checksum."""
    text = json.dumps(form_to_data(form), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def _summary(row: Row, counts: dict[int, int]) -> FormVersionSummary:
    return FormVersionSummary(
        id=row["id"],
        form_id=row["form_id"],
        version=row["version"],
        status=FormStatus(row["status"]),
        checksum=row["checksum"],
        created_at=parse_utc(row["created_at"]),
        published_at=opt_parse_utc(row["published_at"]),
        published_by=row["published_by"],
        evaluation_count=counts.get(row["id"], 0),
    )


class FormRepo:
    def __init__(self, db: Database):
        self.db = db

    # -- reading -------------------------------------------------------------------------
    def _evaluation_counts(self, version_ids: list[int] | None = None) -> dict[int, int]:
        """Evaluations per version, drafts included (all versions for None).

        Submitted-or-later evaluations are counted from the dashboard roll-ups, which
        triggers keep equal to the raw rows (a few ms at a million evaluations, where
        counting the rows of a busy version took 70 ms on every evaluation opened);
        drafts, which the roll-ups leave out, are few and found through their index.
        """
        if version_ids is not None and not version_ids:
            return {}
        scope = Scope(form_version_ids=tuple(version_ids or ()))
        counts = {
            key[0]: sums.n
            for key, sums in evaluation_sums(self.db, scope, ("form_version_id",)).items()
        }
        # INDEXED BY: drafts are few, but the statistics say a quarter of the rows per
        # status, so SQLite walked the versions' index for the GROUP BY instead (1 s at
        # a million evaluations, on every evaluation opened).
        sql = (
            "SELECT form_version_id, count(*) FROM evaluations INDEXED BY evaluations_status"
            " WHERE status = 'draft'"
        )
        params: list[Any] = []
        if version_ids is not None:
            # The unary + keeps SQLite on the drafts' index: a busy version's index entry
            # would have it walk every evaluation of the version.
            sql += f" AND +form_version_id IN ({', '.join('?' * len(version_ids))})"
            params = list(version_ids)
        for version_id, drafts in self.db.execute(sql + " GROUP BY form_version_id", params):
            counts[version_id] = counts.get(version_id, 0) + drafts
        return counts

    def _version(self, row: Row) -> FormVersion:
        s = _summary(row, self._evaluation_counts([row["id"]]))
        form = form_from_data(json.loads(row["definition"]))
        return FormVersion(
            s.id,
            s.form_id,
            s.version,
            s.status,
            s.checksum,
            s.created_at,
            s.published_at,
            s.published_by,
            form,
            s.evaluation_count,
        )

    def _one(self, where: str, params: list[Any]) -> FormVersion | None:
        sql = f"SELECT * FROM form_versions WHERE {where} ORDER BY version DESC LIMIT 1"
        rows = list(self.db.query(sql, params))
        return self._version(rows[0]) if rows else None

    def get_version(self, version_id: int) -> FormVersion:
        version = self._one("id = ?", [version_id])
        if version is None:
            raise NotFoundError("form version", version_id)
        return version

    def definition_of(self, version_id: int) -> Form:
        """Only the form of a version (no counts): what scoring needs."""
        row = self.db.execute(
            "SELECT definition FROM form_versions WHERE id = ?", [version_id]
        ).fetchone()
        if row is None:
            raise NotFoundError("form version", version_id)
        return form_from_data(json.loads(row[0]))

    def stored_definition(self, version_id: int) -> StoredDefinition:
        """A version's form as stored, and whether its definition still has the checksum
        stored with it (a mismatch means it was changed outside QA Monitor)."""
        row = self.db.execute(
            "SELECT v.definition, v.checksum, v.version, coalesce(f.title, v.form_id)"
            " FROM form_versions v LEFT JOIN forms f ON f.id = v.form_id WHERE v.id = ?",
            [version_id],
        ).fetchone()
        if row is None:
            raise NotFoundError("form version", version_id)
        definition, checksum, version, title = row
        matches = hashlib.sha256(definition.encode("utf-8")).hexdigest() == checksum
        # An altered definition is never parsed: it may not even be a form any more.
        form = form_from_data(json.loads(definition)) if matches else None
        return StoredDefinition(form, int(version), str(title))

    def latest_published(self, form_id: str) -> FormVersion | None:
        return self._one("form_id = ? AND status = 'published'", [form_id])

    def draft_of(self, form_id: str) -> FormVersion | None:
        return self._one("form_id = ? AND status = 'draft'", [form_id])

    def form_info(self, form_id: str) -> FormInfo:
        infos = self._infos("WHERE id = ?", [form_id])
        if not infos:
            raise NotFoundError("form", form_id)
        return infos[0]

    def form_head(self, form_id: str) -> tuple[str, FormStatus]:
        """A form's title and status, without counting its evaluations (``form_info``
        counts them for every version, which takes seconds at a million)."""
        row = self.db.execute("SELECT title, status FROM forms WHERE id = ?", [form_id]).fetchone()
        if row is None:
            raise NotFoundError("form", form_id)
        return str(row[0]), FormStatus(row[1])

    def list_forms(self, *, include_retired: bool = True) -> list[FormInfo]:
        where = "" if include_retired else "WHERE status != 'retired'"
        return self._infos(where, [])

    def _infos(self, where: str, params: list[Any]) -> list[FormInfo]:
        forms = list(
            self.db.query(f"SELECT * FROM forms {where} ORDER BY title COLLATE NOCASE, id", params)
        )
        if not forms:
            return []
        ids = [f["id"] for f in forms]
        marks = ", ".join("?" * len(ids))
        versions = list(
            self.db.query(
                f"SELECT {_SUMMARY_COLUMNS} FROM form_versions WHERE form_id IN ({marks})"
                " ORDER BY form_id, version",
                ids,
            )
        )
        counts = self._evaluation_counts([v["id"] for v in versions])
        by_form: dict[str, list[FormVersionSummary]] = {}
        for v in versions:
            by_form.setdefault(v["form_id"], []).append(_summary(v, counts))
        return [
            FormInfo(
                form_id=f["id"],
                title=f["title"],
                status=FormStatus(f["status"]),
                created_at=parse_utc(f["created_at"]),
                retired_at=opt_parse_utc(f["retired_at"]),
                versions=tuple(by_form.get(f["id"], ())),
            )
            for f in forms
        ]

    def published_versions(
        self, *, include_retired: bool = False, latest_only: bool = True
    ) -> list[FormVersion]:
        """Published versions, newest first per form; by default the latest of each live form."""
        sql = (
            "SELECT v.* FROM form_versions v JOIN forms f ON f.id = v.form_id"
            " WHERE v.status = 'published'"
        )
        if not include_retired:
            sql += " AND f.status != 'retired'"
        if latest_only:
            sql += (
                " AND v.version = (SELECT max(version) FROM form_versions"
                " WHERE form_id = v.form_id AND status = 'published')"
            )
        sql += " ORDER BY f.title COLLATE NOCASE, f.id, v.version DESC"
        return [self._version(r) for r in self.db.query(sql)]

    # -- writing -------------------------------------------------------------------------
    def _touch_form(self, form: Form, now: datetime) -> None:
        self.db.execute(
            "INSERT INTO forms (id, title, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET title = excluded.title",
            [form.id, form.title, utc_text(now)],
        )

    def _next_version(self, form_id: str) -> int:
        (n,) = self.db.execute(
            "SELECT coalesce(max(version), 0) FROM form_versions"
            " WHERE form_id = ? AND status = 'published'",
            [form_id],
        ).fetchone()
        return int(n) + 1

    def save_draft(self, form: Form, now: datetime) -> FormVersion:
        """Create or overwrite the form's draft version with ``form``."""
        definition, checksum = encode_form(form)
        with self.db.atomic():
            self._touch_form(form, now)
            draft = self.db.execute(
                "SELECT id FROM form_versions WHERE form_id = ? AND status = 'draft'", [form.id]
            ).fetchone()
            if draft:
                version_id = int(draft[0])
                self.db.execute(
                    "UPDATE form_versions SET definition = ?, checksum = ? WHERE id = ?",
                    [definition, checksum, version_id],
                )
            else:
                cur = self.db.execute(
                    "INSERT INTO form_versions"
                    " (form_id, version, status, definition, checksum, created_at)"
                    " VALUES (?, ?, 'draft', ?, ?, ?)",
                    [form.id, self._next_version(form.id), definition, checksum, utc_text(now)],
                )
                assert cur.lastrowid is not None
                version_id = cur.lastrowid
            self.write_questions(version_id, form)
        return self.get_version(version_id)

    def publish(self, form: Form, publisher_id: int | None, now: datetime) -> FormVersion:
        """Publish ``form`` as version N+1 (from its draft, if any), or return the latest
        published version when its definition is identical. Either way no draft remains.
        """
        _definition, checksum = encode_form(form)
        with self.db.atomic():
            latest = self.latest_published(form.id)
            if latest is not None and latest.checksum == checksum:
                self.discard_draft(form.id)
                self._mark_published(form, now)
                return latest
            draft = self.save_draft(form, now)
            self.db.execute(
                "UPDATE form_versions SET status = 'published', published_at = ?,"
                " published_by = ? WHERE id = ?",
                [utc_text(now), publisher_id, draft.id],
            )
            self._mark_published(form, now)
        return self.get_version(draft.id)

    def _mark_published(self, form: Form, now: datetime) -> None:
        self._touch_form(form, now)
        self.db.execute(
            "UPDATE forms SET status = 'published', retired_at = NULL WHERE id = ?", [form.id]
        )

    def discard_draft(self, form_id: str) -> bool:
        """Delete the form's draft version; a form that was never published goes with it."""
        with self.db.atomic():
            cur = self.db.execute(
                "DELETE FROM form_versions WHERE form_id = ? AND status = 'draft'", [form_id]
            )
            self.db.execute(
                "DELETE FROM forms WHERE id = ? AND status = 'draft'"
                " AND NOT EXISTS (SELECT 1 FROM form_versions WHERE form_id = forms.id)",
                [form_id],
            )
        return cur.rowcount > 0

    @writes
    def retire(self, form_id: str, now: datetime) -> None:
        self.form_info(form_id)
        self.db.execute(
            "UPDATE forms SET status = 'retired', retired_at = ? WHERE id = ?",
            [utc_text(now), form_id],
        )

    def write_questions(self, version_id: int, form: Form) -> None:
        self.db.execute("DELETE FROM form_questions WHERE form_version_id = ?", [version_id])
        rows = [
            (
                version_id,
                q.id,
                s.id,
                s.title,
                s.category.value,
                position,
                q.text,
                q.type.value,
                q.points,
                q.critical.value,
                int(q.scored),
                int(q.bonus),
            )
            for position, (s, q) in enumerate(form.questions())
        ]
        # A draft may repeat a question id while being edited: the first one is kept.
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO form_questions (form_version_id, question_id, section_id,"
            " section_title, category, position, text, type, points, critical, scored, bonus)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
