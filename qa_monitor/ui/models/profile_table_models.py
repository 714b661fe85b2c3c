"""The agent profile's tables: areas against the team, weakest questions, recent
comments and critical failures.

Rules (UX.md, Tables; as ``dashboard_table_models``, whose base they share):
- Numbers right-aligned, scores and rates with one decimal in the user's locale, dates
  in the user's locale; ``SORT_ROLE`` gives raw values so sorting is numeric.
- ``KEY_ROLE`` says what a row points at: ("question", form id, question id),
  ("section", form id, section id), ("category", value) or ("evaluation", id), so the
  screen can drill down and keep the selection across refreshes.
- Above or below the team is said with an arrow and a sign, never colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QLocale

from qa_monitor.reports.analytics_profile import (
    AreaKind,
    CommentRow,
    Comparison,
    CriticalRow,
    QuestionStat,
)
from qa_monitor.reports.charts_profile import comparison_label
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.models.dashboard_table_models import LRM, _num, _Table


def _date(locale: QLocale, day: date) -> str:
    return date_text(day, locale)


def _percent(locale: QLocale, value: float | None) -> str:
    return _num(locale, None if value is None else value * 100)


def _difference(locale: QLocale, value: float | None) -> str:
    if value is None:
        return "—"
    arrow = "▲" if value > 0 else "▼" if value < 0 else "="
    return f"{arrow} {_num(locale, value, signed=True)}"


class ComparisonTableModel(_Table):
    HEADERS = ("Area", "Form", "Agent (%)", "Team (%)", "Difference", "n")
    TIPS = (
        "",
        "",
        "Points earned as % of possible, after critical failures",
        "The same for the agent's team",
        "Agent minus team, in percentage points",
        "The agent's section scores (or scored answers for a question)",
    )
    NUMERIC = frozenset({2, 3, 4, 5})

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: tuple[Comparison, ...] = ()

    def set_rows(self, rows: Sequence[Comparison]) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.endResetModel()

    def _rows(self) -> Sequence[Comparison]:
        return self.rows

    def _key(self, row: int) -> tuple[Any, ...]:
        c = self.rows[row]
        return (c.kind.value, c.form_id, c.key)

    def _sort_value(self, row: int, col: int) -> Any:
        c = self.rows[row]
        label = comparison_label(c).casefold()
        return (label, c.form_title.casefold(), c.percent, c.team_percent, c.difference, c.n)[col]

    def _text(self, row: int, col: int) -> str:
        c = self.rows[row]
        loc = self._locale
        if col == 0:
            return comparison_label(c)
        if col == 1:
            return c.form_title if c.kind is not AreaKind.CATEGORY else self.tr("All forms")
        if col == 2:
            return _num(loc, c.percent)
        if col == 3:
            return _num(loc, c.team_percent)
        if col == 4:
            return _difference(loc, c.difference)
        return loc.toString(c.n)


class WeakestQuestionsModel(_Table):
    HEADERS = ("Question", "Section", "n", "Missed", "Miss (%)", "Team (%)")
    TIPS = (
        "",
        "",
        "Scored answers (N/A and hidden questions left out)",
        "Answers below full marks",
        "Missed / answered",
        "The team's miss rate on the same question",
    )
    NUMERIC = frozenset({2, 3, 4, 5})

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: tuple[QuestionStat, ...] = ()

    def set_rows(self, rows: Sequence[QuestionStat]) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.endResetModel()

    def _rows(self) -> Sequence[QuestionStat]:
        return self.rows

    def _key(self, row: int) -> tuple[Any, ...]:
        q = self.rows[row]
        return ("question", q.form_id, q.question_id)

    def _sort_value(self, row: int, col: int) -> Any:
        q = self.rows[row]
        rate = None if q.rate is None else q.rate.rate
        team = None if q.team_rate is None else q.team_rate.rate
        values = (q.text.casefold(), q.section_title.casefold(), q.answered, q.missed)
        return values[col] if col < 4 else (rate, team)[col - 4]

    def _text(self, row: int, col: int) -> str:
        q = self.rows[row]
        loc = self._locale
        if col == 0:
            return q.text
        if col == 1:
            return q.section_title
        if col == 2:
            return loc.toString(q.answered)
        if col == 3:
            return loc.toString(q.missed)
        if col == 4:
            return _percent(loc, None if q.rate is None else q.rate.rate)
        return _percent(loc, None if q.team_rate is None else q.team_rate.rate)


class CommentsModel(_Table):
    HEADERS = ("Date", "Evaluation", "Form", "Question", "Points", "Score (%)", "Comment")
    TIPS = (
        "Interaction date",
        "Evaluation number: double-click to open it",
        "",
        "The question commented on, or Overall for the evaluation's comment",
        "Points earned of possible on the question",
        "The evaluation's final score",
        "",
    )
    NUMERIC = frozenset({1, 4, 5})

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: tuple[CommentRow, ...] = ()

    def set_rows(self, rows: Sequence[CommentRow]) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.endResetModel()

    def _rows(self) -> Sequence[CommentRow]:
        return self.rows

    def _key(self, row: int) -> tuple[Any, ...]:
        return ("evaluation", self.rows[row].evaluation_id)

    def _sort_value(self, row: int, col: int) -> Any:
        c = self.rows[row]
        points = None if c.earned is None or not c.possible else c.earned / c.possible
        values = (c.day.toordinal(), c.evaluation_id, c.form_title.casefold())
        rest = ((c.question_text or "").casefold(), points, c.score, c.comment.casefold())
        return values[col] if col < 3 else rest[col - 3]

    def _text(self, row: int, col: int) -> str:
        c = self.rows[row]
        loc = self._locale
        if col == 0:
            return _date(loc, c.day)
        if col == 1:
            return f"{LRM}{c.evaluation_id}"
        if col == 2:
            return c.form_title
        if col == 3:
            return c.question_text or self.tr("Overall comment")
        if col == 4:
            if c.earned is None or c.possible is None:
                return "—"
            return self.tr("{0} of {1}").format(
                loc.toString(float(c.earned), "g", 4), loc.toString(float(c.possible), "g", 4)
            )
        if col == 5:
            return _num(loc, c.score)
        return c.comment


class CriticalFailuresModel(_Table):
    HEADERS = ("Date", "Evaluation", "Form", "Question", "Fails", "Comment")
    TIPS = (
        "Interaction date",
        "Evaluation number: double-click to open it",
        "",
        "The critical question answered with a failing answer",
        "What the failure sets to zero: the section or the whole evaluation",
        "The reviewer's comment on the answer",
    )
    NUMERIC = frozenset({1})

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: tuple[CriticalRow, ...] = ()

    def set_rows(self, rows: Sequence[CriticalRow]) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.endResetModel()

    def _rows(self) -> Sequence[CriticalRow]:
        return self.rows

    def _key(self, row: int) -> tuple[Any, ...]:
        return ("evaluation", self.rows[row].evaluation_id)

    def _sort_value(self, row: int, col: int) -> Any:
        c = self.rows[row]
        values = (c.day.toordinal(), c.evaluation_id, c.form_title.casefold())
        return values[col] if col < 3 else (c.question_text.casefold(), c.level, c.comment)[col - 3]

    def _text(self, row: int, col: int) -> str:
        c = self.rows[row]
        if col == 0:
            return _date(self._locale, c.day)
        if col == 1:
            return f"{LRM}{c.evaluation_id}"
        if col == 2:
            return c.form_title
        if col == 3:
            return c.question_text
        if col == 4:
            return self.tr("Whole evaluation") if c.level == "form" else self.tr("Section")
        return c.comment or "—"
