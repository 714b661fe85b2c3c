"""The Sync conflicts view's content: each listed conflict as a person reads it.

A conflict is two changes to one record made offline at the same time
(``core/sync_merge.py``, rule 3). This module says which record (names and dates,
``storage/sync_records.py``), which field, and what each version holds side by side:
for an evaluation's content its score, result, overall comment and the answers that
differ (with the form's question texts and option labels); for a roster field the two
values (a reference as the name it points to). It returns values, not sentences: the
UI words them, so every sentence stays whole and translatable.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from qa_monitor.core.form_codec import form_from_data
from qa_monitor.core.forms import Form, Question
from qa_monitor.core.sync_clock import hlc_physical_ms
from qa_monitor.core.sync_merge import Change
from qa_monitor.storage.database import Database
from qa_monitor.storage.sync_journal import ConflictRow, SyncJournal
from qa_monitor.storage.sync_records import RecordInfo, SyncRecords
from qa_monitor.storage.sync_schema import BY_NAME
from qa_monitor.storage.values import value_from_json

__all__ = [
    "AnswerShown",
    "ConflictDetail",
    "ConflictReader",
    "DiffLine",
    "LineKind",
    "RecordInfo",
    "Side",
    "short_site",
]
SHORT_SITE = 8


def short_site(site: str) -> str:
    """A site id short enough to read out: its last characters, which are random (the
    first ones of a UUIDv7 are its creation time, the same for sites made together)."""
    return site.replace("-", "")[-SHORT_SITE:]


class LineKind(StrEnum):
    SCORE = "score"  # the evaluation's score, percent
    PASSED = "passed"  # bool
    BAND = "band"  # text
    COMMENT = "comment"  # overall comment
    ANSWER = "answer"  # AnswerShown; label is the question's text
    STATUS = "status"  # an evaluation's status value
    VALUE = "value"  # a roster field; label is the field's name


@dataclass(frozen=True)
class AnswerShown:
    """One side of a differing answer: ``text`` is the option label(s) or the value
    (None: not answered)."""

    text: str | None
    na: bool = False
    comment: str = ""


@dataclass(frozen=True)
class DiffLine:
    kind: LineKind
    label: str
    kept: Any
    other: Any


@dataclass(frozen=True)
class Side:
    """Who made a version and when: the site (``this_site`` for this installation) and
    the moment from its hybrid clock (UTC)."""

    site: str
    short: str
    this_site: bool
    at: datetime
    deleted: bool = False


@dataclass(frozen=True)
class ConflictDetail:
    row: ConflictRow  # what ``dismiss`` needs
    record: RecordInfo
    field: str
    kept: Side
    other: Side
    lines: tuple[DiffLine, ...]


def side_of(change: Change, this_site: str) -> Side:
    at = datetime.fromtimestamp(hlc_physical_ms(change.hlc) / 1000, UTC)
    return Side(change.site, short_site(change.site), change.site == this_site, at, change.deleted)


class ConflictReader:
    """Builds ``ConflictDetail``s from one database connection."""

    def __init__(self, db: Database):
        self.journal = SyncJournal(db)
        self.records = SyncRecords(db)
        self._forms: dict[str, Form | None] = {}

    def details(self) -> list[ConflictDetail]:
        site = self.journal.site
        return [self.detail(row, site) for row in self.journal.conflicts()]

    def detail(self, row: ConflictRow, this_site: str) -> ConflictDetail:
        record = self.records.describe(row.entity, row.uuid)
        kept, other = row.kept.fields.get(row.field), row.other.fields.get(row.field)
        if row.entity == "evaluation" and row.field == "content":
            lines = self._content_lines(record, kept or {}, other or {})
        elif row.entity == "evaluation" and row.field == "status":
            lines = (DiffLine(LineKind.STATUS, row.field, kept, other),)
        else:
            lines = (
                DiffLine(
                    LineKind.VALUE,
                    row.field,
                    self._value(row.entity, row.field, kept),
                    self._value(row.entity, row.field, other),
                ),
            )
        return ConflictDetail(
            row,
            record,
            row.field,
            side_of(row.kept, this_site),
            side_of(row.other, this_site),
            lines,
        )

    def _value(self, entity: str, field: str, value: Any) -> Any:
        """A field's value as people know it: a reference as the name it points to."""
        spec = BY_NAME.get(entity)
        ref = None
        if spec is not None:
            ref = next((f.ref for f in spec.fields if f.name == field), None)
        if ref is not None and isinstance(value, str):
            return self.records.name_of(ref, value) or ""
        return value

    def _form(self, record: RecordInfo) -> Form | None:
        if not record.definition:
            return None
        if record.definition not in self._forms:
            try:
                self._forms[record.definition] = form_from_data(json.loads(record.definition))
            except (ValueError, KeyError, TypeError):
                self._forms[record.definition] = None
        return self._forms[record.definition]

    def _content_lines(
        self, record: RecordInfo, kept: Mapping[str, Any], other: Mapping[str, Any]
    ) -> tuple[DiffLine, ...]:
        # The score is always shown (it is what people compare first); the rest only
        # where the two versions differ.
        lines = [DiffLine(LineKind.SCORE, "score", kept.get("score"), other.get("score"))]
        for kind, key in (
            (LineKind.PASSED, "passed"),
            (LineKind.BAND, "band"),
            (LineKind.COMMENT, "overall_comment"),
        ):
            if kept.get(key) != other.get(key):
                lines.append(DiffLine(kind, key, kept.get(key), other.get(key)))
        form = self._form(record)
        questions: dict[str, Question] = (
            {q.id: q for _s, q in form.questions()} if form is not None else {}
        )
        kept_answers, other_answers = _answers(kept), _answers(other)
        order = list(questions) + sorted(
            (set(kept_answers) | set(other_answers)) - set(questions)
        )
        for qid in order:
            a, b = kept_answers.get(qid), other_answers.get(qid)
            if a == b:
                continue
            question = questions.get(qid)
            lines.append(
                DiffLine(
                    LineKind.ANSWER,
                    question.text if question is not None else qid,
                    _shown(a, question),
                    _shown(b, question),
                )
            )
        return tuple(lines)


def _answers(content: Mapping[str, Any]) -> dict[str, tuple[Any, bool, str]]:
    """Question id -> (value, N/A, comment) from a travelling evaluation's content
    (rows as ``sync_schema._ANSWERS_JSON`` writes them)."""
    out = {}
    for item in content.get("answers") or []:
        qid, _section, raw, na, comment = item[:5]
        try:
            value = value_from_json(raw)
        except (ValueError, TypeError):
            value = raw
        out[str(qid)] = (value, bool(na), str(comment or ""))
    return out


def _shown(answer: tuple[Any, bool, str] | None, question: Question | None) -> AnswerShown:
    if answer is None:
        return AnswerShown(None)
    value, na, comment = answer
    labels = {o.id: o.label for o in question.options} if question is not None else {}
    if value is None or value == "" or value == ():
        text = None
    elif isinstance(value, tuple):
        text = "; ".join(labels.get(v) or v for v in value)
    elif isinstance(value, str):
        text = labels.get(value) or value
    else:
        text = f"{value:g}" if isinstance(value, float) else str(value)
    return AnswerShown(text, na, comment)
