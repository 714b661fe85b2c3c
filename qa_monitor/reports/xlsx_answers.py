"""The Answers sheet: one row per stored answer, with the question's text, the answer's
label (not its id), the points and the reviewer's comment."""

from __future__ import annotations

from datetime import date

from qa_monitor.core.forms import Category
from qa_monitor.reports.xlsx_sheets import Column
from qa_monitor.reports.xlsx_styles import Kind
from qa_monitor.storage.export_queries import ExportLayout
from qa_monitor.storage.values import value_from_json

ANSWER_COLUMNS = (
    Column("Evaluation", Kind.INT),
    Column("External id"),
    Column("Date", Kind.DATE),
    Column("Agent"),
    Column("Form"),
    Column("Section"),
    Column("Category"),
    Column("Question", width=50),
    Column("Answer"),
    Column("Earned", Kind.NUMBER),
    Column("Possible", Kind.NUMBER),
    Column("N/A"),
    Column("Critical failure"),
    Column("Comment", width=50),
)
ANSWER_FAIL_COLUMN = 12
_NA_WORDS = {"na": "N/A", "hidden": "N/A (hidden)"}
_CATEGORY_LABELS = {c.value: c.label for c in Category}


class AnswerRows:
    """Builds Answers-sheet rows; option ids are shown as their labels in that version."""

    def __init__(self, layout: ExportLayout):
        self.labels: dict[tuple[int, str], dict[str, str]] = {}
        for version_id, version in layout.versions.items():
            for _section, question in version.form.questions():
                if question.options:
                    self.labels[(version_id, question.id)] = {
                        o.id: o.label for o in question.options
                    }
        self._dates: dict[str, date] = {}

    def answer_text(self, version_id: int, question_id: str, raw: str | None) -> object:
        value = value_from_json(raw)
        if value is None:
            return None
        labels = self.labels.get((version_id, question_id))
        if isinstance(value, tuple):
            return "; ".join(labels.get(v, v) if labels else v for v in value)
        if isinstance(value, str) and labels:
            return labels.get(value, value)
        return value

    def row(self, r: tuple) -> list[object]:
        (
            eid,
            external_id,
            day,
            agent,
            form,
            _position,
            section,
            category,
            text,
            raw,
            na,
            status,
            earned,
            possible,
            failing,
            comment,
            version_id,
            question_id,
            critical,
        ) = r
        when = self._dates.get(day)
        if when is None:
            when = self._dates[day] = date.fromisoformat(day)
        critical_fail = "Yes" if failing and critical != "none" else None
        return [
            eid,
            external_id,
            when,
            agent,
            form,
            section,
            _CATEGORY_LABELS.get(category, category),
            text,
            None if na else self.answer_text(version_id, question_id, raw),
            earned,
            possible,
            _NA_WORDS.get(status) or ("N/A" if na else None),
            critical_fail,
            comment or None,
        ]
